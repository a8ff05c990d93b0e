"""The public gallery: the products sellers chose to show, for anyone, without signing in.

A product is in the gallery while it is public and active; any other is not found (404).
A card carries what a buyer needs and nothing about people: the seller organisation, its
region, the pack prices, the business's WhatsApp number the seller published, and its
marketplace links. Never a person's name, NIK or phone, nor anything of orders or waves.
"""

from dataclasses import dataclass
from urllib.parse import urlsplit

from django.db.models import OuterRef, Prefetch, Q, Subquery
from django.http import Http404
from django.urls import reverse

from pulih.core import formats
from pulih.core.ids import parse_phone
from pulih.wilayah.models import Province, Regency

from .models import Category, Pack, Product, Unit
from .products import quantity_text


@dataclass(frozen=True)
class PackPrice:
    size: str
    price: int

    @property
    def text(self):
        """ "5 kg — Rp 55.000" """
        return f"{self.size} — {formats.rupiah(self.price)}"


@dataclass(frozen=True)
class Link:
    label: str
    url: str


@dataclass(frozen=True)
class Card:
    """A product as the public sees it."""

    id: int
    name: str
    category: str
    category_label: str
    description: str
    seller: str
    province_code: str
    regency_code: str
    region: str
    unit: str
    unit_label: str
    price_per_unit: int
    packs: list[PackPrice]
    whatsapp_url: str
    marketplace: list[Link]
    photo_url: str

    @property
    def whatsapp_text(self):
        return self.whatsapp_url.removeprefix("https://")


def whatsapp_url(number):
    """The wa.me address of a WhatsApp number, or "" when it is not a valid number."""
    result = parse_phone(number) if number else None
    if result is None or not result.valid:
        return ""
    return f"https://wa.me/{result.e164.removeprefix('+')}"


def marketplace_links(links):
    """The web addresses among a product's marketplace links, labelled by their host."""
    found = []
    for url in links if isinstance(links, list) else []:
        parts = urlsplit(url) if isinstance(url, str) else None
        if parts and parts.scheme in ("http", "https") and parts.hostname:
            found.append(Link(label=parts.hostname.removeprefix("www."), url=url))
    return found


def _products():
    regency = Regency.objects.filter(code=OuterRef("regency_code")).values("name")[:1]
    province = Province.objects.filter(code=OuterRef("province_code")).values("name")[:1]
    return (
        Product.objects.filter(public=True, active=True)
        .select_related("seller")
        .prefetch_related(Prefetch("packs", queryset=Pack.objects.filter(active=True)))
        .annotate(regency_name=Subquery(regency), province_name=Subquery(province))
    )


def gallery_products(*, province="", regency="", category="", search=""):
    """Public active products, by name, filtered by region, category and a search of the
    product's or the seller's name."""
    products = _products()
    if province:
        products = products.filter(province_code=province)
    if regency:
        products = products.filter(regency_code=regency)
    if category:
        products = products.filter(category=category)
    if search:
        products = products.filter(Q(name__icontains=search) | Q(seller__name__icontains=search))
    return products.order_by("name", "pk")


def gallery_product_get(*, pk):
    try:
        return _products().get(pk=pk)
    except (Product.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


def gallery_card(product):
    """The public card of a product read through `gallery_products` or `gallery_product_get`."""
    region = ", ".join(name for name in (product.regency_name, product.province_name) if name)
    return Card(
        id=product.pk,
        name=product.name,
        category=product.category,
        category_label=str(Category(product.category).label),
        description=product.description,
        seller=product.seller.name,
        province_code=product.province_code,
        regency_code=product.regency_code,
        region=region,
        unit=product.unit,
        unit_label=str(Unit(product.unit).label),
        price_per_unit=product.price_per_unit,
        packs=[
            PackPrice(size=quantity_text(pack.size_milli, product.unit), price=pack.price)
            for pack in product.packs.all()
        ],
        whatsapp_url=whatsapp_url(product.whatsapp),
        marketplace=marketplace_links(product.marketplace_links),
        photo_url=reverse("market:gallery_photo", args=[product.pk]) if product.photo else "",
    )
