"""Reads of phone numbers."""

from applications.models import PhoneNumber


def phone_of(user) -> PhoneNumber | None:
    """The account's phone row (verified or being verified), if any."""
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    return PhoneNumber.objects.filter(user=user).first()


def verified_number(user_id: int) -> str:
    """The verified E.164 number of an account, or "" (only a verified number gets SMS)."""
    row = PhoneNumber.objects.filter(user_id=user_id, verified_at__isnull=False).exclude(number="").first()
    return row.number if row else ""
