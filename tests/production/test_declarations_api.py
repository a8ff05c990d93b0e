"""Declarations and curation over the API (/api/v1/production), with Bearer tokens.

Who may do what: umkm-masker declares for and reads only its own business (Konveksi
Sehati); kab-bangka declares for Bangka's businesses; prov-babel assigns Bangka
Belitung's declarations to a curator; kurator (Karya Nusantara) reads and curates only
those assigned to it and adds photo evidence to its own latest curation, other_curator
none (404); prov-jateng gets 404 for every Bangka declaration; another seller gets 404
for Konveksi Sehati's; the buyer pembeli-kf sees none and may not declare (403); only
pusat publishes checklist versions.
"""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from pulih.accounts.services import token_issue
from pulih.production import api as api_module
from pulih.production import services
from pulih.production.models import (
    Curation,
    CurationResult,
    Declaration,
    DeclarationPhoto,
    ProductType,
)

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
    with translation.override("id"):
        expected = services.DECLARED_ALREADY % {
            "number": sehati.pk,
            "status": str(Status.DECLARED.label).lower(),
        }
    assert twice.json()["errors"] == [{"field": "product", "message": expected}]
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


def test_a_declaration_is_changed_by_status(personas, sehati, api):
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
    sehati.status = Status.IN_CURATION
    sehati.save()
    refused = api(personas.umkm_masker, "patch", path, {"monthly_capacity": 100_000_000})
    assert refused.status_code == 422
    with translation.override("id"):
        assert message(refused) == str(services.WITH_CURATOR)
    sehati.status = Status.CURATED
    sehati.save()
    figures = api(personas.umkm_masker, "patch", path, {"monthly_capacity": 9000})
    assert figures.json()["monthly_capacity"] == 9000
    quality = api(personas.umkm_masker, "patch", path, {"materials": [], "unit_price": 1})
    assert quality.status_code == 422
    with translation.override("id"):
        assert message(quality) == str(services.CURATED_KEEPS)
    sehati.refresh_from_db()
    assert (sehati.monthly_capacity, sehati.unit_price) == (9000, 3000)
    assert sehati.materials.count() == 1


def test_null_in_a_change_is_not_sent(personas, sehati, api):
    path = f"/declarations/{sehati.pk}"
    body = {"materials": [{"material": "kain-katun", "monthly_quantity": 300}], "equipment": "4"}
    api(personas.umkm_masker, "patch", path, body)
    changed = api(
        personas.umkm_masker,
        "patch",
        path,
        {"materials": None, "equipment": None, "monthly_capacity": None, "workers": 7},
    )
    assert changed.status_code == 200
    assert changed.json()["materials"][0]["monthly_quantity"] == 300
    assert (changed.json()["equipment"], changed.json()["workers"]) == ("4", 7)
    assert changed.json()["monthly_capacity"] == 6000
    cleared = api(personas.umkm_masker, "patch", path, {"materials": []})
    assert cleared.json()["materials"] == []


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


def test_a_curation_against_a_revised_checklist_is_422(personas, assigned, api):
    old = checklist_of("masker-kain")
    new = services.checklist_revise(
        user=personas.pusat,
        product_type=old.product_type,
        standard="",
        criteria=[("Sekurang-kurangnya tiga lapis kain", 3, "lapis", True)],
    )
    path = f"/declarations/{assigned.pk}/curations"
    stale = api(
        personas.kurator, "post", path, {"checklist_id": old.pk, "results": results_body(old)}
    )
    assert stale.status_code == 422
    with translation.override("id"):
        expected = str(services.CHECKLIST_REVISED % {"version": new.version})
    assert stale.json()["errors"] == [{"field": "checklist_id", "message": expected}]
    assert not Curation.objects.exists()
    current = api(
        personas.kurator, "post", path, {"checklist_id": new.pk, "results": results_body(new)}
    )
    assert current.status_code == 201
    assert current.json()["checklist_version"] == 2


def test_a_criterion_answered_twice_is_refused(personas, assigned, api):
    checklist = checklist_of("masker-kain")
    results = results_body(checklist)
    twice = next(r for r in results if "passed" in r)
    body = {"results": [*results, {**twice, "passed": False}]}
    response = api(personas.kurator, "post", f"/declarations/{assigned.pk}/curations", body)
    assert response.status_code == 422
    with translation.override("id"):
        expected = str(api_module.CRITERION_TWICE % {"id": twice["criterion_id"]})
    assert response.json()["errors"] == [{"field": "results", "message": expected}]
    assert not Curation.objects.exists()


