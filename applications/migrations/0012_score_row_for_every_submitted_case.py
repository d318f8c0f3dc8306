"""Every application that has left draft gets its (possibly empty) score row.

From now on application_submit creates the row with the submission, so the queue's
"Highest score" sort can use an inner join driven by the score index.
"""

from django.db import migrations


def backfill(apps, schema_editor) -> None:
    application = apps.get_model("applications", "Application")._meta.db_table
    score = apps.get_model("applications", "ApplicationScore")._meta.db_table
    quote = schema_editor.quote_name
    schema_editor.execute(
        f"INSERT INTO {quote(score)} (application_id) "  # noqa: S608 - table names from the models
        f"SELECT a.id FROM {quote(application)} a WHERE a.state <> 'draft' "
        f"AND NOT EXISTS (SELECT 1 FROM {quote(score)} s WHERE s.application_id = a.id)"  # nosec B608
    )


class Migration(migrations.Migration):
    dependencies = [("applications", "0011_application_index_cleanup")]

    operations = [migrations.RunPython(backfill, migrations.RunPython.noop)]
