"""The demand pages: list, the form with its repeated point rows, the demand's coverage,
the run page with its banner, reasons, adjustment and confirmation.

Who sees what: pusat every demand and acts on it; pembeli-kf its organisation's demands
(read-only runs); another buyer organisation's user, the curator, sellers and regional
officers get 404 on every page.
"""

import datetime
from urllib.parse import urlencode

import pytest
from django.utils import timezone

from pulih.accounts.models import Organisation, Role
from pulih.accounts.services import user_create
from pulih.matching import services
from pulih.matching.models import AllocationRun, Demand, PurchaseOrder

from .test_demands import JAKARTA, PANGKALPINANG

pytestmark = pytest.mark.django_db

FORM_ENCODED = "application/x-www-form-urlencoded"


@pytest.fixture
def login(login, settings):
    """Sign in, with the pages in English (the language cookie)."""

    def english(user):
        client = login(user)
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
        return client

    return english


@pytest.fixture
def other_buyer(personas):
    organisation = Organisation.objects.create(name="RSUD Lain", kind=Organisation.Kind.BUYER)
    return user_create(username="pembeli-lain", role=Role.PEMBELI, organisation=organisation)


@pytest.fixture
def producers(make_producer):
    return (
        make_producer("19.01.01", capacity=10_000, price=3_000, name="Konveksi Bangka"),
        make_producer("33.74.01", capacity=8_000, price=2_800, name="Konveksi Semarang"),
    )


def deadline():
    return timezone.localdate() + datetime.timedelta(days=30)


@pytest.fixture
def demand(personas, producers):
    return services.demand_create(
        user=personas.pembeli_kf,
        buyer=personas.pembeli_kf.organisation,
        product_type=producers[0].product_type,
        title="Masker kain untuk apotek",
        quantity=15_000,
        unit_price=3_000,
        deadline=deadline(),
        transport_rate=0.5,
        points=[{**JAKARTA, "quantity": 10_000}, {**PANGKALPINANG, "quantity": 5_000}],
    )


def form_data(**fields):
    data = {
        "product_type": "",
        "title": "Masker kain untuk puskesmas",
        "quantity": "1000",
        "unit_price": "3000",
        "deadline": deadline().isoformat(),
        "transport_rate": "0.5",
        "requires_licence": "",
        "points-TOTAL_FORMS": "2",
        "points-INITIAL_FORMS": "0",
        "points-0-name": "Gudang Jakarta",
        "points-0-region_code": "31.71.01",
        "points-0-quantity": "1000",
        **fields,
    }
    return data


def test_buyer_posts_a_demand_through_the_form(login, personas, producers):
    client = login(personas.pembeli_kf)
    page = client.get("/permintaan/baru/")
    assert page.status_code == 200
    assert 'name="buyer"' not in page.content.decode()
    assert page.content.decode().count('name="points-') >= 3 * 6
    data = form_data(product_type=str(producers[0].product_type.pk))
    response = client.post("/permintaan/baru/", data)
    demand = Demand.objects.get()
    assert response.status_code == 302
    assert response.url == f"/permintaan/{demand.pk}/"
    assert demand.buyer == personas.pembeli_kf.organisation
    assert list(demand.points.values_list("name", "quantity")) == [("Gudang Jakarta", 1_000)]


def test_add_a_row_keeps_what_was_typed(login, personas, producers):
    client = login(personas.pusat)
    data = form_data(product_type=str(producers[0].product_type.pk), add_row="1")
    page = client.post("/permintaan/baru/", data).content.decode()
    assert 'value="Gudang Jakarta"' in page
    assert 'name="points-2-name"' in page
    assert "errorlist" not in page
    assert not Demand.objects.exists()


def test_form_shows_the_services_refusals_and_writes_nothing(login, personas, producers):
    client = login(personas.pusat)
    kimia = personas.pembeli_kf.organisation
    data = form_data(
        buyer=str(kimia.pk),
        product_type=str(producers[0].product_type.pk),
        quantity="2000",
        deadline="2020-01-01",
        **{"points-1-name": "Gudang Bulan", "points-1-region_code": "99", "points-1-quantity": "5"},
    )
    page = client.post("/permintaan/baru/", data).content.decode()
    assert "The deadline must be after today" in page
    assert "Delivery point 2: 99 is not a known region code" in page
    assert not Demand.objects.exists()


def test_demand_detail_shows_coverage_and_the_run_form(login, personas, demand):
    page = login(personas.pusat).get(f"/permintaan/{demand.pk}/").content.decode()
    assert "Masker kain untuk apotek" in page
    assert 'data-missing="10000"' in page
    assert "estimated from the province capital" in page
    assert 'data-action="run"' in page


