"""Declarations and curation over the API (/api/v1/production), with Bearer tokens.

Who may do what: umkm-masker declares for and reads only its own business (Konveksi
Sehati); kab-bangka declares for Bangka's businesses; prov-babel assigns Bangka
Belitung's declarations to a curator; kurator (Karya Nusantara) reads and curates only
those assigned to it, other_curator none; prov-jateng gets 404 for every Bangka
declaration; the buyer pembeli-kf sees none and may not declare (403); only pusat
publishes checklist versions.
"""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from pulih.accounts.services import token_issue
from pulih.production import services
from pulih.production.models import Curation, Declaration, DeclarationPhoto, ProductType

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media")]

API = "/api/v1/production"
NOT_FOUND = 404
Status = Declaration.Status
ALCOHOL = "Kadar alkohol (etanol) menurut uji atau sertifikat bahan"


@pytest.fixture
def api(client):
    def call(user, method, path, body=None, files=None, **extra):
        headers = {"HTTP_AUTHORIZATION": f"Bearer {token_issue(user=user)}", **extra}
        if method == "get":
            return client.get(f"{API}{path}", body or {}, **headers)
        if files is not None:
            return client.post(f"{API}{path}", {**(body or {}), **files}, **headers)
        return getattr(client, method)(
            f"{API}{path}", body or {}, content_type="application/json", **headers
        )

    return call


def checklist_of(code):
    return services.checklist_current(ProductType.objects.get(code=code))


def declaration_body(business, product="hand-sanitizer", **fields):
    return {
        "business_id": business.pk,
        "product": product,
        "monthly_capacity": 2000,
        "lead_time_days": 3,
        "unit_price": 15000,
        "workers": 4,
        "equipment": "Mixer",
        "materials": [{"material": "etanol", "monthly_quantity": 150}],
        **fields,
    }


def message(response):
    return response.json()["message"]


# Catalogue ------------------------------------------------------------------------------


def test_the_catalogue_is_read_by_every_signed_in_role(personas, api):
    for user in (personas.umkm_masker, personas.kurator, personas.pembeli_kf):
        types = api(user, "get", "/product-types").json()
        assert "hand-sanitizer" in {t["code"] for t in types}
        materials = api(user, "get", "/materials").json()
        assert "meltblown" in {m["code"] for m in materials}
    listed = api(personas.kurator, "get", "/checklists", {"product": "hand-sanitizer"}).json()
    assert listed["count"] == 1
    checklist = api(personas.kurator, "get", f"/checklists/{listed['items'][0]['id']}").json()
    alcohol = checklist["criteria"][0]
    assert (alcohol["text"], alcohol["minimum"], alcohol["value_unit"]) == (ALCOHOL, "60.00", "%")


def test_only_central_officers_publish_a_checklist_version(personas, api):
    body = {
        "product": "hand-sanitizer",
        "standard": "Pedoman 2020",
        "criteria": [{"text": ALCOHOL, "minimum": 70, "value_unit": "%"}],
    }
    assert api(personas.prov_babel, "post", "/checklists", body).status_code == 403
    created = api(personas.pusat, "post", "/checklists", body)
    assert created.status_code == 201
    assert (created.json()["version"], created.json()["active"]) == (2, True)
    empty = api(personas.pusat, "post", "/checklists", {**body, "criteria": []})
    assert empty.status_code == 422
    assert message(empty) == str(services.CHECKLIST_EMPTY)
    unknown = api(personas.pusat, "post", "/checklists", {**body, "product": "ventilator"})
    assert unknown.status_code == 422
    assert checklist_of("hand-sanitizer").version == 2


# Declaring ------------------------------------------------------------------------------


def test_seller_declares_for_its_business_and_reads_it_back(personas, sehati, api):
    response = api(personas.umkm_masker, "post", "/declarations", declaration_body(sehati.business))
    assert response.status_code == 201
    body = response.json()
    assert (body["product"], body["status"], body["monthly_capacity"]) == (
        "hand-sanitizer",
        "declared",
        2000,
    )
    assert body["materials"] == [
        {"material": "etanol", "name": "Etanol 96%", "unit": "liter", "monthly_quantity": 150}
    ]
    assert body["regency_code"] == "19.01"
    listed = api(personas.umkm_masker, "get", "/declarations").json()
    assert {d["id"] for d in listed["items"]} == {sehati.pk, body["id"]}
    assert api(personas.umkm_masker, "get", f"/declarations/{body['id']}").status_code == 200


def test_an_officer_declares_for_a_business_of_the_area(personas, sehati, api, prov_jateng):
    body = declaration_body(sehati.business, "masker-non-medis")
    assert api(prov_jateng, "post", "/declarations", body).status_code == NOT_FOUND
    response = api(personas.kab_bangka, "post", "/declarations", body)
    assert response.status_code == 201
    assert Declaration.objects.get(pk=response.json()["id"]).declared_by == personas.kab_bangka


