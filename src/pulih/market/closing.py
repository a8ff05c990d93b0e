"""Closing a wave, and what a closed wave gives out: totals per seller and product (in kg
and tonnes: 2.9 t), a purchase order to each seller, a pick list per drop-off point and a
payment sheet per PIC.

Only orders not cancelled count. Quantities come from the order lines (packs × size),
money from the lines' amounts: the prices of the moment each order was placed.
Documents are in the language of the request (Indonesian unless the user chose English).
"""

from decimal import Decimal
from operator import itemgetter

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import BigIntegerField, F, Prefetch, Sum
from django.db.models.functions import Cast
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import mm

from pulih.core import formats, pdf
from pulih.core.ids import mask_nip

from .models import Order, OrderLine, SellerSettlement, Unit, Wave
from .products import MILLI, quantity_text
from .waves import live_orders, wave_manageable, window_text

CLOSED = (Wave.Status.CLOSED, Wave.Status.SETTLED)

WAVE_NOT_PUBLISHED = gettext_lazy("Only a published wave can be closed; this one is %(status)s.")
EARLY_CLOSE_ORGANISER_ONLY = gettext_lazy(
    "Orders are open until %(closes)s: only an officer of the organiser, %(organiser)s, may "
    "close the wave early."
)
NOT_CLOSED_YET = gettext_lazy(
    "Orders are still being taken: the documents are made when the wave closes."
)


def wave_close(*, user, wave, now=None) -> Wave:
    """Stop taking orders and work out what the wave owes each seller. After the window
    anyone who runs the wave may close it; before, only an officer of the organiser, and
    the window is cut short. Closing a closed wave again only recomputes what is owed."""
    now = now or timezone.now()
    if not wave_manageable(user, wave):
        raise PermissionDenied
    with transaction.atomic():
        wave = Wave.objects.select_for_update().get(pk=wave.pk)
        if wave.status == Wave.Status.DRAFT:
            raise ValidationError(WAVE_NOT_PUBLISHED % {"status": wave.get_status_display()})
        if wave.status == Wave.Status.PUBLISHED:
            if now < wave.closes_at:
                if not (user.is_superuser or user.organisation_id == wave.organiser_id):
                    raise ValidationError(
                        EARLY_CLOSE_ORGANISER_ONLY
                        % {
                            "closes": formats.datetime_(wave.closes_at),
                            "organiser": wave.organiser,
                        }
                    )
                wave.opens_at = min(wave.opens_at, now)
                wave.closes_at = now
            wave.status = Wave.Status.CLOSED
            wave.closed_at = now
            wave.save(update_fields=["opens_at", "closes_at", "status", "closed_at"])
        if wave.status == Wave.Status.CLOSED:
            _settlements_write(wave)
    return wave


def documents_ready(wave):
    return wave.status in CLOSED


def _line_milli():
    return Cast("quantity", BigIntegerField()) * F("size_milli")


def _live_lines(wave):
    return OrderLine.objects.filter(order__wave=wave).exclude(order__status=Order.Status.CANCELLED)


def _settlements_write(wave):
    sold = {
        row["seller"]: row
        for row in _live_lines(wave)
        .values(seller=F("offer__product__seller"))
        .annotate(milli=Sum(_line_milli()), amount=Sum("amount"))
        .order_by()
    }
    sellers = wave.offers.values_list("product__seller", flat=True).distinct()
    for seller_id in sellers:
        row = sold.get(seller_id, {})
        SellerSettlement.objects.update_or_create(
            wave=wave,
            seller_id=seller_id,
            defaults={"sold_milli": row.get("milli") or 0, "amount_due": row.get("amount") or 0},
        )


# Totals --------------------------------------------------------------------------------


def _weights(entry, kg_milli):
    """kg and tonnes of what weighs (products sold by the kg), and its text: 2.9 t."""
    kg = Decimal(kg_milli) / MILLI
    entry.update(kg=kg, tonnes=kg / MILLI, weight_text=formats.weight(kg))
    return entry