def test_buyer_reads_its_demand_without_officer_actions(login, personas, demand):
    page = login(personas.pembeli_kf).get(f"/permintaan/{demand.pk}/").content.decode()
    assert "Masker kain untuk apotek" in page
    assert 'data-action="run"' not in page


def test_officer_runs_adjusts_and_confirms_through_the_pages(login, personas, demand):
    client = login(personas.pusat)
    response = client.post(f"/permintaan/{demand.pk}/alokasi/", {"max_share_percent": ""})
    run = AllocationRun.objects.get()
    assert response.url == f"/permintaan/alokasi/{run.pk}/"
    page = client.get(response.url).content.decode()
    assert 'data-status="optimal"' in page
    assert "per unit delivered" in page
    assert 'data-action="confirm"' in page
    line = run.lines.order_by("-quantity").first()
    client.post(f"/permintaan/alokasi/{run.pk}/ubah/", {f"line-{line.pk}": "100"})
    page = client.get(f"/permintaan/alokasi/{run.pk}/").content.decode()
    assert 'data-status="shortfall"' in page
    assert "Accept the shortfall" in page
    refused = client.post(f"/permintaan/alokasi/{run.pk}/konfirmasi/", {}, follow=True)
    assert "accept the shortfall" in refused.content.decode()
    assert not PurchaseOrder.objects.exists()
    response = client.post(
        f"/permintaan/alokasi/{run.pk}/konfirmasi/", {"accept_shortfall": "1"}, follow=True
    )
    assert "purchase orders were issued: PO/" in response.content.decode()
    assert PurchaseOrder.objects.count() == 2


def test_bad_adjustment_is_shown_and_changes_nothing(login, personas, demand):
    client = login(personas.pusat)
    client.post(f"/permintaan/{demand.pk}/alokasi/")
    run = AllocationRun.objects.get()
    line = run.lines.first()
    page = client.post(
        f"/permintaan/alokasi/{run.pk}/ubah/", {f"line-{line.pk}": "999999"}, follow=True
    ).content.decode()
    assert "before the deadline; its lines ask 999.999" in page
    line.refresh_from_db()
    assert line.adjusted_quantity is None


def test_shortfall_run_page_says_what_is_short_per_point(login, personas, producers):
    demand = services.demand_create(
        user=personas.pusat,
        buyer=personas.pembeli_kf.organisation,
        product_type=producers[0].product_type,
        title="Sejuta masker",
        quantity=1_000_000,
        unit_price=3_000,
        deadline=deadline(),
        points=[{**JAKARTA, "quantity": 1_000_000}],
    )
    client = login(personas.pusat)
    client.post(f"/permintaan/{demand.pk}/alokasi/")
    run = AllocationRun.objects.get()
    page = client.get(f"/permintaan/alokasi/{run.pk}/").content.decode()
    assert "Not enough capacity: 982.000 of the 1.000.000 units" in page
    assert 'data-short="982000"' in page
    assert "982.000 short" in page


def test_reallocate_button_appears_when_something_is_missing(login, personas, demand):
    client = login(personas.pusat)
    client.post(f"/permintaan/{demand.pk}/alokasi/")
    run = AllocationRun.objects.get()
    (order, *_rest) = services.allocation_confirm(user=personas.pusat, run=run)
    services.order_cancel(user=personas.pusat, order=order, reason="Produsen berhenti")
    page = client.get(f"/permintaan/{demand.pk}/").content.decode()
    assert 'data-action="reallocate"' in page
    response = client.post(f"/permintaan/{demand.pk}/alokasi-ulang/")
    realloc = AllocationRun.objects.get(reallocation=True)
    assert response.url == f"/permintaan/alokasi/{realloc.pk}/"
    assert realloc.quantity == order.quantity


def test_demand_list_is_scoped_to_the_buyer(login, personas, other_buyer, demand):
    assert (
        "Masker kain untuk apotek"
        in login(personas.pembeli_kf).get("/permintaan/").content.decode()
    )
    assert "Masker kain untuk apotek" not in login(other_buyer).get("/permintaan/").content.decode()


def test_pages_of_a_demand_are_404_outside_its_scope(
    login, personas, other_buyer, prov_jateng, demand
):
    services.allocation_run(user=personas.pusat, demand=demand)
    run = AllocationRun.objects.get()
    pages = [
        ("get", f"/permintaan/{demand.pk}/"),
        ("get", f"/permintaan/alokasi/{run.pk}/"),
        ("post", f"/permintaan/{demand.pk}/alokasi/"),
        ("post", f"/permintaan/alokasi/{run.pk}/konfirmasi/"),
    ]
    for user in (other_buyer, personas.kurator, personas.umkm_masker, prov_jateng):
        client = login(user)
        for method, path in pages:
            assert getattr(client, method)(path).status_code == 404, (user, path)
    for user in (personas.kurator, personas.umkm_masker, personas.prov_babel):
        assert login(user).get("/permintaan/").status_code == 404
    assert not PurchaseOrder.objects.exists()


