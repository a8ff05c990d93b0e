"""Wave pages for those who run waves and those who serve them.

Officers see the national waves and their province's and manage those they run (central
officers national ones, a province's officers their province's); a seller sees the
waves it offers in, with its own offers and purchase order; a PIC the waves of its
drop-off points, with its own pick lists and payment sheet. To anyone else the pages do
not exist (404), nor does a wave, point or document out of the user's scope.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import content_disposition_header
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from pulih.accounts.decorators import role_required
from pulih.accounts.models import Organisation, Role, User
from pulih.core.audit import access_log_record
from pulih.core.exports import export_rows
from pulih.registry.selectors import list_page

from . import closing, waves
from .forms import DropOffForm, OfferForm, WaveForm, refusal_to
from .models import OFFICERS

WAVE_ROLES = (*OFFICERS, Role.PENJUAL, Role.PIC)
RUNNERS = (Role.PUSAT, Role.PROVINSI)
FORMATS = ("pdf", "xlsx")


def _flash_refusal(request, error):
    for message in error.messages:
        messages.error(request, message)


def _is_officer(user):
    return user.is_superuser or user.role in OFFICERS


def _managed_wave(request, pk):
    """A wave the user sees (404 otherwise) and runs (403 otherwise)."""
    wave = waves.wave_get(user=request.user, pk=pk)
    if not waves.wave_manageable(request.user, wave):
        raise PermissionDenied
    return wave


@role_required(*WAVE_ROLES)
def wave_list(request):
    page = list_page(waves.wave_list(user=request.user), request.GET.get("page"))
    may_create = request.user.is_superuser or request.user.role in RUNNERS
    context = {"page": page, "may_create": may_create}
    return render(request, "market/wave_manage_list.html", context)


@role_required(*RUNNERS)
def wave_create(request):
    user = request.user
    form = WaveForm(request.POST or None, user=user)
    if request.method == "POST" and form.is_valid():
        try:
            wave = waves.wave_create(user=user, **form.cleaned_data)
        except ValidationError as error:
            refusal_to(form, error)
        else:
            messages.success(request, _("The wave was created as a draft."))
            return redirect("market:wave_manage", pk=wave.pk)
    return render(request, "market/wave_form.html", {"form": form})


@role_required(*RUNNERS)
def wave_update(request, pk):
    user = request.user
    wave = _managed_wave(request, pk)
    initial = WaveForm.initial_of(wave)
    form = WaveForm(request.POST or None, user=user, editing=True, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            waves.wave_update(user=user, wave=wave, **form.cleaned_data)
        except ValidationError as error:
            refusal_to(form, error)
        else:
            messages.success(request, _("The wave was saved."))
            return redirect("market:wave_manage", pk=wave.pk)
    return render(request, "market/wave_form.html", {"form": form, "wave": wave})


def _manage_page(request, wave, offer_form=None, drop_off_form=None, status=200):
    user = request.user
    may_manage = waves.wave_manageable(user, wave)
    editable = may_manage and wave.status in waves.EDITABLE
    context = {
        "wave": wave,
        "window": waves.window_text(wave),
        "institutions": wave.institutions.all(),
        "offers": waves.wave_offers(wave=wave, user=user),
        "drop_offs": waves.wave_drop_offs(wave=wave, user=user),
        "may_manage": may_manage,
        "editable": editable,
        "officer": _is_officer(user),
        "documents": closing.documents_ready(wave),
    }
    if editable:
        context["offer_form"] = offer_form or OfferForm(user=user)
        context["drop_off_form"] = drop_off_form or DropOffForm()
    if wave.status != wave.Status.DRAFT and user.role != Role.PIC:
        own = user.organisation if user.role == Role.PENJUAL else None
        context["totals"] = closing.wave_totals(wave=wave, seller=own)
    if context["documents"] and _is_officer(user):
        pics = {point.pic for point in context["drop_offs"]}
        context["pics"] = sorted(pics, key=lambda pic: (pic.get_full_name(), pic.username))
    elif context["documents"] and user.role == Role.PIC:
        context["pics"] = [user]
    return render(request, "market/wave_manage.html", context, status=status)


@role_required(*WAVE_ROLES)
def wave_manage(request, pk):
    """The wave: window, buyers, offers with stock, sold and remaining, drop-off points
    with their PICs; publishing and closing; once closed, totals and documents."""
    return _manage_page(request, waves.wave_get(user=request.user, pk=pk))


@require_POST
@role_required(*RUNNERS)
def wave_offer_add(request, pk):
    user = request.user
    wave = _managed_wave(request, pk)
    form = OfferForm(request.POST, user=user)
    if form.is_valid():
        try:
            waves.wave_offer_set(user=user, wave=wave, **form.cleaned_data)
        except ValidationError as error:
            refusal_to(form, error)
        else:
            messages.success(request, _("The offer was saved."))
            return redirect("market:wave_manage", pk=wave.pk)
    return _manage_page(request, wave, offer_form=form, status=422)


@require_POST
@role_required(*RUNNERS)
def drop_off_add(request, pk):
    user = request.user
    wave = _managed_wave(request, pk)
    form = DropOffForm(request.POST)
    if form.is_valid():
        try:
            waves.drop_off_add(user=user, wave=wave, **form.cleaned_data)
        except ValidationError as error:
            refusal_to(form, error)
        else:
            messages.success(request, _("The drop-off point was added."))
            return redirect("market:wave_manage", pk=wave.pk)
    return _manage_page(request, wave, drop_off_form=form, status=422)


@role_required(*RUNNERS)
def drop_off_update(request, pk):
    user = request.user
    drop_off = waves.drop_off_get(user=user, pk=pk)
    if not waves.wave_manageable(user, drop_off.wave):
        raise PermissionDenied
    form = DropOffForm(request.POST or None, initial=DropOffForm.initial_of(drop_off))
    if request.method == "POST" and form.is_valid():
        try:
            waves.drop_off_update(user=user, drop_off=drop_off, **form.cleaned_data)
        except ValidationError as error:
            refusal_to(form, error)
        else:
            messages.success(request, _("The drop-off point was saved."))
            return redirect("market:wave_manage", pk=drop_off.wave_id)
    context = {"form": form, "drop_off": drop_off, "wave": drop_off.wave}
    return render(request, "market/wave_form_drop_off.html", context)


@require_POST
@role_required(*RUNNERS)
def wave_publish(request, pk):
    wave = waves.wave_get(user=request.user, pk=pk)
    try:
        waves.wave_publish(user=request.user, wave=wave)
    except ValidationError as error:
        _flash_refusal(request, error)
    else:
        messages.success(request, _("The wave is published: buyers can order once it opens."))
    return redirect("market:wave_manage", pk=wave.pk)


@require_POST
@role_required(*RUNNERS)
def wave_close(request, pk):
    wave = waves.wave_get(user=request.user, pk=pk)
    try:
        closing.wave_close(user=request.user, wave=wave)
    except ValidationError as error:
        _flash_refusal(request, error)
    else:
        messages.success(request, _("The wave is closed: totals and documents are ready."))
    return redirect("market:wave_manage", pk=wave.pk)


# Documents -----------------------------------------------------------------------------


def _closed_or_back(request, wave):
    """The wave's documents exist once it is closed; before, back to the wave page."""
    if closing.documents_ready(wave):
        return None
    messages.error(request, str(closing.NOT_CLOSED_YET))
    return redirect("market:wave_manage", pk=wave.pk)


