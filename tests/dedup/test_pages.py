"""The pages of record linkage: runs, the review queues, pairs and entities.

Who may see what: pusat and prov-babel work here (prov-babel in province 19 only);
kab-bangka, a regency officer, finds no page at all; prov-jateng (province 33) finds none
of Bangka Belitung's runs, pairs (of people or of businesses) or entities. The planted
records and businesses are in tests/dedup/conftest.py.
"""

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from pulih.accounts.models import User
from pulih.core.models import AccessLog, TaskProgress
from pulih.dedup import selectors, services
from pulih.dedup.forms import NATIONAL
from pulih.dedup.golden import VALID_NIK
from pulih.dedup.models import BusinessPair, DedupRun, EntityEvent, EntityMember, MatchPair
from pulih.dedup.views import BUSINESSES_DECIDED, PEOPLE_DECIDED, RULE_LABELS

pytestmark = pytest.mark.django_db


def waiting_pair(left, right, probability=0.8):
    """A pair of two planted records waiting for review, inside province 19."""
    left, right = sorted((left, right), key=lambda person: person.pk)
    pair, _ = MatchPair.objects.update_or_create(
        left=left,
        right=right,
        defaults={"probability": probability, "status": "review", "decided_by": None},
    )
    pair.set_region("19")
    pair.save()
    return pair


def waiting_business_pair(left, right, probability=0.8, status="review"):
    """A pair of two planted businesses, by default waiting for review, in the province:
    the only region code Bangka and Belitung share."""
    left, right = sorted((left, right), key=lambda business: business.pk)
    pair = BusinessPair(left=left, right=right, probability=probability, status=status)
    pair.set_region("19")
    pair.save()
    return pair


@pytest.fixture
def finished_run(planted):
    return services.run_execute(
        run=DedupRun.objects.create(province_code="19", threshold=0.95, review_floor=0.5)
    )


@pytest.fixture
def pair(planted):
    return waiting_pair(planted["siti"], planted["siti_belitung"], probability=0.7234)


@pytest.fixture
def business_pair(planted_businesses):
    """Siti's kerupuk business, once from Bangka and once, as "UD Keroepoek", from Belitung."""
    return waiting_business_pair(
        planted_businesses["kerupuk"], planted_businesses["kerupuk_again"], probability=0.81
    )


@pytest.fixture
def entity(personas, planted):
    """Siti's three records, confirmed one pair at a time."""
    for left, right in (("siti", "siti_again"), ("siti_again", "siti_belitung")):
        services.pair_confirm(
            user=personas.prov_babel, pair=waiting_pair(planted[left], planted[right])
        )
    return selectors.entity_of_person(user=personas.prov_babel, person=planted["siti"])


@pytest.fixture
def without_personal_data(monkeypatch):
    """Officers as if their role could not see NIKs and phones: the masking paths."""
    monkeypatch.setattr(User, "sees_personal_data", property(lambda user: False))


def pages(finished_run, pair, business_pair, entity):
    return [
        reverse("dedup:run_list"),
        reverse("dedup:run_detail", args=[finished_run.pk]),
        reverse("dedup:review_queue"),
        reverse("dedup:business_review_queue"),
        reverse("dedup:pair_detail", args=[pair.pk]),
        reverse("dedup:business_pair_detail", args=[business_pair.pk]),
        reverse("dedup:entity_detail", args=[entity.pk]),
    ]


def test_every_page_opens_for_the_province_officer(
    personas, finished_run, pair, business_pair, entity, login
):
    client = login(personas.prov_babel)
    for url in pages(finished_run, pair, business_pair, entity):
        assert client.get(url).status_code == 200, url


def test_regency_officers_find_no_duplicate_pages(
    personas, finished_run, pair, business_pair, entity, login
):
    client = login(personas.kab_bangka)
    for url in pages(finished_run, pair, business_pair, entity):
        assert client.get(url).status_code == 404, url
    decide = reverse("dedup:pair_decide", args=[pair.pk])
    assert client.post(decide, {"decision": "reject"}).status_code == 404
    assert MatchPair.objects.get(pk=pair.pk).status == "review"
    decide = reverse("dedup:business_pair_decide", args=[business_pair.pk])
    assert client.post(decide, {"decision": "confirm"}).status_code == 404
    assert BusinessPair.objects.get(pk=business_pair.pk).status == "review"


