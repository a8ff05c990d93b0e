"""Pivot declarations and their curation over JSON: the catalogue (product types,
materials, checklist versions), declarations with their materials and photos, assignment
to curators, curations with their photo evidence, resubmission after improvement and
reopening after withdrawal or rejection.

Conventions of the other APIs: reads go through `selectors`, so a declaration outside
the caller's scope is 404 whatever the method (officers see their area's, a curator the
declarations assigned to its organisation, a seller its own businesses', buyers none);
writes go through `services`, whose refusals are 422 with the message in the request's
language, or 403 when the caller's role may not do it. A curation is recorded as JSON;
its photo evidence follows, one multipart upload per criterion.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext_lazy as _
from ninja import File, Form, P, Query, Router, Status
from ninja.files import UploadedFile
from ninja.pagination import LimitOffsetPagination, paginate

from pulih.accounts.models import Organisation, Role

from . import selectors, services
from .api_schemas import (
    AssignIn,
    AssignOut,
    ChecklistFilters,
    ChecklistIn,
    ChecklistOut,
    CurationIn,
    CurationOut,
    DeclarationFilters,
    DeclarationIn,
    DeclarationOut,
    DeclarationPatch,
    MaterialOut,
    PhotoOut,
    ProductTypeOut,
    ReopenIn,
    ResubmitIn,
    ResultOut,
)
from .models import Checklist, Material
from .views import image_response

router = Router(tags=["production"])

MAX_LIMIT = 500
MATERIAL_UNKNOWN = _("Unknown material: %(code)s.")
CHECKLIST_UNKNOWN = _("No such checklist.")
CRITERION_TWICE = _("Each criterion is answered once: criterion %(id)s is answered twice.")
# The service's argument names as this API's fields.
API_FIELDS = {"product_type": "product", "business": "business_id", "checklist": "checklist_id"}


def _acts(request, roles):
    if not (request.user.is_superuser or request.user.role in roles):
        raise PermissionDenied


def _declaration(request, declaration_id):
    return selectors.declaration_get(user=request.user, pk=declaration_id)


def _shown(request, declaration_id):
    return (
        selectors.declaration_list(user=request.user)
        .prefetch_related("materials__material", "photos")
        .get(pk=declaration_id)
    )


def _product(code, *, active_only=True):
    found = selectors.product_type_list(active_only=active_only).filter(code=code).first()
    if found is None:
        raise ValidationError({"product": services.PRODUCT_UNKNOWN})
    return found


def _needs(needs):
    materials = {m.code: m for m in Material.objects.filter(code__in={n.material for n in needs})}
    for need in needs:
        if need.material not in materials:
            raise ValidationError({"materials": MATERIAL_UNKNOWN % {"code": need.material}})
    return [(materials[n.material], n.monthly_quantity) for n in needs]


def _renamed(error):
    """A service's refusal with its fields named as this API names them."""
    if not hasattr(error, "error_dict"):
        return error
    return ValidationError(
        {API_FIELDS.get(field, field): errors for field, errors in error.error_dict.items()}
    )


# Catalogue ------------------------------------------------------------------------------


@router.get("/product-types", response=list[ProductTypeOut])
def product_type_list(request):
    return selectors.product_type_list()


@router.get("/materials", response=list[MaterialOut])
def material_list(request):
    return selectors.material_list()


@router.get("/checklists", response=list[ChecklistOut])
@paginate(LimitOffsetPagination, max_limit=MAX_LIMIT)
def checklist_list(request, filters: Query[ChecklistFilters]):
    """Every version of every product's checklist, newest version first; `active` marks
    the version in use."""
    return selectors.checklist_list(product=filters.product)


@router.get("/checklists/{int:checklist_id}", response=ChecklistOut)
def checklist_detail(request, checklist_id: int):
    return selectors.checklist_get(pk=checklist_id)


