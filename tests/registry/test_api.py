"""The registry API: scoped like the pages (outside the caller's area is 404, whatever the
method), writes through the services, refusals as 403/422 with a message."""

import pytest

from pulih.accounts.models import User
from pulih.accounts.services import token_issue
from pulih.core.models import AccessLog
from pulih.registry.models import BatchEvent, CollectionBatch, Person
from pulih.registry.services import BATCH_LOCKED, NOT_YOUR_AREA, batch_transition

from .test_lists import registry_records

pytestmark = pytest.mark.django_db

API = "/api/v1/registry"
OUTSIDERS = ("kurator", "pembeli_kf", "asn_demo")
Status = CollectionBatch.Status


@pytest.fixture
def records(personas, villages):
    return registry_records(personas, villages)


@pytest.fixture
def api(client):
    """Call the API as a user, with their Bearer token."""

    def call(user, method, path, body=None, **query):
        headers = {"HTTP_AUTHORIZATION": f"Bearer {token_issue(user=user)}"}
        if method == "get":
            return client.get(f"{API}{path}", query, **headers)
        return getattr(client, method)(
            f"{API}{path}", body or {}, content_type="application/json", **headers
        )

    return call


def names(response):
    assert response.status_code == 200, response.content
    return {item["name"] for item in response.json()["items"]}


def approve(batch, personas):
    batch_transition(batch=batch, user=personas.kab_bangka, action="submit")
    batch_transition(batch=batch, user=personas.prov_babel, action="verify")
    batch_transition(batch=batch, user=personas.prov_babel, action="approve")


def test_lists_hold_only_the_callers_area(personas, records, api):
    assert names(api(personas.kab_bangka, "get", "/people")) == {"Siti Aminah", "Budi Santoso"}
    assert names(api(personas.kab_belitung, "get", "/businesses")) == {"Kopi Belitong"}
    assert names(api(personas.prov_babel, "get", "/cooperatives")) == {
        "Koperasi Nelayan Sungailiat",
        "Koperasi Tani Belitong",
    }
    assert names(api(personas.pendamping_bangka, "get", "/businesses")) == {"Kerupuk Ikan Bu Siti"}
    reports = api(personas.kab_belitung, "get", "/impact-reports").json()["items"]
    assert [r["business_name"] for r in reports] == ["Kopi Belitong"]
    batches = api(personas.kab_belitung, "get", "/batches").json()
    assert [b["regency_code"] for b in batches["items"]] == ["19.02"]


@pytest.mark.parametrize("outsider", OUTSIDERS)
@pytest.mark.parametrize("path", ["/people", "/businesses", "/cooperatives", "/impact-reports"])
def test_curators_buyers_and_civil_servants_get_empty_lists(personas, records, api, outsider, path):
    response = api(getattr(personas, outsider), "get", path)
    assert response.json() == {"items": [], "count": 0}


@pytest.mark.parametrize(
    ("path", "record"),
    [
        ("/people/{}", "siti"),
        ("/businesses/{}", "kerupuk"),
        ("/cooperatives/{}", "nelayan"),
        ("/batches/{}", "bangka_batch"),
    ],
)
def test_another_regency_and_outsiders_get_404_for_a_record(personas, records, api, path, record):
    url = path.format(getattr(records, record).pk)
    for user in (personas.kab_belitung, personas.kurator, personas.asn_demo):
        response = api(user, "get", url)
        assert response.status_code == 404
        assert response.json() == {"message": "Tidak ditemukan."}
    assert api(personas.kab_bangka, "get", url).status_code == 200


def test_another_regencys_impact_report_is_404(personas, records, api):
    report = records.kerupuk.impacts.first()
    assert api(personas.kab_belitung, "get", f"/impact-reports/{report.pk}").status_code == 404
    response = api(personas.kab_belitung, "patch", f"/impact-reports/{report.pk}", {"laid_off": 9})
    assert response.status_code == 404


@pytest.mark.parametrize(
    ("path", "record", "body"),
    [
        ("/people/{}", "siti", {"name": "Diubah"}),
        ("/businesses/{}", "kerupuk", {"name": "Diubah"}),
        ("/cooperatives/{}", "nelayan", {"name": "Diubah"}),
    ],
)
def test_another_regency_cannot_change_a_record(personas, records, api, path, record, body):
    obj = getattr(records, record)
    response = api(personas.kab_belitung, "patch", path.format(obj.pk), body)
    assert response.status_code == 404
    obj.refresh_from_db()
    assert obj.name != "Diubah"


def test_detail_reads_of_people_and_businesses_are_logged(personas, records, api):
    api(personas.kab_bangka, "get", f"/people/{records.siti.pk}")
    api(personas.kab_bangka, "get", f"/businesses/{records.kerupuk.pk}")
    logs = AccessLog.objects.filter(user=personas.kab_bangka, channel="api")
    assert [(log.object_type, log.object_id) for log in logs] == [
        ("registry.person", str(records.siti.pk))
    ] * 2


