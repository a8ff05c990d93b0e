"""Pages of record linkage: runs, the review queue, pairs and entities.

Only central and province officers work here; anyone else gets 404, and so does a run,
pair or entity outside the officer's scope. The pair and entity pages show records in
full, so each view is logged against the people shown.
"""

import datetime
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
from pulih.core.audit import access_log_record
from pulih.core.ids import mask_nik, mask_phone
from pulih.registry.models import Sex
from pulih.registry.selectors import list_page, person_get
from pulih.wilayah.models import Village
from pulih.wilayah.selectors import province_list

from . import golden, selectors, services
from .forms import NATIONAL, NoteForm, RunStartForm
from .models import DedupRun, MatchPair

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

# Why a golden record took each value (see `golden`).
RULE_LABELS = {
    golden.VALID_NIK: gettext_lazy("valid NIK, most common"),
    golden.AGREES_WITH_NIK: gettext_lazy("agrees with the NIK"),
    golden.MOST_COMMON: gettext_lazy("most common"),
    golden.MOST_RECENT: gettext_lazy("most recent"),
}

DECISIONS = {
    "confirm": (
        services.pair_confirm,
        gettext_lazy("Confirmed: the two records are now one entity."),
    ),
    "reject": (
        services.pair_reject,
        gettext_lazy("Rejected: the two records stay apart."),
    ),
}


def _percent(probability):
    return f"{formats.number(probability * 100, digits=1)}%"


def _significant(value):
    """A probability with up to three significant digits, however small."""
    return format_decimal(value, format="@##", locale=formats.babel_locale())


def _place_names(codes):
    """{village code: "Village, Regency"} in one query."""
    villages = Village.objects.filter(code__in={c for c in codes if c}).values_list(
        "code", "name", "district__regency__name"
    )
    return {code: f"{village}, {regency}" for code, village, regency in villages}


def _shown(field, value, *, full, places):
    """A record's value as the page shows it: NIK and phone masked to roles that do not
    work with them, dates and places in words."""
    if value is None or value == "":
        return ""
    if field == "nik":
        return value if full else mask_nik(value)
    if field == "phone":
        return value if full else mask_phone(value)
    if field == "birth_date":
        if isinstance(value, str):
            value = datetime.date.fromisoformat(value)
        return formats.date(value)
    if field == "sex":
        return dict(Sex.choices).get(value, value)
    if field == "village_code":
        return f"{places[value]} ({value})" if value in places else value
    return value


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
    waiting = selectors.cluster_review_queue(user=request.user).count()
    return render(request, "dedup/run_list.html", {"form": form, "page": page, "waiting": waiting})


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
        "threshold": _percent(run.threshold),
        "review_floor": _percent(run.review_floor),
        "prior": _significant(prior) if prior is not None else "",
        "comparisons": model_parameters(model),
        "waiting": selectors.cluster_review_queue(user=request.user).count(),
    }
    return render(request, "dedup/run_detail.html", context)


@role_required(*DEDUP_ROLES)
def review_queue(request):
    page = list_page(selectors.cluster_review_queue(user=request.user), request.GET.get("page"))
    places = _place_names(
        code for pair in page for code in (pair.left.village_code, pair.right.village_code)
    )
    for pair in page:
        pair.percent = _percent(pair.probability)
        for person in (pair.left, pair.right):
            person.place = places.get(person.village_code, person.village_code)
    return render(request, "dedup/review_queue.html", {"page": page})


@role_required(*DEDUP_ROLES)
def pair_detail(request, pk):
    """Two records side by side, their differences marked, and the decision."""
    pair = selectors.pair_get(user=request.user, pk=pk)
    for person in (pair.left, pair.right):
        access_log_record(request=request, obj=person)
    full = request.user.sees_personal_data
    places = _place_names([pair.left.village_code, pair.right.village_code])
    rows = [
        {
            "field": field,
            "label": FIELD_LABELS[field],
            "left": _shown(field, left, full=full, places=places),
            "right": _shown(field, right, full=full, places=places),
            "differs": differs,
        }
        for field, left, right, differs in selectors.pair_comparison(pair=pair)
    ]
    context = {
        "pair": pair,
        "percent": _percent(pair.probability),
        "rows": rows,
        "decided": pair.status in MatchPair.DECIDED,
        "left_entity": selectors.entity_of_person(user=request.user, person=pair.left),
        "right_entity": selectors.entity_of_person(user=request.user, person=pair.right),
        "form": NoteForm(),
    }
    return render(request, "dedup/pair_detail.html", context)


