"""Reads of the analytics tables go to the read replica, when one is configured (issue 17).

Only the aggregate tables of ``applications.analytics`` are read there: they are counters that
may lag the primary by the replication delay without misleading anyone, and the dashboards'
sums are the one read load that grows with the country. Every other read, and every write,
stays on the primary (a case page must see its own last change). Without
``DATABASE_REPLICA_URL`` there is no "replica" alias and this router answers nothing.
"""

from typing import Any

from django.conf import settings
from django.db import models

REPLICA = "replica"
# Models whose reads may be served by the replica: the dashboards' aggregate tables. Not the
# analytics stage clocks, which the transition reads and rewrites in its own transaction.
REPLICA_READ_MODELS = frozenset({"analytics.flowcount", "analytics.stageduration", "analytics.slacount"})


def replica_configured() -> bool:
    return REPLICA in settings.DATABASES


class AnalyticsReplicaRouter:
    def db_for_read(self, model: type[models.Model], **hints: Any) -> str | None:
        if model._meta.label_lower in REPLICA_READ_MODELS and replica_configured():
            return REPLICA
        return None

    def db_for_write(self, model: type[models.Model], **hints: Any) -> str | None:
        return None  # always the primary ("default")

    def allow_relation(self, obj1: models.Model, obj2: models.Model, **hints: Any) -> bool | None:
        # Rows read from the replica are the primary's rows: relations between them are fine.
        return True if {obj1._state.db, obj2._state.db} <= {"default", REPLICA} else None

    def allow_migrate(self, db: str, app_label: str, model_name: str | None = None, **hints: Any) -> bool | None:
        # The replica is a copy the primary's replication writes: never migrated directly.
        return False if db == REPLICA else None
