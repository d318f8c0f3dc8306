"""The replica router: analytics aggregate reads go to "replica" when it is configured, nothing else."""

import pytest

from applications.analytics.models import FlowCount, SlaCount, StageClock, StageDuration
from applications.models import Application
from portal.db_router import AnalyticsReplicaRouter

router = AnalyticsReplicaRouter()


@pytest.fixture
def with_replica(settings):
    settings.DATABASES = {**settings.DATABASES, "replica": {**settings.DATABASES["default"]}}


def test_without_a_replica_everything_stays_on_the_primary():
    assert router.db_for_read(FlowCount) is None
    assert FlowCount.objects.all().db == "default"


def test_aggregate_reads_go_to_the_replica(with_replica):
    for model in (FlowCount, StageDuration, SlaCount):
        assert router.db_for_read(model) == "replica"
        assert model.objects.all().db == "replica"


def test_writes_clocks_and_cases_stay_on_the_primary(with_replica):
    assert router.db_for_write(FlowCount) is None
    assert router.db_for_read(StageClock) is None  # the transition reads its own clock
    assert router.db_for_read(Application) is None
    assert Application.objects.all().db == "default"


def test_the_replica_is_never_migrated(with_replica):
    assert router.allow_migrate("replica", "analytics") is False
    assert router.allow_migrate("default", "analytics") is None
