"""Every page URL and every admin URL x every role. URLs come from the URL resolver and the
admin registry, so a new URL without a rule here fails ``test_every_url_has_a_rule``.

The API is covered the same way from its schema (tests/api/test_permission_matrix.py).

Results: "ok" = past authentication and access (any answer but 401/403/404/5xx and the
sign-in redirect); "login" = sent to sign in; "404" = as if the object did not exist;
"403"; "any" = public or role-independent (never a 5xx).
"""

import pytest
from django.contrib import admin
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from applications.models import Document, Notification
from applications.states import State
from tests.api.conftest import make_application

ROLES = [
    "anonymous",
    "applicant",
    "stranger",
    "caseworker",
    "caseworker_outside",
    "senior",
    "senior_outside",
    "criteria_admin",
    "auditor",
    # Employers (issue 19): their own organisation only; every applicant and staff page refused.
    "employer",
    # Analysts (issue 17): the analytics dashboards and their own account; no case, no person.
    "analyst",
]
STAFF = ["caseworker", "caseworker_outside", "senior", "senior_outside", "criteria_admin", "auditor", "analyst"]
CASEWORK_IN = ["caseworker", "senior"]


def rule(default: str, anonymous: str = "login", **by_role: str) -> dict[str, str]:
    out = {role: default for role in ROLES}
    out["anonymous"] = anonymous
    out.update(by_role)
    return out


PUBLIC = rule("any", anonymous="any")
SIGNED_IN = rule("ok")
# A person's own applications and cards: an employer account (an organisation) has none.
PERSON_SIGNED_IN = rule("ok", employer="404")
# The applicant's own object; nobody else's business.
OWN = rule("404", applicant="ok")
# The applicant's own submitted case: queue staff and auditors read it, outsiders do not.
OWN_CASE_READ = rule("404", applicant="ok", caseworker="ok", senior="ok", auditor="ok")
OWN_CARD_FULL = rule("404", applicant="ok", caseworker="ok", senior="ok")
CASE_PAGE = rule("404", caseworker="ok", senior="ok", auditor="ok")
CASE_WORK = rule("404", caseworker="ok", senior="ok", auditor="404")
CASEWORK = rule("404", caseworker="ok", caseworker_outside="ok", senior="ok", senior_outside="ok")
SENIOR_PAGE = rule("404", senior="ok", senior_outside="ok")
STAFF_PAGE = rule("404", **{role: "ok" for role in STAFF})
ANALYTICS = rule("404", analyst="ok", criteria_admin="ok", auditor="ok")
ANALYTICS_DASHBOARDS = ("flows", "funnel", "processing", "outcomes", "quotas", "settlement", "indicators")

