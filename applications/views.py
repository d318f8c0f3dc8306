"""Applicant pages: thin views that validate with a form, call one service and render."""

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from applications import reviews, sections, selectors, services
from applications.access import application_for
from applications.documents.selectors import mrz_panel, mrz_rows
from applications.documents.services import UploadRefused
from applications.employers.access import refuse_employers
from applications.forms.actions import (
    DocumentUploadForm,
    ReplyForm,
    ReviewRequestForm,
    ReviewWithdrawForm,
    SubmitForm,
    WithdrawForm,
)
from applications.forms.common import FamilyForm, FamilyMemberForm
from applications.models import Application, Document
from applications.products import all_products, get_product, is_product
from applications.states import State
from applications.workflow import TransitionRefused, actions_for
from eligibility.models import Region
from eligibility.occupations import occupations_search
from portal.accounts.decorators import verified_required
from portal.client import client_ip
from portal.inputs import InputRefused

# Incentives for settling inside the kandas quota of a labour-deficient region, 2026, in MRP
# (eligibility/data/README.md, "kz_regional_quota.csv"; reported by oq.gov.kz and baq.kz).
RESETTLEMENT_INCENTIVES = (
    gettext_lazy("a one-off relocation subsidy of 70 MRP for each family member"),
    gettext_lazy("rent and utilities of 15 to 30 MRP a month for 12 months"),
    gettext_lazy("a housing certificate of 1,625 MRP"),
    gettext_lazy("400 MRP to an employer who helps you find work"),
)
SAVE_AND_CONTINUE = "continue"
SAVE_FOR_LATER = "later"


def _posted(request: HttpRequest, *, files: bool = False) -> tuple:
    """Form arguments: the POST (even empty, so an empty submission shows errors) or nothing."""
    if request.method != "POST":
        return (None, None) if files else (None,)
    return (request.POST, request.FILES) if files else (request.POST,)


def _draft(request: HttpRequest, pk: int):
    """The user's own draft, or 404 (also for a submitted one: it cannot change)."""
    return application_for(request.user, pk, write=True)


def _own(request: HttpRequest, pk: int):
    """The user's own application in any state, or 404 (staff use their own pages)."""
    application = application_for(request.user, pk)
    if application.owner_id != request.user.pk:
        raise Http404
    return application


def _version(request: HttpRequest) -> int | None:
    try:
        return int(request.POST.get("version", ""))
    except ValueError:
        return None


@never_cache
@verified_required
@refuse_employers
@require_GET
def application_list(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "applications/list.html",
        {"applications": selectors.applications_of(request.user)},
    )


@never_cache
@verified_required
@refuse_employers
@require_http_methods(["GET", "POST"])
def product_choose(request: HttpRequest) -> HttpResponse:
    error = ""
    if request.method == "POST":
        product = request.POST.get("product", "")
        if not is_product(product):
            error = _("Choose what you want to apply for")
        else:
            try:
                application = services.application_start(owner=request.user, product=product)
            except services.ApplicationStartRefused as refusal:
                error = _(
                    "You already have an application for this in progress (%(ref)s). "
                    "You can start a new one when it has ended."
                ) % {"ref": refusal.application.reference or refusal.application}
            else:
                return redirect("applications:tasks", application.pk)
    return render(
        request,
        "applications/choose.html",
        {"error": error, "products": list(all_products()), "self_check_url": reverse("eligibility:self_check_start")},
        status=400 if error else 200,
    )


@never_cache
@verified_required
@require_GET
def application_detail(request: HttpRequest, pk: int) -> HttpResponse:
    application = _own(request, pk)
    if application.state == State.DRAFT:
        return redirect("applications:tasks", application.pk)
    return redirect("applications:status", application.pk)


