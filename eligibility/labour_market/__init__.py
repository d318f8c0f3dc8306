"""Labour-market data, the shortage model and the proposed scarce-professions rating (issue 17).

Policy only, like the rest of ``eligibility``: it imports nothing from ``applications``.
"""
