"""Criteria texts are data of their set: translated per language, exported and imported with
the set, edited in the admin, required in Kazakh and Russian to publish, and filled for the
sets that existed before (migration 0011)."""

import copy
import json

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse
from django.utils import translation

from eligibility.definitions import definition_from_set, translations_of
from eligibility.display import criteria_text, score_label_display, score_rule_display
from eligibility.engine import CriteriaError
from eligibility.models import CriteriaSet, Factor, LabelTranslation
from eligibility.services import (
    criteria_set_export,
    criteria_set_import,
    criteria_set_new_draft,
    criteria_set_publish,
)
from portal.audit.models import AuditEvent
from tests.eligibility.conftest import admin_messages
from tests.eligibility.db_helpers import change_form_data, seed_set
from tests.eligibility.engine_helpers import fixture

pytestmark = pytest.mark.django_db

AGE = {"kk": "Жасы", "ru": "Возраст", "uz": "Yosh", "zh-hans": "年龄"}


def _kandas(**translations) -> dict:
    data = copy.deepcopy(fixture("kandas_card_example.json"))
    data["translations"].update(translations)
    return data


# --------------------------------------------------------------------------- display


@pytest.mark.parametrize(
    ("language", "given", "shown"),
    [
        ("kk", {"kk": "Жасы", "ru": "Возраст"}, "Жасы"),
        ("kk", {"ru": "Возраст"}, "Возраст"),  # Kazakh falls back to Russian
        ("ru", {"kk": "Жасы"}, "Age"),  # Russian does not fall back to Kazakh
        ("uz", {"kk": "Жасы", "ru": "Возраст"}, "Age"),
        ("zh-hans", {"zh-hans": "年龄"}, "年龄"),
        ("uz", {"en": "Age of the applicant"}, "Age of the applicant"),  # an English wording
        ("en", {"kk": "Жасы"}, "Age"),
    ],
)
def test_a_text_is_shown_in_the_page_language_with_the_portal_fallbacks(language, given, shown):
    with translation.override(language):
        assert criteria_text("Age", {"Age": given}) == shown


def test_score_lines_read_the_set_translations_not_the_code_catalog():
    translations = {"Age": AGE, "18 to 35": {"ru": "от 18 до 35"}, "priority 1": {"ru": "приоритет 1"}}
    with translation.override("ru"):
        assert score_label_display("Age", "age", translations) == "Возраст"
        assert score_label_display("", "age", translations) == "age"
        assert score_rule_display("18 to 35", translations) == "от 18 до 35"
        rated = score_rule_display("a value rated priority 1 in scarce_professions", translations)
        assert "приоритет 1" in rated and "scarce_professions" not in rated
        # A set that never translated a text shows it as written (never a catalog's guess).
        assert criteria_text("Scarce profession", {}) == "Scarce profession"


# --------------------------------------------------------------------------- export / import


def test_export_then_import_keeps_every_translation():
    cs = seed_set("kandas_card", publish=False)
    exported = criteria_set_export(cs)
    assert exported["translations"]["Age"] == AGE
    again = criteria_set_import(data=json.loads(json.dumps(exported)), actor=None, product="kandas_card")
    assert translations_of(again) == translations_of(cs) == exported["translations"]
    assert criteria_set_export(again)["translations"] == exported["translations"]


def test_a_new_draft_version_copies_the_translations():
    cs = seed_set("kandas_card")
    draft = criteria_set_new_draft(criteria_set=cs, actor=None)
    assert translations_of(draft) == translations_of(cs)
    assert LabelTranslation.objects.filter(criteria_set=draft).count() == len(translations_of(cs))


def test_import_keeps_only_texts_the_set_uses_and_refuses_an_unknown_language():
    from eligibility.engine import DefinitionError

    cs = criteria_set_import(data=_kandas(**{"Not a text of this set": {"kk": "Жоқ"}}), actor=None)
    assert "Not a text of this set" not in translations_of(cs)
    data = _kandas(Age={"de": "Alter"})
    with pytest.raises(DefinitionError) as refused:
        criteria_set_import(data=data, actor=None)
    assert "translations" in refused.value.path or "de" in refused.value.message


# --------------------------------------------------------------------------- publishing


def test_publishing_is_refused_while_a_text_lacks_kazakh_or_russian(criteria_admin):
    data = _kandas(Age={"ru": "Возраст", "uz": "Yosh"})
    draft = criteria_set_import(data=data, actor=criteria_admin)
    with pytest.raises(CriteriaError) as refused, translation.override("en"):
        criteria_set_publish(criteria_set=draft, actor=criteria_admin)
    messages = [str(issue) for issue in refused.value.issues]
    assert len(messages) == 1 and "“Age”" in messages[0] and "Kazakh" in messages[0]
    draft.refresh_from_db()
    assert draft.status == "draft"


def test_a_text_missing_only_in_uzbek_or_chinese_does_not_stop_publishing(criteria_admin):
    draft = criteria_set_import(data=_kandas(Age={"kk": "Жасы", "ru": "Возраст"}), actor=criteria_admin)
    assert criteria_set_publish(criteria_set=draft, actor=criteria_admin).status == "published"


