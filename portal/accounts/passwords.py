"""Django's password validators with the portal's own messages and help texts.

Django's are not translated into Kazakh or Uzbek (and Chinese only in part), so the sign-up
page showed English rules and errors. The checks are Django's; only the wording is ours,
in locale_src/ like every other portal string. Named in settings.AUTH_PASSWORD_VALIDATORS.
"""

from django.contrib.auth import password_validation as django_validators
from django.utils.translation import gettext as _
from django.utils.translation import ngettext


class MinimumLengthValidator(django_validators.MinimumLengthValidator):
    def get_error_message(self) -> str:
        return ngettext(
            "The password is too short: use at least %(min_length)d character.",
            "The password is too short: use at least %(min_length)d characters.",
            self.min_length,
        ) % {"min_length": self.min_length}

    def get_help_text(self) -> str:
        return ngettext(
            "Use at least %(min_length)d character.", "Use at least %(min_length)d characters.", self.min_length
        ) % {"min_length": self.min_length}


class UserAttributeSimilarityValidator(django_validators.UserAttributeSimilarityValidator):
    def get_error_message(self) -> str:
        # Django fills %(verbose_name)s with the user field's (translated) name.
        return _("The password is too much like your %(verbose_name)s.")

    def get_help_text(self) -> str:
        return _("Do not make it like your e-mail address or name.")


class CommonPasswordValidator(django_validators.CommonPasswordValidator):
    def get_error_message(self) -> str:
        return _("This password is one of the most common: choose one that is harder to guess.")

    def get_help_text(self) -> str:
        return _("Do not use a common password.")


class NumericPasswordValidator(django_validators.NumericPasswordValidator):
    def get_error_message(self) -> str:
        return _("The password cannot be only numbers.")

    def get_help_text(self) -> str:
        return _("Do not use only numbers.")
