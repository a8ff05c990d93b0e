"""The purchase order pages: the list, the order with its deliveries, and the forms to
record a delivery with its quality check, cancel and move the payment on.

Who sees what: pusat every order; pembeli-kf the orders of its organisation's demands and
records deliveries and payments; umkm-masker (seller of Konveksi Sehati, Bangka) only its
own orders, read-only; prov-babel the orders of Bangka Belitung's producers, prov_jateng
those of Jawa Tengah's (404 on Bangka's); the curator none.
"""

import datetime

import pytest
from django.utils import timezone

from pulih.matching import services
from pulih.matching.models import Delivery, PurchaseOrder

from .test_demands import JAKARTA

pytestmark = pytest.mark.django_db


@pytest.fixture
def login(login, settings):
    """Sign in, with the pages in English (the language cookie)."""

    def english(user):
        client = login(user)
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
        return client

    return english


@pytest.fixture
def orders(personas, make_producer):
    """Kimia Farma's 15,000 masks split between Sehati (Bangka) and Semarang."""
    sehati = make_producer(
        "19.01.01",
        capacity=10_000,
        organisation=personas.umkm_masker.organisation,
        name="Konveksi Sehati",
    )
    semarang = make_producer("33.74.01", capacity=8_000, price=2_800, name="Konveksi Semarang")
    demand = services.demand_create(
        user=personas.pusat,
        buyer=personas.pembeli_kf.organisation,
        product_type=sehati.product_type,
        title="Masker kain untuk apotek",
        quantity=15_000,
        unit_price=3_000,
        deadline=timezone.localdate() + datetime.timedelta(days=30),
        points=[{**JAKARTA, "quantity": 15_000}],
    )
    run = services.allocation_run(user=personas.pusat, demand=demand)
    found = services.allocation_confirm(user=personas.pusat, run=run)
    return {o.declaration_id: o for o in found}[sehati.pk], {o.declaration_id: o for o in found}[
        semarang.pk
    ]


def delivery_data(order, **fields):
    return {
        "point": order.lines.get().point_id,
        "delivered_on": timezone.localdate().isoformat(),
        "accepted": "1000",
        "rejected": "0",
        "qc_note": "",
        **fields,
    }


def test_buyer_records_a_delivery_with_qc_rejects(login, personas, orders):
    sehati, _semarang = orders
    client = login(personas.pembeli_kf)
    page = client.get(f"/permintaan/pesanan/{sehati.pk}/").content.decode()
    assert sehati.number in page
    assert 'id="delivery-record"' in page
    assert 'id="order-cancel"' not in page
    response = client.post(
        f"/permintaan/pesanan/{sehati.pk}/pengiriman/",
        delivery_data(sehati, rejected="50", qc_note="Jahitan lepas"),
    )
    assert response.status_code == 302
    sehati.refresh_from_db()
    assert (sehati.accepted, sehati.rejected, sehati.status) == (1_000, 50, "partly_delivered")
    page = client.get(f"/permintaan/pesanan/{sehati.pk}/").content.decode()
    assert "Jahitan lepas" in page


def test_a_refused_delivery_is_shown_on_the_form(login, personas, orders):
    sehati, _semarang = orders
    client = login(personas.pembeli_kf)
    page = client.post(
        f"/permintaan/pesanan/{sehati.pk}/pengiriman/",
        delivery_data(sehati, rejected="5"),
    ).content.decode()
    assert "Say why units were rejected at the quality check." in page
    assert not Delivery.objects.exists()


def test_payment_and_cancellation_through_the_pages(login, personas, orders):
    sehati, semarang = orders
    services.delivery_record(
        user=personas.pusat,
        order=sehati,
        point=sehati.lines.get().point,
        delivered_on=timezone.localdate(),
        accepted=2_000,
    )
    buyer = login(personas.pembeli_kf)
    page = buyer.post(
        f"/permintaan/pesanan/{sehati.pk}/pembayaran/", {"payment_status": "paid"}
    ).content.decode()
    assert "it cannot go from unpaid to paid" in page
    buyer.post(f"/permintaan/pesanan/{sehati.pk}/pembayaran/", {"payment_status": "invoiced"})
    buyer.post(f"/permintaan/pesanan/{sehati.pk}/pembayaran/", {"payment_status": "paid"})
    sehati.refresh_from_db()
    assert (sehati.payment_status, sehati.paid_amount) == ("paid", 2_000 * sehati.unit_price)
    officer = login(personas.pusat)
    page = officer.post(
        f"/permintaan/pesanan/{semarang.pk}/batal/", {"reason": ""}
    ).content.decode()
    assert "This field is required." in page
    officer.post(f"/permintaan/pesanan/{semarang.pk}/batal/", {"reason": "Produsen tutup"})
    page = officer.get(f"/permintaan/pesanan/{semarang.pk}/").content.decode()
    assert 'data-status="cancelled"' in page
    assert "Produsen tutup" in page


def test_order_list_is_scoped(login, personas, prov_jateng, orders):
    sehati, semarang = orders

    def listed(user):
        page = login(user).get("/permintaan/pesanan/").content.decode()
        return {o.number for o in (sehati, semarang) if o.number in page}

    assert listed(personas.pusat) == {sehati.number, semarang.number}
    assert listed(personas.pembeli_kf) == {sehati.number, semarang.number}
    assert listed(personas.umkm_masker) == {sehati.number}
    assert listed(personas.prov_babel) == {sehati.number}
    assert listed(prov_jateng) == {semarang.number}
    assert login(personas.kurator).get("/permintaan/pesanan/").status_code == 404


def test_order_pages_are_404_outside_the_scope(login, personas, prov_jateng, orders):
    sehati, semarang = orders
    assert login(prov_jateng).get(f"/permintaan/pesanan/{sehati.pk}/").status_code == 404
    assert login(prov_jateng).get(f"/permintaan/pesanan/{semarang.pk}/").status_code == 200
    assert login(personas.umkm_masker).get(f"/permintaan/pesanan/{semarang.pk}/").status_code == 404
    assert login(personas.kurator).get(f"/permintaan/pesanan/{sehati.pk}/").status_code == 404


def test_seller_reads_its_order_but_records_nothing(login, personas, orders):
    sehati, _semarang = orders
    client = login(personas.umkm_masker)
    page = client.get(f"/permintaan/pesanan/{sehati.pk}/").content.decode()
    assert sehati.number in page
    assert 'id="delivery-record"' not in page and 'id="order-payment"' not in page
    for action in ("pengiriman", "pembayaran", "batal"):
        path = f"/permintaan/pesanan/{sehati.pk}/{action}/"
        assert client.post(path, delivery_data(sehati)).status_code == 404, action
    assert not Delivery.objects.exists()


def test_regional_officer_cannot_record_deliveries_or_cancel(login, personas, orders):
    sehati, _semarang = orders
    client = login(personas.prov_babel)
    assert (
        client.post(
            f"/permintaan/pesanan/{sehati.pk}/pengiriman/", delivery_data(sehati)
        ).status_code
        == 404
    )
    assert (
        client.post(f"/permintaan/pesanan/{sehati.pk}/batal/", {"reason": "x"}).status_code == 404
    )
    sehati.refresh_from_db()
    assert sehati.status == PurchaseOrder.Status.ISSUED