def _error_message(request, errors):
    messages.error(request, " ".join(str(error) for error in errors))


@require_POST
@role_required(*DEDUP_ROLES)
def pair_decide(request, pk):
    """Confirm or reject a pair, then on to the next pair waiting."""
    pair = selectors.pair_get(user=request.user, pk=pk)
    form = NoteForm(request.POST)
    decision = request.POST.get("decision")
    if decision not in DECISIONS or not form.is_valid():
        _error_message(request, form.errors.get("note") or [_("Choose a decision.")])
        return redirect("dedup:pair_detail", pk=pair.pk)
    service, done = DECISIONS[decision]
    options = {"note": form.cleaned_data["note"]} if decision == "confirm" else {}
    try:
        service(user=request.user, pair=pair, **options)
    except ValidationError as error:
        _error_message(request, error.messages)
        return redirect("dedup:pair_detail", pk=pair.pk)
    messages.success(request, done)
    following = selectors.cluster_review_queue(user=request.user).first()
    if following is None:
        return redirect("dedup:review_queue")
    return redirect("dedup:pair_detail", pk=following.pk)


@role_required(*DEDUP_ROLES)
def entity_detail(request, pk):
    """An entity's golden record with the source and rule of each field, its member
    records and its history."""
    entity = selectors.entity_get(user=request.user, pk=pk)
    members = list(selectors.entity_members(entity=entity))
    for person in members:
        access_log_record(request=request, obj=person)
    full = request.user.sees_personal_data
    by_pk = {person.pk: person for person in members}
    golden_place = entity.golden.get("village_code", {}).get("value")
    places = _place_names([golden_place, *(p.village_code for p in members)])
    for person in members:
        person.place = places.get(person.village_code, person.village_code)
    fields = []
    for field in selectors.COMPARED_FIELDS:
        if item := entity.golden.get(field):
            fields.append(
                {
                    "field": field,
                    "label": FIELD_LABELS[field],
                    "value": _shown(field, item["value"], full=full, places=places),
                    "source": by_pk.get(item["source"]),
                    "source_pk": item["source"],
                    "rule": RULE_LABELS.get(item["rule"], item["rule"]),
                }
            )
    events = list(entity.events.select_related("person", "actor", "run"))
    visible_runs = set(
        selectors.run_list(user=request.user)
        .filter(pk__in={e.run_id for e in events if e.run_id})
        .values_list("pk", flat=True)
    )
    context = {
        "entity": entity,
        "fields": fields,
        "members": members,
        "full": full,
        "events": events,
        "visible_runs": visible_runs,
        "form": NoteForm(),
    }
    return render(request, "dedup/entity_detail.html", context)


@require_POST
@role_required(*DEDUP_ROLES)
def entity_unmerge(request, pk, person_pk):
    """Take one record out of an entity: it was not the same person after all."""
    entity = selectors.entity_get(user=request.user, pk=pk)
    person = person_get(viewer=request.user, pk=person_pk)
    form = NoteForm(request.POST)
    if not form.is_valid():
        _error_message(request, form.errors["note"])
        return redirect("dedup:entity_detail", pk=entity.pk)
    try:
        services.entity_unmerge(
            user=request.user, entity=entity, person=person, note=form.cleaned_data["note"]
        )
    except ValidationError as error:
        _error_message(request, error.messages)
    else:
        messages.success(
            request, _("%(name)s was taken out of this entity.") % {"name": person.name}
        )
    return redirect("dedup:entity_detail", pk=entity.pk)
