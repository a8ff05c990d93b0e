"""Pages of pivot declarations (the curation form and the checklists are in
`views_curation`).

Officers (in their area), curators (the declarations assigned to their organisation) and
sellers (their own businesses') use the same declaration list and pages; a declaration
outside the user's scope is 404 on every page. Institutional buyers, PICs and civil
servants have no declaration page at all (404).
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from pulih.accounts.decorators import role_required
from pulih.accounts.models import Role
from pulih.core import formats
from pulih.registry.selectors import list_page
from pulih.wilayah.models import Province, Regency

from . import selectors, services
from .forms import (
    AssignForm,
    BusinessFiguresForm,
    DeclarationCreateForm,
    DeclarationFieldsForm,
    DeclarationFilterForm,
    PhotoForm,
    ReopenForm,
    ResubmitForm,
    material_formset,
    parsed_id,
)
from .models import OFFICERS, Declaration

DECLARATION_ROLES = (*OFFICERS, Role.KURATOR, Role.PENJUAL)
DECLARANTS = tuple(services.DECLARANTS)
ASSIGNERS = tuple(services.ASSIGNERS)
CONTENT_TYPES = {"jpg": "image/jpeg", "png": "image/png", "webp": "image/webp"}
DECLARATION_FIELDS = (
    "monthly_capacity",
    "lead_time_days",
    "unit_price",
    "workers",
    "equipment",
    "description",
)


def acts(user, roles):
    return user.is_superuser or user.role in roles


def refused(form, error, field=None):
    """A service's refusal shown on the form: beside its field when the form has one."""
    if hasattr(error, "error_dict"):
        for name, errors in error.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(field, error)


def said(request, error):
    for message in error.messages:
        messages.error(request, message)


def image_response(field):
    """An uploaded image, served only through a view that has checked the scope."""
    extension = field.name.rsplit(".", 1)[-1].lower()
    try:
        handle = field.open("rb")
    except OSError as exc:
        raise Http404 from exc
    response = FileResponse(
        handle, content_type=CONTENT_TYPES.get(extension, "application/octet-stream")
    )
    response["Cache-Control"] = "private, max-age=3600"
    response["Content-Security-Policy"] = "default-src 'none'"
    return response


def next_or(request, fallback):
    """Back where the form was (a filtered list), if that is this site's address."""
    target = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return redirect(target)
    return redirect(fallback)


def region_names(declarations):
    """{declaration pk: "Regency, Province"} of the declarations shown."""
    regencies = dict(
        Regency.objects.filter(code__in={d.regency_code for d in declarations}).values_list(
            "code", "name"
        )
    )
    provinces = dict(
        Province.objects.filter(code__in={d.province_code for d in declarations}).values_list(
            "code", "name"
        )
    )
    return {
        d.pk: ", ".join(
            filter(None, [regencies.get(d.regency_code), provinces.get(d.province_code)])
        )
        for d in declarations
    }


# Declarations ---------------------------------------------------------------------------


def status_links(request, counts):
    """ "All" and each status with its count, each keeping the other filters."""
    links = []
    for value, label in [("", _("All")), *Declaration.Status.choices]:
        query = request.GET.copy()
        query["status"] = value
        query.pop("page", None)
        links.append(
            {
                "status": value,
                "label": capfirst(label),
                "count": counts[value] if value else sum(counts.values()),
                "query": query.urlencode(),
                "active": request.GET.get("status", "") == value,
            }
        )
    return links


@role_required(*DECLARATION_ROLES)
def declaration_list(request):
    """The user's declarations with filters and counts by status; officers of the centre
    and provinces hand the ticked ones to a curator."""
    user = request.user
    filters = DeclarationFilterForm(request.GET or None, user=user)
    chosen = filters.filters()
    page = list_page(selectors.declaration_list(user=user, **chosen), request.GET.get("page"))
    counts = selectors.status_counts(
        selectors.declaration_list(user=user, **{**chosen, "status": ""})
    )
    names = region_names(page)
    for declaration in page:
        declaration.region = names[declaration.pk]
    context = {
        "filters": filters,
        "page": page,
        "status_links": status_links(request, counts),
        "total": sum(counts.values()),
        "may_declare": acts(user, DECLARANTS),
        "assign_form": AssignForm() if acts(user, ASSIGNERS) else None,
        "awaiting": Declaration.Status.IN_CURATION,
    }
    return render(request, "production/declaration_list.html", context)


