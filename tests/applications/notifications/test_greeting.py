"""E-mails greet people by their name, never by their e-mail address."""

import pytest

from applications.models import Notification
from applications.notifications import notification_create, notification_message

pytestmark = pytest.mark.django_db


def _message(recipient, application, kind="review_started"):
    notification_create(recipient=recipient, kind=kind, event_key="greeting", application=application)
    row = Notification.objects.get(recipient=recipient, kind=kind, channel=Notification.Channel.EMAIL)
    return notification_message(row)


@pytest.mark.parametrize("kind", ["review_started", "information_requested", "generic_unknown_kind"])
def test_an_account_without_a_name_is_greeted_by_the_name_on_its_application(applicant, draft, kind):
    applicant.full_name = ""
    applicant.preferred_language = "en"
    applicant.save(update_fields=["full_name", "preferred_language"])
    message = _message(applicant, draft, kind)
    assert message.body.startswith("Hello Aigerim Nurlanqyzy,")
    assert applicant.email not in message.body
    html = message.alternatives[0][0] if message.alternatives else ""
    assert applicant.email not in html


def test_without_any_name_the_greeting_has_none(applicant):
    applicant.full_name = ""
    applicant.preferred_language = "ru"
    applicant.save(update_fields=["full_name", "preferred_language"])
    message = _message(applicant, None)
    assert message.body.startswith("Здравствуйте,") or message.body.startswith("Здравствуйте!")
    assert applicant.email not in message.body