@never_cache
@verified_required
@require_GET
def task_list(request: HttpRequest, pk: int) -> HttpResponse:
    application = _own(request, pk)
    if application.state != State.DRAFT:
        return redirect("applications:status", application.pk)
    groups = selectors.task_list(application)
    done, total = selectors.completed_count(groups)
    return render(
        request,
        "applications/task_list.html",
        {
            "application": application,
            "groups": groups,
            "done": done,
            "total": total,
            "ready": done == total,
            "expires_on": selectors.draft_expires_on(application),
        },
    )


@never_cache
@verified_required
@require_http_methods(["GET", "POST"])
def section_page(request: HttpRequest, pk: int, slug: str) -> HttpResponse:
    application = _draft(request, pk)
    section = sections.section_named(application.product, slug)
    if section is None or section.form_class is None:
        raise Http404
    items = {i.section.slug: i for g in selectors.task_list(application) for i in g.items}
    if slug not in items or not items[slug].can_start:
        return redirect("applications:tasks", application.pk)
    stale = False
    if request.method == "POST":
        form = section.form_class(request.POST, application=application)
        complete = request.POST.get("action", SAVE_AND_CONTINUE) != SAVE_FOR_LATER
        # Saved for later: only what no page may store is refused (portal.inputs); the rest waits.
        if form.is_valid() if complete else form.is_saveable():
            try:
                services.answers_save(
                    application=application,
                    section=slug,
                    values=form.answers() if complete else form.typed(),
                    complete=complete,
                    actor=request.user,
                    expected_version=_version(request),
                )
            except services.StaleAnswers:
                stale = True
                application.refresh_from_db()
            except services.NotEditable as exc:
                raise Http404 from exc
            else:
                if not complete:
                    messages.success(request, _("Your answers have been saved. You can come back to them later."))
                return redirect(_next_url(application, slug) if complete else reverse("applications:tasks", args=[pk]))
    else:
        form = section.form_class(initial=application.answers.get(slug) or {}, application=application)
    regions = []
    if slug in ("region", "regions"):
        regions = list(Region.objects.all())
    return render(
        request,
        f"applications/sections/{slug}.html" if slug in ("region", "regions") else "applications/section.html",
        {
            "application": application,
            "section": section,
            "form": form,
            "stale": stale,
            "regions": regions,
            "incentives": RESETTLEMENT_INCENTIVES,
        },
        status=400 if (form.is_bound and form.errors) or stale else 200,
    )


def _next_url(application, slug: str) -> str:
    """After "save and continue": the next section that can be started and is not done, else the task list."""
    application.refresh_from_db()
    items = [i for g in selectors.task_list(application) for i in g.items]
    slugs = [i.section.slug for i in items]
    after = items[slugs.index(slug) + 1 :] if slug in slugs else []
    for item in after:
        if item.can_start and item.status != sections.COMPLETED:
            return item.url
    return reverse("applications:tasks", args=[application.pk])


@never_cache
@verified_required
@require_http_methods(["GET", "POST"])
def family_page(request: HttpRequest, pk: int) -> HttpResponse:
    """Family members, GOV.UK "add another": add one at a time, remove, then confirm the list."""
    application = _draft(request, pk)
    if sections.section_named(application.product, sections.FAMILY) is None:
        raise Http404  # only products that ask about family have the page
    family = application.answers.get(sections.FAMILY) or {}
    member_form = FamilyMemberForm(prefix="member", application=application)
    confirm_form = FamilyForm(initial={"coming": family.get("coming")}, application=application)
    action = request.POST.get("action", "")
    if request.method == "POST":
        if action == "add":
            member_form = FamilyMemberForm(request.POST, prefix="member", application=application)
            if member_form.is_valid():
                services.family_member_add(application=application, member=member_form.answers(), actor=request.user)
                return redirect("applications:family", application.pk)
        elif action.startswith("remove-"):
            try:
                index = int(action.removeprefix("remove-"))
            except ValueError as exc:
                raise Http404 from exc
            services.family_member_remove(application=application, index=index, actor=request.user)
            return redirect("applications:family", application.pk)
        else:
            confirm_form = FamilyForm(request.POST, application=application)
            if confirm_form.is_valid():
                coming = confirm_form.cleaned_data["coming"]
                if coming == "yes" and not family.get("members"):
                    confirm_form.add_error("coming", _("Add at least one family member, or choose no"))
                else:
                    services.family_confirm(application=application, coming=coming, actor=request.user)
                    return redirect(_next_url(application, sections.FAMILY))
    errors = bool(member_form.errors or confirm_form.errors)
    return render(
        request,
        "applications/family.html",
        {
            "application": application,
            "section": sections.section_named(application.product, sections.FAMILY),
            "members": family.get("members") or [],
            "member_form": member_form,
            "form": confirm_form if confirm_form.errors else member_form,
            "confirm_form": confirm_form,
        },
        status=400 if errors else 200,
    )