def _business_choices(request, data):
    """The businesses offered on the declare form: a search's matches (an officer may
    reach thousands), with the one chosen or asked for (`?business=`) among them."""
    user = request.user
    shown = selectors.business_search(user=user, query=request.GET.get("q", ""))
    wanted = parsed_id(data.get("business") if data else request.GET.get("business"))
    if wanted is not None and all(b.pk != wanted for b in shown):
        found = selectors.declarable_businesses(user).filter(pk=wanted).first()
        if found is not None:
            shown.insert(0, found)
    return shown


@role_required(*DECLARANTS)
def declaration_create(request):
    """Declare a product for a business: a seller for its own, an officer for one of
    their area. A refused declaration or photo writes nothing."""
    user = request.user
    data = request.POST if request.method == "POST" else None
    shown = _business_choices(request, data)
    initial = {
        "business": parsed_id(request.GET.get("business"))
        or (shown[0].pk if len(shown) == 1 else None)
    }
    form = DeclarationCreateForm(
        data,
        request.FILES or None,
        businesses=selectors.declarable_businesses(user),
        shown=shown,
        initial=initial,
    )
    formset = material_formset(data)
    existing = None
    if data is not None and form.is_valid() and formset.is_valid():
        fields = {name: form.cleaned_data[name] for name in DECLARATION_FIELDS}
        try:
            with transaction.atomic():
                declaration = services.declaration_create(
                    user=user,
                    business=form.cleaned_data["business"],
                    product_type=form.cleaned_data["product_type"],
                    materials=formset.needs(),
                    **fields,
                )
                for image in form.cleaned_data["photos"]:
                    services.declaration_photo_add(user=user, declaration=declaration, image=image)
        except ValidationError as error:
            # The declaration a second one is refused for, to link to.
            existing = selectors.declaration_of(
                user=user,
                business=form.cleaned_data["business"],
                product_type=form.cleaned_data["product_type"],
            )
            refused(form, error, field="photos")
        else:
            messages.success(request, _("The declaration was saved."))
            return redirect("production:declaration_detail", pk=declaration.pk)
    context = {
        "form": form,
        "formset": formset,
        "searching": acts(user, OFFICERS),
        "query": request.GET.get("q", ""),
        "existing": existing,
    }
    return render(request, "production/declaration_form.html", context)


@role_required(*DECLARANTS)
def declaration_update(request, pk):
    """Change a declaration's figures, texts and materials while it is declared or needs
    improvement; of a curated one only the business figures."""
    declaration = selectors.declaration_get(user=request.user, pk=pk)
    status = declaration.status
    if status not in services.FIGURES_EDITABLE:
        refusal = services.WITH_CURATOR
        if status != Declaration.Status.IN_CURATION:
            refusal = services.NOT_EDITABLE
        messages.error(request, refusal)
        return redirect("production:declaration_detail", pk=pk)
    data = request.POST if request.method == "POST" else None
    initial = {name: getattr(declaration, name) for name in DECLARATION_FIELDS}
    if status in services.EDITABLE:
        form = DeclarationFieldsForm(data, initial=initial)
        formset = material_formset(data, declaration)
    else:
        form = BusinessFiguresForm(data, initial=initial)
        formset = None
    if data is not None and form.is_valid() and (formset is None or formset.is_valid()):
        changes = dict(form.cleaned_data)
        if formset is not None:
            changes["materials"] = formset.needs()
        try:
            services.declaration_update(user=request.user, declaration=declaration, **changes)
        except ValidationError as error:
            refused(form, error)
        else:
            messages.success(request, _("The declaration was saved."))
            return redirect("production:declaration_detail", pk=pk)
    context = {"form": form, "formset": formset, "declaration": declaration}
    return render(request, "production/declaration_form.html", context)


@role_required(*DECLARATION_ROLES)
def declaration_detail(request, pk):
    """A declaration: figures, materials, photos, licences, curation history, and the
    actions the user may take on it."""
    user = request.user
    context = selectors.declaration_detail(user=user, pk=pk)
    declaration = context["declaration"]
    status = declaration.status
    declarant = acts(user, DECLARANTS)
    context.update(
        {
            "region": region_names([declaration])[declaration.pk],
            "may_edit": declarant and status in services.FIGURES_EDITABLE,
            "may_change_photos": declarant and status in services.EDITABLE,
            "may_withdraw": declarant and status in services.WITHDRAWABLE,
            "may_resubmit": declarant and status == Declaration.Status.NEEDS_IMPROVEMENT,
            "may_reopen": declarant and status in services.REOPENABLE,
            "may_curate": user.role == Role.KURATOR
            and declaration.curator_id == user.organisation_id
            and status == Declaration.Status.IN_CURATION,
            "assign_form": AssignForm(initial={"curator": declaration.curator_id})
            if acts(user, ASSIGNERS) and status in services.ASSIGNABLE
            else None,
            "photo_form": PhotoForm(),
            "resubmit_form": ResubmitForm(),
            "reopen_form": ReopenForm(),
            "max_photos": services.MAX_PHOTOS,
        }
    )
    return render(request, "production/declaration_detail.html", context)


