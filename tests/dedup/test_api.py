"""The record-linkage API: runs, review of people and of businesses, entities and the
online check.

Who may do what: central and province officers run deduplication, review pairs and
unmerge; to any other role those endpoints do not exist (404). Every officer who enters
data may check a record. Jawa Tengah's officer (prov_jateng) gets 404 for anything of
Bangka Belitung; kab_bangka sees Belitung's copies only as a count.
"""

import pytest
from django.utils import translation

from pulih.accounts.services import token_issue
from pulih.core.models import AccessLog
from pulih.dedup import services
from pulih.dedup.models import BusinessPair, DedupRun, EntityEvent, MatchPair
from pulih.registry.services import person_create
from pulih.wilayah.models import Village

pytestmark = pytest.mark.django_db

API = "/api/v1/dedup"
NOT_FOUND = {"message": "Tidak ditemukan."}


@pytest.fixture
def api(client):
    """Call the API as a user, with their Bearer token."""

    def call(user, method, path, body=None, **extra):
        headers = {"HTTP_AUTHORIZATION": f"Bearer {token_issue(user=user)}", **extra}
        if method == "get":
            return client.get(f"{API}{path}", **headers)
        return getattr(client, method)(
            f"{API}{path}", body or {}, content_type="application/json", **headers
        )

    return call


def pair_of(left, right, region, probability=0.8, status=MatchPair.Status.REVIEW):
    """A scored pair waiting for review, as a run leaves it; `region` is what both share."""
    left, right = sorted((left, right), key=lambda p: p.pk)
    pair = MatchPair(left=left, right=right, probability=probability, status=status)
    pair.set_region(region)
    pair.save()
    return pair


def business_pair_of(left, right, probability=0.8, status=BusinessPair.Status.REVIEW):
    """A scored pair of businesses, in the one region code Bangka and Belitung share."""
    left, right = sorted((left, right), key=lambda b: b.pk)
    pair = BusinessPair(left=left, right=right, probability=probability, status=status)
    pair.set_region("19")
    pair.save()
    return pair


@pytest.fixture
def kerupuk_pair(planted_businesses):
    """Siti's kerupuk business from Bangka and, as "UD Keroepoek", from Belitung."""
    return business_pair_of(
        planted_businesses["kerupuk"], planted_businesses["kerupuk_again"], probability=0.75
    )


@pytest.fixture
def siti_pair(planted):
    return pair_of(planted["siti"], planted["siti_again"], "19.01", probability=0.7)


@pytest.fixture
def jateng_pair(prov_jateng):
    village = Village.objects.filter(code__startswith="33.").order_by("code").first().code
    joko, djoko = (
        person_create(user=prov_jateng, village_code=village, name=name)
        for name in ("Joko Susilo", "Djoko Susilo")
    )
    return pair_of(joko, djoko, village, probability=0.6)


@pytest.fixture
def babel_run(planted):
    """A finished run over Bangka Belitung, with the packaged model."""
    run = DedupRun.objects.create(province_code="19", threshold=0.95, review_floor=0.5)
    return services.run_execute(run=run)


@pytest.fixture
def entity(personas, planted, siti_pair):
    services.pair_confirm(user=personas.prov_babel, pair=siti_pair, note="Satu orang")
    return services.entity_of(person=planted["siti"])


def ids(response):
    assert response.status_code == 200, response.content
    return [item["id"] for item in response.json()["items"]]


# Scope and roles ------------------------------------------------------------------------


