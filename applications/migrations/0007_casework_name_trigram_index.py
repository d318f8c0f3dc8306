"""Trigram index for the queue page's name search (PostgreSQL only; SQLite scans, which is fine locally).

Django's icontains on PostgreSQL is UPPER(col) LIKE UPPER('%…%'), so the index is on UPPER().
"""

from django.db import migrations

CREATE = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "CREATE INDEX IF NOT EXISTS app_name_trgm_idx ON applications_application USING gin (UPPER(applicant_name) gin_trgm_ops)",
]
DROP = ["DROP INDEX IF EXISTS app_name_trgm_idx"]


def _run(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        for sql in statements:
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("applications", "0006_casework_worklist_index"),
    ]

    operations = [migrations.RunPython(_run(CREATE), _run(DROP))]
