"""Starter list of legal grounds (admins edit it) and role permissions for the casework models."""

from django.db import migrations

from portal.roles import grant_role_permissions

# Plain-language grounds; administrators add the legal basis (article of the rules) in the admin.
GROUNDS = [
    ("meets-criteria", "approve", "Meets the published criteria and the pass mark",
     "Соответствует опубликованным критериям и проходному баллу", "Жарияланған өлшемдерге және өту балына сай"),
    ("priority-profession", "approve", "Works in a profession on the scarce-professions rating",
     "Работает по профессии из рейтинга дефицитных профессий", "Тапшы мамандықтар рейтингіндегі мамандық бойынша жұмыс істейді"),
    ("below-pass-mark", "refuse", "Score below the pass mark",
     "Балл ниже проходного", "Балл өту балынан төмен"),
    ("knock-out", "refuse", "A mandatory requirement is not met",
     "Не выполнено обязательное требование", "Міндетті талап орындалмаған"),
    ("ethnicity-not-shown", "refuse", "Kazakh ethnicity not shown by the evidence",
     "Казахская национальность не подтверждена документами", "Қазақ ұлты құжаттармен расталмаған"),
    ("documents-not-genuine", "refuse", "Documents are not genuine or were altered",
     "Документы недостоверны или изменены", "Құжаттар шынайы емес немесе өзгертілген"),
    ("no-reply", "refuse", "No reply to a request for information by the deadline",
     "Нет ответа на запрос информации в срок", "Ақпарат сұрауына мерзімінде жауап берілмеді"),
    ("security", "refuse", "Refusal on public-order or security grounds",
     "Отказ по соображениям общественного порядка или безопасности", "Қоғамдық тәртіп немесе қауіпсіздік негізінде бас тарту"),
]


def seed(apps, schema_editor):
    LegalGround = apps.get_model("applications", "LegalGround")
    for code, applies_to, en, ru, kk in GROUNDS:
        LegalGround.objects.get_or_create(
            code=code, defaults={"applies_to": applies_to, "title_en": en, "title_ru": ru, "title_kk": kk}
        )


class Migration(migrations.Migration):
    dependencies = [
        ("applications", "0004_casework_queues_rfi_decisions"),
        ("eligibility", "0006_seed_kandas_regional_quotas_2026"),
        ("portal", "0002_roles"),
    ]

    operations = [
        migrations.RunPython(seed, migrations.RunPython.noop),
        migrations.RunPython(grant_role_permissions, migrations.RunPython.noop),
    ]