@never_cache
@verified_required
@require_http_methods(["GET", "POST"])
def documents_page(request: HttpRequest, pk: int) -> HttpResponse:
    """The documents section: each required kind, its files and their processing status."""
    application = _draft(request, pk)
    items = {i.section.slug: i for g in selectors.task_list(application) for i in g.items}
    if not items[sections.DOCUMENTS].can_start:
        return redirect("applications:tasks", application.pk)
    return render(
        request,
        "applications/documents.html",
        {"application": application, "rows": selectors.document_rows(application)},
    )


@never_cache
@verified_required
@require_http_methods(["GET", "POST"])
def document_upload(request: HttpRequest, pk: int, kind: str) -> HttpResponse:
    application = _draft(request, pk)
    kinds = sections.uploadable_document_kinds(application.product, application.track, application.answers)
    if kind not in kinds:
        raise Http404
    replacing = None
    replace = request.GET.get("replace") or request.POST.get("replace")
    if replace:
        if not replace.isdecimal() or len(replace) > 18:
            # A document id is a number: anything else is a bad link, not a missing document.
            raise InputRefused(_("The link to the file to replace is not valid. Go back to your documents."))
        replacing = application.documents.filter(pk=int(replace)).first()
        if replacing is None:
            raise Http404
    form = DocumentUploadForm(*_posted(request, files=True), kind=kind)
    if request.method == "POST" and form.is_valid():
        from applications.documents.services import UploadRefused

        try:
            services.document_add(
                application=application,
                kind=kind,
                uploaded=form.cleaned_data["file"],
                actor=request.user,
                replaces=replacing,
            )
        except UploadRefused as refusal:
            form.add_error("file", refusal.message)
        except services.NotEditable as exc:
            raise Http404 from exc
        else:
            if replacing is not None:
                services.document_delete(application=application, document=replacing, actor=request.user)
            messages.success(request, _("Your file has been uploaded. We are checking it."))
            return redirect("applications:documents", application.pk)
    return render(
        request,
        "applications/document_upload.html",
        {
            "application": application,
            "form": form,
            "kind": kind,
            "kind_label": dict(Document.Kind.choices)[kind],
            "replacing": replacing,
        },
        status=400 if form.errors else 200,
    )


@never_cache
@verified_required
@require_http_methods(["GET", "POST"])
def document_delete(request: HttpRequest, pk: int, document_pk: int) -> HttpResponse:
    application = _draft(request, pk)
    document = application.documents.filter(pk=document_pk).first()
    if document is None:
        raise Http404
    if request.method == "POST":
        services.document_delete(application=application, document=document, actor=request.user)
        messages.success(request, _("The file has been deleted."))
        return redirect("applications:documents", application.pk)
    return render(request, "applications/document_delete.html", {"application": application, "document": document})


def _mrz_context(application: Application) -> dict[str, Any]:
    """The passport's MRZ against the answers, with links to fix either side."""
    panel = mrz_panel(application)
    return {
        "mrz_panel": panel,
        "mrz_rows": mrz_rows(panel, differences_only=True) if panel else [],
        "mrz_answers_url": selectors.section_url(application, "passport"),
        "mrz_upload_url": selectors.section_url(application, sections.DOCUMENTS),
    }


