"""What a demo applicant types into each section's page (seed_demo fills the real forms with it).

One generator per section slug, not per product: the seeder asks each product which sections
it has and validates this data with the section's own form, so demo answers have exactly the
shape the forms store, and the facts, scores and impact previews read them like real ones.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

# A BIN whose check digit is right (applications.employers.bins.bin_is_valid).
DEMO_BIN = "123456789013"
LEVELS = ["none", "basic", "intermediate", "advanced", "native"]
EDUCATION = ["secondary", "vocational", "bachelor", "master", "doctorate"]


@dataclass(frozen=True)
class Person:
    """The values a demo application's pages share (and the indexed columns agree with)."""

    given: str
    family: str
    born: date
    citizenship: str
    passport: str
    region: str
    sector: str
    occupation: str
    track: str


def _date(prefix: str, day: date) -> dict[str, str]:
    return {f"{prefix}_0": str(day.day), f"{prefix}_1": str(day.month), f"{prefix}_2": str(day.year)}


def pages(rng: random.Random, p: Person) -> dict[str, dict[str, Any]]:
    """Form data for every section any product may ask, as a browser would post it."""
    today = date.today()
    issued = today - timedelta(days=rng.randrange(100, 2500))
    has_offer = rng.random() < 0.6
    return {
        "personal": {
            "given_names_latin": p.given,
            "family_name_latin": p.family,
            "given_names_cyrillic": "",
            "family_name_cyrillic": "",
            **_date("date_of_birth", p.born),
            "birth_country": p.citizenship,
            "birth_place": "Capital",
            "citizenship": p.citizenship,
            "second_citizenship": "",
        },
        "passport": {
            "passport_number": p.passport,
            "passport_country": p.citizenship,
            **_date("passport_issued_on", issued),
            **_date("passport_expires_on", issued + timedelta(days=3650)),
        },
        # One in ten Kandas applicants declares no ethnicity evidence: the knock-out fails them.
        "ethnicity": {
            "evidence_kind": "birth_certificate" if rng.random() < 0.9 else "identity_document",
            "evidence_details": "Issued by the civil registry",
        },
        "contact": {
            "phone": f"+7 701 {rng.randrange(100, 999)} {rng.randrange(1000, 9999)}",
            "address_line_1": f"{rng.randrange(1, 200)} Main street",
            "address_line_2": "",
            "city": "Capital",
            "postcode": "",
            "country": p.citizenship,
        },
        "languages": {
            "kazakh": rng.choice(LEVELS),
            "russian": rng.choice(LEVELS),
            "english": rng.choice(LEVELS),
        },
        "track": {"track": p.track},
        "profession": {
            "occupation_code": p.occupation,
            "education_level": rng.choice(EDUCATION),
            "field_of_study": "Engineering",
            "years_experience": str(rng.randrange(0, 25)),
            "achievements": "Led a team",
        },
        "business": {
            "business_country": p.citizenship,
            "business_sector": "Food processing",
            "years_operating": str(rng.randrange(1, 20)),
            "annual_revenue_usd": str(rng.choice([80_000, 250_000, 600_000, 1_500_000, 4_000_000])),
            "employees": str(rng.randrange(2, 200)),
            "scale_plan": "Open a plant and hire locally",
        },
        "region": {"region": p.region},
        "sector": {"sector": p.sector},
        "occupation": {"occupation_code": p.occupation, "job_title": "Specialist"},
        "education": {
            "education_level": rng.choice(EDUCATION),
            "field_of_study": "Science",
            "institution": "State University",
            "graduation_year": str(rng.randrange(1985, today.year)),
        },
        "experience": {
            "years_experience": str(rng.randrange(0, 30)),
            "current_employer": "A company",
            "current_position": "Specialist",
        },
        "achievements": {
            "publications": str(rng.choice([0, 0, 0, 2, 8])),
            "patents": str(rng.choice([0, 0, 0, 1])),
            "awards": "",
        },
        "job_offer": {
            "has_offer": "yes" if has_offer else "no",
            "employer_name": "Demo employer LLP" if has_offer else "",
            "employer_bin": DEMO_BIN if has_offer else "",
            "monthly_salary_kzt": str(rng.randrange(300_000, 3_000_000)) if has_offer else "",
        },
        "regions": {"regions": [p.region]},
        "declarations": {
            "true_and_complete": "on",
            "data_processing": "on",
            "no_political_rights": "on",
            "conditions": "on",
        },
    }
