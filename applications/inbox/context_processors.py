from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from applications.inbox.selectors import unread_count


def notifications(request: HttpRequest) -> dict:
    """The header's unread count, queried only by pages that show it."""
    user = getattr(request, "user", None)
    return {"unread_notifications": SimpleLazyObject(lambda: unread_count(user))}
