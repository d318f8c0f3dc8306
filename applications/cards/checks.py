"""System checks: production must sign cards with a key from the environment."""

from django.conf import settings
from django.core.checks import Error, Tags, register
from django.core.exceptions import ImproperlyConfigured


@register(Tags.security, deploy=True)
def card_signing_key_check(app_configs, **kwargs) -> list[Error]:
    from applications.cards.signing import parse_public_keys, private_key_from_text

    errors = []
    if not settings.CARD_SIGNING_KEY and not settings.CARD_ALLOW_DEV_KEY:
        errors.append(
            Error(
                "CARD_SIGNING_KEY is not set: cards cannot be issued.",
                hint="Run `manage.py generate_card_key` and set CARD_SIGNING_KEY and CARD_SIGNING_KEY_ID.",
                id="cards.E001",
            )
        )
    try:
        if settings.CARD_SIGNING_KEY:
            private_key_from_text(settings.CARD_SIGNING_KEY)
        parse_public_keys(settings.CARD_VERIFY_KEYS or "")
    except ImproperlyConfigured as exc:
        errors.append(Error(str(exc), id="cards.E002"))
    return errors
