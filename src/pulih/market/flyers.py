"""Flyers and booklets of UMKM products, printed by regencies and handed to every
government office (OPD) so that civil servants buy from their own UMKM ("Ayo Beli Produk
UMKM").

A flyer is one product per page, A4 or A5: photo, name, seller, pack prices, the
business's WhatsApp, and a QR code to the product's page in the public gallery, or to a
wave's order page when printed for a wave. A booklet is every product of a regency in
the gallery, in cards of two columns after a cover naming the regency. Only products in
the public gallery are printed: the gallery is where a flyer leads.

Who prints what: a seller its own products; officers the products of their area; a
regency's booklet its officers, its province's and the centre's.

A booklet of hundreds of products takes seconds, so it is printed by a background task
(`tasks.booklet_print`) into a file under MEDIA_ROOT with a random name. Only the officer
who asked for it downloads it, through `booklet_file`, and only while that regency is
still theirs to print; no public address leads to it.
"""

import re
import secrets
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urljoin

from django.conf import settings
from django.db import transaction
from django.db.models import Count
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import A4, A5
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import PageBreak, Spacer, Table, TableStyle

from pulih.core import formats, pdf
from pulih.core.models import TaskProgress
from pulih.core.progress import progress_start
from pulih.core.scope import code_in_scope
from pulih.wilayah.models import Regency

from . import gallery
from .models import Product, Wave

HEADLINE = gettext_lazy("Buy UMKM products!")
GREEN = colors.HexColor("#1b6e3c")


@dataclass(frozen=True)
class Layout:
    pagesize: tuple
    margin: float
    headline: float
    name: float
    text: float
    photo_height: float
    qr: float


LAYOUTS = {
    "A4": Layout(A4, 15 * mm, 30, 22, 13, 105 * mm, 55 * mm),
    "A5": Layout(A5, 10 * mm, 21, 16, 9.5, 70 * mm, 40 * mm),
}


def _style(name, size, *, bold=False, centred=False, colour=colors.black):
    pdf.fonts_register()
    return ParagraphStyle(
        name,
        fontName=pdf.FONT_BOLD if bold else pdf.FONT,
        fontSize=size,
        leading=size * 1.25,
        alignment=TA_CENTER if centred else 0,
        textColor=colour,
    )


def product_address(product, *, base_url, wave=None):
    """The absolute address a flyer's QR code leads to."""
    if wave is not None:
        path = reverse("market:wave_order", args=[wave.pk])
    else:
        path = reverse("market:gallery_product", args=[product.pk])
    return urljoin(base_url, path)


def _photo(product, width, height):
    if not product.photo:
        return None
    try:
        with product.photo.open("rb") as handle:
            return pdf.image(handle, width=width, height=height)
    except OSError:
        return None


def _public(products):
    """(product, card) of the given products that are in the public gallery, in order."""
    found = {p.pk: p for p in gallery.gallery_products().filter(pk__in=[p.pk for p in products])}
    return [(found[p.pk], gallery.gallery_card(found[p.pk])) for p in products if p.pk in found]


def _wave_dates(wave):
    return _("Orders %(opens)s to %(closes)s; distribution on %(day)s.") % {
        "opens": formats.date(wave.opens_at),
        "closes": formats.date(wave.closes_at),
        "day": formats.date(wave.distribution_on),
    }


def _flyer_page(product, card, *, layout, base_url, wave):
    width = layout.pagesize[0] - 2 * layout.margin
    text = _style("text", layout.text)
    address = product_address(product, base_url=base_url, wave=wave)
    story = [
        pdf.paragraph(
            HEADLINE, _style("headline", layout.headline, bold=True, centred=True, colour=GREEN)
        ),
        Spacer(1, layout.text),
    ]
    photo = _photo(product, width, layout.photo_height)
    if photo is not None:
        photo.hAlign = "CENTER"
        story += [photo, Spacer(1, layout.text)]
    story += [
        pdf.paragraph(card.name, _style("name", layout.name, bold=True)),
        pdf.paragraph(card.seller, _style("seller", layout.text * 1.1, bold=True)),
        pdf.paragraph(card.region, text),
        Spacer(1, layout.text * 0.6),
    ]
    details = [pdf.paragraph(pack.text, _style("pack", layout.text * 1.2)) for pack in card.packs]
    details.append(
        pdf.paragraph(
            _("%(price)s per %(unit)s")
            % {"price": formats.rupiah(card.price_per_unit), "unit": card.unit_label},
            text,
        )
    )
    if card.whatsapp_url:
        details += [
            Spacer(1, layout.text * 0.6),
            pdf.paragraph(_("WhatsApp: %(link)s") % {"link": card.whatsapp_text}, text),
        ]
    details += [pdf.paragraph(link.url, text) for link in card.marketplace]
    if wave is not None:
        details += [
            Spacer(1, layout.text * 0.6),
            pdf.paragraph(wave.title, _style("wave", layout.text, bold=True)),
            pdf.paragraph(_wave_dates(wave), text),
        ]
    caption = _("Scan to order in this wave") if wave is not None else _("Scan to see the product")
    code = [
        pdf.qr_drawing(address, layout.qr),
        pdf.paragraph(caption, _style("caption", layout.text * 0.8, centred=True)),
    ]
    columns = Table([[details, code]], colWidths=[width - layout.qr - 4 * mm, layout.qr + 4 * mm])
    columns.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 0),
            ]
        )
    )
    story += [columns, Spacer(1, layout.text * 0.6), pdf.paragraph(address, "small")]
    return story


