import pytest

from tests import services
from tests.faults.harness import HungListener, PrivateRedis, SMTPServer


@pytest.fixture
def private_redis(tmp_path):
    redis = PrivateRedis(tmp_path)
    redis.start()
    try:
        yield redis
    finally:
        redis.stop()


@pytest.fixture
def worker_factory(transactional_db, django_db_serialized_rollback):
    """Start real `celery worker` processes on a broker; all are stopped at the end."""
    services.require_postgres()
    started: list[services.WorkerProcess] = []

    def start(broker: str, queue: str, **env: str) -> services.WorkerProcess:
        worker = services.WorkerProcess(
            broker=broker, queue=queue, env={"DATABASE_URL": services.database_url_for_subprocess(), **env}
        )
        started.append(worker)
        worker.wait_ready()
        return worker

    yield start
    for worker in started:
        worker.stop()


@pytest.fixture
def smtp_server():
    server = SMTPServer()
    yield server
    server.close()


@pytest.fixture
def stalling_smtp_server():
    server = SMTPServer(stall_first=True)
    yield server
    server.close()


@pytest.fixture
def hung_broker():
    """A loopback listener that accepts connections and never answers (a hung Redis)."""
    listener = HungListener()
    yield listener
    listener.close()


@pytest.fixture
def sms_provider():
    """A local HTTP SMS provider that can refuse (503) on demand."""
    from tests.faults.harness import SmsProvider

    provider = SmsProvider()
    yield provider
    provider.close()
