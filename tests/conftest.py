"""Shared fixtures: the people every access test tries, and the real-worker harness."""

import pytest
from django.contrib.auth.models import Group

from portal import roles
from tests import services


def _user(email: str, *role_names: str, staff: bool = False):
    from portal.models import User

    user = User.objects.create_user(email=email, password="correct-horse-battery-9", full_name=email.split("@")[0])
    if staff:
        user.is_staff = True
        user.save(update_fields=["is_staff"])
    for name in role_names:
        user.groups.add(Group.objects.get(name=name))
    return user


def _join_all_cases_queue(user, *, senior: bool = False):
    """Put a caseworker in the catch-all queue, so "in the queue" holds for every case."""
    from applications.models import Queue

    queue, _created = Queue.objects.get_or_create(name="All cases (tests)")
    (queue.seniors if senior else queue.caseworkers).add(user)
    return user


@pytest.fixture(autouse=True)
def _a_fast_password_hasher(request, settings):
    """Argon2id at OWASP's cost (about 50 ms a hash) for every fixture user would spend minutes
    of each run on hashing; the tests of hashing itself use the production list
    (marker ``production_hashers``), the timing tests their own slow hasher. Tests driving a
    server in another process (gunicorn, browser journeys) keep the hashers that server verifies with."""
    if "web_server" in request.fixturenames:
        return
    if request.node.get_closest_marker("production_hashers") is None:
        settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher", *settings.PASSWORD_HASHERS]


@pytest.fixture(autouse=True)
def _a_cache_of_its_own(request, settings):
    """Each test counts rate limits (account e-mails, card checks) from zero.

    A key prefix of its own per test, so with Redis shared across the run (and with other
    processes) no test inherits another's counters, and nothing is flushed. Tests driving a
    server in another process (gunicorn) keep the plain keys that process uses.
    """
    import uuid

    if "web_server" in request.fixturenames:
        return
    settings.CACHES = {
        alias: {**config, "KEY_PREFIX": f"test-{uuid.uuid4().hex}"} for alias, config in settings.CACHES.items()
    }


@pytest.fixture
def applicant(db):
    return _user("aigerim@example.org", roles.APPLICANT)


@pytest.fixture
def stranger(db):
    """Another applicant, who must never see the first one's data."""
    return _user("stranger@example.org", roles.APPLICANT)


@pytest.fixture
def caseworker(db):
    return _join_all_cases_queue(_user("caseworker@example.kz", roles.CASEWORKER, staff=True))


@pytest.fixture
def caseworker_outside(db):
    """A caseworker who is not a member of the queues the test cases sit in."""
    return _user("caseworker.outside@example.kz", roles.CASEWORKER, staff=True)


@pytest.fixture
def senior(db):
    return _join_all_cases_queue(_user("senior@example.kz", roles.SENIOR_CASEWORKER, staff=True), senior=True)


@pytest.fixture
def senior_outside(db):
    """A senior caseworker who is not a senior of the queues the test cases sit in."""
    return _user("senior.outside@example.kz", roles.SENIOR_CASEWORKER, staff=True)


@pytest.fixture
def superuser(db):
    """The operator account: the only one that reads people's data in the Django admin."""
    from portal.models import User

    return User.objects.create_superuser(email="root@example.kz", password="correct-horse-battery-9")


@pytest.fixture
def criteria_admin(db):
    return _user("criteria.admin@example.kz", roles.CRITERIA_ADMIN, staff=True)


@pytest.fixture
def auditor(db):
    return _user("auditor@example.kz", roles.AUDITOR, staff=True)


@pytest.fixture
def analyst(db):
    """The ministry's analyst (issue 17): dashboards of aggregates, no person and no case."""
    return _user("analyst@example.kz", roles.ANALYST, staff=True)


