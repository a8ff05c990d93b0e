"""The production funnel and demand coverage, on a hand-made case.

Bangka (19.01): `kain` (cloth masks, curated, ordered 6,000 of which 3,000 accepted and
100 rejected), `baru` (cloth masks, only declared), `sanitizer` (curated, licence granted
without expiry) and `kadaluarsa` (hand sanitizer, curated, its licence expired). Jawa
Tengah (33): `jateng` (cloth masks, curated, ordered 4,000, nothing delivered yet) and
`medis` (medical masks, curated without the licence they need, its order cancelled).

Who may read what: the funnel is for central, province and regency officers, each their
region's (prov_jateng sees nothing of Bangka); coverage is for central officers (every
demand) and buyers (their own). The curator and the seller get 404 on both.
"""

import datetime
import itertools

import pytest
from django.conf import settings
from django.utils import timezone

from pulih.accounts.services import token_issue
from pulih.matching.models import (
    AllocationRun,
    Delivery,
    DeliveryPoint,
    Demand,
    PurchaseOrder,
    PurchaseOrderLine,
)
from pulih.matching.reports import demand_coverage, production_funnel
from pulih.production.models import Declaration, Licence, ProductType

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2020, 4, 20)
DEADLINE = TODAY + datetime.timedelta(days=30)
FUNNEL = "/permintaan/laporan/corong/"
COVERAGE = "/permintaan/laporan/cakupan/"
API = "/api/v1/matching/reports"
_numbers = itertools.count(1)


def demand_make(buyer, quantity, product="masker-kain", title=None):
    """A demand delivered to one point in Jakarta."""
    demand = Demand.objects.create(
        buyer=buyer,
        product_type=ProductType.objects.get(code=product),
        title=title or f"{quantity} masker",
        quantity=quantity,
        unit_price=3_000,
        deadline=DEADLINE,
    )
    DeliveryPoint.objects.create(
        demand=demand,
        name="Gudang Jakarta",
        region_code="31.71",
        province_code="31",
        quantity=quantity,
    )
    return demand


def order_make(demand, declaration, quantity, *, accepted=0, rejected=0, status=None):
    run = AllocationRun.objects.create(
        demand=demand, status=AllocationRun.Status.CONFIRMED, quantity=quantity
    )
    order = PurchaseOrder(
        number=f"PO-UJI-{next(_numbers)}",
        demand=demand,
        run=run,
        declaration=declaration,
        business=declaration.business,
        quantity=quantity,
        unit_price=declaration.unit_price,
        amount=quantity * declaration.unit_price,
        accepted=accepted,
        rejected=rejected,
        status=status or PurchaseOrder.Status.ISSUED,
    )
    order.set_region(declaration.village_code)
    order.save()
    point = demand.points.get()
    PurchaseOrderLine.objects.create(order=order, point=point, quantity=quantity)
    if accepted or rejected:
        Delivery.objects.create(
            order=order, point=point, delivered_on=TODAY, accepted=accepted, rejected=rejected
        )
    return order


def licence_make(declaration, expires_on):
    licence = Licence(
        business=declaration.business,
        product_type=declaration.product_type,
        kind=declaration.product_type.licence_kind,
        number=f"KEMENKES RI PKD {next(_numbers)}",
        issuer="Kemenkes",
        status=Licence.Status.GRANTED,
        granted_on=TODAY - datetime.timedelta(days=60),
        expires_on=expires_on,
    )
    licence.set_region(declaration.village_code)
    licence.save()


