"""Reads of pivot declarations, their curation and the catalogue; declarations always
through the user's scope (`Declaration.scope_q`): officers their area's, a curator those
assigned to its organisation, a seller its own businesses', anyone else none."""

from django.db.models import Case, Count, IntegerField, Prefetch, Q, Value, When
from django.http import Http404
from django.shortcuts import get_object_or_404

from pulih.accounts.models import Organisation, Role
from pulih.registry.models import Business

from .models import (
    OFFICERS,
    Checklist,
    Curation,
    CurationResult,
    Declaration,
    Licence,
    Material,
    ProductType,
)

# A query of this many digits or more is a NIB, looked up exactly.
NIB_QUERY_DIGITS = 10
BUSINESS_CHOICES = 20


def declarable_businesses(user):
    """The businesses the user may declare for: a seller those its organisation acts
    for, an officer those of their area."""
    if user.is_superuser or user.role in OFFICERS:
        return Business.objects.visible_to(user)
    if user.role == Role.PENJUAL and user.organisation_id:
        return Business.objects.filter(organisation_id=user.organisation_id)
    return Business.objects.none()


def _searched(records, query, prefix=""):
    query = (query or "").strip()
    if query.isdecimal() and len(query) >= NIB_QUERY_DIGITS:
        return records.filter(**{f"{prefix}nib": query})
    if query:
        return records.filter(**{f"{prefix}name__icontains": query})
    return records


def business_search(*, user, query=""):
    """The first BUSINESS_CHOICES businesses the user may declare for whose name holds
    `query` (or whose NIB it is)."""
    businesses = declarable_businesses(user).order_by("name", "pk")
    return list(_searched(businesses, query)[:BUSINESS_CHOICES])


def declarable_business_get(*, user, pk):
    try:
        return declarable_businesses(user).get(pk=pk)
    except (Business.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


def declaration_list(*, user, product="", status="", province="", query=""):
    """The user's declarations, newest first; a curator's queue puts those awaiting its
    check first."""
    declarations = Declaration.objects.visible_to(user).select_related(
        "business", "product_type", "curator"
    )
    if product:
        declarations = declarations.filter(product_type__code=product)
    if status:
        declarations = declarations.filter(status=status)
    if province:
        declarations = declarations.filter(province_code=province)
    declarations = _searched(declarations, query, prefix="business__")
    if user.role == Role.KURATOR:
        return curator_queue(declarations)
    return declarations.order_by("-declared_at", "-pk")


def curator_queue(declarations):
    """Declarations awaiting curation first, the oldest of them first; then the rest,
    most recently changed first."""
    awaiting = Case(
        When(status=Declaration.Status.IN_CURATION, then=Value(0)),
        default=Value(1),
        output_field=IntegerField(),
    )
    return declarations.annotate(awaiting=awaiting).order_by("awaiting", "updated_at", "pk")


def status_counts(declarations):
    """{status: number} of the declarations, every status present (0 when none)."""
    counts = dict(
        declarations.order_by().values("status").annotate(n=Count("pk")).values_list("status", "n")
    )
    return {status: counts.get(status, 0) for status in Declaration.Status.values}


def declaration_get(*, user, pk):
    return Declaration.objects.select_related(
        "business", "product_type", "curator", "declared_by"
    ).get_visible_or_404(user, pk=pk)


def declaration_of(*, user, business, product_type):
    """The business's declaration of the product, if the user sees it: the one a second
    declaration is refused for."""
    return (
        Declaration.objects.visible_to(user)
        .filter(business=business, product_type=product_type)
        .first()
    )


def curation_get(*, user, declaration_pk, pk):
    """A curation of a declaration the user sees."""
    declaration = declaration_get(user=user, pk=declaration_pk)
    return get_object_or_404(
        Curation.objects.select_related("declaration"), declaration=declaration, pk=pk
    )


def declarations_named(*, user, ids):
    """The declarations named, every one of them in the user's scope, or 404."""
    found = list(Declaration.objects.visible_to(user).filter(pk__in=ids).order_by("pk"))
    if len(found) != len(set(ids)):
        raise Http404
    return found


def curation_list(*, declaration):
    """The declaration's curations, newest first, each with its results and checklist."""
    results = CurationResult.objects.select_related("criterion")
    return (
        Curation.objects.filter(declaration=declaration)
        .select_related("checklist", "curator", "curated_by")
        .prefetch_related(Prefetch("results", queryset=results))
        .order_by("-started_at", "-pk")
    )


def resubmissions(*, declaration):
    """When and by whom a declaration went back to curation after improvement, or was
    reopened, with the note given, newest first."""
    return [
        {"at": r.submitted_at, "by": r.submitted_by, "note": r.note, "reopened": r.reopened}
        for r in declaration.resubmissions.select_related("submitted_by")
    ]


def declaration_detail(*, user, pk):
    """A declaration with what its page shows: materials, photos, the business's
    licences the user may see, the curation history and the resubmissions."""
    declaration = declaration_get(user=user, pk=pk)
    return {
        "declaration": declaration,
        "materials": declaration.materials.select_related("material"),
        "photos": list(declaration.photos.all()),
        "licences": Licence.objects.visible_to(user)
        .filter(business_id=declaration.business_id)
        .filter(Q(product_type__isnull=True) | Q(product_type_id=declaration.product_type_id)),
        "curations": list(curation_list(declaration=declaration)),
        "resubmissions": resubmissions(declaration=declaration),
    }


def photo_get(*, user, declaration_pk, pk):
    declaration = declaration_get(user=user, pk=declaration_pk)
    return get_object_or_404(declaration.photos, pk=pk)


def evidence_get(*, user, declaration_pk, pk):
    """A curation result with evidence, of a declaration the user sees."""
    declaration = declaration_get(user=user, pk=declaration_pk)
    return get_object_or_404(
        CurationResult.objects.exclude(evidence=""), curation__declaration=declaration, pk=pk
    )


def curator_choices():
    return Organisation.objects.filter(kind=Organisation.Kind.CURATOR).order_by("name")


def product_type_list(*, active_only=False):
    product_types = ProductType.objects.all()
    return product_types.filter(active=True) if active_only else product_types


def material_list():
    return Material.objects.all()


def checklist_list(*, product=""):
    """Every version of every checklist, product by product, newest version first."""
    checklists = Checklist.objects.select_related("product_type").prefetch_related("criteria")
    if product:
        checklists = checklists.filter(product_type__code=product)
    return checklists.order_by("product_type__order", "product_type__name", "-version")


def checklist_get(*, pk):
    return get_object_or_404(
        Checklist.objects.select_related("product_type").prefetch_related("criteria"), pk=pk
    )


def product_types_with_checklists():
    """The catalogue's product types, each with its checklist versions (newest first)."""
    versions = Checklist.objects.annotate(criteria_count=Count("criteria")).order_by("-version")
    return ProductType.objects.prefetch_related(Prefetch("checklists", queryset=versions))
