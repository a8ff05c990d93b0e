"""Closing a wave: 2.9 tonnes of Tani Mulus rice in packs of 5, 10 and 20 kg; the totals,
the purchase order to the cooperative, the pick list of each drop-off point and the
payment sheet of each PIC.

Orders are made here with the models, as the ordering page leaves them: lines of packs,
the offer's remaining stock taken. Cancelled orders count nowhere.
"""

import datetime
import io
import itertools
from decimal import Decimal

import openpyxl
import pypdfium2 as pdfium
import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import F
from django.utils import timezone, translation

from pulih.accounts.models import Role
from pulih.accounts.services import user_create
from pulih.core import formats
from pulih.core.exports import write_xlsx
from pulih.core.ids import mask_nip
from pulih.market import closing
from pulih.market.models import Order, OrderLine, SellerSettlement, Wave, WaveProduct

pytestmark = pytest.mark.django_db

KG = 1000
CODES = itertools.count(1)
NIP = "198504122010012003"


def order_make(point, packs, *, name="Siti Aminah", status=None, paid=0, nip=NIP):
    """An order at `point` of `packs` ({kg: how many}); `paid` Rupiah taken already."""
    wave = point.wave
    offer = wave.offers.select_related("product").get()
    order = Order.objects.create(
        wave=wave,
        drop_off=point,
        code=f"C{next(CODES):06d}",
        buyer_kind=Order.BuyerKind.CIVIL_SERVANT,
        buyer_name=name,
        nip=nip,
        phone="+6281234567001",
        fulfilment=Order.Fulfilment.COLLECT,
        status=status or Order.Status.PLACED,
    )
    total = milli = 0
    for kg, quantity in packs.items():
        pack = offer.product.packs.get(size_milli=kg * KG)
        OrderLine.objects.create(
            order=order,
            offer=offer,
            pack=pack,
            quantity=quantity,
            size_milli=pack.size_milli,
            unit_price=pack.price,
            amount=pack.price * quantity,
        )
        total += pack.price * quantity
        milli += pack.size_milli * quantity
    WaveProduct.objects.filter(pk=offer.pk).update(remaining_milli=F("remaining_milli") - milli)
    payment = Order.Payment.PAID if paid >= total else Order.Payment.PARTLY_PAID
    order.total, order.total_milli, order.amount_paid = total, milli, paid
    order.payment_status = payment if paid else Order.Payment.UNPAID
    order.save()
    return order


def points(wave):
    return {point.cluster: point for point in wave.drop_off_points.all()}


@pytest.fixture
def ordered(wave):
    """2,900 kg at the two points of `wave`, some paid; and a cancelled order of 200 kg,
    whose stock went back."""
    smesco, kemenkop = (
        points(wave)["Klaster Gedung Smesco"],
        points(wave)["Klaster Gedung Kemenkop"],
    )
    cancelled = order_make(kemenkop, {20: 10}, name="Dewi Batal", status=Order.Status.CANCELLED)
    WaveProduct.objects.filter(wave=wave).update(remaining_milli=F("remaining_milli") + 200 * KG)
    return {
        "budi": order_make(smesco, {20: 60, 10: 40}, name="Budi Santoso", paid=17_600_000),
        "siti": order_make(smesco, {10: 20, 5: 40}, name="Siti Aminah"),
        "rina": order_make(kemenkop, {20: 40, 5: 20}, name="Rina Wulandari", paid=100_000),
        "batal": cancelled,
    }


def closed(wave, personas):
    return closing.wave_close(
        user=personas.pusat, wave=wave, now=wave.closes_at + datetime.timedelta(minutes=1)
    )


def pdf_text(content):
    document = pdfium.PdfDocument(content)
    return "\n".join(page.get_textpage().get_text_range() for page in document)


