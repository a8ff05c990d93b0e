"""Aid programmes over the API: a BPUM-like programme of Bangka Belitung from creation to
the bank's results, the rules explained for one candidate, external lists and referrals.

Who may do what: pusat, prov-babel, kab-bangka and pendamping-bangka work with
programmes, each within their area; kab-bangka sees the Bangka applicants (19.01), not
Belitung's hadi. Jawa Tengah's officer (prov_jateng) gets 404 for every object of Bangka
Belitung; the curator, buyers, sellers, PICs and civil servants get 404 on every endpoint.
"""

import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from pulih.accounts.services import token_issue
from pulih.dedup import services as dedup
from pulih.dedup.models import MatchPair
from pulih.programs import lists, services
from pulih.programs.models import Enrolment, ExternalList, Payment, Programme, Referral
from pulih.programs.rules import BPUM_RULES, RULES

pytestmark = pytest.mark.django_db

API = "/api/v1/programs"
NOT_FOUND = {"message": "Tidak ditemukan."}
AMOUNT = 2_400_000
Status = Enrolment.Status


@pytest.fixture
def api(client):
    """Call the API as a user, with their Bearer token: JSON, or a multipart form when
    `files` is given."""

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


def csv_upload(rows, name="daftar.csv"):
    text = io.StringIO()
    csv.writer(text).writerows(rows)
    return SimpleUploadedFile(name, text.getvalue().encode("utf-8"))


def nik_list(*people):
    return csv_upload([["NIK", "Nama"], *([p.nik, p.name] for p in people)])


def downloaded(response):
    assert response.status_code == 200, response.content
    return list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))


def joined(left, right, user):
    """Record linkage found `left` and `right` one person, and an officer confirmed it."""
    pair = MatchPair(
        left_id=min(left.pk, right.pk),
        right_id=max(left.pk, right.pk),
        probability=0.9,
        status=MatchPair.Status.REVIEW,
    )
    pair.set_region("19")
    pair.save()
    dedup.pair_confirm(user=user, pair=pair)


@pytest.fixture
def hadi_once(personas, applicants):
    """Hadi's Bangka and Belitung records are one entity."""
    joined(applicants["hadi"], applicants["hadi_belitung"], personas.prov_babel)
    return applicants


def enrolment(cycle, person):
    return Enrolment.objects.get(cycle=cycle, person=person)


@pytest.fixture
def babel(personas, hadi_once, tmp_path):
    """Bangka Belitung's programme with every applicant enrolled; ani and hadi verified
    and approved, ani's payment in a batch for the bank; a Kemensos list of the
    province."""
    applicants = hadi_once
    prov = personas.prov_babel
    programme = services.programme_create(
        user=prov, name="BPUM Babel", agency="Dinas", kind="cash", amount=AMOUNT, rules=[]
    )
    cycle = programme.cycles.get()
    services.candidates_enrol(user=prov, cycle=cycle)
    Enrolment.objects.filter(cycle=cycle).update(status=Status.ELIGIBLE)
    ani, hadi = (enrolment(cycle, applicants[name]) for name in ("ani", "hadi"))
    services.enrolments_verify(user=prov, enrolments=[ani, hadi])
    services.enrolment_approve(user=prov, enrolment=ani)
    batch = services.payment_batch_create(user=prov, cycle=cycle)
    services.enrolment_approve(user=prov, enrolment=hadi)
    path = tmp_path / "kemensos.csv"
    path.write_bytes(nik_list(applicants["ani"]).read())
    kemensos = lists.list_import(
        user=prov, kind="social_aid", path=path, filename=path.name, name="DTKS"
    )
    return programme, cycle, batch, kemensos, ani