def test_another_provinces_officer_cannot_open_babels_run_pair_or_entity(
    personas, planted, prov_jateng, finished_run, pair, business_pair, entity, login
):
    client = login(prov_jateng)
    for url in (
        reverse("dedup:run_detail", args=[finished_run.pk]),
        reverse("dedup:pair_detail", args=[pair.pk]),
        reverse("dedup:business_pair_detail", args=[business_pair.pk]),
        reverse("dedup:entity_detail", args=[entity.pk]),
    ):
        assert client.get(url).status_code == 404, url
    siti = planted["siti"]
    assert (
        client.post(
            reverse("dedup:pair_decide", args=[pair.pk]), {"decision": "confirm"}
        ).status_code
        == 404
    )
    unmerge = reverse("dedup:entity_unmerge", args=[entity.pk, siti.pk])
    assert client.post(unmerge).status_code == 404
    assert EntityMember.objects.filter(person=siti).exists()
    decide = reverse("dedup:business_pair_decide", args=[business_pair.pk])
    assert client.post(decide, {"decision": "reject", "note": "x"}).status_code == 404
    assert BusinessPair.objects.get(pk=business_pair.pk).status == "review"
    runs = client.get(reverse("dedup:run_list")).context["page"]
    assert list(runs) == []
    assert list(client.get(reverse("dedup:review_queue")).context["page"]) == []
    assert list(client.get(reverse("dedup:business_review_queue")).context["page"]) == []


def test_central_officer_starts_a_national_run(personas, login):
    response = login(personas.pusat).post(
        reverse("dedup:run_list"), {"province_code": "", "threshold": "0.9", "review_floor": "0.6"}
    )
    run = DedupRun.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("dedup:run_detail", args=[run.pk])
    assert (run.province_code, run.threshold, run.review_floor) == ("", 0.9, 0.6)
    assert run.created_by == personas.pusat and run.progress.owner == personas.pusat


def test_central_officer_may_choose_a_province(personas, login):
    login(personas.pusat).post(reverse("dedup:run_list"), {"province_code": "33"})
    assert DedupRun.objects.get().province_code == "33"


def test_province_officer_runs_over_their_own_province_with_the_default_band(personas, login):
    login(personas.prov_babel).post(reverse("dedup:run_list"), {})
    run = DedupRun.objects.get()
    assert (run.province_code, run.threshold, run.review_floor) == (
        "19",
        services.THRESHOLD,
        services.REVIEW_FLOOR,
    )


def test_province_officer_cannot_start_a_run_for_another_province(personas, login):
    response = login(personas.prov_babel).post(reverse("dedup:run_list"), {"province_code": "33"})
    assert response.status_code == 200
    assert response.context["form"].errors["province_code"] == [str(services.PROVINCE_NOT_YOURS)]
    assert not DedupRun.objects.exists()


def test_province_officer_is_offered_only_their_own_province(personas, login):
    form = login(personas.prov_babel).get(reverse("dedup:run_list")).context["form"]
    assert [code for code, _ in form.fields["province_code"].widget.choices] == ["19"]
    form = login(personas.pusat).get(reverse("dedup:run_list")).context["form"]
    assert [code for code, _ in form.fields["province_code"].widget.choices][:2] == ["", "11"]


def test_a_review_band_above_the_threshold_is_refused_in_the_form(personas, login):
    response = login(personas.pusat).post(
        reverse("dedup:run_list"), {"threshold": "0.6", "review_floor": "0.9"}
    )
    assert response.context["form"].errors["review_floor"] == [str(services.THRESHOLDS_INVALID)]
    assert not DedupRun.objects.exists()


def test_run_list_shows_each_runs_area_counts_and_the_pairs_waiting(
    personas, finished_run, pair, login
):
    response = login(personas.prov_babel).get(reverse("dedup:run_list"))
    [run] = response.context["page"]
    assert run.scope_name == "Kepulauan Bangka Belitung"
    assert run.records == 7
    assert (
        response.context["waiting"]
        == selectors.cluster_review_queue(user=personas.prov_babel).count()
    )
    page = response.content.decode()
    assert reverse("dedup:run_detail", args=[run.pk]) in page
    assert reverse("dedup:review_queue") in page


def test_run_page_shows_the_counts_and_the_models_parameters(personas, finished_run, login):
    response = login(personas.prov_babel).get(reverse("dedup:run_detail", args=[finished_run.pk]))
    assert finished_run.trained is False  # seven records: the packaged model is used
    comparisons = response.context["comparisons"]
    assert len(comparisons) == len(finished_run.model["comparisons"])
    levels = [level for comparison in comparisons for level in comparison["levels"]]
    weighed = [level for level in levels if level["weight"]]
    assert weighed and all(level["m"] and level["u"] for level in weighed)
    assert any(level["null"] for level in levels)
    page = response.content.decode()
    assert 'class="model-parameters"' in page
    assert finished_run.model["comparisons"][0]["comparison_levels"][1]["label_for_charts"] in page