def test_seller_cannot_see_or_declare_for_another_business(personas, sehati, make_producer, api):
    other = make_producer("19.01.02", "masker-kain", status=Status.DECLARED)
    seller = personas.umkm_masker
    assert api(seller, "get", f"/declarations/{other.pk}").status_code == NOT_FOUND
    patch = api(seller, "patch", f"/declarations/{other.pk}", {"monthly_capacity": 1})
    assert patch.status_code == NOT_FOUND
    created = api(seller, "post", "/declarations", declaration_body(other.business))
    assert created.status_code == NOT_FOUND
    assert Declaration.objects.count() == 2


def test_a_buyer_sees_no_declaration_and_may_not_declare(personas, sehati, api):
    buyer = personas.pembeli_kf
    assert api(buyer, "get", "/declarations").json()["count"] == 0
    assert api(buyer, "get", f"/declarations/{sehati.pk}").status_code == NOT_FOUND
    response = api(buyer, "post", "/declarations", declaration_body(sehati.business))
    assert response.status_code == 403
    assert api(buyer, "get", f"/declarations/{sehati.pk}/curations").status_code == NOT_FOUND


def test_another_provinces_officer_gets_404_for_bangka(personas, sehati, api, prov_jateng):
    assert api(prov_jateng, "get", "/declarations").json()["count"] == 0
    for method, path, body in [
        ("get", f"/declarations/{sehati.pk}", None),
        ("patch", f"/declarations/{sehati.pk}", {"monthly_capacity": 5}),
        ("post", f"/declarations/{sehati.pk}/withdraw", None),
        ("get", f"/declarations/{sehati.pk}/curations", None),
    ]:
        assert api(prov_jateng, method, path, body).status_code == NOT_FOUND, path
    sehati.refresh_from_db()
    assert (sehati.monthly_capacity, sehati.status) == (6000, Status.DECLARED)


@pytest.mark.parametrize("capacity", [0, -3])
def test_a_capacity_below_one_is_refused_in_the_callers_language(personas, sehati, api, capacity):
    body = declaration_body(sehati.business, monthly_capacity=capacity)
    response = api(personas.umkm_masker, "post", "/declarations", body)
    assert response.status_code == 422
    with translation.override("id"):
        assert message(response) == str(services.CAPACITY_NOT_POSITIVE)
    english = api(personas.umkm_masker, "post", "/declarations", body, HTTP_ACCEPT_LANGUAGE="en")
    assert message(english) == "The capacity per month must be at least 1."
    assert english.json()["errors"][0]["field"] == "monthly_capacity"
    assert Declaration.objects.count() == 1


def test_unknown_product_or_material_and_duplicates_are_refused(personas, sehati, api):
    seller = personas.umkm_masker
    unknown = api(seller, "post", "/declarations", declaration_body(sehati.business, "ventilator"))
    assert unknown.status_code == 422
    assert unknown.json()["errors"] == [
        {"field": "product", "message": str(services.PRODUCT_UNKNOWN)}
    ]
    body = declaration_body(
        sehati.business, materials=[{"material": "plutonium", "monthly_quantity": 1}]
    )
    material = api(seller, "post", "/declarations", body)
    assert material.status_code == 422
    assert "plutonium" in message(material)
    twice = api(seller, "post", "/declarations", declaration_body(sehati.business, "masker-kain"))
    assert twice.status_code == 422
    assert twice.json()["errors"] == [
        {"field": "product", "message": str(services.DECLARED_ALREADY)}
    ]
    assert Declaration.objects.count() == 1


def test_photos_are_uploaded_checked_and_served_within_scope(
    personas, sehati, api, image, prov_jateng
):
    path = f"/declarations/{sehati.pk}/photos"
    added = api(personas.umkm_masker, "post", path, {"caption": "Bengkel"}, {"file": image()})
    assert added.status_code == 201
    url = added.json()["url"]
    assert url.startswith(f"{API}/declarations/{sehati.pk}/photos/")
    served = api(personas.umkm_masker, "get", url.removeprefix(API))
    assert served.status_code == 200
    assert served["Content-Type"] == "image/png"
    assert api(prov_jateng, "get", url.removeprefix(API)).status_code == NOT_FOUND
    fake = SimpleUploadedFile("foto.png", b"GIF89a? not really", content_type="image/png")
    refused = api(personas.umkm_masker, "post", path, {}, {"file": fake})
    assert refused.status_code == 422, refused.json()
    assert message(refused) == str(services.PHOTO_NOT_IMAGE), refused.json()
    assert DeclarationPhoto.objects.count() == 1


def test_a_declaration_is_changed_until_curated(personas, sehati, api):
    path = f"/declarations/{sehati.pk}"
    changed = api(
        personas.umkm_masker,
        "patch",
        path,
        {
            "monthly_capacity": 7000,
            "materials": [{"material": "kain-katun", "monthly_quantity": 300}],
        },
    )
    assert changed.status_code == 200
    assert changed.json()["monthly_capacity"] == 7000
    assert changed.json()["lead_time_days"] == 0  # not sent, not changed
    assert [m["material"] for m in changed.json()["materials"]] == ["kain-katun"]
    sehati.status = Status.CURATED
    sehati.save()
    refused = api(personas.umkm_masker, "patch", path, {"monthly_capacity": 1})
    assert refused.status_code == 422
    assert message(refused) == str(services.NOT_EDITABLE)