def wave_totals(*, wave, seller=None):
    """Per seller and product (of one seller, if given): packs by size, quantity in the
    product's unit (kg and tonnes for those sold by the kg) and Rupiah; and overall."""
    offers = wave.offers.select_related("product__seller").order_by(
        "product__seller__name", "product__name"
    )
    lines = _live_lines(wave)
    if seller is not None:
        offers = offers.filter(product__seller=seller)
        lines = lines.filter(offer__product__seller=seller)
    products = {}
    for offer in offers:
        product = offer.product
        products[product.pk] = {
            "product": product,
            "unit": product.unit,
            "packs": [],
            "pack_count": 0,
            "quantity_milli": 0,
            "amount": 0,
        }
    rows = (
        lines.values("offer__product_id", "size_milli")
        .annotate(packs=Sum("quantity"), amount=Sum("amount"))
        .order_by("offer__product_id", "size_milli")
    )
    for row in rows:
        entry = products.get(row["offer__product_id"])
        if entry is None:
            continue
        entry["packs"].append(
            {
                "size_milli": row["size_milli"],
                "size_text": quantity_text(row["size_milli"], entry["unit"]),
                "packs": row["packs"],
                "amount": row["amount"],
            }
        )
        entry["pack_count"] += row["packs"]
        entry["quantity_milli"] += row["packs"] * row["size_milli"]
        entry["amount"] += row["amount"]
    sellers = {}
    for entry in products.values():
        by_kg = entry["unit"] == Unit.KG
        entry["quantity_text"] = quantity_text(entry["quantity_milli"], entry["unit"])
        if by_kg:
            _weights(entry, entry["quantity_milli"])
        else:
            entry.update(kg=None, tonnes=None, weight_text="")
        owner = entry["product"].seller
        group = sellers.setdefault(
            owner.pk, {"seller": owner, "products": [], "kg_milli": 0, "amount": 0}
        )
        group["products"].append(entry)
        group["kg_milli"] += entry["quantity_milli"] if by_kg else 0
        group["amount"] += entry["amount"]
    for group in sellers.values():
        _weights(group, group["kg_milli"])
    total = {
        "sellers": list(sellers.values()),
        "amount": sum(group["amount"] for group in sellers.values()),
        "packs": sum(entry["pack_count"] for entry in products.values()),
        "orders": lines.values("order").distinct().count(),
    }
    return _weights(total, sum(group["kg_milli"] for group in sellers.values()))


def seller_deliveries(*, wave, seller):
    """Where the seller's goods go: per drop-off point, packs by product and size."""
    rows = (
        _live_lines(wave)
        .filter(offer__product__seller=seller)
        .values("order__drop_off", "offer__product", "size_milli")
        .annotate(packs=Sum("quantity"))
        .order_by("order__drop_off__cluster", "offer__product__name", "size_milli")
    )
    points = {point.pk: point for point in wave.drop_off_points.select_related("pic")}
    products = {offer.product_id: offer.product for offer in wave.offers.select_related("product")}
    result = {}
    for row in rows:
        point = points[row["order__drop_off"]]
        product = products[row["offer__product"]]
        entry = result.setdefault(point.pk, {"drop_off": point, "rows": [], "quantity": {}})
        entry["rows"].append(
            {
                "product": product,
                "size_text": quantity_text(row["size_milli"], product.unit),
                "packs": row["packs"],
                "quantity_text": quantity_text(row["packs"] * row["size_milli"], product.unit),
            }
        )
    return list(result.values())


# Pick lists and payment sheets ---------------------------------------------------------


def _orders_with_lines(orders):
    lines = OrderLine.objects.select_related("offer__product").order_by("pk")
    return (
        live_orders(orders)
        .select_related("institution", "drop_off")
        .prefetch_related(Prefetch("lines", queryset=lines))
        .order_by("buyer_name", "code")
    )


def _packs_text(packs):
    return "; ".join(f"{p['quantity']} × {p['product']} {p['size_text']}" for p in packs)


def pick_list(*, drop_off):
    """The drop-off point's orders as the PIC hands them over: code, buyer (the NIP
    masked: the name and code identify the order), phone, packs, amount, paid or not."""
    rows = []
    for order in _orders_with_lines(drop_off.orders.all()):
        packs = [
            {
                "product": line.offer.product.name,
                "size_text": quantity_text(line.size_milli, line.offer.product.unit),
                "quantity": line.quantity,
                "amount": line.amount,
            }
            for line in order.lines.all()
        ]
        rows.append(
            {
                "order": order,
                "code": order.code,
                "buyer_name": order.buyer_name,
                "nip": mask_nip(order.nip) if order.nip else "",
                "institution": str(order.institution or ""),
                "phone": order.phone,
                "packs": packs,
                "packs_text": _packs_text(packs),
                "amount": order.total,
                "amount_paid": order.amount_paid,
                "outstanding": order.outstanding,
                "paid": order.payment_status == Order.Payment.PAID,
                "payment": order.get_payment_status_display(),
                "fulfilment": order.get_fulfilment_display(),
                "status": order.get_status_display(),
            }
        )
    return rows


