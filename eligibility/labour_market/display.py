"""How a proposal row was reached, in words (in the page's language)."""

from __future__ import annotations

from django.utils.formats import number_format
from django.utils.translation import gettext as _

from eligibility.labour_market.models import ProposalRow


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