def every_endpoint(babel, applicants):
    programme, cycle, batch, kemensos, ani = babel
    p, n = programme.pk, cycle.number
    return [
        ("get", f"/{p}", None, None),
        ("get", f"/{p}/report", None, None),
        ("post", f"/{p}/evaluate", {"person_id": applicants["ani"].pk}, None),
        ("post", f"/{p}/cycles/{n}/enrol", {}, None),
        ("post", f"/{p}/cycles/{n}/evaluate", None, None),
        ("get", f"/{p}/enrolments", None, None),
        ("post", f"/{p}/cycles/{n}/batches", None, None),
        ("post", "/enrolments/verify", {"ids": [ani.pk]}, None),
        ("post", "/enrolments/approve", {"ids": [ani.pk]}, None),
        ("post", f"/enrolments/{ani.pk}/approve", None, None),
        ("get", f"/batches/{batch.pk}/file", None, None),
        ("post", f"/batches/{batch.pk}/results", None, {"file": csv_upload([["ref"]], "b.csv")}),
        ("get", f"/lists/{kemensos.pk}", None, None),
        ("get", f"/lists/{kemensos.pk}/crosscheck", None, None),
        ("get", f"/lists/{kemensos.pk}/crosscheck/overlap", {"format": "csv"}, None),
        ("post", f"/lists/{kemensos.pk}/served", None, None),
    ]


# Scope and roles ------------------------------------------------------------------------


def test_another_province_gets_404_for_every_object_of_bangka_belitung(
    personas, prov_jateng, applicants, babel, api
):
    programme, cycle, batch, kemensos, ani = babel
    for method, path, body, files in every_endpoint(babel, applicants):
        response = api(prov_jateng, method, path, body, files)
        assert (response.status_code, response.json()) == (404, NOT_FOUND), path
    for path in ("/", "/lists", "/alerts"):
        response = api(prov_jateng, "get", path)
        assert (response.status_code, response.json()["items"]) == (200, []), path
    assert Enrolment.objects.filter(cycle=cycle).count() == len(applicants)
    assert batch.payments.get().status == Payment.Status.SENT
    assert not kemensos.entries.filter(served_marked_at__isnull=False).exists()


def test_a_batch_reaching_outside_a_regency_is_not_the_regencys(personas, applicants, babel, api):
    programme, cycle, batch, kemensos, ani = babel
    prov = personas.prov_babel
    assert api(personas.kab_bangka, "get", f"/batches/{batch.pk}/file").status_code == 200
    # Hadi's payment failed, so his Belitung record may be paid; with citra's, one batch.
    Payment.objects.filter(enrolment__person=applicants["hadi"]).update(
        status=Payment.Status.FAILED
    )
    citra, belitung = (enrolment(cycle, applicants[n]) for n in ("citra", "hadi_belitung"))
    services.enrolments_verify(user=prov, enrolments=[citra, belitung])
    services.enrolments_approve(user=prov, enrolments=[citra, belitung])
    both = services.payment_batch_create(user=prov, cycle=cycle)
    assert both.payments.count() == 2
    for user in (personas.kab_bangka, personas.kab_belitung):
        response = api(user, "get", f"/batches/{both.pk}/file")
        assert (response.status_code, response.json()) == (404, NOT_FOUND)
    assert api(prov, "get", f"/batches/{both.pk}/file").status_code == 200


@pytest.mark.parametrize(
    "outsider", ["kurator", "pembeli_kf", "koperasi_tanimulus", "pic_kemenkop", "asn_demo"]
)
def test_programmes_do_not_exist_for_roles_without_a_part_in_them(
    personas, applicants, babel, api, outsider
):
    user = getattr(personas, outsider)
    for method, path, body, files in [
        *every_endpoint(babel, applicants),
        ("get", "/", None, None),
        ("post", "/", {"name": "X", "agency": "Y", "kind": "cash", "amount": 1}, None),
        ("get", "/alerts", None, None),
        ("get", "/lists", None, None),
        ("post", "/lists", {"kind": "kur", "name": "KUR"}, {"file": nik_list(applicants["ani"])}),
        ("post", "/referrals", {"person_ids": [applicants["ani"].pk], "target": "prakerja"}, None),
        ("get", "/referrals/counts", {"target": "prakerja"}, None),
        ("post", "/referrals/status", {"target": "prakerja"}, {"file": csv_upload([["NIK"]])}),
    ]:
        response = api(user, method, path, body, files)
        assert (response.status_code, response.json()) == (404, NOT_FOUND), path
    assert Programme.objects.count() == 1
    assert not Referral.objects.exists()


