# The AuditEvent model, taken over from applications (applications.0014) without moving data:
# the table keeps its name, so the create is state only. Its content type is renamed, so the
# permissions granted on it (the auditor's view_auditevent) keep their ids and their groups.

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


def move_content_type(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    if not ContentType.objects.filter(app_label="audit", model="auditevent").exists():
        ContentType.objects.filter(app_label="applications", model="auditevent").update(app_label="audit")
    from portal.roles import grant_role_permissions

    grant_role_permissions(apps, schema_editor)


def move_content_type_back(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    if not ContentType.objects.filter(app_label="applications", model="auditevent").exists():
        ContentType.objects.filter(app_label="audit", model="auditevent").update(app_label="applications")


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("applications", "0014_move_auditevent_to_audit_app"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("portal", "0002_roles"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="AuditEvent",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("action", models.CharField(db_index=True, max_length=50, verbose_name="action")),
                        ("object_type", models.CharField(max_length=60, verbose_name="object type")),
                        ("object_id", models.CharField(max_length=40, verbose_name="object id")),
                        ("from_state", models.CharField(blank=True, max_length=20, verbose_name="from state")),
                        ("to_state", models.CharField(blank=True, max_length=20, verbose_name="to state")),
                        ("reason", models.TextField(blank=True, verbose_name="reason")),
                        ("snapshot", models.JSONField(blank=True, default=dict, verbose_name="snapshot")),
                        ("ip_address", models.GenericIPAddressField(blank=True, null=True, verbose_name="IP address")),
                        (
                            "created_at",
                            models.DateTimeField(db_index=True, default=django.utils.timezone.now, verbose_name="time"),
                        ),
                        (
                            "prev_hash",
                            models.CharField(
                                default="", editable=False, max_length=64, verbose_name="previous entry's hash"
                            ),
                        ),
                        ("hash", models.CharField(default="", editable=False, max_length=64, verbose_name="hash")),
                        (
                            "actor",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.PROTECT,
                                to=settings.AUTH_USER_MODEL,
                                verbose_name="actor",
                            ),
                        ),
                        (
                            "application",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="audit_events",
                                to="applications.application",
                                verbose_name="application",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "audit event",
                        "verbose_name_plural": "audit events",
                        "db_table": "applications_auditevent",
                        "ordering": ["created_at", "id"],
                        "indexes": [models.Index(fields=["object_type", "object_id"], name="audit_object_idx")],
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(move_content_type, move_content_type_back),
    ]
