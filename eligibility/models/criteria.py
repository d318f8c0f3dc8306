"""Criteria sets as rows an admin edits: set -> groups, factors -> bands / choices / matrix,
and the declarations they read: facts, derived facts, reference tables (-> rows) and
knock-outs (-> a tree of condition rows). No JSON is edited (docs/criteria-admin.md).

The engine (``eligibility.engine``) never sees these models: ``eligibility.definitions``
turns a set into a ``CriteriaDefinition`` and back. Published sets are immutable: saving
or deleting a published set, or any of its rows, raises ``CriteriaSetLocked``.
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from eligibility.products import Product, Sector


class CriteriaSetLocked(Exception):
    """A published or retired criteria set cannot change: edit a new draft version instead."""


class CriteriaSet(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")
        RETIRED = "retired", _("Retired")

    product = models.CharField(_("product"), max_length=20, choices=Product.choices)
    version = models.PositiveIntegerField(_("version"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    effective_from = models.DateField(_("effective from"), null=True, blank=True)
    title = models.CharField(_("title"), max_length=200, blank=True)
    code = models.SlugField(_("code"), max_length=64, blank=True, help_text=_("Name used in exported JSON."))
    pass_mark = models.IntegerField(
        _("pass mark"), null=True, blank=True, help_text=_("Leave empty for a ranking-only set.")
    )
    cap = models.IntegerField(
        _("cap on the total"), null=True, blank=True, validators=[MinValueValidator(0)], help_text=_("Optional.")
    )
    notes = models.TextField(_("notes"), blank=True)
    is_example = models.BooleanField(
        _("example criteria"),
        default=False,
        help_text=_("Example criteria for demonstration and testing; not adopted policy."),
    )
    # Provenance, exported as the JSON "meta" object (with "example" from is_example).
    source = models.TextField(_("source"), blank=True, help_text=_("Where the rules come from (law, order, web page)."))
    version_note = models.TextField(_("version note"), blank=True)
    fact_notes = models.TextField(_("notes on the facts"), blank=True)
    # Any other keys of an imported "meta" object, kept so export gives back what was imported.
    meta = models.JSONField(_("other source details"), default=dict, blank=True)
    previous = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("copied from")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    retired_at = models.DateTimeField(_("retired at"), null=True, blank=True)

    class Meta:
        ordering = ["product", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["product", "version"], name="criteriaset_product_version_unique"),
        ]
        verbose_name = _("criteria set")
        verbose_name_plural = _("criteria sets")

    def __str__(self) -> str:
        example = " [example]" if self.is_example else ""
        return f"{self.get_product_display()} v{self.version} ({self.get_status_display()}){example}"

    def save(self, *args, **kwargs):
        # Status changes (publish, retire) go through eligibility.services with
        # update_fields naming only the lifecycle fields; anything else on a locked set is refused.
        lifecycle = {"status", "published_at", "retired_at"}
        update_fields = kwargs.get("update_fields")
        if self.pk and not (update_fields and set(update_fields) <= lifecycle):
            stored = type(self).objects.filter(pk=self.pk).values_list("status", flat=True).first()
            if stored is not None and stored != self.Status.DRAFT:
                raise CriteriaSetLocked(f"{self} is {stored}: create a new draft version to change it")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        if self.status != self.Status.DRAFT:
            raise CriteriaSetLocked(f"{self} is {self.status} and cannot be deleted")
        return super().delete(*args, **kwargs)

    @property
    def is_editable(self) -> bool:
        return self.status == self.Status.DRAFT

    @property
    def engine_code(self) -> str:
        return self.code or f"{self.product}-v{self.version}"


class _SetRow(models.Model):
    """A row belonging (directly or through a factor) to a criteria set: locked with it."""

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        self._check_editable()
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        self._check_editable()
        return super().delete(*args, **kwargs)

    def owning_set(self) -> CriteriaSet:
        raise NotImplementedError

    def _check_editable(self) -> None:
        owner = self.owning_set()
        stored = CriteriaSet.objects.filter(pk=owner.pk).values_list("status", flat=True).first()
        if stored is not None and stored != CriteriaSet.Status.DRAFT:
            raise CriteriaSetLocked(f"{owner} is {stored}: create a new draft version to change it")


class FactDeclaration(_SetRow):
    """A fact the set reads from an application (or the self-check form): a question."""

    class Type(models.TextChoices):
        NUMBER = "number", _("Number")
        INTEGER = "integer", _("Whole number")
        BOOLEAN = "boolean", _("Yes / no")
        STRING = "string", _("Text or code")

    criteria_set = models.ForeignKey(CriteriaSet, on_delete=models.CASCADE, related_name="declared_facts")
    name = models.SlugField(_("name"), max_length=64, help_text=_("Lower-case letters, digits and _."))
    type = models.CharField(_("type"), max_length=10, choices=Type.choices)
    label = models.CharField(_("question"), max_length=300, blank=True)
    help = models.TextField(_("help text"), blank=True)
    # Text columns, one item a line; null means "not given" (so export gives back what came in).
    choices = models.TextField(_("choices"), null=True, blank=True, help_text=_("Allowed values, one a line."))
    choice_labels = models.TextField(
        _("choice labels"), null=True, blank=True, help_text=_("One label a line, in the order of the choices.")
    )
    minimum = models.FloatField(_("minimum"), null=True, blank=True)
    maximum = models.FloatField(_("maximum"), null=True, blank=True)
    default = models.CharField(
        _("default"), max_length=200, null=True, blank=True, help_text=_("Used when the fact is not given.")
    )
    improvable = models.BooleanField(
        _("improvable"), default=True, help_text=_("Untick for facts a person cannot change (age): no hints.")
    )
    order = models.PositiveIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["order", "id"]
        constraints = [models.UniqueConstraint(fields=["criteria_set", "name"], name="factdeclaration_name_unique")]
        verbose_name = _("fact")
        verbose_name_plural = _("facts")

    def __str__(self) -> str:
        return self.name

    def owning_set(self) -> CriteriaSet:
        return self.criteria_set


class DerivedFactDeclaration(_SetRow):
    """A number computed from other facts before scoring (the lowest of four language levels)."""

    class Op(models.TextChoices):
        MIN = "min", _("Lowest of")
        MAX = "max", _("Highest of")
        SUM = "sum", _("Sum of")
        COUNT_TRUE = "count_true", _("Number of yes answers among")

    criteria_set = models.ForeignKey(CriteriaSet, on_delete=models.CASCADE, related_name="derived_facts")
    name = models.SlugField(_("name"), max_length=64)
    op = models.CharField(_("operation"), max_length=12, choices=Op.choices)
    of = models.CharField(_("of the facts"), max_length=1000, help_text=_("Fact names separated by commas."))
    label = models.CharField(_("label"), max_length=300, blank=True)
    order = models.PositiveIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["order", "id"]
        constraints = [models.UniqueConstraint(fields=["criteria_set", "name"], name="derivedfact_name_unique")]
        verbose_name = _("derived fact")
        verbose_name_plural = _("derived facts")

    def __str__(self) -> str:
        return self.name

    def owning_set(self) -> CriteriaSet:
        return self.criteria_set

    @property
    def of_names(self) -> list[str]:
        return [n.strip() for n in self.of.split(",") if n.strip()]


class ReferenceTable(_SetRow):
    """A table lookup factors read: the portal's reference data, or rows listed here."""

    criteria_set = models.ForeignKey(CriteriaSet, on_delete=models.CASCADE, related_name="reference_tables")
    name = models.SlugField(_("name"), max_length=64)
    label = models.CharField(_("label"), max_length=300, blank=True)
    own_rows = models.BooleanField(
        _("rows listed here"),
        default=False,
        help_text=_("Untick to take the rows from the portal's reference data (rating, regions)."),
    )
    order = models.PositiveIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["order", "id"]
        constraints = [models.UniqueConstraint(fields=["criteria_set", "name"], name="referencetable_name_unique")]
        verbose_name = _("reference table")
        verbose_name_plural = _("reference tables")

    def __str__(self) -> str:
        return self.label or self.name

    def owning_set(self) -> CriteriaSet:
        return self.criteria_set