def test_officers_see_full_nik_and_phone(personas, records, api):
    person = api(personas.kab_bangka, "get", f"/people/{records.siti.pk}").json()
    assert (person["nik"], person["phone"]) == ("1901014107800003", "+6281234567890")
    assert person["nik_valid"] is True
    assert person["batch"] == {
        "id": records.bangka_batch.pk,
        "stage": 1,
        "status": "draft",
        "locked": False,
    }


def test_nik_and_phone_are_masked_for_roles_without_personal_data(
    personas, records, api, monkeypatch
):
    monkeypatch.setattr(User, "sees_personal_data", property(lambda user: False))
    person = api(personas.kab_bangka, "get", f"/people/{records.siti.pk}").json()
    assert (person["nik"], person["phone"]) == ("1901********0003", "+62812*****890")
    business = api(personas.kab_bangka, "get", f"/businesses/{records.kerupuk.pk}").json()
    assert (business["owner_nik"], business["whatsapp"]) == ("1901********0003", "+62812*****890")
    listed = api(personas.kab_bangka, "get", "/people").json()["items"]
    assert "1901014107800003" not in {p["nik"] for p in listed}


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"q": "kopi"}, {"Kopi Belitong"}),
        ({"q": "1901014107800003"}, {"Kerupuk Ikan Bu Siti"}),
        ({"impact_status": "closed"}, {'=HYPERLINK("http://evil.example","klik")'}),
        ({"kbli_section": "I"}, {"Kopi Belitong"}),
        ({"regency": "19.01", "scale": "micro"}, {"Kerupuk Ikan Bu Siti"}),
        ({"stage": 1, "batch_status": "submitted"}, set()),
    ],
)
def test_business_list_filters_and_search(personas, records, api, query, expected):
    assert names(api(personas.prov_babel, "get", "/businesses", **query)) == expected


def test_lists_page_with_limit_and_offset(personas, records, api):
    first = api(personas.prov_babel, "get", "/people", limit=2).json()
    second = api(personas.prov_babel, "get", "/people", limit=2, offset=2).json()
    assert first["count"] == second["count"] == 3
    assert len(first["items"]) == 2 and len(second["items"]) == 1


def test_a_field_assistant_creates_a_person_and_business_in_their_district(personas, villages, api):
    assistant = personas.pendamping_bangka
    person = api(
        assistant,
        "post",
        "/people",
        {"village_code": villages["19.01.01"], "name": "Wahyu", "nik": "1901010101900001"},
    )
    assert person.status_code == 201, person.content
    assert person.json()["district_code"] == "19.01.01"
    business = api(
        assistant,
        "post",
        "/businesses",
        {"owner_id": person.json()["id"], "name": "Bengkel Wahyu", "capital": 10_000_000},
    )
    assert business.status_code == 201, business.content
    assert (business.json()["owner_name"], business.json()["scale"]) == ("Wahyu", "micro")
    report = api(
        assistant,
        "post",
        "/impact-reports",
        {
            "business_id": business.json()["id"],
            "report_date": "2020-04-20",
            "status": "temporarily_closed",
            "problems": ["demand_drop", "restrictions"],
            "needs": ["capital"],
        },
    )
    assert report.status_code == 201, report.content
    assert report.json()["problems"] == ["demand_drop", "restrictions"]
    listed = api(assistant, "get", "/businesses", impact_status="temporarily_closed").json()
    assert [b["name"] for b in listed["items"]] == ["Bengkel Wahyu"]


def test_creating_outside_the_callers_area_is_refused_with_the_field(personas, villages, api):
    response = api(
        personas.pendamping_bangka,
        "post",
        "/people",
        {"village_code": villages["19.01.03"], "name": "Di luar"},
    )
    assert response.status_code == 422
    assert response.json()["errors"] == [{"field": "village_code", "message": str(NOT_YOUR_AREA)}]
    assert not Person.objects.filter(name="Di luar").exists()


