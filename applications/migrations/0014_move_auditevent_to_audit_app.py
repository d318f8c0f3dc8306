# The audit trail moved to the shared layer portal/audit/ (app label "audit"). State only:
# the table applications_auditevent and its rows stay where they are; audit.0001 takes the
# model over under the same table name.

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("applications", "0013_score_index_in_sort_order"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="AuditEvent")],
            database_operations=[],
        ),
    ]
