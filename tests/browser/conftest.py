"""Playwright driving Debian's Chromium (/usr/bin/chromium), never a browser of its own.

Locally, a machine without Chromium skips these tests with the reason; in CI (CI=true)
they fail, since .ci/browsers installs it.
"""

import io
import json
import re
from pathlib import Path

import pytest
from PIL import Image

from tests.services import IN_CI, ROOT

CHROMIUM = Path("/usr/bin/chromium")
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
ARTIFACTS = ROOT / "test-artifacts"
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def _missing(reason: str) -> None:
    message = f"browser tests skipped: {reason} (run .ci/browsers to install it)"
    if IN_CI:
        pytest.fail(message)
    pytest.skip(message)


@pytest.fixture
def page(web_server, monkeypatch):
    """A Chromium page on the test's gunicorn, in a Kazakh-speaking browser.

    Playwright starts only after the database fixtures: its event loop gives this thread a
    new context, in which Django would not find the serialized test data to restore.
    """
    if not CHROMIUM.exists():
        _missing("Debian's Chromium is not installed at /usr/bin/chromium")
    if not AXE.exists():
        _missing("axe-core is not installed in node_modules/")
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread; the test's own ORM calls are
    # still plain synchronous code, so Django's async-safety guard must not refuse them.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_FLAGS)
        context = browser.new_context(base_url=web_server.url, viewport={"width": 1280, "height": 900}, locale="kk-KZ")
        page = context.new_page()
        page.set_default_timeout(15_000)
        yield page
        context.close()
        browser.close()
        # Connections the test opened inside Playwright's context are not the fixtures':
        # close them here, or the test database could not be dropped at the end.
        from django.db import connections

        connections.close_all()


def check_page(page, name: str) -> list[dict]:
    """Save a full-page screenshot and the axe-core results of the page; fail on any
    serious or critical violation. Returns all violations (minor/moderate included)."""
    ARTIFACTS.joinpath("screenshots").mkdir(parents=True, exist_ok=True)
    ARTIFACTS.joinpath("axe").mkdir(parents=True, exist_ok=True)
    slug = re.sub(r"[^a-z0-9-]+", "-", name.lower()).strip("-")
    page.screenshot(path=str(ARTIFACTS / "screenshots" / f"{slug}.png"), full_page=True)
    # Evaluated through the DevTools protocol: the page's CSP (no inline script) stays on.
    page.evaluate(AXE.read_text())
    result = page.evaluate(
        "async () => await axe.run(document, {resultTypes: ['violations'],"
        " runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice']}})"
    )
    violations = [
        {"id": v["id"], "impact": v["impact"], "help": v["help"], "nodes": [n["target"] for n in v["nodes"]]}
        for v in result["violations"]
    ]
    (ARTIFACTS / "axe" / f"{slug}.json").write_text(
        json.dumps({"url": page.url, "violations": violations}, indent=2, ensure_ascii=False)
    )
    blocking = [v for v in violations if v["impact"] in ("serious", "critical")]
    assert blocking == [], f"{name}: axe-core found serious/critical violations: {blocking}"
    return violations


def photo_jpeg(size: tuple[int, int], color: tuple[int, int, int]) -> bytes:
    """A JPEG the document pipeline accepts: a plain background with a lighter face-like
    block, so the photo is not one flat colour."""
    image = Image.new("RGB", size, color)
    for x in range(size[0] // 4, 3 * size[0] // 4):
        for y in range(size[1] // 5, 3 * size[1] // 5):
            image.putpixel((x, y), (220, 190, 170))
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=90)
    return buffer.getvalue()


# How far the page scrolls sideways, and the widest elements that stick out past the window
# (named so that a failure says what to fix).
_OVERFLOW_JS = """() => {
  const width = document.documentElement.clientWidth;
  const over = [];
  for (const el of document.body.querySelectorAll('*')) {
    const box = el.getBoundingClientRect();
    if (box.width && box.right > width + 1 && getComputedStyle(el).position !== 'fixed') {
      over.push(el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') +
        (el.className && typeof el.className === 'string' ? '.' + el.className.trim().split(/\\s+/).join('.') : '') +
        ' (right ' + Math.round(box.right) + ')');
    }
  }
  return {scroll: document.documentElement.scrollWidth - width, over: over.slice(0, 8)};
}"""


def horizontal_overflow(page) -> dict:
    """``{"scroll": px the page scrolls sideways, "over": elements past the right edge}``."""
    return page.evaluate(_OVERFLOW_JS)


def assert_no_horizontal_scroll(page, name: str) -> None:
    found = horizontal_overflow(page)
    assert found["scroll"] <= 0, f"{name} at {page.viewport_size['width']} px scrolls sideways: {found}"
