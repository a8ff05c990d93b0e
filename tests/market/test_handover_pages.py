"""The PIC's pages: its drop-off points, the orders of one with search and filter, the
handover and payment forms, and one order.

Who sees what: pic-kemenkop only its point (Klaster Gedung Smesco) and its orders;
`other_pic`'s point and orders are 404 to it. Buyers, sellers and officers find no PIC
page (404).
"""

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape

from pulih.core import formats
from pulih.core.ids import parse_phone, problems_text
from pulih.market import handover
from pulih.market.models import Order, OrderPayment

from .test_handover import KEMENKOP, SMESCO, order_make, window_close

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
def smesco(wave):
    return wave.drop_off_points.get(cluster=SMESCO)


@pytest.fixture
def kemenkop(wave):
    return wave.drop_off_points.get(cluster=KEMENKOP)


@pytest.fixture
def orders(personas, smesco, kemenkop):
    """Two orders at Smesco (Aparatur's 2 × 10 kg, Budi's 5 kg by ojek), one at Kemenkop."""
    buyer = personas.asn_demo
    return {
        "asn": order_make(smesco, buyer=buyer, name="Aparatur Sipil Negara"),
        "budi": order_make(
            smesco, buyer=buyer, name="Budi Santoso", packs=((5, 1),), fulfilment="ojek"
        ),
        "other": order_make(kemenkop, buyer=buyer, name="Citra Lestari"),
    }


@pytest.fixture
def closed(wave):
    return window_close(wave)


def url(name, *args):
    return reverse(f"market:{name}", args=args)


def test_pic_home_lists_its_own_drop_off_point_only(login, personas, orders, smesco):
    page = login(personas.pic_kemenkop).get(url("pic_home")).content.decode()
    assert f'data-point="{smesco.pk}"' in page
    assert KEMENKOP not in page
    assert "Rp 275.000" in page, "the point's two orders are expected to bring Rp 275.000"


def test_a_pic_sees_only_its_drop_off_point(login, personas, orders, kemenkop, smesco):
    client = login(personas.pic_kemenkop)
    assert client.get(url("pic_orders", kemenkop.pk)).status_code == 404
    other = orders["other"]
    assert client.get(url("pic_order", kemenkop.pk, other.pk)).status_code == 404
    assert client.get(url("pic_order", smesco.pk, other.pk)).status_code == 404
    page = client.get(url("pic_orders", smesco.pk)).content.decode()
    assert orders["asn"].code in page and orders["budi"].code in page
    assert other.code not in page and "Citra Lestari" not in page


def test_buyers_sellers_and_officers_find_no_pic_page(login, personas, orders, smesco):
    order = orders["asn"]
    for user in (personas.asn_demo, personas.koperasi_tanimulus, personas.pusat):
        client = login(user)
        assert client.get(url("pic_home")).status_code == 404
        assert client.get(url("pic_orders", smesco.pk)).status_code == 404
        assert client.get(url("pic_order", smesco.pk, order.pk)).status_code == 404
        response = client.post(url("pic_handover", smesco.pk, order.pk), {"outcome": "collected"})
        assert response.status_code == 404
    order.refresh_from_db()
    assert order.status == Order.Status.PLACED


def test_another_pic_cannot_hand_over_or_take_payment_for_an_order(
    login, other_pic, orders, smesco, kemenkop, closed
):
    client = login(other_pic)
    order = orders["asn"]
    for point in (smesco, kemenkop):
        assert (
            client.post(
                url("pic_handover", point.pk, order.pk), {"outcome": "collected"}
            ).status_code
            == 404
        )
        assert (
            client.post(
                url("pic_payment", point.pk, order.pk), {"method": "cash", "amount": "1000"}
            ).status_code
            == 404
        )
    order.refresh_from_db()
    assert (order.status, order.amount_paid) == (Order.Status.PLACED, 0)


def test_pic_finds_an_order_by_code_or_name_and_filters_by_status(login, personas, orders, smesco):
    client = login(personas.pic_kemenkop)
    asn, budi = orders["asn"], orders["budi"]
    page = client.get(url("pic_orders", smesco.pk), {"q": asn.code.lower()}).content.decode()
    assert asn.code in page and budi.code not in page
    page = client.get(url("pic_orders", smesco.pk), {"q": "santoso"}).content.decode()
    assert budi.code in page and asn.code not in page
    Order.objects.filter(pk=budi.pk).update(status=Order.Status.NOT_COLLECTED)
    page = client.get(url("pic_orders", smesco.pk), {"status": "not_collected"}).content.decode()
    assert budi.code in page and asn.code not in page


