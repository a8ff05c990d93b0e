"""Business matching of raw materials: each material a curated producer needs is matched
to the verified suppliers of it, ranked by capacity and distance, and an officer works
through the introductions (proposed → introduced → agreed or no deal).

Ranking: a supplier whose monthly capacity covers the producer's need comes before one
that does not; among those, the nearest first. Distances run from the producer's
coordinates, or its province capital's, to the supplier's (`wilayah.geo`). Suppliers not
verified by the industry ministry are never proposed.

Officers propose and follow the matches of the producers of their area; a seller reads
its own business's matches; other roles see none.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Exists, IntegerField, OuterRef, Q, Subquery
from django.http import Http404
from django.utils.translation import gettext_lazy as _

from pulih.production.models import (
    OFFICERS,
    Declaration,
    DeclarationMaterial,
    Supplier,
    SupplierMaterial,
)
from pulih.wilayah.geo import distance_km, position

from .models import MaterialMatch

Status = MaterialMatch.Status
# How far along each status is: a match never goes back.
STEP = {Status.PROPOSED: 0, Status.INTRODUCED: 1, Status.AGREED: 2, Status.NO_DEAL: 2}
MAX_PER_MATERIAL = 10

NOT_CURATED = _("Only a curated declaration is matched to suppliers.")
NO_NEEDS = _("This declaration names no materials it needs.")
NO_POSITION = _("The producer's location is unknown: record its coordinates or its village.")
PER_MATERIAL_RANGE = _("Propose between 1 and %(max)s suppliers per material.")
UNKNOWN_STATUS = _("Unknown match status.")
STATUS_BACKWARDS = _("A match only moves forward: proposed, introduced, then agreed or no deal.")
SUPPLIER_NOT_VERIFIED = _(
    "This supplier is not verified (any more): it cannot be introduced or agreed with."
)


@dataclass
class Candidate:
    """A verified supplier of one material, as seen from one producer."""

    supplier: Supplier
    capacity: int
    distance_km: float
    covers: bool


def _matcher(user):
    if not (user.is_superuser or user.role in OFFICERS):
        raise PermissionDenied


def _region_code(record):
    return (
        record.village_code or record.district_code or record.regency_code or (record.province_code)
    )


def producer_position(business):
    """Where the producer is: its coordinates, or its province capital (estimated)."""
    return position(
        latitude=business.latitude,
        longitude=business.longitude,
        region_code=_region_code(business),
    )


def supplier_position(supplier):
    return position(
        latitude=supplier.latitude,
        longitude=supplier.longitude,
        region_code=_region_code(supplier),
    )


def verified_offers(material_ids):
    """{material id: [SupplierMaterial]} of verified suppliers."""
    offers = {}
    for offer in SupplierMaterial.objects.filter(
        material_id__in=material_ids, supplier__status=Supplier.Status.VERIFIED
    ).select_related("supplier"):
        offers.setdefault(offer.material_id, []).append(offer)
    return offers


def suppliers_ranked(*, origin, need, offers):
    """The suppliers of `offers` (SupplierMaterial of one material) as `Candidate`s,
    best first: those covering `need` (a monthly quantity), then the nearest."""
    candidates = []
    for offer in offers:
        where = supplier_position(offer.supplier)
        if where is None:
            continue
        candidates.append(
            Candidate(
                supplier=offer.supplier,
                capacity=offer.monthly_capacity,
                distance_km=distance_km(origin, where),
                covers=offer.monthly_capacity >= need,
            )
        )
    return sorted(
        candidates, key=lambda c: (not c.covers, c.distance_km, c.supplier.name, c.supplier.pk)
    )


def _propose(*, user, declaration, needs, offers, per_material):
    """Replace the declaration's proposed matches by fresh ones; the matches already
    worked on stay, and their suppliers are not proposed again. Returns the number made."""
    origin = producer_position(declaration.business)
    if origin is None:
        raise ValidationError(NO_POSITION)
    matches = MaterialMatch.objects.filter(declaration=declaration)
    worked = set(matches.exclude(status=Status.PROPOSED).values_list("material_id", "supplier_id"))
    matches.filter(status=Status.PROPOSED).delete()
    made = []
    for need in needs:
        ranking = suppliers_ranked(
            origin=origin,
            need=need.monthly_quantity,
            offers=offers.get(need.material_id, []),
        )
        fresh = [
            (rank, candidate)
            for rank, candidate in enumerate(ranking, start=1)
            if (need.material_id, candidate.supplier.pk) not in worked
        ]
        for rank, candidate in fresh[:per_material]:
            match = MaterialMatch(
                declaration=declaration,
                material_id=need.material_id,
                supplier=candidate.supplier,
                rank=rank,
                distance_km=Decimal(str(round(candidate.distance_km, 1))),
                updated_by=user,
            )
            for field in ("province_code", "regency_code", "district_code", "village_code"):
                setattr(match, field, getattr(declaration, field))
            made.append(match)
    MaterialMatch.objects.bulk_create(made)
    return len(made)


def _per_material(per_material):
    if isinstance(per_material, bool) or not 1 <= per_material <= MAX_PER_MATERIAL:
        raise ValidationError({"per_material": PER_MATERIAL_RANGE % {"max": MAX_PER_MATERIAL}})


@transaction.atomic
def material_matches_propose(*, user, declaration, per_material=3) -> list[MaterialMatch]:
    """Propose, for each material the curated declaration needs, the best `per_material`
    verified suppliers. Proposals made before are refreshed; matches already introduced,
    agreed or with no deal are kept. Returns every match of the declaration."""
    _matcher(user)
    _per_material(per_material)
    declaration = (
        Declaration.objects.select_for_update()
        .select_related("business")
        .get_visible_or_404(user, pk=declaration.pk)
    )
    if declaration.status != Declaration.Status.CURATED:
        raise ValidationError(NOT_CURATED)
    needs = list(declaration.materials.all())
    if not needs:
        raise ValidationError(NO_NEEDS)
    offers = verified_offers([need.material_id for need in needs])
    _propose(
        user=user, declaration=declaration, needs=needs, offers=offers, per_material=per_material
    )
    return list(material_match_list(user=user, declaration=declaration))


@transaction.atomic
def material_matches_propose_all(*, user, per_material=3) -> dict:
    """Propose suppliers for every curated declaration with material needs in the
    officer's area. Returns {"declarations": n, "proposed": matches proposed}."""
    _matcher(user)
    _per_material(per_material)
    declarations = list(match_declarations(user=user).prefetch_related("materials"))
    material_ids = {need.material_id for d in declarations for need in d.materials.all()}
    offers = verified_offers(material_ids)
    done = proposed = 0
    for declaration in declarations:
        if producer_position(declaration.business) is None:
            continue
        proposed += _propose(
            user=user,
            declaration=declaration,
            needs=list(declaration.materials.all()),
            offers=offers,
            per_material=per_material,
        )
        done += 1
    return {"declarations": done, "proposed": proposed}


