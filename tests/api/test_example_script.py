"""docs/examples/api_submit.py drives an application from creation to submission against a live server."""

import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from django.conf import settings

from applications.models import Application, Document
from applications.states import State
from portal.api.tokens import api_token_create
from tests.api.conftest import verify

SCRIPT = Path(settings.BASE_DIR) / "docs" / "examples" / "api_submit.py"


@pytest.fixture
def server_url():
    """The Django WSGI app served on a free local port by a thread (a live server).

    pytest-django's live_server serves media files from MEDIA_URL, which this project
    deliberately leaves unset (private files never have a URL), so use wsgiref directly.
    """
    from wsgiref.simple_server import WSGIRequestHandler, make_server

    from django.core.wsgi import get_wsgi_application

    class QuietHandler(WSGIRequestHandler):
        def log_message(self, *args):
            pass

    server = make_server("127.0.0.1", 0, get_wsgi_application(), handler_class=QuietHandler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        server.server_close()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_example_script_submits_an_application_through_the_api_alone(server_url, applicant):
    verify(applicant)
    _token, raw = api_token_create(user=applicant, scope="write")
    env = {**os.environ, "PORTAL_URL": server_url, "PORTAL_TOKEN": raw}
    result = subprocess.run(  # noqa: S603 - our own script
        [sys.executable, str(SCRIPT)], env=env, capture_output=True, text=True, timeout=120, check=False
    )
    assert result.returncode == 0, result.stdout + result.stderr
    application = Application.objects.get(owner=applicant)
    assert application.state == State.SUBMITTED
    assert application.reference and application.reference in result.stdout
    kinds = set(application.documents.exclude(status=Document.Status.REJECTED).values_list("kind", flat=True))
    assert {"passport", "photo", "ethnicity_evidence", "diploma", "employment_evidence"} <= kinds


def test_example_script_refuses_to_run_without_a_token():
    env = {k: v for k, v in os.environ.items() if k != "PORTAL_TOKEN"}
    result = subprocess.run(  # noqa: S603
        [sys.executable, str(SCRIPT)], env=env, capture_output=True, text=True, timeout=30, check=False
    )
    assert result.returncode == 2
    assert "PORTAL_TOKEN" in result.stderr
