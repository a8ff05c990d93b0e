"""The buyer's pages: the waves open to me, a wave's order form, my orders, an order's
confirmation with its QR code, and changing or cancelling it until the wave closes.

Who: civil servants (role ASN) and superusers order in waves for civil servants; anyone
signed in orders in a wave for the public, and employees of a state-owned company in a
wave for them (see `ordering`). A wave that is not for the user and an order that is not
theirs are 404, so a PIC or a seller finds no buyer page of a wave not for the public.
The order form carries an idempotency key drawn with the form: a double click or a
resubmitted page returns the first order.
"""

import secrets

import segno
from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from . import ordering
from .models import Order

PACK_FIELD = "pack_"


class OrderForm(forms.Form):
    """Packs, drop-off point and fulfilment; with `user` and `wave`, also who buys (for a new
    order). It only reads the input: `ordering` decides what is valid, so the page and
    the API refuse the same things with the same messages."""

    drop_off = forms.IntegerField(label=gettext_lazy("Drop-off point"), widget=forms.RadioSelect)
    fulfilment = forms.ChoiceField(
        label=gettext_lazy("Fulfilment"), choices=Order.Fulfilment.choices, widget=forms.RadioSelect
    )

    def __init__(self, *args, detail, user=None, wave=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.detail = detail
        for offer in detail["offers"]:
            for pack in offer["packs"]:
                self.fields[f"{PACK_FIELD}{pack['id']}"] = forms.IntegerField(
                    label=f"{offer['product']} {pack['size_text']}",
                    required=False,
                    widget=forms.NumberInput(
                        attrs={
                            "min": 0,
                            "max": detail["max_packs_per_order"],
                            "aria-label": f"{offer['product']} {pack['size_text']}",
                        }
                    ),
                )
        self.fields["drop_off"].widget.choices = [
            (point["id"], f"{point['cluster']} — {point['address']}")
            for point in detail["drop_off_points"]
        ]
        if user is not None:
            self._buyer_fields(user, wave)

    def _buyer_fields(self, user, wave):
        self.fields["buyer_name"] = forms.CharField(
            label=gettext_lazy("Name"), max_length=200, required=False, initial=str(user)
        )
        self.fields["phone"] = forms.CharField(
            label=gettext_lazy("Phone (WhatsApp)"), max_length=20, required=False
        )
        self.initial.setdefault("phone", user.phone)
        if ordering.civil_servant_in(user, wave):
            self.fields["nip"] = forms.CharField(
                label=gettext_lazy("NIP"), max_length=30, required=False, initial=user.nip
            )
        listed = list(wave.institutions.all())
        if listed:
            self.fields["institution"] = forms.TypedChoiceField(
                label=gettext_lazy("Institution"),
                choices=[("", "—"), *((org.pk, org.name) for org in listed)],
                coerce=int,
                required=False,
                initial=user.organisation_id,
            )
        self.fields["idempotency_key"] = forms.CharField(
            widget=forms.HiddenInput, required=False, initial=secrets.token_urlsafe(16)
        )

    def offers(self):
        """The wave's offers, each pack with its quantity field, for the template."""
        return [
            {
                **offer,
                "packs": [
                    {**pack, "field": self[f"{PACK_FIELD}{pack['id']}"]} for pack in offer["packs"]
                ],
            }
            for offer in self.detail["offers"]
        ]

    def quantities(self):
        """{pack id: packs} of the packs given a number (0 or empty: not wanted)."""
        return {
            int(name.removeprefix(PACK_FIELD)): value
            for name, value in self.cleaned_data.items()
            if name.startswith(PACK_FIELD) and value
        }

    def buyer(self):
        """The arguments of `ordering.order_place` that say who buys."""
        data = self.cleaned_data
        names = ("nip", "institution", "buyer_name", "phone", "idempotency_key")
        return {name: data[name] for name in names if data.get(name) not in (None, "")}

    def refusal_add(self, error):
        """The service's refusal beside the field it concerns, or above the form."""
        fields = error.message_dict if hasattr(error, "error_dict") else {None: error.messages}
        for field, texts in fields.items():
            self.add_error(field if field in self.fields else None, texts)


@login_required
def buyer_waves(request):
    """Waves open now or soon whose audience includes me."""
    waves = ordering.waves_for_buyer(user=request.user)
    return render(request, "market/wave_order_list.html", {"waves": waves})


@login_required
def wave_order(request, pk):
    """A wave's products, packs and stock left, and the order form."""
    wave = ordering.wave_for_buyer(user=request.user, pk=pk)
    detail = ordering.wave_public_detail(wave)
    data = request.POST if request.method == "POST" else None
    initial = {"fulfilment": Order.Fulfilment.COLLECT}
    if len(detail["drop_off_points"]) == 1:
        initial["drop_off"] = detail["drop_off_points"][0]["id"]
    form = OrderForm(data, detail=detail, user=request.user, wave=wave, initial=initial)
    if data is not None and form.is_valid():
        try:
            order, created = ordering.order_place(
                user=request.user,
                wave=wave,
                drop_off=form.cleaned_data["drop_off"],
                items=form.quantities(),
                fulfilment=form.cleaned_data["fulfilment"],
                **form.buyer(),
            )
        except ValidationError as error:
            form.refusal_add(error)
        else:
            if created:
                messages.success(
                    request,
                    _("Your order is placed. Show the code %(code)s at the drop-off point.")
                    % {"code": order.code},
                )
            else:
                messages.info(request, _("This order was already placed; here it is."))
            return redirect("market:order_detail", pk=order.pk)
    context = {"wave": wave, "detail": detail, "form": form}
    return render(request, "market/wave_order.html", context)


@login_required
def wave_order_total(request, pk):
    """The running total of the order form (htmx)."""
    wave = ordering.wave_for_buyer(user=request.user, pk=pk)
    quantities = {}
    for name, value in request.POST.items():
        if name.startswith(PACK_FIELD) and value.strip().isdigit():
            quantities[name.removeprefix(PACK_FIELD)] = int(value)
    quote = ordering.order_quote(wave=wave, quantities=quantities)
    return render(request, "market/wave_order_total.html", {"quote": quote, "wave": wave})


@login_required
def my_orders(request):
    orders = ordering.my_orders(user=request.user)
    return render(request, "market/order_list.html", {"orders": orders})


@login_required
def order_detail(request, pk):
    """The confirmation: code and QR code to show at pickup, packs, total, the drop-off
    point and its PIC."""
    order = ordering.order_get(user=request.user, pk=pk)
    url = request.build_absolute_uri(reverse("market:order_detail", args=[order.pk]))
    context = {
        "order": order,
        "qr": mark_safe(segno.make(url).svg_inline(scale=4, title=order.code)),  # noqa: S308
        "lines": [
            (line, ordering.quantity_text(line.size_milli, line.pack.product.unit))
            for line in order.lines.all()
        ],
        "changeable": ordering.order_is_changeable(order),
    }
    return render(request, "market/order_detail.html", context)


@login_required
def order_change(request, pk):
    order = ordering.order_get(user=request.user, pk=pk)
    detail = ordering.wave_public_detail(order.wave)
    initial = {
        "drop_off": order.drop_off_id,
        "fulfilment": order.fulfilment,
        **{f"{PACK_FIELD}{line.pack_id}": line.quantity for line in order.lines.all()},
    }
    data = request.POST if request.method == "POST" else None
    form = OrderForm(data, detail=detail, initial=initial)
    if data is not None and form.is_valid():
        try:
            ordering.order_change(
                user=request.user,
                order=order,
                items=form.quantities(),
                drop_off=form.cleaned_data["drop_off"],
                fulfilment=form.cleaned_data["fulfilment"],
            )
        except ValidationError as error:
            form.refusal_add(error)
        else:
            messages.success(request, _("Your order is changed."))
            return redirect("market:order_detail", pk=order.pk)
    context = {"order": order, "detail": detail, "form": form}
    return render(request, "market/order_change.html", context)


@login_required
def order_cancel(request, pk):
    """Asks to confirm; posting cancels."""
    order = ordering.order_get(user=request.user, pk=pk)
    if request.method != "POST":
        return render(request, "market/order_cancel.html", {"order": order})
    try:
        ordering.order_cancel(user=request.user, order=order)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Your order is cancelled."))
    return redirect("market:order_detail", pk=order.pk)
