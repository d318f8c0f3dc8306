"""Reads of the in-app notification list."""

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from applications.models import Notification

# One line per kind, shown in the list (the e-mail carries the full text).
TITLES = {
    "application_submitted": _("Your application was received"),
    "review_started": _("A caseworker started reviewing your application"),
    "information_requested": _("More information is needed for your application"),
    "information_reminder": _("Reminder: reply to our request for information"),
    "decision_made": _("A decision was made on your application"),
    "card_issued": _("Your card has been issued"),
    "card_revoked": _("Your card has been revoked"),
    "application_withdrawn": _("Your application was withdrawn"),
    "document_rejected": _("A document was not accepted"),
    "expiry_coming": _("Your card will expire soon"),
    "draft_expiring": _("Your draft application will expire soon"),
    "second_factor_changed": _("The two-factor sign-in of your account changed"),
    "address_report_due": _("Register your address in Kazakhstan"),
    "citizenship_eligible": _("Your citizenship eligibility date"),
    "employer_decided": _("Verification of your organisation"),
    "offer_requested": _("Please confirm a job offer"),
    "offer_decided": _("Your employer answered about the job offer"),
    "employment_reported": _("Your employer reported your work"),
    "employment_ended": _("Your employer reported the end of your employment"),
    "new_employer_due": _("Name your new employer"),
}


def notification_title(row: Notification) -> str:
    return str(TITLES.get(row.kind, _("Update on your application")))


def inbox_for(user) -> QuerySet[Notification]:
    """The user's in-app notifications, newest first."""
    return (
        Notification.objects.filter(recipient=user, channel=Notification.Channel.IN_APP)
        .select_related("application")
        .order_by("-created_at", "-pk")
    )


def unread_count(user) -> int:
    if user is None or not user.is_authenticated:
        return 0
    return Notification.objects.filter(
        recipient=user, channel=Notification.Channel.IN_APP, read_at__isnull=True
    ).count()
