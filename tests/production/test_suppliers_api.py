"""Raw-material suppliers over the API (Bearer tokens).

Who may do what: pusat adds, changes and verifies suppliers; other officers read them
(a write is 403); the curator, the buyer and the seller get 404 on every endpoint.
"""

import pytest
from django.utils import translation

from pulih.accounts.services import token_issue
from pulih.production import suppliers
from pulih.production.models import Material, Supplier

pytestmark = pytest.mark.django_db

API = "/api/v1/production/suppliers"
BODY = {
    "name": "PT Sriwijaya Nonwoven",
    "region_code": "16.71",
    "materials": [
        {"material": "spunbond", "monthly_capacity": 50000},
        {"material": "meltblown", "monthly_capacity": 2000},
    ],
    "latitude": "-2.95",
    "longitude": "104.7",
    "contact_phone": "0812 7788 9900",
}


@pytest.fixture
def api(client):
    def call(user, method, path="", body=None, **extra):
        headers = {"HTTP_AUTHORIZATION": f"Bearer {token_issue(user=user)}", **extra}
        if method == "get":
            return client.get(f"{API}{path}", body or {}, **headers)
        return getattr(client, method)(
            f"{API}{path}", body or {}, content_type="application/json", **headers
        )

    return call


@pytest.fixture
def sriwijaya(personas):
    return suppliers.supplier_create(
        user=personas.pusat,
        name="PT Sriwijaya Nonwoven",
        region_code="16.71",
        materials=[(Material.objects.get(code="spunbond"), 50_000)],
    )


def test_a_central_officer_adds_a_supplier(personas, api):
    response = api(personas.pusat, "post", body=BODY)
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["status"], body["region_code"], body["province_code"]) == (
        "pending",
        "16.71",
        "16",
    )
    assert body["contact_phone"] == "+6281277889900"
    assert body["materials"] == [
        {"material": "meltblown", "monthly_capacity": 2000},
        {"material": "spunbond", "monthly_capacity": 50000},
    ]


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"region_code": "16.99"}, "region_code", suppliers.UNKNOWN_REGION),
        (
            {"materials": [{"material": "spunbond", "monthly_capacity": -1}]},
            "materials",
            # Formatted when the test runs, in the language it checks, not at collection.
            lambda: suppliers.CAPACITY_POSITIVE % {"material": "Kain spunbond"},
        ),
        ({"latitude": "-95"}, "latitude", suppliers.LATITUDE_RANGE),
        ({"materials": []}, "materials", suppliers.MATERIALS_REQUIRED),
    ],
)
def test_bad_suppliers_are_422_and_nothing_written(personas, api, change, field, message):
    response = api(personas.pusat, "post", body={**BODY, **change}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 422
    with translation.override("en"):
        expected = str(message() if callable(message) else message)
    assert response.json()["errors"] == [{"field": field, "message": expected}]
    assert not Supplier.objects.exists()


def test_an_unknown_material_or_invalid_phone_is_422(personas, api):
    body = {**BODY, "materials": [{"material": "emas", "monthly_capacity": 1}]}
    response = api(personas.pusat, "post", body=body)
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "materials"
    response = api(personas.pusat, "post", body={**BODY, "contact_phone": "0812"})
    assert response.json()["errors"][0]["field"] == "contact_phone"
    assert not Supplier.objects.exists()


def test_other_officers_read_but_may_not_write(personas, prov_jateng, api, sriwijaya):
    for user in (personas.prov_babel, personas.kab_bangka, prov_jateng):
        assert [item["id"] for item in api(user, "get").json()["items"]] == [sriwijaya.pk]
        assert api(user, "get", f"/{sriwijaya.pk}").status_code == 200
        assert api(user, "post", body=BODY).status_code == 403
        assert api(user, "patch", f"/{sriwijaya.pk}", {"name": "X"}).status_code == 403
        verify = {"verified": True, "verified_by": "Dinas"}
        assert api(user, "post", f"/{sriwijaya.pk}/verify", verify).status_code == 403
    sriwijaya.refresh_from_db()
    assert (sriwijaya.name, sriwijaya.status) == ("PT Sriwijaya Nonwoven", "pending")


def test_other_roles_get_404_everywhere(personas, api, sriwijaya):
    for user in (personas.kurator, personas.pembeli_kf, personas.umkm_masker):
        assert api(user, "get").status_code == 404
        assert api(user, "get", f"/{sriwijaya.pk}").status_code == 404
        assert api(user, "post", body=BODY).status_code == 404
        assert api(user, "patch", f"/{sriwijaya.pk}", {"name": "X"}).status_code == 404
        verify = {"verified": True, "verified_by": "X"}
        assert api(user, "post", f"/{sriwijaya.pk}/verify", verify).status_code == 404


def test_a_central_officer_changes_and_verifies_a_supplier(personas, api, sriwijaya):
    path = f"/{sriwijaya.pk}"
    response = api(
        personas.pusat,
        "patch",
        path,
        {"materials": [{"material": "kain-katun", "monthly_capacity": 9000}], "name": None},
    )
    assert response.status_code == 200, response.content
    assert response.json()["materials"] == [{"material": "kain-katun", "monthly_capacity": 9000}]
    assert response.json()["name"] == "PT Sriwijaya Nonwoven"
    response = api(
        personas.pusat,
        "post",
        f"{path}/verify",
        {"verified": True, "verified_by": "Ditjen IKMA", "verified_on": "2020-04-08"},
    )
    assert response.status_code == 200, response.content
    assert (response.json()["status"], response.json()["verified_on"]) == (
        "verified",
        "2020-04-08",
    )
    response = api(personas.pusat, "post", f"{path}/verify", {"verified": False, "verified_by": ""})
    assert response.status_code == 422
    sriwijaya.refresh_from_db()
    assert sriwijaya.status == Supplier.Status.VERIFIED


def test_suppliers_are_filtered(personas, api, sriwijaya):
    def ids(**query):
        return [item["id"] for item in api(personas.prov_babel, "get", body=query).json()["items"]]

    assert ids(material="spunbond") == [sriwijaya.pk]
    assert ids(material="etanol") == []
    assert ids(status="verified") == []
    assert ids(province="16", name="sriwijaya") == [sriwijaya.pk]
