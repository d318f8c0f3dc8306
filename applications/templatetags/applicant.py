import math
from datetime import datetime

from django import template
from django.conf import settings
from django.utils import timezone

register = template.Library()


@register.simple_tag(takes_context=True)
def session_idle_seconds(context) -> int:
    """Seconds until the session ends: the stored end, as the clock is not restarted on every page."""
    request = context.get("request")
    session = getattr(request, "session", None)
    stored = session.get("_session_expiry") if session is not None else None
    if isinstance(stored, str):
        try:
            return max(0, math.ceil((datetime.fromisoformat(stored) - timezone.now()).total_seconds()))
        except ValueError:
            pass
    return settings.APPLICANT_SESSION_IDLE_SECONDS


@register.simple_tag
def session_warning_seconds() -> int:
    return settings.APPLICANT_SESSION_WARNING_SECONDS
