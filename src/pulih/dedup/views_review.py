"""Pages of record linkage: the review queues, pairs of people and of businesses, and
entities.

As the run pages (`views`), only for `DEDUP_ROLES`; a pair or entity outside the
officer's scope is 404. The pair and entity pages show records in full, so each view is
logged against the people shown (for a pair of businesses, their owners).
"""

import datetime

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from pulih.accounts.decorators import role_required
from pulih.core import formats
from pulih.core.audit import access_log_record
from pulih.core.ids import mask_nik, mask_phone
from pulih.registry.models import KbliSection, Sex
from pulih.registry.selectors import list_page, person_businesses, person_get
from pulih.wilayah.models import Village

from . import selectors, services
from .forms import NoteForm
from .views import (
    BUSINESS_FIELD_LABELS,
    BUSINESSES_DECIDED,
    DEDUP_ROLES,
    FIELD_LABELS,
    PEOPLE_DECIDED,
    RULE_LABELS,
    percent,
    waiting_counts,
)

# Business fields shown (and masked) as a person's.
SHOWN_AS = {"owner__nik": "nik", "whatsapp": "phone"}

DECISIONS = {"confirm": services.pair_confirm, "reject": services.pair_reject}


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
    field = SHOWN_AS.get(field, field)
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
    if field == "kbli_section":
        return dict(KbliSection.choices).get(value, value)
    if field == "village_code":
        return f"{places[value]} ({value})" if value in places else value
    return value


def _queue_render(request, queue, *, businesses):
    """A page of a review queue, each record with its place; the tabs count both queues."""
    page = list_page(queue, request.GET.get("page"))
    places = _place_names(
        code for pair in page for code in (pair.left.village_code, pair.right.village_code)
    )
    for pair in page:
        pair.percent = percent(pair.probability)
        for record in (pair.left, pair.right):
            record.place = places.get(record.village_code, record.village_code)
    context = {"page": page, "businesses": businesses, **waiting_counts(request.user)}
    return render(request, "dedup/review_queue.html", context)


@role_required(*DEDUP_ROLES)
def review_queue(request):
    return _queue_render(
        request, selectors.cluster_review_queue(user=request.user), businesses=False
    )


@role_required(*DEDUP_ROLES)
def business_review_queue(request):
    return _queue_render(
        request, selectors.business_review_queue(user=request.user), businesses=True
    )


def _comparison(pair, *, user, labels):
    """The rows of the side-by-side table, NIK and phone masked as the user's role needs."""
    full = user.sees_personal_data
    places = _place_names([pair.left.village_code, pair.right.village_code])
    return [
        {
            "field": field,
            "label": labels[field],
            "left": _shown(field, left, full=full, places=places),
            "right": _shown(field, right, full=full, places=places),
            "differs": differs,
        }
        for field, left, right, differs in selectors.pair_comparison(pair=pair)
    ]


def _pair_context(pair, *, user, labels):
    return {
        "pair": pair,
        "percent": percent(pair.probability),
        "rows": _comparison(pair, user=user, labels=labels),
        "decided": pair.status in pair.DECIDED,
        "form": NoteForm(),
    }


@role_required(*DEDUP_ROLES)
def pair_detail(request, pk):
    """Two records side by side, their differences marked, and the decision."""
    pair = selectors.pair_get(user=request.user, pk=pk)
    for person in (pair.left, pair.right):
        access_log_record(request=request, obj=person)
    left_entity = selectors.entity_of_person(user=request.user, person=pair.left)
    right_entity = selectors.entity_of_person(user=request.user, person=pair.right)
    context = {
        **_pair_context(pair, user=request.user, labels=FIELD_LABELS),
        "left_entity": left_entity,
        "right_entity": right_entity,
        "one_entity": left_entity is not None and left_entity == right_entity,
    }
    return render(request, "dedup/pair_detail.html", context)


@role_required(*DEDUP_ROLES)
def business_pair_detail(request, pk):
    """Two records of businesses side by side; the owners' data is shown, so their views
    are logged."""
    pair = selectors.business_pair_get(user=request.user, pk=pk)
    for business in (pair.left, pair.right):
        access_log_record(request=request, obj=business.owner)
    context = _pair_context(pair, user=request.user, labels=BUSINESS_FIELD_LABELS)
    return render(request, "dedup/business_pair_detail.html", context)


def _error_message(request, errors):
    messages.error(request, " ".join(str(error) for error in errors))


def _decide(request, pair, *, detail, queue, queue_url, done):
    """Confirm or reject `pair` with the note posted, then open the next pair waiting in
    `queue` (or the queue's page when none is left)."""
    form = NoteForm(request.POST)
    decision = request.POST.get("decision")
    if decision not in DECISIONS or not form.is_valid():
        _error_message(request, form.errors.get("note") or [_("Choose a decision.")])
        return redirect(detail, pk=pair.pk)
    try:
        DECISIONS[decision](user=request.user, pair=pair, note=form.cleaned_data["note"])
    except ValidationError as error:
        _error_message(request, error.messages)
        return redirect(detail, pk=pair.pk)
    messages.success(request, done[decision])
    following = queue.first()
    if following is None:
        return redirect(queue_url)
    return redirect(detail, pk=following.pk)


@require_POST
@role_required(*DEDUP_ROLES)
def pair_decide(request, pk):
    return _decide(
        request,
        selectors.pair_get(user=request.user, pk=pk),
        detail="dedup:pair_detail",
        queue=selectors.cluster_review_queue(user=request.user),
        queue_url="dedup:review_queue",
        done=PEOPLE_DECIDED,
    )


@require_POST
@role_required(*DEDUP_ROLES)
def business_pair_decide(request, pk):
    return _decide(
        request,
        selectors.business_pair_get(user=request.user, pk=pk),
        detail="dedup:business_pair_detail",
        queue=selectors.business_review_queue(user=request.user),
        queue_url="dedup:business_review_queue",
        done=BUSINESSES_DECIDED,
    )


def _businesses_set(members, *, user, entity):
    """Set each member's `business_list`, and on each business the `duplicates` that link
    it to another business: [{"pair": …, "other": the other business}]."""
    duplicates = {}
    for pair in selectors.business_duplicates(user=user, entity=entity):
        for business, other in ((pair.left, pair.right), (pair.right, pair.left)):
            duplicates.setdefault(business.pk, []).append({"pair": pair, "other": other})
    for person in members:
        person.business_list = list(person_businesses(viewer=user, person=person))
        for business in person.business_list:
            business.duplicates = duplicates.get(business.pk, [])


@role_required(*DEDUP_ROLES)
def entity_detail(request, pk):
    """An entity's golden record with the source and rule of each field, its member
    records with their businesses (duplicates marked) and its history."""
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
    _businesses_set(members, user=request.user, entity=entity)
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
    events = list(selectors.entity_events(entity=entity))
    visible_runs = set(
        selectors.run_list(user=request.user)
        .filter(pk__in={e.run_id for e in events if e.run_id})
        .values_list("pk", flat=True)
    )
    context = {
        "entity": entity,
        "fields": fields,
        "members": members,
        "has_businesses": any(person.business_list for person in members),
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
