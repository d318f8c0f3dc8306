"""Criteria admins work in the admin: publish, new draft, locked published sets, refused bad
bands naming the factor, JSON and CSV import with clear errors."""

import io
import json

import pytest
from django.urls import reverse

from eligibility.models import Band, CriteriaSet, Factor, ScarceProfession
from portal.audit.models import AuditEvent
from tests.confirmation import post_confirmed
from tests.eligibility.conftest import admin_messages
from tests.eligibility.db_helpers import change_form_data, seed_set
from tests.eligibility.engine_helpers import fixture

pytestmark = pytest.mark.django_db


def test_criteria_admin_sees_the_sets_and_others_do_not(client, admin_client, caseworker):
    seed_set("kandas_card")
    url = reverse("admin:eligibility_criteriaset_changelist")
    assert admin_client.get(url).status_code == 200
    client.force_login(caseworker)
    assert client.get(url).status_code == 403


def test_publish_action_publishes_and_retires_with_audit(admin_client, criteria_admin):
    v1 = seed_set("kandas_card")
    v2 = seed_set("kandas_card", publish=False)
    response = post_confirmed(
        admin_client,
        reverse("admin:eligibility_criteriaset_changelist"),
        {"action": "publish_selected", "_selected_action": [v2.pk]},
        follow=True,
    )
    assert response.status_code == 200
    v1.refresh_from_db()
    v2.refresh_from_db()
    assert (v1.status, v2.status) == ("retired", "published")
    assert AuditEvent.objects.filter(action="criteria.publish", object_id=str(v2.pk), actor=criteria_admin).exists()


def test_new_draft_action_copies_a_published_set(admin_client):
    v1 = seed_set("skills_visa")
    admin_client.post(
        reverse("admin:eligibility_criteriaset_changelist"),
        {"action": "new_draft_selected", "_selected_action": [v1.pk]},
    )
    draft = CriteriaSet.objects.get(product="skills_visa", status="draft")
    assert draft.previous == v1 and draft.factors.count() == v1.factors.count()


def test_published_set_is_read_only_in_the_admin(admin_client):
    cs = seed_set("kandas_card")
    url = reverse("admin:eligibility_criteriaset_change", args=[cs.pk])
    response = admin_client.get(url)
    assert response.status_code == 200
    assert response.context["has_change_permission"] is False
    factor = Factor.objects.filter(criteria_set=cs).first()
    assert admin_client.post(reverse("admin:eligibility_factor_change", args=[factor.pk]), {}).status_code == 403


def _factor_post(factor, bands):
    data = {
        "criteria_set": factor.criteria_set_id,
        "key": factor.key,
        "label": factor.label,
        "help": "",
        "kind": factor.kind,
        "fact": factor.fact,
        "group": "",
        "order": factor.order,
        "bands-TOTAL_FORMS": len(bands),
        "bands-INITIAL_FORMS": 0,
        "bands-MIN_NUM_FORMS": 0,
        "bands-MAX_NUM_FORMS": 1000,
    }
    Band.objects.filter(factor=factor).delete()
    for i, (lo, hi, pts) in enumerate(bands):
        data.update({f"bands-{i}-min": lo, f"bands-{i}-max": hi, f"bands-{i}-points": pts, f"bands-{i}-order": i})
    return data


def test_overlapping_bands_are_refused_naming_the_factor(admin_client):
    cs = seed_set("kandas_card", publish=False)
    factor = Factor.objects.get(criteria_set=cs, key="experience")
    url = reverse("admin:eligibility_factor_change", args=[factor.pk])
    response = admin_client.post(url, _factor_post(factor, [(0, 5, 1), (3, "", 2)]))
    assert response.status_code == 200  # the form again, with the error
    assert "Factor experience: bands 0 to under 5 and 3 or more overlap" in response.content.decode()
    assert not Band.objects.filter(factor=factor).exists()

    response = admin_client.post(url, _factor_post(factor, [(0, 5, 1), (5, "", 2)]))
    assert response.status_code == 302
    assert list(Band.objects.filter(factor=factor).values_list("min", "max", "points")) == [(0, 5, 1), (5, None, 2)]
    assert AuditEvent.objects.filter(action="criteria.change", object_id=str(cs.pk)).exists()


