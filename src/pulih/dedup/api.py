"""Record linkage over JSON: runs, the review queues, pairs of people and of businesses,
entities and the online check.

Conventions of the registry API: reads go through `selectors`, so an object outside the
caller's area is 404 whatever the method; writes go through `services`, whose refusals
are 422 with the message. Runs, review and entities are the work of central and province
officers (`views.DEDUP_ROLES`); to any other role they do not exist (404, as the pages'
`role_required`). The online check is open to every officer role that enters data. NIK
and phone numbers are masked for roles that may not see them, and every full record shown
is access-logged (for a pair of businesses, against both owners).
"""

from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from ninja import Router, Status
from ninja.pagination import LimitOffsetPagination, paginate

from pulih.accounts.models import Role
from pulih.core.audit import access_log_record
from pulih.registry import selectors as registry_selectors

from . import online, selectors, services
from .api_schemas import (
    BusinessPairDetailOut,
    BusinessPairOut,
    CheckIn,
    CheckOut,
    DecisionIn,
    EntityOut,
    PairDecisionOut,
    PairDetailOut,
    PairOut,
    RunDetailOut,
    RunIn,
    RunOut,
    UnmergeIn,
)
from .views import DEDUP_ROLES

router = Router(tags=["dedup"])

# A page of at most this many rows, as in the registry API.
MAX_LIMIT = 500
NOT_FOUND = _("Not found.")
OFFICERS = (Role.PUSAT, Role.PROVINSI, Role.KABKOTA, Role.PENDAMPING)


def _allow(request, roles):
    """The endpoint does not exist for other roles."""
    user = request.user
    if not (user.is_superuser or user.role in roles):
        raise Http404


def _decided(request, get, decide, pair_id, payload):
    """Decide a pair the caller may see, and return it as it now stands."""
    _allow(request, DEDUP_ROLES)
    pair = get(user=request.user, pk=pair_id)
    decide(user=request.user, pair=pair, note=payload.note if payload else "")
    return get(user=request.user, pk=pair.pk)


def _logged(request, people):
    for person in people:
        access_log_record(request=request, obj=person, channel="api")


# Runs ----------------------------------------------------------------------------------


@router.get("/runs", response=list[RunOut])
@paginate(LimitOffsetPagination, max_limit=MAX_LIMIT)
def run_list(request):
    _allow(request, DEDUP_ROLES)
    return selectors.run_list(user=request.user)


@router.post("/runs", response={202: RunDetailOut})
def run_start(request, payload: RunIn | None = None):
    """Queue a run over a province (central officers may leave it out for the nation;
    province officers' runs are always over their own). Poll /api/v1/tasks/{task_id}."""
    _allow(request, DEDUP_ROLES)
    payload = payload or RunIn()
    repeats = selectors.run_get(user=request.user, pk=payload.repeats) if payload.repeats else None
    run = services.run_start(
        user=request.user,
        province_code=payload.province_code or "",
        threshold=payload.threshold,
        review_floor=payload.review_floor,
        repeats=repeats,
    )
    return Status(202, selectors.run_get(user=request.user, pk=run.pk))


@router.get("/runs/{run_id}", response=RunDetailOut)
def run_detail(request, run_id: int):
    _allow(request, DEDUP_ROLES)
    return selectors.run_get(user=request.user, pk=run_id)


# Review --------------------------------------------------------------------------------


@router.get("/review", response=list[PairOut])
@paginate(LimitOffsetPagination, max_limit=MAX_LIMIT)
def review_queue(request):
    """Pairs waiting for a decision, the least certain first."""
    _allow(request, DEDUP_ROLES)
    return selectors.cluster_review_queue(user=request.user)


@router.get("/pairs/{pair_id}", response=PairDetailOut)
def pair_detail(request, pair_id: int):
    """Both records field by field; `differs` marks where they disagree."""
    _allow(request, DEDUP_ROLES)
    pair = selectors.pair_get(user=request.user, pk=pair_id)
    _logged(request, (pair.left, pair.right))
    return pair


@router.post("/pairs/{pair_id}/confirm", response=PairDecisionOut)
def pair_confirm(request, pair_id: int, payload: DecisionIn | None = None):
    """The two records are one person: they join one entity. A decided pair is 422."""
    return _decided(request, selectors.pair_get, services.pair_confirm, pair_id, payload)


@router.post("/pairs/{pair_id}/reject", response=PairDecisionOut)
def pair_reject(request, pair_id: int, payload: DecisionIn | None = None):
    """The two records are different people; no later run joins them. A decided pair is
    422, and so is a pair already in one entity (unmerge one record from the entity)."""
    return _decided(request, selectors.pair_get, services.pair_reject, pair_id, payload)


@router.get("/business-review", response=list[BusinessPairOut])
@paginate(LimitOffsetPagination, max_limit=MAX_LIMIT)
def business_review_queue(request):
    """Pairs of businesses waiting for a decision, the least certain first."""
    _allow(request, DEDUP_ROLES)
    return selectors.business_review_queue(user=request.user)


@router.get("/business-pairs/{pair_id}", response=BusinessPairDetailOut)
def business_pair_detail(request, pair_id: int):
    """Both businesses field by field, the owners' NIK and phone masked by role; the view
    is logged against both owners."""
    _allow(request, DEDUP_ROLES)
    pair = selectors.business_pair_get(user=request.user, pk=pair_id)
    _logged(request, (pair.left.owner, pair.right.owner))
    return pair


@router.post("/business-pairs/{pair_id}/confirm", response=BusinessPairOut)
def business_pair_confirm(request, pair_id: int, payload: DecisionIn | None = None):
    """The two records are one business. A decided pair is 422."""
    return _decided(request, selectors.business_pair_get, services.pair_confirm, pair_id, payload)


@router.post("/business-pairs/{pair_id}/reject", response=BusinessPairOut)
def business_pair_reject(request, pair_id: int, payload: DecisionIn | None = None):
    """The two records are different businesses. A decided pair is 422."""
    return _decided(request, selectors.business_pair_get, services.pair_reject, pair_id, payload)


# Entities ------------------------------------------------------------------------------


def _entity_shown(request, entity_id):
    entity = selectors.entity_get(user=request.user, pk=entity_id)
    _logged(request, (member.person for member in entity.members.all()))
    return entity


@router.get("/entities/{entity_id}", response=EntityOut)
def entity_detail(request, entity_id: int):
    """The golden record with the source and rule of each field, the member records and
    the entity's history."""
    _allow(request, DEDUP_ROLES)
    return _entity_shown(request, entity_id)


@router.post("/entities/{entity_id}/unmerge", response=EntityOut)
def entity_unmerge(request, entity_id: int, payload: UnmergeIn):
    """Take one record out of the entity; the pairs joining it to the others become
    rejected, so no later run joins them again."""
    _allow(request, DEDUP_ROLES)
    entity = selectors.entity_get(user=request.user, pk=entity_id)
    try:
        person = registry_selectors.person_get(viewer=request.user, pk=payload.person_id)
    except Http404 as exc:
        raise ValidationError({"person_id": NOT_FOUND}) from exc
    services.entity_unmerge(user=request.user, entity=entity, person=person, note=payload.note)
    return _entity_shown(request, entity.pk)


# Online check --------------------------------------------------------------------------


@router.post("/check", response=CheckOut)
def check(request, payload: CheckIn):
    """Is this record already in the registry? Candidates inside the caller's area with
    the model's match probability; the NIK masked. Nothing is written."""
    _allow(request, OFFICERS)
    result = online.candidates_for(user=request.user, record=payload.dict())
    return {"candidates": result.candidates, "elsewhere": result.elsewhere}