def _download(content, content_type, filename):
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=True, filename=filename
    )
    response["Cache-Control"] = "private, no-store"
    return response


def _format(request):
    fmt = request.GET.get("format") or "pdf"
    if fmt not in FORMATS:
        raise Http404
    return fmt


@role_required(*OFFICERS, Role.PENJUAL)
def seller_po(request, pk, seller_pk):
    """The purchase order to one seller of the wave; a seller gets its own only."""
    user = request.user
    wave = waves.wave_get(user=user, pk=pk)
    if user.role == Role.PENJUAL and seller_pk != user.organisation_id:
        raise Http404
    seller = get_object_or_404(
        Organisation.objects.filter(products__offers__wave=wave).distinct(), pk=seller_pk
    )
    back = _closed_or_back(request, wave)
    if back:
        return back
    content = closing.purchase_order_pdf(wave=wave, seller=seller)
    filename = f"surat-pesanan-{wave.pk}-{slugify(seller.name)}.pdf"
    return _download(content, "application/pdf", filename)


@role_required(*OFFICERS, Role.PIC)
def pick_list(request, pk):
    """A drop-off point's pick list (`?format=pdf` or `xlsx`): its officers' or its PIC's."""
    drop_off = waves.drop_off_get(user=request.user, pk=pk)
    fmt = _format(request)
    back = _closed_or_back(request, drop_off.wave)
    if back:
        return back
    access_log_record(request=request, obj=drop_off)
    filename = f"daftar-ambil-{drop_off.wave_id}-{slugify(drop_off.cluster)}"
    if fmt == "xlsx":
        rows = closing.pick_list(drop_off=drop_off)
        columns = closing.pick_list_columns()
        return export_rows(rows=rows, columns=columns, fmt="xlsx", filename=filename)
    content = closing.pick_list_pdf(drop_off=drop_off)
    return _download(content, "application/pdf", f"{filename}.pdf")


@role_required(*OFFICERS, Role.PIC)
def payment_sheet(request, pk, pic_pk):
    """A PIC's payment sheet for the wave (`?format=pdf` or `xlsx`): a PIC gets its own."""
    user = request.user
    wave = waves.wave_get(user=user, pk=pk)
    if user.role == Role.PIC and pic_pk != user.pk:
        raise Http404
    pic = get_object_or_404(User.objects.filter(drop_off_points__wave=wave).distinct(), pk=pic_pk)
    fmt = _format(request)
    back = _closed_or_back(request, wave)
    if back:
        return back
    access_log_record(request=request, obj=wave)
    filename = f"lembar-pembayaran-{wave.pk}-{slugify(pic.get_username())}"
    if fmt == "xlsx":
        rows = closing.payment_sheet(wave=wave, pic=pic)["rows"]
        columns = closing.payment_sheet_columns()
        return export_rows(rows=rows, columns=columns, fmt="xlsx", filename=filename)
    content = closing.payment_sheet_pdf(wave=wave, pic=pic)
    return _download(content, "application/pdf", f"{filename}.pdf")
