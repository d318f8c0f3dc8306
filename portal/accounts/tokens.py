"""E-mail verification links: signed, timestamped, bound to the address they were sent to."""

from django.conf import settings
from django.core import signing

SALT = "portal.accounts.email-verification"


def verification_token(user) -> str:
    """A URL-safe token naming the user and the address; changing the address voids it."""
    return signing.dumps({"u": user.pk, "e": user.email}, salt=SALT, compress=True)


def verification_user_id(token: str) -> tuple[int, str]:
    """The (user id, e-mail) in a token younger than EMAIL_VERIFICATION_MAX_AGE.

    Raises signing.SignatureExpired for an old link and signing.BadSignature for a forged
    or damaged one (SignatureExpired is a subclass: catch it first).
    """
    data = signing.loads(token, salt=SALT, max_age=settings.EMAIL_VERIFICATION_MAX_AGE)
    return int(data["u"]), str(data["e"])
