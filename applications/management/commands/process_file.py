"""Run the document pipeline's checks and sanitising on a local file and print JSON.

    python manage.py process_file scan.pdf --kind passport [--out DIR]

The same ``process_document`` core and kind policy as the Celery task; outputs go to
a new temporary folder (or ``--out``) and nothing touches the database or storage.
"""

from __future__ import annotations

import json
import tempfile
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import translation

from applications.documents import detect
from applications.documents.names import short_stem
from applications.documents.policy import DEFAULT_POLICIES, policy_for
from applications.documents.processing import process_document


class Command(BaseCommand):
    help = "Check and sanitise one file as an upload of the given kind; print one JSON object."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", help="the file to check")
        parser.add_argument("--kind", required=True, choices=sorted(DEFAULT_POLICIES), help="document kind")
        parser.add_argument("--out", help="folder for the sanitised copy and thumbnail (default: a new temp folder)")
        parser.add_argument("--content-type", default=None, help="the browser's claimed MIME type, if any")
        parser.add_argument(
            "--language",
            default="en",
            choices=[code for code, _name in settings.LANGUAGES],
            help="language of the message, as the applicant would see it (default: en)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        with translation.override(options["language"]):
            self._handle(**options)

    def _handle(self, **options: Any) -> None:
        path = Path(options["path"])
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise CommandError(f"cannot read {path}: {exc.strerror}") from exc
        result = process_document(
            data,
            policy_for(options["kind"]),
            declared_name=path.name,
            declared_type=options["content_type"],
        )
        summary: dict[str, Any] = {"path": str(path), "kind": options["kind"], **result.as_dict()}
        summary["sanitised_path"] = summary["thumbnail_path"] = None
        if result.accepted:
            out = Path(options["out"]) if options["out"] else Path(tempfile.mkdtemp(prefix="process_file-"))
            out.mkdir(parents=True, exist_ok=True)
            # A 255-byte name plus "-sanitised.jpg" is over the file system's limit per name.
            stem = short_stem(path.name)
            extension = detect.EXTENSION_FOR_TYPE.get(result.sanitised_type or "", "")
            if result.sanitised is not None:
                target = out / f"{stem}-sanitised{extension}"
                target.write_bytes(result.sanitised)
                summary["sanitised_path"] = str(target)
            if result.thumbnail is not None:
                target = out / f"{stem}-thumbnail.jpg"
                target.write_bytes(result.thumbnail)
                summary["thumbnail_path"] = str(target)
        self.stdout.write(json.dumps(summary, ensure_ascii=False))
