"""The card fixtures of the card tests: an application approved through casework, its card."""

from tests.applications.cards.conftest import approve, card, card_key, client, make_approved  # noqa: F401
