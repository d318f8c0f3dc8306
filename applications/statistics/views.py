"""Public statistics pages (no sign-in): the monthly release as tables and CSV, and the
quotas with their allocation rounds. Thin: the filter form, one selector, render."""

from __future__ import annotations

import csv

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from applications.statistics import sdc, selectors
from applications.statistics.forms import QuotaYearForm, ReleaseFilterForm
from applications.statistics.labels import category_label, product_label
from applications.statistics.models import Dimension, Measure


def _notes() -> dict[str, int]:
    """The numbers the pages' explanations quote (the threshold and the largest hidden count)."""
    return {"threshold": sdc.THRESHOLD, "highest_hidden": sdc.THRESHOLD - 1}


@require_GET
def statistics_page(request: HttpRequest) -> HttpResponse:
    form = ReleaseFilterForm(request.GET or None, releases=selectors.releases())
    if request.GET and not form.is_valid():
        return render(request, "statistics/statistics.html", {"form": form, **_notes()}, status=400)
    if not request.GET:
        form.is_valid()  # an unbound form: the defaults below
        form.cleaned_data = {}
    release = form.release()
    measure = form.choice("measure", Measure.SUBMITTED)
    dimension = form.choice("dimension", Dimension.REGION)
    context = {
        "form": form,
        "release": release,
        "measure_label": Measure(measure).label,
        "dimension_label": Dimension(dimension).label,
        **_notes(),
    }
    if release is not None:
        context["columns"], context["rows"] = selectors.release_table(release, measure=measure, dimension=dimension)
    return render(request, "statistics/statistics.html", context)


CSV_COLUMNS = [
    "period",
    "measure",
    "dimension",
    "category_code",
    "category",
    "product_code",
    "product",
    "value",
    "flag",
]


@require_GET
def statistics_csv(request: HttpRequest) -> HttpResponse:
    """The whole release of a month as one long CSV; a suppressed figure is empty, flagged "x"."""
    form = ReleaseFilterForm(request.GET or None, releases=selectors.releases())
    if request.GET and not form.is_valid():
        return render(request, "statistics/statistics.html", {"form": form, **_notes()}, status=400)
    if not request.GET:
        form.is_valid()
        form.cleaned_data = {}
    release = form.release()
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    period = f"{release.period:%Y-%m}" if release else "none"
    response["Content-Disposition"] = f'attachment; filename="statistics-{period}.csv"'
    response.write("\ufeff")  # so spreadsheet programs read the names in UTF-8
    writer = csv.writer(response)
    writer.writerow(CSV_COLUMNS)
    if release is not None:
        for cell in selectors.release_cells(release):
            writer.writerow(
                [
                    period,
                    cell.measure,
                    cell.dimension,
                    cell.category,
                    category_label(cell.dimension, cell.category),
                    cell.product,
                    product_label(cell.product),
                    "" if cell.value is None else cell.value,
                    "x" if cell.value is None else "",
                ]
            )
    return response


@require_GET
def quotas_page(request: HttpRequest) -> HttpResponse:
    form = QuotaYearForm(request.GET or None, years=selectors.quota_years())
    if request.GET and not form.is_valid():
        return render(request, "statistics/quotas.html", {"form": form, **_notes()}, status=400)
    if not request.GET:
        form.is_valid()
        form.cleaned_data = {}
    year = form.chosen_year()
    context = {
        "form": form,
        "year": year,
        "quotas": selectors.quota_lines(year),
        "rounds": selectors.round_lines(year),
        **_notes(),
    }
    return render(request, "statistics/quotas.html", context)
