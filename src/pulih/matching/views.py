"""Pages of institutional demand: demands and their coverage per point, allocation runs
(adjust, confirm), purchase orders with deliveries, cancellation and payment.

Demands and runs are for central officers and buyers (their own); orders also for
officers of the producers' region and for sellers (their own). To anyone else the pages
do not exist (404), and neither does a record outside the user's scope. Allocation runs
synchronously: without a smallest order the solver takes one or two seconds at national
size; a smallest order that binds can take longer, so its search stops after
`services.allocation.SOLVE_SECONDS` with the best split found, and the run says so. No
database lock is held while the solver works.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from pulih.accounts.decorators import role_required
from pulih.accounts.models import Role
from pulih.core import formats
from pulih.registry.selectors import list_page

from . import selectors, services
from .forms import (
    CancelForm,
    DeliveryForm,
    DemandForm,
    PaymentForm,
    PointForm,
    RunForm,
    point_formset,
)
from .models import Demand, PurchaseOrder

DEMAND_ROLES = (Role.PUSAT, Role.PEMBELI)
ORDER_ROLES = (Role.PUSAT, Role.PROVINSI, Role.KABKOTA, Role.PENDAMPING, Role.PEMBELI, Role.PENJUAL)
NEW_POINT_ROWS = 3
MAX_POINT_ROWS = 500


def is_central(user):
    return user.is_superuser or user.role == Role.PUSAT


def refusal_to(form, error):
    """A service's refusal onto the form: per field where the form has it, else on top."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


def flash_refusal(request, error):
    for message in error.messages:
        messages.error(request, message)


# Demands -------------------------------------------------------------------------------


@role_required(*DEMAND_ROLES)
def demand_list(request):
    page = list_page(selectors.demand_list(user=request.user), request.GET.get("page"))
    return render(request, "matching/demand_list.html", {"page": page})


@role_required(*DEMAND_ROLES)
def demand_create(request):
    """A demand and its delivery points, one row each; "add a row" keeps what was typed."""
    user = request.user
    if request.method != "POST":
        formset = point_formset(NEW_POINT_ROWS)(prefix="points")
        return _demand_form(request, DemandForm(user=user), formset)
    data = request.POST
    if "add_row" in data:
        return _demand_form(request, *_typed_so_far(data, user))
    form, formset = DemandForm(data, user=user), point_formset(0)(data, prefix="points")
    if form.is_valid() and formset.is_valid():
        fields = dict(form.cleaned_data)
        fields["buyer"] = fields.get("buyer") or user.organisation
        points = [row.cleaned_data for row in formset.forms if row.has_changed()]
        try:
            demand = services.demand_create(user=user, points=points, **fields)
        except ValidationError as error:
            _demand_refused(form, formset, error)
        else:
            messages.success(request, _("The demand was posted."))
            return redirect("matching:demand_detail", pk=demand.pk)
    return _demand_form(request, form, formset)


def _demand_refused(form, formset, error):
    """The service's refusal: the points' above the rows, the rest on their fields."""
    errors = dict(error.error_dict) if hasattr(error, "error_dict") else {None: error.error_list}
    for message in ValidationError(errors.pop("points", [])).messages:
        formset.non_form_errors().append(message)
    for field, field_errors in errors.items():
        form.add_error(field if field in form.fields else None, field_errors)


def _typed_so_far(data, user):
    """The form and one more point row, filled with what was typed and not yet checked."""
    try:
        rows = max(min(int(data.get("points-TOTAL_FORMS", 0)), MAX_POINT_ROWS), 0)
    except ValueError:
        rows = 0
    fields = PointForm.base_fields
    points = [{name: data.get(f"points-{n}-{name}", "") for name in fields} for n in range(rows)]
    form = DemandForm(user=user, initial=data.dict())
    return form, point_formset(rows + 1)(prefix="points", initial=points)


def _demand_form(request, form, formset):
    return render(request, "matching/demand_form.html", {"form": form, "formset": formset})