def flyer_pdf(*, products, size="A4", base_url, wave=None) -> bytes:
    """A flyer of each product, one per page, in `size` A4 or A5. `base_url` is the site's
    address (`request.build_absolute_uri("/")`); with `wave`, the QR code leads to the
    wave's order page instead of the product's gallery page."""
    layout = LAYOUTS[size]
    story = []
    for product, card in _public(products):
        if story:
            story.append(PageBreak())
        story += _flyer_page(product, card, layout=layout, base_url=base_url, wave=wave)
    if not story:
        story = [pdf.paragraph(_("No product of the public gallery to print."))]
    return pdf.pdf_bytes(story, title=str(HEADLINE), pagesize=layout.pagesize, margin=layout.margin)


# Booklets ------------------------------------------------------------------------------

CARD_WIDTH = 88 * mm
CARD_GAP = 4 * mm
CARD_QR = 26 * mm


def _booklet_card(product, card, *, base_url):
    text = pdf.styles()["small"]
    details = [
        pdf.paragraph(card.name, "heading"),
        pdf.paragraph(card.seller, _style("seller", 8.5, bold=True)),
        *(pdf.paragraph(pack.text, "body") for pack in card.packs),
    ]
    if card.whatsapp_url:
        details.append(pdf.paragraph(_("WhatsApp: %(link)s") % {"link": card.whatsapp_text}, text))
    body = Table(
        [[details, pdf.qr_drawing(product_address(product, base_url=base_url), CARD_QR)]],
        colWidths=[CARD_WIDTH - CARD_QR - 8 * mm, CARD_QR + 2 * mm],
    )
    body.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP")]))
    photo = _photo(product, CARD_WIDTH - 8 * mm, 45 * mm)
    if photo is None:
        return [body]
    photo.hAlign = "CENTER"
    return [photo, Spacer(1, 2 * mm), body]


def _cover(regency, count):
    big = _style("cover", 20, bold=True, centred=True)
    centred = _style("centred", 12, centred=True)
    return [
        Spacer(1, 60 * mm),
        pdf.paragraph(HEADLINE, _style("headline", 30, bold=True, centred=True, colour=GREEN)),
        Spacer(1, 10 * mm),
        pdf.paragraph(_("UMKM product catalogue"), big),
        pdf.paragraph(regency.name, big),
        pdf.paragraph(regency.province.name, centred),
        Spacer(1, 12 * mm),
        pdf.paragraph(
            _("For every regional government office (OPD) of %(regency)s.")
            % {"regency": regency.name},
            centred,
        ),
        pdf.paragraph(_("Products: %(count)s") % {"count": formats.number(count)}, centred),
        pdf.paragraph(
            _("Printed on %(date)s") % {"date": formats.date(timezone.localdate())}, centred
        ),
        PageBreak(),
    ]


def booklet_pdf(*, regency_code, base_url, on_progress=None) -> bytes:
    """Every product of the regency in the public gallery, in cards of two columns after
    a cover naming the regency, each with a QR code to its gallery page.

    `on_progress(done, total)` is called with 0 before the first product and after each
    one is prepared; laying out the pages follows the last call."""
    regency = Regency.objects.select_related("province").get(code=regency_code)
    products = list(gallery.gallery_products(regency=regency_code))
    report = on_progress or (lambda done, total: None)
    report(0, len(products))
    story = _cover(regency, len(products))
    for start in range(0, len(products), 2):
        pair = products[start : start + 2]
        cards = []
        for done, product in enumerate(pair, start=start + 1):
            cards.append(_booklet_card(product, gallery.gallery_card(product), base_url=base_url))
            report(done, len(products))
        row = Table(
            [[cards[0], "", cards[1] if len(cards) > 1 else ""]],
            colWidths=[CARD_WIDTH, CARD_GAP, CARD_WIDTH],
            style=[
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                *(("BOX", (c, 0), (c, 0), 0.5, colors.grey) for c in (0, 2)[: len(cards)]),
            ],
        )
        story += [row, Spacer(1, CARD_GAP)]
    if not products:
        story.append(pdf.paragraph(_("No product of this regency is in the public gallery.")))

    def footer(canvas, document):
        if document.page == 1:
            return
        canvas.saveState()
        canvas.setFont(pdf.FONT, 7.5)
        canvas.drawString(
            15 * mm,
            8 * mm,
            _("UMKM product catalogue · %(regency)s · page %(page)s")
            % {"regency": regency.name, "page": document.page},
        )
        canvas.restoreState()

    title = _("UMKM product catalogue of %(regency)s") % {"regency": regency.name}
    return pdf.pdf_bytes(story, title=title, on_page=footer)


