"""Demo data: realistic applications (seed_demo --applications N).

People, drafts, their documents (a dozen small generated images stored once) and score rows
are inserted in bulk; every state after "draft" is then reached through the real workflow:
``application_transition`` for submitting, the casework services for claiming, requests for
information, recommendations and the senior's decision (which takes quota places, and
waitlists only when a quota is full), and the applicant's withdrawal. So the history, the
requests for information and the quota figures are what a real pool would show. Only the
timestamps are moved back afterwards, to spread the cases over the last weeks.

A section added to a product after its first applications (``LATER_SECTIONS``: the Kandas
Card's languages) is missing from the cases submitted before it: where that missing answer
decides the result, the criteria say "needs more information" and a caseworker asks for it
with a real request for information, as in a live pool.
"""

import io
import random
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.contrib.auth.models import Group
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from applications import demo_pages, sections
from applications.casework.services import case_claim, decision_confirm, decision_recommend, rfi_create
from applications.casework.sla import sla_due
from applications.facts import facts_from_values
from applications.models import (
    Application,
    ApplicationScore,
    Document,
    LegalGround,
    Queue,
    ReferenceCounter,
)
from applications.products import get_product
from applications.services import application_withdraw, indexed_columns
from applications.workflow import TransitionRefused, application_transition
from eligibility.engine.result import NEEDS_MORE_INFORMATION, PASSES
from eligibility.models import Quota, Region
from eligibility.products import Product, Sector
from eligibility.services import evaluator_for, published_set
from portal import roles
from portal.models import User

BATCH = 2000
JOURNEY_CHUNK = 100  # cases taken through the workflow per transaction
# Django's marker for an unusable password: generated applicants cannot sign in.
UNUSABLE_PASSWORD = "!"  # noqa: S105  # nosec B105

# Each case's journey (the steps it goes through) and its share of the pool (roughly a live
# pool: most are waiting or in review). "approve" ends approved, or waitlisted when a quota
# is full; an approved case's card is then issued by the approval's own effect.
JOURNEYS = {
    "draft": ((), 4),
    "submitted": (("submit",), 34),
    "in_review": (("submit", "claim"), 18),
    "awaiting_applicant": (("submit", "claim", "request_info"), 9),
    "recommended": (("submit", "claim", "recommend_approve"), 8),
    "approved": (("submit", "claim", "recommend_approve", "confirm"), 16),
    "refused": (("submit", "claim", "recommend_refuse", "confirm"), 8),
    "withdrawn": (("submit", "withdraw"), 3),
    # Never drawn: the journey of a case the criteria cannot decide (a later section is missing).
    "awaiting_missing_answer": (("submit", "claim", "request_missing_answer"), 0),
}
# Cases are submitted over this many days before the seed runs.
SUBMITTED_WITHIN_DAYS = 75
FIRST = ["Aigerim", "Nurlan", "Dana", "Yerlan", "Aruzhan", "Bakhyt", "Madina", "Askar", "Zhanna", "Timur", "Saule"]
FIRST += ["Olzhas", "Gulnara", "Daulet", "Asel", "Marat", "Ainur", "Ruslan", "Kamila", "Serik", "Li Wei", "Anna"]
LAST = ["Nurlanova", "Akhmetov", "Serikbayeva", "Zhumabekov", "Ospanova", "Karimov", "Tulegenova", "Abenov"]
LAST += ["Bekova", "Ismailov", "Sadykova", "Omarov", "Yessenova", "Mukanov", "Chen", "Petrova", "Usmanov"]
CITIZENSHIPS = ["UZ", "CN", "MN", "RU", "TM", "KG", "TR", "DE", "US", "IN"]
SECTORS_BY_PRODUCT = {
    Product.KANDAS_CARD: [Sector.BUSINESS, Sector.IT, Sector.INDUSTRY, Sector.EDUCATION, Sector.HEALTHCARE],
    Product.SKILLS_VISA: [s for s in Sector if s not in (Sector.BUSINESS, Sector.OTHER)],  # the visa form's choices
}
OCCUPATIONS = {
    Sector.IT: ["2511", "2512", "2514", "2521"],
    Sector.HEALTHCARE: ["2211", "2212", "2221", "2261"],
    Sector.EDUCATION: ["2310", "2320", "2330"],
    Sector.SCIENCE: ["2111", "2113", "2131"],
    Sector.INDUSTRY: ["2141", "2144", "2146", "3115"],
    Sector.SPORTS: ["3421", "3422"],
    Sector.CULTURE: ["2652", "2651", "2655"],
    Sector.BUSINESS: ["1120", "1420", "1439"],
    Sector.OTHER: ["2422", "2611"],
}
RFI_TEXT = "Please upload a clearer copy of your diploma."


