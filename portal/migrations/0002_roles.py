"""Create the role groups (applicant, caseworker, senior caseworker, criteria admin, auditor)."""

from django.db import migrations

from portal.roles import grant_role_permissions


class Migration(migrations.Migration):
    dependencies = [
        ("portal", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("applications", "0002_initial"),
        ("eligibility", "0002_load_reference_data"),
    ]
    operations = [migrations.RunPython(grant_role_permissions, migrations.RunPython.noop)]