class ReferenceTableRow(_SetRow):
    table = models.ForeignKey(ReferenceTable, on_delete=models.CASCADE, related_name="rows")
    key = models.CharField(_("key"), max_length=200)
    value = models.CharField(_("value"), max_length=200)
    order = models.PositiveIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["order", "id"]
        constraints = [models.UniqueConstraint(fields=["table", "key"], name="referencetablerow_key_unique")]
        verbose_name = _("table row")
        verbose_name_plural = _("table rows")

    def __str__(self) -> str:
        return f"{self.key} = {self.value}"

    def owning_set(self) -> CriteriaSet:
        return self.table.criteria_set


class KnockOut(_SetRow):
    """A requirement that fails the application whatever its points; its test is a tree of
    ``KnockOutCondition`` rows."""

    criteria_set = models.ForeignKey(CriteriaSet, on_delete=models.CASCADE, related_name="knock_outs")
    key = models.SlugField(_("key"), max_length=64)
    label = models.CharField(_("requirement"), max_length=300, help_text=_("Shown to the applicant when not met."))
    help = models.TextField(_("help text"), blank=True)
    order = models.PositiveIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["order", "id"]
        constraints = [models.UniqueConstraint(fields=["criteria_set", "key"], name="knockout_key_unique")]
        verbose_name = _("knock-out requirement")
        verbose_name_plural = _("knock-out requirements")

    def __str__(self) -> str:
        return self.key

    def owning_set(self) -> CriteriaSet:
        return self.criteria_set