# url name -> (method, kwargs from the objects, expectation). Destructive ones run last.
RULES: dict[str, tuple[str, dict, dict[str, str]]] = {
    "portal:start": ("GET", {}, PUBLIC),
    "portal:start_choice": ("GET", {}, PUBLIC),
    "portal:dashboard": ("GET", {}, SIGNED_IN),
    "healthz": ("GET", {}, PUBLIC),
    "eligibility:self_check_start": ("GET", {}, PUBLIC),
    "eligibility:self_check": ("GET", {"product": "kandas_card"}, PUBLIC),
    "set_language": ("POST", {}, PUBLIC),
    "twofactor:setup": ("GET", {}, rule("any")),
    "twofactor:verify": ("GET", {}, rule("any")),
    "twofactor:recovery_codes": ("GET", {}, rule("any")),
    "privacy:my_data": ("GET", {}, SIGNED_IN),
    "privacy:download": ("GET", {}, SIGNED_IN),
    "api_tokens:list": ("GET", {}, SIGNED_IN),
    # The account's own phone number: no object id, each account sees only its own.
    "sms:phone": ("GET", {}, SIGNED_IN),
    "sms:verify": ("GET", {}, SIGNED_IN),
    "sms:remove": ("POST", {}, SIGNED_IN),
    "api_tokens:revoke": ("POST", {"pk": "token"}, OWN),
    "login": ("GET", {}, PUBLIC),
    "password_reset": ("GET", {}, PUBLIC),
    "password_reset_done": ("GET", {}, PUBLIC),
    "password_reset_confirm": ("GET", {"uidb64": "x", "token": "y"}, PUBLIC),
    "password_reset_complete": ("GET", {}, PUBLIC),
    "password_change": ("GET", {}, SIGNED_IN),
    "password_change_done": ("GET", {}, SIGNED_IN),
    "accounts:signup": ("GET", {}, PUBLIC),
    "accounts:signup_done": ("GET", {}, PUBLIC),
    "accounts:verify": ("GET", {"token": "not-a-token"}, PUBLIC),
    "accounts:verify_pending": ("GET", {}, PUBLIC),
    "accounts:keep_alive": ("POST", {}, rule("any", anonymous="401")),
    "applications:list": ("GET", {}, PERSON_SIGNED_IN),
    "applications:choose": ("GET", {}, PERSON_SIGNED_IN),
    "applications:occupation_search": ("GET", {}, PUBLIC),
    "applications:detail": ("GET", {"pk": "draft"}, OWN),
    "applications:tasks": ("GET", {"pk": "draft"}, OWN),
    "applications:section": ("GET", {"pk": "draft", "slug": "personal"}, OWN),
    "applications:family": ("GET", {"pk": "draft"}, OWN),
    "applications:documents": ("GET", {"pk": "draft"}, OWN),
    "applications:document_upload": ("POST", {"pk": "draft", "kind": "other"}, OWN),
    "applications:document_delete": ("POST", {"pk": "draft", "document_pk": "draft_document"}, OWN),
    "applications:check": ("GET", {"pk": "draft"}, OWN),
    # Applicant pages: staff read cases on the case page, not here.
    "applications:confirmation": ("GET", {"pk": "case"}, OWN),
    "applications:status": ("GET", {"pk": "case"}, OWN),
    "applications:reply": ("POST", {"pk": "awaiting"}, OWN),
    "casework:queue": ("GET", {}, CASEWORK),
    "casework:claim_next": ("POST", {}, CASEWORK),
    "casework:bulk_reassign": ("POST", {}, SENIOR_PAGE),
    "casework:quotas": ("GET", {}, rule("404", criteria_admin="ok", auditor="ok", senior="ok", senior_outside="ok")),
    "casework:case": ("GET", {"pk": "case"}, CASE_PAGE),
    "casework:case_action": ("POST", {"pk": "case", "action": "note"}, CASE_WORK),
    "staff:home": ("GET", {}, STAFF_PAGE),
    "staff:case_search": ("GET", {}, rule("404", auditor="ok")),
    "audit:verify": ("GET", {}, rule("404", auditor="ok")),
    "audit:export": ("GET", {}, rule("404", auditor="ok")),
    "documents:detail": ("GET", {"pk": "document"}, rule("404", applicant="ok", caseworker="ok", senior="ok")),
    # The fixture's document has no stored files: every variant is 404 for everyone here;
    # who may open a file is tested with real files in tests/applications/documents/.
    "documents:file": ("GET", {"pk": "document", "variant": "thumbnail"}, rule("404", anonymous="404")),
    "documents:upload": ("POST", {"application_pk": "draft"}, OWN),
    "notifications:list": ("GET", {}, SIGNED_IN),
    "notifications:read": ("POST", {"pk": "notification"}, OWN),
    "notifications:read_all": ("POST", {}, SIGNED_IN),
    "cards:list": ("GET", {}, PERSON_SIGNED_IN),
    "cards:detail": ("GET", {"number": "card"}, OWN_CASE_READ),
    "cards:photo": ("GET", {"number": "card"}, rule("404")),  # the fixture card has no photo
    "cards:pdf": ("GET", {"number": "card"}, OWN_CARD_FULL),
    "cards:decision_letter": ("GET", {"reference": "card_reference"}, OWN_CARD_FULL),
    "cards:share_code_create": ("POST", {"number": "card"}, OWN),
    "cards:share_code_withdraw": ("POST", {"number": "card", "code_pk": "share"}, OWN),
    "cards:address": ("GET", {"number": "card"}, OWN),
    "cards:employer": ("GET", {"number": "card"}, OWN),
    "cards:renew": ("POST", {"number": "card"}, OWN),
    "cards:revoke": ("GET", {"number": "card"}, rule("404", senior="ok")),
    # The holder's stay: read through the card's gate (applications.cards.access.card_for).
    "stay:timeline": ("GET", {"number": "card"}, OWN_CASE_READ),
    "stay:declare": ("GET", {"number": "card"}, OWN),
    "verify:verify": ("GET", {}, PUBLIC),
    # Open data (issue 17): public statistics and quotas, read-only for everyone.
    "statistics:statistics": ("GET", {}, PUBLIC),
    "statistics:csv": ("GET", {}, PUBLIC),
    "statistics:quotas": ("GET", {}, PUBLIC),
    "verify:scan": ("GET", {}, PUBLIC),
    "verify:photo": ("GET", {"token": "not-signed"}, rule("404", anonymous="404")),
    # Rating proposals (issue 17): criteria admins only; approving without a token shows the
    # "are you sure" page, so the POST changes nothing.
    "labour_market:proposals": ("GET", {}, rule("404", criteria_admin="ok")),
    "labour_market:proposal": ("GET", {"pk": "proposal"}, rule("404", criteria_admin="ok")),
    "labour_market:row_edit": ("GET", {"pk": "proposal", "row_pk": "proposal_row"}, rule("404", criteria_admin="ok")),
    "labour_market:proposal_action": (
        "POST",
        {"pk": "proposal", "action": "approve"},
        rule("404", criteria_admin="ok"),
    ),
    # Quota proposals (issue 17): the same gate; approving without a token shows the "are you sure" page.
    "labour_market:quota_proposals": ("GET", {}, rule("404", criteria_admin="ok")),
    "labour_market:quota_proposal": ("GET", {"pk": "quota_proposal"}, rule("404", criteria_admin="ok")),
    "labour_market:quota_row_edit": (
        "GET",
        {"pk": "quota_proposal", "row_pk": "quota_proposal_row"},
        rule("404", criteria_admin="ok"),
    ),
    "labour_market:quota_proposal_action": (
        "POST",
        {"pk": "quota_proposal", "action": "approve"},
        rule("404", criteria_admin="ok"),
    ),
    "applications:withdraw": ("GET", {"pk": "case"}, OWN),
    # Administrative review: the refused applicant's request page, and withdrawing an open request.
    "applications:review": ("GET", {"pk": "refused"}, OWN),
    "applications:review_withdraw": ("GET", {"pk": "review_requested"}, OWN),
    "privacy:erase": ("GET", {"pk": "draft"}, OWN),
    # Employers (issue 19): sign-up is public, the organisation page is the employer's own; the
    # criteria admin verifies (a POST without the confirmation token changes nothing).
    "employers:signup": ("GET", {}, PUBLIC),
    "employers:organisation": ("GET", {}, rule("404", employer="ok")),
    "employers:verification_list": ("GET", {}, rule("404", criteria_admin="ok")),
    "employers:verification": ("POST", {"pk": "organisation"}, rule("404", criteria_admin="ok")),
    # Analytics (issue 17): aggregates only, for analysts, criteria admins and auditors.
    "analytics:overview": ("GET", {}, ANALYTICS),
    **{f"analytics:{slug}": ("GET", {}, ANALYTICS) for slug in ANALYTICS_DASHBOARDS},
    # Forecasts and scenarios (issue 17): the same readers as the dashboards; read-only GET pages.
    "forecasts:list": ("GET", {}, ANALYTICS),
    "forecasts:scenario": ("GET", {}, ANALYTICS),
    # Job offers and employees: the employer's own only; the holder's new employer; staff's overdue list.
    "employers:offer_list": ("GET", {}, rule("404", employer="ok")),
    "employers:offer": ("GET", {"pk": "job_offer"}, rule("404", employer="ok")),
    "employers:offer_start": ("POST", {"pk": "job_offer"}, rule("404", employer="ok")),
    "employers:employee_list": ("GET", {}, rule("404", employer="ok")),
    "employers:employee": ("GET", {"pk": "employment"}, rule("404", employer="ok")),
    "employers:new_employer": ("GET", {"number": "card"}, OWN),
    "employers:grace_overdue": (
        "GET",
        {},
        rule("404", **dict.fromkeys([*CASEWORK_IN, "caseworker_outside", "senior_outside", "auditor"], "ok")),
    ),
    "logout": ("POST", {}, PUBLIC),
}