def test_a_regency_officer_may_not_create_programmes_nor_approve(personas, applicants, babel, api):
    programme, cycle, batch, kemensos, ani = babel
    body = {"name": "X", "agency": "Y", "kind": "cash", "amount": 1}
    assert api(personas.kab_bangka, "post", "/", body).status_code == 403
    citra = enrolment(cycle, applicants["citra"])
    assert api(personas.kab_bangka, "post", f"/enrolments/{citra.pk}/approve").status_code == 403
    assert api(personas.kab_bangka, "post", f"/lists/{kemensos.pk}/served").status_code == 403


def test_a_province_officer_creates_only_their_own_provinces_programmes(personas, api):
    body = {"name": "BPUM Jateng", "agency": "Dinas", "kind": "cash", "amount": 1}
    response = api(personas.prov_babel, "post", "/", {**body, "province_code": "33"})
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "province_code"


def test_a_programme_with_a_negative_amount_or_an_unknown_rule_is_refused(personas, api):
    body = {"name": "BPUM", "agency": "Kemenkop UKM", "kind": "cash", "amount": -1}
    response = api(personas.pusat, "post", "/", body)
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "amount"
    assert response.json()["errors"][0]["message"] == "Terlalu kecil."
    unknown = api(personas.pusat, "post", "/", {**body, "amount": 1, "rules": ["no_such_rule"]})
    assert unknown.status_code == 422
    assert not Programme.objects.exists()


# The whole road over the API ------------------------------------------------------------


def test_a_programme_from_creation_to_the_banks_results(personas, hadi_once, api):
    applicants = hadi_once
    prov = personas.prov_babel
    verified = [p for name, p in applicants.items() if name not in ("fajar", "hadi_belitung")]
    response = api(
        prov,
        "post",
        "/lists",
        {"kind": "civil_registry", "name": "Dukcapil"},
        {"file": nik_list(*verified)},
    )
    assert response.status_code == 200, response.content
    assert response.json()["summary"]["by_nik"] == len(verified)
    bkn = {"kind": "civil_servants", "name": "BKN"}
    assert (
        api(prov, "post", "/lists", bkn, {"file": nik_list(applicants["budi"])}).status_code == 200
    )

    created = api(
        prov,
        "post",
        "/",
        {"name": "BPUM Babel", "agency": "Dinas", "kind": "cash", "amount": AMOUNT},
    )
    assert created.status_code == 201, created.content
    programme = created.json()
    assert programme["province_code"] == "19"
    assert [rule["code"] for rule in programme["rules"]] == BPUM_RULES
    assert programme["cycles"] == [{"number": 1, "opens": None, "closes": None}]
    p = programme["id"]
    assert api(prov, "get", f"/{p}").json() == programme

    assert api(prov, "post", f"/{p}/cycles/1/enrol").json() == {"enrolled": len(applicants)}
    assert api(prov, "post", f"/{p}/cycles/1/enrol").json() == {"enrolled": 0}
    evaluated = api(prov, "post", f"/{p}/cycles/1/evaluate").json()
    assert evaluated == {
        "eligible": 6,
        "ineligible": 3,
        "by_rule": {"nik_in_civil_registry": 1, "micro_business": 1, "not_civil_servant": 1},
    }
    listed = api(prov, "get", f"/{p}/enrolments", {"status": "ineligible"}).json()
    assert listed["count"] == 3
    budi = next(e for e in listed["items"] if e["person_id"] == applicants["budi"].pk)
    assert budi["person_name"] == "Budi Santoso"
    assert budi["nik"] == applicants["budi"].nik
    assert budi["failed_rules"] == [
        {"code": "not_civil_servant", "text": str(RULES["not_civil_servant"].text)}
    ]

    eligible = api(prov, "get", f"/{p}/enrolments", {"cycle": 1, "status": "eligible"}).json()
    ids = {e["person_id"]: e["id"] for e in eligible["items"]}
    assert api(prov, "post", "/enrolments/verify", {"ids": list(ids.values())}).json() == {
        "verified": 6
    }
    ani, hadi = ids[applicants["ani"].pk], ids[applicants["hadi"].pk]
    approved = api(prov, "post", "/enrolments/approve", {"ids": [ani, hadi]})
    assert approved.json() == {"approved": 2, "refused": []}

    batch = api(prov, "post", f"/{p}/cycles/1/batches")
    assert batch.status_code == 201, batch.content
    batch = batch.json()
    assert (batch["payments"], batch["amount"], batch["status"]) == (2, 2 * AMOUNT, "open")
    header, *rows = downloaded(api(prov, "get", f"/batches/{batch['id']}/file"))
    assert header == ["reference", "nik", "name", "amount"]
    assert sorted((row[1], row[2], row[3]) for row in rows) == [
        ("1901010808870001", "Hadi Wijaya", str(AMOUNT)),
        ("1901014101800001", "Ani Lestari", str(AMOUNT)),
    ]
    results = csv_upload([["referensi", "status"], *([row[0], "berhasil"] for row in rows)])
    response = api(prov, "post", f"/batches/{batch['id']}/results", files={"file": results})
    assert response.json() == {"changed": 2, "unchanged": 0}

    report = api(prov, "get", f"/{p}/report", {"cycle": 1}).json()
    assert (report["cycle"], report["by"]) == (1, "regency_code")
    bangka, belitung = report["rows"]
    assert bangka == {
        "region": "19.01",
        "candidates": 8,
        "eligible": 5,
        "ineligible": 3,
        "verified": 5,
        "approved": 2,
        "paid": 2,
        "reasons": {"nik_in_civil_registry": 1, "micro_business": 1, "not_civil_servant": 1},
        "duplicates": 0,
        "rupiah_paid": 2 * AMOUNT,
        "rupiah_blocked": 3 * AMOUNT,
    }
    # Hadi's Belitung record: verified, but his entity was paid through Bangka.
    assert (belitung["region"], belitung["verified"], belitung["paid"]) == ("19.02", 1, 0)
    assert (belitung["duplicates"], belitung["rupiah_blocked"]) == (1, AMOUNT)
    province = api(prov, "get", f"/{p}/report", {"by": "province_code"}).json()["rows"]
    assert [(row["region"], row["candidates"], row["paid"]) for row in province] == [("19", 9, 2)]


