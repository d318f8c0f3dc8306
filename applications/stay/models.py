"""Border records: the holder's entries into and exits from Kazakhstan, imported or declared."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class BorderImport(models.Model):
    """One import of a border-service export (docs/stay.md): what was read, by whom, when."""

    source_name = models.CharField(_("file"), max_length=200)
    sha256 = models.CharField(_("SHA-256 of the file"), max_length=64)
    rows = models.PositiveIntegerField(_("rows read"))
    created = models.PositiveIntegerField(_("records added"))
    skipped = models.PositiveIntegerField(_("records already recorded"))
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    imported_at = models.DateTimeField(_("imported at"), auto_now_add=True)

    class Meta:
        ordering = ["-imported_at"]
        verbose_name = _("border records import")
        verbose_name_plural = _("border records imports")

    def __str__(self) -> str:
        return f"{self.source_name} ({self.imported_at:%Y-%m-%d %H:%M})"


class BorderRecord(models.Model):
    """One crossing of the border by a card holder; rows are only added, so the history stays."""

    class Direction(models.TextChoices):
        ENTRY = "entry", _("Entry into Kazakhstan")
        EXIT = "exit", _("Exit from Kazakhstan")

    class Source(models.TextChoices):
        IMPORT = "import", _("Border service")
        DECLARATION = "declaration", _("Declared by the holder")

    holder = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="border_records", verbose_name=_("holder")
    )
    # The card the record was matched by (imports) or declared on.
    card = models.ForeignKey(
        "applications.IssuedCard", on_delete=models.CASCADE, related_name="border_records", verbose_name=_("card")
    )
    direction = models.CharField(_("direction"), max_length=5, choices=Direction.choices)
    crossed_on = models.DateField(_("date"))
    crossing_point = models.CharField(_("crossing point"), max_length=120, blank=True)
    source = models.CharField(_("source"), max_length=12, choices=Source.choices)
    # The border service's own id of the record: a second import of the same export adds nothing.
    external_id = models.CharField(_("border service record id"), max_length=64, blank=True)
    batch = models.ForeignKey(
        BorderImport, on_delete=models.PROTECT, null=True, blank=True, related_name="records", verbose_name=_("import")
    )
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        ordering = ["crossed_on", "created_at"]
        verbose_name = _("border record")
        verbose_name_plural = _("border records")
        constraints = [
            models.UniqueConstraint(
                fields=["external_id"], condition=~models.Q(external_id=""), name="stay_record_external_id_unique"
            )
        ]
        indexes = [models.Index(fields=["holder", "crossed_on"], name="stay_record_holder_day_idx")]

    def __str__(self) -> str:
        return f"{self.crossed_on} {self.direction}"
