from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils import timezone

from pulih.accounts.decorators import role_required
from pulih.accounts.models import Role
from pulih.core.scope import Level
from pulih.wilayah.data import nik_check as nik_parse
from pulih.wilayah.models import District, Province, Regency

from .forms import NikBulkForm, NikForm
from .services import NIK_BULK_LIMIT, nik_bulk_check_start

OFFICER_ROLES = {Role.PUSAT, Role.PROVINSI, Role.KABKOTA, Role.PENDAMPING}


def scope_description(user):
    """The places a user's scope covers, for the home page."""
    level = user.scope_level
    if level == Level.PROVINCE:
        return list(Province.objects.filter(code=user.province_code))
    if level == Level.REGENCY:
        return list(Regency.objects.filter(code=user.regency_code))
    if level == Level.DISTRICTS:
        return list(District.objects.filter(code__in=user.district_codes()))
    return []


@login_required
def home(request):
    user = request.user
    return render(
        request,
        "dashboard/home.html",
        {
            "scope_level": user.scope_level,
            "places": scope_description(user),
            "today": timezone.localdate(),
        },
    )


@role_required(*OFFICER_ROLES)
def nik_check(request):
    """Check one NIK as it is typed (htmx), or many pasted at once as a background task.

    NIKs travel in POST bodies only, so they never reach URLs or access logs.
    """
    form, bulk, result, progress = NikForm(), NikBulkForm(), None, None
    if request.method == "POST" and "niks" in request.POST:
        bulk = NikBulkForm(request.POST)
        if bulk.is_valid():
            progress = nik_bulk_check_start(user=request.user, text=bulk.cleaned_data["niks"])
            bulk = NikBulkForm()
    elif request.method == "POST":
        form = NikForm(request.POST)
        result = nik_parse(form.cleaned_data["nik"]) if form.is_valid() else None
        if request.headers.get("HX-Request") == "true":
            return render(request, "dashboard/_nik_result.html", {"result": result})
    return render(
        request,
        "dashboard/nik_check.html",
        {
            "form": form,
            "bulk": bulk,
            "result": result,
            "progress": progress,
            "limit": NIK_BULK_LIMIT,
        },
    )
