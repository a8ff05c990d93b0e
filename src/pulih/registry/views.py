"""Collection stages (tahap) and the field entry form."""

import datetime

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from pulih.accounts.decorators import role_required
from pulih.accounts.models import Role
from pulih.wilayah.data import nik_check
from pulih.wilayah.models import Regency

from . import selectors_batch as selectors
from . import services
from .duplicates import candidates_described, duplicate_check
from .forms import BatchStepForm, EntryForm

OFFICERS = (Role.PUSAT, Role.PROVINSI, Role.KABKOTA, Role.PENDAMPING)
COLLECTORS = (Role.KABKOTA, Role.PENDAMPING)

STEP_DONE = {
    "submit": gettext_lazy("The batch was submitted to the province."),
    "verify": gettext_lazy("The batch was verified."),
    "return": gettext_lazy("The batch was returned to the regency with your comment."),
    "approve": gettext_lazy("The batch was approved and is now locked."),
    "unapprove": _(
        "The batch was un-approved; its data can be corrected again after it is returned."
    ),
    "receive": gettext_lazy("The batch was received by the centre."),
    "unreceive": gettext_lazy("The batch is no longer marked as received."),
}


@role_required(*OFFICERS)
def batch_detail(request, batch_id):
    batch = selectors.batch_get(viewer=request.user, batch_id=batch_id)
    return render(
        request,
        "registry/batch_detail.html",
        {
            "batch": batch,
            "regency": Regency.objects.filter(code=batch.regency_code).first(),
            "counts": selectors.batch_counts(batch=batch),
            "events": selectors.batch_events(batch=batch),
            "actions": services.batch_actions(batch=batch, user=request.user),
            "form": BatchStepForm(),
        },
    )


@require_POST
@role_required(*OFFICERS)
def batch_step(request, batch_id):
    batch = selectors.batch_get(viewer=request.user, batch_id=batch_id)
    form = BatchStepForm(request.POST)
    if form.is_valid() and form.cleaned_data["action"] in services.TRANSITIONS:
        action = form.cleaned_data["action"]
        try:
            services.batch_transition(
                batch=batch, user=request.user, action=action, comment=form.cleaned_data["comment"]
            )
        except (ValidationError, PermissionDenied) as error:
            messages.error(request, " ".join(getattr(error, "messages", [str(error)])))
        else:
            messages.success(request, STEP_DONE[action])
    return redirect("registry:batch_detail", batch_id=batch.pk)


def _posted_data(request):
    multiple = {"problems", "needs"}
    return {
        key: values if key in multiple else values[-1]
        for key, values in request.POST.lists()
        if key not in {"csrfmiddlewaretoken", "save_draft"}
    }


def _entry_initial(user):
    initial = {"report_date": timezone.localdate()}
    if user.province_code:
        initial["province"] = user.province_code
    if user.regency_code:
        initial["regency"] = user.regency_code
    return initial


@role_required(*COLLECTORS)
def entry(request):
    """The entry form, made for a phone: save a draft at any time, save the entry when done."""
    draft_id = request.GET.get("draf") or request.POST.get("draft_id")
    draft = selectors.entry_draft_get(author=request.user, draft_id=draft_id) if draft_id else None
    if request.method == "POST" and "save_draft" in request.POST:
        draft = services.entry_draft_save(
            user=request.user, data=_posted_data(request), draft=draft
        )
        messages.success(request, _("Draft saved. You can finish it later from this page."))
        return redirect(f"{request.path}?draf={draft.pk}")
    if request.method == "POST":
        form = EntryForm(request.POST)
        if form.is_valid():
            try:
                business = services.entry_create(
                    user=request.user, data=form.cleaned_data, draft=draft
                )
            except ValidationError as error:
                _attach_errors(form, error)
            else:
                messages.success(
                    request,
                    _("Saved: %(business)s, in batch stage %(stage)s.")
                    % {"business": business.name, "stage": business.batch.stage},
                )
                return redirect("registry:entry")
    else:
        form = EntryForm(initial=draft.data if draft else _entry_initial(request.user))
    return render(
        request,
        "registry/entry.html",
        {"form": form, "draft": draft, "drafts": selectors.entry_drafts(author=request.user)},
    )


def _attach_errors(form, error):
    fields = {"village_code": "village", "phone": "phone", "nik": "nik", "whatsapp": "whatsapp"}
    if hasattr(error, "error_dict"):
        for field, field_errors in error.message_dict.items():
            form.add_error(
                fields.get(field) if fields.get(field) in form.fields else None, field_errors
            )
    else:
        form.add_error(None, error.messages)


@require_POST
@role_required(*COLLECTORS)
def entry_nik_check(request):
    """Live NIK check beside the form: what the NIK says, where it disagrees with what was
    typed, and whether the registry already has it."""
    nik = request.POST.get("nik", "").strip()
    if not nik:
        return render(request, "registry/_entry_nik.html", {})
    result = nik_check(nik)
    disagreements = []
    if result.valid:
        birth_date = request.POST.get("birth_date", "")
        if birth_date and result.birth_date and birth_date != result.birth_date.isoformat():
            disagreements.append(_("The birth date typed differs from the one in the NIK."))
        sex = request.POST.get("sex", "")
        if sex and result.sex and sex != result.sex:
            disagreements.append(_("The sex chosen differs from the one in the NIK."))
    visible, others = selectors.nik_registry_matches(viewer=request.user, nik=nik)
    return render(
        request,
        "registry/_entry_nik.html",
        {
            "result": result,
            "disagreements": disagreements,
            "visible": visible,
            "others": others,
        },
    )


@require_POST
@role_required(*COLLECTORS)
def entry_duplicate_check(request):
    """Live panel beside the form: people already in the registry who may be the one being
    typed, found by record linkage. It informs; saving stays the officer's decision."""
    post = request.POST
    record = {
        "id_number": post.get("nik", "").strip(),
        "name": post.get("name", "").strip(),
        "birth_date": _date_or_none(post.get("birth_date", "")),
        "sex": post.get("sex", ""),
        "phone": post.get("phone", "").strip(),
        "address": post.get("address", "").strip(),
        "region": post.get("village") or post.get("district") or post.get("regency") or "",
    }
    if not (record["id_number"] or record["name"] or record["phone"]):
        return render(request, "registry/_entry_duplicates.html", {})
    result = duplicate_check(user=request.user, record=record)
    if result is None:
        return render(request, "registry/_entry_duplicates.html", {})
    return render(
        request,
        "registry/_entry_duplicates.html",
        {
            "checked": True,
            "candidates": candidates_described(result.candidates),
            "elsewhere": result.elsewhere,
        },
    )


def _date_or_none(text):
    try:
        return datetime.date.fromisoformat(text.strip())
    except ValueError:
        return None