def test_approving_the_second_record_of_one_entity_is_422(personas, applicants, babel, api):
    programme, cycle, batch, kemensos, ani = babel
    second = enrolment(cycle, applicants["hadi_belitung"])
    services.enrolments_verify(user=personas.prov_babel, enrolments=[second])
    response = api(personas.prov_babel, "post", f"/enrolments/{second.pk}/approve")
    assert response.status_code == 422
    assert response.json()["message"] == str(services.ALREADY_PAID)
    second.refresh_from_db()
    assert second.status == Status.VERIFIED
    bulk = api(personas.prov_babel, "post", "/enrolments/approve", {"ids": [second.pk]})
    assert bulk.json() == {
        "approved": 0,
        "refused": [{"id": second.pk, "message": str(services.ALREADY_PAID)}],
    }


def test_an_approved_enrolment_is_shown_as_approved(personas, applicants, babel, api):
    programme, cycle, batch, kemensos, ani = babel
    citra = enrolment(cycle, applicants["citra"])
    services.enrolments_verify(user=personas.prov_babel, enrolments=[citra])
    response = api(personas.prov_babel, "post", f"/enrolments/{citra.pk}/approve")
    assert response.status_code == 200, response.content
    assert (response.json()["status"], response.json()["cycle"]) == ("approved", 1)


def test_a_bank_file_with_unknown_references_changes_nothing(personas, babel, api):
    programme, cycle, batch, kemensos, ani = babel
    results = csv_upload([["reference", "status"], ["P-unknown", "paid"]])
    response = api(
        personas.prov_babel, "post", f"/batches/{batch.pk}/results", files={"file": results}
    )
    assert response.status_code == 422
    assert batch.payments.get().status == Payment.Status.SENT


def test_a_person_paid_twice_through_two_records_raises_an_alert(personas, applicants, api):
    prov = personas.prov_babel
    programme = services.programme_create(
        user=prov, name="BPUM Babel", agency="Dinas", kind="cash", amount=AMOUNT, rules=[]
    )
    cycle = programme.cycles.get()
    hadi = [applicants["hadi"], applicants["hadi_belitung"]]
    services.candidates_enrol(user=prov, cycle=cycle, people=hadi)
    Enrolment.objects.filter(cycle=cycle).update(status=Status.ELIGIBLE)
    both = list(Enrolment.objects.filter(cycle=cycle))
    services.enrolments_verify(user=prov, enrolments=both)
    assert services.enrolments_approve(user=prov, enrolments=both)["approved"] == 2
    joined(*hadi, prov)
    (alert,) = api(prov, "get", "/alerts").json()["items"]
    assert (alert["programme_id"], alert["cycle"], alert["province_code"]) == (
        programme.pk,
        1,
        "19",
    )
    assert sorted(p["duplicate"] for p in alert["payments"]) == [False, True]
    assert api(personas.kab_bangka, "get", "/alerts").json()["items"] == []


