"""Beat tasks of the holder's stay: they take no arguments and are safe to run twice."""

from celery import shared_task


@shared_task(name="stay.reminders", ignore_result=True)
def stay_reminders() -> dict[str, int]:
    """Address reports due, citizenship eligibility reached (one notification each, ever) and
    overdue grace periods after an employment ended (a new employer to name; weekly)."""
    from applications.employers.services import grace_reminders_send
    from applications.stay.services import address_reminders_send, citizenship_reminders_send

    return {
        "address": address_reminders_send(),
        "citizenship": citizenship_reminders_send(),
        "new_employer": grace_reminders_send(),
    }
