"""Pages of the drop-off point: the PIC's points, their orders with handover and payment,
the reconciliation of a wave per PIC, and the settlement to its sellers.

A PIC sees only its own drop-off points and their orders; any other point or order does
not exist for it (404), and the pages do not exist for buyers and sellers. The
reconciliation is for the wave's officers (every point) and its PICs (their own); the
settlements for the wave's officers, of whom central officers and the organiser's record
payments.
"""

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from pulih.accounts.decorators import role_required
from pulih.accounts.models import Role
from pulih.core import formats
from pulih.registry.selectors import list_page

from . import handover
from .models import OFFICERS, Order, OrderPayment, Unit
from .products import quantity_text

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class HandoverForm(forms.Form):
    outcome = forms.ChoiceField(
        label=gettext_lazy("Handover outcome"),
        choices=[(status, Order.Status(status).label) for status in handover.OUTCOMES],
    )
    driver_name = forms.CharField(
        label=gettext_lazy("Ojek driver's name"), max_length=200, required=False
    )
    driver_phone = forms.CharField(
        label=gettext_lazy("Ojek driver's phone"),
        max_length=20,
        required=False,
        widget=forms.TextInput(attrs={"type": "tel", "inputmode": "tel"}),
    )


class PaymentForm(forms.Form):
    method = forms.ChoiceField(label=gettext_lazy("Method"), choices=OrderPayment.Method)
    amount = forms.IntegerField(
        label=gettext_lazy("Amount (Rp)"), help_text=gettext_lazy("Whole Rupiah, without dots.")
    )
    reference = forms.CharField(
        label=gettext_lazy("Reference"),
        max_length=100,
        required=False,
        help_text=gettext_lazy("For a transfer: the bank's reference."),
    )


class SettlementPaymentForm(forms.Form):
    amount = forms.IntegerField(
        label=gettext_lazy("Amount (Rp)"), help_text=gettext_lazy("Whole Rupiah, without dots.")
    )
    paid_on = forms.DateField(label=gettext_lazy("Paid on"), widget=DATE)
    reference = forms.CharField(label=gettext_lazy("Reference"), max_length=100, required=False)


def _refusal_to(form, error):
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


def _next(request, fallback):
    """Back to the page the form was sent from (the list with its filters), if it is ours."""
    target = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return redirect(target)
    return fallback


# The PIC's pages -----------------------------------------------------------------------


@role_required(Role.PIC)
def pic_home(request):
    points = handover.pic_points(user=request.user)
    return render(request, "market/pic_home.html", {"points": points})


@role_required(Role.PIC)
def pic_orders(request, pk):
    point = handover.pic_point_get(user=request.user, pk=pk)
    query, status = request.GET.get("q", ""), request.GET.get("status") or None
    orders = handover.pic_orders(point=point, query=query, status=status)
    page = list_page(orders, request.GET.get("page"))
    for order in page.object_list:
        order.packs = handover.packs_text(order)
    context = {
        "point": point,
        "wave": point.wave,
        "page": page,
        "query": query,
        "status": status,
        "statuses": Order.Status.choices,
        "window_closed": timezone.now() >= point.wave.closes_at,
        "handed_over": handover.HANDED_OVER,
    }
    return render(request, "market/pic_orders.html", context)


def _order_page(request, point, order, *, handover_form=None, payment_form=None):
    closed = timezone.now() >= point.wave.closes_at
    live = order.status != Order.Status.CANCELLED
    may_hand_over = closed and live and order.status not in handover.HANDED_OVER
    may_pay = closed and live and order.outstanding > 0
    context = {
        "point": point,
        "wave": point.wave,
        "order": order,
        "packs": handover.packs_text(order),
        "lines": [
            {"line": line, "size": quantity_text(line.size_milli, line.pack.product.unit)}
            for line in order.lines.all()
        ],
        "payments": order.payments.select_related("recorded_by"),
        "window_closed": closed,
        "handover_form": (
            (handover_form or HandoverForm()) if may_hand_over or handover_form else None
        ),
        "payment_form": (
            (payment_form or PaymentForm(initial={"method": "cash", "amount": order.outstanding}))
            if may_pay or payment_form
            else None
        ),
    }
    return render(request, "market/pic_order.html", context)


@role_required(Role.PIC)
def pic_order(request, pk, order_pk):
    point = handover.pic_point_get(user=request.user, pk=pk)
    order = handover.pic_order_get(user=request.user, point=point, pk=order_pk)
    return _order_page(request, point, order)


