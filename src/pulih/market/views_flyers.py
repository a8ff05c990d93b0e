"""Flyers and booklets to print: a seller prints its own products' flyers, officers those
of their area and the booklets of their regencies (see `flyers`). A flyer is printed in
the request; a booklet by a background task whose page offers the file when it is done."""

from django.http import FileResponse, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from pulih.accounts.decorators import role_required
from pulih.accounts.models import Role
from pulih.registry.selectors import list_page

from . import flyers
from .models import OFFICERS

FLYER_ROLES = (*OFFICERS, Role.PENJUAL)
BOOKLET_ROLES = (Role.PUSAT, Role.PROVINSI, Role.KABKOTA)
RECENT_BOOKLETS = 5


def pdf_response(data, filename):
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


def _wave(request, product=None):
    pk = request.GET.get("gelombang")
    return flyers.flyer_wave_get(user=request.user, pk=pk, product=product) if pk else None


@role_required(*FLYER_ROLES)
def flyer_menu(request):
    """What the user may print: the flyer of each product (for a wave, if one is
    chosen) and the booklets of the regencies of their area."""
    wave = _wave(request)
    page = list_page(flyers.flyer_products(user=request.user, wave=wave), request.GET.get("page"))
    context = {
        "page": page,
        "wave": wave,
        "waves": flyers.flyer_waves(user=request.user),
    }
    if request.user.is_superuser or request.user.role in BOOKLET_ROLES:
        context["regencies"] = flyers.booklet_regencies(user=request.user)
        context["booklets"] = flyers.booklet_list(user=request.user)[:RECENT_BOOKLETS]
    return render(request, "market/flyer_menu.html", context)


@role_required(*FLYER_ROLES)
def flyer(request, pk):
    product = flyers.flyer_product_get(user=request.user, pk=pk)
    size = request.GET.get("ukuran", "A4").upper()
    if size not in flyers.LAYOUTS:
        return HttpResponseBadRequest(_("A flyer is printed on A4 or A5."))
    wave = _wave(request, product)
    data = flyers.flyer_pdf(
        products=[product], size=size, base_url=request.build_absolute_uri("/"), wave=wave
    )
    return pdf_response(data, f"flyer-{slugify(product.name)}-{size}.pdf")


@role_required(*BOOKLET_ROLES)
@require_POST
def booklet(request, code):
    """Start printing the regency's booklet and follow it on its own page."""
    progress = flyers.booklet_start(
        user=request.user, code=code, base_url=request.build_absolute_uri("/")
    )
    return redirect("market:booklet_progress", progress_id=progress.pk)


@role_required(*BOOKLET_ROLES)
def booklet_progress(request, progress_id):
    progress = flyers.booklet_get(user=request.user, progress_id=progress_id)
    return render(request, "market/flyer_booklet.html", {"progress": progress})


@role_required(*BOOKLET_ROLES)
def booklet_download(request, progress_id):
    path, filename = flyers.booklet_file(user=request.user, progress_id=progress_id)
    return FileResponse(
        path.open("rb"), as_attachment=True, filename=filename, content_type="application/pdf"
    )
