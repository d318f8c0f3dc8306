"""Fill and compile translation catalogs in pure Python (polib), no GNU gettext needed.

Translations are written in ``locale_src/*.json`` ({"English msgid": {"kk": "...", "ru": "..."}})
so that several people can add strings without merge conflicts in the .po files.
``makemessages`` (GNU gettext, developers only) extracts msgids into the .po files;
``--fill`` copies the JSON translations into them; ``--compile`` writes the .mo files that
Django reads; ``--check`` fails when a msgid of a shipped language has no translation.
"""

import json
from pathlib import Path

import polib
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import to_locale

SOURCE_DIR = Path(settings.BASE_DIR) / "locale_src"
TRANSLATED = ("kk", "ru")  # English is the msgid itself


def load_sources() -> dict[str, dict[str, str]]:
    merged: dict[str, dict[str, str]] = {}
    for path in sorted(SOURCE_DIR.glob("*.json")):
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except json.JSONDecodeError as exc:
            raise CommandError(f"{path}: {exc}") from exc
        for msgid, translations in data.items():
            merged.setdefault(msgid, {}).update(translations)
    return merged


def catalog_paths(lang: str) -> list[Path]:
    # Django reads locale/<locale name>/ (zh-hans -> zh_Hans).
    base = Path(settings.LOCALE_PATHS[0]) / to_locale(lang) / "LC_MESSAGES"
    return [p for p in (base / "django.po", base / "djangojs.po") if p.exists()]


class Command(BaseCommand):
    help = "Fill .po files from locale_src/*.json, compile .mo files, check completeness."

    def add_arguments(self, parser):
        parser.add_argument("--fill", action="store_true", help="copy translations from locale_src/ into the .po files")
        parser.add_argument("--compile", action="store_true", help="write .mo files next to the .po files")
        parser.add_argument("--check", action="store_true", help="fail if a shipped language misses a translation")

    def handle(self, *args, fill: bool, compile: bool, check: bool, **options):
        sources = load_sources() if fill else {}
        missing: list[str] = []
        for lang, _name in settings.LANGUAGES:
            for path in catalog_paths(lang):
                po = polib.pofile(str(path), wrapwidth=0)
                if fill:
                    self._fill(po, lang, sources)
                    po.save(str(path))
                if check and lang in TRANSLATED:
                    missing += [
                        f"{lang}: {e.msgid!r}"
                        for e in po
                        # A fuzzy entry is msgmerge's guess from a similar string: it is not
                        # compiled, so the page would show English. It counts as missing.
                        if not e.obsolete and not e.translated()
                    ]
                if compile:
                    po.save_as_mofile(str(path.with_suffix(".mo")))
        if missing:
            raise CommandError(f"{len(missing)} untranslated strings:\n" + "\n".join(missing[:200]))
        self.stdout.write(self.style.SUCCESS("catalogs ok"))

    @staticmethod
    def _fill(po: polib.POFile, lang: str, sources: dict[str, dict[str, str]]) -> None:
        for entry in po:
            translation = sources.get(entry.msgid, {}).get(lang)
            if not translation:
                continue
            if entry.msgid_plural:
                value = translation if isinstance(translation, list) else [translation]
                entry.msgstr_plural = dict(enumerate(value))
            else:
                entry.msgstr = translation
            if "fuzzy" in entry.flags:
                entry.flags.remove("fuzzy")
