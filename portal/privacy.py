"""Who sees identifiers in lists, and how they are masked for everyone else.

Caseworkers and seniors check identity, so they see passport numbers and dates of birth;
auditors and criteria administrators work on aggregates and trails and see them masked.
Applicants see their own data in full (a list of their own applications is theirs).
"""

from datetime import date, datetime

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
