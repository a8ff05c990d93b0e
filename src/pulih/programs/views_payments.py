"""Pages of payments: a cycle's batches for the bank, the bank's file and its results,
and the integrity alerts. Only the centre and the provinces pay (`services.APPROVERS`);
the bank's file carries full NIKs."""

from operator import itemgetter

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Q, Sum
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from pulih.accounts.decorators import role_required
from pulih.core import formats
from pulih.core.exports import export_rows
from pulih.registry.importing.messages import ImportRefused
from pulih.registry.selectors import list_page

from . import selectors, services
from .forms import BankResultForm
from .models import Payment
from .views import cycle_get, uploaded


def _batches(user, cycle):
    """The cycle's batches holding payments of the user's area, with those payments'
    number, amount and results."""
    return selectors.batch_list(user=user, cycle=cycle).annotate(
        payment_count=Count("payments", distinct=True),
        amount=Sum("payments__amount"),
        paid=Count("payments", filter=Q(payments__status=Payment.Status.PAID), distinct=True),
        failed=Count("payments", filter=Q(payments__status=Payment.Status.FAILED), distinct=True),
    )


def _batch_get(user, pk, number, batch_pk):
    programme, cycle = cycle_get(user, pk, number)
    batch = get_object_or_404(selectors.batch_list(user=user, cycle=cycle), pk=batch_pk)
    return programme, cycle, batch


@role_required(*services.APPROVERS)
def batch_list(request, pk, number):
    """The cycle's batches; posting puts the approved payments waiting into a new one."""
    programme, cycle = cycle_get(request.user, pk, number)
    if request.method == "POST":
        try:
            services.payment_batch_create(user=request.user, cycle=cycle)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("The batch was created; download its file for the bank."))
        return redirect("programs:batch_list", pk=programme.pk, number=cycle.number)
    context = {
        "programme": programme,
        "cycle": cycle,
        "batches": _batches(request.user, cycle),
        "form": BankResultForm(),
    }
    return render(request, "programs/batch_list.html", context)


@role_required(*services.APPROVERS)
def batch_download(request, pk, number, batch_pk):
    """The file for the bank, one row per payment."""
    programme, cycle, batch = _batch_get(request.user, pk, number, batch_pk)
    header, rows = services.payment_batch_rows(batch=batch)
    return export_rows(
        rows=rows,
        columns=[(title, itemgetter(i)) for i, title in enumerate(header)],
        fmt="csv",
        filename=f"bank-{programme.pk}-{cycle.number}-{batch.pk}",
    )


@require_POST
@role_required(*services.APPROVERS)
def batch_results(request, pk, number, batch_pk):
    """The bank's result file closes the batch's payments as paid or failed."""
    programme, cycle, batch = _batch_get(request.user, pk, number, batch_pk)
    form = BankResultForm(request.POST, request.FILES)
    if not form.is_valid():
        for errors in form.errors.values():
            messages.error(request, " ".join(errors))
        return redirect("programs:batch_list", pk=programme.pk, number=cycle.number)
    try:
        with uploaded(form.cleaned_data["file"]) as path:
            result = services.payment_results_import(user=request.user, batch=batch, path=path)
    except ImportRefused as refusal:
        messages.error(request, refusal.problem.text(get_language()))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("The bank's results were read: %(changed)s changed, %(unchanged)s unchanged.")
            % {key: formats.number(result[key]) for key in ("changed", "unchanged")},
        )
    return redirect("programs:batch_list", pk=programme.pk, number=cycle.number)


@role_required(*services.APPROVERS)
def alert_list(request):
    """Payments that should never have happened: one person paid twice in a cycle, found
    when record linkage merged two paid entities."""
    alerts = selectors.alert_list(user=request.user).prefetch_related("payments")
    page = list_page(alerts, request.GET.get("page"))
    return render(request, "programs/alert_list.html", {"page": page})
