"""Raw-material business matching over JSON, at /api/v1/matching/material-matches.

Officers list, propose and move forward the matches of their area's producers; a seller
lists its own business's (read-only: 403 on the writes); to other roles the endpoints do
not exist (404), nor does a match or declaration outside the caller's scope. Refusals
are 422 with the message.
"""

from datetime import datetime
from decimal import Decimal
from typing import Annotated, Literal

from django.http import Http404
from ninja import Query, Router, Schema
from ninja.pagination import LimitOffsetPagination, paginate
from pydantic import Field

from pulih.accounts.models import Role
from pulih.production.models import OFFICERS, Declaration

from . import materials
from .models import MaterialMatch

router = Router(tags=["material matching"])

MAX_LIMIT = 500
MATCH_ROLES = (*OFFICERS, Role.PENJUAL)
MatchStatus = Literal[tuple(MaterialMatch.Status.values)]


def _allow(request, roles):
    user = request.user
    if not (user.is_superuser or user.role in roles):
        raise Http404


class MaterialMatchOut(Schema):
    """`need`: the producer's monthly need of the material; `capacity`: the supplier's
    monthly capacity of it; `rank`: 1 is the best supplier for this need."""

    id: int
    declaration_id: int
    business_id: int = Field(alias="declaration.business_id")
    business_name: str = Field(alias="declaration.business.name")
    product_type: str = Field(alias="declaration.product_type.code")
    material: str = Field(alias="material.code")
    need: int | None
    supplier_id: int
    supplier_name: str = Field(alias="supplier.name")
    capacity: int | None
    covers_need: bool
    distance_km: Decimal
    rank: int
    status: str
    note: str
    province_code: str
    updated_at: datetime

    @staticmethod
    def resolve_covers_need(match):
        return (
            match.capacity is not None and match.need is not None and (match.capacity >= match.need)
        )


class MatchFilters(Schema):
    status: MatchStatus | None = None
    material: str | None = Field(None, max_length=40)
    province: Annotated[str, Field(pattern=r"^[0-9]{2}$")] | None = None
    declaration: int | None = None


class ProposeIn(Schema):
    declaration_id: int
    per_material: int = Field(3, ge=1, le=materials.MAX_PER_MATERIAL)


class ProposeAllIn(Schema):
    per_material: int = Field(3, ge=1, le=materials.MAX_PER_MATERIAL)


class ProposeAllOut(Schema):
    declarations: int
    proposed: int


class MatchPatch(Schema):
    status: MatchStatus
    note: str = Field("", max_length=500)


@router.get("/material-matches", response=list[MaterialMatchOut])
@paginate(LimitOffsetPagination, max_limit=MAX_LIMIT)
def material_match_list(request, filters: Query[MatchFilters]):
    _allow(request, MATCH_ROLES)
    fields = filters.dict(exclude_none=True)
    material = fields.pop("material", None)
    found = materials.material_match_list(user=request.user, **fields)
    return found.filter(material__code=material) if material else found


@router.post("/material-matches/propose", response=list[MaterialMatchOut])
def material_matches_propose(request, payload: ProposeIn):
    """Propose verified suppliers for each material the curated declaration needs;
    earlier proposals are refreshed, matches already worked on kept. Returns every
    match of the declaration."""
    _allow(request, MATCH_ROLES)
    declaration = Declaration.objects.get_visible_or_404(request.user, pk=payload.declaration_id)
    return materials.material_matches_propose(
        user=request.user, declaration=declaration, per_material=payload.per_material
    )


@router.post("/material-matches/propose-all", response=ProposeAllOut)
def material_matches_propose_all(request, payload: ProposeAllIn | None = None):
    """Propose for every curated declaration with material needs in the caller's area."""
    _allow(request, MATCH_ROLES)
    per_material = payload.per_material if payload else 3
    return materials.material_matches_propose_all(user=request.user, per_material=per_material)


@router.get("/material-matches/{int:match_id}", response=MaterialMatchOut)
def material_match_detail(request, match_id: int):
    _allow(request, MATCH_ROLES)
    return materials.material_match_get(user=request.user, pk=match_id)


@router.patch("/material-matches/{int:match_id}", response=MaterialMatchOut)
def material_match_update(request, match_id: int, payload: MatchPatch):
    """Introduced, then agreed or no deal, with a note; forward only."""
    _allow(request, MATCH_ROLES)
    match = materials.material_match_get(user=request.user, pk=match_id)
    materials.material_match_update(user=request.user, match=match, **payload.dict())
    return materials.material_match_get(user=request.user, pk=match.pk)
