"""The products the portal runs, as declarations: a registry like Django's app registry.

Each product is one module (``kandas.py``, ``skills.py``) that declares its reference
prefix, task-list sections and forms, the facts it produces for the criteria, required
documents, validity and rights, SLA days and card text. Code that differs per product asks
``get_product(code)``; nothing outside the product modules branches on a product code.

The built-in products load on first use; tests register a product of their own with
``register`` (and ``unregister`` it afterwards).
"""

from __future__ import annotations

from collections.abc import Iterator
from importlib import import_module

from applications.products.base import (
    CANNOT_START,
    COMPLETED,
    DOCUMENTS,
    FAMILY,
    IN_PROGRESS,
    NOT_STARTED,
    PROGRESS_KEY,
    Fact,
    FactInput,
    IndexedValues,
    LinkedDecision,
    ProductDeclaration,
    Section,
)
from eligibility.products import produced_facts_declare, produced_facts_forget

__all__ = [
    "CANNOT_START",
    "COMPLETED",
    "DOCUMENTS",
    "FAMILY",
    "IN_PROGRESS",
    "NOT_STARTED",
    "PROGRESS_KEY",
    "Fact",
    "FactInput",
    "IndexedValues",
    "LinkedDecision",
    "ProductDeclaration",
    "Section",
    "all_products",
    "get_product",
    "is_product",
    "load",
    "product_by_prefix",
    "product_choices",
    "register",
    "unregister",
]

# The product modules of the portal, loaded on first use (they import the forms, which the
# registry itself must not, so that a module can import the registry at its top).
BUILTIN = ("applications.products.kandas", "applications.products.skills")

_registry: dict[str, ProductDeclaration] = {}
_loaded = False


def load() -> None:
    """Import the built-in product modules (once; AppConfig.ready calls it, like app loading)."""
    global _loaded
    if not _loaded:
        _loaded = True
        for module in BUILTIN:
            import_module(module)


def register(product: ProductDeclaration) -> ProductDeclaration:
    """Add a product; its code and reference prefix must be new (they name cases and cards)."""
    load()
    for other in _registry.values():
        if other.code != product.code and other.reference_prefix == product.reference_prefix:
            raise ValueError(f"reference prefix {product.reference_prefix!r} is taken by {other.code}")
    _registry[product.code] = product
    _publish_facts(product)
    return product


def unregister(code: str) -> None:
    _registry.pop(code, None)
    produced_facts_forget(code)


def _publish_facts(product: ProductDeclaration) -> None:
    # The policy side checks criteria against the facts a product produces (publishing refuses
    # a factor that reads anything else); eligibility holds that list and imports nothing here.
    produced_facts_declare(product.code, product.fact_names)


def get_product(code: str) -> ProductDeclaration:
    """The declaration of ``code``; ``LookupError`` for a code no module declares."""
    load()
    try:
        return _registry[str(code)]
    except KeyError:
        raise LookupError(f"unknown product {code!r}") from None


def product_by_prefix(prefix: str) -> ProductDeclaration:
    """The product whose reference prefix is ``prefix`` (card numbers and QR payloads carry it)."""
    for product in all_products():
        if product.reference_prefix == prefix:
            return product
    raise LookupError(f"no product has the prefix {prefix!r}")


def is_product(code: str) -> bool:
    load()
    return str(code) in _registry


def all_products() -> Iterator[ProductDeclaration]:
    load()
    return iter(list(_registry.values()))


def product_choices() -> list[tuple[str, str]]:
    """(code, label) of every registered product, for choosers and validation."""
    return [(p.code, str(p.label)) for p in all_products()]