def test_run_page_follows_the_task_of_the_officer_who_started_it(personas, login):
    run = services.run_start(user=personas.prov_babel)
    client = login(personas.prov_babel)
    response = client.get(reverse("dedup:run_detail", args=[run.pk]))
    assert response.context["progress"] == run.progress
    assert reverse("core:task_progress", args=[run.progress.pk]) in response.content.decode()
    response = login(personas.pusat).get(reverse("dedup:run_detail", args=[run.pk]))
    assert response.context["progress"] is None
    assert 'hx-select="#run-status"' in response.content.decode()


def test_finished_task_links_to_its_run_page(personas, login):
    run = services.run_start(user=personas.prov_babel)
    TaskProgress.objects.filter(pk=run.progress.pk).update(status="done", result={"run": run.pk})
    response = login(personas.prov_babel).get(reverse("core:task_progress", args=[run.progress.pk]))
    assert reverse("dedup:run_detail", args=[run.pk]) in response.content.decode()


def test_review_queue_lists_each_pair_with_its_probability_names_and_places(
    personas, planted, pair, login
):
    response = login(personas.prov_babel).get(reverse("dedup:review_queue"))
    [listed] = response.context["page"]
    assert listed.pk == pair.pk
    page = response.content.decode()
    assert "72,3%" in page
    assert "Hj. Siti Aminah, S.Pd." in page
    assert "Bangka" in listed.left.place and "Belitung" in listed.right.place
    assert reverse("dedup:pair_detail", args=[pair.pk]) in page


def test_pair_page_highlights_the_differing_fields_and_logs_both_records(
    personas, planted, pair, login
):
    response = login(personas.prov_babel).get(reverse("dedup:pair_detail", args=[pair.pk]))
    differs = {row["field"] for row in response.context["rows"] if row["differs"]}
    assert differs == {"name", "phone", "address", "village_code"}
    page = response.content.decode()
    assert '<tr class="differs" data-field="name">' in page
    assert '<tr data-field="nik">' in page
    assert page.count("≠") == 4
    logged = AccessLog.objects.filter(user=personas.prov_babel, object_type="registry.person")
    assert set(logged.values_list("object_id", flat=True)) == {
        str(planted["siti"].pk),
        str(planted["siti_belitung"].pk),
    }


def test_pair_page_shows_nik_and_phone_in_full_to_officers(personas, pair, login):
    page = login(personas.prov_babel).get(reverse("dedup:pair_detail", args=[pair.pk]))
    assert "1901014107800003" in page.content.decode()


def test_pair_page_masks_nik_and_phone_for_roles_without_personal_data(
    personas, pair, login, without_personal_data
):
    page = login(personas.prov_babel).get(reverse("dedup:pair_detail", args=[pair.pk]))
    page = page.content.decode()
    assert "1901014107800003" not in page and "1901********0003" in page
    assert "+6281234567890" not in page


def test_confirming_a_pair_joins_the_two_records_into_one_entity(personas, planted, pair, login):
    client = login(personas.prov_babel)
    response = client.post(
        reverse("dedup:pair_decide", args=[pair.pk]),
        {"decision": "confirm", "note": "Same NIK, titles in the name"},
    )
    assert response["Location"] == reverse("dedup:review_queue")
    entity = selectors.entity_of_person(user=personas.prov_babel, person=planted["siti"])
    assert entity == selectors.entity_of_person(
        user=personas.prov_babel, person=planted["siti_belitung"]
    )
    page = client.get(reverse("dedup:pair_detail", args=[pair.pk])).content.decode()
    assert reverse("dedup:entity_detail", args=[entity.pk]) in page
    response = client.get(reverse("dedup:entity_detail", args=[entity.pk]))
    members = {person.name for person in response.context["members"]}
    assert members == {"Siti Aminah", "Hj. Siti Aminah, S.Pd."}
    assert "Same NIK, titles in the name" in response.content.decode()


