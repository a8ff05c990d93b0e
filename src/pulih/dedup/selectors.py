"""Reads of record linkage, always scoped to the user."""

from django.db.models import Prefetch, Q

from pulih.registry.models import Person

from .models import BusinessPair, DedupRun, Entity, EntityMember, MatchPair

# Fields shown side by side in the review queue, in order.
COMPARED_FIELDS = ("nik", "name", "birth_date", "sex", "phone", "address", "village_code")
# For businesses, "owner__…" reads the owner's field.
COMPARED_BUSINESS_FIELDS = (
    *("name", "owner__name", "owner__nik", "nib", "kbli_section", "whatsapp", "address"),
    "village_code",
)


def run_list(*, user):
    return DedupRun.objects.visible_to(user).select_related("created_by", "progress")


def run_get(*, user, pk):
    return DedupRun.objects.get_visible_or_404(user, pk=pk)


def _pairs(user):
    return MatchPair.objects.visible_to(user).select_related("left", "right")


def cluster_review_queue(*, user):
    """Pairs waiting for a decision, the least certain first (they need a human most)."""
    return _pairs(user).filter(status=MatchPair.Status.REVIEW).order_by("probability", "pk")


def pair_get(*, user, pk):
    return _pairs(user).get_visible_or_404(user, pk=pk)


def pair_comparison(*, pair):
    """The two records side by side: (field, left value, right value, differs)."""
    fields = COMPARED_BUSINESS_FIELDS if isinstance(pair, BusinessPair) else COMPARED_FIELDS
    rows = []
    for field in fields:
        left, right = _read(pair.left, field), _read(pair.right, field)
        rows.append((field, left, right, left != right))
    return rows


def _read(record, path):
    for name in path.split("__"):
        record = getattr(record, name)
    return record


def _business_pairs(user):
    return BusinessPair.objects.visible_to(user).select_related(
        "left", "left__owner", "right", "right__owner"
    )


def business_review_queue(*, user):
    """Business pairs waiting for a decision, the least certain first."""
    return (
        _business_pairs(user)
        .filter(status=BusinessPair.Status.REVIEW)
        .order_by("probability", "pk")
    )


def business_pair_get(*, user, pk):
    return _business_pairs(user).get_visible_or_404(user, pk=pk)


def business_duplicates(*, user, entity):
    """Linked or confirmed business pairs among the businesses of an entity's members."""
    owned = Q(left__owner__entity_member__entity=entity) | Q(
        right__owner__entity_member__entity=entity
    )
    return (
        _business_pairs(user)
        .filter(owned, status__in=[BusinessPair.Status.LINKED, BusinessPair.Status.CONFIRMED])
        .distinct()
    )


def entity_list(*, user):
    return Entity.objects.visible_to(user).prefetch_related(
        Prefetch("members", queryset=EntityMember.objects.select_related("person"))
    )


def entity_get(*, user, pk):
    return entity_list(user=user).get_visible_or_404(user, pk=pk)


def entity_of_person(*, user, person):
    return Entity.objects.visible_to(user).filter(members__person=person).first()


def entity_members(*, entity):
    return Person.objects.filter(entity_member__entity=entity).order_by("pk")


def entity_events(*, entity):
    return entity.events.select_related("person", "actor", "run")
