"""The reconciliation page of a wave and the settlement to its sellers.

Who sees what: pusat every drop-off point's line and the sellers, and pays them;
prov-babel reads both but does not pay (its office is not the organiser); pic-kemenkop
only its own line and no settlement; prov_jateng nothing of a Bangka Belitung wave;
buyers and sellers neither page (404).
"""

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from pulih.core import formats
from pulih.market import handover
from pulih.market.models import SellerSettlement, Wave

from .test_handover import KEMENKOP, SMESCO, order_make, window_close

pytestmark = pytest.mark.django_db


@pytest.fixture
def login(login, settings):
    def english(user):
        client = login(user)
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
        return client

    return english


@pytest.fixture
def paid_in_part(personas, wave, other_pic):
    """Rp 220.000 at Smesco paid in cash; Rp 110.000 at Kemenkop unpaid."""
    smesco = wave.drop_off_points.get(cluster=SMESCO)
    kemenkop = wave.drop_off_points.get(cluster=KEMENKOP)
    order = order_make(smesco, buyer=personas.asn_demo)
    order_make(kemenkop, buyer=personas.asn_demo, packs=((10, 1),))
    window_close(wave)
    handover.order_payment_record(
        user=personas.pic_kemenkop, order=order, method="cash", amount=220_000
    )
    return wave


@pytest.fixture
def owed(personas, wave):
    window_close(wave)
    Wave.objects.filter(pk=wave.pk).update(status=Wave.Status.CLOSED)
    return SellerSettlement.objects.create(
        wave=wave,
        seller=personas.koperasi_tanimulus.organisation,
        sold_milli=2_900_000,
        amount_due=31_900_000,
    )


def url(name, *args):
    return reverse(f"market:{name}", args=args)


def test_officer_sees_each_pics_expected_received_and_outstanding(login, personas, paid_in_part):
    page = login(personas.pusat).get(url("reconciliation", paid_in_part.pk)).content.decode()
    smesco = paid_in_part.drop_off_points.get(cluster=SMESCO)
    kemenkop = paid_in_part.drop_off_points.get(cluster=KEMENKOP)
    assert SMESCO in page and KEMENKOP in page
    row = page.split(f'data-point="{smesco.pk}"')[1].split("</tr>")[0]
    assert 'data-expected="220000"' in row and 'data-outstanding="0"' in row
    row = page.split(f'data-point="{kemenkop.pk}"')[1].split("</tr>")[0]
    assert 'data-received="0"' in row and 'data-outstanding="110000"' in row
    with translation.override("en"):
        assert formats.rupiah(330_000) in page, "the overall expected"


def test_pic_sees_only_its_own_line(login, personas, paid_in_part):
    client = login(personas.pic_kemenkop)
    page = client.get(url("reconciliation", paid_in_part.pk)).content.decode()
    assert SMESCO in page
    assert KEMENKOP not in page


def test_reconciliation_is_404_outside_the_waves_scope(
    login, personas, prov_jateng, paid_in_part, closed_wave
):
    Wave.objects.filter(pk=paid_in_part.pk).update(province_code="19")
    assert login(personas.prov_babel).get(url("reconciliation", paid_in_part.pk)).status_code == 200
    for user in (prov_jateng, personas.asn_demo, personas.koperasi_tanimulus):
        assert login(user).get(url("reconciliation", paid_in_part.pk)).status_code == 404


def test_a_pic_finds_no_reconciliation_of_a_wave_it_has_no_point_in(login, other_pic, closed_wave):
    assert login(other_pic).get(url("reconciliation", closed_wave.pk)).status_code == 404


def test_central_officer_pays_a_seller_from_the_settlement_page(login, personas, owed):
    client = login(personas.pusat)
    page = client.get(url("settlements", owed.wave_id)).content.decode()
    assert "Koperasi Tani Mulus" in page
    with translation.override("en"):
        assert formats.weight(2_900) in page
    assert f'name="s{owed.pk}-amount" value="31900000"' in page
    response = client.post(
        url("settlement_pay", owed.wave_id, owed.pk),
        {
            f"s{owed.pk}-amount": "31900000",
            f"s{owed.pk}-paid_on": timezone.localdate().isoformat(),
            f"s{owed.pk}-reference": "SP2D 7/2020",
        },
        follow=True,
    )
    assert 'data-paid="31900000"' in response.content.decode()
    owed.refresh_from_db()
    assert owed.reference == "SP2D 7/2020"
    owed.wave.refresh_from_db()
    assert owed.wave.status == Wave.Status.SETTLED


def test_an_overpayment_to_a_seller_is_refused_on_the_page(login, personas, owed):
    response = login(personas.pusat).post(
        url("settlement_pay", owed.wave_id, owed.pk),
        {
            f"s{owed.pk}-amount": "32000000",
            f"s{owed.pk}-paid_on": timezone.localdate().isoformat(),
        },
    )
    with translation.override("en"):
        message = handover.ABOVE_DUE % {
            "remaining": formats.rupiah(31_900_000),
            "seller": "Koperasi Tani Mulus",
        }
    assert message in response.content.decode()
    owed.refresh_from_db()
    assert owed.amount_paid == 0


def test_an_officer_outside_the_organiser_reads_but_does_not_pay(login, personas, owed):
    client = login(personas.prov_babel)
    page = client.get(url("settlements", owed.wave_id)).content.decode()
    assert "Koperasi Tani Mulus" in page
    assert "settlement-pay" not in page
    response = client.post(
        url("settlement_pay", owed.wave_id, owed.pk),
        {f"s{owed.pk}-amount": "1000", f"s{owed.pk}-paid_on": timezone.localdate().isoformat()},
    )
    assert response.status_code == 404
    owed.refresh_from_db()
    assert owed.amount_paid == 0


def test_settlements_are_404_to_pics_sellers_buyers_and_other_provinces(
    login, personas, prov_jateng, owed
):
    Wave.objects.filter(pk=owed.wave_id).update(province_code="19")
    users = (personas.pic_kemenkop, personas.koperasi_tanimulus, personas.asn_demo, prov_jateng)
    for user in users:
        assert login(user).get(url("settlements", owed.wave_id)).status_code == 404