# --------------------------------------------------------------------------- admin


def test_the_admin_edits_a_translation_per_language_and_audits_it(admin_client):
    cs = seed_set("kandas_card", publish=False)
    url = reverse("admin:eligibility_criteriaset_change", args=[cs.pk])
    response = admin_client.get(url)
    assert response.status_code == 200
    data = change_form_data(response)
    forms = response.context["inline_admin_formsets"][-1].formset.forms
    index = next(i for i, form in enumerate(forms) if form.instance.source == "Age")
    data[f"label_translations-{index}-kk"] = "Өтініш берушінің жасы"
    data[f"label_translations-{index}-zh_hans"] = "申请人年龄"
    response = admin_client.post(url, data)
    assert response.status_code == 302, admin_messages(response)
    row = LabelTranslation.objects.get(criteria_set=cs, source="Age")
    assert (row.kk, row.ru, row.zh_hans) == ("Өтініш берушінің жасы", "Возраст", "申请人年龄")
    assert AuditEvent.objects.filter(action="criteria.change", reason__contains="translation of a text").exists()


def test_a_nul_in_a_translation_in_the_admin_is_refused_not_a_crash(admin_client):
    cs = seed_set("kandas_card", publish=False)
    url = reverse("admin:eligibility_criteriaset_change", args=[cs.pk])
    response = admin_client.get(url)
    data = change_form_data(response)
    forms = response.context["inline_admin_formsets"][-1].formset.forms
    index = next(i for i, form in enumerate(forms) if form.instance.source == "Age")
    data[f"label_translations-{index}-kk"] = "Жа\x00сы"
    response = admin_client.post(url, data)
    assert response.status_code in (200, 400)
    assert LabelTranslation.objects.get(criteria_set=cs, source="Age").kk == AGE["kk"]


def test_a_label_edited_in_the_admin_gets_an_untranslated_row_and_the_old_one_goes(admin_client):
    cs = seed_set("kandas_card", publish=False)
    factor = Factor.objects.get(criteria_set=cs, key="age")
    url = reverse("admin:eligibility_factor_change", args=[factor.pk])
    data = change_form_data(admin_client.get(url))
    data["label"] = "Age on the day of applying"
    assert admin_client.post(url, data).status_code == 302
    sources = set(LabelTranslation.objects.filter(criteria_set=cs).values_list("source", flat=True))
    assert "Age on the day of applying" in sources and "Age" not in sources
    with pytest.raises(CriteriaError) as refused:
        criteria_set_publish(criteria_set=cs, actor=None)
    assert any("Age on the day of applying" in str(issue) for issue in refused.value.issues)


def test_a_published_set_with_a_gap_is_flagged_in_its_admin_page(admin_client, criteria_admin):
    cs = criteria_set_publish(
        criteria_set=criteria_set_import(data=_kandas(Age={"kk": "Жасы", "ru": "Возраст"}), actor=None),
        actor=None,
    )
    admin_client.cookies["portal_language"] = "en"
    response = admin_client.get(reverse("admin:eligibility_criteriaset_change", args=[cs.pk]))
    warnings = [m for m in admin_messages(response) if "without a translation" in m]
    assert warnings and "Uzbek: 1 text without a translation" in warnings[0]
    assert "Chinese: 1 text without a translation" in response.content.decode()
    # Read-only like the rest of a published set.
    assert 'name="label_translations-0-kk"' not in response.content.decode()


# --------------------------------------------------------------------------- migration 0011


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    # None: every app's newest migration. Going back to 0010 also unapplied the migrations of
    # other apps that depend on 0011 or later; leaving them out breaks every test that follows.
    targets = targets or executor.loader.graph.leaf_nodes()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_migration_fills_the_seeded_texts_from_the_catalog_translations():
    try:
        old = _migrate([("eligibility", "0010_occupation_titles_from_files")])
        OldSet = old.get_model("eligibility", "CriteriaSet")
        OldFactor = old.get_model("eligibility", "Factor")
        OldBand = old.get_model("eligibility", "Band")
        cs = OldSet.objects.create(product="kandas_card", version=7, status="published", title="Untranslated title")
        factor = OldFactor.objects.create(criteria_set=cs, key="age", label="Age", kind="bands", fact="age")
        OldBand.objects.create(factor=factor, min=18, max=36, points=10, label="18 to 35")

        _migrate(None)
        rows = {r.source: r for r in LabelTranslation.objects.filter(criteria_set_id=cs.pk)}
        assert set(rows) == {"Untranslated title", "Age", "18 to 35"}
        assert rows["Age"].as_dict() == AGE
        assert rows["18 to 35"].kk and rows["18 to 35"].ru and rows["18 to 35"].uz and rows["18 to 35"].zh_hans
        assert rows["Untranslated title"].as_dict() == {}  # listed as missing in the admin
        with translation.override("kk"):
            assert criteria_text("Age", definition_from_set(CriteriaSet.objects.get(pk=cs.pk)).translations) == "Жасы"
    finally:
        _migrate(None)
