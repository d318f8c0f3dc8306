"""Revoke API tokens when the reason to trust them goes: the user's authenticator is
removed (staff), or the account is deactivated (anyone)."""

from django.conf import settings
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django_otp.plugins.otp_totp.models import TOTPDevice

from portal.api.tokens import api_tokens_revoke_all, is_staff_token_user


@receiver(post_delete, sender=TOTPDevice, dispatch_uid="api_tokens_revoke_on_totp_delete")
def _totp_device_deleted(sender, instance: TOTPDevice, **kwargs) -> None:
    user = instance.user
    if not instance.confirmed or not is_staff_token_user(user):
        return
    # Only the last confirmed authenticator matters; replacing a device (delete, then
    # enrol anew) revokes too, which is the safe side: tokens are cheap to issue again.
    if not TOTPDevice.objects.filter(user=user, confirmed=True).exclude(pk=instance.pk).exists():
        api_tokens_revoke_all(user=user, actor=None, reason="authenticator removed")


@receiver(post_save, sender=settings.AUTH_USER_MODEL, dispatch_uid="api_tokens_revoke_on_deactivation")
def _user_saved(sender, instance, **kwargs) -> None:
    update_fields = kwargs.get("update_fields")
    if instance.is_active or (update_fields is not None and "is_active" not in update_fields):
        return
    api_tokens_revoke_all(user=instance, actor=None, reason="account deactivated")