def test_buyer_cannot_run_or_confirm_through_the_pages(login, personas, demand):
    services.allocation_run(user=personas.pusat, demand=demand)
    run = AllocationRun.objects.get()
    client = login(personas.pembeli_kf)
    assert client.post(f"/permintaan/{demand.pk}/alokasi/").status_code == 404
    assert client.post(f"/permintaan/alokasi/{run.pk}/konfirmasi/").status_code == 404
    assert (
        'data-action="confirm"' not in client.get(f"/permintaan/alokasi/{run.pk}/").content.decode()
    )


def test_absurd_coordinates_on_the_form_are_refused_not_crashing(login, personas, producers):
    client = login(personas.pusat)
    data = form_data(
        buyer=str(personas.pembeli_kf.organisation.pk),
        product_type=str(producers[0].product_type.pk),
        **{"points-0-latitude": "1e30", "points-0-longitude": "106.8"},
    )
    response = client.post("/permintaan/baru/", data)
    assert response.status_code == 200
    assert "Delivery point 1: latitude must lie between -90 and 90" in response.content.decode()
    assert not Demand.objects.exists()


def test_a_row_count_that_is_not_a_number_still_adds_a_row(login, personas, producers):
    client = login(personas.pusat)
    for count in ("-5", "²", "9" * 5_000):
        data = form_data(add_row="1", **{"points-TOTAL_FORMS": count})
        page = client.post("/permintaan/baru/", data).content.decode()
        assert 'name="points-0-name"' in page, count


@pytest.mark.parametrize("typed", ["²", "١٠", "1e3", "-5", "9" * 5_000])
def test_unreadable_adjusted_quantities_are_refused_not_crashing(login, personas, demand, typed):
    client = login(personas.pusat)
    client.post(f"/permintaan/{demand.pk}/alokasi/")
    run = AllocationRun.objects.get()
    line = run.lines.order_by("pk").first()
    response = client.post(f"/permintaan/alokasi/{run.pk}/ubah/", {f"line-{line.pk}": typed})
    assert response.status_code == 302
    page = client.get(response.url).content.decode()
    line.refresh_from_db()
    if typed == "١٠":  # Arabic-Indic digits are a number: ten
        assert line.adjusted_quantity == 10
    else:
        assert "Quantities must be whole numbers, zero or more." in page
        assert line.adjusted_quantity is None


def test_unreadable_line_ids_are_ignored(login, personas, demand):
    client = login(personas.pusat)
    client.post(f"/permintaan/{demand.pk}/alokasi/")
    run = AllocationRun.objects.get()
    for key in ("line-²", "line-", "line-1.0", "line-" + "9" * 5_000):
        # Form-encoded: a multipart part's header could not hold the longest key.
        body = urlencode({key: "5"})
        response = client.post(
            f"/permintaan/alokasi/{run.pk}/ubah/", body, content_type=FORM_ENCODED
        )
        assert response.status_code == 302, key
    assert not run.lines.filter(adjusted_quantity__isnull=False).exists()


def test_run_page_lists_the_producers_left_out(login, personas, demand, make_producer):
    make_producer("19.01.02", capacity=10_000, price=3_500, name="Konveksi Mahal")
    client = login(personas.pusat)
    response = client.post(f"/permintaan/{demand.pk}/alokasi/")
    page = client.get(response.url).content.decode()
    assert "Producers left out" in page
    assert "<li>price above the buyer&#x27;s offer: 1</li>" in page
    assert "Konveksi Mahal" not in page


def test_reallocation_form_leaves_the_smallest_order_empty(login, personas, producers):
    demand = services.demand_create(
        user=personas.pusat,
        buyer=personas.pembeli_kf.organisation,
        product_type=producers[0].product_type,
        title="Masker dengan pesanan terkecil",
        quantity=15_000,
        unit_price=3_000,
        deadline=deadline(),
        min_lot=1_000,
        points=[{**JAKARTA, "quantity": 15_000}],
    )
    client = login(personas.pusat)
    assert 'name="min_lot" value="1000"' in client.get(f"/permintaan/{demand.pk}/").content.decode()
    run = services.allocation_run(user=personas.pusat, demand=demand)
    (order, *_rest) = services.allocation_confirm(user=personas.pusat, run=run)
    services.order_cancel(user=personas.pusat, order=order, reason="Produsen berhenti")
    page = client.get(f"/permintaan/{demand.pk}/").content.decode()
    assert 'data-action="reallocate"' in page
    assert 'name="min_lot" value=' not in page
