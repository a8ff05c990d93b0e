"""The public gallery: anyone, signed in or not, browses the products sellers chose to
show, and reaches the seller by WhatsApp or on its marketplaces. No personal data."""

from django import forms
from django.http import FileResponse, Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from pulih.registry.selectors import list_page
from pulih.wilayah.models import Province, Regency

from . import gallery
from .models import Category

PER_PAGE = 24
ALL = _("All")
PHOTO_TYPES = {"jpg": "image/jpeg", "jpeg": "image/jpeg", "png": "image/png", "webp": "image/webp"}


class GalleryFilterForm(forms.Form):
    search = forms.CharField(label=_("Search"), required=False, max_length=100)
    category = forms.ChoiceField(label=_("Category"), required=False)
    province = forms.ChoiceField(label=_("Province"), required=False)
    regency = forms.ChoiceField(label=_("Regency/city"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = [("", ALL), *Category.choices]
        self.fields["province"].choices = [("", ALL), *Province.objects.values_list("code", "name")]
        province = self["province"].value()
        regencies = (
            Regency.objects.filter(province=province) if province else Regency.objects.none()
        )
        self.fields["regency"].choices = [("", ALL), *regencies.values_list("code", "name")]
        self.fields["province"].widget.attrs.update(
            {
                "hx-get": reverse("wilayah:options", args=["regencies"]),
                "hx-target": "#id_regency",
                "hx-trigger": "change",
                "hx-swap": "innerHTML",
            }
        )

    def filters(self):
        """The filters given that are valid: a regency of another province is dropped."""
        if not self.is_bound:
            return {}
        self.is_valid()
        return {name: value for name, value in self.cleaned_data.items() if value}


def gallery_list(request):
    form = GalleryFilterForm(request.GET or None)
    page = list_page(
        gallery.gallery_products(**form.filters()),
        request.GET.get("page"),
        per_page=PER_PAGE,
    )
    cards = [gallery.gallery_card(product) for product in page]
    return render(request, "market/gallery_list.html", {"form": form, "page": page, "cards": cards})


def gallery_product(request, pk):
    card = gallery.gallery_card(gallery.gallery_product_get(pk=pk))
    return render(request, "market/gallery_product.html", {"card": card})


def gallery_photo(request, pk):
    """A gallery product's photo: public like the product; none for any other product."""
    photo = gallery.gallery_product_get(pk=pk).photo
    if not photo:
        raise Http404
    try:
        handle = photo.open("rb")
    except OSError as exc:
        raise Http404 from exc
    extension = photo.name.rsplit(".", 1)[-1].lower()
    response = FileResponse(
        handle, content_type=PHOTO_TYPES.get(extension, "application/octet-stream")
    )
    response["Cache-Control"] = "public, max-age=3600"
    response["Content-Security-Policy"] = "default-src 'none'"
    return response
