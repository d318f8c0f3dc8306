from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from applications.documents.policy import upload_limits
from applications.models import Document
from portal.forms import NamedErrorsMixin


def file_field_limits(field: forms.Field, kinds: list[str]) -> None:
    """State the limits of ``kinds`` above a file input, and filter the picker to their types."""
    labels = dict(Document.Kind.choices)
    limits = upload_limits(kinds, label=lambda kind: str(labels.get(kind, kind)))
    field.help_text = limits.hint
    field.widget.attrs["accept"] = limits.accept


class DocumentUploadForm(NamedErrorsMixin, forms.Form):
    kind = forms.ChoiceField(label=_("What is this document?"), choices=Document.Kind.choices)
    file = forms.FileField(
        label=_("Choose the file"),
        error_messages={"required": _("Choose a file to upload"), "empty": _("The file is empty.")},
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        file_field_limits(self.fields["file"], list(Document.Kind.values))
