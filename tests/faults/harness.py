"""Real services to break on purpose: a private redis-server and a minimal SMTP server.

Everything listens on loopback ports picked by the kernel; nothing touches the machine's
shared Redis.
"""

import json
import secrets
import shutil
import socket
import subprocess
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from tests import services


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class PrivateRedis:
    """A redis-server of our own on a spare loopback port, stopped and started at will."""

    def __init__(self, workdir: Path) -> None:
        self.binary = shutil.which("redis-server")
        if self.binary is None:
            services.unavailable("redis-server is not installed")
        self.port = free_port()
        self.workdir = workdir
        self.proc: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        self.proc = subprocess.Popen(
            [self.binary, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"]
            + ["--dir", str(self.workdir), "--logfile", str(self.workdir / "redis.log")],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.5) as sock:
                    sock.sendall(b"PING\r\n")
                    if sock.recv(16).startswith(b"+PONG"):
                        return
            except OSError:
                time.sleep(0.1)
        raise RuntimeError("private redis-server did not start")

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            self.proc.wait(timeout=10)
        self.proc = None


class SMTPServer:
    """A small SMTP server counting the messages it accepted.

    With ``stall_first`` it accepts the first connection and never greets it, so a sender
    hangs inside smtplib until it is killed: a task stuck mid-way, on demand.
    """

    def __init__(self, *, stall_first: bool = False) -> None:
        self.port = free_port()
        self.messages: list[bytes] = []
        self.stall_first = stall_first
        self.first_connection = threading.Event()
        self._release = threading.Event()
        self._sock = socket.socket()
        self._sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._sock.bind(("127.0.0.1", self.port))
        self._sock.listen(8)
        self._connections = 0
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    def _serve(self) -> None:
        while True:
            try:
                conn, _ = self._sock.accept()
            except OSError:
                return
            self._connections += 1
            if self._connections == 1 and self.stall_first:
                self.first_connection.set()
                threading.Thread(target=self._stall, args=(conn,), daemon=True).start()
            else:
                threading.Thread(target=self._talk, args=(conn,), daemon=True).start()

    def _stall(self, conn: socket.socket) -> None:
        self._release.wait(120)
        conn.close()

    def _talk(self, conn: socket.socket) -> None:
        reader = conn.makefile("rb")
        conn.sendall(b"220 fault-test ESMTP\r\n")
        try:
            for raw in reader:
                command = raw.strip().upper()
                if command.startswith((b"EHLO", b"HELO")):
                    conn.sendall(b"250 fault-test\r\n")
                elif command.startswith(b"DATA"):
                    conn.sendall(b"354 go ahead\r\n")
                    body = b""
                    for line in reader:
                        if line in (b".\r\n", b".\n"):
                            break
                        body += line
                    self.messages.append(body)
                    conn.sendall(b"250 queued\r\n")
                elif command.startswith(b"QUIT"):
                    conn.sendall(b"221 bye\r\n")
                    break
                else:
                    conn.sendall(b"250 ok\r\n")
        except OSError:
            pass
        finally:
            conn.close()

    def close(self) -> None:
        self._release.set()
        self._sock.close()


def wait_until(predicate, *, timeout: float, what: str, interval: float = 0.25) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(interval)
    raise AssertionError(f"timed out after {timeout}s waiting for {what}")


class HungListener:
    """A loopback port that accepts connections and never answers: a hung Redis.

    The kernel completes the TCP handshake, so a client's connect succeeds at once and
    its first command waits for a reply that never comes (what a stalled Redis, a full
    listen queue behind a proxy, or a black-holed network path look like from a client).
    """

    def __init__(self) -> None:
        self._sock = socket.socket()
        self._sock.bind(("127.0.0.1", 0))
        self._sock.listen(128)
        self.port = self._sock.getsockname()[1]
        self._held: list[socket.socket] = []
        self._thread = threading.Thread(target=self._accept, daemon=True)
        self._thread.start()

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    @property
    def connections(self) -> int:
        return len(self._held)

    def _accept(self) -> None:
        while True:
            try:
                conn, _ = self._sock.accept()
            except OSError:
                return
            self._held.append(conn)  # held open, never read from or written to

    def close(self) -> None:
        self._sock.close()
        for conn in self._held:
            conn.close()


class SmsProvider:
    """A local HTTP SMS provider speaking the interface in docs/notifications.md.

    It records every request with the status it answered, and the messages it accepted by ``Idempotency-Key`` (a key
    seen before is answered with the first message's id and not sent again, as the
    interface asks of a provider). While ``refusing`` is set it answers 503.
    """

    def __init__(self) -> None:
        provider = self
        # A fresh random token per provider: the tests configure the backend with it.
        self.token = secrets.token_hex(16)
        self.refusing = False
        self.requests: list[dict] = []
        self.accepted: dict[str, dict] = {}
        self._lock = threading.Lock()

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 - the http.server hook
                length = int(self.headers.get("Content-Length") or 0)
                body = json.loads(self.rfile.read(length) or b"{}")
                key = self.headers.get("Idempotency-Key", "")
                with provider._lock:
                    if provider.refusing:
                        status, answer = 503, {"error": "unavailable"}
                    elif self.headers.get("Authorization") != f"Bearer {provider.token}":
                        status, answer = 401, {"error": "unauthorised"}
                    elif not key or not body.get("to") or not body.get("text"):
                        status, answer = 400, {"error": "bad request"}
                    else:
                        first = provider.accepted.setdefault(key, {"id": f"msg-{len(provider.accepted) + 1}", **body})
                        status, answer = 200, {"id": first["id"], "status": "accepted"}
                    provider.requests.append(
                        {"key": key, "auth": self.headers.get("Authorization"), "status": status, **body}
                    )
                data = json.dumps(answer).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, format: str, *args) -> None:  # noqa: A002 - quiet
                return

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self._server.server_address[1]
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/messages"

    def close(self) -> None:
        self._server.shutdown()
        self._server.server_close()
