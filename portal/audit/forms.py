from datetime import date

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.forms import NamedErrorsMixin

ISO_DATE = "%Y-%m-%d"


def _date_field(label) -> forms.DateField:
    # A native date picker posts ISO dates whatever the page's language.
    return forms.DateField(
        label=label,
        input_formats=[ISO_DATE],
        widget=forms.DateInput(attrs={"type": "date"}, format=ISO_DATE),
        help_text=_("For example 2026-03-31"),
    )


class AuditExportForm(NamedErrorsMixin, forms.Form):
    """The period of an audit-trail export, first and last day included (Kazakhstan time)."""

    start = _date_field(_("First day"))
    end = _date_field(_("Last day"))

    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start and end and end < start:
            self.add_error("end", _("The last day must be the same as or after the first day."))
        if end and end > timezone.localdate():
            self.add_error("end", _("The last day cannot be in the future."))
        return data

    def period(self) -> tuple[date, date]:
        return self.cleaned_data["start"], self.cleaned_data["end"]