@dataclass(frozen=True)
class LaterSection:
    """A section a product asks only since ``days_ago``; older cases lack it, and a caseworker
    asks for what it would have said (``rfi_text``) when the criteria cannot decide without it."""

    slug: str
    days_ago: int
    rfi_text: str


# The Kandas Card asks about languages only since the criteria award points for Kazakh (issue 15).
LATER_SECTIONS = {
    Product.KANDAS_CARD: LaterSection(
        "languages",
        30,
        "Your application was sent before the form asked about languages. Please tell us how well you speak "
        "Kazakh, Russian and English, and attach a language certificate if you have one.",
    ),
}
DECISION_TEXT = "Checked the documents against the criteria."
# Demo sector quotas for the Valuable Skills Visa (illustrative figures, not official ones).
DEMO_SECTOR_QUOTAS = {"science": 300, "education": 400, "healthcare": 600, "industry": 500, "it": 800}
DEMO_SECTOR_QUOTAS |= {"sports": 100, "culture": 150, "other": 200}


def _images() -> list[tuple[bytes, str]]:
    """A dozen small generated PNG scans (coloured pages with a few lines of 'text')."""
    from PIL import Image, ImageDraw

    out = []
    for i in range(12):
        img = Image.new("RGB", (240, 320), (245 - i * 5, 240, 230 + i))
        draw = ImageDraw.Draw(img)
        draw.rectangle((15, 15, 225, 60), outline=(40, 60, 120), width=3)
        for line in range(8):
            draw.line((20, 90 + line * 25, 220 - (line * 13 + i * 7) % 80, 90 + line * 25), fill=(60, 60, 60), width=2)
        buf = io.BytesIO()
        img.save(buf, "PNG", optimize=True)
        out.append((buf.getvalue(), f"scan-{i + 1:02d}.png"))
    return out


def _stored_images() -> list[tuple[str, int, str]]:
    """Store the images once in private storage; (stored name, size, original name) each."""
    import hashlib

    from django.core.files.base import ContentFile
    from django.core.files.storage import storages

    storage = storages["private"]
    stored = []
    for data, name in _images():
        digest = hashlib.sha256(data).hexdigest()
        path = f"demo/{digest[:16]}.png"
        if not storage.exists(path):
            storage.save(path, ContentFile(data))
        stored.append((path, len(data), name, digest))
    return stored


def _references(product: str, year: int, count: int) -> list[str]:
    """Take a block of reference numbers from the product's counter (row-locked)."""
    counter, _ = ReferenceCounter.objects.select_for_update().get_or_create(product=product, year=year)
    start = counter.last + 1
    counter.last += count
    counter.save(update_fields=["last"])
    prefix = get_product(product).reference_prefix
    return [f"{prefix}-{year}-{n:06d}" for n in range(start, start + count)]


def demo_queues(caseworkers: list[Any], seniors: list[Any]) -> list[Queue]:
    """Three queues: Kandas Card in the resettlement regions, Kandas Card elsewhere, Skills Visa."""
    resettlement = list(Region.objects.filter(Q(resettlement_kandas=True) | Q(resettlement_internal=True)))
    others = list(Region.objects.exclude(pk__in=[r.pk for r in resettlement]))
    specs = [
        ("Kandas Card — resettlement regions", Product.KANDAS_CARD, resettlement),
        ("Kandas Card — other regions", Product.KANDAS_CARD, others),
        ("Valuable Skills Visa", Product.SKILLS_VISA, []),
    ]
    queues = []
    for name, product, regions in specs:
        queue, _ = Queue.objects.get_or_create(name=name, defaults={"product": product})
        queue.regions.set(regions)
        queue.caseworkers.add(*caseworkers)
        queue.seniors.add(*seniors)
        queues.append(queue)
    return queues


