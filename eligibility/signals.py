"""Signals eligibility sends without knowing who listens (it imports nothing from applications).

``self_check_completed`` (sender: the product code, ``product=``): a visitor finished the public
self-check and saw a result, on the page or through the API. The analytics counters listen.
Nothing about the visitor is sent: the self-check stores nothing (docs/privacy.md).
"""

from django.dispatch import Signal

self_check_completed = Signal()
