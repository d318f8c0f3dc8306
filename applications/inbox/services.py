"""Writes of the in-app notification list."""

from django.utils import timezone

from applications.models import Notification


def notification_mark_read(*, user, notification_id: int) -> bool:
    """Mark one of the user's own in-app notifications read; False if it is not theirs."""
    return bool(
        Notification.objects.filter(
            pk=notification_id, recipient=user, channel=Notification.Channel.IN_APP, read_at__isnull=True
        ).update(read_at=timezone.now())
    )


def notifications_mark_all_read(*, user) -> int:
    return Notification.objects.filter(
        recipient=user, channel=Notification.Channel.IN_APP, read_at__isnull=True
    ).update(read_at=timezone.now())
