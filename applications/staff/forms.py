from django import forms
from django.utils.translation import gettext_lazy as _

from portal.forms import NamedErrorsMixin


class CaseSearchForm(NamedErrorsMixin, forms.Form):
    q = forms.CharField(
        label=_("Reference or name"),
        max_length=100,
        help_text=_("A full reference such as KC-2026-000123, or part of the applicant's name."),
        error_messages={"required": _("Enter a reference or a name to search for.")},
    )