def _page_urls() -> list[str]:
    """Names of every page URL (not the admin's, not the API's: see the other tests)."""

    def walk(resolver, prefix: str, namespace: str):
        for pattern in resolver.url_patterns:
            if isinstance(pattern, URLResolver):
                ns = namespace + (f"{pattern.namespace}:" if pattern.namespace else "")
                yield from walk(pattern, prefix + str(pattern.pattern), ns)
            elif isinstance(pattern, URLPattern):
                yield prefix + str(pattern.pattern), namespace + (pattern.name or "")

    return sorted(
        {name for route, name in walk(get_resolver(), "", "") if not route.startswith(("admin/", "api/", "static/"))}
    )


def test_every_url_has_a_rule():
    assert [name for name in _page_urls() if name not in RULES] == []
    assert [name for name in RULES if name not in _page_urls()] == []


@pytest.fixture
def objects(people, senior_outside, applicant, employer, settings):
    from applications.cards.services import share_code_create
    from applications.models import Application
    from portal.api.tokens import api_token_create
    from tests.api.conftest import issue_card

    # Verified addresses, so every page reaches its access gate (not the verify-your-e-mail step).
    for person in [*people.values(), senior_outside, employer]:
        person.email_verified_at = timezone.now()
        person.save(update_fields=["email_verified_at"])
    draft = make_application(applicant, answers={"personal": {"given_name": "Aigerim"}})
    case = make_application(
        applicant, state=State.SUBMITTED, reference="KC-2026-000001", submitted_at=timezone.now(), region_id="KZ-55"
    )
    awaiting = make_application(
        applicant, state=State.AWAITING_APPLICANT, reference="KC-2026-000002", submitted_at=timezone.now()
    )
    refused = make_application(
        applicant,
        state=State.REFUSED,
        reference="KC-2026-000003",
        submitted_at=timezone.now(),
        decided_at=timezone.now(),
    )
    review_requested = make_application(
        applicant, state=State.REVIEW_REQUESTED, reference="KC-2026-000004", submitted_at=timezone.now()
    )
    card = issue_card(settings, applicant)
    share = share_code_create(card=card, purpose="work", actor=applicant)
    token, _raw = api_token_create(user=applicant, scope="read")
    document = Document.objects.create(application=case, kind="passport", original_name="p.pdf", file="x/p.pdf")
    draft_document = Document.objects.create(application=draft, kind="photo", original_name="f.jpg", file="x/f.jpg")
    notification = Notification.objects.create(recipient=applicant, kind="submitted", channel="in_app")
    # A row of every superusers-only admin model, so their object pages are walked too.
    from axes.models import AccessAttempt, AccessFailureLog, AccessLog
    from django_otp.plugins.otp_totp.models import TOTPDevice

    TOTPDevice.objects.create(user=people["caseworker"], name="phone", confirmed=True)
    seen = {"ip_address": "192.0.2.9", "user_agent": "x", "username": people["caseworker"].email}
    AccessAttempt.objects.create(**seen, get_data="", post_data="", failures_since_start=3)
    AccessLog.objects.create(**seen)
    AccessFailureLog.objects.create(**seen)
    from eligibility.labour_market.models import LabourMarketImport, ProposalRow, RatingProposal, ShortageModel

    data_import = LabourMarketImport.objects.create(
        version=1, file_name="lm.csv", sha256="0" * 64, row_count=0, long_open_days=60
    )
    proposal = RatingProposal.objects.create(
        year=2027,
        data_year=2025,
        data_import=data_import,
        shortage_model=ShortageModel.objects.get(),
        status="submitted",
    )
    proposal_row = ProposalRow.objects.create(proposal=proposal, occupation_id="2221", sector="healthcare", priority=1)
    from eligibility.labour_market.models import QuotaProposal, QuotaProposalRow

    quota_proposal = QuotaProposal.objects.create(
        product="skills_visa", year=2027, uptake_year=2026, data_import=data_import, data_year=2025, status="submitted"
    )
    quota_proposal_row = QuotaProposalRow.objects.create(
        proposal=quota_proposal, sector="healthcare", region_id="KZ-59", model_places=5, places=5
    )

    from applications.employers.models import Employment, JobOffer

    job_offer = JobOffer.objects.create(
        application_id=card.application_id, employer=employer.employer, state=JobOffer.State.CONFIRMED, position="X"
    )
    job_offer.regions.set(["KZ-55"])
    other_offer = JobOffer.objects.create(application=case, employer=employer.employer, position="Y")
    employment = Employment.objects.create(
        offer=other_offer, card=card, employer=employer.employer, position="Y", started_on=timezone.localdate()
    )
    return {
        "quota_proposal": quota_proposal.pk,
        "quota_proposal_row": quota_proposal_row.pk,
        "job_offer": job_offer.pk,
        "employment": employment.pk,
        "organisation": employer.employer.pk,
        "proposal": proposal.pk,
        "proposal_row": proposal_row.pk,
        "draft": draft.pk,
        "case": case.pk,
        "awaiting": awaiting.pk,
        "refused": refused.pk,
        "review_requested": review_requested.pk,
        "card": card.number,
        "card_reference": Application.objects.get(pk=card.application_id).reference,
        "share": share.pk,
        "token": token.pk,
        "document": document.pk,
        "draft_document": draft_document.pk,
        "notification": notification.pk,
    }