class KnockOutCondition(_SetRow):
    """One node of a knock-out's test: a test on one fact, or "all of" / "any of" / "not"
    over the rows whose ``parent`` names this row's ``key``. The row without a parent is the
    whole test (the JSON ``condition``)."""

    class Kind(models.TextChoices):
        TEST = "test", _("Test on a fact")
        ALL = "all", _("All of (and)")
        ANY = "any", _("Any of (either-or)")
        NOT = "not", _("Not")

    class Op(models.TextChoices):
        EQ = "eq", _("equals")
        NE = "ne", _("does not equal")
        IN = "in", _("is one of")
        NOT_IN = "not_in", _("is none of")
        GT = "gt", _("is more than")
        GTE = "gte", _("is at least")
        LT = "lt", _("is less than")
        LTE = "lte", _("is at most")
        IS_TRUE = "is_true", _("is yes")
        IS_FALSE = "is_false", _("is no")
        PRESENT = "present", _("is given")

    knockout = models.ForeignKey(KnockOut, on_delete=models.CASCADE, related_name="conditions")
    kind = models.CharField(_("kind"), max_length=4, choices=Kind.choices, default=Kind.TEST)
    key = models.SlugField(
        _("key"), max_length=64, blank=True, help_text=_("Needed for all of / any of / not: other rows name it.")
    )
    parent = models.CharField(
        _("part of"), max_length=64, blank=True, help_text=_("Key of the combination this row belongs to.")
    )
    fact = models.CharField(_("fact"), max_length=64, blank=True)
    op = models.CharField(_("test"), max_length=8, choices=Op.choices, blank=True)
    value = models.CharField(
        _("value"),
        max_length=1000,
        null=True,
        blank=True,
        help_text=_("For is one of / is none of: values separated by commas."),
    )
    label = models.CharField(_("label"), max_length=300, blank=True)
    order = models.PositiveIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["order", "id"]
        verbose_name = _("condition")
        verbose_name_plural = _("conditions")

    def __str__(self) -> str:
        if self.kind == self.Kind.TEST:
            return f"{self.fact} {self.op} {self.value or ''}".strip()
        return f"{self.key} ({self.get_kind_display()})"

    def owning_set(self) -> CriteriaSet:
        return self.knockout.criteria_set


class CriteriaGroup(_SetRow):
    """Factors whose points together never exceed ``cap``; groups may nest."""

    criteria_set = models.ForeignKey(CriteriaSet, on_delete=models.CASCADE, related_name="groups")
    key = models.SlugField(_("key"), max_length=64)
    label = models.CharField(_("label"), max_length=200, blank=True)
    cap = models.IntegerField(_("cap"), null=True, blank=True, validators=[MinValueValidator(0)])
    parent = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="children", verbose_name=_("parent")
    )
    order = models.PositiveIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["order", "id"]
        constraints = [models.UniqueConstraint(fields=["criteria_set", "key"], name="criteriagroup_key_unique")]
        verbose_name = _("group")
        verbose_name_plural = _("groups")

    def __str__(self) -> str:
        return self.label or self.key

    def owning_set(self) -> CriteriaSet:
        return self.criteria_set


