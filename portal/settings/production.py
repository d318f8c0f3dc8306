"""Production settings: DEBUG off, secrets and hosts required from the environment.

Behind a TLS-terminating reverse proxy that sets X-Forwarded-Proto.
"""

from portal.settings.base import *  # noqa: F403
from portal.settings.env import env_bool, env_int, env_list, env_required, env_str

DEBUG = False
SECRET_KEY = env_required("DJANGO_SECRET_KEY")
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS") or [env_required("DJANGO_ALLOWED_HOSTS")]
if len(SECRET_KEY) < 50:
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured("DJANGO_SECRET_KEY must be at least 50 characters long.")

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", True)
SECURE_HSTS_SECONDS = env_int("DJANGO_HSTS_SECONDS", 60 * 60 * 24 * 365)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
LANGUAGE_COOKIE_SECURE = True
LANGUAGE_COOKIE_HTTPONLY = True
CELERY_TASK_ALWAYS_EAGER = False
STORAGES["staticfiles"] = {  # noqa: F405
    "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage",
}
EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
# Cards are signed with a key from the environment only (CARD_SIGNING_KEY, CARD_SIGNING_KEY_ID);
# never a development key file. `manage.py check --deploy` fails without it (applications/cards/checks.py)
# and issuing a card refuses to start.
CARD_ALLOW_DEV_KEY = False
# The audit chain's key comes from the environment only (docs/operations.md); a key derived
# from SECRET_KEY would let anyone who holds that one secret re-hash the trail.
AUDIT_HMAC_KEY = env_required("AUDIT_HMAC_KEY")
if len(AUDIT_HMAC_KEY) < 32:
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured("AUDIT_HMAC_KEY must be at least 32 characters long.")
