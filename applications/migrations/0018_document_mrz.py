from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("applications", "0017_sms"),
    ]

    operations = [
        migrations.AddField(
            model_name="document",
            name="mrz",
            field=models.JSONField(blank=True, default=dict, verbose_name="machine-readable zone"),
        ),
    ]
