"""Grant the labour-market permissions to the role groups (portal.roles.ROLE_PERMISSIONS) and
create the shortage model's first version (equal weights; cut-offs in docs/labour-market.md)."""

from django.db import migrations

from portal.roles import grant_role_permissions


def first_shortage_model(apps, schema_editor) -> None:
    ShortageModel = apps.get_model("labour_market", "ShortageModel")
    if not ShortageModel.objects.exists():
        ShortageModel.objects.create(version=1, note="Equal weights")


class Migration(migrations.Migration):
    dependencies = [
        ("labour_market", "0001_labour_market_data_and_rating_proposals"),
        ("portal", "0002_roles"),
    ]
    operations = [
        migrations.RunPython(grant_role_permissions, migrations.RunPython.noop),
        migrations.RunPython(first_shortage_model, migrations.RunPython.noop),
    ]
