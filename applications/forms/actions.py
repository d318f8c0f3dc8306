"""Forms of what an applicant does with an application besides filling its sections:
upload a document, submit, reply to a request for information, withdraw.
"""

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from applications.documents.forms import file_field_limits
from applications.documents.policy import pages_hint
from applications.forms.fields import MultipleFileField
from portal.inputs import CheckedForm


class DocumentUploadForm(CheckedForm):
    file = forms.FileField(
        label=_("Choose a file"),
        error_messages={"required": _("Choose a file to upload"), "empty": _("The chosen file is empty")},
    )

    def __init__(self, *args: Any, kind: str = "other", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        file_field_limits(self.fields["file"], [kind])
        # Each file is one page of the document: the page limits are stated before picking too.
        self.fields["file"].help_text = f"{self.fields['file'].help_text} {pages_hint()}"


class SubmitForm(CheckedForm):
    confirm = forms.BooleanField(
        label=_("I confirm that the information in this application is true and complete"),
        error_messages={"required": _("Confirm that the information is true and complete")},
    )


# A reply carries at most this many files (each is checked by the document pipeline).
REPLY_MAX_FILES = 5


class AttachmentsForm(CheckedForm):
    """Optional files beside a text (a reply, a review request): stored as "other" documents
    through the one upload pipeline, at most REPLY_MAX_FILES of them."""

    files = MultipleFileField(label=_("Attach documents (optional)"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        file_field_limits(self.fields["files"], ["other"])
        self.fields["files"].help_text += " " + gettext("No more than %(count)s files.") % {"count": REPLY_MAX_FILES}

    def clean_files(self) -> list:
        files = self.cleaned_data.get("files") or []
        if len(files) > REPLY_MAX_FILES:
            raise ValidationError(_("Attach no more than 5 files"), code="too_many")
        return files


class ReplyForm(AttachmentsForm):
    text = forms.CharField(
        label=_("Your reply"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={"required": _("Enter your reply")},
    )
    field_order = ["text", "files"]


class WithdrawForm(CheckedForm):
    confirm = forms.ChoiceField(
        label=_("Are you sure you want to withdraw this application?"),
        choices=[("yes", _("Yes, withdraw it")), ("no", _("No, keep it"))],
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose yes to withdraw, or no to keep the application")},
    )


class ReviewRequestForm(AttachmentsForm):
    """Asking for an administrative review of a refusal: grounds, and optional documents."""

    grounds = forms.CharField(
        label=_("Why should the decision be reviewed?"),
        help_text=_("Say which part of the decision you think is wrong and why."),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 8}),
        error_messages={"required": _("Enter why the decision should be reviewed")},
    )
    field_order = ["grounds", "files"]


class ReviewWithdrawForm(CheckedForm):
    confirm = forms.ChoiceField(
        label=_("Are you sure you want to withdraw your request for a review?"),
        choices=[("yes", _("Yes, withdraw the request")), ("no", _("No, keep the request"))],
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose yes to withdraw the request, or no to keep it")},
    )
