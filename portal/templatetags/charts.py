"""``{% chart c %}``: a chart with its summary, drawing, data table and downloads (portal/charts.py)."""

from typing import Any

from django import template
from django.utils.safestring import mark_safe

from portal.charts import Chart, chart_svg, download_query

register = template.Library()


@register.inclusion_tag("partials/chart.html", takes_context=True)
def chart(context: dict[str, Any], chart: Chart, heading_level: int = 2) -> dict[str, Any]:
    request = context.get("request")
    return {
        "chart": chart,
        # The SVG is built by chart_svg, which escapes every label it writes.
        "svg": mark_safe(chart_svg(chart)),  # noqa: S308 - escaped in chart_svg  # nosec B308 B703
        "heading": f"h{min(max(heading_level, 2), 4)}",
        "csv_url": download_query(request, chart.key, "csv") if request else "",
        "svg_url": download_query(request, chart.key, "svg") if request else "",
    }
