from portal.tasks import ping


def test_a_real_worker_consumes_a_task_from_redis(celery_worker):
    result = ping.delay("hello from the test")
    assert result.get(timeout=30) == "hello from the test"
    assert "portal.ping" in celery_worker.worker_process.log()
