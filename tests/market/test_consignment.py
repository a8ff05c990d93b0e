"""PLUT consignment: Bangka Belitung's PLUT gallery takes Konveksi Sehati's masks (Bangka)
and Batik Simpor's batik (Belitung); Jawa Barat's takes Koperasi Tani Mulus's rice. The
gallery sells, returns, and pays each seller its sales less the commission.

Who may do what: prov-babel runs Bangka Belitung's gallery, pusat every gallery;
kab-bangka reads the items of Bangka's UMKM, kab-belitung Belitung's; umkm-masker reads
its own items and payments; prov-jateng finds nothing of Bangka Belitung or Jawa Barat;
civil servants find nothing.
"""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils import timezone, translation

from pulih.accounts.models import Organisation
from pulih.market import consignment as plut
from pulih.market.models import ConsignmentItem, ConsignmentMovement, Pack, Product

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2020, 5, 4)


def product(seller, name, region, price=25_000):
    made = Product(seller=seller, name=name, category="kesehatan", unit="pcs", price_per_unit=price)
    made.set_region(region)
    made.save()
    Pack.objects.create(product=made, size_milli=1_000, price=price)
    return made


@pytest.fixture
def goods(personas, rice):
    batik = Organisation.objects.create(
        name="Batik Simpor Belitung", kind=Organisation.Kind.BUSINESS, region_code="19.02"
    )
    return {
        "masker": product(personas.umkm_masker.organisation, "Masker Kain Sehati", "19.01"),
        "batik": product(batik, "Batik Simpor Motif Daun", "19.02", price=350_000),
        "rice": rice,
    }


@pytest.fixture
def shelves(personas, goods):
    """Babel's gallery holds 50 masks (10% commission) and 5 batik (15%); Jawa Barat's
    20 bags of rice."""
    babel, pusat = personas.prov_babel, personas.pusat
    return {
        "masker": plut.consignment_receive(
            user=babel, province_code="19", product=goods["masker"], quantity=50, on=TODAY,
            commission_percent=10,
        ),
        "batik": plut.consignment_receive(
            user=babel, province_code="19", product=goods["batik"], quantity=5, on=TODAY,
            commission_percent="15",
        ),
        "rice": plut.consignment_receive(
            user=pusat, province_code="32", product=goods["rice"], quantity=20, on=TODAY,
            price=60_000,
        ),
    }  # fmt: skip


def counted(user, item):
    return plut.consignment_item_get(user=user, pk=item.pk)


def refusal(call):
    """The messages of the ValidationError `call()` raises, in Indonesian."""
    with translation.override("id"):
        with pytest.raises(ValidationError) as caught:
            call()
        return caught.value.messages


# Stock ---------------------------------------------------------------------------------


def test_stock_on_hand_is_received_less_sold_and_returned(personas, shelves):
    babel, masker = personas.prov_babel, shelves["masker"]
    plut.consignment_receive(
        user=babel, province_code="19", product=masker.product, quantity=30, on=TODAY
    )
    plut.consignment_sell(user=babel, item=masker, quantity=12, on=TODAY)
    plut.consignment_return(user=babel, item=masker, quantity=5, on=TODAY)
    item = counted(babel, masker)
    assert (item.received, item.sold, item.returned, item.on_hand) == (80, 12, 5, 63)
    assert item.sales_amount == item.unsettled_amount == 12 * 25_000
    assert ConsignmentItem.objects.filter(product=masker.product).count() == 1


def test_first_receipt_takes_the_product_price_and_no_commission(personas, shelves):
    item = shelves["rice"]
    assert (item.price, item.commission_percent) == (60_000, 0)
    assert shelves["masker"].price == 25_000


def test_sale_at_another_price(personas, shelves):
    sale = plut.consignment_sell(
        user=personas.prov_babel, item=shelves["masker"], quantity=3, on=TODAY, price=20_000
    )
    assert sale.amount == 60_000


def test_gallery_never_sells_more_than_it_holds(personas, shelves):
    babel, batik = personas.prov_babel, shelves["batik"]
    plut.consignment_sell(user=babel, item=batik, quantity=4, on=TODAY)
    messages = refusal(lambda: plut.consignment_sell(user=babel, item=batik, quantity=2, on=TODAY))
    with translation.override("id"):
        assert messages == [str(plut.NOT_ENOUGH_TO_SELL % {"on_hand": "1", "quantity": "2"})]
    messages = refusal(
        lambda: plut.consignment_return(user=babel, item=batik, quantity=3, on=TODAY)
    )
    with translation.override("id"):
        assert messages == [str(plut.NOT_ENOUGH_TO_RETURN % {"on_hand": "1", "quantity": "3"})]
    assert counted(babel, batik).on_hand == 1
    assert batik.movements.count() == 2


