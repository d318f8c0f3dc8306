import os
import subprocess
import sys

import pytest

from tests.services import ROOT

PROD_ENV = {
    "DJANGO_SETTINGS_MODULE": "portal.settings.production",
    "DJANGO_SECRET_KEY": "x" * 20 + "production-secret-key-for-the-test-0123456789",
    "DJANGO_ALLOWED_HOSTS": "portal.example.kz",
    # Production signs cards only with a key from the environment (docs/cards.md).
    "CARD_SIGNING_KEY": "AQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQE=",
    "CARD_SIGNING_KEY_ID": "test-prod",
    # The audit chain's HMAC key comes only from the environment (docs/operations.md).
    "AUDIT_HMAC_KEY": "audit-key-for-the-production-settings-test-0123456789",
}


def run_python(code: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    clean = {
        k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "CELERY_", "DATABASE_URL", "REDIS_URL"))
    }
    return subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env={**clean, **env}, capture_output=True, text=True, timeout=60
    )


SHOW = (
    "import django; django.setup(); from django.conf import settings as s; "
    "print(s.DATABASES['default']['ENGINE'], s.CELERY_TASK_ALWAYS_EAGER, s.DEBUG, "
    "s.EMAIL_BACKEND.rsplit('.', 2)[-2], s.STORAGES['private']['OPTIONS']['base_url'])"
)


def test_defaults_with_nothing_set_are_sqlite_eager_console_private_media():
    result = run_python(SHOW, {"DJANGO_SETTINGS_MODULE": "portal.settings"})
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["django.db.backends.sqlite3", "True", "False", "console", "None"]


def test_environment_selects_postgresql_and_a_real_broker():
    result = run_python(
        SHOW,
        {
            "DJANGO_SETTINGS_MODULE": "portal.settings",
            "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/portal",
            "CELERY_BROKER_URL": "redis://127.0.0.1:6379/0",
        },
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split()[:2] == ["django.db.backends.postgresql", "False"]


def test_production_settings_turn_debug_off_and_secure_cookies_on():
    code = (
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.DEBUG, s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SECURE_HSTS_SECONDS > 0, s.ALLOWED_HOSTS)"
    )
    result = run_python(code, PROD_ENV)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "False True True True ['portal.example.kz']"


@pytest.mark.parametrize("missing", ["DJANGO_SECRET_KEY", "DJANGO_ALLOWED_HOSTS", "AUDIT_HMAC_KEY"])
def test_production_settings_refuse_to_start_without_required_variable(missing):
    env = {k: v for k, v in PROD_ENV.items() if k != missing}
    result = run_python("import django; django.setup()", env)
    assert result.returncode != 0
    assert f"The environment variable {missing} is required" in result.stderr


def test_malformed_boolean_fails_loudly():
    result = run_python(
        "import django; django.setup()", {"DJANGO_SETTINGS_MODULE": "portal.settings", "DJANGO_DEBUG": "flase"}
    )
    assert result.returncode != 0
    assert "DJANGO_DEBUG must be a boolean" in result.stderr


def test_check_deploy_is_clean_under_production_settings():
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env={**{k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}, **PROD_ENV},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


@pytest.mark.parametrize("value", ["one", "-1"])
def test_a_malformed_trusted_proxy_count_fails_loudly(value):
    result = run_python(
        "import django; django.setup()",
        {"DJANGO_SETTINGS_MODULE": "portal.settings", "PORTAL_TRUSTED_PROXY_COUNT": value},
    )
    assert result.returncode != 0
    assert "PORTAL_TRUSTED_PROXY_COUNT must be" in result.stderr