@never_cache
@verified_required
@require_http_methods(["GET", "POST"])
def check_answers(request: HttpRequest, pk: int) -> HttpResponse:
    """Check your answers, the declaration, and the submit button."""
    application = _own(request, pk)
    if application.state != State.DRAFT:
        return redirect("applications:status", application.pk)
    missing = services.submission_problems(application)
    form = SubmitForm(*_posted(request))
    if request.method == "POST" and not missing and form.is_valid():
        try:
            application = services.application_submit(
                application=application, actor=request.user, ip_address=client_ip(request)
            )
        except services.SubmissionIncomplete as exc:
            missing = exc.missing
        except TransitionRefused as exc:
            form.add_error(None, str(exc))
        else:
            return redirect("applications:confirmation", application.pk)
    titles = {s.slug: s.title for s in sections.sections_for(application.product, application.track)}
    return render(
        request,
        "applications/check_answers.html",
        {
            "application": application,
            "answer_sections": selectors.answer_sections(application),
            "missing": [titles[m] for m in missing if m in titles],
            **_mrz_context(application),
            "form": form,
        },
        status=400 if (form.errors or (request.method == "POST" and missing)) else 200,
    )


@never_cache
@verified_required
@require_GET
def confirmation(request: HttpRequest, pk: int) -> HttpResponse:
    application = _own(request, pk)
    if not application.reference:
        return redirect("applications:tasks", application.pk)
    product = get_product(application.product)
    return render(request, "applications/confirmation.html", {"application": application, "product": product})


@never_cache
@verified_required
@require_GET
def status_page(request: HttpRequest, pk: int) -> HttpResponse:
    application = _own(request, pk)
    if application.state == State.DRAFT:
        return redirect("applications:tasks", application.pk)
    reply_form = ReplyForm() if application.state == State.AWAITING_APPLICANT else None
    return render(request, "applications/status.html", _status_context(request, application, reply_form))


def _status_context(request: HttpRequest, application, reply_form: ReplyForm | None) -> dict:
    """Everything the status page shows: one builder for the page and its failed reply."""
    expected = selectors.expected_decision_at(application)
    return {
        "application": application,
        "timeline": selectors.timeline(application),
        "request_text": selectors.open_request(application),
        "open_rfi": selectors.open_rfi(application),
        "expected_decision_at": expected,
        # Past the target: a date in the past would read as a mistake, so the page says so.
        "decision_late": expected is not None and expected < timezone.now(),
        "reply_form": reply_form,
        "decision_reason": selectors.decision_reason(application),
        "linked_decisions": selectors.linked_decisions(application),
        "score_rows": selectors.score_breakdown(application),
        "card": selectors.issued_card(application),
        "refusal": selectors.refusal_explanation(application),
        "can_withdraw": "withdraw" in actions_for(application, request.user),
        "review": reviews.review_route(application),
        "can_withdraw_review": "review_withdraw" in actions_for(application, request.user),
    }


@never_cache
@verified_required
@require_POST
def reply(request: HttpRequest, pk: int) -> HttpResponse:
    application = _own(request, pk)
    if application.state != State.AWAITING_APPLICANT:
        raise Http404
    form = ReplyForm(request.POST, request.FILES)
    if form.is_valid():
        from applications.documents.services import UploadRefused

        try:
            services.application_reply(
                application=application,
                actor=request.user,
                text=form.cleaned_data["text"],
                files=form.cleaned_data.get("files"),
                ip_address=client_ip(request),
            )
        except UploadRefused as refusal:
            form.add_error("files", refusal.message)
        except TransitionRefused as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Thank you. Your reply has been sent to the caseworker."))
            return redirect("applications:status", application.pk)
    return render(
        request, "applications/status.html", {**_status_context(request, application, form), "form": form}, status=400
    )