def seed_applications(count: int, *, rng_seed: int = 2026, stdout=None) -> int:
    """Create ``count`` applications for both products across states, sectors, regions and ages."""
    rng = random.Random(rng_seed)  # noqa: S311 - demo data, reproducible on purpose  # nosec B311
    now = timezone.now()
    year = now.year
    _demo_quotas(year)  # before any approval: the senior's decision takes places from them
    regions = list(Region.objects.all())
    kandas_regions = [r for r in regions if r.resettlement_kandas] or regions
    applicant_group = Group.objects.get(name=roles.APPLICANT)
    staff = _Staff(
        caseworker=User.objects.filter(groups__name=roles.CASEWORKER).order_by("pk").first(),
        senior=User.objects.filter(groups__name=roles.SENIOR_CASEWORKER).order_by("pk").first(),
        grounds={g.applies_to: g for g in LegalGround.objects.filter(is_active=True)},
    )
    demo_applicant = User.objects.filter(email="applicant@demo.kz").first()
    images = _stored_images()
    criteria = {product: published_set(product) for product in Product}
    evaluators = {product: evaluator_for(cs) for product, cs in criteria.items() if cs is not None}
    names = list(JOURNEYS)
    weights = [weight for _steps, weight in JOURNEYS.values()]
    run = f"{now:%H%M%S}{rng.randrange(1000):03d}"
    created = 0

    for offset in range(0, count, BATCH):
        size = min(BATCH, count - offset)
        with transaction.atomic():
            owners = User.objects.bulk_create(
                [
                    User(
                        email=f"demo.{run}.{offset + i:06d}@applicant.demo.kz",
                        password=UNUSABLE_PASSWORD,
                        full_name=f"{rng.choice(FIRST)} {rng.choice(LAST)}",
                        email_verified_at=now,
                    )
                    for i in range(size)
                ]
            )
            User.groups.through.objects.bulk_create(
                [User.groups.through(user_id=u.pk, group_id=applicant_group.pk) for u in owners]
            )
            if offset == 0 and demo_applicant is not None:
                owners[:5] = [demo_applicant] * min(5, len(owners))
            rows, journeys, times = [], [], []
            for owner in owners:
                product = rng.choice([Product.KANDAS_CARD, Product.KANDAS_CARD, Product.SKILLS_VISA])
                journey = rng.choices(names, weights)[0]
                submitted_at = now - timedelta(minutes=rng.randrange(60, 60 * 24 * SUBMITTED_WITHIN_DAYS))
                evaluator = evaluators.get(product)
                if owner is demo_applicant and not rows:
                    # The demo applicant has a request for information to answer: about the missing
                    # languages section when the criteria cannot decide without it.
                    app, submitted_at = _undecided_case(rng, owner, regions, kandas_regions, evaluators, now)
                    journey = "awaiting_applicant"
                else:
                    if owner is demo_applicant:
                        journey = "submitted"
                    missing = _missing_sections(product, journey, submitted_at, now)
                    app = _draft(rng, owner, product, regions, kandas_regions, evaluator, without=missing)
                if JOURNEYS[journey][0] and app.score_detail.get("status") == NEEDS_MORE_INFORMATION:
                    journey = "awaiting_missing_answer"
                rows.append(app)
                journeys.append(journey)
                times.append(submitted_at)
            drafts = Application.objects.bulk_create(rows)
            submitted_times = dict(zip(drafts, times, strict=True))
            submitting = [(app, j) for app, j in zip(drafts, journeys, strict=True) if JOURNEYS[j][0]]
            ApplicationScore.objects.bulk_create([_score(rng, app) for app, _j in submitting])
            Document.objects.bulk_create([doc for app, _j in submitting for doc in _documents(rng, app, images)])
            references = {}
            for product in Product:
                mine = [app for app, _j in submitting if app.product == product]
                references.update(zip(mine, _references(product, year, len(mine)), strict=True))
        for chunk in range(0, len(submitting), JOURNEY_CHUNK):
            # Each step is the real service (its own atomic block, a savepoint here); a chunk of
            # cases commits at once, which is most of the speed on SQLite. Effects queued on
            # commit (notifications, card issue) run when the chunk commits.
            with transaction.atomic():
                for app, journey in submitting[chunk : chunk + JOURNEY_CHUNK]:
                    submitted_at = submitted_times[app]
                    context = {"reference": references[app], "criteria_set": criteria[app.product]}
                    for step in JOURNEYS[journey][0]:
                        try:
                            _STEPS[step](app, staff, context)
                        except TransitionRefused:
                            break  # e.g. no demo caseworker or legal ground: the case stays where it is
                    _backdate(app, submitted_at, rng)
        created += size
        if stdout is not None and (offset // BATCH) % 10 == 0:
            stdout.write(f"  {created} applications…")
    return created


class _Staff:
    def __init__(self, *, caseworker: Any, senior: Any, grounds: dict[str, LegalGround]) -> None:
        self.caseworker, self.senior, self.grounds = caseworker, senior, grounds


def _missing_sections(product: str, journey: str, submitted_at: Any, now: Any) -> tuple[str, ...]:
    """The later sections a case submitted at ``submitted_at`` never saw (drafts see every one)."""
    later = LATER_SECTIONS.get(product)
    if later is None or not JOURNEYS[journey][0] or submitted_at >= now - timedelta(days=later.days_ago):
        return ()
    return (later.slug,)


def _undecided_case(
    rng: random.Random, owner: Any, regions: list, kandas_regions: list, evaluators: dict, now: Any
) -> tuple[Application, Any]:
    """An older Kandas Card case whose result turns on the missing languages section (drawn
    until the criteria say "needs more information"; any case if no criteria are published)."""
    product = Product.KANDAS_CARD
    later = LATER_SECTIONS[product]
    submitted_at = now - timedelta(days=later.days_ago + rng.randrange(1, 10))
    evaluator = evaluators.get(product)
    for _attempt in range(200):
        app = _draft(rng, owner, product, regions, kandas_regions, evaluator, without=(later.slug,))
        if evaluator is None or app.score_detail.get("status") == NEEDS_MORE_INFORMATION:
            break
    return app, submitted_at


def _draft(
    rng: random.Random,
    owner: Any,
    product: str,
    regions: list,
    kandas_regions: list,
    evaluator: Any,
    *,
    without: tuple[str, ...] = (),
) -> Application:
    """A draft whose answers went through each section's own form (state: the model's default);
    the sections in ``without`` were not asked yet when it was filled."""
    sector = rng.choice(SECTORS_BY_PRODUCT[product])
    # Most holders of a region-bound card settle in a resettlement region (its quota is there).
    settling = get_product(product).region_bound and rng.random() < 0.7
    region = rng.choice(kandas_regions if settling else regions)
    passport = f"{rng.choice('ABCDEFGHKLMNP')}{rng.randrange(10**7, 10**8)}"
    track = Application.Track.BUSINESS if sector == Sector.BUSINESS else Application.Track.PROFESSIONAL
    given, _sep, family = owner.full_name.partition(" ")
    person = demo_pages.Person(
        given=given,
        family=family or "Demo",
        born=date(rng.randrange(1965, 2002), 1, 1) + timedelta(rng.randrange(365)),
        citizenship=rng.choice(CITIZENSHIPS),
        passport=passport,
        region=region.code,
        sector=sector,
        occupation=rng.choice(OCCUPATIONS[sector]),
        track=track,
    )
    app = Application(
        owner=owner, product=product, track=track, applicant_name=owner.full_name, passport_number=passport
    )
    app.answers = _answers_through_forms(app, demo_pages.pages(rng, person), without=without)
    for name, value in indexed_columns(app).items():
        setattr(app, name, value)
    app.score_detail = _score_detail(app, evaluator)
    return app


def _answers_through_forms(app: Application, data: dict[str, dict], *, without: tuple[str, ...] = ()) -> dict[str, Any]:
    """Every section the product asks (but those in ``without``), validated by its own form and
    stored as the form stores it (``answers_save`` does the same for a page), marked completed."""
    answers: dict[str, Any] = {}
    progress: dict[str, str] = {}
    for section in sections.sections_for(app.product, app.track):
        if section.slug in without:
            continue  # not asked yet when this case was filled in
        if section.slug == sections.FAMILY:
            answers[section.slug] = {"coming": "no", "members": []}
        elif section.form_class is not None:
            form = section.form_class(data[section.slug], application=app)
            if not form.is_valid():
                raise ValueError(f"demo data for {section.slug} does not pass its form: {form.errors.as_json()}")
            answers[section.slug] = form.answers()
        else:
            continue  # the documents page: its status comes from the uploads
        progress[section.slug] = sections.COMPLETED
    answers[sections.PROGRESS_KEY] = progress
    return answers


def _score_detail(app: Application, evaluator: Any) -> dict:
    """What the published criteria's evaluator gives these answers (nothing without criteria)."""
    if evaluator is None:
        return {}
    facts = facts_from_values(
        product=app.product,
        answers=app.answers,
        occupation_code=app.occupation_code,
        region_id=app.region_id,
        sector=app.sector,
        track=app.track,
        on=timezone.now().date(),
        has_evidence=lambda: True,  # every required document is uploaded (_documents)
    )
    return evaluator.evaluate(facts).to_dict()


def _score(rng: random.Random, app: Application) -> ApplicationScore:
    """The score row submission creates, with the evaluator's result (routing reads it)."""
    if not app.score_detail:
        return ApplicationScore(application=app, score=None, passes=None, scored_at=None)
    return ApplicationScore(
        application=app,
        score=int(app.score_detail["total"]),
        passes=PASSES.get(app.score_detail["status"]),
        scored_at=timezone.now(),
    )


def _documents(rng: random.Random, app: Application, images: list) -> list[Document]:
    kinds = sections.required_document_kinds(app.product, app.track, app.answers)
    # Distinct images per case: a case may not hold the same file twice.
    return [
        Document(
            application=app,
            kind=kind,
            original_name=name,
            file=path,
            size=size_bytes,
            sha256=digest,
            detected_type="image/png",
            status=Document.Status.READY,
        )
        for kind, (path, size_bytes, name, digest) in zip(kinds, rng.sample(images, len(kinds)), strict=True)
    ]


def _submit(app: Application, staff: _Staff, context: dict) -> None:
    # As application_submit, without its completeness check: an older case lacks a section the
    # product asks only since (LATER_SECTIONS). Reference and criteria set are stamped by the transition.
    criteria = context["criteria_set"]
    application_transition(
        application=app,
        action="submit",
        actor=app.owner,
        changes={"reference": context["reference"], "criteria_set": criteria},
        snapshot={"reference": context["reference"], "criteria_set": criteria.pk if criteria else None, "demo": True},
    )


def _claim(app: Application, staff: _Staff, context: dict) -> None:
    if staff.caseworker is None:
        raise TransitionRefused("no demo caseworker")
    case_claim(application=app.pk, actor=staff.caseworker)


def _request_info(app: Application, staff: _Staff, context: dict) -> None:
    rfi_create(application=app.pk, actor=staff.caseworker, text=RFI_TEXT, document_kinds=[Document.Kind.DIPLOMA])


def _request_missing_answer(app: Application, staff: _Staff, context: dict) -> None:
    if staff.caseworker is None:
        raise TransitionRefused("no demo caseworker")
    rfi_create(application=app.pk, actor=staff.caseworker, text=LATER_SECTIONS[app.product].rfi_text)


def _recommend(recommendation: str):
    def step(app: Application, staff: _Staff, context: dict) -> None:
        ground = staff.grounds.get(recommendation)
        if ground is None:
            raise TransitionRefused("no legal ground")
        decision_recommend(
            application=app.pk,
            actor=staff.caseworker,
            recommendation=recommendation,
            grounds=[ground],
            text=DECISION_TEXT,
        )

    return step


def _confirm(app: Application, staff: _Staff, context: dict) -> None:
    if staff.senior is None:
        raise TransitionRefused("no demo senior")
    decision_confirm(application=app.pk, actor=staff.senior)


def _withdraw(app: Application, staff: _Staff, context: dict) -> None:
    application_withdraw(application=Application.objects.get(pk=app.pk), actor=app.owner)


_STEPS = {
    "submit": _submit,
    "claim": _claim,
    "request_info": _request_info,
    "request_missing_answer": _request_missing_answer,
    "recommend_approve": _recommend("approve"),
    "recommend_refuse": _recommend("refuse"),
    "confirm": _confirm,
    "withdraw": _withdraw,
}


def _backdate(app: Application, submitted_at: Any, rng: random.Random) -> None:
    """Spread the cases over the last weeks: times only, the state stays what the workflow left."""
    current = Application.objects.only("pk", "product", "decided_at", "claimed_at").get(pk=app.pk)
    changes: dict[str, Any] = {"submitted_at": submitted_at, "sla_due_at": sla_due(app.product, submitted_at)}
    if current.claimed_at:
        changes["claimed_at"] = submitted_at + timedelta(hours=rng.randrange(1, 48))
    if current.decided_at:
        changes["decided_at"] = submitted_at + timedelta(days=rng.randrange(1, 10))
    Application.objects.filter(pk=app.pk).update(**changes)


def _demo_quotas(year: int) -> None:
    """Demo sector quotas for the Skills Visa (approvals take their places as they happen)."""
    for sector, places in DEMO_SECTOR_QUOTAS.items():
        Quota.objects.get_or_create(
            product=Product.SKILLS_VISA,
            year=year,
            sector=sector,
            region=None,
            defaults={"places": places, "source": "demo data (illustrative)"},
        )
