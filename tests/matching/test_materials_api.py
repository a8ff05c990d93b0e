"""Raw-material matching over the API (Bearer tokens).

Who may do what: kab-bangka proposes and moves forward Bangka's matches; the seller
umkm-masker lists its own (a write is 403); prov-jateng gets 404 for a Bangka match or
declaration; the curator and the buyer get 404 on every endpoint.
"""

import pytest
from django.utils import translation

from pulih.accounts.services import token_issue
from pulih.matching import materials
from pulih.matching.models import MaterialMatch
from pulih.production import suppliers
from pulih.production.models import Declaration, DeclarationMaterial, Material

pytestmark = pytest.mark.django_db

API = "/api/v1/matching/material-matches"
NOT_FOUND = {"message": "Tidak ditemukan."}


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


def verified(pusat, name, region_code, capacity):
    supplier = suppliers.supplier_create(
        user=pusat,
        name=name,
        region_code=region_code,
        materials=[(Material.objects.get(code="kain-katun"), capacity)],
    )
    return suppliers.supplier_verify(
        user=pusat, supplier=supplier, verified=True, verified_by="Kemenperin"
    )


def with_need(declaration, quantity=2_000):
    DeclarationMaterial.objects.create(
        declaration=declaration,
        material=Material.objects.get(code="kain-katun"),
        monthly_quantity=quantity,
    )
    return declaration


@pytest.fixture
def cotton(personas):
    return [
        verified(personas.pusat, "PT Katun Ibukota", "31.71", 50_000),
        verified(personas.pusat, "PT Tekstil Sriwijaya", "16.71", 10_000),
        verified(personas.pusat, "UD Kain Timah", "19.71", 500),
    ]


@pytest.fixture
def bangka(make_producer):
    return with_need(make_producer("19.01.01", name="Konveksi Bangka"))


def test_the_officer_proposes_and_reads_the_ranking(personas, api, cotton, bangka):
    response = api(personas.kab_bangka, "post", "/propose", {"declaration_id": bangka.pk})
    assert response.status_code == 200, response.content
    ranking = [
        (m["supplier_name"], m["rank"], m["covers_need"], m["need"], m["capacity"])
        for m in response.json()
    ]
    assert ranking == [
        ("PT Tekstil Sriwijaya", 1, True, 2000, 10000),
        ("PT Katun Ibukota", 2, True, 2000, 50000),
        ("UD Kain Timah", 3, False, 2000, 500),
    ]
    listed = api(personas.kab_bangka, "get", body={"material": "kain-katun"}).json()
    assert listed["count"] == 3
    assert api(personas.kab_bangka, "get", body={"material": "etanol"}).json()["count"] == 0


def test_proposing_for_all_and_with_fewer_suppliers(personas, api, cotton, bangka):
    response = api(personas.kab_bangka, "post", "/propose-all", {"per_material": 1})
    assert response.json() == {"declarations": 1, "proposed": 1}
    response = api(personas.kab_bangka, "post", "/propose", {"declaration_id": bangka.pk})
    assert len(response.json()) == 3
    body = {"declaration_id": bangka.pk, "per_material": 0}
    assert api(personas.kab_bangka, "post", "/propose", body).status_code == 422


def test_a_match_moves_forward_with_a_note(personas, api, cotton, bangka):
    [match, *_] = materials.material_matches_propose(user=personas.kab_bangka, declaration=bangka)
    path = f"/{match.pk}"
    response = api(personas.kab_bangka, "patch", path, {"status": "introduced", "note": "9 April"})
    assert (response.json()["status"], response.json()["note"]) == ("introduced", "9 April")
    response = api(personas.kab_bangka, "patch", path, {"status": "proposed"})
    assert response.status_code == 422
    with translation.override("id"):
        assert response.json()["message"] == str(materials.STATUS_BACKWARDS)
    assert api(personas.kab_bangka, "patch", path, {"status": "menikah"}).status_code == 422
    match.refresh_from_db()
    assert match.status == MaterialMatch.Status.INTRODUCED


def test_an_uncurated_declaration_is_422(personas, api, cotton, bangka):
    Declaration.objects.filter(pk=bangka.pk).update(status=Declaration.Status.DECLARED)
    response = api(
        personas.kab_bangka,
        "post",
        "/propose",
        {"declaration_id": bangka.pk},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 422
    with translation.override("en"):
        assert response.json()["message"] == str(materials.NOT_CURATED)
    assert not MaterialMatch.objects.exists()


def test_another_province_gets_404_for_bangka(personas, prov_jateng, api, cotton, bangka):
    [match, *_] = materials.material_matches_propose(user=personas.kab_bangka, declaration=bangka)
    assert api(prov_jateng, "get", f"/{match.pk}").json() == NOT_FOUND
    assert api(prov_jateng, "patch", f"/{match.pk}", {"status": "agreed"}).status_code == 404
    assert api(prov_jateng, "post", "/propose", {"declaration_id": bangka.pk}).status_code == 404
    assert api(prov_jateng, "get").json()["count"] == 0
    assert api(prov_jateng, "post", "/propose-all").json() == {"declarations": 0, "proposed": 0}
    match.refresh_from_db()
    assert match.status == MaterialMatch.Status.PROPOSED


def test_the_seller_lists_its_own_matches_and_writes_nothing(personas, api, cotton, bangka, sehati):
    Declaration.objects.filter(pk=sehati.pk).update(status=Declaration.Status.CURATED)
    materials.material_matches_propose(user=personas.kab_bangka, declaration=bangka)
    own = materials.material_matches_propose(
        user=personas.kab_bangka, declaration=with_need(sehati)
    )
    seller = personas.umkm_masker
    listed = api(seller, "get").json()["items"]
    assert {m["id"] for m in listed} == {m.pk for m in own}
    assert api(seller, "patch", f"/{own[0].pk}", {"status": "agreed"}).status_code == 403
    assert api(seller, "post", "/propose", {"declaration_id": sehati.pk}).status_code == 403
    assert api(seller, "post", "/propose", {"declaration_id": bangka.pk}).status_code == 404


def test_curators_and_buyers_get_404_everywhere(personas, api, cotton, bangka):
    [match, *_] = materials.material_matches_propose(user=personas.kab_bangka, declaration=bangka)
    for user in (personas.kurator, personas.pembeli_kf):
        assert api(user, "get").status_code == 404
        assert api(user, "get", f"/{match.pk}").status_code == 404
        assert api(user, "patch", f"/{match.pk}", {"status": "agreed"}).status_code == 404
        assert api(user, "post", "/propose", {"declaration_id": bangka.pk}).status_code == 404
        assert api(user, "post", "/propose-all").status_code == 404
