"""Charts people can read (issue 17): server-rendered SVG with a text summary and a data table.

A ``Chart`` holds the figures once; the page shows them three ways (``templates/partials/
chart.html``): the summary in words, the SVG drawing (``role="img"``, its title and summary as
``<title>``/``<desc>``) and the same figures as a table for screen readers and for copying.
``chart_csv`` and ``chart_svg`` give the downloads. No JavaScript and no library: an SVG of
bars and lines is a few dozen elements, smaller than any charting script, and works with
scripts off and in every screen reader that reads HTML tables (docs/analytics.md says why).

Labels arrive already translated; numbers are formatted here in the active language
(``django.utils.formats.number_format``), so a chart is as localised as the page around it.
Any app may build a ``Chart`` (the analytics dashboards, the forecasts).
"""

import csv
import io
import math
from dataclasses import dataclass, field
from html import escape
from typing import TYPE_CHECKING

from django.utils.formats import number_format

if TYPE_CHECKING:
    from django.http import HttpRequest, HttpResponse

# Okabe & Ito's colour-blind-safe palette (Color Universal Design, 2008), darkened where needed
# for 3:1 contrast against white (WCAG 1.4.11 non-text contrast).
PALETTE = ("#0072B2", "#D55E00", "#007A5E", "#A0522D", "#6A3D9A", "#B8860B", "#555555")
# Dashes distinguish line series without colour (WCAG 1.4.1 use of colour).
DASHES = ("", "6 3", "2 3", "8 3 2 3", "1 2", "10 4", "4 4")
WIDTH = 720
FONT = 'font-family="system-ui, -apple-system, \'Segoe UI\', Roboto, sans-serif" font-size="12"'


@dataclass
class Series:
    label: str
    values: list[float | None]


@dataclass
class Chart:
    """One chart: ``categories`` along one axis, one value per category in each series."""

    key: str  # a slug: element ids and the download's file name
    title: str
    summary: str
    categories: list[str]
    series: list[Series]
    kind: str = "bar"  # "bar" (vertical, grouped), "hbar" (horizontal, grouped) or "line"
    category_label: str = ""  # heading of the table's first column
    value_label: str = ""  # what the numbers count (axis title)
    decimals: int = 0
    percent: bool = False  # values are percentages (0-100)
    notes: list[str] = field(default_factory=list)

    @property
    def is_empty(self) -> bool:
        return not self.categories or all(v in (None, 0) for s in self.series for v in s.values)

    def format(self, value: float | None) -> str:
        if value is None:
            return "—"
        text = number_format(value, self.decimals, force_grouping=True)
        return f"{text}%" if self.percent else text

    def rows(self) -> list[tuple[str, list[str]]]:
        """The table: each category with its formatted values, one per series."""
        return [(cat, [self.format(s.values[i]) for s in self.series]) for i, cat in enumerate(self.categories)]


def _max(chart: Chart) -> float:
    top = max((v for s in chart.series for v in s.values if v is not None), default=0) or 1
    if chart.percent:
        return max(top, 100.0) if top > 50 else top
    return top


def _ticks(top: float, count: int = 4) -> list[float]:
    """Round tick values (1, 2, 2.5 or 5 times a power of ten) from 0 up to at least ``top``."""
    raw = top / count
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw)
    ticks = [0.0]
    while ticks[-1] < top:
        ticks.append(ticks[-1] + step)
    return ticks


def _legend(chart: Chart, y: int) -> list[str]:
    if len(chart.series) < 2:
        return []
    parts, x = [], 60
    for i, s in enumerate(chart.series):
        colour = PALETTE[i % len(PALETTE)]
        if chart.kind == "line":
            dash = DASHES[i % len(DASHES)]
            parts.append(
                f'<line x1="{x}" y1="{y - 4}" x2="{x + 18}" y2="{y - 4}" stroke="{colour}" stroke-width="3"'
                + (f' stroke-dasharray="{dash}"' if dash else "")
                + "/>"
            )
        else:
            parts.append(f'<rect x="{x}" y="{y - 10}" width="12" height="12" fill="{colour}"/>')
        parts.append(f'<text x="{x + 22}" y="{y}" fill="#0b0c0c">{escape(s.label)}</text>')
        x += 40 + 7 * len(s.label)
    return parts


def _vertical(chart: Chart) -> tuple[list[str], int]:
    n = len(chart.categories)
    left, top_pad, plot_h = 70, 20, 220
    plot_w = WIDTH - left - 20
    top = _max(chart)
    ticks = _ticks(top)
    scale_top = max(ticks[-1], top)
    parts: list[str] = []
    for t in ticks:
        y = top_pad + plot_h - plot_h * t / scale_top
        parts.append(f'<line x1="{left}" y1="{y:.1f}" x2="{WIDTH - 20}" y2="{y:.1f}" stroke="#d0d0d0"/>')
        parts.append(f'<text x="{left - 6}" y="{y + 4:.1f}" text-anchor="end" fill="#0b0c0c">{chart.format(t)}</text>')
    band = plot_w / max(n, 1)
    # Label every k-th category so the labels never overlap (all are in the table).
    every = max(1, int(n / (plot_w / 60)) + (1 if n > plot_w / 60 else 0))
    for i, cat in enumerate(chart.categories):
        cx = left + band * (i + 0.5)
        if i % every == 0:
            parts.append(
                f'<text x="{cx:.1f}" y="{top_pad + plot_h + 16}" text-anchor="middle" fill="#0b0c0c">'
                f"{escape(cat[:14])}</text>"
            )
    if chart.kind == "line":
        for si, s in enumerate(chart.series):
            colour, dash = PALETTE[si % len(PALETTE)], DASHES[si % len(DASHES)]
            points = [
                f"{left + band * (i + 0.5):.1f},{top_pad + plot_h - plot_h * v / scale_top:.1f}"
                for i, v in enumerate(s.values)
                if v is not None
            ]
            if points:
                parts.append(
                    f'<polyline fill="none" stroke="{colour}" stroke-width="2.5" points="{" ".join(points)}"'
                    + (f' stroke-dasharray="{dash}"' if dash else "")
                    + "/>"
                )
    else:
        k = max(len(chart.series), 1)
        bar_w = band * 0.8 / k
        for si, s in enumerate(chart.series):
            colour = PALETTE[si % len(PALETTE)]
            for i, v in enumerate(s.values):
                if not v:
                    continue
                h = plot_h * v / scale_top
                x = left + band * i + band * 0.1 + bar_w * si
                parts.append(
                    f'<rect x="{x:.1f}" y="{top_pad + plot_h - h:.1f}" width="{max(bar_w - 1, 1):.1f}" '
                    f'height="{h:.1f}" fill="{colour}"/>'
                )
    parts.append(
        f'<line x1="{left}" y1="{top_pad + plot_h}" x2="{WIDTH - 20}" y2="{top_pad + plot_h}" stroke="#0b0c0c"/>'
    )
    if chart.value_label:
        parts.append(f'<text x="{left}" y="12" fill="#0b0c0c">{escape(chart.value_label)}</text>')
    height = top_pad + plot_h + 30
    legend = _legend(chart, height + 10)
    return parts + legend, height + (24 if legend else 0)