# Reopening ------------------------------------------------------------------------------


def test_a_withdrawn_declaration_is_reopened_by_its_seller_only(
    personas, sehati, api, prov_jateng, other_seller
):
    path = f"/declarations/{sehati.pk}"
    api(personas.umkm_masker, "post", f"{path}/withdraw")
    for user in (other_seller, prov_jateng, personas.kurator):
        response = api(user, "post", f"{path}/reopen", {"note": "x"})
        assert response.status_code == NOT_FOUND, user
    assert api(personas.pembeli_kf, "post", f"{path}/reopen").status_code == NOT_FOUND
    reopened = api(personas.umkm_masker, "post", f"{path}/reopen", {"note": "Produksi lagi"})
    assert reopened.status_code == 200
    assert (reopened.json()["status"], reopened.json()["curator"]) == ("declared", None)
    again = api(personas.umkm_masker, "post", f"{path}/reopen")
    assert again.status_code == 422
    with translation.override("id"):
        assert message(again) == str(services.NOT_REOPENABLE)


# Photo evidence of a curation -----------------------------------------------------------


def evidence_path(declaration, curation_id):
    return f"/declarations/{declaration.pk}/curations/{curation_id}/evidence"


def test_the_curator_adds_evidence_to_its_latest_curation(personas, assigned, api, image):
    checklist = checklist_of("masker-kain")
    seams = checklist.criteria.get(text="Jahitan rapi, tidak berlubang")
    curations = f"/declarations/{assigned.pk}/curations"
    body = {"results": results_body(checklist, failed=[seams.text])}
    curation = api(personas.kurator, "post", curations, body).json()
    path = evidence_path(assigned, curation["id"])
    added = api(
        personas.kurator, "post", path, {"criterion_id": seams.pk}, {"file": image("jahitan.png")}
    )
    assert added.status_code == 201, added.json()
    url = added.json()["evidence_url"]
    assert added.json()["criterion_id"] == seams.pk
    served = api(personas.umkm_masker, "get", url.removeprefix(API))
    assert served.status_code == 200
    assert served["Content-Type"] == "image/png"
    listed = api(personas.umkm_masker, "get", curations).json()[0]["results"]
    assert [r["evidence_url"] for r in listed if r["criterion_id"] == seams.pk] == [url]
    unknown = api(personas.kurator, "post", path, {"criterion_id": 999_999}, {"file": image()})
    assert unknown.status_code == 422
    assert unknown.json()["errors"][0]["field"] == "criterion_id"
    fake = SimpleUploadedFile("foto.png", b"not an image", content_type="image/png")
    refused = api(personas.kurator, "post", path, {"criterion_id": seams.pk}, {"file": fake})
    assert refused.status_code == 422
    # Improved, resubmitted and curated again: the first curation is no longer the latest.
    api(personas.umkm_masker, "post", f"/declarations/{assigned.pk}/resubmit", {"note": "ok"})
    api(personas.kurator, "post", curations, {"results": results_body(checklist)})
    late = api(personas.kurator, "post", path, {"criterion_id": seams.pk}, {"file": image()})
    assert late.status_code == 422
    with translation.override("id"):
        assert message(late) == str(services.EVIDENCE_LATEST_ONLY)


def test_only_the_recording_curator_adds_evidence(
    personas, assigned, api, image, other_curator, prov_jateng
):
    checklist = checklist_of("masker-kain")
    curations = f"/declarations/{assigned.pk}/curations"
    curation = api(personas.kurator, "post", curations, {"results": results_body(checklist)}).json()
    path = evidence_path(assigned, curation["id"])
    criterion = {"criterion_id": checklist.criteria.first().pk}
    for user in (other_curator, prov_jateng):
        response = api(user, "post", path, criterion, {"file": image()})
        assert response.status_code == NOT_FOUND, user
    for user in (personas.umkm_masker, personas.prov_babel):
        response = api(user, "post", path, criterion, {"file": image()})
        assert response.status_code == 403, user
    missing = evidence_path(assigned, 999_999)
    assert api(personas.kurator, "post", missing, criterion, {"file": image()}).status_code == 404
    assert not CurationResult.objects.exclude(evidence="").exists()