def _confirmed_action(
    request: HttpRequest,
    pk: int,
    *,
    action: str,
    form_class: type[WithdrawForm] | type[ReviewWithdrawForm],
    run: Callable[..., object],
    done: tuple[str, str],
    back: str,
    template: str,
) -> HttpResponse:
    """An applicant's yes/no step before a workflow action (withdrawing an application or a
    review request): offered only while the transition table offers ``action``; "no" goes back
    to the ``back`` URL, "yes" runs it and goes to ``done`` (message, URL)."""
    application = _own(request, pk)
    if action not in actions_for(application, request.user):
        raise Http404
    form = form_class(*_posted(request))
    if request.method == "POST" and form.is_valid():
        if form.cleaned_data["confirm"] != "yes":
            return redirect(back)
        try:
            run(application=application, actor=request.user, ip_address=client_ip(request))
        except TransitionRefused as exc:
            form.add_error(None, str(exc))
        else:
            message, url = done
            messages.success(request, message)
            return redirect(url)
    return render(request, template, {"application": application, "form": form}, status=400 if form.errors else 200)


@never_cache
@verified_required
@require_http_methods(["GET", "POST"])
def withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    return _confirmed_action(
        request,
        pk,
        action="withdraw",
        form_class=WithdrawForm,
        run=services.application_withdraw,
        done=(_("Your application has been withdrawn."), reverse("applications:list")),
        back=reverse("applications:detail", args=[pk]),
        template="applications/withdraw.html",
    )


@never_cache
@verified_required
@require_http_methods(["GET", "POST"])
def review_request(request: HttpRequest, pk: int) -> HttpResponse:
    """Ask for an administrative review of a refusal. Past the period the page says the route
    has closed, and a POST is refused with that message (the workflow's guard decides)."""
    application = _own(request, pk)
    if application.state != State.REFUSED:
        return redirect("applications:status", application.pk)
    route = reviews.review_route(application)
    form = ReviewRequestForm(*_posted(request, files=True))
    if request.method == "POST" and form.is_valid():
        try:
            reviews.review_request(
                application=application,
                actor=request.user,
                grounds=form.cleaned_data["grounds"],
                files=form.cleaned_data.get("files"),
                ip_address=client_ip(request),
            )
        except UploadRefused as refusal:
            form.add_error("files", refusal.message)
        except TransitionRefused as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Your request for a review has been sent."))
            return redirect("applications:status", application.pk)
    elif request.method == "POST" and not route.may_request:
        # The route closed: say so first, whatever else the form lacks.
        form.errors.clear()
        try:
            reviews.review_route_open(application, request.user, {})
        except TransitionRefused as exc:
            form.add_error(None, str(exc))
    return render(
        request,
        "applications/review_request.html",
        {"application": application, "form": form, "route": route},
        status=400 if form.errors else 200,
    )


@never_cache
@verified_required
@require_http_methods(["GET", "POST"])
def review_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    return _confirmed_action(
        request,
        pk,
        action="review_withdraw",
        form_class=ReviewWithdrawForm,
        run=reviews.review_withdraw,
        done=(_("Your request for a review has been withdrawn."), reverse("applications:status", args=[pk])),
        back=reverse("applications:status", args=[pk]),
        template="applications/review_withdraw.html",
    )


@require_GET
def occupation_search(request: HttpRequest) -> JsonResponse:
    """ISCO-08 occupations matching ``q`` (code or words of the title in the page language or
    English), for search-as-you-type."""
    query = request.GET.get("q", "").strip()[:100]
    if len(query) < 2:
        return JsonResponse({"results": []})
    results = [{"code": code, "title": title} for code, title in occupations_search(query)]
    response = JsonResponse({"results": results})
    response["Cache-Control"] = "public, max-age=3600"
    # Titles follow the page language, chosen by cookie or by the browser.
    patch_vary_headers(response, ["Cookie", "Accept-Language"])
    return response
