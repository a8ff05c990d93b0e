"""Pages of the PLUT gallery (see `consignment`): the items with their stock, one item's
movements, and what is owed to each seller. Province and central officers record
receipts, sales, returns and payments; a regency's officers and sellers only read."""

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from pulih.accounts.decorators import role_required
from pulih.accounts.models import Organisation
from pulih.core import formats
from pulih.core.scope import Level
from pulih.registry.selectors import list_page
from pulih.wilayah.models import Province

from . import consignment
from .models import SELLER_KINDS, Product

READERS = tuple(consignment.READERS)
WRITERS = tuple(consignment.WRITERS)


class MovementForm(forms.Form):
    quantity = forms.IntegerField(label=gettext_lazy("Items"))
    on = forms.DateField(
        label=gettext_lazy("Date"),
        initial=timezone.localdate,
        widget=forms.DateInput(attrs={"type": "date"}),
    )


class SellForm(MovementForm):
    price = forms.IntegerField(label=gettext_lazy("Price per item (Rp)"), required=False)


class ReceiveForm(SellForm):
    province_code = forms.CharField(widget=forms.HiddenInput)
    product = forms.ModelChoiceField(label=gettext_lazy("Product"), queryset=Product.objects.none())
    commission_percent = forms.DecimalField(
        label=gettext_lazy("Commission (%)"), required=False, max_digits=5, decimal_places=2
    )
    field_order = ["province_code", "product", "quantity", "on", "price", "commission_percent"]

    def __init__(self, *args, user, province, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["province_code"].initial = province
        self.fields["product"].queryset = (
            Product.objects.visible_to(user)
            .filter(province_code=province, active=True)
            .select_related("seller")
        )


class SettleForm(forms.Form):
    province_code = forms.CharField(widget=forms.HiddenInput)
    seller = forms.ModelChoiceField(
        queryset=Organisation.objects.filter(kind__in=SELLER_KINDS), widget=forms.HiddenInput
    )
    paid_on = forms.DateField(
        label=gettext_lazy("Paid on"),
        initial=timezone.localdate,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    reference = forms.CharField(label=gettext_lazy("Reference"), max_length=100, required=False)


def may_write(user):
    return user.is_superuser or user.role in WRITERS


def chosen_province(request):
    """A province officer's own province; for the others the one asked for, if any."""
    user = request.user
    if user.scope_level == Level.PROVINCE:
        return user.province_code
    code = request.GET.get("provinsi") or request.POST.get("province_code") or ""
    return code if Province.objects.filter(code=code).exists() else ""


def said(request, error):
    """Every message of a refused form or service call, as error messages."""
    if isinstance(error, ValidationError):
        texts = error.messages
    else:
        texts = [text for field_errors in error.errors.values() for text in field_errors]
    for text in texts:
        messages.error(request, text)


def _province_choices(user):
    return Province.objects.all() if user.scope_level == Level.NATION else []


@role_required(*READERS)
def plut(request):
    province = chosen_province(request)
    items = consignment.consignment_items(user=request.user, province=province)
    writes = may_write(request.user)
    context = {
        "page": list_page(items, request.GET.get("page")),
        "province": province,
        "provinces": _province_choices(request.user),
        "may_write": writes,
        "receive": ReceiveForm(user=request.user, province=province)
        if writes and province
        else None,
    }
    return render(request, "market/plut_items.html", context)


def plut_url(province):
    return f"{reverse('market:plut')}?{urlencode({'provinsi': province})}"


@require_POST
@role_required(*WRITERS)
def plut_receive(request):
    province = chosen_province(request)
    form = ReceiveForm(request.POST, user=request.user, province=province)
    if not form.is_valid():
        said(request, form)
        return redirect(plut_url(province))
    fields = form.cleaned_data
    try:
        item = consignment.consignment_receive(user=request.user, **fields)
    except ValidationError as error:
        said(request, error)
        return redirect(plut_url(province))
    messages.success(
        request,
        _("Received: %(quantity)s × %(product)s.")
        % {"quantity": formats.number(fields["quantity"]), "product": fields["product"].name},
    )
    return redirect("market:plut_item", pk=item.pk)


@role_required(*READERS)
def plut_item(request, pk):
    item = consignment.consignment_item_get(user=request.user, pk=pk)
    writes = may_write(request.user)
    context = {
        "item": item,
        "movements": consignment.consignment_movements(item=item),
        "may_write": writes,
        "sell": SellForm(prefix="sell") if writes else None,
        "give_back": MovementForm(prefix="return") if writes else None,
    }
    return render(request, "market/plut_item.html", context)


def _take(request, pk, *, form_class, prefix, service, done):
    item = consignment.consignment_item_get(user=request.user, pk=pk)
    form = form_class(request.POST, prefix=prefix)
    if not form.is_valid():
        said(request, form)
        return redirect("market:plut_item", pk=item.pk)
    fields = {name: value for name, value in form.cleaned_data.items() if value is not None}
    try:
        service(user=request.user, item=item, **fields)
    except ValidationError as error:
        said(request, error)
    else:
        messages.success(request, done % {"quantity": formats.number(fields["quantity"])})
    return redirect("market:plut_item", pk=item.pk)


@require_POST
@role_required(*WRITERS)
def plut_sell(request, pk):
    return _take(
        request,
        pk,
        form_class=SellForm,
        prefix="sell",
        service=consignment.consignment_sell,
        done=_("Sold: %(quantity)s."),
    )


@require_POST
@role_required(*WRITERS)
def plut_return(request, pk):
    return _take(
        request,
        pk,
        form_class=MovementForm,
        prefix="return",
        service=consignment.consignment_return,
        done=_("Returned to the seller: %(quantity)s."),
    )


@role_required(*READERS)
def plut_settlements(request):
    province = chosen_province(request)
    writes = may_write(request.user)
    balances = consignment.consignment_balances(user=request.user, province=province)
    rows = [
        (
            balance,
            SettleForm(
                initial={"province_code": balance.province_code, "seller": balance.seller.pk}
            )
            if writes
            else None,
        )
        for balance in balances
    ]
    context = {
        "rows": rows,
        "page": list_page(
            consignment.consignment_settlements(user=request.user, province=province),
            request.GET.get("page"),
        ),
        "province": province,
        "provinces": _province_choices(request.user),
        "may_write": writes,
    }
    return render(request, "market/plut_settlements.html", context)


@require_POST
@role_required(*WRITERS)
def plut_settle(request):
    form = SettleForm(request.POST)
    if not form.is_valid():
        said(request, form)
        return redirect("market:plut_settlements")
    fields = form.cleaned_data
    seller = fields["seller"]
    try:
        settlement = consignment.consignment_settle(
            user=request.user,
            province_code=fields["province_code"],
            seller=seller,
            paid_on=fields["paid_on"],
            reference=fields["reference"],
        )
    except ValidationError as error:
        said(request, error)
    else:
        messages.success(
            request,
            _("Paid %(net)s to %(seller)s: sales %(gross)s less commission %(commission)s.")
            % {
                "net": formats.rupiah(settlement.net),
                "seller": seller.name,
                "gross": formats.rupiah(settlement.gross),
                "commission": formats.rupiah(settlement.commission),
            },
        )
    return redirect("market:plut_settlements")
