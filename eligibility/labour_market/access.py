"""The access gates of rating and quota proposals: criteria administrators only; to anyone else a
proposal does not exist (404). Pages and any later API call this."""

from typing import Any

from django.http import Http404
from django.shortcuts import get_object_or_404

from eligibility.labour_market.models import QuotaProposal, RatingProposal
from portal import roles


def may_review_proposals(user: Any) -> bool:
    return roles.has_role(user, roles.CRITERIA_ADMIN)


def proposal_for(user: Any, pk: int) -> RatingProposal:
    """The proposal ``pk`` if ``user`` may see and review it, else 404."""
    if not may_review_proposals(user):
        raise Http404
    return get_object_or_404(RatingProposal.objects.select_related("data_import", "shortage_model"), pk=pk)


def quota_proposal_for(user: Any, pk: int) -> QuotaProposal:
    """The quota proposal ``pk`` if ``user`` may see and review it (criteria admins), else 404."""
    if not may_review_proposals(user):
        raise Http404
    return get_object_or_404(QuotaProposal.objects.select_related("data_import"), pk=pk)
