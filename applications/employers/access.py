"""Access gates for employers, their offers and employees: an object one may not see does not exist (404)."""

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse

from applications.cards.access import card_for
from applications.casework.queues import cases_in_queues
from applications.employers.models import Employer, Employment, JobOffer
from applications.employers.selectors import grace_overdue
from applications.models import IssuedCard
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


def own_offers(user: Any) -> QuerySet[JobOffer]:
    """The job offers naming the employer account's own organisation; 404 for anyone else.

    Only a verified organisation is ever asked, but an offer stays its own if it is later
    refused; other organisations' offers do not exist for it.
    """
    employer = own_employer(user)
    return JobOffer.objects.filter(employer=employer).select_related("employer", "application")


def offer_for_employer(user: Any, pk: int) -> JobOffer:
    offer = own_offers(user).prefetch_related("regions").filter(pk=pk).first()
    if offer is None:
        raise Http404
    return offer


def own_employments(user: Any) -> QuerySet[Employment]:
    """The employer's own employees (reported employments); 404 for anyone else."""
    return Employment.objects.filter(employer=own_employer(user)).select_related("offer__application", "card")


def employment_for_employer(user: Any, pk: int) -> Employment:
    employment = own_employments(user).prefetch_related("regions").filter(pk=pk).first()
    if employment is None:
        raise Http404
    return employment


def holder_card(user: Any, number: str) -> IssuedCard:
    """The holder's own active card, for naming a new employer; 404 for anyone else (staff too:
    only the holder names their employer)."""
    card = card_for(user, number)
    if card.holder_id != user.pk or card.status != IssuedCard.Status.ACTIVE:
        raise Http404
    return card


def grace_overdue_for(user: Any) -> QuerySet[Employment]:
    """Overdue grace periods a member of staff may see: auditors all, caseworkers and seniors
    those of cases in their queues; 404 for anyone else."""
    overdue = grace_overdue().select_related("offer__application", "employer", "card")
    if roles.has_role(user, roles.AUDITOR):
        return overdue
    if roles.has_role(user, *roles.CASEWORK_ROLES):
        return overdue.filter(offer__application__in=cases_in_queues(user).values("pk"))
    raise Http404