BOOKLET_KIND = "market_booklet"
BOOKLET_TOKEN = re.compile(r"[0-9a-f]{32}")


def booklets_dir() -> Path:
    return Path(settings.MEDIA_ROOT) / "market" / "booklets"


def booklet_start(*, user, code, base_url):
    """Queue the printing of the regency's booklet, which the user may print; returns the
    progress record the page follows."""
    from .tasks import booklet_print

    regency = booklet_regency_get(user=user, code=code)
    progress = progress_start(
        owner=user,
        kind=BOOKLET_KIND,
        title=_("Booklet of %(regency)s") % {"regency": regency.name},
        result_template="market/flyer_booklet_result.html",
        payload={"regency_code": regency.code, "base_url": base_url},
    )
    language = (get_language() or "id")[:2]
    transaction.on_commit(lambda: booklet_print.enqueue(str(progress.pk), language))
    return progress


def booklet_save(*, data, regency_code):
    """Keep a printed booklet under a random name; returns what its progress keeps."""
    directory = booklets_dir()
    directory.mkdir(parents=True, exist_ok=True)
    token = secrets.token_hex(16)
    (directory / f"{token}.pdf").write_bytes(data)
    return {"token": token, "regency_code": regency_code}


# Reads ---------------------------------------------------------------------------------


def flyer_products(*, user, wave=None):
    """The gallery products the user may print: a seller its own, officers their area's;
    with `wave`, only those it offers."""
    products = Product.objects.visible_to(user).filter(public=True, active=True)
    if wave is not None:
        products = products.filter(offers__wave=wave)
    return products.select_related("seller").order_by("name", "pk")


def flyer_product_get(*, user, pk):
    try:
        return flyer_products(user=user).get(pk=pk)
    except (Product.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


def flyer_waves(*, user):
    """The published waves the user sees, whose order page a flyer may lead to."""
    return Wave.objects.visible_to(user).filter(status=Wave.Status.PUBLISHED).distinct()


def flyer_wave_get(*, user, pk, product=None):
    waves = flyer_waves(user=user)
    if product is not None:
        waves = waves.filter(offers__product=product)
    try:
        return waves.get(pk=pk)
    except (Wave.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


def booklet_regency_get(*, user, code):
    """The regency whose booklet the user may print: of their own area, for officers of
    the regency, its province or the centre."""
    regency = Regency.objects.select_related("province").filter(code=code).first()
    if regency is None or not code_in_scope(user, code):
        raise Http404
    return regency


def booklet_regencies(*, user):
    """[(regency, number of gallery products)] of the regencies whose booklet the user
    may print and that have products in the gallery."""
    counts = dict(
        Product.objects.visible_to(user)
        .filter(public=True, active=True)
        .exclude(regency_code="")
        .values_list("regency_code")
        .annotate(count=Count("pk"))
        .values_list("regency_code", "count")
    )
    codes = [code for code in counts if code_in_scope(user, code)]
    return [
        (regency, counts[regency.code])
        for regency in Regency.objects.filter(code__in=codes).order_by("code")
    ]


def booklet_list(*, user):
    """The booklets the user asked for, newest first."""
    return TaskProgress.objects.filter(owner=user, kind=BOOKLET_KIND)


def booklet_get(*, user, progress_id):
    """A booklet being printed, or printed, is its owner's alone: 404 to anyone else."""
    found = booklet_list(user=user).filter(pk=progress_id).first()
    if found is None:
        raise Http404
    return found


def booklet_file(*, user, progress_id):
    """(path, filename) of a printed booklet, for the user who asked for it while they may
    still print that regency's booklet; 404 otherwise."""
    result = booklet_get(user=user, progress_id=progress_id).result
    token = result.get("token", "")
    if not BOOKLET_TOKEN.fullmatch(token):
        raise Http404
    regency = booklet_regency_get(user=user, code=result["regency_code"])
    path = booklets_dir() / f"{token}.pdf"
    if not path.is_file():
        raise Http404
    return path, f"katalog-umkm-{slugify(regency.name)}.pdf"
