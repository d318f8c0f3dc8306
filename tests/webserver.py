"""A real gunicorn serving the portal on a loopback port, against this test's database.

Used where the test client is not enough: a request cut off by PostgreSQL mid-way
(tests/faults/) and a real browser (tests/browser/).
"""

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx

from tests import services
from tests.services import ROOT


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _newest_static_source() -> float:
    sources = [path for app in ("portal", "applications", "eligibility") for path in (ROOT / app / "static").rglob("*")]
    return max((path.stat().st_mtime for path in sources if path.is_file()), default=0.0)


def collect_static(static_root: Path) -> None:
    """Collect static files into ``static_root`` (whitenoise serves them): once, and again
    whenever a stylesheet or script of the project changed since (a stale copy would test
    yesterday's CSS)."""
    marker = static_root / ".collected"
    if marker.exists() and marker.stat().st_mtime >= _newest_static_source():
        return
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
        cwd=ROOT,
        env={**os.environ, "PORTAL_STATIC_ROOT": str(static_root), "DJANGO_SETTINGS_MODULE": "portal.settings"},
        check=True,
        timeout=120,
    )
    marker.touch()


class WebServer:
    """gunicorn with ``workers`` sync workers; ``env`` adds settings (e-mail backend...)."""

    def __init__(self, *, env: dict[str, str] | None = None, workers: int = 2) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log_path = ROOT / "var" / f"gunicorn-{self.port}.log"
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        # E-mail goes to files, one per message, so browser tests can read links from them.
        self.mail_dir = ROOT / "var" / f"test-mail-{self.port}"
        static_root = ROOT / "var" / "test-static"
        collect_static(static_root)
        full_env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "portal.settings",
            "DATABASE_URL": services.database_url_for_subprocess(),
            "DJANGO_DEBUG": "0",
            "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
            "PORTAL_STATIC_ROOT": str(static_root),
            "CELERY_TASK_ALWAYS_EAGER": "1",
            "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
            "EMAIL_FILE_PATH": str(self.mail_dir),
            "PORTAL_BASE_URL": self.url,
            **(env or {}),
        }
        self._log = open(self.log_path, "w")  # noqa: SIM115 - closed in stop()
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "portal.wsgi:application", "-b", f"127.0.0.1:{self.port}"]
            + ["-w", str(workers), "--timeout", "120", "--access-logfile", "-", "--error-logfile", "-"],
            cwd=ROOT,
            env=full_env,
            stdout=self._log,
            stderr=subprocess.STDOUT,
        )
        self.wait_ready()

    def wait_ready(self, timeout: float = 30) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"gunicorn exited early:\n{self.log()}")
            try:
                if httpx.get(f"{self.url}/", timeout=2).status_code < 500:
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.2)
        raise RuntimeError(f"gunicorn not ready after {timeout}s:\n{self.log()}")

    def mails(self) -> list[str]:
        """The e-mails sent so far, oldest first (raw messages)."""
        if not self.mail_dir.exists():
            return []
        files = sorted(self.mail_dir.iterdir(), key=lambda f: f.stat().st_mtime)
        return [f.read_text(errors="replace") for f in files]

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self._log.close()