# One candidate's rules ------------------------------------------------------------------


def test_evaluating_one_candidate_explains_each_rule_and_writes_nothing(
    personas, applicants, babel, api
):
    programme, cycle, batch, kemensos, ani = babel
    Programme.objects.filter(pk=programme.pk).update(rules=BPUM_RULES)
    budi = enrolment(cycle, applicants["budi"])
    Enrolment.objects.filter(pk=budi.pk).update(status=Status.CANDIDATE)
    path = f"/{programme.pk}/evaluate"
    body = {"person_id": applicants["budi"].pk, "cycle": 1}
    for language in ("id", "en"):
        response = api(personas.prov_babel, "post", path, body, HTTP_ACCEPT_LANGUAGE=language)
        assert response.status_code == 200, response.content
        with translation.override(language):
            texts = [str(RULES[code].text) for code in BPUM_RULES]
        result = response.json()
        assert [rule["text"] for rule in result["rules"]] == texts
    assert (result["enrolment_id"], result["status"], result["eligible"]) == (
        budi.pk,
        "candidate",
        False,
    )
    passed = {rule["code"]: rule["passed"] for rule in result["rules"]}
    # No list of the civil registry was imported: no NIK is verified by it.
    assert passed == {code: code != "nik_in_civil_registry" for code in BPUM_RULES}
    budi.refresh_from_db()
    assert (budi.status, budi.failed_rules, budi.evaluated_at) == (Status.CANDIDATE, [], None)


def test_one_candidate_outside_the_area_is_a_field_error(personas, applicants, babel, api):
    programme, cycle, batch, kemensos, ani = babel
    path = f"/{programme.pk}/evaluate"
    belitung = {"person_id": applicants["hadi_belitung"].pk}
    response = api(personas.kab_bangka, "post", path, belitung)
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "person_id"


def test_a_person_not_enrolled_is_explained_without_enrolling(personas, applicants, api):
    programme = services.programme_create(
        user=personas.prov_babel,
        name="Bantuan usaha mikro",
        agency="Dinas",
        kind="cash",
        amount=AMOUNT,
        rules=["micro_business", "not_deceased"],
    )
    gita = {"person_id": applicants["gita"].pk}
    response = api(personas.kab_bangka, "post", f"/{programme.pk}/evaluate", gita)
    assert response.status_code == 200
    body = response.json()
    assert (body["enrolment_id"], body["eligible"]) == (None, False)
    failed = [rule["code"] for rule in body["rules"] if not rule["passed"]]
    assert failed == ["micro_business"]
    assert not Enrolment.objects.filter(person=applicants["gita"]).exists()


# External lists -------------------------------------------------------------------------


