"""Every write of record linkage: starting runs, storing their pairs, forming entities,
review decisions and unmerging. Entities change only here, and each change is logged."""

import time

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.dispatch import Signal
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from pulih.core.progress import progress_start
from pulih.core.scope import province_for_write, region_codes
from pulih.registry.models import Business, Person

from .engine import link_businesses, link_people
from .features import FIELDS, business_row, person_row
from .golden import golden_record
from .models import BusinessPair, DedupRun, Entity, EntityEvent, EntityMember, MatchPair

THRESHOLD = 0.95
REVIEW_FLOOR = 0.5

THRESHOLDS_INVALID = gettext_lazy(
    "The review band must lie between 0 and 1, and start below the match threshold."
)
PAIR_ALREADY_DECIDED = gettext_lazy("This pair has already been decided.")
NOT_A_MEMBER = gettext_lazy("This record is not part of this entity.")
LAST_MEMBER = gettext_lazy("An entity of one record cannot be unmerged further.")
ALREADY_ONE_ENTITY = gettext_lazy(
    "These records are already one entity; to separate them, unmerge one on the entity page."
)
PROVINCE_NOT_YOURS = gettext_lazy("You can only run deduplication for your own province.")

# Sent when a run or a review joins entities that already existed, inside the transaction
# and before the absorbed entities are deleted: what refers to them (programmes' payments)
# moves to the survivor, and two entities that were both paid are one person paid twice.
entities_merging = Signal()  # kwargs: survivor (Entity), absorbed (list of entity ids)
# Sent when a record leaves its entity (unmerge), inside the transaction: what referred to
# the person through the old entity follows them to their own.
person_unmerged = Signal()  # kwargs: person (Person), entity (the Entity it left)

PERSON_FIELDS = ("pk", "nik", "name", "birth_date", "sex", "phone", "address", "village_code")


def run_start(
    *, user, province_code="", threshold=THRESHOLD, review_floor=REVIEW_FLOOR, repeats=None
):
    """Queue a run over `province_code` (central users may leave it empty for the nation).
    A run that `repeats` an earlier one scores with that run's saved parameters, so its
    result can be reproduced, instead of learning new ones."""
    from .tasks import dedup_run

    province_code = province_for_write(user, province_code, PROVINCE_NOT_YOURS)
    if not 0 < review_floor < threshold < 1:
        raise ValidationError({"review_floor": THRESHOLDS_INVALID})
    progress = progress_start(
        owner=user,
        kind="dedup",
        title=_("Deduplication run"),
        result_template="dedup/run_result.html",
    )
    run = DedupRun.objects.create(
        province_code=province_code,
        threshold=threshold,
        review_floor=review_floor,
        progress=progress,
        created_by=user,
        repeats=repeats,
        model=repeats.model if repeats else {},
        business_model=repeats.business_model if repeats else {},
    )
    progress.payload = {"run": run.pk}
    progress.save(update_fields=["payload"])
    transaction.on_commit(lambda: dedup_run.enqueue(str(progress.pk)))
    return run


