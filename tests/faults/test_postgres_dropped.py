"""PostgreSQL drops the connection in the middle of a request: clean error page, no partial write."""

import re
import threading
import time

import httpx
import psycopg
import pytest
from django.core.files.base import ContentFile
from django.db import connection
from django.test import Client

from applications.models import Application, Document
from portal.audit.models import AuditEvent
from tests import services
from tests.faults.harness import wait_until

pytestmark = [pytest.mark.faults, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_terminated_backend_mid_erasure_shows_error_page_and_writes_nothing(applicant, web_server):
    application = Application.objects.create(product="kandas_card", owner=applicant, passport_number="N1234567")
    document = Document(application=application, kind=Document.Kind.PASSPORT, original_name="p.pdf")
    document.file.save("p", ContentFile(b"%PDF-1.4"), save=False)
    document.save()

    # A signed-in browser session for the applicant, then the erase form's CSRF token.
    client = Client()
    client.force_login(applicant)
    cookies = {"sessionid": client.cookies["sessionid"].value}
    http = httpx.Client(base_url=web_server.url, cookies=cookies, timeout=60)
    page = http.get(f"/accounts/my-data/erase/{application.pk}/")
    assert page.status_code == 200
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)

    # Lock the audit table against inserts from another connection (reads still pass): the
    # request's transaction has deleted the document rows and then waits to append its
    # audit entry.
    dsn = services.database_url_for_subprocess().replace("postgres://", "postgresql://")
    with psycopg.connect(dsn, autocommit=True) as blocker, psycopg.connect(dsn) as holder:
        holder.execute(f"LOCK TABLE {AuditEvent._meta.db_table} IN EXCLUSIVE MODE")
        result: dict = {}
        request = threading.Thread(
            target=lambda: result.setdefault(
                "response",
                http.post(f"/accounts/my-data/erase/{application.pk}/", data={"csrfmiddlewaretoken": token}),
            )
        )
        request.start()

        def waiting_backend() -> int | None:
            row = blocker.execute(
                "SELECT pid FROM pg_stat_activity WHERE datname = current_database() "
                "AND wait_event_type = 'Lock' AND query LIKE %s",
                ["%INSERT INTO%auditevent%"],
            ).fetchone()
            return row[0] if row else None

        wait_until(lambda: waiting_backend() is not None, timeout=30, what="the request to wait on the lock")
        pid = waiting_backend()
        # The deletes already ran inside the request's transaction...
        assert blocker.execute("SELECT pg_terminate_backend(%s)", [pid]).fetchone()[0] is True
        request.join(60)
        holder.rollback()

    response = result["response"]
    assert response.status_code == 500
    assert '<h1 class="heading-l">' in response.text
    assert "Traceback" not in response.text
    # ...and none of them survived: the transaction died with its connection.
    connection.close()
    assert Application.objects.filter(pk=application.pk).exists()
    assert Document.objects.filter(pk=document.pk).exists()
    assert not AuditEvent.objects.filter(action="application_erased").exists()
    assert document.file.storage.exists(document.file.name)
    # The site keeps working on a fresh connection.
    time.sleep(0.2)
    assert http.get("/").status_code == 200
