"""Seed the Kandas Card's 2026 regional quotas from eligibility/data/kz_regional_quota.csv.

Source: the 2026 regional quota for kandas resettlement (column `kandas`, see
eligibility/data/README.md). Regions with 0 kandas places have no quota row: a kandas
case there is not limited by a regional quota (the regional quota is for resettlement).
"""

import csv
from pathlib import Path

from django.db import migrations

DATA = Path(__file__).resolve().parent.parent / "data"
SOURCE = "Regional quota for kandas resettlement, 2026 (eligibility/data/kz_regional_quota.csv)"


def seed(apps, schema_editor):
    Quota = apps.get_model("eligibility", "Quota")
    Region = apps.get_model("eligibility", "Region")
    known = set(Region.objects.values_list("code", flat=True))
    with open(DATA / "kz_regional_quota.csv", encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            places = int(row["kandas"] or 0)
            if row["year"] != "2026" or places <= 0 or row["iso_3166_2"] not in known:
                continue
            Quota.objects.update_or_create(
                product="kandas_card",
                year=2026,
                sector="",
                region_id=row["iso_3166_2"],
                defaults={"places": places, "source": SOURCE},
            )


def unseed(apps, schema_editor):
    apps.get_model("eligibility", "Quota").objects.filter(source=SOURCE).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("eligibility", "0005_quotas_allocation_rounds"),
    ]

    operations = [migrations.RunPython(seed, unseed)]
