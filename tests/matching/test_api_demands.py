"""Demands, allocation runs and purchase orders over the API, with Bearer tokens.

Who may do what: pusat runs, adjusts and confirms, and sees everything; pembeli-kf posts
and reads its own organisation's demands and records deliveries and payments of their
orders; another buyer organisation's user gets 404 on them; umkm-masker (seller) sees only
its own business's orders; prov_jateng gets 404 on a Bangka producer's order; the curator
gets 404 on every endpoint.
"""

import pytest
from django.utils import timezone

from pulih.accounts.models import Organisation, Role
from pulih.accounts.services import token_issue, user_create
from pulih.matching.models import AllocationRun, Demand, PurchaseOrder

pytestmark = pytest.mark.django_db

API = "/api/v1/matching"


@pytest.fixture
def api(client):
    def call(user, method, path, body=None):
        headers = {
            "HTTP_AUTHORIZATION": f"Bearer {token_issue(user=user)}",
            "HTTP_ACCEPT_LANGUAGE": "en",
        }
        if method == "get":
            return client.get(f"{API}{path}", body or {}, **headers)
        return getattr(client, method)(
            f"{API}{path}", body or {}, content_type="application/json", **headers
        )

    return call


@pytest.fixture
def other_buyer(personas):
    organisation = Organisation.objects.create(name="RSUD Lain", kind=Organisation.Kind.BUYER)
    return user_create(username="pembeli-lain", role=Role.PEMBELI, organisation=organisation)


@pytest.fixture
def producers(personas, make_producer):
    sehati = make_producer(
        "19.01.01",
        capacity=10_000,
        price=3_000,
        organisation=personas.umkm_masker.organisation,
        name="Konveksi Sehati",
    )
    semarang = make_producer("33.74.01", capacity=8_000, price=2_800, name="Konveksi Semarang")
    return sehati, semarang


def deadline():
    return (timezone.localdate() + timezone.timedelta(days=30)).isoformat()


def demand_body(quantity=15_000, **fields):
    return {
        "product_type": "masker-kain",
        "title": "Masker kain untuk apotek",
        "quantity": quantity,
        "unit_price": 3_000,
        "deadline": deadline(),
        "transport_rate": 0.5,
        "points": [
            {"name": "Gudang Jakarta", "region_code": "31.71.01", "quantity": quantity - 5_000},
            {
                "name": "Gudang Pangkalpinang",
                "region_code": "19.71",
                "quantity": 5_000,
                "latitude": -2.13,
                "longitude": 106.11,
            },
        ],
        **fields,
    }


@pytest.fixture
def demand_id(api, personas, producers):
    response = api(personas.pembeli_kf, "post", "/demands", demand_body())
    assert response.status_code == 201, response.content
    return response.json()["id"]


@pytest.fixture
def orders(api, personas, demand_id):
    run = api(personas.pusat, "post", f"/demands/{demand_id}/runs").json()
    response = api(personas.pusat, "post", f"/runs/{run['id']}/confirm")
    assert response.status_code == 201, response.content
    return response.json()


def test_buyer_posts_a_demand_for_its_own_organisation(api, personas, producers, demand_id):
    body = api(personas.pembeli_kf, "get", f"/demands/{demand_id}").json()
    assert body["buyer"] == "PT Kimia Farma Tbk"
    assert body["requires_licence"] is False
    assert [(p["name"], p["quantity"], p["missing"]) for p in body["points"]] == [
        ("Gudang Jakarta", 10_000, 10_000),
        ("Gudang Pangkalpinang", 5_000, 5_000),
    ]


def test_bad_demand_is_422_with_a_message_per_field(api, personas):
    body = demand_body(quantity=-5, unit_price=-1)
    body["points"][0]["region_code"] = "99.99"
    response = api(personas.pembeli_kf, "post", "/demands", body)
    assert response.status_code == 422
    errors = {(e["field"], e["message"]) for e in response.json()["errors"]}
    assert ("quantity", "The quantity must be at least 1.") in errors
    assert ("unit_price", "The price cannot be negative.") in errors
    assert not Demand.objects.exists()


def test_unknown_product_and_missing_buyer_are_named(api, personas):
    response = api(personas.pusat, "post", "/demands", demand_body(product_type="masker-emas"))
    assert response.status_code == 422
    assert {e["field"] for e in response.json()["errors"]} == {"buyer_id", "product_type"}


