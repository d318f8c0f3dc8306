"""Queue page filters (django-filter): every filter reads a real, indexed column."""

import time
from datetime import timedelta

import django_filters
from django.db.models import F, Q, QuerySet
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from applications.models import Application
from applications.states import REVIEW_STATES, WORKLIST_STATES, State
from eligibility.models import Region
from eligibility.products import Product, Sector

# Bounds of the numeric filters: the score column is a 32-bit integer; a century of waiting.
SCORE_MIN, SCORE_MAX = -(2**31), 2**31 - 1
MAX_AGE_DAYS = 36500

_REGION_CHOICES: dict[str, tuple[float, list[tuple[str, str]]]] = {}
REGION_CHOICES_SECONDS = 300


def region_choices() -> list[tuple[str, str]]:
    """Region choices in the current language, kept in this process for five minutes
    (reference data that admins may rename; a rename shows within five minutes, as with a
    shared cache, without a cache round trip per page). An empty table is never kept: it
    would disable the filter."""
    language = (get_language() or "en")[:2]
    now = time.monotonic()
    cached = _REGION_CHOICES.get(language)
    if cached is not None and now - cached[0] < REGION_CHOICES_SECONDS:
        return cached[1]
    choices = [(r.code, r.name) for r in Region.objects.order_by("code")]
    if choices:
        _REGION_CHOICES[language] = (now, choices)
    return choices


SORTS = {
    "oldest": ("priority", "submitted_at", "pk"),
    "newest": ("-submitted_at", "-pk"),
    # Unscored cases last on every database (PostgreSQL would put NULL first when descending).
    "score": (F("scoring__score").desc(nulls_last=True), "submitted_at", "pk"),
    "due": ("sla_due_at", "pk"),
}


class QueueFilter(django_filters.FilterSet):
    # Bounded like every text input: a 100,000-character search is a 400, not a LIKE pattern
    # the database refuses.
    q = django_filters.CharFilter(label=_("Reference or name"), method="search", max_length=100)
    product = django_filters.ChoiceFilter(label=_("Product"), choices=Product.choices)
    state = django_filters.ChoiceFilter(label=_("State"), choices=[c for c in State.choices if c[0] != State.DRAFT])
    region = django_filters.ChoiceFilter(label=_("Region"), choices=[])  # filled per request, see __init__
    sector = django_filters.ChoiceFilter(label=_("Sector"), choices=Sector.choices)
    # Every number is bounded: 10**20 overflowed the score column's integer and 1,000,000 days
    # the date arithmetic (500s); out of range is now the filter form's error (a 400).
    score_min = django_filters.NumberFilter(
        label=_("Score from"), field_name="scoring__score", lookup_expr="gte", min_value=SCORE_MIN, max_value=SCORE_MAX
    )
    score_max = django_filters.NumberFilter(
        label=_("Score to"), field_name="scoring__score", lookup_expr="lte", min_value=SCORE_MIN, max_value=SCORE_MAX
    )
    older_than = django_filters.NumberFilter(
        label=_("Waiting more than (days)"), method="filter_age", min_value=0, max_value=MAX_AGE_DAYS
    )
    sla = django_filters.ChoiceFilter(
        label=_("Service level"),
        choices=[("breached", _("Overdue")), ("today", _("Due within a day"))],
        method="filter_sla",
    )
    claimed = django_filters.ChoiceFilter(
        label=_("Claimed"),
        choices=[("mine", _("By me")), ("unclaimed", _("Unclaimed")), ("others", _("By others"))],
        method="filter_claimed",
    )
    # The seniors' queue of administrative reviews: refusals the applicant asked to review.
    work = django_filters.ChoiceFilter(
        label=_("Kind of work"),
        choices=[("decisions", _("Applications to decide")), ("reviews", _("Reviews of refusals"))],
        method="filter_work",
    )
    sort = django_filters.ChoiceFilter(
        label=_("Sort by"),
        choices=[
            ("oldest", _("Priority, then oldest")),
            ("newest", _("Newest first")),
            ("score", _("Highest score")),
            ("due", _("Deadline soonest")),
        ],
        method="filter_sort",
        empty_label=None,
    )

    class Meta:
        model = Application
        fields: list[str] = []

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        region = self.filters["region"]
        region.extra["choices"] = region_choices()
        self.region_names = dict(region.extra["choices"])  # for the queue table's region column
        # The copied filter may carry a form field built earlier from the class's filters
        # (drf-spectacular inspects them for the API schema): build it again with the choices.
        region.__dict__.pop("_field", None)

    def search(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        value = value.strip()
        if not value:
            return queryset
        # References are unique and upper case: an exact hit uses the unique index.
        return queryset.filter(Q(reference=value.upper()) | Q(applicant_name__icontains=value))

    def filter_age(self, queryset: QuerySet, name: str, value) -> QuerySet:
        if value is None:
            return queryset
        return queryset.filter(submitted_at__lt=timezone.now() - timedelta(days=float(value)))

    def filter_sla(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        now = timezone.now()
        if value == "breached":
            return queryset.filter(sla_due_at__lt=now)
        if value == "today":
            return queryset.filter(sla_due_at__gte=now, sla_due_at__lt=now + timedelta(days=1))
        return queryset

    def filter_work(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        if value == "reviews":
            return queryset.filter(state__in=REVIEW_STATES)
        if value == "decisions":
            return queryset.exclude(state__in=REVIEW_STATES)
        return queryset

    def filter_claimed(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        user = self.request.user if self.request else None
        if value == "mine":
            return queryset.filter(claimed_by=user)
        if value == "unclaimed":
            return queryset.filter(claimed_by__isnull=True)
        if value == "others":
            return queryset.filter(claimed_by__isnull=False).exclude(claimed_by=user)
        return queryset

    def filter_sort(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        if value == "score":
            # Every case leaves draft with a score row (application_submit, seeding, migration
            # 0012), so an inner join loses none and lets PostgreSQL walk the score index
            # instead of sorting the whole worklist (a LEFT JOIN cannot be driven from it).
            queryset = queryset.filter(scoring__isnull=False)
        return queryset.order_by(*SORTS.get(value, SORTS["oldest"]))

    @property
    def qs(self) -> QuerySet:
        qs = super().qs
        data = getattr(self.form, "cleaned_data", {})
        if not data.get("state"):
            # The worklist: cases still waiting for someone; closed ones by choosing their state.
            qs = qs.filter(state__in=WORKLIST_STATES)
        if not data.get("sort"):
            qs = qs.order_by(*SORTS["oldest"])
        return qs