class Factor(_SetRow):
    class Kind(models.TextChoices):
        BANDS = "bands", _("Numeric bands")
        CHOICES = "choices", _("Choices")
        BOOLEAN = "boolean", _("Yes / no")
        LOOKUP = "lookup", _("Lookup in a reference table")
        MATRIX = "matrix", _("Two facts combined (matrix)")

    class AxisKind(models.TextChoices):
        BANDS = "bands", _("Bands")
        CHOICES = "choices", _("Choices")

    criteria_set = models.ForeignKey(CriteriaSet, on_delete=models.CASCADE, related_name="factors")
    key = models.SlugField(_("key"), max_length=64)
    label = models.CharField(_("label"), max_length=200, blank=True)
    help = models.TextField(_("help text"), blank=True)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    fact = models.CharField(_("fact"), max_length=64, blank=True, help_text=_("Not used by matrix factors."))
    group = models.ForeignKey(
        CriteriaGroup, on_delete=models.SET_NULL, null=True, blank=True, related_name="factors", verbose_name=_("group")
    )
    bonus = models.BooleanField(_("bonus"), default=False, help_text=_("An absent fact counts as not claimed."))
    order = models.PositiveIntegerField(_("order"), default=0)
    points_true = models.FloatField(_("points if yes"), null=True, blank=True)
    points_false = models.FloatField(_("points if no"), null=True, blank=True)
    table = models.CharField(_("reference table"), max_length=64, blank=True)
    points_not_found = models.FloatField(_("points if not in the table"), null=True, blank=True)
    row_fact = models.CharField(_("row fact"), max_length=64, blank=True)
    row_kind = models.CharField(_("row kind"), max_length=10, choices=AxisKind.choices, blank=True)
    col_fact = models.CharField(_("column fact"), max_length=64, blank=True)
    col_kind = models.CharField(_("column kind"), max_length=10, choices=AxisKind.choices, blank=True)

    class Meta:
        ordering = ["order", "id"]
        constraints = [models.UniqueConstraint(fields=["criteria_set", "key"], name="factor_key_unique")]
        verbose_name = _("factor")
        verbose_name_plural = _("factors")

    def __str__(self) -> str:
        return f"{self.label or self.key} ({self.get_kind_display()})"

    def owning_set(self) -> CriteriaSet:
        return self.criteria_set


class _FactorRow(_SetRow):
    class Meta:
        abstract = True

    def owning_set(self) -> CriteriaSet:
        return self.factor.criteria_set


class Band(_FactorRow):
    """Half-open range [min, max) worth ``points``; empty min/max means unbounded."""

    factor = models.ForeignKey(Factor, on_delete=models.CASCADE, related_name="bands")
    min = models.FloatField(_("from (inclusive)"), null=True, blank=True)
    max = models.FloatField(_("to (exclusive)"), null=True, blank=True)
    points = models.FloatField(_("points"))
    label = models.CharField(_("label"), max_length=200, blank=True)
    order = models.PositiveIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["order", "id"]
        verbose_name = _("band")
        verbose_name_plural = _("bands")

    def __str__(self) -> str:
        return self.label or f"[{self.min}, {self.max})"


class FactorChoice(_FactorRow):
    """One value of the fact (or of the reference table, for lookups) worth ``points``.

    ``value`` is text; it is read as the fact's type (integer, yes/no, text)."""

    factor = models.ForeignKey(Factor, on_delete=models.CASCADE, related_name="choices")
    value = models.CharField(_("value"), max_length=200)
    points = models.FloatField(_("points"))
    label = models.CharField(_("label"), max_length=200, blank=True)
    order = models.PositiveIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["order", "id"]
        verbose_name = _("choice")
        verbose_name_plural = _("choices")

    def __str__(self) -> str:
        return self.label or self.value


class MatrixEntry(_FactorRow):
    """A row or column of a matrix factor: a band [min, max) or a list of values."""

    class Axis(models.TextChoices):
        ROW = "row", _("Row")
        COL = "col", _("Column")

    factor = models.ForeignKey(Factor, on_delete=models.CASCADE, related_name="matrix_entries")
    axis = models.CharField(_("axis"), max_length=3, choices=Axis.choices)
    key = models.CharField(_("key"), max_length=64)
    label = models.CharField(_("label"), max_length=200, blank=True)
    min = models.FloatField(_("from (inclusive)"), null=True, blank=True)
    max = models.FloatField(_("to (exclusive)"), null=True, blank=True)
    values = models.CharField(
        _("values"), max_length=500, blank=True, help_text=_("For choice axes: values separated by commas.")
    )
    order = models.PositiveIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["axis", "order", "id"]
        constraints = [models.UniqueConstraint(fields=["factor", "axis", "key"], name="matrixentry_key_unique")]
        verbose_name = _("matrix row or column")
        verbose_name_plural = _("matrix rows and columns")

    def __str__(self) -> str:
        return f"{self.axis}:{self.key}"


class MatrixCell(_FactorRow):
    factor = models.ForeignKey(Factor, on_delete=models.CASCADE, related_name="cells")
    row_key = models.CharField(_("row"), max_length=64)
    col_key = models.CharField(_("column"), max_length=64)
    points = models.FloatField(_("points"))

    class Meta:
        ordering = ["id"]
        constraints = [models.UniqueConstraint(fields=["factor", "row_key", "col_key"], name="matrixcell_unique")]
        verbose_name = _("matrix cell")
        verbose_name_plural = _("matrix cells")

    def __str__(self) -> str:
        return f"{self.row_key} × {self.col_key}"