def test_a_business_cannot_be_given_an_owner_outside_the_callers_area(personas, records, api):
    response = api(
        personas.kab_belitung,
        "post",
        "/businesses",
        {"owner_id": records.siti.pk, "name": "Curian"},
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "owner_id"
    response = api(
        personas.kab_belitung,
        "patch",
        f"/businesses/{records.kopi.pk}",
        {"owner_id": records.siti.pk},
    )
    assert response.status_code == 422
    response = api(
        personas.kab_belitung,
        "post",
        "/impact-reports",
        {"business_id": records.kerupuk.pk, "report_date": "2020-05-01", "status": "closed"},
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "business_id"


def test_invalid_values_are_422_naming_the_field(personas, records, api):
    url = f"/businesses/{records.kerupuk.pk}"
    response = api(personas.kab_bangka, "patch", url, {"kbli_section": "Z"})
    assert response.status_code == 422
    assert [e["field"] for e in response.json()["errors"]] == ["kbli_section"]
    response = api(personas.kab_bangka, "patch", url, {"whatsapp": "12"})
    assert [e["field"] for e in response.json()["errors"]] == ["whatsapp"]
    response = api(
        personas.kab_bangka,
        "post",
        "/impact-reports",
        {
            "business_id": records.kerupuk.pk,
            "report_date": "2020-05-01",
            "status": "closed",
            "problems": ["alien_invasion"],
        },
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"].endswith("problems.0")


def test_patch_changes_only_the_fields_sent(personas, records, api):
    response = api(
        personas.kab_bangka, "patch", f"/people/{records.siti.pk}", {"address": "Jl. Laut 1"}
    )
    assert response.status_code == 200
    records.siti.refresh_from_db()
    assert (records.siti.address, records.siti.nik) == ("Jl. Laut 1", "1901014107800003")
    response = api(
        personas.kab_bangka,
        "patch",
        f"/cooperatives/{records.nelayan.pk}",
        {"chair_id": None, "members": 41},
    )
    assert (response.json()["chair_id"], response.json()["members"]) == (None, 41)


def test_records_of_an_approved_batch_cannot_be_changed(personas, records, api):
    approve(records.bangka_batch, personas)
    for path, record, body in (
        ("/people/{}", records.siti, {"address": "Jl. Baru"}),
        ("/businesses/{}", records.kerupuk, {"employees": 2}),
        ("/cooperatives/{}", records.nelayan, {"members": 1}),
        ("/impact-reports/{}", records.kerupuk.impacts.first(), {"laid_off": 1}),
    ):
        response = api(personas.prov_babel, "patch", path.format(record.pk), body)
        assert response.status_code == 422, path
        assert response.json()["message"] == str(BATCH_LOCKED)
    response = api(
        personas.kab_bangka,
        "post",
        "/impact-reports",
        {"business_id": records.kerupuk.pk, "report_date": "2020-05-01", "status": "closed"},
    )
    assert response.status_code == 422
    assert records.kerupuk.impacts.count() == 2


def test_regency_submits_and_province_verifies_and_approves_through_the_api(personas, records, api):
    url = f"/batches/{records.bangka_batch.pk}"
    submitted = api(personas.kab_bangka, "post", f"{url}/submit")
    assert submitted.status_code == 200, submitted.content
    assert (submitted.json()["status"], submitted.json()["actions"]) == ("submitted", [])
    assert api(personas.kab_belitung, "post", f"{url}/verify").status_code == 404
    assert api(personas.kab_belitung, "get", url).status_code == 404
    assert api(personas.prov_babel, "get", url).json()["actions"] == ["verify", "return"]
    assert api(personas.prov_babel, "post", f"{url}/verify").json()["status"] == "verified"
    approved = api(personas.prov_babel, "post", f"{url}/approve", {"comment": "Lengkap"})
    assert (approved.json()["status"], approved.json()["locked"]) == ("approved", True)
    assert [e["action"] for e in approved.json()["events"]] == ["submit", "verify", "approve"]
    assert approved.json()["events"][-1] == {
        **approved.json()["events"][-1],
        "actor": "prov-babel",
        "comment": "Lengkap",
    }
    assert (approved.json()["people"], approved.json()["businesses"]) == (2, 2)


def test_a_step_the_role_may_not_take_is_403(personas, records, api):
    url = f"/batches/{records.bangka_batch.pk}"
    api(personas.kab_bangka, "post", f"{url}/submit")
    api(personas.prov_babel, "post", f"{url}/verify")
    response = api(personas.kab_bangka, "post", f"{url}/approve")
    assert response.status_code == 403
    assert response.json()["message"]
    records.bangka_batch.refresh_from_db()
    assert records.bangka_batch.status == Status.VERIFIED


def test_a_step_from_the_wrong_status_or_without_a_reason_is_422(personas, records, api):
    url = f"/batches/{records.bangka_batch.pk}"
    assert api(personas.prov_babel, "post", f"{url}/approve").status_code == 422
    api(personas.kab_bangka, "post", f"{url}/submit")
    response = api(personas.prov_babel, "post", f"{url}/return")
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "comment"
    returned = api(personas.prov_babel, "post", f"{url}/return", {"comment": "NIK kurang"})
    assert returned.json()["status"] == "returned"
    assert api(personas.prov_babel, "post", f"{url}/explode").status_code == 422
    assert BatchEvent.objects.filter(batch=records.bangka_batch).count() == 2


def test_batch_list_counts_records(personas, records, api):
    batches = api(personas.prov_babel, "get", "/batches").json()["items"]
    counts = {b["regency_code"]: (b["people"], b["businesses"], b["cooperatives"]) for b in batches}
    assert counts == {"19.01": (2, 2, 1), "19.02": (1, 1, 1)}
    assert api(personas.prov_babel, "get", "/batches", status="approved").json()["count"] == 0
