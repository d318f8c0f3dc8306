"""Confirmation steps for consequential actions (issue 16): the GOV.UK "are you sure" page.

A consequential form (confirming an approval or a refusal, revoking a card, publishing a
criteria set) first shows a page that summarises what will happen, carrying a signed token
that names who confirms what. The action runs only on a POST that brings that token back, so
posting the form directly (a script, a second tab, a replayed request) shows the confirmation
page instead of acting. The one owner of the token: every confirmation step calls this module.
"""

from typing import Any

from django.core import signing

FIELD = "confirm_token"
_SALT = "portal.confirmation"
# Long enough to read a summary and an impact report, short enough that an old tab is refused.
MAX_AGE_SECONDS = 30 * 60


def confirmation_token(*, user: Any, purpose: str, subject: str) -> str:
    """A token for ``user`` to confirm ``purpose`` (e.g. "decision.confirm") on ``subject``.

    ``subject`` names exactly what is confirmed (the case and its pending recommendation, the
    card, the criteria sets): a token for one is refused for any other.
    """
    return signing.dumps({"u": user.pk, "p": purpose, "s": subject}, salt=_SALT)


def is_confirmed(data: Any, *, user: Any, purpose: str, subject: str) -> bool:
    """Did this POST bring back a valid, fresh token for this user, purpose and subject?"""
    token = data.get(FIELD, "") if data is not None else ""
    if not token:
        return False
    try:
        value = signing.loads(token, salt=_SALT, max_age=MAX_AGE_SECONDS)
    except signing.BadSignature:  # also SignatureExpired
        return False
    return value == {"u": user.pk, "p": purpose, "s": subject}