def test_totals_of_the_first_wave_are_2_9_tonnes(wave, ordered):
    totals = closing.wave_totals(wave=wave)
    assert (totals["kg"], totals["tonnes"], totals["amount"]) == (2_900, Decimal("2.9"), 31_900_000)
    assert (totals["orders"], totals["packs"]) == (3, 220)
    [seller] = totals["sellers"]
    assert seller["seller"].name == "Koperasi Tani Mulus"
    [rice] = seller["products"]
    assert [(p["size_milli"] // KG, p["packs"], p["amount"]) for p in rice["packs"]] == [
        (5, 60, 3_300_000),
        (10, 60, 6_600_000),
        (20, 100, 22_000_000),
    ]
    assert (rice["kg"], rice["tonnes"], rice["amount"]) == (2_900, Decimal("2.9"), 31_900_000)
    with translation.override("id"):
        assert closing.wave_totals(wave=wave)["weight_text"] == "2,9 t"


def test_closing_after_the_window_settles_each_seller(personas, wave, ordered):
    wave = closed(wave, personas)
    assert wave.status == Wave.Status.CLOSED
    settlement = SellerSettlement.objects.get(wave=wave)
    assert (settlement.sold_milli, settlement.amount_due) == (2_900 * KG, 31_900_000)
    again = closing.wave_close(user=personas.pusat, wave=wave)
    assert again.closed_at == wave.closed_at
    assert SellerSettlement.objects.filter(wave=wave).count() == 1


def test_the_organisers_officer_may_close_early_and_the_window_is_cut_short(personas, wave):
    now = timezone.now()
    wave = closing.wave_close(user=personas.pusat, wave=wave, now=now)
    assert (wave.status, wave.closes_at, wave.closed_at) == (Wave.Status.CLOSED, now, now)


def test_another_central_officer_closes_only_after_the_window(personas, wave):
    other = user_create(username="pusat-lain", role=Role.PUSAT)
    with translation.override("en"):
        with pytest.raises(ValidationError) as caught:
            closing.wave_close(user=other, wave=wave)
        assert caught.value.messages == [
            closing.EARLY_CLOSE_ORGANISER_ONLY
            % {"closes": formats.datetime_(wave.closes_at), "organiser": wave.organiser}
        ]
    assert Wave.objects.get(pk=wave.pk).status == Wave.Status.PUBLISHED
    later = wave.closes_at + datetime.timedelta(seconds=1)
    assert closing.wave_close(user=other, wave=wave, now=later).status == Wave.Status.CLOSED


def test_a_draft_wave_cannot_be_closed_nor_by_another_province(personas, wave, prov_jateng):
    with pytest.raises(PermissionDenied):
        closing.wave_close(user=prov_jateng, wave=wave)
    Wave.objects.filter(pk=wave.pk).update(status=Wave.Status.DRAFT)
    wave.refresh_from_db()
    with pytest.raises(ValidationError):
        closing.wave_close(user=personas.pusat, wave=wave)


def test_the_pick_list_has_the_points_orders_only(wave, ordered):
    smesco = points(wave)["Klaster Gedung Smesco"]
    rows = closing.pick_list(drop_off=smesco)
    assert [row["buyer_name"] for row in rows] == ["Budi Santoso", "Siti Aminah"]
    budi, siti = rows
    assert (budi["code"], budi["amount"], budi["paid"]) == (ordered["budi"].code, 17_600_000, True)
    assert (siti["amount"], siti["paid"], siti["outstanding"]) == (4_400_000, False, 4_400_000)
    assert budi["nip"] == mask_nip(NIP) and NIP not in str(budi)
    assert budi["phone"] == "+6281234567001"
    with translation.override("id"):
        assert [
            (p["quantity"], p["size_text"]) for p in closing.pick_list(drop_off=smesco)[0]["packs"]
        ] == [
            (60, "20 kg"),
            (40, "10 kg"),
        ]


def test_the_pick_list_pdf_reads_as_text(personas, wave, ordered):
    smesco = points(wave)["Klaster Gedung Smesco"]
    with translation.override("id"):
        text = pdf_text(
            closing.pick_list_pdf(drop_off=closed(wave, personas).drop_off_points.get(pk=smesco.pk))
        )
        assert "Klaster Gedung Smesco" in text
        assert "Budi Santoso" in text and "Siti Aminah" in text
        assert "Rina Wulandari" not in text and "Dewi Batal" not in text
        assert ordered["budi"].code in text and "Rp 17.600.000" in text
        assert str(Order.Payment.PAID.label) in text and str(Order.Payment.UNPAID.label) in text
        assert formats.date(wave.distribution_on) in text
        assert NIP not in text and mask_nip(NIP) in text


def test_the_pick_list_spreadsheet_opens_with_one_row_per_order(wave, ordered):
    kemenkop = points(wave)["Klaster Gedung Kemenkop"]
    data = io.BytesIO()
    columns = closing.pick_list_columns()
    rows = closing.pick_list(drop_off=kemenkop)
    write_xlsx(data, [h for h, _ in columns], ([get(r) for _, get in columns] for r in rows))
    sheet = openpyxl.load_workbook(io.BytesIO(data.getvalue())).active
    values = list(sheet.values)
    assert len(values) == 2
    assert values[1][:2] == (ordered["rina"].code, "Rina Wulandari")
    assert values[1][6:8] == (9_900_000, 100_000)


def test_the_purchase_order_tells_the_seller_what_to_deliver_where(personas, wave, ordered):
    wave = closed(wave, personas)
    with translation.override("id"):
        text = pdf_text(
            closing.purchase_order_pdf(wave=wave, seller=personas.koperasi_tanimulus.organisation)
        )
        assert "Koperasi Tani Mulus" in text and wave.title in text
        assert "2,9 t" in text and "Rp 31.900.000" in text
        assert formats.date(wave.distribution_on) in text
        assert "Klaster Gedung Smesco" in text and "Klaster Gedung Kemenkop" in text
        assert "Budi Santoso" not in text


def test_the_purchase_order_splits_delivery_by_drop_off_point(personas, wave, ordered):
    deliveries = closing.seller_deliveries(
        wave=wave, seller=personas.koperasi_tanimulus.organisation
    )
    split = {
        entry["drop_off"].cluster: [(row["size_text"], row["packs"]) for row in entry["rows"]]
        for entry in deliveries
    }
    with translation.override("id"):
        assert split == {
            "Klaster Gedung Kemenkop": [("5 kg", 20), ("20 kg", 40)],
            "Klaster Gedung Smesco": [("5 kg", 40), ("10 kg", 60), ("20 kg", 60)],
        }


def test_the_payment_sheet_of_a_pic_has_its_points_orders(personas, wave, ordered, other_pic):
    sheet = closing.payment_sheet(wave=wave, pic=personas.pic_kemenkop)
    assert [row["buyer_name"] for row in sheet["rows"]] == ["Budi Santoso", "Siti Aminah"]
    assert (sheet["expected"], sheet["paid"], sheet["outstanding"]) == (
        22_000_000,
        17_600_000,
        4_400_000,
    )
    other = closing.payment_sheet(wave=wave, pic=other_pic)
    assert [row["buyer_name"] for row in other["rows"]] == ["Rina Wulandari"]
    with translation.override("id"):
        text = pdf_text(closing.payment_sheet_pdf(wave=wave, pic=personas.pic_kemenkop))
        assert "Budi Santoso" in text and "Rina Wulandari" not in text
        assert "Rp 4.400.000" in text
