"""Aggregate tables the dashboards read (issue 17).

Each row is a counter under a key of dimensions; the workflow's transition function adds to
it in the same transaction as the state change (``services.record_transition``), and
``rebuild_analytics`` recomputes every row from the raw cases. No row names a person: the
finest grain is a month x product x region x sector x citizenship x occupation unit group.

Keys never hold NULL (an unknown dimension is ``""`` or 0): PostgreSQL treats NULLs as
distinct in a unique constraint, which would let the upsert create duplicates.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Dimensions(models.Model):
    """The dimensions every dashboard filters by (all in the key)."""

    # First day of the month the event happened in (the dashboards' period grain).
    month = models.DateField(_("month"))
    product = models.CharField(_("product"), max_length=20)
    region = models.CharField(_("region"), max_length=6, blank=True)
    sector = models.CharField(_("sector"), max_length=20, blank=True)
    citizenship = models.CharField(_("citizenship"), max_length=2, blank=True)
    occupation = models.CharField(_("occupation (ISCO-08)"), max_length=4, blank=True)

    class Meta:
        abstract = True


class FlowCount(Dimensions):
    """How many times an event happened: a workflow action (``submit``, ``approve``...),
    ``draft`` (an application opened) or ``self_check`` (a completed public self-check)."""

    event = models.CharField(_("event"), max_length=30)
    # Higher or vocational education (the paper's "qualified"); False when not answered.
    qualified = models.BooleanField(_("qualified"), default=False)
    # The criteria set the case was scored against (0: none), for outcomes by version.
    criteria_set_id = models.PositiveIntegerField(_("criteria set"), default=0)
    count = models.PositiveIntegerField(_("count"), default=0)

    class Meta:
        verbose_name = _("flow count")
        verbose_name_plural = _("flow counts")
        permissions = [("view_dashboards", "Can read the analytics dashboards")]
        constraints = [
            models.UniqueConstraint(
                fields=[
                    "month",
                    "event",
                    "product",
                    "region",
                    "sector",
                    "citizenship",
                    "occupation",
                    "qualified",
                    "criteria_set_id",
                ],
                name="analytics_flow_key",
            )
        ]
        indexes = [models.Index(fields=["event", "month", "product"], name="analytics_flow_event_idx")]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m} {self.event} {self.product}: {self.count}"


class StageDuration(Dimensions):
    """How long cases stayed in a stage (a state), in whole hours, counted when they left it.

    A histogram at one-hour resolution: the median and p90 are read from the cumulative
    counts exactly to the hour, which a mean-and-count row could not give.
    """

    stage = models.CharField(_("stage"), max_length=20)
    # The case's queue priority when it left the stage: queues are defined by product, regions
    # and a priority range (applications.casework.queues), so rows map onto queues at read time.
    priority = models.PositiveSmallIntegerField(_("priority"), default=3)
    hours = models.PositiveIntegerField(_("hours"))
    count = models.PositiveIntegerField(_("count"), default=0)

    class Meta:
        verbose_name = _("stage duration")
        verbose_name_plural = _("stage durations")
        constraints = [
            models.UniqueConstraint(
                fields=[
                    "month",
                    "stage",
                    "product",
                    "region",
                    "sector",
                    "citizenship",
                    "occupation",
                    "priority",
                    "hours",
                ],
                name="analytics_stage_key",
            )
        ]
        indexes = [models.Index(fields=["stage", "month", "product"], name="analytics_stage_idx")]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m} {self.stage} {self.hours}h: {self.count}"


class SlaCount(Dimensions):
    """Final decisions and how many of them came after the SLA deadline, per queue key."""

    priority = models.PositiveSmallIntegerField(_("priority"), default=3)
    decided = models.PositiveIntegerField(_("decided"), default=0)
    breached = models.PositiveIntegerField(_("breached"), default=0)

    class Meta:
        verbose_name = _("SLA count")
        verbose_name_plural = _("SLA counts")
        constraints = [
            models.UniqueConstraint(
                fields=["month", "product", "region", "sector", "citizenship", "occupation", "priority"],
                name="analytics_sla_key",
            )
        ]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m} {self.product}: {self.breached}/{self.decided}"


class StageClock(models.Model):
    """When each case entered its current state: the start of the stage it is in.

    One narrow row per case, so the transition reads and rewrites a few bytes instead of
    searching the audit trail for the previous transition.
    """

    application = models.OneToOneField(
        "applications.Application", on_delete=models.CASCADE, primary_key=True, related_name="+"
    )
    entered_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.application_id}: {self.entered_at:%Y-%m-%d %H:%M}"