def test_central_officer_runs_adjusts_and_confirms(api, personas, producers, demand_id):
    sehati, semarang = producers
    response = api(personas.pusat, "post", f"/demands/{demand_id}/runs", {"max_share_percent": 60})
    assert response.status_code == 201, response.content
    run = response.json()
    assert (run["status"], run["allocated"], run["shortfall"]) == ("optimal", 15_000, 0)
    assert run["total_cost"] <= run["greedy_cost"]
    assert all(line["reason"] for line in run["lines"])
    line = max(run["lines"], key=lambda line: line["quantity"])
    adjusted = api(
        personas.pusat,
        "patch",
        f"/runs/{run['id']}",
        {"lines": [{"id": line["id"], "quantity": 1}]},
    ).json()
    assert adjusted["shortfall"] == line["quantity"] - 1
    assert adjusted["status"] == "shortfall"
    refused = api(personas.pusat, "post", f"/runs/{run['id']}/confirm")
    assert refused.status_code == 422
    confirmed = api(
        personas.pusat, "post", f"/runs/{run['id']}/confirm", {"accept_shortfall": True}
    )
    assert confirmed.status_code == 201
    assert {o["declaration_id"] for o in confirmed.json()} <= {sehati.pk, semarang.pk}
    again = api(personas.pusat, "post", f"/runs/{run['id']}/confirm", {"accept_shortfall": True})
    assert again.status_code == 422
    assert again.json()["message"] == (
        "This run is confirmed: it can no longer be changed or confirmed."
    )


def test_demand_above_all_capacity_is_a_shortfall_run(api, personas, producers):
    kimia = personas.pembeli_kf.organisation
    demand = api(personas.pusat, "post", "/demands", demand_body(1_000_000, buyer_id=kimia.pk))
    demand = demand.json()
    run = api(personas.pusat, "post", f"/demands/{demand['id']}/runs").json()
    assert (run["status"], run["allocated"], run["shortfall"]) == ("shortfall", 18_000, 982_000)
    assert "982.000 short" in run["message"]
    assert not PurchaseOrder.objects.exists()


def test_buyer_may_not_run_the_allocation(api, personas, demand_id):
    response = api(personas.pembeli_kf, "post", f"/demands/{demand_id}/runs")
    assert response.status_code == 403
    assert not AllocationRun.objects.exists()


def test_delivery_qc_reject_reallocation_and_payment(api, personas, demand_id, orders):
    order = orders[0]
    detail = api(personas.pembeli_kf, "get", f"/orders/{order['id']}").json()
    line = detail["lines"][0]
    bad = api(
        personas.pembeli_kf,
        "post",
        f"/orders/{order['id']}/deliveries",
        {
            "point_id": line["point_id"],
            "delivered_on": timezone.localdate().isoformat(),
            "accepted": 100,
            "rejected": 20,
        },
    )
    assert bad.status_code == 422
    assert bad.json()["errors"] == [
        {"field": "qc_note", "message": "Say why units were rejected at the quality check."}
    ]
    good = api(
        personas.pembeli_kf,
        "post",
        f"/orders/{order['id']}/deliveries",
        {
            "point_id": line["point_id"],
            "delivered_on": timezone.localdate().isoformat(),
            "accepted": 100,
            "rejected": 20,
            "qc_note": "Jahitan lepas",
        },
    )
    assert good.status_code == 201, good.content
    run = api(personas.pusat, "post", f"/demands/{demand_id}/reallocate").json()
    assert (run["reallocation"], run["quantity"]) == (True, 20)
    invoiced = api(
        personas.pembeli_kf, "patch", f"/orders/{order['id']}", {"payment_status": "invoiced"}
    )
    assert invoiced.json()["payment_status"] == "invoiced"
    paid = api(personas.pembeli_kf, "patch", f"/orders/{order['id']}", {"payment_status": "paid"})
    assert (paid.json()["paid_amount"], paid.json()["payable"]) == (
        100 * order["unit_price"],
        100 * order["unit_price"],
    )