@transaction.atomic
def material_match_update(*, user, match, status, note="") -> MaterialMatch:
    """Record how an introduction went: forward only, and no introduction to or
    agreement with a supplier that is not verified."""
    _matcher(user)
    MaterialMatch.objects.get_visible_or_404(user, pk=match.pk)
    match = MaterialMatch.objects.select_for_update().select_related("supplier").get(pk=match.pk)
    if status not in STEP:
        raise ValidationError({"status": UNKNOWN_STATUS})
    if status != match.status and STEP[status] <= STEP[match.status]:
        raise ValidationError({"status": STATUS_BACKWARDS})
    if status in (Status.INTRODUCED, Status.AGREED) and (
        match.supplier.status != Supplier.Status.VERIFIED
    ):
        raise ValidationError({"status": SUPPLIER_NOT_VERIFIED})
    match.status = status
    match.note = (note or "").strip()
    match.updated_by = user
    match.full_clean(exclude=["declaration", "material", "supplier", "updated_by"])
    match.save()
    return match


# Reads ---------------------------------------------------------------------------------


def material_match_list(*, user, status="", material=None, province="", declaration=None):
    """The matches the user sees, with the producer's monthly `need` of the material and
    the supplier's monthly `capacity` of it. A proposal to a supplier no longer verified
    is not shown."""
    matches = MaterialMatch.objects.visible_to(user).filter(
        ~Q(status=Status.PROPOSED) | Q(supplier__status=Supplier.Status.VERIFIED)
    )
    if status:
        matches = matches.filter(status=status)
    if material:
        matches = matches.filter(material=material)
    if province:
        matches = matches.filter(province_code=province)
    if declaration:
        matches = matches.filter(declaration=declaration)
    need = DeclarationMaterial.objects.filter(
        declaration_id=OuterRef("declaration_id"), material_id=OuterRef("material_id")
    ).values("monthly_quantity")[:1]
    capacity = SupplierMaterial.objects.filter(
        supplier_id=OuterRef("supplier_id"), material_id=OuterRef("material_id")
    ).values("monthly_capacity")[:1]
    return (
        matches.annotate(
            need=Subquery(need, output_field=IntegerField()),
            capacity=Subquery(capacity, output_field=IntegerField()),
        )
        .select_related(
            "declaration__business", "declaration__product_type", "material", "supplier"
        )
        .order_by("declaration__business__name", "declaration_id", "material__name", "rank")
    )


def material_match_get(*, user, pk):
    try:
        return material_match_list(user=user).get(pk=pk)
    except (MaterialMatch.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


def match_declarations(*, user):
    """Curated declarations of the user's area that name materials they need, with
    how many of their matches are proposed and how many worked on."""
    return (
        Declaration.objects.visible_to(user)
        .filter(status=Declaration.Status.CURATED)
        .filter(Exists(DeclarationMaterial.objects.filter(declaration_id=OuterRef("pk"))))
        .select_related("business", "product_type")
        .annotate(
            needs=Count("materials", distinct=True),
            proposed=Count(
                "material_matches",
                filter=Q(material_matches__status=Status.PROPOSED),
                distinct=True,
            ),
            worked=Count(
                "material_matches",
                filter=~Q(material_matches__status=Status.PROPOSED),
                distinct=True,
            ),
        )
        .order_by("business__name", "pk")
    )
