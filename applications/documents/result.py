"""What inspecting one file produced: the result record and the refusal signal."""

from __future__ import annotations

import hashlib
from dataclasses import asdict, dataclass, field
from typing import Any

from . import reasons


class Rejected(Exception):
    """The file is refused; ``code`` is one of ``reasons``."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


@dataclass
class ProcessResult:
    """Outcome of inspecting one file. ``sanitised``/``thumbnail`` hold the output bytes."""

    accepted: bool
    reason: str | None
    size: int
    sha256_original: str
    detected_type: str | None = None
    width: int | None = None
    height: int | None = None
    pages: int | None = None
    orientation: int | None = None
    stripped: list[str] = field(default_factory=list)
    sanitised_type: str | None = None
    sanitised_width: int | None = None
    sanitised_height: int | None = None
    sha256_sanitised: str | None = None
    # What the MRZ reader made of a passport scan (applications/documents/mrz_ocr.py), or None.
    mrz: dict[str, Any] | None = None
    sanitised: bytes | None = field(default=None, repr=False)
    thumbnail: bytes | None = field(default=None, repr=False)

    @property
    def message(self) -> str:
        """The reason in the active language ("" when accepted)."""
        return reasons.reason_message(self.reason)

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready summary without the output bytes."""
        data = asdict(self)
        data.pop("sanitised")
        data.pop("thumbnail")
        data["message"] = self.message
        return data


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()
