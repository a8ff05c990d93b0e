"""A civil servant orders rice in a wave for collection at Gedung Smesco; once ordering
has closed, the PIC of that drop-off point hands the order over and takes the cash."""

import datetime

import pytest
from django.utils import timezone

from pulih.market.models import Order, OrderPayment
from tests.fixtures_market import KG, make_wave

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SMESCO = "Klaster Gedung Smesco"


def sign_in(page, url, username):
    page.goto(f"{url}/akun/masuk/")
    page.fill("#id_username", username)
    page.fill("#id_password", "demo-pulih")
    page.click("button[type=submit].btn")
    page.wait_for_url(f"{url}/")


def test_civil_servant_orders_rice_and_the_pic_hands_it_over_and_takes_the_cash(
    live_server, personas, rice, other_pic, page
):
    now = timezone.now()
    wave = make_wave(
        personas,
        rice,
        [(SMESCO, personas.pic_kemenkop), ("Klaster Gedung Kemenkop", other_pic)],
        opens=now - datetime.timedelta(hours=1),
        closes=now + datetime.timedelta(days=1),
    )
    smesco = wave.drop_off_points.get(cluster=SMESCO)
    ten_kg = rice.packs.get(size_milli=10 * KG)

    sign_in(page, live_server.url, "asn-demo")
    page.goto(f"{live_server.url}/pasar/gelombang/{wave.pk}/")
    page.fill(f"input[name=pack_{ten_kg.pk}]", "2")
    page.check(f"input[name=drop_off][value='{smesco.pk}']")
    page.check("input[name=fulfilment][value=collect]")
    page.click("#order-form button[type=submit]")
    code = page.locator("#order-code").inner_text().strip()
    assert page.locator("#order-total").inner_text() == "Rp 220.000"
    order = Order.objects.get(code=code)
    assert (order.drop_off, order.total, order.buyer) == (smesco, 220_000, personas.asn_demo)

    # The wave's window closes: the order can now be handed over.
    wave.closes_at = timezone.now() - datetime.timedelta(minutes=1)
    wave.save(update_fields=["closes_at"])

    page.context.clear_cookies()
    sign_in(page, live_server.url, "pic-kemenkop")
    page.goto(f"{live_server.url}/pasar/titik-antar/")
    page.click(f"tr[data-point='{smesco.pk}'] a")
    page.fill("#q", code)
    page.press("#q", "Enter")
    row = page.locator(f"tr[data-order='{code}']")
    row.locator("button[name=outcome][value=collected]").click()
    row.locator("td[data-status=collected]").wait_for()
    assert row.locator("input[name=amount]").input_value() == "220000"
    row.locator("select[name=method]").select_option("cash")
    row.locator("form.payment button[type=submit]").click()
    row.locator("td[data-payment=paid]").wait_for()
    assert "Rp 220.000 / Rp 0" in row.locator("td[data-payment=paid]").inner_text()
    assert row.locator("form.payment").count() == 0, "nothing is left to pay"

    order.refresh_from_db()
    assert (order.status, order.payment_status) == (Order.Status.COLLECTED, Order.Payment.PAID)
    assert order.handed_over_by == personas.pic_kemenkop
    payment = OrderPayment.objects.get(order=order)
    assert (payment.method, payment.amount) == ("cash", 220_000)
