"""The declarations now live in rows (0007, filled by 0008): drop the JSON columns, and let
criteria admins edit the new rows."""

from django.db import migrations

MODELS = ["factdeclaration", "derivedfactdeclaration", "referencetable", "referencetablerow", "knockout",
          "knockoutcondition"]


def grant(apps, schema_editor):
    from django.contrib.auth.management import create_permissions

    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, verbosity=0, apps=apps)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name="criteria_admin")
    perms = Permission.objects.filter(content_type__app_label="eligibility", content_type__model__in=MODELS)
    group.permissions.add(*perms)
    auditor = Group.objects.filter(name="auditor").first()
    if auditor is not None:
        auditor.permissions.add(*perms.filter(codename__startswith="view_"))


class Migration(migrations.Migration):
    dependencies = [
        ("eligibility", "0008_criteria_json_to_rows"),
    ]

    operations = [
        migrations.RemoveField(
            model_name='criteriaset',
            name='derived',
        ),
        migrations.RemoveField(
            model_name='criteriaset',
            name='facts',
        ),
        migrations.RemoveField(
            model_name='criteriaset',
            name='knockouts',
        ),
        migrations.RemoveField(
            model_name='criteriaset',
            name='tables',
        ),
        migrations.RunPython(grant, migrations.RunPython.noop),
    ]
