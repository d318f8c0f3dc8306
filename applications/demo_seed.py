"""Demo and benchmark data: realistic applications in bulk (seed_demo --applications N).

Bulk inserts in batches (no per-row save, no signals), so 100,000 applications take about a
minute on PostgreSQL. Documents point at a dozen small generated images stored once.
Local demos and benchmarks only: state is written directly (state_writes_for_seeding).
"""

import io
import random
from datetime import date, timedelta
from typing import Any

from django.contrib.auth.models import Group
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone

from applications import demo_pages, sections
from applications.casework.queues import priority_for
from applications.casework.sla import sla_due
from applications.facts import facts_from_values
from applications.models import (
    Application,
    ApplicationScore,
    AuditEvent,
    Decision,
    Document,
    LegalGround,
    Queue,
    ReferenceCounter,
    RequestForInformation,
)
from applications.products import all_products, get_product
from applications.services import indexed_columns
from applications.states import State
from applications.workflow import state_writes_for_seeding
from eligibility.engine.result import PASSES
from eligibility.models import Quota, Region
from eligibility.products import Product, Sector
from eligibility.services import evaluator_for, published_set
from portal import roles
from portal.models import User

BATCH = 2000
# Django's marker for an unusable password: generated applicants cannot sign in.
UNUSABLE_PASSWORD = "!"  # noqa: S105  # nosec B105

# Share of each state among seeded cases (roughly a live pool: most are waiting or in review).
STATE_WEIGHTS = {
    State.DRAFT: 4,
    State.SUBMITTED: 34,
    State.IN_REVIEW: 18,
    State.AWAITING_APPLICANT: 9,
    State.RECOMMENDED: 8,
    State.WAITLISTED: 2,
    State.APPROVED: 10,
    State.REFUSED: 8,
    State.WITHDRAWN: 3,
    State.ISSUED: 4,
}
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


def _answers_through_forms(app: Application, data: dict[str, dict]) -> dict[str, Any]:
    """Every section the product asks, validated by its own form and stored as the form
    stores it (``answers_save`` does the same for a page), all marked completed."""
    answers: dict[str, Any] = {}
    progress: dict[str, str] = {}
    for section in sections.sections_for(app.product, app.track):
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


def _score(app: Application, evaluator: Any, *, today: date) -> None:
    """The score the real evaluator gives these answers (nothing scored without published criteria)."""
    if app.state == State.DRAFT or evaluator is None:
        app.score_detail = {}
        if app.state != State.DRAFT:
            app.scoring = ApplicationScore(application=app, score=None, passes=None, scored_at=None)
        return
    facts = facts_from_values(
        product=app.product,
        answers=app.answers,
        occupation_code=app.occupation_code,
        region_id=app.region_id,
        sector=app.sector,
        track=app.track,
        on=today,
        ethnicity_document=lambda: True,  # every required document is uploaded below
    )
    result = evaluator.evaluate(facts).to_dict()
    app.score_detail = result
    app.scoring = ApplicationScore(
        application=app, score=int(result["total"]), passes=PASSES.get(result["status"]), scored_at=app.submitted_at
    )


