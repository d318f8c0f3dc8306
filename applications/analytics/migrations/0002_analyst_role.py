"""The analyst role's group and the dashboards permission for analysts, criteria admins and
auditors (portal.roles.ANALYTICS_ROLES)."""

from django.db import migrations

from portal.roles import grant_role_permissions


class Migration(migrations.Migration):
    dependencies = [
        ("analytics", "0001_aggregates"),
        ("portal", "0002_roles"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]
    operations = [migrations.RunPython(grant_role_permissions, migrations.RunPython.noop)]
