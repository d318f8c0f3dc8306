"""Occupation titles other than English live in files read by eligibility/occupations.py (one
owner); the empty title_ru/title_kk columns that nothing filled are dropped."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('eligibility', '0009_remove_criteria_json_fields'),
    ]

    operations = [
        migrations.RemoveField(
            model_name='occupation',
            name='title_kk',
        ),
        migrations.RemoveField(
            model_name='occupation',
            name='title_ru',
        ),
    ]
