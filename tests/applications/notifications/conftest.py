"""Fixtures for the notification tests: applications that emit events, a private Redis."""

import shutil
import socket
import subprocess
import time
from pathlib import Path

import pytest

from applications.models import Application
from eligibility.products import Product
from tests import services


@pytest.fixture
def draft(applicant):
    return Application.objects.create(product=Product.KANDAS_CARD, owner=applicant, applicant_name="Aigerim Nurlanqyzy")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class PrivateRedis:
    """A redis-server of our own on a spare loopback port, which a test may stop and restart.

    The machine's shared Redis is never touched: outages are simulated on this one only.
    """

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
        self.proc = subprocess.Popen(  # noqa: S603 - fixed arguments
            [self.binary, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
            cwd=self.workdir,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.2):
                    return
            except OSError:
                time.sleep(0.05)
        raise RuntimeError("private redis-server did not start")

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            self.proc.wait(timeout=10)
        self.proc = None

    def is_up(self) -> bool:
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=0.2):
                return True
        except OSError:
            return False


@pytest.fixture
def private_redis(tmp_path):
    server = PrivateRedis(tmp_path)
    server.start()
    try:
        yield server
    finally:
        server.stop()


def sent_messages(mail_dir: Path, header_value: str) -> int:
    """How many e-mails the file backend wrote carrying this notification's idempotency key."""
    needle = f"X-Portal-Notification: {header_value}"
    return sum(path.read_text(errors="replace").count(needle) for path in mail_dir.glob("*"))


@pytest.fixture
def client(client):
    """Pages in English (the default language is Kazakh); other tests switch language explicitly."""
    client.cookies["portal_language"] = "en"
    return client
