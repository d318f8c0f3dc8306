"""The transition table names steps owned by other modules; each is registered at start-up."""

import pytest
from django.core.exceptions import ImproperlyConfigured

from applications import workflow


def test_every_named_step_of_the_table_is_registered_by_its_owner():
    named = {step for t in workflow.TRANSITIONS.values() for step in (*t.guards, *t.effects) if isinstance(step, str)}
    assert named | {"in_queue"} == set(workflow.REGISTERED_STEPS)
    owners = {name: workflow.registered_step(name).__module__ for name in workflow.REGISTERED_STEPS}
    assert owners == {
        "route": "applications.casework.queues",
        "in_queue": "applications.casework.queues",
        "quota_full": "applications.casework.quotas",
        "consume_quota": "applications.casework.quotas",
        "issue_card": "applications.cards.services",
        "request_offer": "applications.employers.services",
    }


def test_a_step_the_table_does_not_name_cannot_be_registered():
    with pytest.raises(ImproperlyConfigured, match="no step 'send_flowers'"):
        workflow.workflow_step("send_flowers")
