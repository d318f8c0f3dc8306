from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from applications.models import Document
from portal.forms import NamedErrorsMixin


class DocumentUploadForm(NamedErrorsMixin, forms.Form):
    kind = forms.ChoiceField(label=_("What is this document?"), choices=Document.Kind.choices)
    file = forms.FileField(
        label=_("Choose the file"),
        help_text=_("JPEG, PNG, HEIC photo or PDF. Up to 10 MB; business accounts up to 20 MB."),
        error_messages={"required": _("Choose a file to upload"), "empty": _("The file is empty.")},
    )
