"""Beat tasks of the holder's stay: they take no arguments and are safe to run twice."""

from celery import shared_task


@shared_task(name="stay.reminders", ignore_result=True)
def stay_reminders() -> dict[str, int]:
    """Address reports due and citizenship eligibility reached (one notification each, ever)."""
    from applications.stay.services import address_reminders_send, citizenship_reminders_send

    return {"address": address_reminders_send(), "citizenship": citizenship_reminders_send()}
