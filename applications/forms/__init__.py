"""The applicant's forms, by what they hold: ``fields`` (fields, widgets, validators, choice
lists), ``base`` (``SectionForm``), ``common`` (sections every product asks) and ``actions``
(upload, submit, reply, withdraw). Each product's own sections sit next to its declaration
(``applications/products/kandas_forms.py``, ``skills_forms.py``).
"""