@pytest.fixture
def case(personas, make_producer):
    karya = personas.kurator.organisation
    kimia_farma = personas.pembeli_kf.organisation
    kain = make_producer("19.01.01", capacity=10_000)
    baru = make_producer("19.01.02", capacity=5_000, status=Declaration.Status.DECLARED)
    sanitizer = make_producer("19.01.01", "hand-sanitizer", capacity=2_000)
    kadaluarsa = make_producer("19.01.03", "hand-sanitizer", capacity=1_000)
    licence_make(sanitizer, expires_on=None)
    licence_make(kadaluarsa, expires_on=TODAY - datetime.timedelta(days=1))
    jateng = make_producer("33.01.01", capacity=8_000)
    medis = make_producer("33.01.01", "masker-medis", capacity=20_000)
    karya_order = demand_make(karya, 10_000, title="Masker Karya Nusantara")
    order_make(
        karya_order,
        kain,
        6_000,
        accepted=3_000,
        rejected=100,
        status=PurchaseOrder.Status.PARTLY_DELIVERED,
    )
    order_make(karya_order, jateng, 4_000)
    cancelled = demand_make(karya, 5_000, product="masker-medis")
    order_make(cancelled, medis, 5_000, status=PurchaseOrder.Status.CANCELLED)
    kf = demand_make(kimia_farma, 1_000_000, title="Satu juta masker")
    return {"karya": karya_order, "kf": kf, "kain": kain, "baru": baru}


