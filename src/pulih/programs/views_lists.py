"""Pages of external lists: the upload, and a list's cross-check with the registry (the
irisan) with its downloads and the marking of the overlap as served.

The centre imports national lists and the provinces their own; every officer of the
programmes cross-checks within their area. People matched outside it are counted only.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from pulih.accounts.decorators import role_required
from pulih.core import formats
from pulih.core.exports import FORMATS
from pulih.registry.importing.messages import ImportRefused
from pulih.registry.importing.reading import EXTENSIONS, max_bytes
from pulih.registry.selectors import list_page

from . import lists, selectors
from .forms import NATIONAL, ListUploadForm
from .models import ExternalList
from .views import CENTRE_AND_PROVINCES, PROGRAMME_ROLES, acts, region_names, uploaded


@role_required(*PROGRAMME_ROLES)
def list_list(request):
    """The lists the officer sees; the centre and the provinces upload one here."""
    form = None
    if acts(request.user, CENTRE_AND_PROVINCES):
        form = ListUploadForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            try:
                with uploaded(data["file"]) as path:
                    lst = lists.list_import(
                        user=request.user,
                        kind=data["kind"],
                        path=path,
                        filename=data["file"].name,
                        name=data["name"],
                        source=data["source"],
                    )
            except ImportRefused as refusal:
                form.add_error("file", refusal.problem.text(get_language()))
            else:
                messages.success(request, _("The list was imported and matched to the registry."))
                return redirect("programs:list_detail", pk=lst.pk)
    elif request.method == "POST":
        raise Http404
    page = list_page(selectors.list_list(user=request.user), request.GET.get("page"))
    names = region_names({lst.province_code for lst in page if lst.province_code}, "province_code")
    for lst in page:
        lst.area = names.get(lst.province_code, "") or NATIONAL
    context = {
        "form": form,
        "page": page,
        "max_bytes": max_bytes(),
        "extensions": ", ".join(EXTENSIONS),
    }
    return render(request, "programs/list_list.html", context)


@role_required(*PROGRAMME_ROLES)
def list_detail(request, pk):
    """What the import made of the file, and the cross-check as the officer sees it."""
    lst = selectors.list_get(user=request.user, pk=pk)
    counts = lists.crosscheck(user=request.user, lst=lst).counts
    parts = [
        {"part": "overlap", "label": _("On the list and in the registry (irisan)")},
        {"part": "only_registry", "label": _("Only in the registry")},
        {"part": "only_list", "label": _("Only on the list")},
    ]
    for part in parts:
        part["count"] = counts[part["part"]]
    context = {
        "list": lst,
        "summary": lists.list_summary(lst),
        "parts": parts,
        "outside_scope": counts["outside_scope"],
        "formats": FORMATS,
        "may_mark": lst.kind == ExternalList.Kind.SOCIAL_AID
        and acts(request.user, CENTRE_AND_PROVINCES),
    }
    return render(request, "programs/list_detail.html", context)


@role_required(*PROGRAMME_ROLES)
def list_export(request, pk, part, fmt):
    """One part of the cross-check as CSV or XLSX."""
    lst = selectors.list_get(user=request.user, pk=pk)
    if part not in lists.PARTS or fmt not in FORMATS:
        raise Http404
    return lists.crosscheck_export(user=request.user, lst=lst, part=part, fmt=fmt)


@require_POST
@role_required(*CENTRE_AND_PROVINCES)
def list_served(request, pk):
    """Mark the overlap with a social aid list as already served."""
    lst = selectors.list_get(user=request.user, pk=pk)
    try:
        count = lists.served_mark(user=request.user, lst=lst)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        text = ngettext(
            "%(count)s entry of the overlap was marked as served.",
            "%(count)s entries of the overlap were marked as served.",
            count,
        )
        messages.success(request, text % {"count": formats.number(count)})
    return redirect("programs:list_detail", pk=lst.pk)
