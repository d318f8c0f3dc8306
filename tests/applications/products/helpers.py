"""Change a product's declared terms for one test (the declaration is the only place they live)."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from applications.products import get_product, register


@contextmanager
def product_changed(code: str, **changes: Any) -> Iterator[None]:
    """``code`` declared with ``changes`` inside the block; the original afterwards."""
    original = get_product(code)
    register(dataclasses.replace(original, **changes))
    try:
        yield
    finally:
        register(original)