def _outcome(response) -> str:
    code = response.status_code
    if code >= 500:
        return f"server error {code}"
    if code in (302, 301) and "login" in response.get("Location", ""):
        return "login"
    if code in (401, 403, 404):
        return str(code)
    return "ok"


def _user_for(role, people, senior_outside, employer=None):
    if role == "anonymous":
        return None
    if role == "employer":
        return employer
    return senior_outside if role == "senior_outside" else people[role]


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_each_role_gets_exactly_its_access_on_every_page(client, role, people, senior_outside, employer, objects):
    user = _user_for(role, people, senior_outside, employer)
    if user is not None:
        client.force_login(user)
    problems = []
    for name, (method, kwargs, expectations) in RULES.items():
        url = reverse(name, kwargs={k: objects.get(v, v) for k, v in kwargs.items()})
        response = client.post(url) if method == "POST" else client.get(url)
        got, expected = _outcome(response), expectations[role]
        if got.startswith("server error") or (expected != "any" and got != expected):
            problems.append(f"{method} {name}: expected {expected}, got {got} {response.get('Location', '')}")
    assert problems == [], "\n".join(problems)


# --- the admin ---------------------------------------------------------------------------------

PERSONAL = {"Application", "Document", "IssuedCard", "Notification", "Decision", "RequestForInformation", "CaseNote"}
# Lists and records nobody adds by hand (reports, rounds, tokens, sign-in records).
NO_ADD = PERSONAL | {"AuditEvent", "ImpactReport", "AllocationRound", "ApiToken", "AccessAttempt", "AccessLog"}
NO_ADD |= {"AccessFailureLog"}
# Models that grant access or record its use (accounts, roles, tokens, authenticators, sign-in
# records): like people's data, only superusers reach them, and they are 404 for other staff.
SUPERUSER_ONLY = {"User", "Group", "ApiToken", "TOTPDevice", "AccessAttempt", "AccessLog", "AccessFailureLog"}