def run_execute(*, run, reporter=None):
    """Score the run's people, store the pairs and form entities; then its businesses,
    whose owners are now entities."""
    started = time.monotonic()
    run.status = DedupRun.Status.RUNNING
    run.save(update_fields=["status"])
    people = Person.objects.all()
    businesses = Business.objects.all()
    if run.province_code:
        people = people.filter(province_code=run.province_code)
        businesses = businesses.filter(province_code=run.province_code)
    rows, regions = [], {}
    for values in people.values_list(*PERSON_FIELDS).iterator(chunk_size=10_000):
        rows.append(person_row(values[0], dict(zip(FIELDS, values[1:], strict=True))))
        regions[values[0]] = values[-1]
    _step(reporter, _("Scoring %(n)s records of people…") % {"n": len(rows)}, start=True)
    result = link_people(rows, model=run.model or None, **_options(run))
    _step(reporter, _("Storing pairs and forming entities…"))
    with transaction.atomic():
        counts = _pairs_store(run, result.pairs, regions, MatchPair)
        counts["entities"] = _entities_form(run)
        run.model, run.trained = result.model, result.trained
        run.records = len(rows)
        for name, value in counts.items():
            setattr(run, name, value)
        run.save()
    _step(reporter, _("Scoring businesses…"))
    rows, regions = _business_rows(businesses)
    result = link_businesses(rows, threshold=run.threshold, floor=run.review_floor, cluster=False)
    _step(reporter, _("Storing business pairs…"))
    with transaction.atomic():
        counts = _pairs_store(run, result.pairs, regions, BusinessPair)
        run.business_model = result.model
        run.business_pairs = counts["pairs"]
        run.business_linked = counts["linked"]
        run.business_to_review = counts["to_review"]
        run.status = DedupRun.Status.DONE
        run.seconds = round(time.monotonic() - started, 2)
        run.finished_at = timezone.now()
        run.save()
    return run


def _options(run):
    return {
        "threshold": run.threshold,
        "floor": run.review_floor,
        "cluster": False,
        "backend": settings.PULIH_DEDUP_BACKEND,
    }


def _step(reporter, message, *, start=False):
    if reporter is None:
        return
    if start:
        reporter.start(total=4, message=message)
    else:
        reporter.advance(message=message)


def _business_rows(businesses):
    """The business model's rows: an owner is its entity when it has one, else itself."""
    rows, regions = [], {}
    fields = (
        *("pk", "owner_id", "owner__entity_member__entity_id", "owner__nik", "owner__name"),
        *("name", "whatsapp", "village_code"),
    )
    for pk, owner, entity, nik, owner_name, name, whatsapp, village in businesses.values_list(
        *fields
    ).iterator(chunk_size=10_000):
        rows.append(
            business_row(
                pk,
                owner=f"e{entity}" if entity else f"p{owner}",
                owner_nik=nik,
                owner_name=owner_name,
                name=name,
                phone=whatsapp,
                region=village,
            )
        )
        regions[pk] = village
    return rows, regions


def _pairs_store(run, scored, regions, model):
    """Upsert the scored pairs. Human decisions stand; undecided pairs of the scope that
    this run no longer finds are dropped."""
    scored = {(min(int(a), int(b)), max(int(a), int(b))): p for a, b, p in scored}
    existing = {(pair.left_id, pair.right_id): pair for pair in _scope_pairs(run, model)}
    new, changed = [], []
    for (left, right), probability in scored.items():
        status = model.Status.LINKED if probability >= run.threshold else model.Status.REVIEW
        pair = existing.get((left, right))
        if pair is None:
            pair = model(
                left_id=left, right_id=right, probability=probability, status=status, run=run
            )
            pair.set_region(_common_code(regions[left], regions[right]))
            new.append(pair)
            continue
        pair.probability, pair.run = probability, run
        if pair.status not in model.DECIDED:
            pair.status = status
        changed.append(pair)
    model.objects.bulk_create(new, batch_size=2_000)
    model.objects.bulk_update(changed, ["probability", "run", "status"], batch_size=2_000)
    _scope_pairs(run, model).exclude(status__in=model.DECIDED).exclude(run=run).delete()
    statuses = [p.status for p in new + changed]
    return {
        "pairs": len(statuses),
        "linked": statuses.count(model.Status.LINKED),
        "to_review": statuses.count(model.Status.REVIEW),
    }


def _scope_pairs(run, model=MatchPair):
    pairs = model.objects.all()
    return pairs.filter(province_code=run.province_code) if run.province_code else pairs


def _regions(pks):
    return dict(Person.objects.filter(pk__in=pks).values_list("pk", "village_code"))


def _common_code(*codes):
    """The most precise region code that all `codes` share ("19.01" for two villages of one
    regency); empty when they lie in different provinces."""
    split = [c.split(".") for c in codes if c]
    if not split:
        return ""
    common = []
    for parts in zip(*split, strict=False):
        if len(set(parts)) > 1:
            break
        common.append(parts[0])
    return ".".join(common)


