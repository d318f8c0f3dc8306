"""Caseworker workbench pages. Thin: gate, validate, call one service, render or redirect."""

import functools
from datetime import timedelta
from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from applications import reviews
from applications.access import application_for
from applications.casework import services as casework
from applications.casework.filters import QueueFilter
from applications.casework.forms import (
    AllocationRoundForm,
    ConfirmForm,
    NoteForm,
    ReassignForm,
    RecommendForm,
    ReviewDecisionForm,
    RFIForm,
    SendBackForm,
)
from applications.casework.paging import QueuePaginator
from applications.casework.queues import cases_in_queues, in_queue, queues_of
from applications.casework.quotas import allocation_round_run, quota_overview
from applications.casework.render import queue_filters_html, queue_rows_html
from applications.casework.selectors import case_detail, caseworkers_for, document_links, queue_page
from applications.documents.selectors import mrz_panel, mrz_rows
from applications.models import Decision
from applications.selectors import case_sections, score_breakdown
from applications.states import CLAIMABLE_STATES, SLA_STATES, State
from applications.stay.selectors import timeline_for_case
from applications.workflow import TransitionRefused, actions_for
from eligibility.products import Product, Sector
from portal import confirmation, privacy, roles, staff
from portal.client import client_ip


def _casework_only(request: HttpRequest) -> None:
    if not roles.has_role(request.user, *roles.CASEWORK_ROLES):
        raise Http404


@login_required
def queue(request: HttpRequest) -> HttpResponse:
    """The queue page: the user's queues' cases, filtered, sorted, searched and paged."""
    _casework_only(request)
    # Filters and order on the plain cases (ids only); the page's rows come from queue_page.
    filterset = QueueFilter(request.GET, queryset=cases_in_queues(request.user), request=request)
    paginator = QueuePaginator(filterset.qs, settings.CASEWORK_PAGE_SIZE, page_reader=queue_page)
    page = paginator.get_page(request.GET.get("page"))
    _label_rows(page.object_list, region_names=filterset.region_names)
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
            "may_open_quotas": staff.may_open_quotas(request.user),
            "reassign_form": ReassignForm(caseworkers=caseworkers_for(request.user)) if is_senior else None,
            "query_string": params.urlencode(),
            "filters_html": queue_filters_html(filterset.form),
            "rows_html": queue_rows_html(page.object_list, case_url=case_url, is_senior=is_senior),
        },
        # A filter out of range (or not a number) shows its message beside the field, as a 400.
        status=400 if filterset.errors else 200,
    )


def _label_rows(cases, *, region_names: dict[str, str]) -> None:
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
        case.region_name = region_names.get(case.region_id, case.region_id or "")
        case.sla_text, case.sla_overdue = sla_text(case, now)


