"""Casework: queues, claiming, requests for information, decisions, quotas and SLA (pages, API, services)."""
