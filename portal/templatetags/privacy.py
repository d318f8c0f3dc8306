"""Masking filters for lists: {% load privacy %} {{ app.passport_number|passport_for:request.user }}.

For an applicant's own data pass the application instead of the value:
{{ app|application_passport_for:request.user }} shows it in full to its owner.
"""

from django import template

from portal import privacy

register = template.Library()


@register.filter
def passport_for(value, user) -> str:
    return privacy.passport_for(user, value)


@register.filter
def birth_date_for(value, user) -> str:
    return privacy.birth_date_for(user, value)


@register.filter
def application_passport_for(application, user) -> str:
    return privacy.passport_for(user, application.passport_number, owner_id=application.owner_id)