def _entities_form(run):
    """Join the records of linked and confirmed pairs into entities (union-find)."""
    parent = {}

    def find(x):
        while parent.setdefault(x, x) != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    joined = _scope_pairs(run).filter(
        status__in=[MatchPair.Status.LINKED, MatchPair.Status.CONFIRMED]
    )
    for left, right in joined.values_list("left_id", "right_id"):
        parent[find(left)] = find(right)
    groups = {}
    for pk in parent:
        groups.setdefault(find(pk), []).append(pk)
    members = EntityMember.objects.all()
    if run.province_code:
        members = members.filter(person__province_code=run.province_code)
    belonging = set(members.values_list("person_id", flat=True))
    fresh = [g for g in groups.values() if belonging.isdisjoint(g)]
    _entities_create(fresh, run)
    touched = len(fresh)
    for group in groups.values():
        if not belonging.isdisjoint(group) and _link(group, kind=EntityEvent.Kind.LINKED, run=run):
            touched += 1
    return touched


def _entities_create(groups, run):
    """New entities for groups none of whose records has one yet, written in bulk: a first
    run over a province forms tens of thousands."""
    people = {}
    ids = [pk for group in groups for pk in group]
    for start in range(0, len(ids), 500):
        people.update(Person.objects.in_bulk(ids[start : start + 500]))
    entities = []
    for group in groups:
        records = [people[pk] for pk in group]
        entity = Entity(golden=golden_record(records))
        entity.set_region(_common_code(*(p.village_code for p in records)))
        entities.append(entity)
    Entity.objects.bulk_create(entities, batch_size=2_000)
    pairs = [(entity, pk) for entity, group in zip(entities, groups, strict=True) for pk in group]
    EntityMember.objects.bulk_create(
        [EntityMember(entity=entity, person_id=pk) for entity, pk in pairs], batch_size=5_000
    )
    EntityEvent.objects.bulk_create(
        [
            EntityEvent(entity=entity, kind=EntityEvent.Kind.LINKED, person_id=pk, run=run)
            for entity, pk in pairs
        ],
        batch_size=5_000,
    )


def _link(person_ids, *, kind, run=None, actor=None, note=""):
    """Make `person_ids` one entity: a new one, the one some of them already belong to,
    or the oldest of several, which absorbs the others. Returns the entity if anything
    changed."""
    memberships = dict(
        EntityMember.objects.filter(person_id__in=person_ids).values_list("person_id", "entity_id")
    )
    entity_ids = sorted(set(memberships.values()))
    if len(entity_ids) == 1 and len(memberships) == len(person_ids):
        return None
    entity = Entity.objects.get(pk=entity_ids[0]) if entity_ids else Entity.objects.create()
    absorbed = entity_ids[1:]
    if absorbed:
        entities_merging.send(sender=Entity, survivor=entity, absorbed=absorbed)
        EntityMember.objects.filter(entity_id__in=absorbed).update(entity=entity)
        Entity.objects.filter(pk__in=absorbed).delete()
        EntityEvent.objects.create(
            entity=entity,
            kind=EntityEvent.Kind.MERGED,
            run=run,
            actor=actor,
            note=", ".join(f"#{pk}" for pk in absorbed),
        )
    new = [pk for pk in person_ids if pk not in memberships]
    EntityMember.objects.bulk_create([EntityMember(entity=entity, person_id=pk) for pk in new])
    for pk in new:
        EntityEvent.objects.create(
            entity=entity, kind=kind, person_id=pk, run=run, actor=actor, note=note
        )
    entity_refresh(entity)
    return entity


def entity_refresh(entity):
    """Recompute the golden record and the region the members share."""
    people = list(Person.objects.filter(entity_member__entity=entity))
    entity.golden = golden_record(people)
    entity.set_region(_common_code(*(p.village_code for p in people)))
    entity.save()