OUTCOME_DONE = {
    Order.Status.COLLECTED: gettext_lazy("Order %(code)s was collected."),
    Order.Status.WITH_OJEK: gettext_lazy("Order %(code)s was handed to the ojek of %(driver)s."),
    Order.Status.NOT_COLLECTED: gettext_lazy("Order %(code)s is marked not collected."),
}


@require_POST
@role_required(Role.PIC)
def pic_handover(request, pk, order_pk):
    point = handover.pic_point_get(user=request.user, pk=pk)
    order = handover.pic_order_get(user=request.user, point=point, pk=order_pk)
    form = HandoverForm(request.POST)
    if form.is_valid():
        try:
            order = handover.order_hand_over(user=request.user, order=order, **form.cleaned_data)
        except ValidationError as error:
            _refusal_to(form, error)
        else:
            done = OUTCOME_DONE[order.status] % {
                "code": order.code,
                "driver": order.ojek_driver_name,
            }
            messages.success(request, done)
            return _next(request, redirect("market:pic_order", pk=point.pk, order_pk=order.pk))
    return _order_page(request, point, order, handover_form=form)


@require_POST
@role_required(Role.PIC)
def pic_payment(request, pk, order_pk):
    point = handover.pic_point_get(user=request.user, pk=pk)
    order = handover.pic_order_get(user=request.user, point=point, pk=order_pk)
    form = PaymentForm(request.POST)
    if form.is_valid():
        try:
            payment = handover.order_payment_record(
                user=request.user, order=order, **form.cleaned_data
            )
        except ValidationError as error:
            _refusal_to(form, error)
        else:
            order = payment.order
            text = _("%(amount)s received for order %(code)s: %(status)s.") % {
                "amount": formats.rupiah(payment.amount),
                "code": order.code,
                "status": order.get_payment_status_display().lower(),
            }
            messages.success(request, text)
            return _next(request, redirect("market:pic_order", pk=point.pk, order_pk=order.pk))
    return _order_page(request, point, order, payment_form=form)


# Reconciliation and settlement ---------------------------------------------------------


@role_required(*OFFICERS, Role.PIC)
def reconciliation(request, pk):
    wave = handover.reconciliation_wave_get(user=request.user, pk=pk)
    figures = handover.reconciliation(user=request.user, wave=wave)
    return render(request, "market/reconciliation.html", figures)


def _settlement_page(request, wave, *, failed=None, form=None):
    """`failed`: the settlement whose payment form came back refused, shown with `form`."""
    may_pay = handover.pays_sellers(request.user, wave)
    today = timezone.localdate()
    rows = []
    for settlement in handover.settlement_list(wave=wave):
        remaining = settlement.amount_due - settlement.amount_paid
        if failed is not None and settlement.pk == failed.pk:
            pay_form = form
        elif may_pay and remaining > 0:
            pay_form = SettlementPaymentForm(
                initial={"amount": remaining, "paid_on": today}, prefix=f"s{settlement.pk}"
            )
        else:
            pay_form = None
        rows.append(
            {
                "settlement": settlement,
                "sold": quantity_text(settlement.sold_milli, Unit.KG),
                "remaining": max(remaining, 0),
                "form": pay_form,
            }
        )
    totals = {
        key: sum(getattr(row["settlement"], key) for row in rows)
        for key in ("amount_due", "amount_paid")
    }
    context = {"wave": wave, "rows": rows, "totals": totals, "may_pay": may_pay}
    return render(request, "market/settlements.html", context)


@role_required(*OFFICERS)
def settlements(request, pk):
    wave = handover.settlement_wave_get(user=request.user, pk=pk)
    return _settlement_page(request, wave)


@require_POST
@role_required(*OFFICERS)
def settlement_pay(request, pk, settlement_pk):
    wave = handover.settlement_wave_get(user=request.user, pk=pk)
    settlement = handover.settlement_list(wave=wave).filter(pk=settlement_pk).first()
    if settlement is None or not handover.pays_sellers(request.user, wave):
        raise Http404
    form = SettlementPaymentForm(request.POST, prefix=f"s{settlement.pk}")
    if form.is_valid():
        try:
            settlement = handover.seller_settlement_pay(
                user=request.user, settlement=settlement, **form.cleaned_data
            )
        except ValidationError as error:
            _refusal_to(form, error)
        else:
            text = _("%(amount)s paid to %(seller)s.") % {
                "amount": formats.rupiah(form.cleaned_data["amount"]),
                "seller": settlement.seller.name,
            }
            messages.success(request, text)
            return redirect("market:settlements", pk=wave.pk)
    return _settlement_page(request, wave, failed=settlement, form=form)