def test_rejecting_a_pair_keeps_the_records_apart_and_takes_it_off_the_queue(
    personas, planted, pair, login
):
    client = login(personas.prov_babel)
    client.post(reverse("dedup:pair_decide", args=[pair.pk]), {"decision": "reject"})
    pair.refresh_from_db()
    assert (pair.status, pair.decided_by) == ("rejected", personas.prov_babel)
    assert not EntityMember.objects.filter(person__in=[pair.left, pair.right]).exists()
    assert list(client.get(reverse("dedup:review_queue")).context["page"]) == []


def test_after_a_decision_the_next_waiting_pair_opens(personas, planted, pair, login):
    following = waiting_pair(planted["budi"], planted["budi_again"], probability=0.9)
    response = login(personas.prov_babel).post(
        reverse("dedup:pair_decide", args=[pair.pk]), {"decision": "reject"}
    )
    assert response["Location"] == reverse("dedup:pair_detail", args=[following.pk])
    rejected = str(PEOPLE_DECIDED["reject"])
    assert [str(m) for m in get_messages(response.wsgi_request)] == [rejected]


def test_a_decided_pair_says_who_decided_and_cannot_be_decided_again(personas, pair, login):
    services.pair_reject(user=personas.pusat, pair=pair)
    client = login(personas.prov_babel)
    response = client.get(reverse("dedup:pair_detail", args=[pair.pk]))
    page = response.content.decode()
    assert str(personas.pusat) in page and 'data-action="confirm"' not in page
    response = client.post(
        reverse("dedup:pair_decide", args=[pair.pk]), {"decision": "confirm"}, follow=True
    )
    assert str(services.PAIR_ALREADY_DECIDED) in [str(m) for m in response.context["messages"]]
    pair.refresh_from_db()
    assert pair.status == "rejected" and pair.decided_by == personas.pusat
    assert not EntityMember.objects.exists()


def test_entity_page_shows_the_golden_record_with_each_fields_source_and_rule(
    personas, planted, entity, login
):
    response = login(personas.prov_babel).get(reverse("dedup:entity_detail", args=[entity.pk]))
    fields = {field["field"]: field for field in response.context["fields"]}
    assert fields["nik"]["value"] == "1901014107800003"
    assert fields["nik"]["source"] in (planted["siti"], planted["siti_belitung"])
    assert str(fields["nik"]["rule"]) == str(RULE_LABELS[VALID_NIK])
    assert fields["birth_date"]["value"] == "1 Juli 1980"
    page = response.content.decode()
    assert reverse("registry:person_detail", args=[fields["nik"]["source"].pk]) in page
    assert len(response.context["members"]) == 3
    kinds = [event.kind for event in response.context["events"]]
    assert kinds.count(EntityEvent.Kind.CONFIRMED) == 3


def test_unmerging_a_record_takes_it_out_of_the_entity_and_records_the_event(
    personas, planted, entity, login
):
    belitung = planted["siti_belitung"]
    client = login(personas.prov_babel)
    response = client.post(
        reverse("dedup:entity_unmerge", args=[entity.pk, belitung.pk]),
        {"note": "Another Siti in Belitung"},
    )
    assert response["Location"] == reverse("dedup:entity_detail", args=[entity.pk])
    response = client.get(response["Location"])
    assert belitung not in response.context["members"]
    assert len(response.context["members"]) == 2
    event = response.context["events"][-1]
    assert (event.kind, event.person, event.actor, event.note) == (
        EntityEvent.Kind.UNMERGED,
        belitung,
        personas.prov_babel,
        "Another Siti in Belitung",
    )


def test_unmerging_a_record_of_another_entity_is_refused(personas, planted, entity, login):
    budi = planted["budi"]
    response = login(personas.prov_babel).post(
        reverse("dedup:entity_unmerge", args=[entity.pk, budi.pk]), follow=True
    )
    assert str(services.NOT_A_MEMBER) in [str(m) for m in response.context["messages"]]
    assert entity.members.count() == 3


def test_a_pair_already_in_one_entity_sends_a_rejection_to_the_entity_page(
    personas, pair, entity, login
):
    page = login(personas.prov_babel).get(reverse("dedup:pair_detail", args=[pair.pk]))
    page = page.content.decode()
    assert 'data-action="confirm"' in page and 'data-action="reject"' not in page
    assert reverse("dedup:entity_detail", args=[entity.pk]) in page


def test_a_national_run_is_listed_as_national_to_central_officers(personas, planted, login):
    services.run_start(user=personas.pusat)
    [run] = login(personas.pusat).get(reverse("dedup:run_list")).context["page"]
    assert run.scope_name == NATIONAL
    assert list(login(personas.prov_babel).get(reverse("dedup:run_list")).context["page"]) == []


