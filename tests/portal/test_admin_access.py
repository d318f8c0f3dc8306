"""The Django admin: people's data for superusers only (read-only, every read audited),
configuration for the roles that hold it (every change audited with before/after values)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from applications.models import Application, Document, LegalGround
from applications.states import State
from eligibility.models import Quota
from portal.audit.models import AuditEvent
from tests.api.conftest import make_application

PERSONAL_MODELS = [
    "applications_application",
    "applications_document",
    "applications_issuedcard",
    "applications_notification",
    "applications_decision",
    "applications_requestforinformation",
    "applications_casenote",
]


@pytest.fixture
def case(applicant):
    return make_application(
        applicant,
        state=State.SUBMITTED,
        reference="KC-2026-000042",
        submitted_at=timezone.now(),
        passport_number="N12345678",
        answers={
            "passport": {"passport_number": "N12345678"},
            "personal": {"date_of_birth": "1988-04-12"},
            "family": {"members": [{"name_latin": "ALI", "date_of_birth": "2015-01-02"}]},
        },
    )


@pytest.fixture
def document(case):
    return Document.objects.create(
        application=case, kind="passport", original_name="passport.pdf", file="x/passport.pdf", size=10
    )


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["caseworker", "caseworker_outside", "senior", "criteria_admin", "auditor"])
def test_staff_roles_find_no_personal_data_in_the_admin(client, people, role, case, document):
    client.force_login(people[role])
    index = client.get(reverse("admin:index")).content.decode()
    for name in PERSONAL_MODELS:
        assert reverse(f"admin:{name}_changelist") not in index
        assert client.get(reverse(f"admin:{name}_changelist")).status_code == 404, name
    assert client.get(reverse("admin:applications_application_change", args=[case.pk])).status_code == 404
    assert client.get(reverse("admin:applications_document_change", args=[document.pk])).status_code == 404
    assert client.get(reverse("admin:applications_application_changelist") + "?q=aigerim").status_code == 404


@pytest.mark.django_db
def test_a_superuser_reads_people_s_data_masked_and_every_read_is_audited(client, superuser, case, document):
    client.force_login(superuser)
    listing = client.get(reverse("admin:applications_application_changelist"))
    assert listing.status_code == 200
    event = AuditEvent.objects.get(action="admin.list", actor=superuser)
    assert event.snapshot["model"] == "applications.application" and event.snapshot["ids"] == [str(case.pk)]

    page = client.get(reverse("admin:applications_application_change", args=[case.pk])).content.decode()
    assert "N12345678" not in page and "1988-04-12" not in page and "2015-01-02" not in page
    assert "••••••678" in page
    assert AuditEvent.objects.filter(action="admin.view", actor=superuser, object_id=str(case.pk)).exists()

    # The document page used to answer 500; it shows metadata, never the file.
    response = client.get(reverse("admin:applications_document_change", args=[document.pk]))
    assert response.status_code == 200
    assert "x/passport.pdf" not in response.content.decode()
    assert AuditEvent.objects.filter(
        action="admin.view", object_type="applications.document", object_id=str(document.pk)
    ).exists()
    # Read-only: no add, no change, no delete, even for a superuser.
    assert client.get(reverse("admin:applications_application_add")).status_code == 403
    before = Application.objects.get(pk=case.pk).state
    client.post(reverse("admin:applications_application_change", args=[case.pk]), {"state": "approved"})
    assert Application.objects.get(pk=case.pk).state == before


@pytest.mark.django_db
def test_the_auditor_reads_the_audit_trail_with_identifiers_masked(client, auditor, case):
    from portal.audit.record import audit_record

    event = audit_record(actor=None, action="test", obj=case, snapshot={"passport_number": "N12345678"})
    client.force_login(auditor)
    assert client.get(reverse("admin:audit_auditevent_changelist")).status_code == 200
    page = client.get(reverse("admin:audit_auditevent_change", args=[event.pk])).content.decode()
    assert "N12345678" not in page and "••••••678" in page


@pytest.mark.django_db
def test_a_quota_raised_in_the_admin_leaves_its_old_and_new_value(client, criteria_admin):
    quota = Quota.objects.create(product="skills_visa", year=2026, sector="it", places=1)
    client.force_login(criteria_admin)
    url = reverse("admin:eligibility_quota_change", args=[quota.pk])
    data = {"product": "skills_visa", "year": 2026, "places": 99999, "sector": "it", "region": "", "source": ""}
    response = client.post(url, data)
    assert response.status_code == 302, response.content[:500]
    event = AuditEvent.objects.get(action="admin.change", object_type="eligibility.quota")
    assert event.actor == criteria_admin and event.object_id == str(quota.pk)
    assert event.snapshot == {"before": {"places": 1}, "after": {"places": 99999}}


@pytest.mark.django_db
def test_deleting_a_selection_and_any_bulk_action_are_audited(client, superuser, criteria_admin):
    from eligibility.models import RegionYear

    grounds = [LegalGround.objects.create(code=f"G{i}", applies_to="refuse", title_en=f"Ground {i}") for i in range(2)]
    ids = [g.pk for g in grounds]
    client.force_login(superuser)
    url = reverse("admin:applications_legalground_changelist")
    assert client.post(url, {"action": "delete_selected", "_selected_action": ids, "post": "yes"}).status_code == 302
    assert not LegalGround.objects.filter(pk__in=ids).exists()
    deleted = AuditEvent.objects.filter(action="admin.delete", object_type="applications.legalground")
    assert sorted(int(e.object_id) for e in deleted) == sorted(ids)
    assert {e.snapshot["before"]["code"] for e in deleted} == {"G0", "G1"}

    row = RegionYear.objects.create(region_id="KZ-59", year=2026, labour_deficient=True)
    client.force_login(criteria_admin)
    url = reverse("admin:eligibility_regionyear_changelist")
    assert client.post(url, {"action": "export_csv", "_selected_action": [row.pk]}).status_code == 200
    event = AuditEvent.objects.get(action="admin.action", actor=criteria_admin)
    assert event.snapshot == {"action": "export_csv", "model": "eligibility.regionyear", "ids": [str(row.pk)]}


@pytest.mark.django_db
def test_list_editable_rows_are_audited(client, criteria_admin):
    from eligibility.models import RegionYear

    row = RegionYear.objects.create(region_id="KZ-59", year=2026, labour_deficient=False)
    client.force_login(criteria_admin)
    url = reverse("admin:eligibility_regionyear_changelist")
    data = {
        "form-TOTAL_FORMS": "1",
        "form-INITIAL_FORMS": "1",
        "form-0-id": str(row.pk),
        "form-0-labour_deficient": "on",
        "_save": "Save",
    }
    assert client.post(url, data).status_code == 302
    event = AuditEvent.objects.get(action="admin.change", object_type="eligibility.regionyear")
    assert event.snapshot == {"before": {"labour_deficient": False}, "after": {"labour_deficient": True}}


@pytest.mark.django_db
def test_the_audit_event_list_runs_the_same_queries_for_10_and_100_rows(client, auditor):
    from portal.models import User

    def add_events(n: int) -> None:
        start = User.objects.count()
        for i in range(start, start + n):
            actor = User.objects.create_user(email=f"actor{i}@example.kz", password="x")
            AuditEvent.objects.create(actor=actor, action="seen", object_type="x", object_id="1")

    def queries_for_page() -> list[str]:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        # The session row is rewritten now and then (the staff idle clock), whatever the page.
        return [q["sql"] for q in queries if "django_session" not in q["sql"] and "SAVEPOINT" not in q["sql"]]

    client.force_login(auditor)
    url = reverse("admin:audit_auditevent_changelist")
    add_events(10)
    client.get(url)  # warm caches (content types, sessions)
    small = queries_for_page()
    add_events(90)
    large = queries_for_page()
    # Was 9 + one actor look-up per row (109 for a page of 100).
    assert len(large) == len(small), "\n".join(q[:200] for q in large)
    assert len(small) < 20


@pytest.mark.django_db
def test_granting_a_role_in_the_user_admin_is_audited_without_the_password_hash(client, superuser, applicant):
    from django.contrib.auth.models import Group

    client.force_login(superuser)
    auditors = Group.objects.get(name="auditor")
    url = reverse("admin:portal_user_change", args=[applicant.pk])
    data = {
        "email": applicant.email,
        "full_name": applicant.full_name,
        "preferred_language": applicant.preferred_language or "kk",
        "is_active": "on",
        "groups": [g.pk for g in applicant.groups.all()] + [auditors.pk],
        "date_joined_0": applicant.date_joined.strftime("%Y-%m-%d"),
        "date_joined_1": applicant.date_joined.strftime("%H:%M:%S"),
    }
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    event = AuditEvent.objects.get(action="admin.change", object_type="portal.user", object_id=str(applicant.pk))
    assert auditors.pk in event.snapshot["after"]["groups"] and auditors.pk not in event.snapshot["before"]["groups"]
    assert "password" not in event.snapshot["before"] and "password" not in event.snapshot["after"]


# --- third-party models that grant access or record its use --------------------------------

THIRD_PARTY_MODELS = [
    "auth_group",
    "portal_user",
    "portal_api_apitoken",
    "otp_totp_totpdevice",
    "axes_accessattempt",
    "axes_accesslog",
    "axes_accessfailurelog",
]


@pytest.fixture
def device(caseworker):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    return TOTPDevice.objects.create(user=caseworker, name="phone", confirmed=True)


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["caseworker", "caseworker_outside", "senior", "criteria_admin", "auditor"])
def test_roles_tokens_authenticators_and_sign_in_records_are_404_for_every_staff_role(client, people, role, device):
    from django.contrib.auth.models import Group, Permission

    # Even holding the model permissions (granted by mistake) does not open them.
    Group.objects.get(name="criteria_admin").permissions.add(
        *Permission.objects.filter(codename__in=["view_group", "change_group", "view_totpdevice", "view_apitoken"])
    )
    client.force_login(people[role])
    index = client.get(reverse("admin:index")).content.decode()
    for name in THIRD_PARTY_MODELS:
        assert reverse(f"admin:{name}_changelist") not in index
        assert client.get(reverse(f"admin:{name}_changelist")).status_code == 404, name
    group = Group.objects.get(name=role.replace("_outside", "").replace("senior", "senior_caseworker"))
    assert client.get(reverse("admin:auth_group_change", args=[group.pk])).status_code == 404
    assert client.post(reverse("admin:auth_group_delete", args=[group.pk]), {"post": "yes"}).status_code == 404
    # django-otp's own extra pages (the device's secret as text and as a QR code) are gated too.
    for extra in ("config", "qrcode"):
        assert client.get(reverse(f"admin:otp_totp_totpdevice_{extra}", args=[device.pk])).status_code == 404
    assert Group.objects.filter(pk=group.pk).exists()


@pytest.mark.django_db
def test_a_permission_added_to_a_role_is_audited(client, superuser):
    from django.contrib.auth.models import Group, Permission

    client.force_login(superuser)
    auditors = Group.objects.get(name="auditor")
    before = sorted(auditors.permissions.values_list("pk", flat=True))
    extra = Permission.objects.get(codename="change_quota")
    response = client.post(
        reverse("admin:auth_group_change", args=[auditors.pk]), {"name": "auditor", "permissions": [*before, extra.pk]}
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    event = AuditEvent.objects.get(action="admin.change", object_type="auth.group", object_id=str(auditors.pk))
    assert event.actor == superuser
    assert event.snapshot == {"before": {"permissions": before}, "after": {"permissions": sorted([*before, extra.pk])}}


@pytest.mark.django_db
def test_unlocking_an_account_in_the_axes_admin_is_audited(client, superuser, caseworker):
    from axes.models import AccessAttempt

    attempt = AccessAttempt.objects.create(
        username=caseworker.email,
        ip_address="192.0.2.9",
        user_agent="x",
        get_data="",
        post_data="",
        failures_since_start=5,
    )
    client.force_login(superuser)
    response = client.post(reverse("admin:axes_accessattempt_delete", args=[attempt.pk]), {"post": "yes"})
    assert response.status_code == 302
    assert not AccessAttempt.objects.exists()
    event = AuditEvent.objects.get(action="admin.delete", object_type="axes.accessattempt")
    assert event.actor == superuser
    assert event.snapshot["before"]["username"] == caseworker.email
    assert event.snapshot["before"]["failures_since_start"] == 5


@pytest.mark.django_db
def test_api_tokens_revoked_or_deleted_in_the_admin_are_audited_without_their_digest(client, superuser, applicant):
    from portal.api.models import ApiToken
    from portal.api.tokens import api_token_create

    revoked, _raw = api_token_create(user=applicant, scope="read")
    deleted, _raw = api_token_create(user=applicant, scope="read")
    client.force_login(superuser)
    changelist = reverse("admin:portal_api_apitoken_changelist")
    assert client.post(changelist, {"action": "revoke", "_selected_action": [revoked.pk]}).status_code == 302
    revoked.refresh_from_db()
    assert revoked.revoked_at is not None
    action = AuditEvent.objects.get(action="admin.action", object_type="contenttypes.contenttype")
    assert action.snapshot == {"action": "revoke", "model": "portal_api.apitoken", "ids": [str(revoked.pk)]}

    assert (
        client.post(reverse("admin:portal_api_apitoken_delete", args=[deleted.pk]), {"post": "yes"}).status_code == 302
    )
    assert not ApiToken.objects.filter(pk=deleted.pk).exists()
    event = AuditEvent.objects.get(action="admin.delete", object_type="portal_api.apitoken")
    assert event.snapshot["before"]["prefix"] == deleted.prefix
    assert "digest" not in event.snapshot["before"]


@pytest.mark.django_db
def test_an_authenticator_removed_in_the_admin_is_audited_without_its_secret(client, superuser, device):
    client.force_login(superuser)
    response = client.post(reverse("admin:otp_totp_totpdevice_delete", args=[device.pk]), {"post": "yes"})
    assert response.status_code == 302
    event = AuditEvent.objects.get(action="admin.delete", object_type="otp_totp.totpdevice")
    assert event.actor == superuser and event.snapshot["before"]["name"] == "phone"
    assert "key" not in event.snapshot["before"]
    assert device.key not in str(event.snapshot)
