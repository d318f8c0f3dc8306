"""Scoring applications against the eligibility criteria (the policy lives in ``eligibility``).

- ``writer``: the one writer of a derived score: score row, criteria set stamp, queue priority
  and audit, for one application or a whole pool, set-based on PostgreSQL, plain elsewhere.
- ``services``: score one application (full breakdown), preview a rescore (no writes).
- ``rescoring``: rescore a pool under a set, fast path of the engine.
- ``impact``: the impact preview of a draft set on the submitted pool.
- ``tasks``: the Celery tasks (score on submission, compute an impact report).
- ``admin``: the criteria set's Rescore page, offered by eligibility's admin through
  ``eligibility.hooks`` (filled in ``ApplicationsConfig.ready``).
"""
