"""Every translatable string that ships has Kazakh and Russian translations.

Extracts the strings afresh (GNU gettext's xgettext, as `make messages` does) into a copy of
the catalogs, fills them from locale_src/, and fails on any msgid left untranslated.
"""

import os
import shutil
import subprocess
import sys

import pytest

from tests.services import IN_CI, ROOT


def test_kazakh_and_russian_catalogs_are_complete(tmp_path):
    if shutil.which("xgettext") is None:
        if IN_CI:
            pytest.fail("GNU gettext (xgettext) is needed to check the catalogs")
        pytest.skip("GNU gettext (xgettext) is not installed")
    # makemessages writes next to the sources it walks, so walk a mirror of symlinks whose
    # only real folder is a copy of the catalogs: the repository stays untouched.
    locale = tmp_path / "locale"
    shutil.copytree(ROOT / "locale", locale)
    for name in ("portal", "applications", "eligibility", "templates"):
        (tmp_path / name).symlink_to(ROOT / name)
    env = {**os.environ, "PORTAL_LOCALE_DIR": str(locale), "DJANGO_SETTINGS_MODULE": "portal.settings"}
    env.pop("DATABASE_URL", None)
    manage = [sys.executable, str(ROOT / "manage.py")]
    extract = subprocess.run(
        [*manage, "makemessages", "--all", "--no-obsolete", "--symlinks"],
        cwd=tmp_path, env=env, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert extract.returncode == 0, extract.stderr
    check = subprocess.run(
        [*manage, "i18n", "--fill", "--check"], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120
    )
    assert check.returncode == 0, check.stderr[-4000:]