def seed_applications(count: int, *, rng_seed: int = 2026, stdout=None) -> int:
    """Create ``count`` applications for both products across states, sectors, regions and ages."""
    rng = random.Random(rng_seed)  # noqa: S311 - demo data, reproducible on purpose  # nosec B311
    now = timezone.now()
    year = now.year
    regions = list(Region.objects.all())
    kandas_regions = [r for r in regions if r.resettlement_kandas] or regions
    applicant_group = Group.objects.get(name=roles.APPLICANT)
    caseworker = User.objects.filter(groups__name=roles.CASEWORKER).order_by("pk").first()
    senior = User.objects.filter(groups__name=roles.SENIOR_CASEWORKER).order_by("pk").first()
    demo_applicant = User.objects.filter(email="applicant@demo.kz").first()
    grounds = {g.applies_to: g for g in LegalGround.objects.filter(is_active=True)}
    evaluators = {p.code: evaluator_for(cs) for p in all_products() if (cs := published_set(p.code)) is not None}
    images = _stored_images()
    from eligibility.models import ScarceProfession

    scarce = dict(ScarceProfession.objects.order_by("year").values_list("occupation_id", "priority"))
    states, weights = zip(*STATE_WEIGHTS.items(), strict=True)
    run = f"{now:%H%M%S}{rng.randrange(1000):03d}"
    created = 0

    for offset in range(0, count, BATCH):
        size = min(BATCH, count - offset)
        with transaction.atomic(), state_writes_for_seeding():
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
            rows = []
            for owner in owners:
                product = rng.choice([Product.KANDAS_CARD, Product.KANDAS_CARD, Product.SKILLS_VISA])
                state = rng.choices(states, weights)[0]
                if owner is demo_applicant:
                    state = State.AWAITING_APPLICANT if not rows else State.SUBMITTED
                sector = rng.choice(SECTORS_BY_PRODUCT[product])
                region = rng.choice(
                    kandas_regions if get_product(product).region_bound and rng.random() < 0.7 else regions
                )
                submitted = None if state == State.DRAFT else now - timedelta(minutes=rng.randrange(60, 60 * 24 * 75))
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
                    owner=owner,
                    product=product,
                    state=state,
                    track=track,
                    applicant_name=owner.full_name,
                    passport_number=passport,
                    submitted_at=submitted,
                )
                app.answers = _answers_through_forms(app, demo_pages.pages(rng, person))
                for name, value in indexed_columns(app).items():
                    setattr(app, name, value)
                _score(app, evaluators.get(product), today=(submitted or now).date())
                app.priority = priority_for(app, category=scarce.get(app.occupation_code, 0))
                if submitted:
                    app.sla_due_at = sla_due(product, submitted)
                if state in (State.IN_REVIEW, State.AWAITING_APPLICANT, State.RECOMMENDED):
                    app.claimed_by, app.claimed_at = caseworker, submitted
                if state in (State.APPROVED, State.REFUSED, State.ISSUED):
                    app.decided_at = submitted + timedelta(days=rng.randrange(1, 10))
                rows.append(app)
            for product in Product:
                mine = [a for a in rows if a.product == product and a.state != State.DRAFT]
                for app, ref in zip(mine, _references(product, year, len(mine)), strict=True):
                    app.reference = ref
            apps = Application.objects.bulk_create(rows)
            ApplicationScore.objects.bulk_create(
                [
                    ApplicationScore(application=a, score=a.score, passes=a.passes, scored_at=a.scored_at)
                    for a in apps
                    if a.state != State.DRAFT
                ]
            )

            documents, events, decisions, rfis = [], [], [], []
            for app in apps:
                if app.state == State.DRAFT:
                    continue
                kinds = sections.required_document_kinds(app.product, app.track, app.answers)
                # Distinct images per case: a case may not hold the same file twice.
                for kind, (path, size_bytes, name, digest) in zip(kinds, rng.sample(images, len(kinds)), strict=True):
                    documents.append(
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
                    )
                events.append(
                    AuditEvent(
                        actor_id=app.owner_id,
                        action="submit",
                        object_type="applications.application",
                        object_id=str(app.pk),
                        application=app,
                        from_state=State.DRAFT,
                        to_state=State.SUBMITTED,
                        snapshot={"seeded": True},
                    )
                )
                if caseworker is None:
                    continue  # decisions and requests need a (demo) caseworker as their author
                if app.state in (State.RECOMMENDED, State.WAITLISTED, State.APPROVED, State.REFUSED, State.ISSUED):
                    recommendation = "refuse" if app.state == State.REFUSED else "approve"
                    pending = app.state in (State.RECOMMENDED, State.WAITLISTED)
                    decisions.append(
                        Decision(
                            application=app,
                            recommendation=recommendation,
                            text="Checked the documents against the criteria.",
                            recommended_by=caseworker,
                            outcome=Decision.Outcome.PENDING if pending else Decision.Outcome.CONFIRMED,
                            confirmed_by=None if pending else senior,
                            confirmed_at=None if pending else app.decided_at,
                        )
                    )
                if app.state == State.AWAITING_APPLICANT:
                    # The status page and the reply form read the request from its transition.
                    events.append(
                        AuditEvent(
                            actor_id=caseworker.pk,
                            action="request_info",
                            object_type="applications.application",
                            object_id=str(app.pk),
                            application=app,
                            from_state=State.IN_REVIEW,
                            to_state=State.AWAITING_APPLICANT,
                            reason="Please upload a clearer copy of your diploma.",
                            snapshot={"seeded": True},
                        )
                    )
                    rfis.append(
                        RequestForInformation(
                            application=app,
                            requested_by=caseworker,
                            text="Please upload a clearer copy of your diploma.",
                            document_kinds=[Document.Kind.DIPLOMA],
                            deadline=app.submitted_at + timedelta(days=14),
                        )
                    )
            Document.objects.bulk_create(documents)
            AuditEvent.objects.bulk_append(events)
            RequestForInformation.objects.bulk_create(rfis)
            decisions = Decision.objects.bulk_create(decisions)
            Decision.grounds.through.objects.bulk_create(
                [
                    Decision.grounds.through(decision_id=d.pk, legalground_id=grounds[d.recommendation].pk)
                    for d in decisions
                    if d.recommendation in grounds
                ]
            )
        created += size
        if stdout is not None and (offset // BATCH) % 10 == 0:
            stdout.write(f"  {created} applications…")
    _sync_quotas(year)
    return created


def _sync_quotas(year: int) -> None:
    """Demo sector quotas for the Skills Visa; `used` follows the seeded approvals (capped)."""
    for sector, places in DEMO_SECTOR_QUOTAS.items():
        Quota.objects.get_or_create(
            product=Product.SKILLS_VISA,
            year=year,
            sector=sector,
            region=None,
            defaults={"places": places, "source": "demo data (illustrative)"},
        )
    approved = Application.objects.filter(state__in=(State.APPROVED, State.ISSUED), decided_at__year=year)
    by_sector = {
        (r["product"], r["sector"]): r["n"] for r in approved.values("product", "sector").annotate(n=Count("pk"))
    }
    by_region = {
        (r["product"], r["region_id"]): r["n"] for r in approved.values("product", "region_id").annotate(n=Count("pk"))
    }
    for quota in Quota.objects.filter(year=year):
        n = (
            by_sector.get((quota.product, quota.sector), 0)
            if quota.sector
            else by_region.get((quota.product, quota.region_id), 0)
        )
        Quota.objects.filter(pk=quota.pk).update(used=min(n, quota.places))
