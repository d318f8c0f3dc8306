"""Account forms on top of Django's auth forms (validators, hashing and tokens are Django's)."""

from django import forms
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import AuthenticationForm, BaseUserCreationForm, PasswordResetForm
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from portal.accounts.services import absolute, account_email_send, user_language
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
    """Django's reset form, with every e-mail sent through the account e-mail path.

    The reset e-mail is written in the account's own language. An address without an
    (active) account gets an e-mail saying so, in the language of the page: both branches
    then render and send one e-mail through ``account_email_send``, within the same limits,
    so neither the page nor its timing tells an attacker which addresses are registered
    (issue 13; Django alone sends nothing for unknown addresses, which answers faster).
    """

    def save(self, *args, request=None, **kwargs) -> None:
        self._request = request
        self._sent_to_account = False
        super().save(*args, request=request, **kwargs)
        if not self._sent_to_account:
            email = self.cleaned_data["email"]
            account_email_send(
                to=email,
                language=translation.get_language() or settings.LANGUAGE_CODE,
                template="password_reset_no_account",
                context={"email": email, "signup_link": absolute(request, reverse("accounts:signup"))},
                request=request,
            )

    def send_mail(
        self, subject_template_name, email_template_name, context, from_email, to_email, html_email_template_name=None
    ) -> None:
        self._sent_to_account = True
        account_email_send(
            to=to_email,
            language=user_language(context["user"]),
            template="password_reset",
            context=context,
            request=self._request,
        )


class ResendVerificationForm(NamedErrorsMixin, forms.Form):
    """No fields: the signed-in (unverified) user asks for another link."""