def test_another_province_gets_404_for_every_object_of_bangka_belitung(
    personas, prov_jateng, planted, entity, kerupuk_pair, api
):
    run = DedupRun.objects.create(province_code="19", threshold=0.95, review_floor=0.5)
    other = pair_of(planted["siti"], planted["siti_belitung"], "19", probability=0.6)
    for method, path, body in (
        ("get", f"/runs/{run.pk}", None),
        ("get", f"/pairs/{other.pk}", None),
        ("post", f"/pairs/{other.pk}/confirm", {"note": "x"}),
        ("post", f"/pairs/{other.pk}/reject", None),
        ("get", f"/business-pairs/{kerupuk_pair.pk}", None),
        ("post", f"/business-pairs/{kerupuk_pair.pk}/confirm", {"note": "x"}),
        ("post", f"/business-pairs/{kerupuk_pair.pk}/reject", None),
        ("get", f"/entities/{entity.pk}", None),
        ("post", f"/entities/{entity.pk}/unmerge", {"person_id": planted["siti"].pk}),
    ):
        response = api(prov_jateng, method, path, body)
        assert (response.status_code, response.json()) == (404, NOT_FOUND), path
    other.refresh_from_db()
    assert other.status == MatchPair.Status.REVIEW
    kerupuk_pair.refresh_from_db()
    assert kerupuk_pair.status == BusinessPair.Status.REVIEW
    assert ids(api(prov_jateng, "get", "/business-review")) == []
    assert entity.members.count() == 2


@pytest.mark.parametrize("outsider", ["kab_bangka", "pendamping_bangka", "kurator", "asn_demo"])
def test_deduplication_does_not_exist_for_regency_assistants_and_outsiders(
    personas, siti_pair, kerupuk_pair, entity, api, outsider
):
    user = getattr(personas, outsider)
    run = DedupRun.objects.create(province_code="19", threshold=0.95, review_floor=0.5)
    for method, path, body in (
        ("get", "/runs", None),
        ("post", "/runs", {}),
        ("get", f"/runs/{run.pk}", None),
        ("get", "/review", None),
        ("get", f"/pairs/{siti_pair.pk}", None),
        ("post", f"/pairs/{siti_pair.pk}/reject", None),
        ("get", "/business-review", None),
        ("get", f"/business-pairs/{kerupuk_pair.pk}", None),
        ("post", f"/business-pairs/{kerupuk_pair.pk}/confirm", None),
        ("post", f"/business-pairs/{kerupuk_pair.pk}/reject", None),
        ("get", f"/entities/{entity.pk}", None),
        ("post", f"/entities/{entity.pk}/unmerge", {"person_id": siti_pair.left_id}),
    ):
        response = api(user, method, path, body)
        assert (response.status_code, response.json()) == (404, NOT_FOUND), path
    assert DedupRun.objects.count() == 1
    assert BusinessPair.objects.get().status == BusinessPair.Status.REVIEW


@pytest.mark.parametrize("outsider", ["kurator", "pembeli_kf", "asn_demo"])
def test_the_check_does_not_exist_for_roles_that_do_not_enter_data(personas, api, outsider):
    response = api(getattr(personas, outsider), "post", "/check", {"name": "Siti Aminah"})
    assert (response.status_code, response.json()) == (404, NOT_FOUND)


def test_not_found_speaks_english_when_asked(prov_jateng, siti_pair, api):
    response = api(prov_jateng, "get", f"/pairs/{siti_pair.pk}", HTTP_ACCEPT_LANGUAGE="en")
    assert response.json() == {"message": "Not found."}


def test_the_api_needs_a_signed_in_user(siti_pair, client):
    assert client.get(f"{API}/pairs/{siti_pair.pk}").status_code == 401


# Runs ----------------------------------------------------------------------------------


def test_run_list_holds_only_the_callers_province(personas, prov_jateng, api):
    babel = DedupRun.objects.create(province_code="19", threshold=0.95, review_floor=0.5)
    jateng = DedupRun.objects.create(province_code="33", threshold=0.9, review_floor=0.6)
    nation = DedupRun.objects.create(threshold=0.95, review_floor=0.5)
    assert ids(api(personas.prov_babel, "get", "/runs")) == [babel.pk]
    assert ids(api(prov_jateng, "get", "/runs")) == [jateng.pk]
    assert ids(api(personas.pusat, "get", "/runs")) == [nation.pk, jateng.pk, babel.pk]
    page = api(personas.pusat, "get", "/runs?limit=2&offset=2").json()
    assert (page["count"], [r["id"] for r in page["items"]]) == (3, [babel.pk])


