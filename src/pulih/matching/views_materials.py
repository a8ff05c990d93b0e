"""Pages of raw-material business matching: the matches an officer works through, the
curated producers whose material needs can be matched, and the proposals.

Officers work on the matches of their area's producers; a seller reads its own
business's matches; to other roles the pages do not exist (404).
"""

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from pulih.accounts.decorators import role_required
from pulih.accounts.models import Role
from pulih.core import formats
from pulih.production.models import OFFICERS, Declaration, Material
from pulih.production.views_licences import ALL, choices
from pulih.registry.selectors import list_page
from pulih.wilayah.selectors import province_list

from . import materials
from .models import MaterialMatch

MATCH_ROLES = (*OFFICERS, Role.PENJUAL)


class MatchFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=gettext_lazy("Status"),
        required=False,
        choices=[("", ALL), *choices(MaterialMatch.Status)],
    )
    material = forms.ModelChoiceField(
        label=gettext_lazy("Material"),
        required=False,
        queryset=Material.objects.all(),
        empty_label=ALL,
    )
    province = forms.ChoiceField(label=gettext_lazy("Province"), required=False)
    declaration = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["province"].choices = [
            ("", ALL),
            *((p.code, p.name) for p in province_list()),
        ]

    def filters(self):
        if not self.is_valid():
            return {}
        return {k: v for k, v in self.cleaned_data.items() if v}


class MatchUpdateForm(forms.Form):
    status = forms.ChoiceField(label=gettext_lazy("Status"), choices=choices(MaterialMatch.Status))
    note = forms.CharField(label=gettext_lazy("Note"), max_length=500, required=False)


def is_officer(user):
    return user.is_superuser or user.role in OFFICERS


def back_to(request, fallback):
    """Where the form came from (a filtered list), when it is a page of this site."""
    target = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return fallback


@role_required(*MATCH_ROLES)
def material_match_list(request):
    """The matches of the user's area (a seller's own), filtered; officers move each
    forward with a note."""
    form = MatchFilterForm(request.GET or None)
    page = list_page(
        materials.material_match_list(user=request.user, **form.filters()),
        request.GET.get("page"),
    )
    context = {
        "form": form,
        "page": page,
        "may_update": is_officer(request.user),
        "statuses": choices(MaterialMatch.Status),
    }
    return render(request, "matching/material_match_list.html", context)


@require_POST
@role_required(*OFFICERS)
def material_match_update(request, pk):
    match = materials.material_match_get(user=request.user, pk=pk)
    form = MatchUpdateForm(request.POST)
    fallback = reverse("matching:material_match_list")
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect(back_to(request, fallback))
    try:
        materials.material_match_update(user=request.user, match=match, **form.cleaned_data)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(
            request,
            _("%(producer)s and %(supplier)s: %(status)s.")
            % {
                "producer": match.declaration.business.name,
                "supplier": match.supplier.name,
                "status": MaterialMatch.Status(form.cleaned_data["status"]).label,
            },
        )
    return redirect(back_to(request, fallback))


@role_required(*OFFICERS)
def material_declaration_list(request):
    """Curated producers of the officer's area that named materials they need, with
    their matches so far: the place to propose suppliers."""
    page = list_page(
        materials.match_declarations(user=request.user).prefetch_related("materials__material"),
        request.GET.get("page"),
    )
    return render(request, "matching/material_declaration_list.html", {"page": page})


@require_POST
@role_required(*OFFICERS)
def material_matches_propose(request, pk):
    declaration = Declaration.objects.get_visible_or_404(request.user, pk=pk)
    try:
        matches = materials.material_matches_propose(user=request.user, declaration=declaration)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return redirect("matching:material_declaration_list")
    proposed = sum(1 for match in matches if match.status == MaterialMatch.Status.PROPOSED)
    messages.success(
        request,
        _("Suppliers proposed for %(producer)s: %(count)s.")
        % {"count": formats.number(proposed), "producer": declaration.business.name},
    )
    return redirect(f"{reverse('matching:material_match_list')}?declaration={declaration.pk}")


@require_POST
@role_required(*OFFICERS)
def material_matches_propose_all(request):
    result = materials.material_matches_propose_all(user=request.user)
    messages.success(
        request,
        _("Suppliers proposed: %(proposed)s, for %(declarations)s producers.")
        % {key: formats.number(value) for key, value in result.items()},
    )
    return redirect("matching:material_match_list")
