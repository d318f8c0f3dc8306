"""Grant the issued-card permissions to the role groups (portal.roles.ROLE_PERMISSIONS)."""

from django.db import migrations

from portal.roles import grant_role_permissions


class Migration(migrations.Migration):
    dependencies = [
        ("applications", "0005_issued_cards"),
        ("portal", "0002_roles"),
    ]
    operations = [migrations.RunPython(grant_role_permissions, migrations.RunPython.noop)]