def payment_sheet(*, wave, pic):
    """What the PIC collects: per order of its drop-off points, expected, paid and
    outstanding, with a column for the buyer's signature."""
    orders = _orders_with_lines(Order.objects.filter(wave=wave, drop_off__pic=pic))
    rows = [
        {
            "order": order,
            "cluster": order.drop_off.cluster,
            "code": order.code,
            "buyer_name": order.buyer_name,
            "expected": order.total,
            "paid": order.amount_paid,
            "outstanding": order.outstanding,
        }
        for order in orders
    ]
    return {
        "rows": rows,
        "expected": sum(row["expected"] for row in rows),
        "paid": sum(row["paid"] for row in rows),
        "outstanding": sum(row["outstanding"] for row in rows),
    }


def pick_list_columns():
    return [
        (_("Code"), itemgetter("code")),
        (_("Buyer"), itemgetter("buyer_name")),
        (_("NIP"), itemgetter("nip")),
        (_("Institution"), itemgetter("institution")),
        (_("Phone"), itemgetter("phone")),
        (_("Packs"), itemgetter("packs_text")),
        (_("Amount (Rp)"), itemgetter("amount")),
        (_("Paid (Rp)"), itemgetter("amount_paid")),
        (_("Payment"), itemgetter("payment")),
        (_("Fulfilment"), itemgetter("fulfilment")),
    ]


def payment_sheet_columns():
    return [
        (_("Drop-off point"), itemgetter("cluster")),
        (_("Code"), itemgetter("code")),
        (_("Buyer"), itemgetter("buyer_name")),
        (_("Expected (Rp)"), itemgetter("expected")),
        (_("Paid (Rp)"), itemgetter("paid")),
        (_("Outstanding (Rp)"), itemgetter("outstanding")),
        (_("Signature"), lambda row: ""),
    ]


# Documents -----------------------------------------------------------------------------


def _facts(pairs):
    return [pdf.paragraph(f"{label}: {value}") for label, value in pairs]


def _wave_facts(wave):
    return [
        (_("Wave"), wave.title),
        (_("Organiser"), str(wave.organiser)),
        (_("Orders taken"), window_text(wave)),
        (_("Distribution day"), formats.date(wave.distribution_on)),
    ]


def purchase_order_pdf(*, wave, seller):
    """The order to a seller: what to deliver (packs by size, kg and tonnes, Rupiah) and
    where (per drop-off point, with its PIC)."""
    totals = wave_totals(wave=wave, seller=seller)
    title = _("Purchase order")
    story = [
        pdf.paragraph(title, "title"),
        *_facts([(_("To"), seller.name), *_wave_facts(wave)]),
        pdf.paragraph(_("Order"), "heading"),
    ]
    rows = []
    for group in totals["sellers"]:
        for entry in group["products"]:
            for pack in entry["packs"]:
                rows.append(
                    [
                        entry["product"].name,
                        pack["size_text"],
                        formats.number(pack["packs"]),
                        quantity_text(pack["packs"] * pack["size_milli"], entry["unit"]),
                        formats.rupiah(pack["amount"]),
                    ]
                )
            rows.append(
                [
                    _("Total %(product)s") % {"product": entry["product"].name},
                    "",
                    formats.number(entry["pack_count"]),
                    entry["quantity_text"],
                    formats.rupiah(entry["amount"]),
                ]
            )
    header = [_("Product"), _("Pack"), _("Packs"), _("Quantity"), _("Amount")]
    story.append(pdf.table(header, rows, numeric=(2, 3, 4)))
    story.append(
        pdf.paragraph(
            _("Total to deliver: %(weight)s, %(amount)s.")
            % {"weight": totals["weight_text"], "amount": formats.rupiah(totals["amount"])},
            "heading",
        )
    )
    story.append(pdf.paragraph(_("Delivery per drop-off point"), "heading"))
    for entry in seller_deliveries(wave=wave, seller=seller):
        point = entry["drop_off"]
        pic = point.pic.get_full_name() or point.pic.get_username()
        if point.pic.phone:
            pic = f"{pic} ({point.pic.phone})"
        story.append(
            pdf.paragraph(
                _("%(cluster)s — %(address)s. PIC: %(pic)s")
                % {"cluster": point.cluster, "address": point.address, "pic": pic}
            )
        )
        story.append(
            pdf.table(
                [_("Product"), _("Pack"), _("Packs"), _("Quantity")],
                [
                    [row["product"].name, row["size_text"], row["packs"], row["quantity_text"]]
                    for row in entry["rows"]
                ],
                numeric=(2, 3),
            )
        )
    story.append(pdf.paragraph(_("Issued %(date)s.") % {"date": formats.date(timezone.now())}))
    return pdf.pdf_bytes(story, title=f"{title}: {seller.name}")


