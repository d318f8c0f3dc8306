"""Quota proposals: made from the labour market, this year's uptake and the waiting list;
compared with the quotas in force; edited with reasons; approved by a second administrator,
when they become the sector × region quotas of their year."""

from decimal import Decimal

import pytest
from django.conf import settings as django_settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from eligibility.labour_market import quota_services as services
from eligibility.labour_market.models import QuotaProposal, QuotaProposalRow
from eligibility.models import Quota, ScarceProfession
from portal import roles
from portal.audit.models import AuditEvent
from portal.confirmation import FIELD
from tests.conftest import _user
from tests.eligibility.labour_market.helpers import import_small

pytestmark = pytest.mark.django_db
YEAR = 2027
PRODUCT = "skills_visa"


@pytest.fixture
def second_admin(db):
    return _user("second.admin@example.kz", roles.CRITERIA_ADMIN, staff=True)


@pytest.fixture
def data_import(db):
    return import_small()


def _propose(data_import, actor, uptake=None, **settings):
    return services.quota_proposal_create(
        product=PRODUCT, year=YEAR, data_import=data_import, settings=settings, actor=actor, uptake=uptake or {}
    )


def _places(proposal, sector, region):
    row = QuotaProposalRow.objects.filter(proposal=proposal, sector=sector, region_id=region).first()
    return row.places if row else 0


def test_the_planted_regional_shortage_gets_the_most_places_in_its_sector(data_import, criteria_admin):
    proposal = _propose(data_import, criteria_admin, demand_weight="1")
    rows = list(proposal.rows.all())
    education = sorted((r for r in rows if r.sector == "education"), key=lambda r: -r.places)
    # Primary school teachers, planted in North Kazakhstan: more than any other region's education.
    assert education[0].region_id == "KZ-59" and education[0].places > education[1].places
    assert education[0].inputs["inputs"]["top"][0][0] == "2341"
    event = AuditEvent.objects.get(action="quota_proposal.create", object_id=str(proposal.pk))
    assert event.snapshot["rows"] == len(rows) and Decimal(event.snapshot["settings"]["demand_weight"]) == 1


def test_the_published_rating_feeds_the_proposal(data_import, criteria_admin):
    before = _places(_propose(data_import, criteria_admin, demand_weight="1"), "education", "KZ-59")
    ScarceProfession.objects.create(occupation_id="2341", year=YEAR, sector="education", priority=1)
    after = _propose(data_import, criteria_admin, demand_weight="1")
    assert _places(after, "education", "KZ-59") > before  # a rated occupation's vacancies count in full
    assert after.rating_year == YEAR


def test_a_full_quota_with_a_waiting_list_gets_more_than_its_places(data_import, criteria_admin):
    Quota.objects.create(product=PRODUCT, year=YEAR - 1, sector="sports", region_id="KZ-11", places=10, used=10)
    Quota.objects.create(product=PRODUCT, year=YEAR - 1, sector="sports", region_id="KZ-15", places=10, used=3)
    uptake = {("sports", "KZ-11"): {"approved": 10, "waiting": 7}, ("sports", "KZ-15"): {"approved": 3, "waiting": 0}}
    proposal = _propose(data_import, criteria_admin, uptake=uptake, demand_weight=0)
    assert _places(proposal, "sports", "KZ-11") == 11 + 7 > 10
    assert _places(proposal, "sports", "KZ-15") == 4 < 10
    row = proposal.rows.get(sector="sports", region_id="KZ-11")
    assert row.inputs["inputs"]["places_now"] == 10 and row.inputs["inputs"]["used_now"] == 10


def test_the_proposal_is_compared_with_the_quotas_in_force(data_import, criteria_admin):
    Quota.objects.create(product=PRODUCT, year=YEAR - 1, sector="sports", region_id="KZ-11", places=10, used=10)
    Quota.objects.create(product=PRODUCT, year=YEAR - 1, sector="culture", region_id="KZ-11", places=5)
    Quota.objects.create(product=PRODUCT, year=YEAR - 1, sector="sports", places=50)  # not sector × region
    proposal = _propose(data_import, criteria_admin, uptake={("sports", "KZ-11"): {"approved": 10}}, demand_weight=0)
    year, in_force = services.quotas_in_force(PRODUCT, YEAR)
    assert year == YEAR - 1 and set(in_force) == {("sports", "KZ-11"), ("culture", "KZ-11")}
    changes = {
        (c.sector, c.region): c for c in services.quota_proposal_changes(proposal, list(proposal.rows.all()), in_force)
    }
    assert (
        changes["sports", "KZ-11"].kind,
        changes["sports", "KZ-11"].current,
        changes["sports", "KZ-11"].proposed,
    ) == (
        "changed",
        10,
        11,
    )
    assert changes["culture", "KZ-11"].kind == "removed"


