from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection

from applications.references import reference_allocate
from tests.services import require_postgres


def test_references_count_up_per_product_and_year(db):
    assert reference_allocate(product="kandas_card", year=2026) == "KC-2026-000001"
    assert reference_allocate(product="kandas_card", year=2026) == "KC-2026-000002"
    assert reference_allocate(product="skills_visa", year=2026) == "VS-2026-000001"
    assert reference_allocate(product="kandas_card", year=2027) == "KC-2027-000001"


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_concurrent_allocations_never_repeat_a_number():
    require_postgres()

    def allocate(_):
        try:
            return reference_allocate(product="skills_visa", year=2026)
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=8) as pool:
        refs = list(pool.map(allocate, range(40)))
    assert len(set(refs)) == 40
    assert max(refs) == "VS-2026-000040"