@require_POST
@role_required(*DECLARANTS)
def photo_add(request, pk):
    declaration = selectors.declaration_get(user=request.user, pk=pk)
    form = PhotoForm(request.POST, request.FILES)
    if not form.is_valid():
        for errors in form.errors.values():
            for message in errors:
                messages.error(request, message)
        return redirect("production:declaration_detail", pk=pk)
    try:
        services.declaration_photo_add(
            user=request.user, declaration=declaration, **form.cleaned_data
        )
    except ValidationError as error:
        said(request, error)
    else:
        messages.success(request, _("The photo was added."))
    return redirect("production:declaration_detail", pk=pk)


@require_POST
@role_required(*DECLARANTS)
def photo_remove(request, pk, photo_pk):
    photo = selectors.photo_get(user=request.user, declaration_pk=pk, pk=photo_pk)
    try:
        services.declaration_photo_remove(user=request.user, photo=photo)
    except ValidationError as error:
        said(request, error)
    else:
        messages.success(request, _("The photo was removed."))
    return redirect("production:declaration_detail", pk=pk)


@role_required(*DECLARATION_ROLES)
def photo_file(request, pk, photo_pk):
    photo = selectors.photo_get(user=request.user, declaration_pk=pk, pk=photo_pk)
    return image_response(photo.image)


@role_required(*DECLARATION_ROLES)
def evidence_file(request, pk, result_pk):
    result = selectors.evidence_get(user=request.user, declaration_pk=pk, pk=result_pk)
    return image_response(result.evidence)


@require_POST
@role_required(*DECLARANTS)
def declaration_withdraw(request, pk):
    declaration = selectors.declaration_get(user=request.user, pk=pk)
    try:
        services.declaration_withdraw(user=request.user, declaration=declaration)
    except ValidationError as error:
        said(request, error)
    else:
        messages.success(request, _("The declaration was withdrawn."))
    return redirect("production:declaration_detail", pk=pk)


@require_POST
@role_required(*DECLARANTS)
def declaration_resubmit(request, pk):
    """The business has improved what the curator asked: back to the same curator."""
    declaration = selectors.declaration_get(user=request.user, pk=pk)
    form = ResubmitForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(services.NOTE_TOO_LONG)
        services.declaration_resubmit(
            user=request.user, declaration=declaration, note=form.cleaned_data["note"]
        )
    except ValidationError as error:
        said(request, error)
    else:
        messages.success(request, _("The declaration was sent back to its curator."))
    return redirect("production:declaration_detail", pk=pk)


@require_POST
@role_required(*DECLARANTS)
def declaration_reopen(request, pk):
    """A withdrawn or rejected declaration declared again, to be changed and assigned."""
    declaration = selectors.declaration_get(user=request.user, pk=pk)
    form = ReopenForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(services.NOTE_TOO_LONG)
        services.declaration_reopen(
            user=request.user, declaration=declaration, note=form.cleaned_data["note"]
        )
    except ValidationError as error:
        said(request, error)
    else:
        messages.success(
            request,
            _("The declaration was reopened; it can be changed and assigned to a curator again."),
        )
    return redirect("production:declaration_detail", pk=pk)


@require_POST
@role_required(*ASSIGNERS)
def declarations_assign(request):
    """Hand the ticked declarations (all in the officer's area, or 404) to a curator."""
    form = AssignForm(request.POST)
    ids = form.declaration_ids()
    declarations = selectors.declarations_named(user=request.user, ids=ids)
    try:
        if not form.is_valid():
            raise ValidationError(services.NOT_A_CURATOR)
        count = services.declarations_assign(
            user=request.user, declarations=declarations, curator=form.cleaned_data["curator"]
        )
    except ValidationError as error:
        said(request, error)
    else:
        text = ngettext(
            "%(count)s declaration was assigned to %(curator)s.",
            "%(count)s declarations were assigned to %(curator)s.",
            count,
        )
        curator = form.cleaned_data["curator"]
        messages.success(request, text % {"count": formats.number(count), "curator": curator})
    return next_or(request, "production:declaration_list")