def test_bad_quantities_prices_commissions_and_dates_are_refused(personas, shelves):
    babel, masker = personas.prov_babel, shelves["masker"]
    with translation.override("id"):
        quantity = str(plut.QUANTITY_INVALID % {"max": "1.000.000"})
        price = str(plut.PRICE_INVALID % {"max": "Rp 1.000.000.000"})
        commission = str(plut.COMMISSION_INVALID)
        future = str(plut.DATE_IN_FUTURE)
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    for bad in (0, -3, 1.5, True, 2_000_000, "5"):
        assert refusal(
            lambda bad=bad: plut.consignment_sell(user=babel, item=masker, quantity=bad, on=TODAY)
        ) == [quantity]
    for bad in (0, -1, 10**12, 2.5):
        assert refusal(
            lambda bad=bad: plut.consignment_sell(
                user=babel, item=masker, quantity=1, on=TODAY, price=bad
            )
        ) == [price]
    for bad in (-1, 101, "sepuluh", "10.555"):
        assert refusal(
            lambda bad=bad: plut.consignment_receive(
                user=babel, province_code="19", product=masker.product, quantity=1, on=TODAY,
                commission_percent=bad,
            )
        ) == [commission]  # fmt: skip
    assert refusal(
        lambda: plut.consignment_sell(user=babel, item=masker, quantity=1, on=tomorrow)
    ) == [future]
    item = counted(babel, masker)
    assert (item.received, item.sold, item.commission_percent) == (50, 0, 10)


def test_province_gallery_takes_only_its_provinces_products(personas, prov_jateng, goods):
    with translation.override("id"):
        other_province = str(plut.PRODUCT_OF_OTHER_PROVINCE)
        own_only = str(plut.OTHER_PROVINCE)
    assert refusal(
        lambda: plut.consignment_receive(
            user=personas.pusat, province_code="19", product=goods["rice"], quantity=1, on=TODAY
        )
    ) == [other_province]
    assert refusal(
        lambda: plut.consignment_receive(
            user=personas.prov_babel, province_code="32", product=goods["masker"], quantity=1,
            on=TODAY,
        )
    ) == [own_only]  # fmt: skip
    with pytest.raises(Http404):
        plut.consignment_receive(
            user=prov_jateng, province_code="33", product=goods["masker"], quantity=1, on=TODAY
        )
    assert not ConsignmentItem.objects.exists()


# Settlement ----------------------------------------------------------------------------


def test_settlement_pays_the_sales_less_commission(personas, shelves):
    babel, masker = personas.prov_babel, shelves["masker"]
    plut.consignment_sell(user=babel, item=masker, quantity=3, on=TODAY)
    plut.consignment_sell(user=babel, item=masker, quantity=2, on=TODAY, price=24_000)
    plut.consignment_sell(user=babel, item=shelves["batik"], quantity=1, on=TODAY)
    (balance,) = [
        b
        for b in plut.consignment_balances(user=babel, province="19")
        if b.seller == masker.product.seller
    ]
    assert (balance.gross, balance.commission, balance.net) == (123_000, 12_300, 110_700)
    settlement = plut.consignment_settle(
        user=babel,
        province_code="19",
        seller=masker.product.seller,
        paid_on=TODAY,
        reference="TRF-001",
    )
    assert (settlement.gross, settlement.commission, settlement.net) == (123_000, 12_300, 110_700)
    assert settlement.sales.count() == 2
    assert counted(babel, masker).unsettled_amount == 0
    # The batik's seller is still owed its sale.
    assert [(b.seller.name, b.net) for b in plut.consignment_balances(user=babel)] == [
        ("Batik Simpor Belitung", 297_500)
    ]


def test_commission_is_rounded_to_the_rupiah_once(personas, goods):
    pusat = personas.pusat
    item = plut.consignment_receive(
        user=pusat, province_code="19", product=goods["masker"], quantity=10, on=TODAY,
        price=12_345, commission_percent="7.5",
    )  # fmt: skip
    plut.consignment_sell(user=pusat, item=item, quantity=1, on=TODAY)
    plut.consignment_sell(user=pusat, item=item, quantity=1, on=TODAY)
    settlement = plut.consignment_settle(
        user=pusat, province_code="19", seller=goods["masker"].seller, paid_on=TODAY
    )
    # 24,690 × 7.5% = 1,851.75
    assert (settlement.gross, settlement.commission, settlement.net) == (24_690, 1_852, 22_838)