def test_a_rejection_with_a_note_keeps_the_note_on_the_pair_page(personas, pair, login):
    client = login(personas.prov_babel)
    client.post(
        reverse("dedup:pair_decide", args=[pair.pk]),
        {"decision": "reject", "note": "Different mothers' names"},
    )
    pair.refresh_from_db()
    assert (pair.status, pair.note) == ("rejected", "Different mothers' names")
    page = client.get(reverse("dedup:pair_detail", args=[pair.pk])).content.decode()
    assert "Different mothers&#x27; names" in page


def test_rejecting_a_pair_already_in_one_entity_points_to_unmerging(
    personas, planted, finished_run, login
):
    # The run links Siti's three records through two certain pairs; the third pair, less
    # certain, still waits, though its records are already one entity.
    waiting = MatchPair.objects.get(
        left=planted["siti_again"], right=planted["siti_belitung"], status="review"
    )
    entity = selectors.entity_of_person(user=personas.prov_babel, person=planted["siti"])
    client = login(personas.prov_babel)
    response = client.post(
        reverse("dedup:pair_decide", args=[waiting.pk]),
        {"decision": "reject", "note": "Two people"},
        follow=True,
    )
    assert response.redirect_chain == [(reverse("dedup:pair_detail", args=[waiting.pk]), 302)]
    assert [str(m) for m in response.context["messages"]] == [str(services.ALREADY_ONE_ENTITY)]
    assert reverse("dedup:entity_detail", args=[entity.pk]) in response.content.decode()
    waiting.refresh_from_db()
    assert (waiting.status, waiting.note) == ("review", "")


def test_run_page_shows_the_business_counts(personas, planted_businesses, finished_run, login):
    assert (finished_run.business_pairs, finished_run.business_linked) == (1, 1)
    response = login(personas.prov_babel).get(reverse("dedup:run_detail", args=[finished_run.pk]))
    page = response.content.decode()
    assert '<dd data-count="business_pairs">1</dd>' in page
    assert '<dd data-count="business_linked">1</dd>' in page
    assert '<dd data-count="business_to_review">0</dd>' in page


def test_review_queue_lists_business_pairs_on_their_own_tab(
    personas, planted_businesses, pair, business_pair, login
):
    linked = waiting_business_pair(
        planted_businesses["warung"], planted_businesses["jahit"], 0.99, "linked"
    )
    client = login(personas.prov_babel)
    response = client.get(reverse("dedup:business_review_queue"))
    [listed] = response.context["page"]
    assert listed.pk == business_pair.pk != linked.pk
    assert (response.context["waiting"], response.context["business_waiting"]) == (1, 1)
    page = response.content.decode()
    assert "UD Keroepoek Ikan Bu Siti" in page and "81,0%" in page
    assert "Bangka" in listed.left.place and "Belitung" in listed.right.place
    assert reverse("dedup:business_pair_detail", args=[business_pair.pk]) in page
    assert reverse("dedup:pair_detail", args=[pair.pk]) not in page
    people = client.get(reverse("dedup:review_queue")).content.decode()
    assert reverse("dedup:business_review_queue") in people
    assert reverse("dedup:business_pair_detail", args=[business_pair.pk]) not in people


def test_business_pair_page_shows_both_businesses_with_differences_and_logs_both_owners(
    personas, planted, planted_businesses, business_pair, login
):
    response = login(personas.prov_babel).get(
        reverse("dedup:business_pair_detail", args=[business_pair.pk])
    )
    differs = {row["field"] for row in response.context["rows"] if row["differs"]}
    assert differs == {"name", "owner__name", "village_code"}
    page = response.content.decode()
    assert "Kerupuk Ikan Bu Siti" in page and "UD Keroepoek Ikan Bu Siti" in page
    assert '<tr class="differs" data-field="name">' in page
    assert '<tr data-field="owner__nik">' in page
    assert page.count("≠") == 3
    assert "1901014107800003" in page
    for business in planted_businesses["kerupuk"], planted_businesses["kerupuk_again"]:
        assert reverse("registry:business_detail", args=[business.pk]) in page
    logged = AccessLog.objects.filter(user=personas.prov_babel, object_type="registry.person")
    assert set(logged.values_list("object_id", flat=True)) == {
        str(planted["siti"].pk),
        str(planted["siti_belitung"].pk),
    }


