"""Account forms on top of Django's auth forms (validators, hashing and tokens are Django's)."""

from django import forms
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import AuthenticationForm, BaseUserCreationForm, PasswordResetForm
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from portal.forms import NamedErrorsMixin


class SignUpForm(NamedErrorsMixin, BaseUserCreationForm):
    """E-mail, password twice (Django's validators) and the language for pages and e-mails."""

    email = forms.EmailField(
        label=_("E-mail address"),
        help_text=_("We will send a link to this address to check it is yours."),
        widget=forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": "false"}),
        error_messages={
            "required": _("Enter your e-mail address"),
            "invalid": _("Enter an e-mail address in the correct format, like name@example.com"),
        },
    )
    preferred_language = forms.ChoiceField(
        label=_("Language for pages and e-mails"),
        choices=settings.LANGUAGES,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose a language")},
    )

    class Meta:
        model = get_user_model()
        fields = ("email", "preferred_language")

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["preferred_language"].initial = translation.get_language()
        self.fields["password1"].error_messages["required"] = _("Enter a password")
        self.fields["password2"].error_messages["required"] = _("Enter the password again")
        # Django's hint is not translated into Kazakh or Uzbek.
        self.fields["password2"].help_text = _("Type the same password again, to check it.")

    def validate_unique(self) -> None:
        # An address that is already registered is handled by user_sign_up (it e-mails the
        # owner instead): saying "already exists" here would reveal who has an account.
        return


class SignInForm(NamedErrorsMixin, AuthenticationForm):
    username = forms.EmailField(
        label=_("E-mail address"),
        widget=forms.EmailInput(attrs={"autocomplete": "email", "autofocus": True, "spellcheck": "false"}),
        error_messages={"required": _("Enter your e-mail address")},
    )
    error_messages = {
        "invalid_login": _("Enter a correct e-mail address and password. Both are case-sensitive."),
        "inactive": _("This account is inactive."),
    }

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["password"].error_messages["required"] = _("Enter your password")

    def clean_username(self) -> str:
        return self.cleaned_data["username"].strip().lower()


class LocalisedPasswordResetForm(NamedErrorsMixin, PasswordResetForm):
    """Django's reset form, with the e-mail written in the account's own language.

    Django already answers the same way whether or not the address has an account.
    """

    def send_mail(
        self, subject_template_name, email_template_name, context, from_email, to_email, html_email_template_name=None
    ):
        user = context.get("user")
        language = getattr(user, "preferred_language", "") or settings.LANGUAGE_CODE
        with translation.override(language):
            super().send_mail(
                subject_template_name, email_template_name, context, from_email, to_email, html_email_template_name
            )


class ResendVerificationForm(NamedErrorsMixin, forms.Form):
    """No fields: the signed-in (unverified) user asks for another link."""
