"""The dashboards: each turns one selector's figures into charts with their summaries in words.

One entry per page in ``DASHBOARDS`` (slug, title, builder); the views and the URLs read it.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from applications.analytics import selectors as s
from portal.charts import Chart, Series


@dataclass
class Table:
    """A plain table shown on a dashboard beside its charts (first column: row headers)."""

    caption: str
    headers: list[str]
    rows: list[list[str]]
    note: str = ""


def _days(hours: int | None) -> float | None:
    return None if hours is None else round(hours / 24, 1)


def flows_charts(f: dict[str, Any]) -> list[Chart]:
    data = s.flows(f)
    labels = [s.month_label(m) for m in data["months"]]
    totals = data["totals"]
    summary = _(
        "%(period)s: %(submitted)s applications submitted, %(approved)s approved, %(refused)s refused, "
        "%(issued)s cards issued and %(withdrawn)s withdrawn."
    ) % {
        "period": s.period_text(f),
        "submitted": s.n(totals["submit"]),
        "approved": s.n(totals["approve"]),
        "refused": s.n(totals["refuse"]),
        "issued": s.n(totals["issue"]),
        "withdrawn": s.n(totals["withdraw"]),
    }
    busiest = max(range(len(labels)), key=lambda i: data["series"]["submit"][i], default=None)
    if busiest is not None and data["series"]["submit"][busiest]:
        summary += " " + _("Most submissions came in %(month)s (%(count)s).") % {
            "month": labels[busiest],
            "count": s.n(data["series"]["submit"][busiest]),
        }
    return [
        Chart(
            key="flows",
            title=_("Applications per month"),
            summary=summary,
            categories=labels,
            series=[Series(str(label), data["series"][event]) for event, label in s.FLOW_EVENTS.items()],
            kind="line",
            category_label=_("Month"),
            value_label=_("Applications"),
        )
    ]


def funnel_charts(f: dict[str, Any]) -> list[Chart]:
    data = s.funnel(f)
    steps = data["steps"]
    parts = [_("%(step)s: %(count)s") % {"step": label, "count": s.n(v)} for _k, label, v in steps if v is not None]
    summary = s.period_text(f) + ". " + "; ".join(parts) + "."
    submitted, issued = steps[2][2], steps[4][2]
    if submitted:
        summary += " " + _("%(share)s%% of the applications submitted have a card issued so far.") % {
            "share": s.n(s.pct(issued, submitted) or 0, 1)
        }
    notes = []
    if data["early_filtered_out"]:
        notes.append(
            _(
                "Self-check runs and drafts are counted before any answer is known: they are not shown "
                "when a region, sector, citizenship or occupation is chosen."
            )
        )
    shown = [(label, v) for _k, label, v in steps if v is not None]
    return [
        Chart(
            key="funnel",
            title=_("From self-check to card"),
            summary=summary,
            categories=[label for label, _v in shown],
            series=[Series(_("Count"), [v for _l, v in shown])],
            kind="bar",
            category_label=_("Step"),
            value_label=_("Count"),
            notes=notes,
        )
    ]


def processing_charts(f: dict[str, Any]) -> list[Chart]:
    data = s.processing(f)
    stages = data["stages"]
    if stages:
        slowest = max(stages, key=lambda st: st["median"] or 0)
        summary = _(
            "%(period)s: time spent in each stage, counted when a case left it. The longest median wait is "
            "“%(stage)s”: %(median)s days (90%% of cases within %(p90)s days)."
        ) % {
            "period": s.period_text(f),
            "stage": slowest["stage"],
            "median": s.n(_days(slowest["median"]) or 0, 1),
            "p90": s.n(_days(slowest["p90"]) or 0, 1),
        }
    else:
        summary = _("%(period)s: no case left a stage.") % {"period": s.period_text(f)}
    if data["rate"] is not None:
        sla_summary = _("%(period)s: %(breached)s of %(decided)s decisions (%(rate)s%%) came after the deadline.") % {
            "period": s.period_text(f),
            "breached": s.n(data["breached"]),
            "decided": s.n(data["decided"]),
            "rate": s.n(data["rate"], 1),
        }
    else:
        sla_summary = _("%(period)s: no decisions.") % {"period": s.period_text(f)}
    return [
        Chart(
            key="stage-times",
            title=_("Days spent in each stage"),
            summary=summary,
            categories=[st["stage"] for st in stages],
            series=[
                Series(_("Median"), [_days(st["median"]) for st in stages]),
                Series(_("90th percentile"), [_days(st["p90"]) for st in stages]),
            ],
            kind="hbar",
            category_label=_("Stage"),
            value_label=_("Days"),
            decimals=1,
        ),
        Chart(
            key="sla",
            title=_("Decisions after the deadline, per queue"),
            summary=sla_summary,
            categories=[q["name"] for q in data["queues"]],
            series=[Series(_("Share after the deadline"), [q["rate"] for q in data["queues"]])],
            kind="hbar",
            category_label=_("Queue"),
            value_label=_("Share after the deadline"),
            decimals=1,
            percent=True,
        ),
    ]


def outcomes_charts(f: dict[str, Any]) -> list[Chart]:
    versions = s.outcomes(f)["versions"]
    parts = [
        _("%(version)s: %(rate)s%% approved") % {"version": v["label"], "rate": s.n(v["approval_rate"], 1)}
        for v in versions
        if v["approval_rate"] is not None
    ]
    summary = s.period_text(f) + ". " + ("; ".join(parts) + "." if parts else _("No decisions."))
    return [
        Chart(
            key="outcomes",
            title=_("Decisions by criteria version"),
            summary=summary,
            categories=[v["label"] for v in versions],
            series=[
                Series(str(label), [v["counts"][i] for v in versions])
                for i, label in enumerate(s.OUTCOME_EVENTS.values())
            ],
            kind="hbar",
            category_label=_("Criteria version"),
            value_label=_("Decisions"),
        )
    ]


def quotas_charts(f: dict[str, Any]) -> list[Chart | Table]:
    data = s.quotas(f)
    rows = data["rows"]
    full = [r for r in rows if r["remaining"] == 0]
    soon = sorted(
        (r for r in rows if r["runs_out"] and r["runs_out"].year == data["year"]), key=lambda r: r["runs_out"]
    )
    summary = _("%(year)s: %(count)s quotas, %(full)s of them full.") % {
        "year": data["year"],
        "count": s.n(len(rows)),
        "full": s.n(len(full)),
    }
    if soon:
        summary += " " + _("At this year's pace the next to run out is %(quota)s, on %(date)s.") % {
            "quota": soon[0]["label"],
            "date": soon[0]["status"],
        }
    # The burn-down draws the quotas closest to running out (at most seven lines stay readable);
    # every quota is in the table of the first chart.
    closest = sorted(rows, key=lambda r: (r["remaining"] / r["places"] if r["places"] else 0, r["label"]))[:7]
    projection = Table(
        caption=_("When each quota runs out"),
        headers=[_("Quota"), _("Places"), _("Used"), _("Left"), _("Runs out")],
        rows=[[r["label"], s.n(r["places"]), s.n(r["used"]), s.n(r["remaining"]), r["status"]] for r in rows],
        note=_(
            "The projected date assumes places go at this year's pace so far (places used per day since 1 January)."
        ),
    )
    return [
        projection,
        Chart(
            key="quota-use",
            title=_("Places used and left per quota"),
            summary=summary,
            categories=[r["label"] for r in rows],
            series=[Series(_("Used"), [r["used"] for r in rows]), Series(_("Left"), [r["remaining"] for r in rows])],
            kind="hbar",
            category_label=_("Quota"),
            value_label=_("Places"),
            notes=[
                _("Quotas are set per product, sector and region: the citizenship and occupation filters do not apply.")
            ],
        ),
        Chart(
            key="burn-down",
            title=_("Places left at the end of each month"),
            summary=_("The %(count)s quotas closest to running out, month by month in %(year)s.")
            % {"count": s.n(len(closest)), "year": data["year"]},
            categories=[s.month_label(m) for m in data["months"]],
            series=[Series(r["label"], r["remaining_by_month"]) for r in closest],
            kind="line",
            category_label=_("Month"),
            value_label=_("Places left"),
        ),
    ]


def settlement_charts(f: dict[str, Any]) -> list[Chart]:
    data = s.settlement(f)
    if data["total"]:
        summary = _(
            "%(period)s: %(total)s cards issued; %(deficient)s (%(share)s%%) to people settling in "
            "labour-deficient regions."
        ) % {
            "period": s.period_text(f),
            "total": s.n(data["total"]),
            "deficient": s.n(data["deficient"]),
            "share": s.n(data["share"], 1),
        }
    else:
        summary = _("%(period)s: no cards issued.") % {"period": s.period_text(f)}
    return [
        Chart(
            key="settlement",
            title=_("Where holders settle"),
            summary=summary,
            categories=[name for name, _n in data["regions"]],
            series=[Series(_("Cards issued"), [count for _name, count in data["regions"]])],
            kind="hbar",
            category_label=_("Region"),
            value_label=_("Cards issued"),
            notes=[_("Labour-deficient regions are those on the kandas or internal resettlement lists.")],
        )
    ]


def indicators_charts(f: dict[str, Any]) -> list[Chart]:
    data = s.indicators(f)
    labels = [s.month_label(m) for m in data["months"]]
    if data["approved"]:
        q_summary = _(
            "%(period)s: %(qualified)s of %(approved)s approved applicants (%(share)s%%) have higher or "
            "vocational education."
        ) % {
            "period": s.period_text(f),
            "qualified": s.n(data["qualified"]),
            "approved": s.n(data["approved"]),
            "share": s.n(data["qualified_total_share"], 1),
        }
    else:
        q_summary = _("%(period)s: no approvals.") % {"period": s.period_text(f)}
    if data["arrivals_total"]:
        a_summary = _(
            "%(period)s: %(north_east)s of %(total)s arrivals (%(share)s%%) in the northern and eastern regions."
        ) % {
            "period": s.period_text(f),
            "north_east": s.n(data["north_east_total"]),
            "total": s.n(data["arrivals_total"]),
            "share": s.n(data["north_east_share"], 1),
        }
    else:
        a_summary = _("%(period)s: no arrivals.") % {"period": s.period_text(f)}
    return [
        Chart(
            key="qualified",
            title=_("Share of qualified people among approved applicants"),
            summary=q_summary,
            categories=labels,
            series=[Series(_("Higher or vocational education"), data["qualified_share"])],
            kind="line",
            category_label=_("Month"),
            value_label=_("Share of approved applicants"),
            decimals=1,
            percent=True,
        ),
        Chart(
            key="north-east",
            title=_("Arrivals in the northern and eastern regions"),
            summary=a_summary,
            categories=labels,
            series=[
                Series(_("Northern and eastern regions"), data["north_east"]),
                Series(_("All regions"), data["arrivals"]),
            ],
            kind="bar",
            category_label=_("Month"),
            value_label=_("Cards issued"),
            notes=[
                _("Arrivals are cards issued, by the region of arrival. Northern and eastern regions: %(regions)s.")
                % {"regions": ", ".join(data["north_east_regions"])}
            ],
        ),
    ]


@dataclass(frozen=True)
class Dashboard:
    slug: str
    title: Promise
    description: Promise
    # The page's parts in order: charts, and tables of figures that are not a chart's.
    charts: Callable[[dict[str, Any]], list[Chart | Table]]


DASHBOARDS = (
    Dashboard(
        "flows",
        gettext_lazy("Flows"),
        gettext_lazy("Applications submitted, decided and issued per month."),
        flows_charts,
    ),
    Dashboard(
        "funnel",
        gettext_lazy("Funnel"),
        gettext_lazy("Self-check runs, drafts, submitted, decided and issued."),
        funnel_charts,
    ),
    Dashboard(
        "processing",
        gettext_lazy("Processing time"),
        gettext_lazy("Median and 90th percentile time per stage, and decisions after the deadline per queue."),
        processing_charts,
    ),
    Dashboard(
        "outcomes",
        gettext_lazy("Outcomes by criteria version"),
        gettext_lazy("Approvals and refusals under each version of the criteria."),
        outcomes_charts,
    ),
    Dashboard(
        "quotas",
        gettext_lazy("Quota burn-down"),
        gettext_lazy("Places used and left, and when each quota runs out at the present pace."),
        quotas_charts,
    ),
    Dashboard(
        "settlement",
        gettext_lazy("Where holders settle"),
        gettext_lazy("Cards issued per region of arrival, and the share in labour-deficient regions."),
        settlement_charts,
    ),
    Dashboard(
        "indicators",
        gettext_lazy("Target indicators"),
        gettext_lazy(
            "The policy paper's measures: qualified people among approved applicants, arrivals in the north and east."
        ),
        indicators_charts,
    ),
)
BY_SLUG = {d.slug: d for d in DASHBOARDS}