@pytest.fixture
def english(client):
    """Pages and API in English: the texts below are the English originals."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"


def coverage_of(user, demand):
    return [row for row in demand_coverage(user=user, today=TODAY) if row["id"] == demand.pk]


def counts(row):
    return {s["stage"]: s["count"] for s in row["stages"]}


def capacities(row):
    return {s["stage"]: s["capacity"] for s in row["stages"]}


def test_funnel_counts_each_stage_of_the_nation(personas, case):
    funnel = production_funnel(user=personas.pusat, today=TODAY)
    total = funnel["total"]
    assert counts(total) == {
        "declared": 6,
        "curated": 5,
        "licensed": 3,  # cloth masks need none; one sanitizer's licence expired
        "allocated": 2,  # the medical masks' order was cancelled
        "delivered": 1,
    }
    assert capacities(total) == {
        "declared": 46_000,
        "curated": 41_000,
        "licensed": 20_000,
        "allocated": 18_000,
        "delivered": 10_000,
    }
    assert (total["units_ordered"], total["units_accepted"]) == (10_000, 3_000)
    by_product = {row["code"]: row for row in funnel["by_product"]}
    assert list(by_product) == ["masker-kain", "masker-medis", "hand-sanitizer"]
    assert counts(by_product["masker-kain"]) == {
        "declared": 3,
        "curated": 2,
        "licensed": 2,
        "allocated": 2,
        "delivered": 1,
    }
    assert counts(by_product["masker-medis"])["licensed"] == 0
    assert by_product["masker-kain"]["units_ordered"] == 10_000
    by_province = {row["code"]: row for row in funnel["by_province"]}
    assert by_province["19"]["name"] == "Kepulauan Bangka Belitung"
    assert counts(by_province["19"])["declared"] == 4
    assert counts(by_province["33"]) == {
        "declared": 2,
        "curated": 2,
        "licensed": 1,
        "allocated": 1,
        "delivered": 0,
    }


def test_a_licence_counts_while_it_is_valid(personas, case):
    before_expiry = TODAY - datetime.timedelta(days=5)
    funnel = production_funnel(user=personas.pusat, today=before_expiry)
    assert counts(funnel["total"])["licensed"] == 4


def test_funnel_narrows_to_a_product_and_a_province(personas, case):
    cloth = ProductType.objects.get(code="masker-kain")
    funnel = production_funnel(user=personas.pusat, product_type=cloth, today=TODAY)
    assert counts(funnel["total"])["declared"] == 3
    assert [row["code"] for row in funnel["by_product"]] == ["masker-kain"]
    funnel = production_funnel(user=personas.pusat, province_code="19", today=TODAY)
    assert [row["code"] for row in funnel["by_province"]] == ["19"]
    assert funnel["total"]["units_ordered"] == 6_000


def test_province_officer_of_jawa_tengah_sees_no_bangka_figures(prov_jateng, case):
    funnel = production_funnel(user=prov_jateng, today=TODAY)
    assert [row["code"] for row in funnel["by_province"]] == ["33"]
    assert counts(funnel["total"])["declared"] == 2
    assert funnel["total"]["units_ordered"] == 4_000
    assert funnel["total"]["units_accepted"] == 0


def test_regency_officer_sees_its_regency_only(personas, case):
    funnel = production_funnel(user=personas.kab_bangka, today=TODAY)
    assert counts(funnel["total"]) == {
        "declared": 4,
        "curated": 3,
        "licensed": 2,
        "allocated": 1,
        "delivered": 1,
    }


def test_coverage_counts_ordered_accepted_rejected_and_missing(personas, case):
    rows = {row["id"]: row for row in demand_coverage(user=personas.pusat, today=TODAY)}
    karya = rows[case["karya"].pk]
    assert karya["quantity"] == karya["ordered"] == 10_000
    assert (karya["accepted"], karya["rejected"]) == (3_000, 100)
    # 2,900 still to come from the first producer, 4,000 from the second: the 100
    # rejected are missing.
    assert karya["missing"] == 100


def test_coverage_sets_an_open_demand_against_the_capacity_that_exists(personas, case):
    [kf] = [
        r for r in demand_coverage(user=personas.pusat, today=TODAY) if r["id"] == case["kf"].pk
    ]
    # Until the deadline the cloth-mask makers can make 10,000 and 8,000, less the
    # 2,900 and 4,000 they still owe Karya Nusantara.
    assert kf["capacity"] == 11_100
    assert kf["shortfall"] == 1_000_000 - 11_100
    assert (kf["capacity_on"], kf["run_id"]) == (TODAY, None)


def test_coverage_uses_the_latest_allocation_run_and_its_date(personas, case):
    AllocationRun.objects.create(
        demand=case["kf"], status=AllocationRun.Status.SHORTFALL, quantity=1, capacity=5
    )
    run = AllocationRun.objects.create(
        demand=case["kf"],
        status=AllocationRun.Status.SHORTFALL,
        quantity=1_000_000,
        allocated=372_400,
        capacity=372_400,
        shortfall=627_600,
    )
    [kf] = [
        r for r in demand_coverage(user=personas.pusat, today=TODAY) if r["id"] == case["kf"].pk
    ]
    assert (kf["capacity"], kf["shortfall"], kf["run_id"]) == (372_400, 627_600, run.pk)
    assert kf["capacity_on"] == timezone.localdate()


def test_buyer_sees_only_its_own_demands_coverage(personas, case):
    rows = demand_coverage(user=personas.pembeli_kf, today=TODAY)
    assert [row["id"] for row in rows] == [case["kf"].pk]


# Pages ---------------------------------------------------------------------------------


def test_funnel_page_shows_the_stages_and_a_bar_per_stage(personas, login, case):
    response = login(personas.pusat).get(FUNNEL)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-stage="curated" data-count="5"' in html
    assert "Kepulauan Bangka Belitung" in html
    assert 'class="progress"' in html


def test_funnel_page_of_jawa_tengah_has_no_bangka(prov_jateng, login, case):
    html = login(prov_jateng).get(FUNNEL).content.decode()
    assert "Kepulauan Bangka Belitung" not in html
    assert 'data-stage="declared" data-count="2"' in html


def test_funnel_page_filters_by_product(personas, login, case):
    html = login(personas.pusat).get(FUNNEL, {"product": "masker-kain"}).content.decode()
    assert 'data-stage="declared" data-count="3"' in html


def test_funnel_page_refuses_an_unknown_product_with_a_message(personas, login, case):
    response = login(personas.pusat).get(FUNNEL, {"product": "senapan"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Masukkan pilihan yang valid" in html
    assert 'data-stage="declared" data-count="6"' in html  # the whole funnel still shows


def test_funnel_downloads_as_csv_with_a_total(personas, login, case, english):
    response = login(personas.pusat).get(FUNNEL, {"format": "csv"})
    assert response.status_code == 200
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    lines = text.strip().splitlines()
    assert lines[0].startswith("By,Name,Declared,Declared: capacity per month,Curated")
    assert lines[-1].startswith("Total,Total,6,46000,5,41000,3,20000,2,18000,1,10000,10000,3000")


def test_funnel_downloads_as_xlsx(personas, login, case):
    response = login(personas.pusat).get(FUNNEL, {"format": "xlsx"})
    assert response.status_code == 200
    assert response["Content-Disposition"].endswith('.xlsx"')


def test_coverage_page_says_what_was_ordered_and_what_capacity_exists(
    personas, login, case, english
):
    AllocationRun.objects.create(
        demand=case["kf"],
        status=AllocationRun.Status.SHORTFALL,
        quantity=1_000_000,
        capacity=372_400,
        shortfall=627_600,
    )
    html = login(personas.pusat).get(COVERAGE).content.decode()
    # English pages keep Indonesian number formats.
    assert "10.000 of 10.000 ordered" in html
    assert "1.000.000 asked against 372.400 of capacity" in html
    assert "Shortfall: 627.600 units beyond the capacity that exists." in html


def test_coverage_page_of_the_buyer_shows_only_its_demand(personas, login, case):
    html = login(personas.pembeli_kf).get(COVERAGE).content.decode()
    assert "Satu juta masker" in html
    assert "Masker Karya Nusantara" not in html


def test_coverage_download_neutralises_formulas(personas, login, case):
    Demand.objects.filter(pk=case["kf"].pk).update(title='=HYPERLINK("http://x", "klik")')
    response = login(personas.pembeli_kf).get(COVERAGE, {"format": "csv"})
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    assert "'=HYPERLINK" in text


@pytest.mark.parametrize("persona", ["kurator", "umkm_masker", "pembeli_kf", "pendamping_bangka"])
def test_funnel_page_does_not_exist_for_other_roles(personas, login, case, persona):
    assert login(getattr(personas, persona)).get(FUNNEL).status_code == 404


@pytest.mark.parametrize("persona", ["kurator", "umkm_masker", "prov_babel", "kab_bangka"])
def test_coverage_page_does_not_exist_for_other_roles(personas, login, case, persona):
    assert login(getattr(personas, persona)).get(COVERAGE).status_code == 404


def test_an_unknown_download_format_is_not_found(personas, login, case):
    assert login(personas.pusat).get(FUNNEL, {"format": "pdf"}).status_code == 404


# API -----------------------------------------------------------------------------------


@pytest.fixture
def api(client):
    def call(user, path, **params):
        token = token_issue(user=user)
        return client.get(f"{API}{path}", params, HTTP_AUTHORIZATION=f"Bearer {token}")

    return call


def test_api_funnel_of_jawa_tengah_has_no_bangka(prov_jateng, api, case):
    response = api(prov_jateng, "/funnel")
    assert response.status_code == 200
    body = response.json()
    assert [row["code"] for row in body["by_province"]] == ["33"]
    assert body["total"]["stages"][0] == {"stage": "declared", "count": 2, "capacity": 28_000}


def test_api_funnel_filters_by_product_and_province(personas, api, case):
    body = api(personas.pusat, "/funnel", product_type="masker-kain", province="19").json()
    assert body["total"]["stages"][0]["count"] == 2
    assert body["total"]["units_accepted"] == 3_000


def test_api_funnel_refuses_an_unknown_product(personas, api, case, english):
    response = api(personas.pusat, "/funnel", product_type="senapan")
    assert response.status_code == 422
    assert response.json()["message"] == "Unknown product type."


def test_api_coverage_of_the_buyer_is_its_own(personas, api, case):
    body = api(personas.pembeli_kf, "/coverage").json()
    assert [(row["title"], row["quantity"]) for row in body] == [("Satu juta masker", 1_000_000)]


@pytest.mark.parametrize("persona", ["kurator", "umkm_masker"])
def test_api_reports_do_not_exist_for_curators_and_sellers(personas, api, case, persona):
    user = getattr(personas, persona)
    assert api(user, "/funnel").status_code == 404
    assert api(user, "/coverage").status_code == 404


def test_api_coverage_does_not_exist_for_province_officers(personas, api, case):
    assert api(personas.prov_babel, "/coverage").status_code == 404