def _admin_expectation(role: str, model, view: str) -> str:
    from django.contrib.auth.models import Permission

    from portal import roles

    if role == "anonymous" or role in ("applicant", "stranger", "employer"):
        return "login"  # not staff: the admin's sign-in page
    if role == "superuser":
        if view == "add" and model.__name__ in NO_ADD:
            return "403"
        return "403" if view == "delete" and model.__name__ in PERSONAL else "ok"
    if model.__name__ in PERSONAL | SUPERUSER_ONLY:
        return "404"
    if view == "add" and model.__name__ in NO_ADD - {"AuditEvent"}:
        return "403"
    if model.__name__ == "AuditEvent":
        if role != "auditor":
            return "404"
        return "403" if view == "add" else "ok"
    group = role.replace("_outside", "").replace("senior", roles.SENIOR_CASEWORKER)
    group = {"senior_caseworker": roles.SENIOR_CASEWORKER}.get(group, group)
    codenames = set(
        Permission.objects.filter(group__name=group, content_type__model=model._meta.model_name).values_list(
            "codename", flat=True
        )
    )
    name = model._meta.model_name
    if view == "add":
        return "ok" if f"add_{name}" in codenames else "403"
    return "ok" if codenames & {f"view_{name}", f"change_{name}"} else "403"


@pytest.mark.django_db
@pytest.mark.parametrize("role", [*ROLES, "superuser"])
def test_every_admin_page_of_every_model_for_every_role(
    client, role, people, senior_outside, employer, superuser, objects
):
    user = superuser if role == "superuser" else _user_for(role, people, senior_outside, employer)
    if user is not None:
        client.force_login(user)
    problems = []
    for model in admin.site._registry:
        info = (model._meta.app_label, model._meta.model_name)
        obj = model._default_manager.order_by("pk").first()
        urls = {
            "changelist": reverse("admin:{}_{}_changelist".format(*info)),
            "add": reverse("admin:{}_{}_add".format(*info)),
        }
        if obj is not None:
            urls["change"] = reverse("admin:{}_{}_change".format(*info), args=[obj.pk])
            if model.__name__ in PERSONAL | SUPERUSER_ONLY:
                urls["history"] = reverse("admin:{}_{}_history".format(*info), args=[obj.pk])
                urls["delete"] = reverse("admin:{}_{}_delete".format(*info), args=[obj.pk])
        for view, url in urls.items():
            got, expected = _outcome(client.get(url)), _admin_expectation(role, model, view)
            if got != expected:
                problems.append(f"{model._meta.label} {view}: expected {expected}, got {got}")
    assert problems == [], "\n".join(problems)