def test_orders_show_packs_amount_and_what_is_outstanding(login, personas, orders, smesco):
    page = login(personas.pic_kemenkop).get(url("pic_orders", smesco.pk)).content.decode()
    assert "2 × 10 kg" in page
    assert "Rp 220.000" in page


def test_no_handover_or_payment_form_while_ordering_is_open(login, personas, orders, smesco):
    client = login(personas.pic_kemenkop)
    page = client.get(url("pic_orders", smesco.pk)).content.decode()
    assert 'name="outcome" value="collected"' not in page
    assert 'name="amount"' not in page
    order = orders["asn"]
    response = client.post(url("pic_handover", smesco.pk, order.pk), {"outcome": "collected"})
    assert response.status_code == 200
    order.refresh_from_db()
    assert order.status == Order.Status.PLACED


def test_pic_marks_collected_and_takes_the_cash_from_the_list(
    login, personas, orders, smesco, closed
):
    client = login(personas.pic_kemenkop)
    order = orders["asn"]
    listing = url("pic_orders", smesco.pk) + "?q=" + order.code
    page = client.get(listing).content.decode()
    assert f'name="amount" id="amount-{order.pk}" min="1" max="220000" value="220000"' in page
    response = client.post(
        url("pic_handover", smesco.pk, order.pk), {"outcome": "collected", "next": listing}
    )
    assert response.status_code == 302 and response.url == listing
    response = client.post(
        url("pic_payment", smesco.pk, order.pk),
        {"method": "cash", "amount": "220000", "next": listing},
        follow=True,
    )
    page = response.content.decode()
    assert 'data-payment="paid"' in page
    assert 'data-status="collected"' in page
    order.refresh_from_db()
    assert (order.status, order.payment_status) == (Order.Status.COLLECTED, Order.Payment.PAID)


def test_ojek_handover_without_a_driver_shows_the_reason(login, personas, orders, smesco, closed):
    client = login(personas.pic_kemenkop)
    order = orders["budi"]
    response = client.post(
        url("pic_handover", smesco.pk, order.pk),
        {"outcome": "with_ojek", "driver_name": "Joko", "driver_phone": "0812"},
    )
    page = response.content.decode()
    with translation.override("en"):
        assert problems_text(parse_phone("0812").errors, "en") in page
    response = client.post(url("pic_handover", smesco.pk, order.pk), {"outcome": "with_ojek"})
    with translation.override("en"):
        assert escape(str(handover.DRIVER_NAME_REQUIRED)) in response.content.decode()
    order.refresh_from_db()
    assert order.status == Order.Status.PLACED
    client.post(
        url("pic_handover", smesco.pk, order.pk),
        {"outcome": "with_ojek", "driver_name": "Joko", "driver_phone": "0812 9876 5432"},
    )
    page = client.get(url("pic_order", smesco.pk, order.pk)).content.decode()
    assert "Joko" in page and "+6281298765432" in page
    assert 'id="order-handover"' not in page


def test_a_payment_above_the_outstanding_amount_is_refused_on_the_page(
    login, personas, orders, smesco, closed
):
    client = login(personas.pic_kemenkop)
    order = orders["asn"]
    response = client.post(
        url("pic_payment", smesco.pk, order.pk), {"method": "transfer", "amount": "300000"}
    )
    with translation.override("en"):
        message = handover.ABOVE_OUTSTANDING % {"outstanding": formats.rupiah(220_000)}
    assert message in response.content.decode()
    response = client.post(
        url("pic_payment", smesco.pk, order.pk), {"method": "cash", "amount": "-1"}
    )
    with translation.override("en"):
        assert str(handover.AMOUNT_NOT_POSITIVE) in response.content.decode()
    assert not OrderPayment.objects.exists()


def test_the_order_page_shows_its_packs_and_payments(login, personas, orders, smesco, closed):
    client = login(personas.pic_kemenkop)
    order = orders["asn"]
    client.post(url("pic_payment", smesco.pk, order.pk), {"method": "cash", "amount": "100000"})
    page = client.get(url("pic_order", smesco.pk, order.pk)).content.decode()
    assert "Beras Premium Tani Mulus" in page
    assert 'data-payment="partly_paid"' in page
    assert 'value="120000"' in page, "the payment form offers what is still outstanding"
    assert "+6281234567001" not in page, "the buyer's phone is masked"
