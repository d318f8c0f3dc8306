from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('applications', '0005_casework_legal_grounds_roles'),
    ]

    operations = [
        migrations.AddIndex(
            model_name='application',
            index=models.Index(fields=['priority', 'submitted_at', 'id', 'state', 'product', 'region'], name='app_worklist_idx'),
        ),
    ]
