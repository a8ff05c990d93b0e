"""Pages of the curation of a declaration, and of the curation checklists.

A curator records the check of a declaration assigned to its organisation; a declaration
outside the user's scope is 404. Checklists are the published standards: every signed-in
user reads them; central officers publish new versions.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from pulih.accounts.decorators import role_required
from pulih.accounts.models import Role

from . import selectors, services
from .forms import ChecklistForm, CurationForm, criterion_formset, parsed_id
from .models import Curation, Declaration, ProductType
from .views import acts, refused


@role_required(Role.KURATOR)
def curation_create(request, pk):
    """The checklist of the declaration's product, criterion by criterion, and the
    outcome; only while the declaration awaits this curator's check. A form drawn from a
    version revised meanwhile is not recorded: the curator answers the new version's
    questions."""
    declaration = selectors.declaration_get(user=request.user, pk=pk)
    checklist = services.checklist_current(declaration.product_type_id)
    if declaration.status != Declaration.Status.IN_CURATION or checklist is None:
        messages.error(request, services.NOT_AWAITING if checklist else services.NO_CHECKLIST)
        return redirect("production:declaration_detail", pk=pk)
    data = request.POST if request.method == "POST" else None
    drawn_from = parsed_id(request.POST.get("checklist")) if data is not None else None
    if drawn_from is not None and drawn_from != checklist.pk:
        messages.error(request, services.CHECKLIST_REVISED % {"version": checklist.version})
        return redirect("production:curation_create", pk=pk)
    form = CurationForm(data, request.FILES or None, checklist=checklist)
    if data is not None and form.is_valid():
        try:
            curation = services.curation_record(
                user=request.user,
                declaration=declaration,
                results=form.results(),
                outcome=form.cleaned_data["outcome"] or None,
                reasons=form.cleaned_data["reasons"],
                checklist=checklist,
            )
        except ValidationError as error:
            refused(form, error)
        except PermissionDenied as exc:
            raise Http404 from exc
        else:
            messages.success(
                request,
                _("The curation was recorded: %(outcome)s.")
                % {"outcome": curation.get_outcome_display()},
            )
            return redirect("production:declaration_detail", pk=pk)
    history = selectors.curation_list(declaration=declaration)
    context = {
        "declaration": declaration,
        "checklist": checklist,
        "form": form,
        "previous": history.first(),
        "outcomes": Curation.Outcome,
    }
    return render(request, "production/curation_form.html", context)


# Checklists -----------------------------------------------------------------------------


@login_required
def checklist_list(request):
    context = {
        "product_types": selectors.product_types_with_checklists(),
        "may_revise": acts(request.user, {Role.PUSAT}),
    }
    return render(request, "production/checklist_list.html", context)


@login_required
def checklist_detail(request, pk):
    checklist = selectors.checklist_get(pk=pk)
    context = {
        "checklist": checklist,
        "curations": Curation.objects.filter(checklist=checklist).count(),
        "may_revise": acts(request.user, {Role.PUSAT}),
    }
    return render(request, "production/checklist_detail.html", context)


@role_required(Role.PUSAT)
def checklist_create(request, product):
    """The next version of a product type's checklist, drafted from the current one."""
    product_type = get_object_or_404(ProductType, code=product)
    current = services.checklist_current(product_type)
    data = request.POST if request.method == "POST" else None
    form = ChecklistForm(data, initial={"standard": current.standard if current else ""})
    formset = criterion_formset(data, current)
    if data is not None and form.is_valid() and formset.is_valid():
        try:
            checklist = services.checklist_revise(
                user=request.user,
                product_type=product_type,
                standard=form.cleaned_data["standard"],
                criteria=formset.criteria(),
            )
        except ValidationError as error:
            refused(form, error)
        else:
            messages.success(
                request,
                _("Version %(version)s of the checklist was published.")
                % {"version": checklist.version},
            )
            return redirect("production:checklist_detail", pk=checklist.pk)
    context = {"product_type": product_type, "current": current, "form": form, "formset": formset}
    return render(request, "production/checklist_form.html", context)
