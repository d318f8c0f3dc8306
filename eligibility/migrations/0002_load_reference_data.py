"""Load ISCO-08 unit groups and Kazakhstan's regions from eligibility/data (copied from shared/data)."""

import csv
from pathlib import Path

from django.db import migrations

DATA = Path(__file__).resolve().parent.parent / "data"


def _flag(value: str) -> bool:
    # Empty means "not known" in the source; not on the list is the safe reading.
    return value.strip().lower() == "true"


def load(apps, schema_editor):
    Region = apps.get_model("eligibility", "Region")
    Occupation = apps.get_model("eligibility", "Occupation")
    with open(DATA / "kz_regions.csv", encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            Region.objects.update_or_create(
                code=row["iso_3166_2"],
                defaults={
                    "kato": row["kato"],
                    "name_en": row["name_en"],
                    "name_ru": row["name_ru"],
                    "name_kk": row["name_kk"],
                    "capital_en": row["capital_en"],
                    "macro_zone": row["macro_zone"],
                    "kind": row["kind"],
                    "resettlement_kandas": _flag(row["resettlement_kandas"]),
                    "resettlement_internal": _flag(row["resettlement_internal_migrants"]),
                },
            )
    with open(DATA / "isco08_unit_groups.csv", encoding="utf-8", newline="") as fh:
        Occupation.objects.bulk_create(
            [
                Occupation(
                    code=row["code"],
                    title_en=row["title_en"],
                    title_ru=row["title_ru"],
                    major_code=row["major_code"],
                    sub_major_code=row["sub_major_code"],
                    minor_code=row["minor_code"],
                )
                for row in csv.DictReader(fh)
            ],
            ignore_conflicts=True,
        )


class Migration(migrations.Migration):
    dependencies = [("eligibility", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
