"""Who sees identifiers in lists, and how they are masked for everyone else.

Caseworkers and seniors check identity, so they see passport numbers and dates of birth;
auditors and criteria administrators work on aggregates and trails and see them masked.
Applicants see their own data in full (a list of their own applications is theirs).
"""

from datetime import date, datetime
from typing import Any

from portal import roles

MASK = "•"
# Roles whose work needs the full passport number and date of birth.
IDENTIFIER_ROLES = frozenset({roles.CASEWORKER, roles.SENIOR_CASEWORKER})


def sees_identifiers(user, owner_id: int | None = None) -> bool:
    """True if ``user`` may see full identifiers (of the applicant ``owner_id``, if given)."""
    if user is None or not user.is_authenticated:
        return False
    if owner_id is not None and owner_id == user.pk:
        return True
    return roles.has_role(user, *IDENTIFIER_ROLES)


def passport_masked(value: str | None) -> str:
    """All but the last three characters hidden: "N12345678" -> "••••••678"."""
    value = (value or "").strip()
    if not value:
        return ""
    keep = 3 if len(value) > 4 else 1
    return MASK * (len(value) - keep) + value[-keep:]


def birth_date_masked(value: date | datetime | str | None) -> str:
    """Only the year stays: "1988-04-12" -> "••••-••-•• (1988)"; ages by decade stay useful."""
    if not value:
        return ""
    text = value.isoformat() if isinstance(value, date | datetime) else str(value)
    year = text[:4] if text[:4].isdigit() else ""
    return f"{MASK * 4}-{MASK * 2}-{MASK * 2}" + (f" ({year})" if year else "")


def passport_for(user, value: str | None, owner_id: int | None = None) -> str:
    return (value or "") if sees_identifiers(user, owner_id) else passport_masked(value)


def birth_date_for(user, value, owner_id: int | None = None) -> str:
    if sees_identifiers(user, owner_id):
        return value.isoformat() if isinstance(value, date | datetime) else str(value or "")
    return birth_date_masked(value)


# Keys of the answers (any section, family members too) that hold an identifier.
PASSPORT_KEYS = frozenset({"passport_number"})
BIRTH_DATE_KEYS = frozenset({"date_of_birth"})


def answers_for(user, answers: Any, owner_id: int | None = None) -> Any:
    """The application's answers as ``user`` may see them: for everyone who does not see
    identifiers, every passport number and date of birth masked, at any depth (family
    members carry their own). The case page, the casework API and the admin call this."""
    if sees_identifiers(user, owner_id):
        return answers
    return _masked(answers)


def _masked(value: Any, key: str = "") -> Any:
    if isinstance(value, dict):
        return {k: _masked(v, k) for k, v in value.items()}
    if isinstance(value, list):
        return [_masked(v, key) for v in value]
    if key in PASSPORT_KEYS and isinstance(value, str):
        return passport_masked(value)
    if key in BIRTH_DATE_KEYS and value:
        return birth_date_masked(value)
    return value