def test_an_edit_needs_a_reason_is_audited_and_only_in_draft(data_import, criteria_admin, second_admin):
    proposal = _propose(data_import, criteria_admin, uptake={("it", "KZ-75"): {"approved": 4}}, demand_weight=0)
    row = proposal.rows.get(sector="it", region_id="KZ-75")
    with pytest.raises(services.QuotaProposalError, match="reason_required"):
        services.quota_proposal_row_edit(row=row, places=50, reason=" ", actor=criteria_admin)
    services.quota_proposal_row_edit(row=row, places=50, reason="New tech park", actor=criteria_admin)
    row.refresh_from_db()
    assert (row.places, row.model_places, row.reason) == (50, 5, "New tech park")
    event = AuditEvent.objects.get(action="quota_proposal.edit")
    assert (event.snapshot["before"], event.snapshot["after"], event.reason) == (5, 50, "New tech park")
    services.quota_proposal_submit(proposal=proposal, actor=criteria_admin)
    with pytest.raises(services.QuotaProposalError, match="not_draft"):
        services.quota_proposal_row_edit(row=row, places=1, reason="late", actor=second_admin)


def test_the_proposer_cannot_approve_and_a_second_admin_sets_the_quotas(data_import, criteria_admin, second_admin):
    third = _user("third.admin@example.kz", roles.CRITERIA_ADMIN, staff=True)
    # In force for the quota year already: one to change, one unused to remove, one used to keep.
    changed = Quota.objects.create(product=PRODUCT, year=YEAR, sector="it", region_id="KZ-75", places=2)
    unused = Quota.objects.create(product=PRODUCT, year=YEAR, sector="culture", region_id="KZ-11", places=5)
    used = Quota.objects.create(product=PRODUCT, year=YEAR, sector="culture", region_id="KZ-15", places=5, used=4)
    sector_only = Quota.objects.create(product=PRODUCT, year=YEAR, sector="culture", places=9)
    proposal = _propose(
        data_import, criteria_admin, uptake={("it", "KZ-75"): {"approved": 10, "waiting": 2}}, demand_weight=0
    )
    row = proposal.rows.get(sector="it", region_id="KZ-75")
    services.quota_proposal_row_edit(row=row, places=30, reason="Hub opening", actor=second_admin)
    services.quota_proposal_submit(proposal=proposal, actor=criteria_admin)
    for who in (criteria_admin, second_admin):  # proposer and editor: four eyes refuses both
        with pytest.raises(services.QuotaProposalError, match="four_eyes"):
            services.quota_proposal_approve(proposal=proposal, actor=who)
    assert Quota.objects.get(pk=changed.pk).places == 2
    services.quota_proposal_approve(proposal=proposal, actor=third)
    proposal.refresh_from_db()
    assert proposal.status == QuotaProposal.Status.APPROVED and proposal.approved_by == third
    assert Quota.objects.get(pk=changed.pk).places == 30
    assert not Quota.objects.filter(pk=unused.pk).exists()
    assert Quota.objects.get(pk=used.pk).places == 5  # cases hold its places: left alone
    assert Quota.objects.get(pk=sector_only.pk).places == 9
    event = AuditEvent.objects.get(action="quota_proposal.approve")
    assert (event.snapshot["updated"], event.snapshot["removed"], event.snapshot["kept"]) == (1, 1, 1)
    assert AuditEvent.objects.filter(action="quota.set").count() == event.snapshot["created"] + 1
    assert AuditEvent.objects.filter(action="quota.remove", object_id=str(unused.pk)).exists()
    with pytest.raises(services.QuotaProposalError, match="not_allowed"):
        services.quota_proposal_approve(proposal=proposal, actor=third)