def test_a_list_is_uploaded_cross_checked_and_its_overlap_marked_served(personas, applicants, api):
    prov = personas.prov_babel
    file = csv_upload(
        [
            ["No", "NIK", "Nama Penerima"],
            ["1", applicants["ani"].nik, "Ani Lestari"],
            ["2", applicants["budi"].nik, "Budi Santoso"],
            ["3", applicants["hadi"].nik, "Hadi Wijaya"],
            ["4", "1901015001900001", "Sri Wahyuni"],
            ["5", "1901011111910002", "Agus Salim"],
            ["6", applicants["ani"].nik, "Ani Lestari"],
        ],
        "kemensos.csv",
    )
    response = api(prov, "post", "/lists", {"kind": "social_aid", "name": "DTKS"}, {"file": file})
    assert response.status_code == 200, response.content
    lst = response.json()
    assert (lst["province_code"], lst["kind"], lst["rows"]) == ("19", "social_aid", 6)
    assert lst["summary"] == {
        "rows": 6,
        "duplicates": 1,
        "entries": 5,
        "invalid_nik": 0,
        "by_nik": 3,
        "by_linkage": 0,
        "unmatched": 2,
    }
    assert [item["id"] for item in api(prov, "get", "/lists").json()["items"]] == [lst["id"]]
    assert api(prov, "get", f"/lists/{lst['id']}").json() == lst

    path = f"/lists/{lst['id']}/crosscheck"
    assert api(prov, "get", path).json() == {
        "overlap": 4,  # hadi's NIK counts his Belitung record too
        "only_registry": 5,
        "only_list": 2,
        "outside_scope": 0,
    }
    assert api(personas.kab_belitung, "get", path).json() == {
        "overlap": 1,
        "only_registry": 0,
        "only_list": 2,
        "outside_scope": 2,
    }
    header, *rows = downloaded(api(prov, "get", f"{path}/only_list", {"format": "csv"}))
    assert sorted(row[3] for row in rows) == ["Agus Salim", "Sri Wahyuni"]
    xlsx = api(prov, "get", f"{path}/overlap", {"format": "xlsx"})
    assert xlsx["Content-Type"].startswith("application/vnd.openxmlformats")

    assert api(prov, "post", f"/lists/{lst['id']}/served").json() == {"marked": 3}
    assert api(prov, "post", f"/lists/{lst['id']}/served").json() == {"marked": 0}


def test_a_list_without_a_nik_column_is_refused_in_the_callers_language(personas, applicants, api):
    for language, start in (("id", "Kolom NIK tidak ditemukan"), ("en", "No NIK column found")):
        file = csv_upload([["Nama", "Alamat"], ["Ani", "Sungailiat"]])
        response = api(
            personas.prov_babel,
            "post",
            "/lists",
            {"kind": "kur", "name": "KUR"},
            {"file": file},
            HTTP_ACCEPT_LANGUAGE=language,
        )
        assert response.status_code == 422
        assert response.json()["code"] == "list_no_nik"
        assert response.json()["message"].startswith(start)
    assert not ExternalList.objects.exists()


def test_only_a_social_aid_list_is_marked_served(personas, applicants, api):
    file = nik_list(applicants["ani"])
    lst = api(personas.prov_babel, "post", "/lists", {"kind": "kur", "name": "KUR"}, {"file": file})
    response = api(personas.prov_babel, "post", f"/lists/{lst.json()['id']}/served")
    assert response.status_code == 422
    assert response.json()["message"] == str(lists.NOT_SOCIAL_AID)


# Referrals ------------------------------------------------------------------------------


def test_referrals_are_made_counted_and_moved_by_the_other_programmes_file(
    personas, applicants, api
):
    kab = personas.kab_bangka
    people = [applicants[name].pk for name in ("ani", "budi", "citra", "hadi_belitung")]
    body = {"person_ids": people, "target": "prakerja"}
    assert api(kab, "post", "/referrals", body).json() == {
        "created": 3,
        "existing": 0,
        "not_visible": 1,
    }
    assert api(kab, "post", "/referrals", body).json()["existing"] == 3
    file = csv_upload(
        [
            ["NIK", "Status"],
            [applicants["ani"].nik, "lolos"],
            [applicants["budi"].nik, "terdaftar"],
        ]
    )
    report = api(kab, "post", "/referrals/status", {"target": "prakerja"}, {"file": file}).json()
    assert (report["rows"], report["updated"], report["refused"]) == (2, 2, [])
    counts = api(kab, "get", "/referrals/counts", {"target": "prakerja"}).json()
    assert counts["total"] == 3
    assert counts["current"] == {"referred": 1, "registered": 1, "passed": 1, "not_passed": 0}
    assert (counts["reached"]["registered"], counts["reached"]["passed"]) == (2, 1)


def test_a_status_file_with_an_unknown_word_changes_nothing(personas, applicants, api):
    kab = personas.kab_bangka
    api(kab, "post", "/referrals", {"person_ids": [applicants["ani"].pk], "target": "prakerja"})
    file = csv_upload([["NIK", "Status"], [applicants["ani"].nik, "entah"]])
    response = api(
        kab,
        "post",
        "/referrals/status",
        {"target": "prakerja"},
        {"file": file},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 422
    assert response.json()["code"] == "referral_status_unknown"
    assert response.json()["message"].startswith("Unknown status")
    assert Referral.objects.get().status == Referral.Status.REFERRED