def entity_of(*, person):
    """The entity of `person`, made for it alone if it has none yet."""
    member = EntityMember.objects.filter(person=person).select_related("entity").first()
    if member:
        return member.entity
    return _link([person.pk], kind=EntityEvent.Kind.LINKED)


@transaction.atomic
def entities_ensure(*, person_ids):
    """{person id: entity id} for `person_ids`, making a one-record entity for each person
    that has none yet (programmes pay entities; most people are recorded once)."""
    found = {}
    person_ids = list(person_ids)
    for start in range(0, len(person_ids), 500):
        found.update(
            EntityMember.objects.filter(person_id__in=person_ids[start : start + 500]).values_list(
                "person_id", "entity_id"
            )
        )
    alone = [[pk] for pk in person_ids if pk not in found]
    _entities_create(alone, run=None)
    for start in range(0, len(alone), 500):
        chunk = [group[0] for group in alone[start : start + 500]]
        found.update(
            EntityMember.objects.filter(person_id__in=chunk).values_list("person_id", "entity_id")
        )
    return found


@transaction.atomic
def pair_confirm(*, user, pair, note=""):
    """Confirm that a pair is one person (joining their entities) or one business."""
    pair = _undecided(pair)
    _decide(pair, user=user, status=pair.Status.CONFIRMED, note=note)
    if isinstance(pair, MatchPair):
        _link([pair.left_id, pair.right_id], kind=EntityEvent.Kind.CONFIRMED, actor=user, note=note)
    return pair


@transaction.atomic
def pair_reject(*, user, pair, note=""):
    """Record that a pair is not one person (or business). Records already joined into one
    entity are separated by unmerging, where the officer sees the whole entity."""
    pair = _undecided(pair)
    if isinstance(pair, MatchPair) and _same_entity(pair.left_id, pair.right_id):
        raise ValidationError(ALREADY_ONE_ENTITY)
    _decide(pair, user=user, status=pair.Status.REJECTED, note=note)
    return pair


def _decide(pair, *, user, status, note):
    pair.status, pair.decided_by, pair.decided_at = status, user, timezone.now()
    pair.note = note
    pair.save(update_fields=["status", "decided_by", "decided_at", "note"])


def _same_entity(left, right):
    entities = EntityMember.objects.filter(person_id__in=[left, right]).values_list(
        "entity_id", flat=True
    )
    entities = list(entities)
    return len(entities) == 2 and entities[0] == entities[1]


def _undecided(pair):
    pair = type(pair).objects.select_for_update().get(pk=pair.pk)
    if pair.status in pair.DECIDED:
        raise ValidationError(PAIR_ALREADY_DECIDED)
    return pair


@transaction.atomic
def entity_unmerge(*, user, entity, person, note=""):
    """Take `person`'s record out of `entity`. The pairs that joined it to the others are
    marked rejected, so no later run joins them again."""
    entity = Entity.objects.select_for_update().get(pk=entity.pk)
    member = EntityMember.objects.filter(entity=entity, person=person).first()
    if member is None:
        raise ValidationError(NOT_A_MEMBER)
    others = list(entity.members.exclude(person=person).values_list("person_id", flat=True))
    if not others:
        raise ValidationError(LAST_MEMBER)
    member.delete()
    now = timezone.now()
    for left, right in ((min(person.pk, o), max(person.pk, o)) for o in others):
        MatchPair.objects.update_or_create(
            left_id=left,
            right_id=right,
            defaults={"status": MatchPair.Status.REJECTED, "decided_by": user, "decided_at": now},
            create_defaults={
                "status": MatchPair.Status.REJECTED,
                "decided_by": user,
                "decided_at": now,
                "probability": 0.0,
                **region_codes(_common_code(*_regions([left, right]).values())),
            },
        )
    EntityEvent.objects.create(
        entity=entity, kind=EntityEvent.Kind.UNMERGED, person=person, actor=user, note=note
    )
    entity_refresh(entity)
    person_unmerged.send(sender=Entity, person=person, entity=entity)
    return entity
