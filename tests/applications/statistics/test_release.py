"""The monthly release: what is counted, the stored figures, suppression across the linked
tables, revisions, the audit row, the beat task and the command."""

from collections import defaultdict
from datetime import date

import pytest
from django.core.management import CommandError, call_command

from applications.statistics import sdc
from applications.statistics.models import Dimension, Measure, Release, ReleaseCell
from applications.statistics.services import previous_month, release_compute, release_counts, release_tables
from applications.statistics.tasks import statistics_release_publish
from eligibility.products import Product
from portal.audit.models import AuditEvent
from tests.applications.statistics.test_sdc import attacker_recovers

pytestmark = pytest.mark.django_db


def _value(release, measure, dimension, category, product):
    return ReleaseCell.objects.get(
        release=release, measure=measure, dimension=dimension, category=category, product=product
    ).value


def test_counts_follow_the_documented_dates_and_states(month_of_cases):
    counts = release_counts(month_of_cases)
    totals = {measure: sum(counts[measure].values()) for measure in Measure.values}
    assert totals == {"submitted": 44, "approved": 23, "refused": 4, "issued": 11}
    assert counts["submitted"][("kandas_card", "unknown", "unknown", "unknown")] == 2


def test_large_cells_are_published_exactly_and_small_ones_never(month_of_cases):
    release = release_compute(period=month_of_cases)
    assert _value(release, "submitted", "region", "KZ-71", "kandas_card") == 14
    assert _value(release, "submitted", "citizenship", "CN", "kandas_card") == 25
    assert _value(release, "submitted", "citizenship", "UZ", "skills_visa") is None
    assert _value(release, "submitted", "region", "", "") == 44
    assert _value(release, "refused", "region", "", "") is None  # 4 in all
    shown = ReleaseCell.objects.filter(release=release, value__isnull=False).values_list("value", flat=True)
    assert shown and not [v for v in shown if 0 < v < sdc.THRESHOLD]


def test_no_hidden_figure_can_be_worked_out_and_shared_totals_hide_alike(month_of_cases):
    release = release_compute(period=month_of_cases)
    counts = release_counts(month_of_cases)
    products = [*Product.values, ""]
    for measure in Measure.values:
        tables = release_tables(counts[measure])
        total_rows = []
        for dimension in Dimension.values:
            categories, grid, _hidden = tables[dimension]
            stored = {
                (c.category, c.product): c.value
                for c in ReleaseCell.objects.filter(release=release, measure=measure, dimension=dimension)
            }
            hidden = set()
            for r, category in enumerate([*categories, ""]):
                for k, product in enumerate(products):
                    value = stored[(category, product)]
                    if value is None:
                        hidden.add((r, k))
                    else:
                        assert value == grid[r][k], (measure, dimension, category, product)
            assert attacker_recovers(grid, hidden) == set(), (measure, dimension)
            total_rows.append({k for r, k in hidden if r == len(grid) - 1})
        assert all(row == total_rows[0] for row in total_rows), measure


def test_published_totals_are_true_totals_and_shown_rows_add_up(month_of_cases):
    release = release_compute(period=month_of_cases)
    lines = defaultdict(dict)
    for cell in ReleaseCell.objects.filter(release=release):
        lines[(cell.measure, cell.dimension, cell.category)][cell.product] = cell.value
    for key, row in lines.items():
        parts = [row[p] for p in Product.values]
        if row[""] is not None and None not in parts:
            assert sum(parts) == row[""], key


def test_a_second_run_is_a_revision_and_each_run_is_audited(month_of_cases):
    first = release_compute(period=month_of_cases)
    cells = ReleaseCell.objects.filter(release=first).count()
    again = release_compute(period=month_of_cases)
    assert again.pk == first.pk and again.revision == 2
    assert ReleaseCell.objects.filter(release=first).count() == cells
    events = AuditEvent.objects.filter(action="statistics.release", object_id=str(first.pk))
    assert [e.snapshot["revision"] for e in events.order_by("id")] == [1, 2]


def test_an_empty_month_is_published_as_zeros():
    release = release_compute(period=date(2020, 1, 1))
    assert set(ReleaseCell.objects.filter(release=release).values_list("value", flat=True)) == {0}


def test_the_beat_task_publishes_last_month_once():
    assert statistics_release_publish() == "published"
    assert Release.objects.filter(period=previous_month()).count() == 1
    assert statistics_release_publish() == "exists"
    assert Release.objects.get(period=previous_month()).revision == 1


def test_the_command_publishes_a_given_month_and_refuses_a_malformed_one(month_of_cases, capsys):
    call_command("statistics_release", "--month", "2026-10")
    assert "2026-10 revision 1" in capsys.readouterr().out
    with pytest.raises(CommandError):
        call_command("statistics_release", "--month", "2026-13")
    with pytest.raises(CommandError):
        call_command("statistics_release", "--month", "october")
