"""Every plural message renders in every language for the counts that pick each plural form.

0, 1, 2, 5 and 21 reach every form of the five languages' plural rules (Russian: 1 and 21
"one", 2 "few", 0 and 5 "many"). Each ``{% blocktranslate count %}`` block of every template
is rendered alone, and the notification page, which every notification e-mail links to, is
rendered through the site with that many unread notifications.
"""

import re

import pytest
from django.conf import settings
from django.template import Context, Template
from django.templatetags.i18n import BlockTranslateNode
from django.urls import reverse
from django.utils import translation
from django.utils.translation import trans_real

from applications.models import Notification
from applications.notifications import notification_create
from tests.services import ROOT

COUNTS = (0, 1, 2, 5, 21)
LANGUAGES = [code for code, _name in settings.LANGUAGES]
BLOCK = re.compile(r"{%\s*blocktranslate\s+count\s+(\w+)=\S+(.*?)%}(.*?){%\s*endblocktranslate\s*%}", re.S)


def plural_blocks() -> list[tuple[str, str, str]]:
    """(template, counter name, the block with its count bound to the counter variable)."""
    found = []
    for folder in ("templates", "applications", "eligibility", "portal"):
        for path in sorted((ROOT / folder).rglob("*.html")) + sorted((ROOT / folder).rglob("*.txt")):
            for match in BLOCK.finditer(path.read_text(encoding="utf-8")):
                name, rest, body = match.groups()
                # Bind the count to a plain variable; keep any ``with`` arguments empty-safe.
                block = f"{{% blocktranslate count {name}=n{rest}%}}{body}{{% endblocktranslate %}}"
                found.append((str(path.relative_to(ROOT)), name, block))
    return found


BLOCKS = plural_blocks()


def test_the_templates_have_plural_blocks_to_check():
    assert len(BLOCKS) >= 5, BLOCKS


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize(("template", "name", "block"), BLOCKS, ids=[b[0] for b in BLOCKS])
def test_every_plural_block_renders_every_count(template, name, block, language):
    for count in COUNTS:
        with translation.override(language):
            text = Template("{% load i18n %}" + block).render(Context({"n": count}))
            english = _english(block, count)
        assert str(count) in text, f"{template} [{language}] n={count}: {text!r}"
        if language != "en":
            # A missing plural form falls back to another language's text, not an error.
            assert text != english, f"{template} [{language}] n={count} is English: {text!r}"
            assert _has_own_form(block, language, count), f"{template} [{language}] n={count}: no own translation"


def _english(block: str, count: int) -> str:
    with translation.override("en"):
        return Template("{% load i18n %}" + block).render(Context({"n": count}))


def _has_own_form(block: str, language: str, count: int) -> bool:
    """The language's own catalog (not the Kazakh fallback) has the form this count picks."""
    node = next(n for n in Template("{% load i18n %}" + block).nodelist if isinstance(n, BlockTranslateNode))
    msgid, _vars = node.render_token_list(node.singular)
    catalog = trans_real.translation(language)
    # The Kazakh fallback is merged in as a fallback object, not into the own catalog.
    return bool(catalog._catalog.get((msgid, catalog.plural(count))))


@pytest.mark.django_db
@pytest.mark.parametrize("language", LANGUAGES)
def test_the_notification_page_renders_with_any_number_of_unread_notifications(client, applicant, language):
    applicant.preferred_language = language
    applicant.save(update_fields=["preferred_language"])
    client.force_login(applicant)
    made = 0
    for count in COUNTS:
        while made < count:
            notification_create(recipient=applicant, kind="review_started", event_key=f"e{made}")
            made += 1
        assert Notification.objects.filter(recipient=applicant, channel="in_app", read_at=None).count() == count
        response = client.get(reverse("notifications:list"), HTTP_ACCEPT_LANGUAGE=language)
        assert response.status_code == 200, (language, count)
        assert response.headers["Content-Language"] == language
        if count:
            assert f'class="count-badge">{count}' in response.content.decode()