@router.post("/checklists", response={201: ChecklistOut})
def checklist_revise(request, payload: ChecklistIn):
    """Central officers publish the next version of a product's checklist."""
    _acts(request, {Role.PUSAT})
    checklist = services.checklist_revise(
        user=request.user,
        product_type=_product(payload.product, active_only=False),
        standard=payload.standard,
        criteria=[(c.text, c.minimum, c.value_unit, c.required) for c in payload.criteria],
    )
    return Status(201, selectors.checklist_get(pk=checklist.pk))


# Declarations ---------------------------------------------------------------------------


@router.get("/declarations", response=list[DeclarationOut])
@paginate(LimitOffsetPagination, max_limit=MAX_LIMIT)
def declaration_list(request, filters: Query[DeclarationFilters]):
    return selectors.declaration_list(
        user=request.user,
        product=filters.product,
        status=filters.status,
        province=filters.province,
        query=filters.q,
    ).prefetch_related("materials__material", "photos")


@router.post("/declarations", response={201: DeclarationOut})
def declaration_create(request, payload: DeclarationIn):
    """A business outside the caller's reach is 404; one declaration per business and
    product (422 for the second)."""
    _acts(request, services.DECLARANTS)
    business = selectors.declarable_business_get(user=request.user, pk=payload.business_id)
    fields = payload.dict(exclude={"business_id", "product", "materials"})
    try:
        declaration = services.declaration_create(
            user=request.user,
            business=business,
            product_type=_product(payload.product),
            materials=_needs(payload.materials),
            **fields,
        )
    except ValidationError as error:
        raise _renamed(error) from error
    return Status(201, _shown(request, declaration.pk))


@router.get("/declarations/{int:declaration_id}", response=DeclarationOut)
def declaration_detail(request, declaration_id: int):
    _declaration(request, declaration_id)
    return _shown(request, declaration_id)


@router.patch("/declarations/{int:declaration_id}", response=DeclarationOut)
def declaration_update(request, declaration_id: int, payload: DeclarationPatch):
    """Everything while declared or needing improvement; of a curated declaration only
    the business figures; nothing while the curator has it (422 with the reason)."""
    declaration = _declaration(request, declaration_id)
    # null is "not sent": a cleared list of materials is `[]`, a cleared text "".
    fields = {k: v for k, v in payload.dict(exclude_unset=True).items() if v is not None}
    if "materials" in fields:
        fields["materials"] = _needs(payload.materials)
    services.declaration_update(user=request.user, declaration=declaration, **fields)
    return _shown(request, declaration_id)


@router.post("/declarations/{int:declaration_id}/photos", response={201: PhotoOut})
def photo_add(
    request,
    declaration_id: int,
    file: File[UploadedFile],
    caption: Form[str, P(max_length=200)] = "",
):
    """A JPEG, PNG or WebP photo of at most 5 MB; at most 6 per declaration."""
    declaration = _declaration(request, declaration_id)
    photo = services.declaration_photo_add(
        user=request.user, declaration=declaration, image=file, caption=caption
    )
    return Status(201, photo)


@router.get("/declarations/{int:declaration_id}/photos/{int:photo_id}")
def photo_file(request, declaration_id: int, photo_id: int):
    photo = selectors.photo_get(user=request.user, declaration_pk=declaration_id, pk=photo_id)
    return image_response(photo.image)


@router.post("/declarations/{int:declaration_id}/withdraw", response=DeclarationOut)
def declaration_withdraw(request, declaration_id: int):
    declaration = _declaration(request, declaration_id)
    services.declaration_withdraw(user=request.user, declaration=declaration)
    return _shown(request, declaration_id)