def test_an_approved_row_never_goes_below_the_places_already_used(data_import, criteria_admin, second_admin):
    quota = Quota.objects.create(product=PRODUCT, year=YEAR, sector="it", region_id="KZ-75", places=20, used=12)
    proposal = _propose(data_import, criteria_admin, uptake={("it", "KZ-75"): {"approved": 3}}, demand_weight=0)
    services.quota_proposal_submit(proposal=proposal, actor=criteria_admin)
    services.quota_proposal_approve(proposal=proposal, actor=second_admin)
    assert Quota.objects.get(pk=quota.pk).places == 12


def test_pages_make_edit_submit_and_approve_with_a_confirmation_step(
    client, data_import, criteria_admin, second_admin, settings
):
    settings.LANGUAGE_CODE = "en"
    client.force_login(criteria_admin)
    client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = "en"
    form = {"product": PRODUCT, "year": YEAR, "data_import": data_import.pk, "uptake_weight": "1.10"}
    form |= {"waiting_weight": "1", "demand_weight": "0.05", "unrated_weight": "0.5", "ceiling": "1000"}
    response = client.post(reverse("labour_market:quota_proposals"), form)
    proposal = QuotaProposal.objects.get()
    assert response.status_code == 302 and response.url == reverse("labour_market:quota_proposal", args=[proposal.pk])
    page = client.get(response.url).content.decode()
    assert "Education in North Kazakhstan Region" in page and "unfilled vacancies in rated occupations" in page
    row = proposal.rows.get(sector="education", region_id="KZ-59")
    edit_url = reverse("labour_market:quota_row_edit", args=[proposal.pk, row.pk])
    assert client.post(edit_url, {"places": "7"}).status_code == 200  # no reason: the form again
    assert not QuotaProposalRow.objects.filter(pk=row.pk, places=7).exists()
    assert client.post(edit_url, {"places": "7", "reason": "Agreed with the region"}).status_code == 302
    client.post(reverse("labour_market:quota_proposal_action", args=[proposal.pk, "submit"]))
    approve = reverse("labour_market:quota_proposal_action", args=[proposal.pk, "approve"])
    client.post(approve)
    client.force_login(second_admin)
    confirm = client.post(approve)
    assert (
        confirm.status_code == 200 and "Are you sure you want to set the quotas for 2027?" in confirm.content.decode()
    )
    assert not Quota.objects.filter(year=YEAR).exists()
    token = confirm.context["token"]
    assert client.post(approve, {FIELD: token}).status_code == 302
    assert Quota.objects.get(year=YEAR, sector="education", region_id="KZ-59").places == 7
    assert Quota.objects.filter(year=YEAR).count() == proposal.rows.filter(places__gt=0).count()


@pytest.mark.parametrize("bad", ["99999999999999999999", "1\x00", "-1", "abc"])
def test_hostile_places_are_a_form_error(client, data_import, criteria_admin, bad):
    proposal = _propose(data_import, criteria_admin, uptake={("it", "KZ-75"): {"approved": 4}}, demand_weight=0)
    row = proposal.rows.get(sector="it", region_id="KZ-75")
    client.force_login(criteria_admin)
    response = client.post(
        reverse("labour_market:quota_row_edit", args=[proposal.pk, row.pk]), {"places": bad, "reason": "x"}
    )
    assert response.status_code in (200, 400)
    row.refresh_from_db()
    assert row.places == 5


def test_the_proposal_page_makes_the_same_queries_however_many_rows(client, data_import, criteria_admin):
    small = _propose(data_import, criteria_admin)
    large = _propose(data_import, criteria_admin)
    small.rows.exclude(pk__in=list(small.rows.values_list("pk", flat=True)[:3])).delete()
    assert large.rows.count() > small.rows.count() + 20
    Quota.objects.create(product=PRODUCT, year=YEAR - 1, sector="it", region_id="KZ-75", places=2)
    client.force_login(criteria_admin)

    def queries(proposal):
        client.get(reverse("labour_market:quota_proposal", args=[proposal.pk]) + "?all=1")  # warm caches
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(reverse("labour_market:quota_proposal", args=[proposal.pk]) + "?all=1").status_code == 200
        return len(ctx)

    assert queries(large) == queries(small)
