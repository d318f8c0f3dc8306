"""Throttles per signed-in user and per anonymous address, counted in the cache (Redis in production).

Rates come from settings.API_THROTTLE_RATES at request time, so operators (and tests)
change them through the environment without a code change.
"""

import logging

from django.conf import settings
from django.core.cache import caches
from redis.exceptions import RedisError
from rest_framework import throttling

from portal.client import client_ip

logger = logging.getLogger(__name__)

# What a cache call raises when Redis is down or does not answer within CACHE_TIMEOUT_MS.
CACHE_ERRORS = (RedisError, OSError)


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

    def allow_request(self, request, view):
        # A throttle is a guard against floods, not the service itself: with the cache
        # unreachable the request is let through (and logged) instead of failing with 500.
        try:
            return super().allow_request(request, view)
        except CACHE_ERRORS as exc:
            logger.warning("throttle %s skipped, cache unavailable: %s", getattr(self, "scope", "?"), exc)
            return True


class AnonThrottle(_SettingsRate, throttling.AnonRateThrottle):
    scope = "anon"


class UserThrottle(_SettingsRate, throttling.UserRateThrottle):
    scope = "user"


class ScopedThrottle(_SettingsRate, throttling.ScopedRateThrottle):
    """Extra limit for costly endpoints: views name a ``throttle_scope`` (upload, self_check, verify).

    DRF's ``allow_request`` reads the scope and rate per view (no rate: no limit); it runs
    inside ``_SettingsRate.allow_request`` so a hung cache lets these through too (an
    override of its own skipped that, and a scoped endpoint answered 500).
    """