def _horizontal(chart: Chart) -> tuple[list[str], int]:
    left, right = 230, 90
    row_h = 18 * max(len(chart.series), 1) + 8
    plot_w = WIDTH - left - right
    top = _max(chart)
    parts: list[str] = []
    y = 10
    for i, cat in enumerate(chart.categories):
        label = cat if len(cat) <= 34 else cat[:33] + "…"
        parts.append(
            f'<text x="{left - 8}" y="{y + row_h / 2 + 2:.1f}" text-anchor="end" fill="#0b0c0c">{escape(label)}</text>'
        )
        for si, s in enumerate(chart.series):
            v = s.values[i]
            w = plot_w * (v or 0) / top
            by = y + 4 + 18 * si
            parts.append(
                f'<rect x="{left}" y="{by}" width="{max(w, 0):.1f}" height="14" fill="{PALETTE[si % len(PALETTE)]}"/>'
            )
            parts.append(f'<text x="{left + w + 6:.1f}" y="{by + 11}" fill="#0b0c0c">{chart.format(v)}</text>')
        y += row_h
    parts.append(f'<line x1="{left}" y1="6" x2="{left}" y2="{y}" stroke="#0b0c0c"/>')
    legend = _legend(chart, y + 20)
    return parts + legend, y + (34 if legend else 10)


def chart_svg(chart: Chart, *, standalone: bool = False) -> str:
    """The chart as SVG markup; ``standalone`` adds the XML declaration for the download."""
    body, height = _horizontal(chart) if chart.kind == "hbar" else _vertical(chart)
    head = '<?xml version="1.0" encoding="UTF-8"?>\n' if standalone else ""
    return (
        f'{head}<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height}" width="100%" '
        f'role="img" aria-labelledby="chart-{chart.key}-title chart-{chart.key}-desc" {FONT} class="chart__svg">'
        f'<title id="chart-{chart.key}-title">{escape(chart.title)}</title>'
        f'<desc id="chart-{chart.key}-desc">{escape(chart.summary)}</desc>'
        f'<rect width="{WIDTH}" height="{height}" fill="#ffffff"/>' + "".join(body) + "</svg>"
    )


def chart_csv(chart: Chart) -> str:
    """The figures as CSV: machine-readable, so plain numbers (no grouping, no % sign)."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([chart.category_label or chart.title, *(s.label for s in chart.series)])
    for i, cat in enumerate(chart.categories):
        writer.writerow([_csv_safe(cat), *("" if s.values[i] is None else s.values[i] for s in chart.series)])
    return out.getvalue()


def _csv_safe(text: str) -> str:
    # A label starting with = + - @ would run as a formula in a spreadsheet (CSV injection).
    return "'" + text if text[:1] in ("=", "+", "-", "@") else text


def chart_download(request: "HttpRequest", charts: list[Chart]) -> "HttpResponse | None":
    """The download a page's ``?download=<key>.csv`` or ``.svg`` asks for, else None.

    Pages call this first with their charts, so the download carries exactly the figures of
    the page as filtered (the same query string). An unknown key or format is a 404.
    """
    from django.http import Http404, HttpResponse

    wanted = request.GET.get("download")
    if wanted is None:
        return None
    key, _dot, fmt = wanted.rpartition(".")
    chart = next((c for c in charts if c.key == key), None)
    if chart is None or fmt not in ("csv", "svg"):
        raise Http404
    if fmt == "csv":
        # A byte-order mark, so that spreadsheet programs read Cyrillic as UTF-8.
        response = HttpResponse("\ufeff" + chart_csv(chart), content_type="text/csv; charset=utf-8")
    else:
        response = HttpResponse(chart_svg(chart, standalone=True), content_type="image/svg+xml; charset=utf-8")
        # Opened directly, an SVG is a document: no scripts, no outside resources.
        response["Content-Security-Policy"] = "default-src 'none'; style-src 'unsafe-inline'"
    response["Content-Disposition"] = f'attachment; filename="{chart.key}.{fmt}"'
    return response


def download_query(request: "HttpRequest", key: str, fmt: str) -> str:
    """The page's own query string with ``download=<key>.<fmt>`` (for the download links)."""
    query = request.GET.copy()
    query.pop("download", None)
    query["download"] = f"{key}.{fmt}"
    return "?" + query.urlencode()
