from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("applications", "0015_merge_parallel_0014s"),
    ]

    operations = [
        migrations.AddField(
            model_name="document",
            name="mrz",
            field=models.JSONField(blank=True, default=dict, verbose_name="machine-readable zone"),
        ),
    ]