@pytest.fixture
def employer(db):
    """An employer account with its (verified) organisation: refused every applicant and staff page."""
    from applications.employers.models import Employer
    from eligibility.models import Region

    user = _user("hr@acme.example.kz", roles.EMPLOYER)
    organisation = Employer.objects.create(
        legal_name="ACME LLP", bin="123456789013", contact=user, status=Employer.Status.VERIFIED
    )
    organisation.regions.set(Region.objects.filter(pk__in=["KZ-55", "KZ-75"]))
    return user


@pytest.fixture
def people(applicant, stranger, caseworker, caseworker_outside, senior, criteria_admin, auditor, analyst):
    return {
        "applicant": applicant,
        "stranger": stranger,
        "caseworker": caseworker,
        "caseworker_outside": caseworker_outside,
        "senior": senior,
        "criteria_admin": criteria_admin,
        "auditor": auditor,
        "analyst": analyst,
    }


@pytest.fixture
def redis_url() -> str:
    return services.redis_url()


@pytest.fixture(autouse=True)
def _fresh_kombu_pools():
    """Every test starts with fresh broker pools.

    A real-worker test (``tests.services.celery_app_on``) force-closes the pools it used;
    resetting kombu's registry alone would leave the Celery app holding a closed producer
    pool, and publishing (eager tasks too, in Celery 5.7) then fails with "Acquire on closed
    pool" in whichever test comes next (tests/api/test_example_script.py did, depending on
    order). Drop kombu's registry and the app's cached pools together, so fresh ones are made.
    """
    from portal.celery import app

    services._reset_connections(app)
    yield


@pytest.fixture
def celery_worker(transactional_db, django_db_serialized_rollback, redis_url):
    """A real Celery worker process on real Redis, sharing this test's PostgreSQL database.

    Yields the Celery app configured to publish to the worker's private queue.
    """
    services.require_postgres()
    queue = services.new_queue_name()
    worker = services.WorkerProcess(
        broker=redis_url, queue=queue, env={"DATABASE_URL": services.database_url_for_subprocess()}
    )
    try:
        worker.wait_ready()
        with services.celery_app_on(redis_url, queue) as app:
            app.worker_process = worker
            yield app
    finally:
        worker.stop()


@pytest.fixture(autouse=True)
def _audit_checkpoints_per_test(settings, tmp_path):
    """Each test's audit checkpoints in its own folder: the database is reset between tests,
    so a checkpoint left by an earlier test would look like removed audit rows."""
    settings.AUDIT_CHECKPOINT_DIR = tmp_path / "audit-checkpoints"


@pytest.fixture(autouse=True)
def _test_client_shortcuts_pass_the_second_factor(monkeypatch):
    """``client.force_login`` / ``client.login`` skip the sign-in pages, so they skip the
    staff second factor too: the session is marked OTP-verified for staff users.

    The real two-factor pages and their enforcement are tested through the sign-in form
    (tests/portal/test_two_factor.py) and in the browser (tests/browser/).
    """
    from django.test import Client

    original_login = Client._login

    def _login(self, user, backend=None):
        original_login(self, user, backend)
        from portal.twofactor import is_staff_member

        if is_staff_member(user):
            from django_otp import DEVICE_ID_SESSION_KEY
            from django_otp.plugins.otp_totp.models import TOTPDevice

            device, _ = TOTPDevice.objects.get_or_create(user=user, name="test client", defaults={"confirmed": True})
            session = self.session
            session[DEVICE_ID_SESSION_KEY] = device.persistent_id
            session.save()

    monkeypatch.setattr(Client, "_login", _login)


@pytest.fixture
def security_log():
    """The records written to the "portal.security" logger during the test, as dicts."""
    import logging

    from tests.portal.security_helpers import SecurityLogCapture

    handler = SecurityLogCapture()
    logger = logging.getLogger("portal.security")
    logger.addHandler(handler)
    try:
        yield handler
    finally:
        logger.removeHandler(handler)


@pytest.fixture
def web_server(transactional_db, django_db_serialized_rollback):
    """A real gunicorn on loopback serving this test's PostgreSQL database."""
    from tests.webserver import WebServer

    services.require_postgres()
    server = WebServer()
    try:
        yield server
    finally:
        server.stop()
