"""The PLUT gallery pages: items with their stock, one item's movements with the sell and
return forms, and the payments to sellers.

Who may see what: prov-babel runs Bangka Belitung's gallery; kab-bangka reads Bangka's
items (no forms, and posting is not found); umkm-masker reads its own; prov-jateng and
the civil servant find nothing.
"""

import datetime

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import translation

from pulih.market import consignment as plut
from pulih.market.models import ConsignmentMovement, ConsignmentSettlement, Pack, Product

pytestmark = pytest.mark.django_db

DAY = datetime.date(2020, 5, 4)
ITEMS = reverse("market:plut")
SETTLEMENTS = reverse("market:plut_settlements")


def said(response):
    return [str(message) for message in get_messages(response.wsgi_request)]


@pytest.fixture
def masker(personas):
    made = Product(
        seller=personas.umkm_masker.organisation,
        name="Masker Kain Sehati",
        category="kesehatan",
        unit="pcs",
        price_per_unit=25_000,
    )
    made.set_region("19.01")
    made.save()
    Pack.objects.create(product=made, size_milli=1_000, price=25_000)
    return made


@pytest.fixture
def item(personas, masker):
    return plut.consignment_receive(
        user=personas.prov_babel,
        province_code="19",
        product=masker,
        quantity=10,
        on=DAY,
        commission_percent=10,
    )


def item_url(item, action=""):
    names = {"": "market:plut_item", "sell": "market:plut_sell", "return": "market:plut_return"}
    return reverse(names[action], args=[item.pk])


def test_province_officer_receives_items_through_the_page(login, personas, masker):
    client = login(personas.prov_babel)
    page = client.get(ITEMS).content.decode()
    assert "Masker Kain Sehati" in page  # offered in the receive form
    response = client.post(
        reverse("market:plut_receive"),
        {
            "province_code": "19",
            "product": masker.pk,
            "quantity": 40,
            "on": "2020-05-04",
            "commission_percent": "12.5",
        },
    )
    item = plut.consignment_items(user=personas.prov_babel).get()
    assert response.status_code == 302 and response.url == item_url(item)
    assert (item.on_hand, item.commission_percent, item.price) == (40, 12.5, 25_000)


def test_items_page_shows_stock_on_hand_and_unsettled_sales(login, personas, item):
    plut.consignment_sell(user=personas.prov_babel, item=item, quantity=3, on=DAY)
    response = login(personas.prov_babel).get(ITEMS)
    (row,) = response.context["page"]
    assert (row.on_hand, row.sold, row.unsettled_amount) == (7, 3, 75_000)
    assert 'data-on-hand="7"' in response.content.decode()
    assert "Rp 75.000" in response.content.decode()


def test_selling_more_than_on_hand_says_why_and_changes_nothing(login, personas, item):
    client = login(personas.prov_babel)
    with translation.override("id"):
        response = client.post(
            item_url(item, "sell"), {"sell-quantity": 11, "sell-on": "2020-05-05"}
        )
        expected = str(plut.NOT_ENOUGH_TO_SELL % {"on_hand": "10", "quantity": "11"})
    assert response.status_code == 302
    assert said(response) == [expected]
    assert not ConsignmentMovement.objects.filter(kind="sold").exists()


def test_selling_and_returning_through_the_item_page(login, personas, item):
    client = login(personas.prov_babel)
    client.post(item_url(item, "sell"), {"sell-quantity": 4, "sell-on": "2020-05-05"})
    client.post(item_url(item, "return"), {"return-quantity": 2, "return-on": "2020-05-06"})
    page = client.get(item_url(item))
    assert page.context["item"].on_hand == 4
    assert [m.kind for m in page.context["movements"]] == ["received", "sold", "returned"]


def test_paying_a_seller_from_the_settlements_page(login, personas, item):
    plut.consignment_sell(user=personas.prov_babel, item=item, quantity=4, on=DAY)
    client = login(personas.prov_babel)
    page = client.get(SETTLEMENTS)
    ((balance, form),) = page.context["rows"]
    assert (balance.gross, balance.commission, balance.net) == (100_000, 10_000, 90_000)
    assert form is not None
    response = client.post(
        reverse("market:plut_settle"),
        {
            "province_code": "19",
            "seller": item.product.seller.pk,
            "paid_on": "2020-05-10",
            "reference": "TRF-9",
        },
        follow=True,
    )
    assert "Rp 90.000" in said(response)[0]
    settlement = ConsignmentSettlement.objects.get()
    assert (settlement.net, settlement.reference) == (90_000, "TRF-9")
    again = client.post(
        reverse("market:plut_settle"),
        {"province_code": "19", "seller": item.product.seller.pk, "paid_on": "2020-05-11"},
    )
    with translation.override("id"):
        assert said(again) == [str(plut.NOTHING_TO_SETTLE % {"seller": item.product.seller.name})]
    assert ConsignmentSettlement.objects.count() == 1


def test_regency_officer_reads_without_forms(login, personas, item):
    client = login(personas.kab_bangka)
    response = client.get(ITEMS)
    assert response.status_code == 200 and response.context["receive"] is None
    assert client.get(item_url(item)).context["sell"] is None
    assert (
        client.post(
            item_url(item, "sell"), {"sell-quantity": 1, "sell-on": "2020-05-05"}
        ).status_code
        == 404
    )
    assert client.post(reverse("market:plut_receive"), {}).status_code == 404
    assert client.get(SETTLEMENTS).status_code == 200


def test_seller_reads_its_own_items_only(login, personas, item, rice):
    plut.consignment_receive(
        user=personas.pusat, province_code="32", product=rice, quantity=5, on=DAY
    )
    client = login(personas.umkm_masker)
    assert [i.pk for i in client.get(ITEMS).context["page"]] == [item.pk]
    assert client.get(item_url(item)).status_code == 200
    rice_item = plut.consignment_items(user=personas.pusat).get(product=rice)
    assert client.get(item_url(rice_item)).status_code == 404
    assert login(personas.koperasi_tanimulus).get(item_url(item)).status_code == 404


def test_other_provinces_and_buyers_find_nothing(login, personas, prov_jateng, item):
    client = login(prov_jateng)
    assert list(client.get(ITEMS).context["page"]) == []
    assert client.get(item_url(item)).status_code == 404
    assert (
        client.post(
            item_url(item, "sell"), {"sell-quantity": 1, "sell-on": "2020-05-05"}
        ).status_code
        == 404
    )
    assert client.get(SETTLEMENTS).context["rows"] == []
    for user in (personas.asn_demo, personas.pic_kemenkop):
        assert login(user).get(ITEMS).status_code == 404
        assert login(user).get(item_url(item)).status_code == 404
