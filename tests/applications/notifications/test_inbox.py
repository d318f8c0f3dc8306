"""The in-app notification list, its unread count and marking read."""

import pytest
from django.urls import reverse

from applications.models import Notification
from applications.notifications import notification_create

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_events(applicant, draft):
    notification_create(recipient=applicant, kind="review_started", event_key="a", application=draft)
    notification_create(recipient=applicant, kind="decision_made", event_key="b", application=draft)
    return Notification.objects.filter(recipient=applicant, channel=Notification.Channel.IN_APP)


def test_header_shows_the_unread_count_and_the_list_the_titles(client, applicant, two_events):
    client.force_login(applicant)
    page = client.get(reverse("notifications:list")).content.decode()
    assert 'class="count-badge">2' in page
    assert "A caseworker started reviewing your application" in page


def test_marking_one_read_lowers_the_count(client, applicant, two_events):
    client.force_login(applicant)
    first = two_events.first()
    client.post(reverse("notifications:read", args=[first.pk]))
    first.refresh_from_db()
    assert first.read_at is not None
    assert 'class="count-badge">1' in client.get(reverse("notifications:list")).content.decode()


def test_mark_all_read_clears_the_badge(client, applicant, two_events):
    client.force_login(applicant)
    client.post(reverse("notifications:read_all"))
    assert "count-badge" not in client.get(reverse("notifications:list")).content.decode()


def test_stranger_cannot_mark_someone_elses_notification(client, stranger, two_events):
    client.force_login(stranger)
    response = client.post(reverse("notifications:read", args=[two_events.first().pk]))
    assert response.status_code == 404
    assert not two_events.filter(read_at__isnull=False).exists()


def test_stranger_sees_none_of_them(client, stranger, two_events):
    client.force_login(stranger)
    page = client.get(reverse("notifications:list")).content.decode()
    assert "You have no notifications yet." in page


def test_the_list_needs_a_sign_in(client):
    assert client.get(reverse("notifications:list")).status_code == 302


def test_the_list_costs_the_same_queries_with_3_or_30_notifications(client, applicant, draft):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def queries() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(reverse("notifications:list")).status_code == 200
        return len(ctx.captured_queries)

    client.force_login(applicant)
    for i in range(3):
        notification_create(recipient=applicant, kind="review_started", event_key=f"few{i}", application=draft)
    few = queries()
    for i in range(27):
        notification_create(recipient=applicant, kind="decision_made", event_key=f"many{i}", application=draft)
    assert queries() == few


@pytest.mark.parametrize("language", ["ru", "kk", "uz", "zh-hans", "en"])
def test_the_list_with_unread_notifications_opens_in_every_language(client, applicant, two_events, language):
    # Plural formulas with % (Russian, Uzbek) once met the header's lazy count: a 500.
    applicant.preferred_language = language
    applicant.save(update_fields=["preferred_language"])
    client.force_login(applicant)
    client.cookies["portal_language"] = language
    response = client.get(reverse("notifications:list"))
    assert response.status_code == 200
    assert 'class="count-badge">2' in response.content.decode()