@router.post("/declarations/assign", response=AssignOut)
def declarations_assign(request, payload: AssignIn):
    """Central and province officers hand declarations of their area (any other is 404)
    to a curator organisation; they then await its check. One already curated, rejected
    or withdrawn refuses the whole request."""
    _acts(request, services.ASSIGNERS)
    declarations = selectors.declarations_named(user=request.user, ids=payload.ids)
    curator = Organisation.objects.filter(pk=payload.curator_id).first()
    try:
        assigned = services.declarations_assign(
            user=request.user, declarations=declarations, curator=curator
        )
    except ValidationError as error:
        raise _renamed(error) from error
    return {"assigned": assigned}


@router.post("/declarations/{int:declaration_id}/resubmit", response=DeclarationOut)
def declaration_resubmit(request, declaration_id: int, payload: ResubmitIn):
    """After "needs improvement": back to the same curator for a re-curation."""
    declaration = _declaration(request, declaration_id)
    services.declaration_resubmit(user=request.user, declaration=declaration, note=payload.note)
    return _shown(request, declaration_id)


@router.post("/declarations/{int:declaration_id}/reopen", response=DeclarationOut)
def declaration_reopen(request, declaration_id: int, payload: ReopenIn):
    """A withdrawn or rejected declaration back to "declared", without a curator: the
    business's one declaration of the product can be changed and assigned again."""
    declaration = _declaration(request, declaration_id)
    services.declaration_reopen(user=request.user, declaration=declaration, note=payload.note)
    return _shown(request, declaration_id)


# Curation -------------------------------------------------------------------------------


def _answers(results):
    """The service's `results` (criterion id → answer); a criterion answered twice is
    refused, not silently decided by the last answer."""
    answers = {}
    for result in results:
        if result.criterion_id in answers:
            raise ValidationError({"results": CRITERION_TWICE % {"id": result.criterion_id}})
        answers[result.criterion_id] = {
            "passed": result.passed,
            "value": result.value,
            "note": result.note,
        }
    return answers


@router.get("/declarations/{int:declaration_id}/curations", response=list[CurationOut])
def curation_list(request, declaration_id: int):
    """Every curation of the declaration, newest first, each with its results."""
    return selectors.curation_list(declaration=_declaration(request, declaration_id))


@router.post("/declarations/{int:declaration_id}/curations", response={201: CurationOut})
def curation_record(request, declaration_id: int, payload: CurationIn):
    """A curator of the assigned organisation records its check (see CurationIn)."""
    declaration = _declaration(request, declaration_id)
    checklist = None
    if payload.checklist_id is not None:
        checklist = Checklist.objects.filter(pk=payload.checklist_id).first()
        if checklist is None:
            raise ValidationError({"checklist_id": CHECKLIST_UNKNOWN})
    try:
        curation = services.curation_record(
            user=request.user,
            declaration=declaration,
            results=_answers(payload.results),
            outcome=payload.outcome,
            reasons=payload.reasons,
            checklist=checklist,
        )
    except ValidationError as error:
        raise _renamed(error) from error
    return Status(201, selectors.curation_list(declaration=declaration).get(pk=curation.pk))


@router.post(
    "/declarations/{int:declaration_id}/curations/{int:curation_id}/evidence",
    response={201: ResultOut},
)
def curation_evidence_add(
    request,
    declaration_id: int,
    curation_id: int,
    criterion_id: Form[int],
    file: File[UploadedFile],
):
    """A photo of evidence (JPEG, PNG or WebP, at most 5 MB) for the result of one
    criterion, replacing any earlier one: only by the curator organisation that recorded
    the curation (403 for another), and only for the declaration's latest curation."""
    curation = selectors.curation_get(
        user=request.user, declaration_pk=declaration_id, pk=curation_id
    )
    result = services.curation_evidence_add(
        user=request.user, curation=curation, criterion_id=criterion_id, image=file
    )
    return Status(201, result)


@router.get("/declarations/{int:declaration_id}/evidence/{int:result_id}")
def evidence_file(request, declaration_id: int, result_id: int):
    result = selectors.evidence_get(user=request.user, declaration_pk=declaration_id, pk=result_id)
    return image_response(result.evidence)
