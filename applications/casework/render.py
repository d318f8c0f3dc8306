"""HTML of the queue page's table rows and filter fields, built in Python.

Measured on the 100,000-case benchmark: the Django template loop over 50 rows × 12 cells took
about half the page time, and the filter form's loops over ~60 select options most of the
rest; the same markup built here is several times cheaper. The markup mirrors
templates/applications/casework/queue.html and partials/field.html; every value is escaped.
"""

import html
from collections.abc import Iterable

from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from portal.display import date_display

DASH = "—"


def queue_rows_html(cases: Iterable, *, case_url: str, is_senior: bool) -> SafeString:
    """One <tr> per case: one f-string per row, values escaped with the standard library's
    html.escape (what Django's escape calls, without its lazy-string and SafeString handling)."""
    reply_tag = f' <span class="tag tag--yellow">{_e(_("Reply received"))}</span>'
    overdue_tag = f' <span class="tag tag--red">{_e(_("No reply by deadline"))}</span>'
    select_label = _("Select %(ref)s")
    case_url = _e(case_url)
    tz = timezone.get_current_timezone()
    out = []
    for case in cases:
        pk, reference = case.pk, _e(case.reference)
        select = (
            f'<td><input type="checkbox" name="cases" value="{pk}" id="case-{pk}"'
            f' aria-label="{_e(select_label % {"ref": case.reference})}"></td>'
            if is_senior
            else ""
        )
        tags = (reply_tag if case.has_reply else "") + (overdue_tag if case.rfi_overdue else "")
        submitted = date_display(case.submitted_at.astimezone(tz)) if case.submitted_at else ""
        sla = (
            f'<span class="tag {"tag--red" if case.sla_overdue else "tag--grey"}">{_e(case.sla_text)}</span>'
            if case.sla_text
            else ""
        )
        claimed = (case.claimed_name or case.claimed_email) if case.claimed_by_id else DASH
        out.append(
            f'<tr>{select}<td><a href="{case_url}{pk}/">{reference}</a>{tags}</td>'
            f"<td>{_e(case.applicant_name)}</td><td>{_e(case.product_label)}</td><td>{_e(case.state_label)}</td>"
            f"<td>{_e(case.region_name or DASH)}</td><td>{_e(case.sector_label or DASH)}</td>"
            f"<td>{DASH if case.score is None else case.score}</td><td>{case.priority}</td><td>{submitted}</td>"
            f"<td>{sla}</td><td>{_e(claimed)}</td></tr>"
        )
    if not out:
        out.append(f'<tr><td colspan="12">{_e(_("No cases match."))}</td></tr>')
    return mark_safe("\n".join(out))  # noqa: S308 - every value escaped above  # nosec B308 B703


def _e(value) -> str:
    return html.escape(str(value), quote=True)


def queue_filters_html(form) -> SafeString:
    """The filter form's fields: label, inline errors (described by), then a select or an input
    holding what the user submitted. Reads form.fields / data / errors directly: a BoundField
    per field costs more than the markup."""
    error_prefix = _e(_("Error:"))
    errors = form.errors
    data = form.data
    out = []
    for name, field in form.fields.items():
        fid = f"id_{form.add_prefix(name)}"
        field_errors = errors.get(name, ())
        current = data.get(form.add_prefix(name), "") if form.is_bound else form.initial.get(name, field.initial)
        current = "" if current is None else str(current)
        parts = [
            f'<div class="form-group{" form-group--error" if field_errors else ""}">',
            f'<label class="label" for="{fid}">{_e(field.label)}</label>',
        ]
        for error in field_errors:
            parts.append(
                f'<p class="error-message" id="{fid}-error"><span class="visually-hidden">{error_prefix}</span>'
                f" {_e(error)}</p>"
            )
        attrs = f'id="{fid}" name="{_e(form.add_prefix(name))}"' + (
            f' aria-describedby="{fid}-error"' if field_errors else ""
        )
        choices = getattr(field, "choices", None)
        if choices:
            options = "".join(
                f'<option value="{_e(value)}"{" selected" if str(value) == current else ""}>{_e(label)}</option>'
                for value, label in choices
            )
            parts.append(f'<select class="select" {attrs}>{options}</select>')
        else:
            kind = "search" if name == "q" else "number"
            parts.append(f'<input class="input" {attrs} value="{_e(current)}" type="{kind}">')
        parts.append("</div>")
        out.append("".join(parts))
    return mark_safe("\n".join(out))  # noqa: S308 - every value escaped above  # nosec B308 B703
