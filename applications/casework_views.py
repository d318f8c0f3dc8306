"""Caseworker workbench pages. Thin: gate, validate, call one service, render or redirect."""

from datetime import timedelta

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from applications import casework
from applications.access import application_for
from applications.audit import client_ip
from applications.casework_filters import QueueFilter
from applications.casework_forms import (
    AllocationRoundForm,
    ConfirmForm,
    NoteForm,
    ReassignForm,
    RecommendForm,
    RFIForm,
    SendBackForm,
)
from applications.casework_render import queue_rows_html
from applications.casework_selectors import case_detail, caseworkers_for, document_links, queue_cases
from applications.queues import in_queue, queues_of
from applications.quotas import allocation_round_run, quota_overview
from applications.states import State
from applications.workflow import TransitionRefused, actions_for
from eligibility.products import Product, Sector
from portal import roles

SLA_STATES = frozenset({State.SUBMITTED, State.IN_REVIEW, State.RECOMMENDED})


def _casework_only(request: HttpRequest) -> None:
    if not roles.has_role(request.user, *roles.CASEWORK_ROLES):
        raise Http404


@login_required
def queue(request: HttpRequest) -> HttpResponse:
    """The queue page: the user's queues' cases, filtered, sorted, searched and paged."""
    _casework_only(request)
    filterset = QueueFilter(request.GET, queryset=queue_cases(request.user), request=request)
    paginator = CappedPaginator(filterset.qs, settings.CASEWORK_PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    _label_rows(page.object_list)
    case_url = reverse("casework:case", args=[0])[:-2]  # "/casework/cases/": rows append their id
    is_senior = roles.has_role(request.user, roles.SENIOR_CASEWORKER)
    params = request.GET.copy()
    params.pop("page", None)
    return render(
        request,
        "applications/casework/queue.html",
        {
            "filter": filterset,
            "page": page,
            "now": timezone.now(),
            "queues": queues_of(request.user),
            "is_senior": is_senior,
            "reassign_form": ReassignForm(caseworkers=caseworkers_for(request.user)) if is_senior else None,
            "query_string": params.urlencode(),
            "rows_html": queue_rows_html(page.object_list, case_url=case_url, is_senior=is_senior),
        },
    )


class CappedPaginator(Paginator):
    """Counts at most CASEWORK_COUNT_CAP matches: an exact count of 100,000 rows costs a full scan.

    Past the cap the page says "5,000+ cases" and offers the first CAP / page-size pages,
    which is where the worklist is worked from (claim next takes the top anyway).
    """

    @cached_property
    def count(self) -> int:
        cap = settings.CASEWORK_COUNT_CAP
        return self.object_list.order_by().values("pk")[: cap + 1].count()

    def page(self, number):
        """Fetch the page's ids with a lean query, then its rows by id.

        With OFFSET, PostgreSQL computes the select list (joins, EXISTS flags) for every row
        it skips; the ids query skips cheaply, and the full query touches only 50 rows.
        """
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        ids = list(self.object_list.values_list("pk", flat=True)[bottom : bottom + self.per_page])
        by_id = {row.pk: row for row in self.object_list.filter(pk__in=ids).order_by()}
        return self._get_page([by_id[pk] for pk in ids if pk in by_id], number, self)

    @property
    def is_capped(self) -> bool:
        return self.count > settings.CASEWORK_COUNT_CAP

    @property
    def shown_count(self) -> int:
        return min(self.count, settings.CASEWORK_COUNT_CAP)


def _label_rows(cases) -> None:
    """Choice labels and SLA text computed once per page, not per cell in the template (speed)."""
    labels = {
        "state": {k: str(v) for k, v in State.choices},
        "product": {k: str(v) for k, v in Product.choices},
        "sector": {k: str(v) for k, v in Sector.choices},
    }
    now = timezone.now()
    for case in cases:
        case.state_label = labels["state"].get(case.state, case.state)
        case.product_label = labels["product"].get(case.product, case.product)
        case.sector_label = labels["sector"].get(case.sector, "")
        case.sla_text, case.sla_overdue = sla_text(case, now)


def sla_text(case, now) -> tuple[str, bool]:
    """("2 days 3 hours left" | "Overdue by 1 day", overdue?) for cases waiting on a decision."""
    if case.sla_due_at is None or case.state not in SLA_STATES:
        return "", False
    left = case.sla_due_at - now
    overdue = left.total_seconds() < 0
    left = abs(left)
    days, hours = left.days, left.seconds // 3600
    span = (ngettext("%(n)d day", "%(n)d days", days) % {"n": days} + " " if days else "") + ngettext(
        "%(n)d hour", "%(n)d hours", hours
    ) % {"n": hours}
    if overdue:
        return _("Overdue by %(span)s") % {"span": span}, True
    return _("%(span)s left") % {"span": span}, False


@login_required
@require_POST
def claim_next(request: HttpRequest) -> HttpResponse:
    _casework_only(request)
    app = casework.case_claim_next(actor=request.user, ip_address=client_ip(request))
    if app is None:
        messages.info(request, _("There are no unclaimed cases in your queues."))
        return redirect("casework:queue")
    messages.success(request, _("You claimed %(reference)s.") % {"reference": app.reference})
    return redirect("casework:case", pk=app.pk)


@login_required
def case(request: HttpRequest, pk: int) -> HttpResponse:
    """The case page: answers, documents, score, history, notes, related cases and the allowed actions."""
    application = application_for(request.user, pk)
    if not roles.has_role(request.user, *roles.CASEWORK_ROLES, roles.AUDITOR):
        raise Http404
    detail = case_detail(application, request.user)
    application.sla_text, application.sla_overdue = sla_text(application, timezone.now())
    for document in detail["documents"]:
        document.viewer_url, document.thumbnail_url = document_links(document)
    context = {"decision": detail["pending_decision"]} if detail["pending_decision"] else {}
    actions = actions_for(application, request.user, context)
    is_senior = roles.has_role(request.user, roles.SENIOR_CASEWORKER) and in_queue(
        request.user, application, senior=True
    )
    can_work = roles.has_role(request.user, *roles.CASEWORK_ROLES)
    return render(
        request,
        "applications/casework/case.html",
        {
            "application": application,
            **detail,
            "actions": actions,
            "now": timezone.now(),
            "can_work": can_work,
            "can_claim": can_work
            and application.claimed_by_id is None
            and application.state in casework.CLAIMABLE_STATES,
            "can_release": can_work
            and application.claimed_by_id is not None
            and (application.claimed_by_id == request.user.pk or is_senior),
            "is_senior": is_senior,
            "note_form": NoteForm(),
            "rfi_form": RFIForm(),
            "recommend_form": RecommendForm(),
            "confirm_form": ConfirmForm(),
            "send_back_form": SendBackForm(),
            "reassign_form": ReassignForm(caseworkers=caseworkers_for(request.user)) if is_senior else None,
        },
    )


def _form_errors(request: HttpRequest, form) -> None:
    for field, errors in form.errors.items():
        label = form.fields[field].label if field in form.fields else ""
        for error in errors:
            messages.error(request, f"{label}: {error}" if label else error)


@login_required
@require_POST
def case_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    """One POST endpoint per case action; refusals come back as messages on the case page."""
    application = application_for(request.user, pk)
    _casework_only(request)
    ip = client_ip(request)
    user = request.user
    try:
        if action == "claim":
            casework.case_claim(application=application, actor=user, ip_address=ip)
            messages.success(request, _("You claimed this case."))
        elif action == "release":
            casework.case_release(application=application, actor=user, ip_address=ip)
            messages.success(request, _("The case is back in the queue."))
        elif action == "note":
            form = NoteForm(request.POST)
            if not form.is_valid():
                _form_errors(request, form)
            else:
                casework.note_add(application=application, actor=user, text=form.cleaned_data["text"])
                messages.success(request, _("Note added."))
        elif action == "request_info":
            form = RFIForm(request.POST)
            if not form.is_valid():
                _form_errors(request, form)
            else:
                casework.rfi_create(
                    application=application,
                    actor=user,
                    text=form.cleaned_data["text"],
                    document_kinds=form.cleaned_data["document_kinds"],
                    deadline=timezone.now() + timedelta(days=form.cleaned_data["days"]),
                    ip_address=ip,
                )
                messages.success(request, _("The applicant has been asked for information."))
        elif action == "recommend":
            form = RecommendForm(request.POST)
            if not form.is_valid():
                _form_errors(request, form)
            else:
                casework.decision_recommend(
                    application=application,
                    actor=user,
                    recommendation=form.cleaned_data["recommendation"],
                    grounds=form.cleaned_data["grounds"],
                    text=form.cleaned_data["text"],
                    ip_address=ip,
                )
                messages.success(request, _("Recommendation sent for a second review."))
        elif action == "confirm":
            form = ConfirmForm(request.POST)
            form.is_valid()
            app = casework.decision_confirm(
                application=application, actor=user, note=form.cleaned_data.get("note", ""), ip_address=ip
            )
            messages.success(request, _("Decision confirmed: %(state)s.") % {"state": app.get_state_display()})
        elif action == "send_back":
            form = SendBackForm(request.POST)
            if not form.is_valid():
                _form_errors(request, form)
            else:
                casework.decision_send_back(
                    application=application, actor=user, reason=form.cleaned_data["reason"], ip_address=ip
                )
                messages.success(request, _("Sent back to the caseworker."))
        elif action == "reassign":
            form = ReassignForm(request.POST, caseworkers=caseworkers_for(user))
            if not form.is_valid():
                _form_errors(request, form)
            else:
                casework.case_reassign(
                    application=application, actor=user, to_user=form.cleaned_data["to_user"], ip_address=ip
                )
                messages.success(request, _("Case reassigned."))
        else:
            raise Http404
    except TransitionRefused as exc:
        messages.error(request, str(exc))
    return redirect("casework:case", pk=pk)


@login_required
@require_POST
def bulk_reassign(request: HttpRequest) -> HttpResponse:
    """A senior reassigns the ticked cases of the queue page."""
    if not roles.has_role(request.user, roles.SENIOR_CASEWORKER):
        raise Http404
    form = ReassignForm(request.POST, caseworkers=caseworkers_for(request.user))
    ids = [int(v) for v in request.POST.getlist("cases") if v.isdigit()]
    if not form.is_valid() or not ids:
        messages.error(request, _("Tick the cases and choose who takes them."))
        return redirect("casework:queue")
    done, refused = casework.cases_bulk_reassign(
        application_ids=ids, actor=request.user, to_user=form.cleaned_data["to_user"], ip_address=client_ip(request)
    )
    messages.success(
        request, _("%(done)d cases reassigned, %(refused)d refused.") % {"done": done, "refused": len(refused)}
    )
    return redirect("casework:queue")


@login_required
def quotas(request: HttpRequest) -> HttpResponse:
    """Used / remaining / waiting per quota; criteria admins run allocation rounds here."""
    if not roles.has_role(request.user, roles.SENIOR_CASEWORKER, roles.CRITERIA_ADMIN, roles.AUDITOR):
        raise Http404
    can_allocate = roles.has_role(request.user, roles.CRITERIA_ADMIN)
    form = AllocationRoundForm(request.POST or None) if can_allocate else None
    if request.method == "POST":
        if not can_allocate:
            raise Http404
        if form.is_valid():
            data = form.cleaned_data
            try:
                round_ = allocation_round_run(
                    product=data["product"],
                    sector=data["sector"],
                    region_id=data["region"] or None,
                    places=data["places"],
                    actor=request.user,
                )
            except ValueError:
                messages.error(request, _("There is no such quota for this year."))
            else:
                messages.success(
                    request,
                    _("%(moved)d cases moved to final review; cut-off score %(cut)s.")
                    % {
                        "moved": round_.cases_moved,
                        "cut": round_.cut_off_score if round_.cut_off_score is not None else "—",
                    },
                )
                return redirect("casework:quotas")
    from eligibility.models import AllocationRound

    return render(
        request,
        "applications/casework/quotas.html",
        {
            "rows": quota_overview(),
            "form": form,
            "rounds": AllocationRound.objects.select_related("region", "created_by")[:20],
        },
    )
