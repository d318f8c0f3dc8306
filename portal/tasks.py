"""Infrastructure tasks used by health checks and the worker smoke test."""

from celery import shared_task


@shared_task(name="portal.ping")
def ping(value: str = "pong") -> str:
    """Return the value; proves a worker consumed a message from the broker."""
    return value


@shared_task(name="portal.retention_enforce")
def retention_enforce() -> dict[str, int]:
    """Daily (beat): erase what has outlived its retention period (docs/privacy.md)."""
    from applications.privacy import retention_enforce as enforce

    return enforce()
