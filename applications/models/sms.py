from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class PhoneNumber(models.Model):
    """An account's mobile number for SMS, and the code that verifies a new one.

    One row per account. ``number`` receives SMS only once ``verified_at`` is set; a number
    being added waits in ``pending_number`` with a hashed, expiring code and an attempt
    count (applications/sms/services.py owns every write).
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="phone", verbose_name=_("user")
    )
    # E.164, e.g. +77011234567 (ITU-T E.164 allows at most 15 digits).
    number = models.CharField(_("phone number"), max_length=16, blank=True)
    verified_at = models.DateTimeField(_("verified at"), null=True, blank=True)
    pending_number = models.CharField(_("number being verified"), max_length=16, blank=True)
    code_hash = models.CharField(_("code hash"), max_length=128, blank=True)
    code_sent_at = models.DateTimeField(_("code sent at"), null=True, blank=True)
    code_expires_at = models.DateTimeField(_("code expires at"), null=True, blank=True)
    code_attempts = models.PositiveSmallIntegerField(_("code attempts"), default=0)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("phone number")
        verbose_name_plural = _("phone numbers")

    def __str__(self) -> str:
        return f"phone of {self.user_id}"

    @property
    def is_verified(self) -> bool:
        return bool(self.number and self.verified_at)
