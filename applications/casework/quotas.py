"""Quota places: atomic consumption on approval, the ranked waiting list, allocation rounds."""

from typing import Any

from django.db import transaction
from django.db.models import Count, F, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from applications.models import Application
from applications.states import GRANTED_STATES, State
from applications.workflow import TransitionRefused, application_transition, workflow_step
from eligibility.models import AllocationRound, Quota


class QuotaFull(Exception):
    """No place left in a quota that applies to the case."""


def quota_year(now=None) -> int:
    return timezone.localtime(now or timezone.now()).year


def quotas_for(application: Application, year: int | None = None) -> QuerySet[Quota]:
    """The quotas that apply to a case: its product and year, and its sector's, its region's
    and its sector-in-region's (each only when the case has that sector / region)."""
    year = year or quota_year()
    scope = Q(pk__in=[])
    if application.sector:
        scope |= Q(sector=application.sector, region__isnull=True)
    if application.region_id:
        scope |= Q(region_id=application.region_id, sector="")
    if application.sector and application.region_id:
        scope |= Q(sector=application.sector, region_id=application.region_id)
    return Quota.objects.filter(scope, product=application.product, year=year)


def has_place(application: Application) -> bool:
    return not quotas_for(application).filter(used__gte=F("places")).exists()


def quota_consume(application: Application) -> list[int]:
    """Take one place in every applicable quota, or in none (raise QuotaFull).

    Each place is taken by a conditional UPDATE (``used < places``): PostgreSQL re-checks
    the condition after waiting for a concurrent approver's row lock, so the count can
    never pass the quota; rows are taken in primary-key order so two approvers cannot
    deadlock. The caller's transaction undoes earlier places if a later quota is full.
    """
    taken = []
    with transaction.atomic():
        for pk in quotas_for(application).order_by("pk").values_list("pk", flat=True):
            if not Quota.objects.filter(pk=pk, used__lt=F("places")).update(used=F("used") + 1):
                raise QuotaFull(_("No quota place is left for this case."))
            taken.append(pk)
    return taken


def waiting_list(*, product: str, sector: str = "", region_id: str | None = None) -> QuerySet[Application]:
    """Cases waiting for a place, best first: by score, then by submission time."""
    qs = Application.objects.filter(state=State.WAITLISTED, product=product)
    if sector:
        qs = qs.filter(sector=sector)
    if region_id:
        qs = qs.filter(region_id=region_id)
    return qs.select_related("scoring").order_by(F("scoring__score").desc(nulls_last=True), "submitted_at", "pk")


def allocation_round_run(
    *, product: str, places: int, actor: Any, sector: str = "", region_id: str | None = None, year: int | None = None
) -> AllocationRound:
    """Release ``places`` more places in one quota and move the top waiting cases to final review.

    The cases go back to a senior caseworker (state "recommended"), who confirms the approval
    and so consumes the released place; the round records the cut-off score.
    """
    if places <= 0:
        raise ValueError("places must be positive")
    if not sector and not region_id:
        raise ValueError("give a sector, a region or both")
    year = year or quota_year()
    with transaction.atomic():
        quota = (
            Quota.objects.select_for_update()
            .filter(product=product, year=year, sector=sector, region_id=region_id)
            .order_by("pk")
            .first()
        )
        if quota is None:
            raise ValueError("no such quota")
        Quota.objects.filter(pk=quota.pk).update(places=F("places") + places)
        moved = list(
            waiting_list(product=product, sector=sector, region_id=region_id).select_for_update(
                skip_locked=True, of=("self",)
            )[:places]
        )
        cut_off = None
        round_ = AllocationRound.objects.create(
            product=product,
            year=year,
            sector=sector,
            region_id=region_id,
            places_released=places,
            created_by=actor,
        )
        for app in moved:
            application_transition(
                application=app,
                action="release",
                actor=actor,
                reason=f"Allocation round {round_.pk}",
                snapshot={"allocation_round": round_.pk, "score": app.score},
            )
            cut_off = app.score if cut_off is None or (app.score or 0) < cut_off else cut_off
        round_.cases_moved = len(moved)
        round_.cut_off_score = cut_off
        round_.save(update_fields=["cases_moved", "cut_off_score"])
    return round_


def quota_overview(year: int | None = None) -> list[dict]:
    """Used / remaining / waiting per quota, for the quota page (two queries)."""
    year = year or quota_year()
    quotas = list(Quota.objects.filter(year=year).select_related("region").order_by("product", "sector", "region"))
    # One GROUP BY over the waiting cases by product × sector × region; sector-only and
    # region-only quotas add up the cells of their scope.
    waiting: dict[tuple[str, str, str | None], int] = {
        (row["product"], row["sector"], row["region_id"]): row["n"]
        for row in Application.objects.filter(state=State.WAITLISTED)
        .values("product", "sector", "region_id")
        .annotate(n=Count("pk"))
    }
    rows = []
    for quota in quotas:
        n = sum(
            count
            for (product, sector, region_id), count in waiting.items()
            if product == quota.product
            and (not quota.sector or sector == quota.sector)
            and (quota.region_id is None or region_id == quota.region_id)
        )
        rows.append({"quota": quota, "used": quota.used, "remaining": quota.remaining, "waiting": n})
    return rows


def quota_uptake(*, product: str, year: int) -> dict[tuple[str, str], dict[str, int]]:
    """This year's uptake and today's waiting list per sector × region, for a quota proposal
    (provided to eligibility as the ``quota_uptake`` hook; two GROUP BY queries).

    ``approved``: cases of ``product`` approved in ``year`` (decided then, still approved or
    since issued); ``waiting``: cases waiting for a quota place now. Cases without a sector or
    a region are left out: no sector × region quota could take them.
    """
    granted = Application.objects.filter(
        product=product, state__in=GRANTED_STATES, decided_at__year=year, region__isnull=False
    ).exclude(sector="")
    waiting = Application.objects.filter(product=product, state=State.WAITLISTED, region__isnull=False).exclude(
        sector=""
    )
    out: dict[tuple[str, str], dict[str, int]] = {}
    for key, qs in (("approved", granted), ("waiting", waiting)):
        for row in qs.values("sector", "region_id").annotate(n=Count("pk")).order_by():
            out.setdefault((row["sector"], row["region_id"]), {"approved": 0, "waiting": 0})[key] = row["n"]
    return out


@workflow_step("quota_full")
def quota_full(app: Application, actor: Any, context: dict) -> None:
    """Workflow guard of "waitlist": only when no quota place is left."""
    if has_place(app):
        raise TransitionRefused(_("A quota place is available: approve the case."))


@workflow_step("consume_quota")
def consume_quota(app: Application, actor: Any, context: dict) -> None:
    """Workflow effect of "approve": take the places (recorded in the audit snapshot)."""
    try:
        context["quotas_used"] = quota_consume(app)
    except QuotaFull as exc:
        raise TransitionRefused(str(exc)) from exc