@role_required(*DEMAND_ROLES)
def demand_detail(request, pk):
    """A demand's coverage per point, its runs and orders, and the officer's actions."""
    demand = selectors.demand_get(user=request.user, pk=pk)
    rows = selectors.point_coverage(demand)
    total = selectors.coverage_total(rows)
    central = is_central(request.user)
    context = {
        "demand": demand,
        "points": rows,
        "total": total,
        "runs": selectors.run_list(demand=demand),
        "orders": selectors.order_list(user=request.user, demand=demand),
        "may_run": central and demand.status == Demand.Status.OPEN,
        "may_reallocate": central and demand.status == Demand.Status.ORDERED and total["missing"],
        # A re-allocation has no smallest order unless the officer sets one.
        "run_form": RunForm(
            initial={
                "max_share_percent": demand.max_share_percent,
                "min_lot": demand.min_lot if demand.status == Demand.Status.OPEN else None,
            }
        ),
        "may_cancel": demand.status in (Demand.Status.OPEN, Demand.Status.ORDERED),
        "cancel_form": CancelForm(),
    }
    return render(request, "matching/demand_detail.html", context)


@require_POST
@role_required(*DEMAND_ROLES)
def demand_cancel(request, pk):
    """Cancel the demand (central officers, or its buyer); the reason is said back."""
    demand = selectors.demand_get(user=request.user, pk=pk)
    reason = request.POST.get("reason", "").strip()
    try:
        services.demand_cancel(user=request.user, demand=demand, reason=reason)
    except ValidationError as error:
        flash_refusal(request, error)
    else:
        messages.success(request, _("The demand was cancelled: %(reason)s") % {"reason": reason})
    return redirect("matching:demand_detail", pk=demand.pk)


def _run_options(request):
    form = RunForm(request.POST)
    if not form.is_valid():
        return {}
    return {key: value for key, value in form.cleaned_data.items() if value is not None}


@require_POST
@role_required(Role.PUSAT)
def run_create(request, pk):
    """Run the allocation of the whole demand."""
    demand = selectors.demand_get(user=request.user, pk=pk)
    return _run_started(request, demand, services.allocation_run)


@require_POST
@role_required(Role.PUSAT)
def demand_reallocate(request, pk):
    """Run the allocation of what is missing: rejected at QC, cancelled, never ordered."""
    demand = selectors.demand_get(user=request.user, pk=pk)
    return _run_started(request, demand, services.shortfall_reallocate)


def _run_started(request, demand, service):
    try:
        run = service(user=request.user, demand=demand, **_run_options(request))
    except ValidationError as error:
        flash_refusal(request, error)
        return redirect("matching:demand_detail", pk=demand.pk)
    return redirect("matching:run_detail", pk=run.pk)


# Runs ----------------------------------------------------------------------------------


@role_required(*DEMAND_ROLES)
def run_detail(request, pk):
    """The run: optimal or short (per point, in words), its lines with their reasons, the
    cost against the nearest-first split; the officer adjusts and confirms here."""
    run = selectors.run_get(user=request.user, pk=pk)
    context = {
        "run": run,
        "demand": run.demand,
        "detail": selectors.run_detail(run),
        "left_out": [
            (services.EXCLUDED.get(code, code), count) for code, count in run.excluded.items()
        ],
        "may_act": is_central(request.user) and run.status in services.UNCONFIRMED,
        "orders": selectors.order_list(user=request.user).filter(run=run),
    }
    return render(request, "matching/run_detail.html", context)


def _whole_number(text):
    """The whole number written in `text` (decimal digits only), else None."""
    try:
        return int(text) if text.isdecimal() else None
    except ValueError:  # more digits than Python converts
        return None


def _quantities(post):
    """{line id: quantity} from the inputs named line-<id>, dots read as thousands
    separators; unreadable quantities as -1, which the service refuses with its message."""
    quantities = {}
    for key, value in post.items():
        line = _whole_number(key[5:]) if key.startswith("line-") else None
        if line is not None:
            quantity = _whole_number(value.strip().replace(".", ""))
            quantities[line] = -1 if quantity is None else quantity
    return quantities


@require_POST
@role_required(Role.PUSAT)
def run_adjust(request, pk):
    run = selectors.run_get(user=request.user, pk=pk)
    lines = {line.pk: line.final_quantity for line in run.lines.all()}
    changed = {
        key: value for key, value in _quantities(request.POST).items() if lines.get(key) != value
    }
    if changed:
        try:
            services.allocation_adjust(user=request.user, run=run, quantities=changed)
        except ValidationError as error:
            flash_refusal(request, error)
        else:
            messages.success(request, _("The quantities were adjusted."))
    return redirect("matching:run_detail", pk=run.pk)


