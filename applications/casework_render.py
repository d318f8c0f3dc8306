"""HTML of the queue table rows, built in Python.

Measured on the 100,000-case benchmark: the Django template loop over 50 rows × 12 cells took
about half the page time; the same markup from format_html is several times cheaper. The
markup mirrors templates/applications/casework/queue.html; every value is escaped.
"""

from collections.abc import Iterable

from django.utils import timezone
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

DASH = "—"


def queue_rows_html(cases: Iterable, *, case_url: str, is_senior: bool) -> SafeString:
    reply_tag = format_html(' <span class="tag tag--yellow">{}</span>', _("Reply received"))
    overdue_tag = format_html(' <span class="tag tag--red">{}</span>', _("No reply by deadline"))
    select_label = _("Select %(ref)s")
    out = []
    for case in cases:
        cells = []
        if is_senior:
            cells.append(
                format_html(
                    '<td><input type="checkbox" name="cases" value="{}" id="case-{}" aria-label="{}"></td>',
                    case.pk,
                    case.pk,
                    select_label % {"ref": case.reference},
                )
            )
        cells.append(
            format_html(
                '<td><a href="{}{}/">{}</a>{}{}</td>',
                case_url,
                case.pk,
                case.reference,
                reply_tag if case.has_reply else "",
                overdue_tag if case.rfi_overdue else "",
            )
        )
        claimed = case.claimed_by
        submitted = timezone.localtime(case.submitted_at).strftime("%Y-%m-%d") if case.submitted_at else ""
        sla = (
            format_html(
                '<span class="tag {}">{}</span>', "tag--red" if case.sla_overdue else "tag--grey", case.sla_text
            )
            if case.sla_text
            else ""
        )
        for value in (
            case.applicant_name,
            case.product_label,
            case.state_label,
            case.region.name if case.region_id else DASH,
            case.sector_label or DASH,
            DASH if case.score is None else case.score,
            case.priority,
            submitted,
        ):
            cells.append(f"<td>{escape(value)}</td>")
        cells.append(f"<td>{sla}</td>")
        cells.append(f"<td>{escape((claimed.full_name or claimed.email) if claimed else DASH)}</td>")
        out.append("<tr>" + "".join(cells) + "</tr>")
    if not out:
        out.append(format_html('<tr><td colspan="12">{}</td></tr>', _("No cases match.")))
    return mark_safe("\n".join(out))  # noqa: S308 - built from escaped values and format_html above