def test_a_province_officer_starts_a_run_over_their_province(personas, api, login):
    response = api(personas.prov_babel, "post", "/runs", {"threshold": 0.9, "review_floor": 0.6})
    assert response.status_code == 202, response.content
    run = response.json()
    assert (run["province_code"], run["status"], run["threshold"], run["review_floor"]) == (
        "19",
        "queued",
        0.9,
        0.6,
    )
    assert run["task_id"] and run["created_by"] == "prov-babel"
    task = login(personas.prov_babel).get(f"/api/v1/tasks/{run['task_id']}")
    assert (task.status_code, task.json()["kind"]) == (200, "dedup")


def test_a_run_is_refused_another_province_or_a_band_that_makes_no_sense(personas, api):
    response = api(personas.prov_babel, "post", "/runs", {"province_code": "33"})
    assert response.status_code == 422
    assert response.json()["message"] == str(services.PROVINCE_NOT_YOURS)
    response = api(personas.pusat, "post", "/runs", {"threshold": 0.5, "review_floor": 0.8})
    assert response.status_code == 422
    assert response.json()["errors"] == [
        {"field": "review_floor", "message": str(services.THRESHOLDS_INVALID)}
    ]
    with translation.override("en"):
        response = api(personas.pusat, "post", "/runs", {"threshold": 2}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.json()["message"] == (
        "The review band must lie between 0 and 1, and start below the match threshold."
    )
    assert not DedupRun.objects.exists()


def test_the_centre_may_run_over_the_nation(personas, api):
    response = api(personas.pusat, "post", "/runs")
    assert response.status_code == 202
    assert response.json()["province_code"] == ""


def test_run_detail_gives_counts_and_the_model_in_full(personas, babel_run, api):
    run = api(personas.prov_babel, "get", f"/runs/{babel_run.pk}").json()
    assert run["status"] == "done"
    assert run["records"] == 7
    assert (run["threshold"], run["review_floor"]) == (0.95, 0.5)
    assert run["pairs"] == run["linked"] + run["to_review"] > 0
    assert run["model"] == babel_run.model and run["model"]
    assert isinstance(run["trained"], bool)


def test_a_run_repeats_an_earlier_ones_parameters(personas, babel_run, prov_jateng, api):
    response = api(personas.prov_babel, "post", "/runs", {"repeats": babel_run.pk})
    assert response.status_code == 202
    repeat = DedupRun.objects.get(pk=response.json()["id"])
    assert (repeat.repeats, repeat.model) == (babel_run, babel_run.model)
    refused = api(prov_jateng, "post", "/runs", {"repeats": babel_run.pk})
    assert refused.status_code == 404


def test_runs_give_the_business_counts(personas, planted_businesses, babel_run, api):
    # The businesses are recorded before the run: it links Siti's kerupuk business.
    run = api(personas.prov_babel, "get", f"/runs/{babel_run.pk}").json()
    counts = (run["business_pairs"], run["business_linked"], run["business_to_review"])
    assert counts == (1, 1, 0)
    [listed] = api(personas.prov_babel, "get", "/runs").json()["items"]
    assert listed["business_linked"] == 1


# Review --------------------------------------------------------------------------------


def test_review_queue_holds_only_the_callers_province(
    personas, prov_jateng, siti_pair, jateng_pair, planted, api
):
    linked = pair_of(planted["budi"], planted["budi_again"], "19.01.01", 0.99, "linked")
    assert ids(api(personas.prov_babel, "get", "/review")) == [siti_pair.pk]
    assert ids(api(prov_jateng, "get", "/review")) == [jateng_pair.pk]
    queue = api(personas.pusat, "get", "/review").json()["items"]
    assert [p["id"] for p in queue] == [jateng_pair.pk, siti_pair.pk]  # least certain first
    assert linked.pk not in [p["id"] for p in queue]
    assert queue[1]["left"] == {
        "id": planted["siti"].pk,
        "name": "Siti Aminah",
        "village_code": planted["siti"].village_code,
    }


def test_pair_shows_both_records_side_by_side_and_logs_the_view(personas, planted, siti_pair, api):
    pair = api(personas.prov_babel, "get", f"/pairs/{siti_pair.pk}").json()
    fields = {row["field"]: row for row in pair["fields"]}
    assert fields["nik"] == {
        "field": "nik",
        "left": "1901014107800003",
        "right": "1901014107800033",
        "differs": True,
    }
    assert fields["phone"]["differs"] is False
    assert fields["birth_date"] == {**fields["birth_date"], "left": "1980-07-01", "differs": False}
    assert (fields["name"]["left"], fields["name"]["right"]) == ("Siti Aminah", "Sitti Aminah")
    logged = AccessLog.objects.filter(user=personas.prov_babel, channel="api")
    assert sorted(int(log.object_id) for log in logged) == [siti_pair.left_id, siti_pair.right_id]


def test_pair_masks_nik_and_phone_for_roles_without_personal_data(
    personas, siti_pair, api, monkeypatch
):
    from pulih.accounts.models import User

    monkeypatch.setattr(User, "sees_personal_data", property(lambda user: False))
    fields = {
        row["field"]: row
        for row in api(personas.prov_babel, "get", f"/pairs/{siti_pair.pk}").json()["fields"]
    }
    assert (fields["nik"]["left"], fields["nik"]["right"]) == (
        "1901********0003",
        "1901********0033",
    )
    assert fields["nik"]["differs"] is True
    assert fields["phone"]["left"] == "+62812*****890"


def test_confirming_a_pair_joins_the_records_into_one_entity(personas, planted, siti_pair, api):
    response = api(personas.prov_babel, "post", f"/pairs/{siti_pair.pk}/confirm", {"note": "Sama"})
    assert response.status_code == 200, response.content
    pair = response.json()
    assert (pair["status"], pair["decided_by"]) == ("confirmed", "prov-babel")
    assert pair["left_entity_id"] == pair["right_entity_id"] is not None
    entity = api(personas.prov_babel, "get", f"/entities/{pair['left_entity_id']}").json()
    assert [m["id"] for m in entity["members"]] == [siti_pair.left_id, siti_pair.right_id]
    assert entity["events"][-1]["note"] == "Sama"
    assert ids(api(personas.prov_babel, "get", "/review")) == []


def test_a_second_decision_is_refused_with_the_message(personas, siti_pair, api):
    url = f"/pairs/{siti_pair.pk}"
    assert api(personas.prov_babel, "post", f"{url}/confirm").status_code == 200
    for action in ("confirm", "reject"):
        response = api(personas.pusat, "post", f"{url}/{action}")
        assert response.status_code == 422
        assert response.json()["message"] == str(services.PAIR_ALREADY_DECIDED)
    siti_pair.refresh_from_db()
    assert (siti_pair.status, siti_pair.decided_by) == ("confirmed", personas.prov_babel)


def test_rejecting_a_pair_keeps_the_records_apart(personas, siti_pair, api):
    pair = api(personas.prov_babel, "post", f"/pairs/{siti_pair.pk}/reject").json()
    assert pair["status"] == "rejected"
    assert pair["left_entity_id"] is None and pair["right_entity_id"] is None
    assert pair["note"] == ""


def test_a_rejection_keeps_its_note(personas, siti_pair, api):
    url = f"/pairs/{siti_pair.pk}"
    response = api(personas.prov_babel, "post", f"{url}/reject", {"note": "Beda ibu kandung"})
    assert (response.status_code, response.json()["note"]) == (200, "Beda ibu kandung")
    assert api(personas.prov_babel, "get", url).json()["note"] == "Beda ibu kandung"


def test_rejecting_a_pair_already_in_one_entity_is_refused_pointing_to_unmerge(
    personas, planted, babel_run, api
):
    # The run joins Siti's three records through two certain pairs; the third still waits.
    waiting = MatchPair.objects.get(
        left=planted["siti_again"], right=planted["siti_belitung"], status="review"
    )
    response = api(personas.prov_babel, "post", f"/pairs/{waiting.pk}/reject", {"note": "x"})
    assert response.status_code == 422
    assert response.json()["message"] == str(services.ALREADY_ONE_ENTITY)
    waiting.refresh_from_db()
    assert (waiting.status, waiting.note) == (MatchPair.Status.REVIEW, "")


def test_a_note_longer_than_the_pages_allow_is_refused(personas, siti_pair, api):
    response = api(
        personas.prov_babel, "post", f"/pairs/{siti_pair.pk}/reject", {"note": "x" * 1001}
    )
    assert response.status_code == 422
    assert [e["field"] for e in response.json()["errors"]] == ["note"]
    assert MatchPair.objects.get(pk=siti_pair.pk).status == MatchPair.Status.REVIEW


# Review of businesses ------------------------------------------------------------------


def test_business_review_queue_lists_the_pairs_waiting_least_certain_first(
    personas, planted_businesses, kerupuk_pair, api
):
    warung, jahit = planted_businesses["warung"], planted_businesses["jahit"]
    surer = business_pair_of(warung, jahit, probability=0.9)
    business_pair_of(planted_businesses["kerupuk"], warung, 0.99, BusinessPair.Status.LINKED)
    assert ids(api(personas.prov_babel, "get", "/business-review")) == [kerupuk_pair.pk, surer.pk]
    page = api(personas.pusat, "get", "/business-review?limit=1&offset=1").json()
    assert (page["count"], [p["id"] for p in page["items"]]) == (2, [surer.pk])
    first = api(personas.prov_babel, "get", "/business-review").json()["items"][0]
    kerupuk = planted_businesses["kerupuk"]
    assert first["left"] == {
        "id": kerupuk.pk,
        "name": "Kerupuk Ikan Bu Siti",
        "owner_id": kerupuk.owner_id,
        "owner_name": "Siti Aminah",
        "village_code": kerupuk.village_code,
    }


def test_business_pair_shows_both_businesses_side_by_side_and_logs_both_owners(
    personas, planted, kerupuk_pair, api
):
    response = api(personas.prov_babel, "get", f"/business-pairs/{kerupuk_pair.pk}")
    assert response.status_code == 200, response.content
    fields = {row["field"]: row for row in response.json()["fields"]}
    assert {field for field, row in fields.items() if row["differs"]} == {
        "name",
        "owner__name",
        "village_code",
    }
    assert (fields["name"]["left"], fields["name"]["right"]) == (
        "Kerupuk Ikan Bu Siti",
        "UD Keroepoek Ikan Bu Siti",
    )
    assert fields["owner__nik"]["left"] == "1901014107800003"
    logged = AccessLog.objects.filter(user=personas.prov_babel, channel="api")
    assert {int(log.object_id) for log in logged} == {
        planted["siti"].pk,
        planted["siti_belitung"].pk,
    }
    assert {log.object_type for log in logged} == {"registry.person"}


def test_business_pair_masks_the_owners_nik_and_phone_for_roles_without_personal_data(
    personas, kerupuk_pair, api, monkeypatch
):
    from pulih.accounts.models import User

    monkeypatch.setattr(User, "sees_personal_data", property(lambda user: False))
    response = api(personas.prov_babel, "get", f"/business-pairs/{kerupuk_pair.pk}")
    fields = {row["field"]: row for row in response.json()["fields"]}
    assert fields["owner__nik"]["left"] == fields["owner__nik"]["right"] == "1901********0003"
    assert fields["whatsapp"]["left"] == "+62812*****890"


def test_confirming_a_business_pair_keeps_the_note_and_takes_it_off_the_queue(
    personas, kerupuk_pair, api
):
    url = f"/business-pairs/{kerupuk_pair.pk}"
    response = api(personas.prov_babel, "post", f"{url}/confirm", {"note": "Satu usaha"})
    assert response.status_code == 200, response.content
    pair = response.json()
    assert (pair["status"], pair["decided_by"], pair["note"]) == (
        "confirmed",
        "prov-babel",
        "Satu usaha",
    )
    assert ids(api(personas.prov_babel, "get", "/business-review")) == []
    for action in ("confirm", "reject"):
        again = api(personas.pusat, "post", f"{url}/{action}")
        assert (again.status_code, again.json()["message"]) == (
            422,
            str(services.PAIR_ALREADY_DECIDED),
        )


def test_rejecting_a_business_pair_keeps_the_note(personas, kerupuk_pair, api):
    url = f"/business-pairs/{kerupuk_pair.pk}"
    response = api(personas.prov_babel, "post", f"{url}/reject", {"note": "Dua lapak"})
    assert response.status_code == 200, response.content
    assert (response.json()["status"], response.json()["note"]) == ("rejected", "Dua lapak")
    kerupuk_pair.refresh_from_db()
    assert (kerupuk_pair.decided_by, kerupuk_pair.note) == (personas.prov_babel, "Dua lapak")


# Entities ------------------------------------------------------------------------------


def test_entity_gives_the_golden_record_with_sources_members_and_history(
    personas, planted, entity, api
):
    siti, siti_again = planted["siti"], planted["siti_again"]
    response = api(personas.prov_babel, "get", f"/entities/{entity.pk}")
    assert response.status_code == 200, response.content
    shown = response.json()
    nik = shown["golden"]["nik"]
    assert nik["rule"] == "valid_nik"
    assert nik["value"] == {siti.pk: siti.nik, siti_again.pk: siti_again.nik}[nik["source"]]
    assert shown["golden"]["birth_date"]["value"] == "1980-07-01"
    assert [m["id"] for m in shown["members"]] == [siti.pk, siti_again.pk]
    assert shown["members"][1]["nik"] == "1901014107800033"
    assert [e["kind"] for e in shown["events"]] == ["confirmed", "confirmed"]
    assert shown["events"][0]["actor"] == "prov-babel"
    assert shown["regency_code"] == "19.01"
    logged = AccessLog.objects.filter(user=personas.prov_babel, object_type="registry.person")
    assert sorted(int(log.object_id) for log in logged) == [siti.pk, siti_again.pk]


def test_unmerging_takes_a_record_out_and_keeps_it_out(personas, planted, siti_pair, entity, api):
    siti_again = planted["siti_again"]
    response = api(
        personas.prov_babel,
        "post",
        f"/entities/{entity.pk}/unmerge",
        {"person_id": siti_again.pk, "note": "Orang lain"},
    )
    assert response.status_code == 200, response.content
    shown = response.json()
    assert [m["id"] for m in shown["members"]] == [planted["siti"].pk]
    assert shown["events"][-1] == {
        **shown["events"][-1],
        "kind": EntityEvent.Kind.UNMERGED,
        "person_id": siti_again.pk,
        "note": "Orang lain",
    }
    siti_pair.refresh_from_db()
    assert siti_pair.status == MatchPair.Status.REJECTED
    again = api(
        personas.prov_babel, "post", f"/entities/{entity.pk}/unmerge", {"person_id": siti_again.pk}
    )
    assert again.status_code == 422
    assert again.json()["message"] == str(services.NOT_A_MEMBER)
    last = api(
        personas.prov_babel,
        "post",
        f"/entities/{entity.pk}/unmerge",
        {"person_id": planted["siti"].pk},
    )
    assert (last.status_code, last.json()["message"]) == (422, str(services.LAST_MEMBER))


def test_entity_gives_its_duplicate_businesses(
    personas, planted, planted_businesses, babel_run, api
):
    entity = services.entity_of(person=planted["siti"])
    shown = api(personas.prov_babel, "get", f"/entities/{entity.pk}").json()
    [duplicate] = shown["duplicate_businesses"]
    assert duplicate["status"] == "linked"
    assert {duplicate["left"]["id"], duplicate["right"]["id"]} == {
        planted_businesses["kerupuk"].pk,
        planted_businesses["kerupuk_again"].pk,
    }
    budi = services.entity_of(person=planted["budi"])
    assert (
        api(personas.prov_babel, "get", f"/entities/{budi.pk}").json()["duplicate_businesses"] == []
    )


def test_unmerging_a_record_the_caller_cannot_see_is_a_field_error(
    personas, prov_jateng, jateng_pair, entity, api
):
    response = api(
        personas.prov_babel,
        "post",
        f"/entities/{entity.pk}/unmerge",
        {"person_id": jateng_pair.left_id},
    )
    assert response.status_code == 422
    assert response.json()["errors"] == [{"field": "person_id", "message": "Tidak ditemukan."}]


# Online check --------------------------------------------------------------------------

SITI_TYPED = {"id_number": "1901014107800008", "name": "Siti Aminah", "birth_date": "1980-07-01"}


def test_the_check_finds_siti_when_her_nik_has_one_digit_wrong(personas, planted, api):
    response = api(personas.prov_babel, "post", "/check", SITI_TYPED)
    assert response.status_code == 200, response.content
    found = response.json()
    by_id = {c["person_id"]: c for c in found["candidates"]}
    siti = planted["siti"]
    assert siti.pk in by_id
    assert by_id[siti.pk] == {
        **by_id[siti.pk],
        "name": "Siti Aminah",
        "regency_code": "19.01",
        "village_code": siti.village_code,
        "nik": "1901********0003",
    }
    assert by_id[siti.pk]["probability"] >= 0.5
    assert planted["siti_belitung"].pk in by_id
    assert planted["other_siti"].pk not in by_id
    assert found["elsewhere"] == 0


def test_the_check_shows_belitungs_copy_to_bangka_only_as_elsewhere(personas, planted, api):
    found = api(personas.kab_bangka, "post", "/check", SITI_TYPED).json()
    shown = {c["person_id"] for c in found["candidates"]}
    assert planted["siti"].pk in shown
    assert planted["siti_belitung"].pk not in shown
    assert found["elsewhere"] == 1
    assert "1901014107800003" not in str(found)


def test_a_field_assistant_may_check_and_jawa_tengah_finds_nothing_of_bangka(
    personas, prov_jateng, planted, api
):
    assert api(personas.pendamping_bangka, "post", "/check", SITI_TYPED).status_code == 200
    found = api(prov_jateng, "post", "/check", SITI_TYPED).json()
    assert (found["candidates"], found["elsewhere"]) == ([], 3)  # the three copies of Siti


@pytest.mark.parametrize(
    ("body", "field", "message"),
    [
        ({"name": "Siti", "birth_date": "kemarin"}, "birth_date", "Must be a date"),
        ({"name": "Siti", "birth_date": "1980-02-30"}, "birth_date", "Must be a date"),
        ({"name": "Siti", "sex": "X"}, "sex", "Must be one of the listed values."),
        ({"name": "Siti", "region": "Bangka"}, "region", "Not in the expected format."),
    ],
)
def test_a_check_of_bad_input_is_422_naming_the_field(personas, api, body, field, message):
    response = api(personas.kab_bangka, "post", "/check", body)
    assert response.status_code == 422
    assert response.json()["message"] == "Permintaan tidak sah."
    assert [e["field"] for e in response.json()["errors"]] == [field]
    # In Indonesian by default, never pydantic's English.
    assert not response.json()["errors"][0]["message"].startswith(("Input", message))
    english = api(personas.kab_bangka, "post", "/check", body, HTTP_ACCEPT_LANGUAGE="en")
    assert english.json()["errors"][0]["message"].startswith(message)


def test_the_openapi_schema_still_builds_with_the_dedup_endpoints(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    assert {
        "/api/v1/dedup/check",
        "/api/v1/dedup/pairs/{pair_id}/confirm",
        "/api/v1/dedup/business-review",
        "/api/v1/dedup/business-pairs/{pair_id}/reject",
    } <= set(response.json()["paths"])
