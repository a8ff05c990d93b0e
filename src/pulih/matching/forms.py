"""Forms of demand pages. They only read the input; `services` decides what is valid, so
the page and the API refuse the same things with the same messages."""

from django import forms
from django.utils.translation import gettext_lazy as _

from pulih.accounts.models import Organisation, Role
from pulih.production.models import ProductType

from .models import PurchaseOrder
from .services import ORDERING_KINDS

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
LICENCE_CHOICES = [
    ("", _("As the product requires")),
    ("yes", _("Yes: only producers with a granted licence")),
    ("no", _("No")),
]


class DemandForm(forms.Form):
    """A new demand; the fields are `services.demand_create`'s arguments. Only central
    officers choose the buyer: a buyer's demand is its own organisation's."""

    buyer = forms.ModelChoiceField(label=_("Buyer"), queryset=Organisation.objects.none())
    product_type = forms.ModelChoiceField(
        label=_("Product"), queryset=ProductType.objects.filter(active=True)
    )
    title = forms.CharField(label=_("Title"), max_length=200)
    specification = forms.CharField(
        label=_("Specification"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    quantity = forms.IntegerField(label=_("Quantity"))
    unit_price = forms.IntegerField(
        label=_("Price per unit (Rp)"), help_text=_("Whole Rupiah, without dots: 3000.")
    )
    deadline = forms.DateField(label=_("Deadline"), widget=DATE)
    transport_rate = forms.DecimalField(
        label=_("Transport cost (Rp per unit per km)"),
        required=False,
        initial=0,
        decimal_places=4,
        help_text=_("Weighs distance against price in the allocation; 0 ignores distance."),
    )
    requires_licence = forms.ChoiceField(
        label=_("Requires a granted licence"), choices=LICENCE_CHOICES, required=False
    )
    max_share_percent = forms.IntegerField(
        label=_("Largest share of one producer (%)"), required=False
    )
    min_lot = forms.IntegerField(label=_("Smallest order per producer"), required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        if user.is_superuser or user.role == Role.PUSAT:
            self.fields["buyer"].queryset = Organisation.objects.filter(kind__in=ORDERING_KINDS)
        else:
            del self.fields["buyer"]

    def clean_requires_licence(self):
        return {"yes": True, "no": False}.get(self.cleaned_data["requires_licence"])

    def clean_transport_rate(self):
        rate = self.cleaned_data["transport_rate"]
        return 0 if rate is None else rate


class PointForm(forms.Form):
    name = forms.CharField(label=_("Delivery point"), max_length=200)
    region_code = forms.CharField(
        label=_("Region code"),
        max_length=13,
        help_text=_("Kemendagri code of the province, regency, district or village."),
    )
    address = forms.CharField(label=_("Address"), max_length=300, required=False)
    quantity = forms.IntegerField(label=_("Quantity"))
    latitude = forms.DecimalField(label=_("Latitude"), required=False, decimal_places=6)
    longitude = forms.DecimalField(label=_("Longitude"), required=False, decimal_places=6)


class BasePointFormSet(forms.BaseFormSet):
    def initial_form_count(self):
        # Every row is optional, typed or pre-filled alike: a blank row is skipped.
        return 0


def point_formset(rows):
    """The formset of delivery points with `rows` rows."""
    return forms.formset_factory(PointForm, formset=BasePointFormSet, extra=rows)


class RunForm(forms.Form):
    """The fairness options of a run; empty keeps the demand's own."""

    max_share_percent = forms.IntegerField(
        label=_("Largest share of one producer (%)"), required=False
    )
    min_lot = forms.IntegerField(label=_("Smallest order per producer"), required=False)


class DeliveryForm(forms.Form):
    point = forms.ModelChoiceField(label=_("Delivery point"), queryset=None)
    delivered_on = forms.DateField(label=_("Delivered on"), widget=DATE)
    accepted = forms.IntegerField(label=_("Passed QC"), initial=0)
    rejected = forms.IntegerField(label=_("Rejected at QC"), initial=0)
    qc_note = forms.CharField(
        label=_("QC note"),
        max_length=500,
        required=False,
        help_text=_("Required when units are rejected: what was wrong."),
    )

    def __init__(self, *args, order, **kwargs):
        super().__init__(*args, **kwargs)
        points = order.demand.points.filter(pk__in=order.lines.values("point_id"))
        self.fields["point"].queryset = points


class CancelForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=500)


class PaymentForm(forms.Form):
    payment_status = forms.ChoiceField(
        label=_("Payment"),
        choices=[
            (PurchaseOrder.Payment.INVOICED, _("Invoiced")),
            (PurchaseOrder.Payment.PAID, _("Paid")),
        ],
    )
    paid_amount = forms.IntegerField(
        label=_("Amount paid (Rp)"),
        required=False,
        help_text=_("Empty: the units accepted times the unit price."),
    )
    paid_on = forms.DateField(label=_("Paid on"), required=False, widget=DATE)
