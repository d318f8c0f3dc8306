import datetime

from django.utils import timezone

from applications.forecasts.series import current_week
from tests.eligibility.db_helpers import skills_answers, skills_sector, submitted_application


def weekly_history(owner, *, weeks: int, per_week=lambda i: 1, region: str = "KZ-55", product: str = "skills_visa"):
    """Submitted applications on the Wednesday of each of the last ``weeks`` complete weeks."""
    this_monday = current_week()
    made = []
    for i in range(weeks):
        monday = this_monday - datetime.timedelta(weeks=weeks - i)
        when = timezone.make_aware(datetime.datetime.combine(monday + datetime.timedelta(days=2), datetime.time(12)))
        for j in range(per_week(i)):
            made.append(
                submitted_application(
                    owner,
                    product,
                    skills_answers(i + j),
                    sector=skills_sector(i + j),
                    region_id=region,
                    submitted_at=when,
                )
            )
    return made
