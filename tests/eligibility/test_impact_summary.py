"""The admin's impact summary names outcomes in words, in the admin's language, never as codes."""

import pytest
from django.contrib import admin
from django.utils import translation

from eligibility.admin import ImpactReportAdmin
from eligibility.models import ImpactReport
from tests.eligibility.db_helpers import seed_set

RESULT = {
    "pool": 7,
    "compared_with": "Skills",
    "passing_now": 3,
    "passing_draft": 2,
    "outcomes": [
        {"status": "pass", "now": 3, "draft": 2},
        {"status": "fail", "now": 2, "draft": 4},
        {"status": "needs_more_information", "now": 2, "draft": 1},
    ],
    "flip_counts": {"pass->fail": 1, "needs_more_information->fail": 1},
    "flips": [
        {"application": 1, "reference": "VS-2026-000001", "old_total": 60, "old_status": "pass"}
        | {"new_total": 55, "new_status": "fail"},
    ],
    "histogram": [],
    "by_sector": {},
}


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "words"),
    [
        ("en", ["Passes", "Does not pass", "Needs more information", "Passes → Does not pass"]),
        ("ru", ["Проходит", "Не проходит", "Нужна дополнительная информация", "Проходит → Не проходит"]),
        ("kk", ["Өтеді", "Өтпейді", "Қосымша ақпарат қажет", "Өтеді → Өтпейді"]),
    ],
)
def test_the_impact_summary_counts_each_outcome_in_words(language, words):
    report = ImpactReport.objects.create(
        criteria_set=seed_set("skills_visa"), status=ImpactReport.Status.DONE, result=RESULT
    )
    with translation.override(language):
        html = ImpactReportAdmin(ImpactReport, admin.site).summary(report)
    assert all(word in html for word in words), html
    assert "<td>2</td><td>1</td>" in html  # needs more information: now 2, under the draft 1
    for code in ("needs_more_information", "pass->fail", "(pass)", "(fail)"):
        assert code not in html


@pytest.mark.django_db
def test_a_report_from_before_the_outcome_counts_still_shows():
    result = {k: v for k, v in RESULT.items() if k != "outcomes"}
    report = ImpactReport.objects.create(
        criteria_set=seed_set("skills_visa"), status=ImpactReport.Status.DONE, result=result
    )
    with translation.override("en"):
        html = ImpactReportAdmin(ImpactReport, admin.site).summary(report)
    assert "Passing now: 3" in html and "Outcomes" not in html
