"""Access gates for employers: an object one may not see does not exist (404)."""

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse

from applications.employers.models import Employer
from portal import roles


def is_employer(user: Any) -> bool:
    return roles.has_role(user, roles.EMPLOYER)


def own_employer(user: Any) -> Employer:
    """The organisation of an employer account; 404 for everyone else."""
    if not is_employer(user):
        raise Http404
    employer = Employer.objects.filter(contact=user).prefetch_related("regions").first()
    if employer is None:
        raise Http404
    return employer


def employers_to_verify(user: Any) -> QuerySet[Employer]:
    """The employers a criteria admin decides on (all of them); 404 for anyone else."""
    if not roles.has_role(user, roles.CRITERIA_ADMIN):
        raise Http404
    return Employer.objects.select_related("contact", "decided_by").prefetch_related("regions")


def employer_for_verifier(user: Any, pk: int) -> Employer:
    employer = employers_to_verify(user).filter(pk=pk).first()
    if employer is None:
        raise Http404
    return employer


def refuse_employers(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Pages of a person's own applications and cards: 404 to an employer account.

    An employer account stands for an organisation, not a person: it neither applies nor
    holds a card, so those pages do not exist for it (its home is the organisation page).
    """

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if is_employer(request.user):
            raise Http404
        return view(request, *args, **kwargs)

    return wrapper
