"""Pages of the spreadsheet import: upload, progress and preview, accept, downloads."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.views.decorators.http import require_POST

from .importing import services
from .importing.forms import ImportForm
from .importing.messages import ImportRefused
from .importing.place import import_regencies
from .importing.reading import EXTENSIONS, max_bytes, max_rows
from .importing.template import template_workbook

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
RECENT_IMPORTS = 10


def _regencies_or_404(user):
    """Users who cannot import anywhere do not see the import at all."""
    regencies = list(import_regencies(user=user))
    if not regencies:
        raise Http404
    return regencies


@login_required
def import_upload(request):
    regencies = _regencies_or_404(request.user)
    form = ImportForm(request.POST or None, request.FILES or None, regencies=regencies)
    if request.method == "POST" and form.is_valid():
        try:
            progress = services.import_start(
                user=request.user,
                upload=form.cleaned_data["file"],
                regency_code=form.cleaned_data.get("regency") or regencies[0].code,
            )
        except ImportRefused as refusal:
            form.add_error("file", refusal.problem.text(get_language()))
        else:
            return redirect("registry_import:detail", progress_id=progress.pk)
    return render(
        request,
        "registry/import/upload.html",
        {
            "form": form,
            "max_bytes": max_bytes(),
            "max_rows": max_rows(),
            "extensions": ", ".join(EXTENSIONS),
            "recent": services.import_list(user=request.user)[:RECENT_IMPORTS],
        },
    )


@login_required
def import_detail(request, progress_id):
    """The import's progress; once checked, its preview with the accept button."""
    progress = services.import_get(user=request.user, progress_id=progress_id)
    return render(request, "registry/import/detail.html", {"progress": progress})


@login_required
@require_POST
def import_accept(request, progress_id):
    try:
        services.import_accept(user=request.user, progress_id=progress_id)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("registry_import:detail", progress_id=progress_id)


@login_required
def errors_download(request, progress_id):
    path = services.import_error_file(user=request.user, progress_id=progress_id)
    return FileResponse(
        path.open("rb"), as_attachment=True, filename="baris-salah.xlsx", content_type=XLSX
    )


@login_required
def template_download(request):
    _regencies_or_404(request.user)
    response = HttpResponse(template_workbook(), content_type=XLSX)
    response["Content-Disposition"] = 'attachment; filename="templat-impor-umkm.xlsx"'
    return response
