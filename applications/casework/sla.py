"""Service levels: decision targets in working days per product.

Each product declares its target (``sla_working_days`` in applications/products/).
"""

from datetime import date, datetime, timedelta

from django.conf import settings
from django.utils import timezone

from applications.products import get_product

# Fixed-date public holidays of Kazakhstan (Labour Code art. 84 and the Law on holidays);
# Kurban Ait moves with the lunar calendar and is added per year in settings if needed.
FIXED_HOLIDAYS = {(1, 1), (1, 2), (3, 8), (3, 21), (3, 22), (3, 23), (5, 1), (5, 7), (5, 9), (7, 6), (8, 30)}
FIXED_HOLIDAYS |= {(10, 25), (12, 16)}


def working_days_for(product: str) -> int:
    return get_product(product).sla_working_days


def is_working_day(day: date) -> bool:
    extra = {date.fromisoformat(d) for d in getattr(settings, "CASEWORK_EXTRA_HOLIDAYS", [])}
    return day.weekday() < 5 and (day.month, day.day) not in FIXED_HOLIDAYS and day not in extra


def add_working_days(start: datetime, days: int) -> datetime:
    """``start`` moved forward by ``days`` working days, keeping the time of day."""
    moment = start
    added = 0
    while added < days:
        moment += timedelta(days=1)
        if is_working_day(timezone.localtime(moment).date()):
            added += 1
    return moment


def sla_due(product: str, start: datetime) -> datetime:
    return add_working_days(start, working_days_for(product))


def time_left(due_at: datetime | None, now: datetime | None = None) -> timedelta | None:
    """Time remaining (negative when overdue), or None if no target applies."""
    if due_at is None:
        return None
    return due_at - (now or timezone.now())