def test_central_officer_cancels_an_order_with_a_reason(api, personas, orders):
    order = orders[0]
    response = api(
        personas.pusat,
        "patch",
        f"/orders/{order['id']}",
        {"status": "cancelled", "reason": "Tutup"},
    )
    assert (response.json()["status"], response.json()["cancel_reason"]) == ("cancelled", "Tutup")
    by_buyer = api(
        personas.pembeli_kf,
        "patch",
        f"/orders/{orders[1]['id']}",
        {"status": "cancelled", "reason": "x"},
    )
    assert by_buyer.status_code == 403


def test_another_buyer_gets_404_on_the_demand_and_its_runs_and_orders(
    api, personas, other_buyer, demand_id, orders
):
    run_id = AllocationRun.objects.get().pk
    order_id = orders[0]["id"]
    delivery = {
        "point_id": PurchaseOrder.objects.get(pk=order_id).lines.first().point_id,
        "delivered_on": timezone.localdate().isoformat(),
        "accepted": 1,
    }
    for method, path, body in [
        ("get", f"/demands/{demand_id}", None),
        ("post", f"/demands/{demand_id}/runs", None),
        ("post", f"/demands/{demand_id}/reallocate", None),
        ("get", f"/runs/{run_id}", None),
        ("patch", f"/runs/{run_id}", {"lines": [{"id": 1, "quantity": 1}]}),
        ("post", f"/runs/{run_id}/confirm", None),
        ("get", f"/orders/{order_id}", None),
        ("post", f"/orders/{order_id}/deliveries", delivery),
        ("patch", f"/orders/{order_id}", {"payment_status": "invoiced"}),
    ]:
        assert api(other_buyer, method, path, body).status_code == 404, path
    assert api(other_buyer, "get", "/demands").json()["items"] == []
    assert api(other_buyer, "get", "/orders").json()["items"] == []


def test_seller_sees_only_its_own_orders(api, personas, producers, orders):
    sehati, semarang = producers
    listed = api(personas.umkm_masker, "get", "/orders").json()["items"]
    assert {o["declaration_id"] for o in listed} == {sehati.pk}
    theirs = next(o for o in orders if o["declaration_id"] == semarang.pk)
    assert api(personas.umkm_masker, "get", f"/orders/{theirs['id']}").status_code == 404
    assert api(personas.umkm_masker, "get", "/demands").status_code == 404


def test_province_officer_sees_only_its_provinces_producers_orders(
    api, personas, prov_jateng, producers, orders
):
    sehati, semarang = producers
    bangka = next(o for o in orders if o["declaration_id"] == sehati.pk)
    jateng = next(o for o in orders if o["declaration_id"] == semarang.pk)
    assert api(prov_jateng, "get", f"/orders/{bangka['id']}").status_code == 404
    assert api(prov_jateng, "get", f"/orders/{jateng['id']}").status_code == 200
    assert [o["id"] for o in api(prov_jateng, "get", "/orders").json()["items"]] == [jateng["id"]]
    assert api(personas.prov_babel, "get", f"/orders/{bangka['id']}").status_code == 200


def test_curator_finds_no_demand_endpoint(api, personas, demand_id, orders):
    for path in ["/demands", f"/demands/{demand_id}", "/orders", f"/orders/{orders[0]['id']}"]:
        assert api(personas.kurator, "get", path).status_code == 404, path


def test_absurd_coordinates_are_422_not_a_crash(api, personas):
    body = demand_body()
    body["points"][1]["latitude"] = 1e30
    response = api(personas.pembeli_kf, "post", "/demands", body)
    assert response.status_code == 422
    assert response.json()["errors"] == [
        {
            "field": "points",
            "message": "Delivery point 2: latitude must lie between -90 and 90 and longitude "
            "between -180 and 180.",
        }
    ]
    assert not Demand.objects.exists()


def test_central_officer_cannot_post_a_demand_for_a_seller(api, personas):
    seller = personas.umkm_masker.organisation
    response = api(personas.pusat, "post", "/demands", demand_body(buyer_id=seller.pk))
    assert response.status_code == 422
    assert response.json()["errors"] == [
        {
            "field": "buyer",
            "message": "Konveksi Sehati Sungailiat does not place institutional orders: the "
            "buyer must be a buyer, curator, ministry or dinas organisation.",
        }
    ]
    assert not Demand.objects.exists()