@require_POST
@role_required(Role.PUSAT)
def run_confirm(request, pk):
    run = selectors.run_get(user=request.user, pk=pk)
    try:
        orders = services.allocation_confirm(
            user=request.user, run=run, accept_shortfall=bool(request.POST.get("accept_shortfall"))
        )
    except ValidationError as error:
        flash_refusal(request, error)
        return redirect("matching:run_detail", pk=run.pk)
    text = ngettext(
        "%(count)s purchase order was issued: %(numbers)s.",
        "%(count)s purchase orders were issued: %(numbers)s.",
        len(orders),
    )
    numbers = ", ".join(order.number for order in orders)
    messages.success(request, text % {"count": formats.number(len(orders)), "numbers": numbers})
    return redirect("matching:demand_detail", pk=run.demand_id)


# Orders --------------------------------------------------------------------------------


@role_required(*ORDER_ROLES)
def order_list(request):
    status = request.GET.get("status") or None
    if status not in PurchaseOrder.Status.values:
        status = None
    orders = selectors.order_list(user=request.user, status=status)
    page = list_page(orders, request.GET.get("page"))
    context = {"page": page, "status": status, "statuses": PurchaseOrder.Status.choices}
    return render(request, "matching/order_list.html", context)


def _may_record(user, order):
    buyer = user.role == Role.PEMBELI and user.organisation_id == order.demand.buyer_id
    return is_central(user) or buyer


def _order_page(request, order, *, delivery_form=None, cancel_form=None, payment_form=None):
    user = request.user
    lines = selectors.order_lines(order)
    live = order.status != PurchaseOrder.Status.CANCELLED
    may_record = _may_record(user, order)
    today = timezone.localdate()
    context = {
        "order": order,
        "lines": lines,
        "deliveries": order.deliveries.select_related("point", "recorded_by"),
        "payable": selectors.payable(order),
        "sees_demand": may_record,
        "delivery_form": (
            (delivery_form or DeliveryForm(order=order, initial={"delivered_on": today}))
            if may_record and live and any(line["outstanding"] for line in lines)
            else None
        ),
        "cancel_form": (
            (cancel_form or CancelForm())
            if is_central(user) and live and order.status != PurchaseOrder.Status.DELIVERED
            else None
        ),
        "payment_form": (
            (payment_form or PaymentForm())
            if may_record and (payment_form or order.paid_amount < selectors.payable(order))
            else None
        ),
    }
    return render(request, "matching/order_detail.html", context)


@role_required(*ORDER_ROLES)
def order_detail(request, pk):
    order = selectors.order_get(user=request.user, pk=pk)
    return _order_page(request, order)


@require_POST
@role_required(Role.PUSAT, Role.PEMBELI)
def delivery_record(request, pk):
    order = selectors.order_get(user=request.user, pk=pk)
    if not _may_record(request.user, order):
        raise Http404
    form = DeliveryForm(request.POST, order=order)
    if form.is_valid():
        try:
            services.delivery_record(user=request.user, order=order, **form.cleaned_data)
        except ValidationError as error:
            refusal_to(form, error)
        else:
            messages.success(request, _("The delivery was recorded."))
            return redirect("matching:order_detail", pk=order.pk)
    return _order_page(request, order, delivery_form=form)


@require_POST
@role_required(Role.PUSAT)
def order_cancel(request, pk):
    order = selectors.order_get(user=request.user, pk=pk)
    form = CancelForm(request.POST)
    if form.is_valid():
        try:
            services.order_cancel(user=request.user, order=order, **form.cleaned_data)
        except ValidationError as error:
            refusal_to(form, error)
        else:
            messages.success(request, _("The order was cancelled."))
            return redirect("matching:order_detail", pk=order.pk)
    return _order_page(request, order, cancel_form=form)


@require_POST
@role_required(Role.PUSAT, Role.PEMBELI)
def order_payment(request, pk):
    order = selectors.order_get(user=request.user, pk=pk)
    if not _may_record(request.user, order):
        raise Http404
    form = PaymentForm(request.POST)
    if form.is_valid():
        try:
            services.order_payment_update(user=request.user, order=order, **form.cleaned_data)
        except ValidationError as error:
            refusal_to(form, error)
        else:
            messages.success(request, _("The payment status was updated."))
            return redirect("matching:order_detail", pk=order.pk)
    return _order_page(request, order, payment_form=form)