def test_sales_are_never_settled_twice(personas, shelves):
    babel, masker = personas.prov_babel, shelves["masker"]
    seller = masker.product.seller
    plut.consignment_sell(user=babel, item=masker, quantity=2, on=TODAY)
    first = plut.consignment_settle(user=babel, province_code="19", seller=seller, paid_on=TODAY)
    with translation.override("id"):
        nothing = str(plut.NOTHING_TO_SETTLE % {"seller": seller.name})
    assert refusal(
        lambda: plut.consignment_settle(
            user=babel, province_code="19", seller=seller, paid_on=TODAY
        )
    ) == [nothing]
    plut.consignment_sell(user=babel, item=masker, quantity=1, on=TODAY)
    second = plut.consignment_settle(user=babel, province_code="19", seller=seller, paid_on=TODAY)
    assert (first.gross, second.gross) == (50_000, 25_000)
    sales = ConsignmentMovement.objects.filter(kind="sold")
    assert sorted(sales.values_list("settlement_id", flat=True)) == [first.pk, second.pk]


def test_commission_does_not_change_under_unsettled_sales(personas, shelves):
    babel, masker = personas.prov_babel, shelves["masker"]
    plut.consignment_sell(user=babel, item=masker, quantity=2, on=TODAY)
    with translation.override("id"):
        expected = str(plut.COMMISSION_WITH_UNSETTLED % {"percent": "10,00"})
    change = lambda: plut.consignment_receive(  # noqa: E731
        user=babel, province_code="19", product=masker.product, quantity=1, on=TODAY,
        commission_percent=12,
    )  # fmt: skip
    assert refusal(change) == [expected]
    assert counted(babel, masker).received == 50
    plut.consignment_settle(
        user=babel, province_code="19", seller=masker.product.seller, paid_on=TODAY
    )
    assert change().commission_percent == 12


# Scope ---------------------------------------------------------------------------------


def test_other_provinces_find_nothing_of_these_galleries(personas, prov_jateng, shelves):
    for item in shelves.values():
        with pytest.raises(Http404):
            plut.consignment_item_get(user=prov_jateng, pk=item.pk)
        with pytest.raises(Http404):
            plut.consignment_sell(user=prov_jateng, item=item, quantity=1, on=TODAY)
    assert not plut.consignment_items(user=prov_jateng).exists()
    with pytest.raises(Http404):
        plut.consignment_item_get(user=personas.prov_babel, pk=shelves["rice"].pk)


def test_regency_officers_read_their_umkms_items_and_write_nothing(personas, shelves):
    bangka, belitung = personas.kab_bangka, personas.kab_belitung
    assert [i.product.name for i in plut.consignment_items(user=bangka)] == ["Masker Kain Sehati"]
    assert [i.product.name for i in plut.consignment_items(user=belitung)] == [
        "Batik Simpor Motif Daun"
    ]
    with pytest.raises(PermissionDenied):
        plut.consignment_sell(user=bangka, item=shelves["masker"], quantity=1, on=TODAY)
    with pytest.raises(PermissionDenied):
        plut.consignment_settle(
            user=bangka,
            province_code="19",
            seller=shelves["masker"].product.seller,
            paid_on=TODAY,
        )


def test_seller_sees_its_own_items_and_payments_only(personas, shelves):
    babel, masker = personas.prov_babel, shelves["masker"]
    for item in (masker, shelves["batik"]):
        plut.consignment_sell(user=babel, item=item, quantity=1, on=TODAY)
    for item in (masker, shelves["batik"]):
        plut.consignment_settle(
            user=babel, province_code="19", seller=item.product.seller, paid_on=TODAY
        )
    seller = personas.umkm_masker
    assert [i.pk for i in plut.consignment_items(user=seller)] == [masker.pk]
    assert [s.seller.name for s in plut.consignment_settlements(user=seller)] == [
        "Konveksi Sehati Sungailiat"
    ]
    assert len(plut.consignment_settlements(user=babel)) == 2
    with pytest.raises(PermissionDenied):
        plut.consignment_return(user=seller, item=masker, quantity=1, on=TODAY)


def test_buyers_see_no_gallery(personas, shelves):
    for user in (personas.asn_demo, personas.pic_kemenkop, personas.kurator):
        assert not plut.consignment_items(user=user).exists()
        assert not plut.consignment_settlements(user=user).exists()