def sla_text(case, now) -> tuple[str, bool]:
    """("2 days 3 hours left" | "Overdue by 1 day", overdue?) for cases waiting on a decision."""
    if case.sla_due_at is None or case.state not in SLA_STATES:
        return "", False
    left = case.sla_due_at - now
    overdue = left.total_seconds() < 0
    left = abs(left)
    return _sla_phrase(get_language(), left.days, left.seconds // 3600, overdue), overdue


@functools.lru_cache(maxsize=4096)
def _sla_phrase(language: str, days: int, hours: int, overdue: bool) -> str:
    """The phrase for a span, per language (the queue page needs 50 a request, many alike)."""
    span = (ngettext("%(n)d day", "%(n)d days", days) % {"n": days} + " " if days else "") + ngettext(
        "%(n)d hour", "%(n)d hours", hours
    ) % {"n": hours}
    if overdue:
        return _("Overdue by %(span)s") % {"span": span}
    return _("%(span)s left") % {"span": span}


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


# action -> (form, its name in the case page's context, its id prefix). Each form gets its own
# id prefix: several have a "text" field, and the error summary links to the field by id.
# The POSTed names stay unprefixed.
CASE_FORMS: dict[str, tuple[type[forms.Form], str, str]] = {
    "note": (NoteForm, "note_form", "note_%s"),
    "request_info": (RFIForm, "rfi_form", "rfi_%s"),
    "recommend": (RecommendForm, "recommend_form", "recommend_%s"),
    "confirm": (ConfirmForm, "confirm_form", "confirm_%s"),
    "send_back": (SendBackForm, "send_back_form", "send_back_%s"),
    "reassign": (ReassignForm, "reassign_form", "reassign_%s"),
    "review_uphold": (ReviewDecisionForm, "uphold_form", "uphold_%s"),
    "review_overturn": (ReviewDecisionForm, "overturn_form", "overturn_%s"),
}


def _case_form(action: str, user: Any, data: Any = None) -> forms.Form:
    """The case page's form for ``action``, bound to ``data`` when given."""
    form_class, _name, auto_id = CASE_FORMS[action]
    if form_class is ReassignForm:
        return ReassignForm(data, caseworkers=caseworkers_for(user), auto_id=auto_id)
    return form_class(data, auto_id=auto_id)


@login_required
def case(request: HttpRequest, pk: int) -> HttpResponse:
    """The case page: answers, documents, score, history, notes, related cases and the allowed actions."""
    application = application_for(request.user, pk)
    if not roles.has_role(request.user, *roles.CASEWORK_ROLES, roles.AUDITOR):
        raise Http404
    return _case_page(request, application)


def _case_page(request: HttpRequest, application, *, invalid: tuple[str, forms.Form] | None = None) -> HttpResponse:
    """Render the case page; ``invalid`` is (action, bound form) when a POSTed form failed
    validation: it is shown again with the user's input, an error summary and inline errors."""
    detail = case_detail(application, request.user)
    application.sla_text, application.sla_overdue = sla_text(application, timezone.now())
    for document in detail["documents"]:
        document.viewer_url, document.thumbnail_url = document_links(document)
    context = {"decision": detail["pending_decision"]} if detail["pending_decision"] else {}
    actions = actions_for(application, request.user, context)
    is_senior = in_queue(request.user, application, senior=True)
    # Labelled answers as the applicant saw them, in the page's language, each section with
    # the documents that support it; identifiers masked for the roles docs/privacy.md names.
    answers = privacy.answers_for(request.user, application.answers, application.owner_id)
    sections_shown, other_documents = case_sections(application, answers, detail["documents"])
    can_work = roles.has_role(request.user, *roles.CASEWORK_ROLES)
    # Reassigning is offered to the queue's seniors only.
    page_forms = {
        name: _case_form(action, request.user) if action != "reassign" or is_senior else None
        for action, (_form, name, _id) in CASE_FORMS.items()
    }
    open_action, error_form = "", None
    if invalid is not None:
        open_action, error_form = invalid
        name = CASE_FORMS[open_action][1]
        if page_forms[name] is None:
            open_action, error_form = "", None  # a form this user is not offered (reassign, non-senior)
        else:
            page_forms[name] = error_form
    return render(
        request,
        "applications/casework/case.html",
        {
            "application": application,
            # Identifiers masked for the roles docs/privacy.md names (auditors).
            **detail,
            "actions": actions,
            "case_sections": sections_shown,
            "other_documents": other_documents,
            "score_rows": score_breakdown(application),
            # The holder's stay, the same timeline the holder sees (None before a card is issued).
            "stay": timeline_for_case(application),
            # Statuses only, no read values: the page masks identifiers for some roles.
            "mrz_panel": (panel := mrz_panel(application)),
            "mrz_rows": mrz_rows(panel) if panel else [],
            "now": timezone.now(),
            "can_work": can_work,
            "can_claim": can_work and application.claimed_by_id is None and application.state in CLAIMABLE_STATES,
            "can_release": can_work
            and application.claimed_by_id is not None
            and (application.claimed_by_id == request.user.pk or is_senior),
            "is_senior": is_senior,
            **page_forms,
            "open_action": open_action,
            "error_form": error_form,
        },
    )


@login_required
@require_POST
def case_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    """One POST endpoint per case action. A form that fails validation comes back on the case
    page with the user's input and GOV.UK errors; refusals by the workflow come back as messages."""
    application = application_for(request.user, pk)
    _casework_only(request)
    ip = client_ip(request)
    user = request.user
    form = None
    if action in CASE_FORMS:
        form = _case_form(action, user, request.POST)
    elif action not in ("claim", "release", "resume_review", "review_start"):
        raise Http404
    if form is not None and not form.is_valid():
        return _case_page(request, application, invalid=(action, form))
    data = form.cleaned_data if form is not None else {}
    try:
        if action == "claim":
            casework.case_claim(application=application, actor=user, ip_address=ip)
            messages.success(request, _("You claimed this case."))
        elif action == "release":
            casework.case_release(application=application, actor=user, ip_address=ip)
            messages.success(request, _("The case is back in the queue."))
        elif action == "resume_review":
            casework.review_resume(application=application, actor=user, ip_address=ip)
            messages.success(request, _("You resumed the review of this case."))
        elif action == "note":
            casework.note_add(application=application, actor=user, text=data["text"])
            messages.success(request, _("Note added."))
        elif action == "request_info":
            casework.rfi_create(
                application=application,
                actor=user,
                text=data["text"],
                document_kinds=data["document_kinds"],
                deadline=timezone.now() + timedelta(days=data["days"]),
                ip_address=ip,
            )
            messages.success(request, _("The applicant has been asked for information."))
        elif action == "recommend":
            casework.decision_recommend(
                application=application,
                actor=user,
                recommendation=data["recommendation"],
                grounds=data["grounds"],
                text=data["text"],
                ip_address=ip,
            )
            messages.success(request, _("Recommendation sent for a second review."))
        elif action == "confirm":
            if _needs_confirmation(request, application):
                return _decision_confirmation_page(request, application, note=data["note"])
            app = casework.decision_confirm(application=application, actor=user, note=data["note"], ip_address=ip)
            messages.success(request, _("Decision confirmed: %(state)s.") % {"state": app.get_state_display()})
        elif action == "send_back":
            casework.decision_send_back(application=application, actor=user, reason=data["reason"], ip_address=ip)
            messages.success(request, _("Sent back to the caseworker."))
        elif action == "review_start":
            reviews.review_start(application=application, actor=user, ip_address=ip)
            messages.success(request, _("You took up the review of this refusal."))
        elif action == "review_uphold":
            reviews.review_uphold(application=application, actor=user, reason=data["reason"], ip_address=ip)
            messages.success(request, _("The refusal is upheld. The applicant has been told."))
        elif action == "review_overturn":
            reviews.review_overturn(application=application, actor=user, reason=data["reason"], ip_address=ip)
            messages.success(request, _("The refusal is overturned. The case is back in the queue for a new decision."))
        elif action == "reassign":
            casework.case_reassign(application=application, actor=user, to_user=data["to_user"], ip_address=ip)
            messages.success(request, _("Case reassigned."))
    except TransitionRefused as exc:
        messages.error(request, str(exc))
    return redirect("casework:case", pk=pk)


DECISION_ACTIONS = ("approve", "refuse", "waitlist")


def _pending_decision(application) -> Decision | None:
    return (
        application.decisions.filter(outcome=Decision.Outcome.PENDING)
        .select_related("recommended_by")
        .prefetch_related("grounds")
        .order_by("-recommended_at", "-id")
        .first()
    )


def _decision_subject(application, decision: Decision) -> str:
    # The case and its pending recommendation: a token for an earlier recommendation (sent
    # back, then recommended again) does not confirm the new one.
    return f"{application.pk}:{decision.pk}"


def _needs_confirmation(request: HttpRequest, application) -> bool:
    """True when this senior may confirm but has not yet confirmed on the confirmation page.

    Someone who may not confirm goes straight to the service, which refuses with its reason.
    """
    decision = _pending_decision(application)
    if decision is None:
        return False
    if not set(actions_for(application, request.user, {"decision": decision})) & set(DECISION_ACTIONS):
        return False
    return not confirmation.is_confirmed(
        request.POST,
        user=request.user,
        purpose="decision.confirm",
        subject=_decision_subject(application, decision),
    )


def _decision_confirmation_page(request: HttpRequest, application, *, note: str) -> HttpResponse:
    """The "are you sure" page: what was recommended, by whom, on what grounds, and the note."""
    decision = _pending_decision(application)
    token = confirmation.confirmation_token(
        user=request.user, purpose="decision.confirm", subject=_decision_subject(application, decision)
    )
    return render(
        request,
        "applications/casework/confirm_decision.html",
        {
            "application": application,
            "decision": decision,
            "is_refusal": decision.recommendation == Decision.Recommendation.REFUSE,
            "note": note,
            "token": token,
            "token_field": confirmation.FIELD,
        },
    )


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
    if not staff.may_open_quotas(request.user):
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
                    region_id=data["region"].code if data["region"] else None,
                    places=data["places"],
                    actor=request.user,
                )
            except ValueError:
                # Shown in the form's error summary, on the field that picked the quota.
                form.add_error("sector" if data["sector"] else "region", _("There is no such quota for this year."))
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