def test_factor_reading_an_unknown_fact_is_refused(admin_client):
    cs = seed_set("kandas_card", publish=False)
    factor = Factor.objects.get(criteria_set=cs, key="experience")
    data = _factor_post(factor, [(0, "", 1)])
    data["fact"] = "experiance"
    response = admin_client.post(reverse("admin:eligibility_factor_change", args=[factor.pk]), data)
    assert "Factor experience reads unknown fact &#x27;experiance&#x27;." in response.content.decode()


def test_pass_mark_above_the_maximum_is_refused(admin_client):
    cs = seed_set("kandas_card", publish=False)
    url = reverse("admin:eligibility_criteriaset_change", args=[cs.pk])
    data = change_form_data(admin_client.get(url))
    data.update({"pass_mark": 1000})
    response = admin_client.post(url, data)
    assert "The pass mark 1000 is above the maximum attainable 140." in response.content.decode()


def test_json_import_in_the_admin_names_the_bad_field(admin_client):
    url = reverse("admin:eligibility_criteriaset_import")
    bad = fixture("skills_visa_example.json")
    bad["factors"][1]["bands"][0]["points"] = "many"
    response = admin_client.post(url, {"file": io.BytesIO(json.dumps(bad).encode()), "product": "skills_visa"})
    assert "factors[1].bands[0].points: &#x27;many&#x27; is not of type" in response.content.decode()
    assert not CriteriaSet.objects.exists()
    good = io.BytesIO(json.dumps(fixture("skills_visa_example.json")).encode())
    good.name = "set.json"
    response = admin_client.post(url, {"file": good, "product": "skills_visa"})
    assert response.status_code == 302
    assert CriteriaSet.objects.get().status == "draft"


def test_rating_csv_import_in_the_admin_lists_row_errors(admin_client):
    url = reverse("admin:eligibility_scarceprofession_import")
    csv = io.BytesIO(b"isco_code,year,sector,priority\n2211,2026,healthcare,1\n9999,2026,healthcare,1\n")
    csv.name = "rating.csv"
    response = admin_client.post(url, {"file": csv})
    assert "Row 3, isco_code: 9999 is not an ISCO-08 unit group" in response.content.decode()
    assert not ScarceProfession.objects.exists()


def test_export_action_downloads_the_json(admin_client):
    cs = seed_set("kandas_card")
    response = admin_client.post(
        reverse("admin:eligibility_criteriaset_changelist"), {"action": "export_selected", "_selected_action": [cs.pk]}
    )
    assert response["Content-Type"].startswith("application/json")
    assert json.loads(response.content)["code"] == "kandas_card_example"
    assert admin_messages(response) == []


def test_rescore_on_demand_shows_old_vs_new_then_applies(admin_client, applicant):
    """Runs on whatever database the suite has: on SQLite (`make run`) it used to answer 500."""
    from applications.models import Application, ApplicationScore
    from applications.scoring.services import application_score
    from tests.eligibility.db_helpers import skills_answers, submitted_application

    cs = seed_set("skills_visa")
    app = submitted_application(applicant, "skills_visa", skills_answers(5))
    application_score(application=app)
    app.refresh_from_db()
    right_priority = app.priority
    ApplicationScore.objects.filter(application=app).update(score=1, passes=False)  # stale score
    Application.objects.filter(pk=app.pk).update(priority=4 - right_priority if right_priority != 2 else 3)
    url = reverse("admin:eligibility_criteriaset_rescore", args=[cs.pk])
    response = admin_client.get(url)
    rows = response.context["rows"]
    assert [(r["application"], r["old_total"]) for r in rows] == [(app.pk, 1)]
    assert admin_client.post(url).status_code == 302
    app.refresh_from_db()
    assert app.score == rows[0]["new_total"]
    assert app.priority == right_priority, "the bulk rescore re-prioritises like scoring one"
    assert AuditEvent.objects.filter(
        action="applications.rescore", reason__startswith="rescored 1 applications", actor__isnull=False
    ).exists()


def test_region_flag_edits_and_rating_imports_are_audited(admin_client, criteria_admin):
    from eligibility.models import RegionYear

    url = reverse("admin:eligibility_regionyear_add")
    response = admin_client.post(url, {"region": "KZ-59", "year": 2026, "labour_deficient": "on"})
    assert response.status_code == 302
    row = RegionYear.objects.get()
    added = AuditEvent.objects.get(action="admin.add", object_id=str(row.pk), actor=criteria_admin)
    assert added.snapshot["before"]["labour_deficient"] is None and added.snapshot["after"]["labour_deficient"] is True
    csv = io.BytesIO(b"isco_code,year,sector,priority\n2211,2026,healthcare,1\n")
    csv.name = "rating.csv"
    admin_client.post(reverse("admin:eligibility_scarceprofession_import"), {"file": csv})
    event = AuditEvent.objects.get(action="rating.import")
    assert event.actor == criteria_admin and event.snapshot["after"]["priority"] == 1


