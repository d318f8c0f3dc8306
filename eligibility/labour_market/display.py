"""How a proposal row was reached, in words (in the page's language)."""

from __future__ import annotations

from django.utils.formats import number_format
from django.utils.translation import gettext as _

from eligibility.labour_market.models import ProposalRow, QuotaProposalRow
from eligibility.occupations import occupation_title


def _pct(value: float) -> str:
    return number_format(value * 100, 0)


def _signed_pct(value: float) -> str:
    sign = "+" if value >= 0 else "−"
    return sign + number_format(abs(value) * 100, 1)


def row_reasons(row: ProposalRow, *, long_open_days: int) -> list[str]:
    """The indicators of a row with their percentile among all occupations, then the score
    and, when an administrator changed the model's priority, their reason."""
    explanation = row.indicators or {}
    ind = explanation.get("indicators", {})
    parts = explanation.get("parts", {})
    counts = explanation.get("counts", {})
    lines = []
    if ind.get("vacancy_ratio") is not None:
        lines.append(
            _(
                "%(ratio)s vacancies per job seeker (%(vacancies)s vacancies, %(seekers)s job seekers), "
                "higher than %(pct)s%% of occupations"
            )
            % {
                "ratio": number_format(ind["vacancy_ratio"], 2),
                "vacancies": number_format(counts.get("vacancies_posted", 0), force_grouping=True),
                "seekers": number_format(counts.get("job_seekers", 0), force_grouping=True),
                "pct": _pct(parts.get("vacancy_ratio") or 0),
            }
        )
    if ind.get("long_open_share") is not None:
        lines.append(
            _("%(share)s%% of vacancies open longer than %(days)s days, higher than %(pct)s%% of occupations")
            % {
                "share": _pct(ind["long_open_share"]),
                "days": long_open_days,
                "pct": _pct(parts.get("long_open_share") or 0),
            }
        )
    if ind.get("wage_growth") is not None and ind.get("wage_growth_median") is not None:
        lines.append(
            _(
                "wages %(growth)s%% in a year against %(median)s%% for all occupations, "
                "higher than %(pct)s%% of occupations"
            )
            % {
                "growth": _signed_pct(ind["wage_growth"]),
                "median": _signed_pct(ind["wage_growth_median"]),
                "pct": _pct(parts.get("wage_growth_gap") or 0),
            }
        )
    if ind.get("employment_growth") is not None:
        lines.append(
            _("employment %(growth)s%% in a year, higher than %(pct)s%% of occupations")
            % {"growth": _signed_pct(ind["employment_growth"]), "pct": _pct(parts.get("employment_growth") or 0)}
        )
    if explanation.get("few"):
        lines.append(_("too few vacancies to judge: no priority"))
    if row.score is not None:
        lines.append(_("shortage score %(score)s of 1") % {"score": number_format(row.score, 2)})
    if row.reason:
        lines.append(_("changed by an administrator: %(reason)s") % {"reason": row.reason})
    return lines


def priority_display(priority: int | None) -> str:
    return _("Priority %(n)s") % {"n": priority} if priority else _("Not rated")


def _num(value: float, places: int = 0) -> str:
    return number_format(value, places, force_grouping=True)


def quota_row_reasons(row: QuotaProposalRow, *, long_open_days: int, unrated_weight: float) -> list[str]:
    """How a quota proposal row's places were reached, one sentence per term, then this year's
    quota and the administrator's reason when they changed the places."""
    data = row.inputs or {}
    inputs = data.get("inputs", {})
    terms = data.get("terms", {})
    lines = [
        _("%(n)s approvals this year, counted as %(term)s places")
        % {"n": _num(inputs.get("approved", 0)), "term": _num(terms.get("uptake", 0), 1)},
        _("%(n)s cases waiting for a place, counted as %(term)s places")
        % {"n": _num(inputs.get("waiting", 0)), "term": _num(terms.get("waiting", 0), 1)},
        _(
            "%(rated)s unfilled vacancies in rated occupations and %(unrated)s in others (counted at "
            "%(weight)s%%), open longer than %(days)s days beyond the local job seekers: %(term)s places"
        )
        % {
            "rated": _num(inputs.get("unfilled_rated", 0)),
            "unrated": _num(inputs.get("unfilled_unrated", 0)),
            "weight": _num(unrated_weight * 100),
            "days": long_open_days,
            "term": _num(terms.get("demand_term", 0), 1),
        },
    ]
    top = inputs.get("top") or []
    if top:
        lines.append(
            _("most unfilled vacancies: %(list)s")
            % {
                "list": ", ".join(
                    _("%(title)s (%(code)s) %(n)s") % {"title": occupation_title(code), "code": code, "n": _num(n)}
                    for code, n in top
                )
            }
        )
    lines.append(
        _("total %(total)s, rounded up to %(places)s places")
        % {"total": _num(terms.get("total", 0), 1), "places": _num(row.model_places)}
    )
    if data.get("capped"):
        lines.append(_("limited to the ceiling of the proposal"))
    if inputs.get("places_now") is not None:
        lines.append(
            _("this year's quota: %(used)s of %(places)s places used")
            % {"used": _num(inputs.get("used_now") or 0), "places": _num(inputs["places_now"])}
        )
    if row.reason:
        lines.append(_("changed by an administrator: %(reason)s") % {"reason": row.reason})
    return lines
