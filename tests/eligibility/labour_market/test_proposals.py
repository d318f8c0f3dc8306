"""From model to policy: a proposal against the rating in force, edits with reasons, and
four-eyes publication through the rating's one writer (which scoring reads)."""

import pytest
from django.urls import reverse

from eligibility.labour_market import services
from eligibility.labour_market.models import ProposalRow, RatingProposal, ShortageModel
from eligibility.labour_market.selectors import proposal_changes
from eligibility.labour_market.synthetic import PLANTED_NATIONAL
from eligibility.models import ScarceProfession
from eligibility.services import SCARCE_TABLE, reference_tables
from portal import roles
from portal.audit.models import AuditEvent
from tests.conftest import _user
from tests.eligibility.labour_market.helpers import import_small

pytestmark = pytest.mark.django_db
YEAR = 2027


@pytest.fixture
def second_admin(db):
    return _user("second.admin@example.kz", roles.CRITERIA_ADMIN, staff=True)


@pytest.fixture
def proposal(criteria_admin):
    # In force before: a planted shortage at priority 3, and an occupation the model will not rate.
    ScarceProfession.objects.create(occupation_id="2221", year=2026, sector="healthcare", priority=3)
    ScarceProfession.objects.create(occupation_id="9111", year=2026, sector="other", priority=2)
    return services.proposal_create(
        year=YEAR, data_import=import_small(), shortage_model=ShortageModel.objects.get(), actor=criteria_admin
    )


def test_the_model_proposes_the_planted_shortages_first_with_how_it_got_there(proposal):
    national = list(ProposalRow.objects.filter(proposal=proposal, region=None).order_by("-score"))
    assert {r.occupation_id for r in national[: len(PLANTED_NATIONAL)]} == set(PLANTED_NATIONAL)
    nurses = next(r for r in national if r.occupation_id == "2221")
    assert nurses.priority == nurses.model_priority == 1 and nurses.sector == "healthcare"
    assert set(nurses.indicators["parts"]) == {
        "vacancy_ratio",
        "long_open_share",
        "wage_growth_gap",
        "employment_growth",
    }
    assert ProposalRow.objects.filter(proposal=proposal, region="KZ-59").count() == len(national)
    assert AuditEvent.objects.filter(action="rating_proposal.create", object_id=str(proposal.pk)).exists()


def test_the_proposal_is_compared_with_the_rating_in_force(proposal):
    changes = {c.occupation: c for c in proposal_changes(proposal)}
    assert (changes["2221"].kind, changes["2221"].current, changes["2221"].proposed) == ("moved", 3, 1)
    assert (changes["9111"].kind, changes["9111"].proposed) == ("removed", None)
    assert changes["2512"].kind == "added" and changes["2512"].row.sector == "it"


def test_an_edit_needs_a_reason_and_is_audited(proposal, criteria_admin):
    row = ProposalRow.objects.get(proposal=proposal, region=None, occupation_id="2512")
    with pytest.raises(services.ProposalError, match="reason_required"):
        services.proposal_row_edit(row=row, priority=2, sector="it", reason="  ", actor=criteria_admin)
    services.proposal_row_edit(row=row, priority=2, sector="it", reason="Graduates due next year", actor=criteria_admin)
    row.refresh_from_db()
    assert (row.priority, row.model_priority, row.reason) == (2, 1, "Graduates due next year")
    event = AuditEvent.objects.get(action="rating_proposal.edit")
    assert event.snapshot["before"]["priority"] == 1 and event.snapshot["after"]["priority"] == 2
    regional = ProposalRow.objects.filter(proposal=proposal, region="KZ-59").first()
    with pytest.raises(services.ProposalError, match="regional_row"):
        services.proposal_row_edit(row=regional, priority=1, sector="it", reason="x", actor=criteria_admin)


def test_the_proposer_cannot_approve_and_a_second_admin_publishes(proposal, criteria_admin, second_admin):
    services.proposal_submit(proposal=proposal, actor=criteria_admin)
    with pytest.raises(services.ProposalError, match="four_eyes"):
        services.proposal_approve(proposal=proposal, actor=criteria_admin)
    with pytest.raises(services.ProposalError, match="not_draft"):
        row = ProposalRow.objects.filter(proposal=proposal, region=None).first()
        services.proposal_row_edit(row=row, priority=1, sector="it", reason="late", actor=second_admin)
    assert not ScarceProfession.objects.filter(year=YEAR).exists()

    services.proposal_approve(proposal=proposal, actor=second_admin)
    proposal.refresh_from_db()
    assert (proposal.status, proposal.approved_by) == (RatingProposal.Status.PUBLISHED, second_admin)
    published = dict(ScarceProfession.objects.filter(year=YEAR).values_list("occupation_id", "priority"))
    expected = dict(
        ProposalRow.objects.filter(proposal=proposal, region=None, priority__isnull=False).values_list(
            "occupation_id", "priority"
        )
    )
    assert published == expected and published["2221"] == 1 and "9111" not in published
    # Scoring reads the published rating as it reads an imported one.
    assert reference_tables(YEAR)[SCARCE_TABLE] == published
    assert AuditEvent.objects.filter(action="rating.publish").count() == len(published)
    assert AuditEvent.objects.get(action="rating_proposal.approve").actor == second_admin
    with pytest.raises(services.ProposalError, match="not_allowed"):
        services.proposal_approve(proposal=proposal, actor=second_admin)


