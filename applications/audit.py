"""Transitional re-export: the audit trail lives in ``portal.audit`` (portal/audit/record.py).

Kept only so that branches written before the move still import; new code imports
``portal.audit.record``. Delete once nothing imports this module.
"""

from portal.audit.record import audit_record, client_ip

__all__ = ["audit_record", "client_ip"]