def test_business_pair_page_masks_the_owners_nik_and_phone_for_roles_without_personal_data(
    personas, business_pair, login, without_personal_data
):
    page = login(personas.prov_babel).get(
        reverse("dedup:business_pair_detail", args=[business_pair.pk])
    )
    page = page.content.decode()
    assert "1901014107800003" not in page and "1901********0003" in page
    assert "+6281234567890" not in page and "+62812*****890" in page


def test_confirming_a_business_pair_keeps_the_note_and_opens_the_next_waiting_pair(
    personas, planted_businesses, business_pair, login
):
    following = waiting_business_pair(
        planted_businesses["warung"], planted_businesses["jahit"], probability=0.9
    )
    client = login(personas.prov_babel)
    response = client.post(
        reverse("dedup:business_pair_decide", args=[business_pair.pk]),
        {"decision": "confirm", "note": "Same WhatsApp, old spelling"},
    )
    assert response["Location"] == reverse("dedup:business_pair_detail", args=[following.pk])
    confirmed = str(BUSINESSES_DECIDED["confirm"])
    assert [str(m) for m in get_messages(response.wsgi_request)] == [confirmed]
    business_pair.refresh_from_db()
    assert (business_pair.status, business_pair.decided_by, business_pair.note) == (
        "confirmed",
        personas.prov_babel,
        "Same WhatsApp, old spelling",
    )
    page = client.get(reverse("dedup:business_pair_detail", args=[business_pair.pk]))
    page = page.content.decode()
    assert "Same WhatsApp, old spelling" in page and 'data-action="confirm"' not in page


def test_rejecting_the_last_business_pair_returns_to_the_business_queue(
    personas, business_pair, login
):
    client = login(personas.prov_babel)
    response = client.post(
        reverse("dedup:business_pair_decide", args=[business_pair.pk]),
        {"decision": "reject", "note": "Two stalls of one family"},
    )
    assert response["Location"] == reverse("dedup:business_review_queue")
    business_pair.refresh_from_db()
    assert (business_pair.status, business_pair.note) == ("rejected", "Two stalls of one family")
    response = client.post(
        reverse("dedup:business_pair_decide", args=[business_pair.pk]),
        {"decision": "confirm"},
        follow=True,
    )
    assert str(services.PAIR_ALREADY_DECIDED) in [str(m) for m in response.context["messages"]]
    assert BusinessPair.objects.get(pk=business_pair.pk).status == "rejected"


def test_entity_page_lists_sitis_businesses_and_marks_the_duplicate(
    personas, planted, planted_businesses, finished_run, login
):
    entity = selectors.entity_of_person(user=personas.prov_babel, person=planted["siti"])
    duplicate = BusinessPair.objects.get(status="linked")
    response = login(personas.prov_babel).get(reverse("dedup:entity_detail", args=[entity.pk]))
    listed = {
        business.name: business
        for person in response.context["members"]
        for business in person.business_list
    }
    assert set(listed) == {"Kerupuk Ikan Bu Siti", "UD Keroepoek Ikan Bu Siti"}
    for business in listed.values():
        assert [d["pair"] for d in business.duplicates] == [duplicate]
    page = response.content.decode()
    assert page.count(f'data-business-pair="{duplicate.pk}"') == 2
    assert reverse("dedup:business_pair_detail", args=[duplicate.pk]) in page
    assert "Warung Kopi Budi" not in page


def test_entity_page_says_when_no_business_is_recorded(personas, planted, login):
    entity = services.entity_of(person=planted["rina"])
    response = login(personas.prov_babel).get(reverse("dedup:entity_detail", args=[entity.pk]))
    assert response.context["has_businesses"] is False
    assert "data-business=" not in response.content.decode()


def test_a_run_can_be_repeated_with_its_saved_parameters(personas, finished_run, login):
    client = login(personas.prov_babel)
    response = client.post(reverse("dedup:run_repeat", args=[finished_run.pk]))
    repeat = DedupRun.objects.exclude(pk=finished_run.pk).get()
    assert response.url == reverse("dedup:run_detail", args=[repeat.pk])
    assert repeat.repeats == finished_run
    assert repeat.model == finished_run.model
    assert (repeat.province_code, repeat.threshold) == ("19", finished_run.threshold)


def test_another_province_cannot_repeat_babels_run(prov_jateng, finished_run, login):
    response = login(prov_jateng).post(reverse("dedup:run_repeat", args=[finished_run.pk]))
    assert response.status_code == 404
    assert DedupRun.objects.count() == 1