def test_an_admin_who_edited_a_row_cannot_approve_either(proposal, criteria_admin, second_admin):
    row = ProposalRow.objects.get(proposal=proposal, region=None, occupation_id="2512")
    services.proposal_row_edit(row=row, priority=2, sector="it", reason="Seen locally", actor=second_admin)
    services.proposal_submit(proposal=proposal, actor=criteria_admin)
    with pytest.raises(services.ProposalError, match="four_eyes"):
        services.proposal_approve(proposal=proposal, actor=second_admin)


def test_publishing_replaces_the_year_and_a_later_year_replaces_it_again(proposal, criteria_admin, second_admin):
    ScarceProfession.objects.create(occupation_id="9111", year=YEAR, sector="other", priority=1)
    services.proposal_submit(proposal=proposal, actor=criteria_admin)
    services.proposal_approve(proposal=proposal, actor=second_admin)
    assert not ScarceProfession.objects.filter(year=YEAR, occupation_id="9111").exists()
    removed = AuditEvent.objects.get(action="rating.publish", reason="removed")
    assert removed.snapshot["isco_code"] == "9111"


def test_the_pages_walk_from_proposal_to_publication(client, criteria_admin, second_admin):
    data_import = import_small()
    client.force_login(criteria_admin)
    page = client.get(reverse("labour_market:proposals"))
    assert page.status_code == 200
    response = client.post(
        reverse("labour_market:proposals"),
        {"year": YEAR, "data_import": data_import.pk, "shortage_model": ShortageModel.objects.get().pk},
    )
    proposal = RatingProposal.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("labour_market:proposal", args=[proposal.pk])
    page = client.get(response["Location"]).content.decode()
    assert "2512" in page and "vacancies per job seeker" in page
    regional = client.get(response["Location"] + "?region=KZ-59").content.decode()
    assert "2341" in regional

    row = ProposalRow.objects.get(proposal=proposal, region=None, occupation_id="2512")
    edit_url = reverse("labour_market:row_edit", args=[proposal.pk, row.pk])
    refused = client.post(edit_url, {"priority": "2", "sector": "it", "reason": ""})
    assert refused.status_code == 200 and "error-summary" in refused.content.decode()
    assert client.post(edit_url, {"priority": "2", "sector": "it", "reason": "Local data"}).status_code == 302
    client.post(reverse("labour_market:proposal_action", args=[proposal.pk, "submit"]))

    # The proposer sees no approve button, and a direct POST is refused.
    assert (
        "Approve and publish" not in client.get(reverse("labour_market:proposal", args=[proposal.pk])).content.decode()
    )
    approve = reverse("labour_market:proposal_action", args=[proposal.pk, "approve"])
    confirm = client.post(approve)
    token = confirm.context["token"]
    client.post(approve, {"confirm_token": token})
    assert RatingProposal.objects.get().status == RatingProposal.Status.SUBMITTED

    client.force_login(second_admin)
    confirm = client.post(approve)
    assert confirm.status_code == 200 and "confirm_token" in confirm.content.decode()
    assert RatingProposal.objects.get().status == RatingProposal.Status.SUBMITTED
    done = client.post(approve, {"confirm_token": confirm.context["token"]})
    assert done.status_code == 302
    assert RatingProposal.objects.get().status == RatingProposal.Status.PUBLISHED
    assert ScarceProfession.objects.get(year=YEAR, occupation_id="2512").priority == 2


@pytest.mark.parametrize("value", ["%00", "%ED%A0%80", "9" * 40, "-1"])  # NUL, a lone surrogate, huge
def test_hostile_input_gets_a_form_error_not_a_500(client, criteria_admin, value):
    data_import = import_small()
    client.force_login(criteria_admin)
    body = f"year={value}&data_import={data_import.pk}&shortage_model={value}"
    response = client.post(reverse("labour_market:proposals"), body, content_type="application/x-www-form-urlencoded")
    assert response.status_code in (200, 400)
    assert not RatingProposal.objects.exists()
    row_url = reverse("labour_market:row_edit", args=[1, 1])
    assert (
        client.post(
            row_url, f"priority={value}&reason={value}", content_type="application/x-www-form-urlencoded"
        ).status_code
        == 404
    )


@pytest.mark.parametrize("value", ["%00", "%ED%A0%80", "9" * 40, "0"])
def test_hostile_input_on_a_row_gets_a_form_error_and_changes_nothing(client, proposal, criteria_admin, value):
    row = ProposalRow.objects.get(proposal=proposal, region=None, occupation_id="2221")
    client.force_login(criteria_admin)
    url = reverse("labour_market:row_edit", args=[proposal.pk, row.pk])
    body = f"priority={value}&sector={value}&reason=ok{value}"
    response = client.post(url, body, content_type="application/x-www-form-urlencoded")
    assert response.status_code in (200, 400)
    row.refresh_from_db()
    assert (row.priority, row.reason) == (1, "")


def test_a_regional_row_has_no_edit_page(client, proposal, criteria_admin):
    regional = ProposalRow.objects.filter(proposal=proposal, region="KZ-59").first()
    client.force_login(criteria_admin)
    assert client.get(reverse("labour_market:row_edit", args=[proposal.pk, regional.pk])).status_code == 404


def test_a_huge_id_in_the_address_is_a_404_not_a_500(client, criteria_admin):
    client.force_login(criteria_admin)
    huge = 10**30
    assert client.get(reverse("labour_market:proposal", args=[huge])).status_code == 404
    assert client.get(reverse("labour_market:row_edit", args=[huge, huge])).status_code == 404
