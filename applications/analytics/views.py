"""The analytics pages (issue 17). Thin: gate, read the filters, build the charts, render."""

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from applications.analytics.access import analytics_reader
from applications.analytics.dashboards import BY_SLUG, DASHBOARDS
from applications.analytics.forms import DashboardFilterForm
from applications.analytics.selectors import period_text, product_label
from portal.charts import Chart, chart_download


def _form(request: HttpRequest) -> DashboardFilterForm:
    data = request.GET.copy()
    data.pop("download", None)
    return DashboardFilterForm(data or None)


@login_required
@require_GET
def overview(request: HttpRequest) -> HttpResponse:
    """The list of dashboards, with the filters carried to each."""
    analytics_reader(request.user)
    form = _form(request)
    valid = not form.is_bound or form.is_valid()
    query = request.GET.urlencode() if valid and form.is_bound else ""
    return render(
        request,
        "analytics/overview.html",
        {"form": form, "dashboards": DASHBOARDS, "query": query},
        status=200 if valid else 400,
    )


@login_required
@require_GET
def dashboard(request: HttpRequest, slug: str) -> HttpResponse:
    """One dashboard: its charts (with summaries, tables and downloads) for the filters given."""
    analytics_reader(request.user)
    board = BY_SLUG.get(slug)
    if board is None:
        raise Http404
    form = _form(request)
    if form.is_bound and not form.is_valid():
        context = {"form": form, "board": board, "dashboards": DASHBOARDS, "parts": [], "query": ""}
        return render(request, "analytics/dashboard.html", context, status=400)
    filters = form.filters()
    parts = board.charts(filters)
    download = chart_download(request, [p for p in parts if isinstance(p, Chart)])
    if download is not None:
        return download
    context = {
        "form": form,
        "board": board,
        "dashboards": DASHBOARDS,
        "parts": [{"chart": p} if isinstance(p, Chart) else {"table": p} for p in parts],
        "period": period_text(filters),
        "product": product_label(filters["product"]),
        "occupation": form.occupation_display() if form.is_bound else "",
        "query": request.GET.urlencode() if form.is_bound else "",
    }
    return render(request, "analytics/dashboard.html", context)
