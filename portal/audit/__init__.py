"""The shared audit trail, below both ``applications`` and ``eligibility``.

Writers append rows with no chain work (``record.audit_record``); one background sealer
(``seal.audit_seal``: beat task, ``manage.py seal_audit``, on demand in ``verify_audit``)
chains them in order with a keyed hash and writes a signed checkpoint outside the database
(``checkpoint``); ``verify.audit_verify`` detects edits, deletions, insertions and reordering.
"""
