from datetime import date

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from applications.cards.forms import DateInput
from portal.inputs import CheckedForm


class AbsenceForm(CheckedForm):
    """The holder's declaration of one absence from Kazakhstan."""

    left_on = forms.DateField(
        label=_("Date you left Kazakhstan"),
        widget=DateInput,
        error_messages={"required": _("Enter the date you left."), "invalid": _("Enter a real date.")},
    )
    returned_on = forms.DateField(
        label=_("Date you came back"),
        required=False,
        widget=DateInput,
        help_text=_("Leave this empty if you are still abroad."),
        error_messages={"invalid": _("Enter a real date.")},
    )

    def clean(self) -> dict:
        data = super().clean()
        today = timezone.localdate()
        left_on: date | None = data.get("left_on")
        returned_on: date | None = data.get("returned_on")
        if left_on is not None and left_on > today:
            self.add_error("left_on", _("The date must not be in the future."))
        if returned_on is not None and returned_on > today:
            self.add_error("returned_on", _("The date must not be in the future."))
        elif returned_on is not None and left_on is not None and returned_on < left_on:
            self.add_error("returned_on", _("The date you came back must be on or after the date you left."))
        return data