def pick_list_pdf(*, drop_off):
    wave = drop_off.wave
    rows = pick_list(drop_off=drop_off)
    title = _("Pick list: %(cluster)s") % {"cluster": drop_off.cluster}
    story = [
        pdf.paragraph(title, "title"),
        *_facts(
            [
                *_wave_facts(wave),
                (_("Address"), drop_off.address),
                (_("PIC"), drop_off.pic.get_full_name() or drop_off.pic.get_username()),
            ]
        ),
    ]
    header = [
        "#",
        _("Code"),
        _("Buyer"),
        _("Phone"),
        _("Packs"),
        _("Amount"),
        _("Payment"),
        _("Fulfilment"),
        _("Handed over"),
    ]
    body = [
        [
            n,
            row["code"],
            [
                pdf.paragraph(row["buyer_name"]),
                pdf.paragraph(" · ".join(filter(None, [row["nip"], row["institution"]])), "small"),
            ],
            row["phone"],
            pdf.paragraph(row["packs_text"]),
            formats.rupiah(row["amount"]),
            row["payment"],
            pdf.paragraph(row["fulfilment"], "small"),
            "",
        ]
        for n, row in enumerate(rows, start=1)
    ]
    widths = [8 * mm, 22 * mm, 55 * mm, 30 * mm, 62 * mm, 25 * mm, 20 * mm, 25 * mm, 20 * mm]
    story.append(pdf.table(header, body, col_widths=widths, numeric=(0, 5)))
    story.append(
        pdf.paragraph(
            ngettext(
                "%(orders)s order, %(amount)s; paid %(paid)s, outstanding %(outstanding)s.",
                "%(orders)s orders, %(amount)s; paid %(paid)s, outstanding %(outstanding)s.",
                len(rows),
            )
            % {
                "orders": formats.number(len(rows)),
                "amount": formats.rupiah(sum(row["amount"] for row in rows)),
                "paid": formats.rupiah(sum(row["amount_paid"] for row in rows)),
                "outstanding": formats.rupiah(sum(row["outstanding"] for row in rows)),
            }
        )
    )
    return pdf.pdf_bytes(story, title=title, pagesize=landscape(A4))


def payment_sheet_pdf(*, wave, pic):
    sheet = payment_sheet(wave=wave, pic=pic)
    name = pic.get_full_name() or pic.get_username()
    title = _("Payment sheet: %(pic)s") % {"pic": name}
    story = [pdf.paragraph(title, "title"), *_facts(_wave_facts(wave))]
    header = [
        "#",
        _("Drop-off point"),
        _("Code"),
        _("Buyer"),
        _("Expected"),
        _("Paid"),
        _("Outstanding"),
        _("Signature"),
    ]
    body = [
        [
            n,
            pdf.paragraph(row["cluster"], "small"),
            row["code"],
            pdf.paragraph(row["buyer_name"]),
            formats.rupiah(row["expected"]),
            formats.rupiah(row["paid"]),
            formats.rupiah(row["outstanding"]),
            "",
        ]
        for n, row in enumerate(sheet["rows"], start=1)
    ]
    body.append(
        [
            "",
            _("Total"),
            "",
            "",
            formats.rupiah(sheet["expected"]),
            formats.rupiah(sheet["paid"]),
            formats.rupiah(sheet["outstanding"]),
            "",
        ]
    )
    widths = [8 * mm, 45 * mm, 25 * mm, 60 * mm, 30 * mm, 30 * mm, 30 * mm, 35 * mm]
    story.append(pdf.table(header, body, col_widths=widths, numeric=(0, 4, 5, 6)))
    return pdf.pdf_bytes(story, title=title, pagesize=landscape(A4))
