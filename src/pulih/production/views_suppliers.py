"""Pages of raw-material suppliers: the national list every officer reads, and the forms
central officers keep it with (a supplier, its materials and capacities, and the
industry ministry's verification). To other roles the pages do not exist (404).
"""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from pulih.accounts.decorators import role_required
from pulih.accounts.models import Role
from pulih.registry.selectors import list_page
from pulih.wilayah.forms import RegionFieldsMixin
from pulih.wilayah.selectors import province_list

from . import suppliers
from .models import OFFICERS, Material, Supplier
from .views_licences import ALL, DATE_INPUT, choices, form_errors

CENTRAL = (Role.PUSAT,)


class SupplierFilterForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("Name"), required=False, max_length=200)
    material = forms.ModelChoiceField(
        label=gettext_lazy("Material"),
        required=False,
        queryset=Material.objects.all(),
        empty_label=ALL,
    )
    status = forms.ChoiceField(
        label=gettext_lazy("Verification"),
        required=False,
        choices=[("", ALL), *choices(Supplier.Status)],
    )
    province = forms.ChoiceField(label=gettext_lazy("Province"), required=False)

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


class SupplierForm(RegionFieldsMixin, forms.Form):
    """A supplier and, for each material of the catalogue, its capacity per month
    (left empty: not supplied)."""

    region_required = "regency"

    name = forms.CharField(label=gettext_lazy("Name"), max_length=200)
    address = forms.CharField(label=gettext_lazy("Address"), max_length=300, required=False)
    latitude = forms.DecimalField(
        label=gettext_lazy("Latitude"), required=False, max_digits=9, decimal_places=6
    )
    longitude = forms.DecimalField(
        label=gettext_lazy("Longitude"), required=False, max_digits=9, decimal_places=6
    )
    contact_name = forms.CharField(
        label=gettext_lazy("Contact person"), max_length=200, required=False
    )
    contact_phone = forms.CharField(
        label=gettext_lazy("Contact phone"), max_length=32, required=False
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.materials = list(Material.objects.all())
        for material in self.materials:
            self.fields[f"capacity_{material.pk}"] = forms.IntegerField(
                label=material.name, required=False, help_text=material.unit
            )

    def capacity_fields(self):
        return [self[f"capacity_{material.pk}"] for material in self.materials]

    def supplier_fields(self):
        """The arguments of `suppliers.supplier_create` / `supplier_update`."""
        data = self.cleaned_data
        return {
            "name": data["name"],
            "region_code": data["region_code"],
            "address": data["address"],
            "latitude": data["latitude"],
            "longitude": data["longitude"],
            "contact_name": data["contact_name"],
            "contact_phone": data["contact_phone"],
            "materials": [
                (material, data[f"capacity_{material.pk}"])
                for material in self.materials
                if data[f"capacity_{material.pk}"] is not None
            ],
        }

    @classmethod
    def initial_of(cls, supplier):
        initial = {
            "name": supplier.name,
            "address": supplier.address,
            "latitude": supplier.latitude,
            "longitude": supplier.longitude,
            "contact_name": supplier.contact_name,
            "contact_phone": supplier.contact_phone,
            "province": supplier.province_code,
            "regency": supplier.regency_code,
            "district": supplier.district_code,
            "village": supplier.village_code,
        }
        for offer in supplier.materials.all():
            initial[f"capacity_{offer.material_id}"] = offer.monthly_capacity
        return initial


class VerifyForm(forms.Form):
    verified = forms.TypedChoiceField(
        label=gettext_lazy("Result"),
        choices=[("1", gettext_lazy("Verified")), ("0", gettext_lazy("Not verified"))],
        coerce=lambda value: value == "1",
    )
    verified_by = forms.CharField(
        label=gettext_lazy("Verified by"),
        max_length=200,
        help_text=gettext_lazy("E.g. Ditjen IKMA, Kemenperin."),
    )
    verified_on = forms.DateField(
        label=gettext_lazy("Verified on"), required=False, widget=DATE_INPUT
    )


def is_central(user):
    return user.is_superuser or user.role in CENTRAL


@role_required(*OFFICERS)
def supplier_list(request):
    """Every supplier, filtered by name, material, verification and province."""
    form = SupplierFilterForm(request.GET or None)
    page = list_page(
        suppliers.supplier_list(user=request.user, **form.filters()), request.GET.get("page")
    )
    context = {"form": form, "page": page, "may_edit": is_central(request.user)}
    return render(request, "production/supplier_list.html", context)


@role_required(*CENTRAL)
def supplier_create(request):
    form = SupplierForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            supplier = suppliers.supplier_create(user=request.user, **form.supplier_fields())
        except (ValidationError, PermissionDenied) as error:
            form_errors(form, error)
        else:
            messages.success(request, _("The supplier was recorded; it awaits verification."))
            return redirect("production:supplier_detail", pk=supplier.pk)
    return render(request, "production/supplier_form.html", {"form": form, "supplier": None})


@role_required(*OFFICERS)
def supplier_detail(request, pk):
    supplier = suppliers.supplier_get(user=request.user, pk=pk)
    context = {
        "supplier": supplier,
        "may_edit": is_central(request.user),
        "verify_form": VerifyForm(initial={"verified": "1"}),
    }
    return render(request, "production/supplier_detail.html", context)


@role_required(*CENTRAL)
def supplier_edit(request, pk):
    supplier = suppliers.supplier_get(user=request.user, pk=pk)
    form = SupplierForm(request.POST or None, initial=SupplierForm.initial_of(supplier))
    if request.method == "POST" and form.is_valid():
        try:
            suppliers.supplier_update(
                user=request.user, supplier=supplier, **form.supplier_fields()
            )
        except (ValidationError, PermissionDenied) as error:
            form_errors(form, error)
        else:
            messages.success(request, _("The supplier was updated."))
            return redirect("production:supplier_detail", pk=supplier.pk)
    return render(request, "production/supplier_form.html", {"form": form, "supplier": supplier})


@require_POST
@role_required(*CENTRAL)
def supplier_verify(request, pk):
    """Record the industry ministry's verification of a supplier."""
    supplier = suppliers.supplier_get(user=request.user, pk=pk)
    form = VerifyForm(request.POST)
    if form.is_valid():
        try:
            suppliers.supplier_verify(user=request.user, supplier=supplier, **form.cleaned_data)
        except ValidationError as error:
            form_errors(form, error)
        else:
            messages.success(request, _("The verification was recorded."))
            return redirect("production:supplier_detail", pk=supplier.pk)
    context = {"supplier": supplier, "may_edit": True, "verify_form": form}
    return render(request, "production/supplier_detail.html", context)
