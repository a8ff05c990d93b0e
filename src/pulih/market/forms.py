"""Forms of the product and wave pages. They only read the input; the services decide what
is valid, so the pages and the API refuse the same things with the same messages."""

import re

from django import forms
from django.utils.translation import gettext_lazy as _

from pulih.accounts.models import Organisation, Role, User
from pulih.wilayah.models import Province

from . import products, waves
from .models import Category, Unit

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
# Pack sizes are separated by spaces or semicolons; a comma is a decimal comma ("0,25").
SIZE_SEPARATORS = re.compile(r"[;\s]+")


def refusal_to(form, error):
    """A service's refusal onto the form: per field where the form has it, else on top."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


class ProductForm(forms.Form):
    """A product; the fields are `products.product_create`'s arguments. Only officers
    choose the seller: a seller's products are its own organisation's."""

    seller = forms.ModelChoiceField(label=_("Seller"), queryset=Organisation.objects.none())
    name = forms.CharField(label=_("Name"), max_length=200)
    category = forms.ChoiceField(label=_("Category"), choices=Category.choices)
    unit = forms.ChoiceField(label=_("Unit"), choices=Unit.choices)
    price_per_unit = forms.IntegerField(
        label=_("Price per unit (Rp)"), help_text=_("Whole Rupiah, without dots: 11000.")
    )
    pack_sizes = forms.CharField(
        label=_("Pack sizes"),
        help_text=_("In the unit, separated by spaces: 5 10 20, or 0,25 0,5 1."),
    )
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    whatsapp = forms.CharField(
        label=_("WhatsApp"), required=False, max_length=30, help_text=_("e.g. 0812 3456 7890")
    )
    marketplace_links = forms.CharField(
        label=_("Marketplace links"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("One web address per line (Tokopedia, Shopee, Bukalapak, …)."),
    )
    region_code = forms.CharField(
        label=_("Region code"),
        required=False,
        max_length=13,
        help_text=_("Leave empty for the seller's own region."),
    )
    public = forms.BooleanField(label=_("Show in the public gallery"), required=False, initial=True)
    photo = forms.FileField(
        label=_("Photo"), required=False, help_text=_("JPEG, PNG or WebP, at most 5 MB.")
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        if user.role == Role.PENJUAL and not user.is_superuser:
            del self.fields["seller"]
        else:
            self.fields["seller"].queryset = products.seller_choices(user=user)

    def clean_pack_sizes(self):
        return [size for size in SIZE_SEPARATORS.split(self.cleaned_data["pack_sizes"]) if size]

    def clean_marketplace_links(self):
        lines = self.cleaned_data["marketplace_links"].splitlines()
        return [line.strip() for line in lines if line.strip()]


class ProductUpdateForm(ProductForm):
    active = forms.BooleanField(label=_("Active"), required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        self.fields.pop("seller", None)

    @staticmethod
    def initial_of(product):
        return {
            "name": product.name,
            "category": product.category,
            "unit": product.unit,
            "price_per_unit": product.price_per_unit,
            "pack_sizes": " ".join(
                f"{pack.size_milli / products.MILLI:g}" for pack in product.active_packs
            ),
            "description": product.description,
            "whatsapp": product.whatsapp,
            "marketplace_links": "\n".join(product.marketplace_links),
            "region_code": product.village_code
            or product.district_code
            or product.regency_code
            or product.province_code,
            "public": product.public,
            "active": product.active,
            "photo": product.photo,
        }


def organiser_choices():
    return Organisation.objects.filter(kind__in=waves.ORGANISER_KINDS)


class WaveForm(forms.Form):
    """A wave; the fields are `waves.wave_create`'s arguments. Only central officers
    choose the province: a province officer's waves are its province's."""

    title = forms.CharField(label=_("Title"), max_length=200)
    organiser = forms.ModelChoiceField(label=_("Organiser"), queryset=organiser_choices())
    province_code = forms.ChoiceField(
        label=_("Province"), required=False, help_text=_("Empty for a national wave.")
    )
    opens_at = forms.DateTimeField(label=_("Orders open"), widget=DATETIME)
    closes_at = forms.DateTimeField(label=_("Orders close"), widget=DATETIME)
    distribution_on = forms.DateField(label=_("Distribution day"), widget=DATE)
    for_civil_servants = forms.BooleanField(
        label=_("Civil servants (NIP)"), required=False, initial=True
    )
    for_state_enterprise_staff = forms.BooleanField(
        label=_("Employees of state-owned companies"), required=False
    )
    for_public = forms.BooleanField(label=_("The public"), required=False)
    institutions = forms.ModelMultipleChoiceField(
        label=_("Institutions"),
        queryset=Organisation.objects.filter(
            kind__in=[*waves.ORGANISER_KINDS, Organisation.Kind.BUYER]
        ),
        required=False,
        help_text=_("Whose staff may buy; none chosen = any institution."),
    )
    max_packs_per_order = forms.IntegerField(label=_("Most packs in one order"), initial=20)

    def __init__(self, *args, user, editing=False, **kwargs):
        super().__init__(*args, **kwargs)
        if editing or not (user.is_superuser or user.role == Role.PUSAT):
            del self.fields["province_code"]
        else:
            provinces = [(p.code, f"{p.code} {p.name}") for p in Province.objects.all()]
            self.fields["province_code"].choices = [("", _("National")), *provinces]

    @staticmethod
    def initial_of(wave):
        return {
            **{field: getattr(wave, field) for field in waves.WAVE_FIELDS - {"institutions"}},
            "institutions": list(wave.institutions.all()),
        }


class OfferForm(forms.Form):
    product = forms.ModelChoiceField(label=_("Product"), queryset=None)
    stock = forms.DecimalField(
        label=_("Stock"),
        help_text=_("In the product's unit, e.g. 3000 (kg). An offered product's stock is set."),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["product"].queryset = waves.offerable_products(user=user)


def pic_choices():
    return User.objects.filter(role=Role.PIC, is_active=True).order_by("first_name", "username")


class DropOffForm(forms.Form):
    cluster = forms.CharField(label=_("Cluster"), max_length=200)
    address = forms.CharField(label=_("Address"), max_length=300)
    region_code = forms.CharField(label=_("Region code"), required=False, max_length=13)
    pic = forms.ModelChoiceField(label=_("PIC"), queryset=pic_choices())
    capacity = forms.IntegerField(
        label=_("Capacity (orders)"), required=False, help_text=_("Empty for no limit.")
    )

    @staticmethod
    def initial_of(drop_off):
        return {field: getattr(drop_off, field) for field in waves.DROP_OFF_FIELDS}
