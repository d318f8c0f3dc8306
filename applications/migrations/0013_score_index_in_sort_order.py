"""The score index in the queue's "Highest score" order: descending, unscored cases last.

PostgreSQL needs NULLS LAST spelled out (it puts NULL first when descending); SQLite refuses
NULLS LAST in an index but already sorts NULL last when descending. So the index is written
per database here, outside the model state (ApplicationScore.Meta says why).
"""

from django.db import migrations, models

INDEX = "appscore_score_desc_idx"


def create_index(apps, schema_editor) -> None:
    table = schema_editor.quote_name(apps.get_model("applications", "ApplicationScore")._meta.db_table)
    nulls = " NULLS LAST" if schema_editor.connection.vendor == "postgresql" else ""
    schema_editor.execute(f"CREATE INDEX {INDEX} ON {table} (score DESC{nulls})")


def drop_index(apps, schema_editor) -> None:
    schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [("applications", "0012_score_row_for_every_submitted_case")]

    operations = [
        migrations.AlterField(
            model_name="applicationscore",
            name="score",
            field=models.IntegerField(blank=True, null=True, verbose_name="score"),
        ),
        migrations.RunPython(create_index, drop_index),
    ]
