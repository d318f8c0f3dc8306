"""Grant the criteria-admin role the permissions on the criteria rows, rating and regions."""

from django.db import migrations

MODELS = ["criteriaset", "criteriagroup", "factor", "band", "factorchoice", "matrixentry", "matrixcell",
          "scarceprofession", "regionyear", "impactreport"]


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
    # Auditors read configuration too.
    auditor = Group.objects.filter(name="auditor").first()
    if auditor is not None:
        auditor.permissions.add(*perms.filter(codename__startswith="view_"))


class Migration(migrations.Migration):
    dependencies = [
        ("eligibility", "0003_criteria_rows_rating_regions_impact"),
        ("portal", "0002_roles"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
