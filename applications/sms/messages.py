"""The words of each SMS, in the recipient's language; one owner of the wording.

A notification SMS is the in-app title of its kind (applications.inbox.selectors, the same
words the portal's list shows), the application's reference and a link: the e-mail carries
the details. ``tests/applications/sms`` checks every kind in every language fits in
SMS_MAX_SEGMENTS.
"""

from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from applications.inbox.selectors import notification_title
from applications.models import Notification


def notification_sms_text(row: Notification) -> str:
    """The SMS for one outbox row, in the row's language."""
    with translation.override(row.language):
        link = settings.NOTIFICATION_SITE_URL.rstrip("/") + reverse("notifications:list")
        title = notification_title(row)
        reference = row.application.reference if row.application_id and row.application else ""
        if reference:
            return _("%(title)s (%(reference)s). Details: %(link)s") % {
                "title": title,
                "reference": reference,
                "link": link,
            }
        return _("%(title)s. Details: %(link)s") % {"title": title, "link": link}


def verification_sms_text(*, code: str, language: str) -> str:
    """The SMS carrying a phone verification code."""
    with translation.override(language):
        return _(
            "%(code)s is your code to confirm this phone number on the Kandas and Skills portal. Never share it."
        ) % {"code": code}
