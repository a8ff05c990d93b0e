"""Documents of a closed wave on the pages: purchase orders, pick lists and payment sheets.

Who gets what: officers who see the wave get every document of it; koperasi-tanimulus its
own purchase order only (umkm-masker none: it does not offer in the wave); pic-kemenkop the
pick list of Klaster Gedung Smesco and its own payment sheet, not `other_pic`'s (404);
prov_jateng nothing of Bangka Belitung's own wave (404); civil servants nothing (404).
"""

import io
import itertools

import openpyxl
import pypdfium2 as pdfium
import pytest
from django.urls import reverse
from django.utils import timezone, translation

from pulih.core.models import AccessLog
from pulih.market import closing
from pulih.market.models import Order, OrderLine, Wave

pytestmark = pytest.mark.django_db

KG = 1000
CODES = itertools.count(1)


def order_at(point, name, kg=10, quantity=2):
    offer = point.wave.offers.select_related("product").get()
    pack = offer.product.packs.get(size_milli=kg * KG)
    order = Order.objects.create(
        wave=point.wave,
        drop_off=point,
        code=f"D{next(CODES):06d}",
        buyer_kind=Order.BuyerKind.CIVIL_SERVANT,
        buyer_name=name,
        phone="+6281234567002",
        fulfilment=Order.Fulfilment.OJEK,
        total=pack.price * quantity,
        total_milli=pack.size_milli * quantity,
    )
    OrderLine.objects.create(
        order=order,
        offer=offer,
        pack=pack,
        quantity=quantity,
        size_milli=pack.size_milli,
        unit_price=pack.price,
        amount=pack.price * quantity,
    )
    return order


@pytest.fixture
def closed(personas, wave):
    """The wave with an order at each point, closed by pusat."""
    for point, name in zip(wave.drop_off_points.order_by("cluster"), ["Rina", "Budi"], strict=True):
        order_at(point, name)
    return closing.wave_close(user=personas.pusat, wave=wave, now=timezone.now())


def point_of(wave, cluster):
    return wave.drop_off_points.get(cluster=cluster)


def pick_list_url(point, fmt="pdf"):
    return reverse("market:pick_list", args=[point.pk]) + f"?format={fmt}"


def pdf_text(response):
    assert response["Content-Type"] == "application/pdf"
    document = pdfium.PdfDocument(response.content)
    return "\n".join(page.get_textpage().get_text_range() for page in document)


def test_documents_wait_for_the_wave_to_close(personas, login, wave):
    client = login(personas.pic_kemenkop)
    point = point_of(wave, "Klaster Gedung Smesco")
    with translation.override("id"):
        response = client.get(pick_list_url(point), follow=True)
        assert str(closing.NOT_CLOSED_YET) in response.content.decode()
    assert response.redirect_chain[-1][0] == reverse("market:wave_manage", args=[wave.pk])


def test_a_pic_gets_the_pick_list_of_its_own_point_only(personas, login, closed):
    client = login(personas.pic_kemenkop)
    smesco = point_of(closed, "Klaster Gedung Smesco")
    text = pdf_text(client.get(pick_list_url(smesco)))
    assert "Budi" in text and "Rina" not in text
    assert AccessLog.objects.filter(user=personas.pic_kemenkop, object_id=str(smesco.pk)).exists()
    sheet = client.get(pick_list_url(smesco, "xlsx"))
    rows = list(openpyxl.load_workbook(io.BytesIO(b"".join(sheet.streaming_content))).active.values)
    assert [row[1] for row in rows[1:]] == ["Budi"]
    kemenkop = point_of(closed, "Klaster Gedung Kemenkop")
    assert client.get(pick_list_url(kemenkop)).status_code == 404
    assert client.get(pick_list_url(smesco, "docx")).status_code == 404


def test_a_pic_gets_its_own_payment_sheet_only(personas, login, closed, other_pic):
    client = login(personas.pic_kemenkop)
    own = reverse("market:payment_sheet", args=[closed.pk, personas.pic_kemenkop.pk])
    with translation.override("id"):
        text = pdf_text(client.get(own + "?format=pdf"))
    assert "Budi" in text and "Rina" not in text and "Rp 220.000" in text
    sheet = client.get(own + "?format=xlsx")
    assert sheet.status_code == 200
    other = reverse("market:payment_sheet", args=[closed.pk, other_pic.pk])
    assert client.get(other).status_code == 404
    assert login(personas.pusat).get(other).status_code == 200


def test_the_seller_gets_its_own_purchase_order(personas, login, closed):
    seller = personas.koperasi_tanimulus.organisation
    url = reverse("market:seller_po", args=[closed.pk, seller.pk])
    with translation.override("id"):
        text = pdf_text(login(personas.koperasi_tanimulus).get(url))
    assert "Koperasi Tani Mulus" in text and "40 kg" in text and "Rp 440.000" in text
    assert "Budi" not in text
    assert login(personas.pusat).get(url).status_code == 200
    assert login(personas.umkm_masker).get(url).status_code == 404
    other = reverse("market:seller_po", args=[closed.pk, personas.umkm_masker.organisation.pk])
    assert login(personas.koperasi_tanimulus).get(other).status_code == 404
    assert login(personas.pusat).get(other).status_code == 404


def test_the_closed_wave_page_shows_totals_and_documents(personas, login, closed):
    with translation.override("id"):
        page = login(personas.pusat).get(reverse("market:wave_manage", args=[closed.pk]))
    content = page.content.decode()
    assert 'data-total-kg="40' in content and "Rp 440.000" in content
    assert content.count('data-document="pick-list-pdf"') == 2
    assert content.count('data-document="payment-sheet-pdf"') == 2
    pic_page = login(personas.pic_kemenkop).get(reverse("market:wave_manage", args=[closed.pk]))
    assert pic_page.content.decode().count('data-document="payment-sheet-pdf"') == 1


def test_another_province_gets_nothing_of_a_province_wave(personas, login, closed, prov_jateng):
    Wave.objects.filter(pk=closed.pk).update(province_code="19")
    smesco = point_of(closed, "Klaster Gedung Smesco")
    seller = personas.koperasi_tanimulus.organisation
    urls = [
        pick_list_url(smesco),
        reverse("market:payment_sheet", args=[closed.pk, personas.pic_kemenkop.pk]),
        reverse("market:seller_po", args=[closed.pk, seller.pk]),
    ]
    for url in urls:
        assert login(prov_jateng).get(url).status_code == 404
        assert login(personas.prov_babel).get(url).status_code == 200
        assert login(personas.asn_demo).get(url).status_code == 404
