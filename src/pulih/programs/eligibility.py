"""Eligibility: the facts about many enrolments gathered in a few set-based queries, the
programmes' rules applied to them, and the verdicts recorded."""

from collections import defaultdict

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from pulih.dedup.models import EntityMember
from pulih.registry.models import Business

from .models import Enrolment, ListEntry, Payment, Programme
from .rules import Facts, rules_of

Status = Enrolment.Status

# Evaluation may move an enrolment only among these; past them a person has decided.
OPEN = (Status.CANDIDATE, Status.ELIGIBLE, Status.INELIGIBLE)

# Primary keys per UPDATE, under SQLite's limit of bound parameters.
CHUNK = 900

# What rules, and the page that explains them, read of an enrolment, its person and
# business: whole rows of 100,000 enrolments took most of the time. A rule reading
# another field must add it here.
LOADED = (
    *("programme", "person", "business", "entity", "status", "failed_rules", "evaluated_at"),
    *("person__nik", "person__nik_valid", "person__name", "person__province_code"),
    *("business__name", "business__scale"),
)


def facts_for(enrolments):
    """The `Facts` of each enrolment of the queryset `enrolments`, in its order.

    Five queries whatever the number: the enrolments, list entries matched to the people,
    list entries matched to any record of their entities, live payments of the entities,
    and the businesses of people enrolled without one.
    """
    # Joins the caller asked for would clash with `only`: the rules need these alone.
    enrolments = enrolments.select_related(None)
    rows = list(enrolments.select_related("person", "business").only(*LOADED))
    if not rows:
        return []
    people = enrolments.values("person_id")
    entities = enrolments.values("entity_id")
    provinces = {row.person.province_code for row in rows}
    in_region = Q(list__province_code="") | Q(list__province_code__in=provinces)

    # The person's own entries count even if an unmerge left the enrolment's entity stale.
    by_person, by_entity = defaultdict(set), defaultdict(set)
    for person_id, kind, province in (
        ListEntry.objects.filter(in_region, person_id__in=people)
        .values_list("person_id", "list__kind", "list__province_code")
        .order_by()
        .distinct()
    ):
        by_person[person_id].add((kind, province))
    for entity_id, kind, province in (
        ListEntry.objects.filter(in_region, person__entity_member__entity_id__in=entities)
        .values_list("person__entity_member__entity_id", "list__kind", "list__province_code")
        .order_by()
        .distinct()
    ):
        by_entity[entity_id].add((kind, province))

    payments = defaultdict(set)
    for entity_id, programme_id, enrolment_id in (
        Payment.objects.filter(entity_id__in=entities, duplicate=False)
        .exclude(status=Payment.Status.FAILED)
        .values_list("entity_id", "programme_id", "enrolment_id")
        .order_by()
    ):
        payments[entity_id, programme_id].add(enrolment_id)

    scales = defaultdict(list)
    for owner_id, scale in (
        Business.objects.filter(
            owner_id__in=enrolments.filter(business__isnull=True).values("person_id")
        )
        .values_list("owner_id", "scale")
        .order_by()
    ):
        scales[owner_id].append(scale)

    facts = []
    for row in rows:
        province = row.person.province_code
        matched = by_person[row.person_id] | by_entity[row.entity_id]
        facts.append(
            Facts(
                enrolment=row,
                person=row.person,
                business=row.business,
                entity_id=row.entity_id,
                lists={kind for kind, p in matched if p in ("", province)},
                # Its own payment does not make a paid enrolment fail when explained.
                paid=bool(payments[row.entity_id, row.programme_id] - {row.pk}),
                scales=tuple(scales[row.person_id]),
            )
        )
    return facts


@transaction.atomic
def evaluate(*, enrolments):
    """Apply each programme's rules to the open enrolments of the queryset `enrolments`
    (candidate, eligible or ineligible; verified, approved and paid ones stay as they are),
    recording the rules failed, in the programme's order. Returns the counts."""
    facts = facts_for(enrolments.filter(status__in=OPEN))
    programmes = Programme.objects.filter(pk__in={f.enrolment.programme_id for f in facts})
    rules = {programme.pk: rules_of(programme) for programme in programmes}
    verdicts = defaultdict(list)
    for fact in facts:
        enrolment = fact.enrolment
        failed = tuple(rule.code for rule in rules[enrolment.programme_id] if not rule.check(fact))
        verdicts[failed].append(enrolment.pk)
    # One UPDATE per verdict and chunk: bulk_update's CASE per row took over a minute for
    # 100,000. Filtered again so that an enrolment verified meanwhile is not pulled back.
    now = timezone.now()
    still_open = Enrolment.objects.filter(status__in=OPEN)
    counts = {"eligible": 0, "ineligible": 0, "by_rule": defaultdict(int)}
    for failed, pks in verdicts.items():
        counts["ineligible" if failed else "eligible"] += len(pks)
        for code in failed:
            counts["by_rule"][code] += len(pks)
        for start in range(0, len(pks), CHUNK):
            still_open.filter(pk__in=pks[start : start + CHUNK]).update(
                failed_rules=list(failed),
                status=Status.INELIGIBLE if failed else Status.ELIGIBLE,
                evaluated_at=now,
            )
    counts["by_rule"] = dict(counts["by_rule"])
    return counts


def explain(enrolment):
    """Each of the programme's rules, in order, with whether the enrolment passes it now."""
    (fact,) = facts_for(Enrolment.objects.filter(pk=enrolment.pk))
    return [(rule, rule.check(fact)) for rule in rules_of(fact.enrolment.programme)]


def explain_candidate(*, programme, person):
    """What an evaluation would say now of a person not enrolled (yet): each rule with
    whether they pass it, nothing written and no entity made."""
    entity_id = (
        EntityMember.objects.filter(person=person).values_list("entity_id", flat=True).first()
    )
    records = [person.pk]
    if entity_id is not None:
        records += EntityMember.objects.filter(entity_id=entity_id).values_list(
            "person_id", flat=True
        )
    in_region = Q(list__province_code="") | Q(list__province_code=person.province_code)
    fact = Facts(
        enrolment=None,
        person=person,
        # The business candidates_enrol would enrol: the person's first.
        business=Business.objects.filter(owner=person).order_by("pk").first(),
        entity_id=entity_id,
        lists=set(
            ListEntry.objects.filter(in_region, person_id__in=records).values_list(
                "list__kind", flat=True
            )
        ),
        paid=entity_id is not None
        and Payment.objects.filter(entity_id=entity_id, programme=programme, duplicate=False)
        .exclude(status=Payment.Status.FAILED)
        .exists(),
        scales=(),
    )
    return [(rule, rule.check(fact)) for rule in rules_of(programme)]
