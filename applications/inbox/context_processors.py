from functools import cache

from django.http import HttpRequest

from applications.inbox.selectors import unread_count


def notifications(request: HttpRequest) -> dict:
    """The header's unread count, queried only by pages that show it, at most once per request.

    A callable, not a lazy proxy: templates call it and get a real ``int``. A
    ``SimpleLazyObject`` passes ``isinstance(x, int)`` but does not proxy ``%``, which the
    Russian plural formula applies to the count, so ``{% blocktranslate count %}`` crashed.
    """
    user = getattr(request, "user", None)
    return {"unread_notifications": cache(lambda: unread_count(user))}