# Curation -------------------------------------------------------------------------------


def results_body(checklist, failed=(), values=None):
    results = []
    for criterion in checklist.criteria.all():
        if criterion.minimum is not None:
            value = (values or {}).get(criterion.text, str(criterion.minimum))
            results.append({"criterion_id": criterion.pk, "value": value})
        else:
            results.append({"criterion_id": criterion.pk, "passed": criterion.text not in failed})
    return results


def test_the_province_assigns_and_the_curator_curates(personas, sehati, api, other_curator):
    assign = {"ids": [sehati.pk], "curator_id": personas.kurator.organisation_id}
    assert api(personas.kab_bangka, "post", "/declarations/assign", assign).status_code == 403
    assert api(personas.prov_babel, "post", "/declarations/assign", assign).json() == {
        "assigned": 1
    }
    assert api(personas.kurator, "get", "/declarations").json()["count"] == 1
    assert api(other_curator, "get", "/declarations").json()["count"] == 0
    checklist = checklist_of("masker-kain")
    body = {"results": results_body(checklist)}
    path = f"/declarations/{sehati.pk}/curations"
    assert api(other_curator, "post", path, body).status_code == NOT_FOUND
    assert api(other_curator, "get", f"/declarations/{sehati.pk}").status_code == NOT_FOUND
    assert api(personas.pusat, "post", path, body).status_code == 403
    recorded = api(personas.kurator, "post", path, body)
    assert recorded.status_code == 201
    assert recorded.json()["outcome"] == "curated"
    assert recorded.json()["checklist_version"] == 1
    assert len(recorded.json()["results"]) == checklist.criteria.count()
    assert api(personas.umkm_masker, "get", path).json()[0]["id"] == recorded.json()["id"]
    sehati.refresh_from_db()
    assert sehati.status == Status.CURATED


def test_hand_sanitizer_at_55_percent_needs_improvement_then_passes_at_70(
    personas, make_producer, api
):
    declaration = make_producer("19.01.02", "hand-sanitizer", status=Status.DECLARED)
    services.declarations_assign(
        user=personas.pusat, declarations=[declaration], curator=personas.kurator.organisation
    )
    checklist = checklist_of("hand-sanitizer")
    path = f"/declarations/{declaration.pk}/curations"
    weak = api(
        personas.kurator, "post", path, {"results": results_body(checklist, values={ALCOHOL: 55})}
    )
    assert weak.json()["outcome"] == "needs_improvement"
    assert ALCOHOL in weak.json()["reasons"]
    resubmitted = api(
        personas.kab_bangka,
        "post",
        f"/declarations/{declaration.pk}/resubmit",
        {"note": "Etanol 96% dari pemasok baru"},
    )
    assert resubmitted.json()["status"] == "in_curation"
    strong = api(
        personas.kurator, "post", path, {"results": results_body(checklist, values={ALCOHOL: "70"})}
    )
    assert strong.json()["outcome"] == "curated"
    history = api(personas.kab_bangka, "get", path).json()
    assert [c["outcome"] for c in history] == ["curated", "needs_improvement"]
    measured = [r["value"] for c in history for r in c["results"] if r["criterion"] == ALCOHOL]
    assert measured == ["70.00", "55.00"]


def test_a_missing_value_or_reason_is_refused_and_nothing_is_written(personas, assigned, api):
    checklist = checklist_of("masker-kain")
    path = f"/declarations/{assigned.pk}/curations"
    layers = checklist.criteria.get(minimum__isnull=False)
    results = [r for r in results_body(checklist) if r["criterion_id"] != layers.pk]
    missing = api(
        personas.kurator,
        "post",
        path,
        {"results": [*results, {"criterion_id": layers.pk, "passed": True}]},
    )
    assert missing.status_code == 422
    assert message(missing) == str(services.VALUE_MISSING % {"criterion": layers.text})
    rejected = api(
        personas.kurator,
        "post",
        path,
        {"results": results_body(checklist), "outcome": "rejected"},
    )
    assert rejected.status_code == 422
    assert message(rejected) == str(services.REASONS_MISSING)
    assert not Curation.objects.exists()
    assigned.refresh_from_db()
    assert assigned.status == Status.IN_CURATION


def test_assigning_out_of_scope_declarations_is_404(personas, sehati, api, prov_jateng):
    assign = {"ids": [sehati.pk], "curator_id": personas.kurator.organisation_id}
    assert api(prov_jateng, "post", "/declarations/assign", assign).status_code == NOT_FOUND
    sehati.refresh_from_db()
    assert sehati.curator is None
