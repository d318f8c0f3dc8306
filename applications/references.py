"""Reference numbers: KC-2026-000123 for the Kandas Card, VS-2026-000456 for the visa."""

from django.db import transaction

from applications.models import ReferenceCounter
from applications.products import get_product


def reference_allocate(*, product: str, year: int) -> str:
    """Hand out the next number for the product and year; gap-free under concurrency.

    The counter row is locked until the surrounding transaction (the submission) commits,
    so two submissions can never get the same number.
    """
    with transaction.atomic():
        ReferenceCounter.objects.get_or_create(product=product, year=year)
        counter = ReferenceCounter.objects.select_for_update().get(product=product, year=year)
        counter.last += 1
        counter.save(update_fields=["last"])
    return f"{get_product(product).reference_prefix}-{year}-{counter.last:06d}"