class LabelTranslation(_SetRow):
    """One text of a set (a question, a factor, a band or choice label, a requirement) in the
    portal's languages.

    A row per distinct text of the set, keyed by the text as written, rather than language
    columns on each of the eleven kinds of row that carry a text: the engine's results, and
    the breakdowns stored with submitted applications, carry the text and not the row, so
    pages find the translation by (set, text); a text used several times ("Not at all") is
    translated once; the admin edits the whole set's texts in one table. Rows follow the
    texts: ``eligibility.services.criteria_set_sync_labels`` adds one for each new text and
    drops those no row uses any more."""

    criteria_set = models.ForeignKey(CriteriaSet, on_delete=models.CASCADE, related_name="label_translations")
    source = models.TextField(_("text in the criteria"))
    kk = models.TextField(_("Kazakh"), blank=True)
    ru = models.TextField(_("Russian"), blank=True)
    en = models.TextField(_("English"), blank=True, help_text=_("Leave empty when the text is already English."))
    uz = models.TextField(_("Uzbek"), blank=True)
    zh_hans = models.TextField(_("Chinese"), blank=True)

    # Model field of each language code of eligibility.engine.vocabulary.LABEL_LANGUAGES.
    LANGUAGE_FIELDS = {"kk": "kk", "ru": "ru", "en": "en", "uz": "uz", "zh-hans": "zh_hans"}

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["criteria_set", "source"], name="labeltranslation_source_unique"),
        ]
        verbose_name = _("translation of a text")
        verbose_name_plural = _("translations of the texts")

    def __str__(self) -> str:
        return self.source[:80]

    def owning_set(self) -> CriteriaSet:
        return self.criteria_set

    def as_dict(self) -> dict[str, str]:
        """The filled languages, as the JSON "translations" object holds them."""
        return {code: text for code, name in self.LANGUAGE_FIELDS.items() if (text := getattr(self, name))}


class ScarceProfession(models.Model):
    """One occupation's place in the yearly rating of key competencies."""

    class Priority(models.IntegerChoices):
        FIRST = 1, _("1 – most needed")
        SECOND = 2, _("2")
        THIRD = 3, _("3")

    occupation = models.ForeignKey(
        "eligibility.Occupation", on_delete=models.PROTECT, related_name="ratings", verbose_name=_("occupation")
    )
    year = models.PositiveSmallIntegerField(_("year"), validators=[MinValueValidator(2000), MaxValueValidator(2100)])
    sector = models.CharField(_("sector"), max_length=20, choices=Sector.choices)
    priority = models.PositiveSmallIntegerField(_("priority category"), choices=Priority.choices)

    class Meta:
        ordering = ["-year", "priority", "occupation"]
        constraints = [models.UniqueConstraint(fields=["occupation", "year"], name="scarceprofession_unique")]
        verbose_name = _("scarce profession")
        verbose_name_plural = _("scarce professions rating")

    def __str__(self) -> str:
        return f"{self.year} {self.occupation_id} P{self.priority}"


class RegionYear(models.Model):
    """A region's labour-deficient flag for one year (incentive to settle there)."""

    region = models.ForeignKey(
        "eligibility.Region", on_delete=models.CASCADE, related_name="years", verbose_name=_("region")
    )
    year = models.PositiveSmallIntegerField(_("year"), validators=[MinValueValidator(2000), MaxValueValidator(2100)])
    labour_deficient = models.BooleanField(_("labour-deficient"), default=False)

    class Meta:
        ordering = ["-year", "region"]
        constraints = [models.UniqueConstraint(fields=["region", "year"], name="regionyear_unique")]
        verbose_name = _("region's yearly designation")
        verbose_name_plural = _("regions' yearly designations")

    def __str__(self) -> str:
        return f"{self.region_id} {self.year}"


class ImpactReport(models.Model):
    """Impact of a draft criteria set on the current pool, computed by a Celery task."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    criteria_set = models.ForeignKey(CriteriaSet, on_delete=models.CASCADE, related_name="impact_reports")
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    total = models.PositiveIntegerField(_("applications in the pool"), default=0)
    done = models.PositiveIntegerField(_("applications scored"), default=0)
    result = models.JSONField(_("result"), default=dict, blank=True)
    error = models.TextField(_("error"), blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("impact report")
        verbose_name_plural = _("impact reports")

    def __str__(self) -> str:
        return f"Impact of {self.criteria_set} ({self.status})"

    @property
    def percent(self) -> int:
        return 100 if self.status == self.Status.DONE else int(100 * self.done / self.total) if self.total else 0