@pytest.mark.parametrize("kind", ["bands", "choices", "boolean", "lookup", "matrix"])
def test_every_factor_kind_opens_in_the_admin_with_its_rows(admin_client, kind):
    name = {"matrix": "skills_visa_example.json", "boolean": "jp_hsp_b.json"}.get(kind, "kandas_card_example.json")
    cs = seed_set("skills_visa", publish=False, name=name)
    factor = Factor.objects.filter(criteria_set=cs, kind=kind).first()
    response = admin_client.get(reverse("admin:eligibility_factor_change", args=[factor.pk]))
    assert response.status_code == 200
    inlines = {f.formset.prefix for f in response.context["inline_admin_formsets"]}
    expected = {
        "bands": {"bands"},
        "choices": {"choices"},
        "lookup": {"choices"},
        "boolean": set(),
        "matrix": {"matrix_entries", "cells"},
    }
    assert inlines == expected[kind]


def test_draft_change_page_lists_problems_naming_the_factor(admin_client):
    cs = seed_set("kandas_card", publish=False)
    factor = Factor.objects.get(criteria_set=cs, key="age")
    Band.objects.filter(factor=factor, order=2).delete()  # 36 to 45: leaves a gap
    html = admin_client.get(reverse("admin:eligibility_criteriaset_change", args=[cs.pk])).content.decode()
    assert "factor age: gap between bands" in html


def test_region_flags_csv_import_in_the_admin_lists_row_errors_then_imports(admin_client, criteria_admin):
    from eligibility.models import RegionYear

    url = reverse("admin:eligibility_regionyear_import")
    assert admin_client.get(reverse("admin:eligibility_regionyear_changelist")).content.decode().count(url) == 1
    form = admin_client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Import the regions&#x27; yearly labour-deficient flags (CSV)" in form and "KZ-10" in form
    bad = io.BytesIO(b"region,year,labour_deficient\nKZ-59,2026,true\nKZ-00,2026,perhaps\n")
    bad.name = "regions.csv"
    page = admin_client.post(url, {"file": bad}, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Row 3, region: KZ-00 is not a region&#x27;s ISO 3166-2 code" in page
    assert "Row 3, labour_deficient: must be true or false" in page
    assert not RegionYear.objects.exists()
    good = io.BytesIO(b"region,year,labour_deficient\nKZ-59,2026,true\nKZ-75,2026,false\n")
    good.name = "regions.csv"
    assert admin_client.post(url, {"file": good}).status_code == 302
    assert dict(RegionYear.objects.values_list("region_id", "labour_deficient")) == {"KZ-59": True, "KZ-75": False}
    event = AuditEvent.objects.filter(action="region_year.import").first()
    assert event.actor == criteria_admin
    exported = admin_client.post(
        reverse("admin:eligibility_regionyear_changelist"),
        {"action": "export_csv", "_selected_action": list(RegionYear.objects.values_list("pk", flat=True))},
    )
    assert exported["Content-Type"].startswith("text/csv")
    assert exported.content.decode().splitlines()[0] == "region,year,labour_deficient,name_en"
    assert len(exported.content.decode().splitlines()) == 21  # the year's every region


def test_region_flags_import_page_is_refused_to_other_staff(client, caseworker):
    client.force_login(caseworker)
    response = client.get(reverse("admin:eligibility_regionyear_import"))
    assert response.status_code == 403


def test_json_import_refuses_a_nul_in_any_text_naming_its_path(admin_client):
    url = reverse("admin:eligibility_criteriaset_import")
    bad = fixture("skills_visa_example.json")
    bad["factors"][0]["label"] = "Age\x00"
    response = admin_client.post(url, {"file": io.BytesIO(json.dumps(bad).encode()), "product": "skills_visa"})
    assert response.status_code == 200
    assert "factors.0.label contains a character that cannot be used" in response.content.decode()
    assert not CriteriaSet.objects.exists()
