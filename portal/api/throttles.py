"""Throttles per signed-in user and per anonymous address, counted in the cache (Redis in production).

Rates come from settings.API_THROTTLE_RATES at request time, so operators (and tests)
change them through the environment without a code change.
"""

from django.conf import settings
from django.core.cache import caches
from rest_framework import throttling

from portal.client import client_ip


class _SettingsRate:
    def get_rate(self):
        return settings.API_THROTTLE_RATES.get(self.scope)

    @property
    def cache(self):
        return caches[settings.API_THROTTLE_CACHE]

    def get_ident(self, request) -> str:
        # The client address by the portal's one rule (PORTAL_TRUSTED_PROXY_COUNT), instead
        # of DRF's own NUM_PROXIES reading, so throttles, lockout and audit agree.
        return client_ip(request) or "unknown"


class AnonThrottle(_SettingsRate, throttling.AnonRateThrottle):
    scope = "anon"


class UserThrottle(_SettingsRate, throttling.UserRateThrottle):
    scope = "user"


class ScopedThrottle(_SettingsRate, throttling.ScopedRateThrottle):
    """Extra limit for costly endpoints: views name a ``throttle_scope`` (upload, self_check, verify)."""

    def allow_request(self, request, view):
        self.scope = getattr(view, self.scope_attr, None)
        if not self.scope:
            return True
        self.rate = self.get_rate()
        if self.rate is None:
            return True
        self.num_requests, self.duration = self.parse_rate(self.rate)
        return throttling.SimpleRateThrottle.allow_request(self, request, view)
