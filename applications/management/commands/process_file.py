"""Run the document pipeline's checks and sanitising on a local file and print JSON.

    python manage.py process_file scan.pdf --kind passport [--out DIR]
    python manage.py process_file page1.jpg page2.jpg page3.pdf --kind diploma   # pages, combined

The same ``process_document`` core and kind policy as the Celery task; outputs go to
a new temporary folder (or ``--out``) and nothing touches the database or storage.
Several files are several pages of one document: each is checked as the worker checks a
page, and if all are accepted they are combined into one PDF as after submission
(``combine_pages``); the output is then ``{"pages": [...], "combined": {...}}``.
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
from applications.documents.combine import CombineError, combine_pages
from applications.documents.names import short_stem
from applications.documents.policy import DEFAULT_POLICIES, pages_max, policy_for
from applications.documents.processing import process_document


class Command(BaseCommand):
    help = "Check and sanitise one file as an upload of the given kind; print one JSON object."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("paths", nargs="+", metavar="path", help="the file to check (several: pages, combined)")
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
        out = Path(options["out"]) if options["out"] else None
        if len(options["paths"]) == 1:
            summary, _result = self._one(Path(options["paths"][0]), out, **options)
            self.stdout.write(json.dumps(summary, ensure_ascii=False))
            return
        out = out or Path(tempfile.mkdtemp(prefix="process_file-"))
        summaries, results = [], []
        for path in options["paths"]:
            summary, result = self._one(Path(path), out, **options)
            summaries.append(summary)
            results.append(result)
        combined: dict[str, Any] = {"accepted": all(r.accepted for r in results), "path": None}
        if combined["accepted"]:
            policy = policy_for(options["kind"])
            try:
                pdf = combine_pages(
                    [(r.sanitised or b"", r.sanitised_type or "") for r in results],
                    max_pages=policy.max_pages * pages_max(),
                )
            except CombineError as exc:
                combined.update(accepted=False, error=str(exc))
            else:
                target = out / f"{short_stem(Path(options['paths'][0]).name)}-combined.pdf"
                target.write_bytes(pdf.data)
                combined.update(path=str(target), pages=pdf.pages, sha256=pdf.sha256)
        self.stdout.write(json.dumps({"pages": summaries, "combined": combined}, ensure_ascii=False))

    def _one(self, path: Path, out_dir: Path | None, **options: Any) -> tuple[dict[str, Any], Any]:
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
            out = out_dir or Path(tempfile.mkdtemp(prefix="process_file-"))
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
        return summary, result
