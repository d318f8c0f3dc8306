"""The aggregate tables follow every transition, and the rebuild from the trail agrees."""

import pytest
from django.urls import reverse

from applications.analytics.models import FlowCount, SlaCount, StageClock, StageDuration
from applications.analytics.services import analytics_rebuild, citizenship_of, is_qualified
from applications.services import application_start
from tests.api.test_eligibility_api import ANSWERS as API_ANSWERS
from tests.eligibility.test_self_check import KANDAS_ANSWERS, published  # noqa: F401 - fixture

pytestmark = pytest.mark.django_db


def counts(**key) -> int:
    return sum(FlowCount.objects.filter(**key).values_list("count", flat=True))


def test_a_new_draft_is_counted_and_starts_its_stage_clock(applicant):
    app = application_start(owner=applicant, product="kandas_card")
    assert counts(event="draft", product="kandas_card") == 1
    assert StageClock.objects.filter(application_id=app.pk).exists()
    application_start(owner=applicant, product="kandas_card")  # the same open draft, not a new one
    assert counts(event="draft") == 1


def test_each_transition_is_counted_under_the_cases_dimensions(drive):
    drive(region_id="KZ-55", sector="it")
    row = FlowCount.objects.get(event="approve")
    assert (row.product, row.region, row.sector, row.citizenship, row.occupation) == (
        "kandas_card",
        "KZ-55",
        "it",
        "CN",
        "2221",
    )
    assert row.qualified is True and row.count == 1
    assert [counts(event=e) for e in ("submit", "start_review", "recommend", "approve", "refuse")] == [1, 1, 1, 1, 0]


def test_time_in_each_stage_is_counted_when_the_case_leaves_it(drive):
    drive()
    stages = dict(StageDuration.objects.values_list("stage", "count"))
    # The case was built as a draft without a clock: "draft" is not timed, the rest are.
    assert stages == {"submitted": 1, "in_review": 1, "recommended": 1}
    assert set(StageDuration.objects.values_list("hours", flat=True)) == {0}


def test_counters_add_up_over_cases_with_the_same_key(drive):
    for _ in range(3):
        drive()
    drive(outcome="refuse")
    assert counts(event="approve") == 3 and counts(event="refuse") == 1
    assert FlowCount.objects.filter(event="approve").count() == 1  # one row, counted three times
    sla = SlaCount.objects.get()
    assert (sla.decided, sla.breached) == (4, 0)


def test_a_decision_after_the_deadline_is_a_breach(drive):
    drive(late=True)
    drive()
    sla = SlaCount.objects.get()
    assert (sla.decided, sla.breached) == (2, 1)


def test_a_completed_self_check_is_counted_by_product(client, published):  # noqa: F811 - fixture
    client.post(reverse("eligibility:self_check", args=["kandas_card"]), KANDAS_ANSWERS)
    client.get(reverse("eligibility:self_check", args=["kandas_card"]))  # questions only: not a run
    assert counts(event="self_check", product="kandas_card") == 1


def test_the_self_check_api_counts_a_run_too(client, published):  # noqa: F811 - fixture
    response = client.post(
        "/api/v1/public/self-check/kandas_card/", {"answers": API_ANSWERS}, content_type="application/json"
    )
    assert response.status_code == 200, response.content
    assert counts(event="self_check") == 1


def _snapshot() -> dict[str, set]:
    return {
        "flows": set(FlowCount.objects.values_list(*_fields(FlowCount))),
        "stages": set(StageDuration.objects.values_list(*_fields(StageDuration))),
        "sla": set(SlaCount.objects.values_list(*_fields(SlaCount))),
        "clocks": set(StageClock.objects.values_list("application_id", flat=True)),
    }


def _fields(model) -> list[str]:
    return [f.attname for f in model._meta.concrete_fields if f.name != "id"]


def test_the_rebuild_from_the_trail_gives_the_incremental_counters(drive, applicant, stranger):
    application_start(owner=stranger, product="skills_visa")
    drive(region_id="KZ-55", sector="it")
    drive(region_id="KZ-59", sector="healthcare", outcome="refuse")
    drive(region_id="KZ-59", sector="healthcare", late=True)
    drive(outcome="withdraw")
    drive(outcome="", answers={"personal": {"citizenship": "UZ"}, "profession": {"education_level": "secondary"}})
    incremental = _snapshot()
    assert incremental["flows"] and incremental["stages"] and incremental["sla"]
    FlowCount.objects.create(month="2026-01-01", product="kandas_card", event="self_check", count=7)

    analytics_rebuild(batch=2)  # small chunks: a case's events never split across two

    rebuilt = _snapshot()
    self_checks = {row for row in rebuilt["flows"] if row[_fields(FlowCount).index("event")] == "self_check"}
    assert len(self_checks) == 1  # kept: the self-check stores nothing to recount from
    assert rebuilt["flows"] - self_checks == incremental["flows"]
    assert rebuilt["stages"] == incremental["stages"]
    assert rebuilt["sla"] == incremental["sla"]
    assert rebuilt["clocks"] == incremental["clocks"]


def test_the_rebuild_backfills_counters_of_cases_older_than_them(drive):
    drive()
    FlowCount.objects.exclude(event="self_check").delete()
    StageDuration.objects.all().delete()
    analytics_rebuild()
    assert counts(event="approve") == 1 and StageDuration.objects.exists()


@pytest.mark.parametrize(
    ("answers", "citizenship", "qualified"),
    [
        ({"personal": {"citizenship": "cn"}, "education": {"education_level": "vocational"}}, "CN", True),
        ({"personal": {"citizenship": "CHN"}, "profession": {"education_level": "secondary"}}, "", False),
        ({"personal": {"citizenship": "\x00\ud800"}}, "", False),
        ({"personal": {"citizenship": 7}, "profession": None}, "", False),
        ("not a dict", "", False),
    ],
)
def test_dimensions_read_from_the_answers_never_overflow_the_key(answers, citizenship, qualified):
    assert citizenship_of(answers) == citizenship
    assert is_qualified(answers) is qualified
