"""Pages of record linkage: the runs; and the roles, labels and messages of all its pages,
which the review pages (`views_review`) share.

Only central and province officers work here (`DEDUP_ROLES`, which the API shares);
anyone else gets 404, and so does a run outside the officer's scope.
"""

import math

from babel.numbers import format_decimal
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from pulih.accounts.decorators import role_required
from pulih.accounts.models import Role
from pulih.core import formats
from pulih.registry.selectors import list_page
from pulih.wilayah.selectors import province_list

from . import golden, selectors, services
from .forms import NATIONAL, RunStartForm
from .models import DedupRun

# Who works on record linkage, on the pages and over the API.
DEDUP_ROLES = (Role.PUSAT, Role.PROVINSI)

# The fields of a record and the model's comparisons, in the words of the page.
FIELD_LABELS = {
    "nik": gettext_lazy("NIK"),
    "name": gettext_lazy("Name"),
    "birth_date": gettext_lazy("Birth date"),
    "sex": gettext_lazy("Sex"),
    "phone": gettext_lazy("Phone"),
    "address": gettext_lazy("Address"),
    "village_code": gettext_lazy("Village"),
    "region": gettext_lazy("Region"),
    "contact": gettext_lazy("Phone, address and village"),
}
BUSINESS_FIELD_LABELS = {
    **FIELD_LABELS,
    "name": gettext_lazy("Business name"),
    "owner__name": gettext_lazy("Owner"),
    "owner__nik": gettext_lazy("Owner's NIK"),
    "nib": gettext_lazy("NIB"),
    "kbli_section": gettext_lazy("Sector (KBLI)"),
    "whatsapp": gettext_lazy("WhatsApp"),
}

# Why a golden record took each value (see `golden`).
RULE_LABELS = {
    golden.VALID_NIK: gettext_lazy("valid NIK, most common"),
    golden.AGREES_WITH_NIK: gettext_lazy("agrees with the NIK"),
    golden.MOST_COMMON: gettext_lazy("most common"),
    golden.MOST_RECENT: gettext_lazy("most recent"),
}

REJECTED = gettext_lazy("Rejected: the two records stay apart.")
PEOPLE_DECIDED = {
    "confirm": gettext_lazy("Confirmed: the two records are now one entity."),
    "reject": REJECTED,
}
BUSINESSES_DECIDED = {
    "confirm": gettext_lazy("Confirmed: the two records are one business."),
    "reject": REJECTED,
}


def percent(probability):
    return f"{formats.number(probability * 100, digits=1)}%"


def _significant(value):
    """A probability with up to three significant digits, however small."""
    return format_decimal(value, format="@##", locale=formats.babel_locale())


def _runs_describe(runs):
    """Set each run's `scope_name` (its province, or the nation) and `duration`."""
    names = dict(province_list().values_list("code", "name"))
    for run in runs:
        run.scope_name = names.get(run.province_code, run.province_code) or NATIONAL
        run.duration = formats.number(run.seconds, digits=1) if run.seconds is not None else ""
    return runs


def model_parameters(model):
    """The comparisons of a saved Splink model, each level with its m and u probabilities
    and match weight (log2 m/u) where the model has them."""
    comparisons = []
    for comparison in model.get("comparisons", []):
        levels = []
        for level in comparison.get("comparison_levels", []):
            m, u = level.get("m_probability"), level.get("u_probability")
            weight = math.log2(m / u) if m and u else None
            levels.append(
                {
                    "label": level.get("label_for_charts", ""),
                    "null": level.get("is_null_level", False),
                    "m": _significant(m) if m is not None else "",
                    "u": _significant(u) if u is not None else "",
                    "weight": formats.number(weight, digits=2) if weight is not None else "",
                }
            )
        name = comparison.get("output_column_name", "")
        comparisons.append({"name": FIELD_LABELS.get(name, name), "levels": levels})
    return comparisons


def waiting_counts(user):
    """The pairs of people and of businesses waiting for review (`_waiting.html`)."""
    return {
        "waiting": selectors.cluster_review_queue(user=user).count(),
        "business_waiting": selectors.business_review_queue(user=user).count(),
    }


@role_required(*DEDUP_ROLES)
def run_list(request):
    """The runs in the user's scope, and the form to start one."""
    form = RunStartForm(request.POST if request.method == "POST" else None, user=request.user)
    if form.is_valid():
        try:
            run = services.run_start(user=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The run has started; this page follows its progress."))
            return redirect("dedup:run_detail", pk=run.pk)
    page = list_page(selectors.run_list(user=request.user), request.GET.get("page"))
    _runs_describe(page.object_list)
    context = {"form": form, "page": page, **waiting_counts(request.user)}
    return render(request, "dedup/run_list.html", context)


@require_POST
@role_required(*DEDUP_ROLES)
def run_repeat(request, pk):
    """The same scope, band and parameters again: a run that can be reproduced."""
    earlier = selectors.run_get(user=request.user, pk=pk)
    try:
        run = services.run_start(
            user=request.user,
            province_code=earlier.province_code,
            threshold=earlier.threshold,
            review_floor=earlier.review_floor,
            repeats=earlier,
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("dedup:run_detail", pk=earlier.pk)
    messages.success(request, _("The run has started with the parameters of the earlier one."))
    return redirect("dedup:run_detail", pk=run.pk)


@role_required(*DEDUP_ROLES)
def run_detail(request, pk):
    run = selectors.run_get(user=request.user, pk=pk)
    _runs_describe([run])
    progress = run.progress
    model = run.model or {}
    prior = model.get("probability_two_random_records_match")
    context = {
        "run": run,
        # A task's progress is its owner's alone; others see the run's status.
        "progress": progress if progress and progress.owner_id == request.user.pk else None,
        "finished": run.status in (DedupRun.Status.DONE, DedupRun.Status.FAILED),
        "threshold": percent(run.threshold),
        "review_floor": percent(run.review_floor),
        "prior": _significant(prior) if prior is not None else "",
        "comparisons": model_parameters(model),
        **waiting_counts(request.user),
    }
    return render(request, "dedup/run_detail.html", context)
