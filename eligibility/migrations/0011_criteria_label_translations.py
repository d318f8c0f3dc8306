"""Criteria texts become data of their set: a LabelTranslation row per text of every existing
set, filled for the seeded example criteria from the translations the message catalogs held
for them until now (frozen in 0011_criteria_label_translations.json, so this migration gives
the same result whatever the catalogs say later). Texts without a known translation get an
empty row, which the admin lists as missing."""

import json
from pathlib import Path

import django.db.models.deletion
from django.db import migrations, models

FROZEN = Path(__file__).with_suffix(".json")
# Model field of each language code of the frozen file.
FIELDS = {"kk": "kk", "ru": "ru", "en": "en", "uz": "uz", "zh-hans": "zh_hans"}


def _texts(apps, cs):
    """The set's texts a person reads, as eligibility.definitions.label_texts lists them."""
    get = apps.get_model
    texts = [cs.title]
    for f in get("eligibility", "FactDeclaration").objects.filter(criteria_set=cs).order_by("order", "id"):
        texts += [f.label, f.help, *(line.strip() for line in (f.choice_labels or "").splitlines())]
    for k in get("eligibility", "KnockOut").objects.filter(criteria_set=cs).order_by("order", "id"):
        texts += [k.label, k.help]
    texts += list(
        get("eligibility", "CriteriaGroup")
        .objects.filter(criteria_set=cs)
        .order_by("order", "id")
        .values_list("label", flat=True)
    )
    for factor in get("eligibility", "Factor").objects.filter(criteria_set=cs).order_by("order", "id"):
        texts += [factor.label, factor.help]
        for model in ("Band", "FactorChoice"):
            texts += list(
                get("eligibility", model)
                .objects.filter(factor=factor)
                .order_by("order", "id")
                .values_list("label", flat=True)
            )
        texts += list(
            get("eligibility", "MatrixEntry")
            .objects.filter(factor=factor)
            .order_by("axis", "order", "id")
            .values_list("label", flat=True)
        )
    return list(dict.fromkeys(t for t in texts if t and t.strip()))


def fill(apps, schema_editor):
    frozen = json.loads(FROZEN.read_text(encoding="utf-8"))
    label_translation = apps.get_model("eligibility", "LabelTranslation")
    rows = []
    for cs in apps.get_model("eligibility", "CriteriaSet").objects.order_by("pk"):
        for text in _texts(apps, cs):
            given = frozen.get(text, {})
            rows.append(
                label_translation(
                    criteria_set=cs, source=text, **{name: given.get(code, "") for code, name in FIELDS.items()}
                )
            )
    label_translation.objects.bulk_create(rows)


def grant(apps, schema_editor):
    """Criteria admins edit the translations; auditors read them (as 0004 and 0009 do)."""
    from django.contrib.auth.management import create_permissions

    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, verbosity=0, apps=apps)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name="criteria_admin")
    perms = Permission.objects.filter(content_type__app_label="eligibility", content_type__model="labeltranslation")
    group.permissions.add(*perms)
    auditor = Group.objects.filter(name="auditor").first()
    if auditor is not None:
        auditor.permissions.add(*perms.filter(codename__startswith="view_"))


class Migration(migrations.Migration):
    dependencies = [
        ("eligibility", "0010_occupation_titles_from_files"),
    ]

    operations = [
        migrations.CreateModel(
            name="LabelTranslation",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("source", models.TextField(verbose_name="text in the criteria")),
                ("kk", models.TextField(blank=True, verbose_name="Kazakh")),
                ("ru", models.TextField(blank=True, verbose_name="Russian")),
                (
                    "en",
                    models.TextField(
                        blank=True, help_text="Leave empty when the text is already English.", verbose_name="English"
                    ),
                ),
                ("uz", models.TextField(blank=True, verbose_name="Uzbek")),
                ("zh_hans", models.TextField(blank=True, verbose_name="Chinese")),
                (
                    "criteria_set",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="label_translations",
                        to="eligibility.criteriaset",
                    ),
                ),
            ],
            options={
                "verbose_name": "translation of a text",
                "verbose_name_plural": "translations of the texts",
                "ordering": ["id"],
                "constraints": [
                    models.UniqueConstraint(fields=("criteria_set", "source"), name="labeltranslation_source_unique")
                ],
            },
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
        migrations.RunPython(grant, migrations.RunPython.noop),
    ]
