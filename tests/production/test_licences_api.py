"""Licences over the API (Bearer tokens): list and filters, licences running out,
recording one, reading and moving it forward.

Who may do what: kab-bangka records and decides Bangka's licences; the seller
umkm-masker records its own applications (a decision is 403) and sees only its own;
prov-jateng gets 404 for a Bangka licence; the curator and the buyer get 404 everywhere.
"""

import datetime

import pytest
from django.utils import timezone, translation

from pulih.accounts.services import token_issue
from pulih.production import licences
from pulih.production.models import Licence

pytestmark = pytest.mark.django_db

API = "/api/v1/production/licences"
NOT_FOUND = {"message": "Tidak ditemukan."}
Status = Licence.Status


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


def record(user, declaration, **fields):
    return licences.licence_record(
        user=user, business=declaration.business, kind="sni", issuer="BSN", **fields
    )


def test_the_seller_records_an_application_and_lists_only_its_own(
    personas, api, sehati, make_producer
):
    other = record(personas.kab_bangka, make_producer("19.01.01"))
    response = api(
        personas.umkm_masker,
        "post",
        body={
            "business_id": sehati.business.pk,
            "kind": "sni",
            "issuer": "BSN",
            "product_type": "masker-kain",
            "applied_on": "2020-04-10",
        },
    )
    assert response.status_code == 201, response.content
    created = response.json()
    assert (created["status"], created["product_type"], created["business_name"]) == (
        "applied",
        "masker-kain",
        "Konveksi Sehati",
    )
    listed = api(personas.umkm_masker, "get").json()
    assert [item["id"] for item in listed["items"]] == [created["id"]]
    assert api(personas.umkm_masker, "get", f"/{other.pk}").status_code == 404


def test_a_seller_recording_a_decision_is_403(personas, api, sehati):
    body = {
        "business_id": sehati.business.pk,
        "kind": "sni",
        "issuer": "BSN",
        "status": "granted",
        "number": "SNI 1",
        "granted_on": "2020-05-01",
    }
    response = api(personas.umkm_masker, "post", body=body)
    assert response.status_code == 403
    with translation.override("id"):
        assert response.json() == {"message": str(licences.DECISION_BY_OFFICERS)}
    assert not Licence.objects.exists()


def test_a_business_outside_the_callers_area_is_a_field_error(personas, prov_jateng, api, sehati):
    response = api(
        prov_jateng, "post", body={"business_id": sehati.business.pk, "kind": "sni", "issuer": "B"}
    )
    assert response.status_code == 422
    assert response.json()["errors"] == [{"field": "business_id", "message": "Tidak ditemukan."}]
    assert not Licence.objects.exists()


def test_bad_licences_are_422_in_the_callers_language(personas, api, sehati):
    body = {
        "business_id": sehati.business.pk,
        "kind": "sni",
        "issuer": "BSN",
        "status": "granted",
        "number": "SNI 1",
        "granted_on": "2020-05-01",
        "expires_on": "2020-04-01",
    }
    for language in ("id", "en"):
        response = api(personas.kab_bangka, "post", body=body, HTTP_ACCEPT_LANGUAGE=language)
        assert response.status_code == 422
        with translation.override(language):
            assert response.json()["message"] == str(licences.EXPIRY_BEFORE_GRANT)
    response = api(personas.kab_bangka, "post", body={**body, "product_type": "masker-emas"})
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "product_type"
    assert not Licence.objects.exists()


def test_the_officer_moves_a_licence_to_its_decision(personas, api, sehati):
    licence = record(personas.umkm_masker, sehati, applied_on=datetime.date(2020, 4, 1))
    path = f"/{licence.pk}"
    response = api(personas.kab_bangka, "patch", path, {"status": "in_process"})
    assert response.json()["status"] == "in_process"
    response = api(
        personas.kab_bangka,
        "patch",
        path,
        {
            "status": "granted",
            "number": "SNI 8914:2020/0042",
            "granted_on": "2020-05-04",
            "expires_on": "2024-05-04",
        },
    )
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "granted"
    response = api(personas.kab_bangka, "patch", path, {"status": "applied"})
    assert response.status_code == 422
    with translation.override("id"):
        assert response.json()["message"] == str(licences.STATUS_BACKWARDS)
    assert api(personas.umkm_masker, "patch", path, {"note": "x"}).status_code == 403
    licence.refresh_from_db()
    assert (licence.status, licence.note) == (Status.GRANTED, "")


def test_licences_are_filtered(personas, api, make_producer):
    sanitizer = make_producer("19.01.01", "hand-sanitizer")
    pkrt = licences.licence_record(
        user=personas.pusat,
        business=sanitizer.business,
        kind="izin_edar_pkrt",
        issuer="Kemenkes",
        product_type=sanitizer.product_type,
    )
    semarang = record(personas.pusat, make_producer("33.01.01"), status=Status.IN_PROCESS)

    def ids(**query):
        response = api(personas.pusat, "get", body=query)
        assert response.status_code == 200, response.content
        return [item["id"] for item in response.json()["items"]]

    assert ids(kind="izin_edar_pkrt") == [pkrt.pk]
    assert ids(product="hand-sanitizer") == [pkrt.pk]
    assert ids(status="in_process", province="33") == [semarang.pk]
    assert api(personas.pusat, "get", body={"kind": "izin_tambang"}).status_code == 422


def test_licences_expiring_soon_and_expired(personas, api, make_producer):
    today = timezone.localdate()

    def granted(expires_on):
        return record(
            personas.kab_bangka,
            make_producer("19.01.01"),
            status=Status.GRANTED,
            number="SNI 1",
            granted_on=today - datetime.timedelta(days=400),
            expires_on=expires_on,
        )

    soon = granted(today + datetime.timedelta(days=20))
    gone = granted(today - datetime.timedelta(days=2))
    granted(today + datetime.timedelta(days=100))
    body = api(personas.kab_bangka, "get", "/expiring").json()
    assert body["within_days"] == 60
    assert [(item["id"], item["days_left"]) for item in body["soon"]] == [(soon.pk, 20)]
    assert [(item["id"], item["days_left"]) for item in body["expired"]] == [(gone.pk, -2)]
    body = api(personas.kab_bangka, "get", "/expiring", {"within_days": 120}).json()
    assert len(body["soon"]) == 2
    assert api(personas.kab_bangka, "get", "/expiring", {"within_days": 0}).status_code == 422


def test_another_province_gets_404_for_a_bangka_licence(personas, prov_jateng, api, sehati):
    licence = record(personas.kab_bangka, sehati)
    assert api(prov_jateng, "get", f"/{licence.pk}").json() == NOT_FOUND
    response = api(prov_jateng, "patch", f"/{licence.pk}", {"status": "in_process"})
    assert response.status_code == 404
    assert api(prov_jateng, "get").json()["items"] == []
    licence.refresh_from_db()
    assert licence.status == Status.APPLIED


def test_curators_and_buyers_get_404_everywhere(personas, api, sehati):
    licence = record(personas.kab_bangka, sehati)
    for user in (personas.kurator, personas.pembeli_kf):
        assert api(user, "get").status_code == 404
        assert api(user, "get", "/expiring").status_code == 404
        assert api(user, "get", f"/{licence.pk}").status_code == 404
        assert api(user, "patch", f"/{licence.pk}", {"note": "x"}).status_code == 404
        body = {"business_id": sehati.business.pk, "kind": "sni", "issuer": "BSN"}
        assert api(user, "post", body=body).status_code == 404
