from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from applications.inbox import selectors, services


@login_required
def notification_list(request: HttpRequest) -> HttpResponse:
    page = Paginator(selectors.inbox_for(request.user), 25).get_page(request.GET.get("page"))
    items = [(row, selectors.notification_title(row)) for row in page.object_list]
    # A plain int: the header's lazy count breaks plural formulas that use % (ru, uz).
    unread = selectors.unread_count(request.user)
    context = {"page": page, "items": items, "unread": unread}
    return render(request, "applications/notifications/list.html", context)


@login_required
@require_POST
def notification_read(request: HttpRequest, pk: int) -> HttpResponse:
    marked = services.notification_mark_read(user=request.user, notification_id=pk)
    # Not marked: someone else's notification (404) or already read (fine).
    if not marked and not selectors.inbox_for(request.user).filter(pk=pk).exists():
        raise Http404
    return redirect("notifications:list")


@login_required
@require_POST
def notification_read_all(request: HttpRequest) -> HttpResponse:
    services.notifications_mark_all_read(user=request.user)
    return redirect("notifications:list")
