"""Runs over a province: planted duplicates become entities, decisions stick, scope holds."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from pulih.dedup import services
from pulih.dedup.models import DedupRun, Entity, EntityEvent, MatchPair
from pulih.dedup.selectors import cluster_review_queue, run_list
from pulih.registry.services import person_create

pytestmark = pytest.mark.django_db


def run_over(province="19", **kwargs):
    run = DedupRun.objects.create(
        province_code=province,
        threshold=kwargs.get("threshold", services.THRESHOLD),
        review_floor=kwargs.get("review_floor", services.REVIEW_FLOOR),
    )
    return services.run_execute(run=run)


def entity_of(person):
    return Entity.objects.filter(members__person=person).first()


def test_run_joins_planted_duplicates_into_entities(planted):
    run = run_over()
    assert run.status == DedupRun.Status.DONE
    assert run.records == 7
    siti = entity_of(planted["siti"])
    assert siti is not None
    assert entity_of(planted["siti_belitung"]) == siti
    assert entity_of(planted["budi"]) == entity_of(planted["budi_again"]) is not None
    assert entity_of(planted["rina"]) is None
    assert entity_of(planted["other_siti"]) != siti


def test_golden_record_keeps_the_source_of_each_field(planted):
    run_over()
    golden = entity_of(planted["siti"]).golden
    assert golden["nik"]["value"] == "1901014107800003"
    assert golden["nik"]["rule"] == "valid_nik"
    assert golden["name"]["value"] == "Siti Aminah"
    assert golden["birth_date"] == {
        "value": "1980-07-01",
        "source": golden["birth_date"]["source"],
        "rule": "agrees_with_nik",
    }
    assert golden["phone"]["source"] in (planted["siti"].pk, planted["siti_again"].pk)


def test_province_run_reads_only_its_province(planted, personas, prov_jateng):
    from pulih.wilayah.models import Village

    village = Village.objects.filter(code__startswith="33.01.").first().code
    outsider = person_create(
        user=personas.pusat,
        village_code=village,
        name="Siti Aminah",
        nik="1901014107800003",
    )
    run = run_over()
    assert run.records == 7
    assert not MatchPair.objects.filter(left=outsider).exists()
    assert not MatchPair.objects.filter(right=outsider).exists()
    assert entity_of(outsider) is None


def test_pairs_in_the_uncertain_band_wait_for_review(planted, personas):
    run_over(threshold=0.999999, review_floor=0.01)
    queue = cluster_review_queue(user=personas.prov_babel)
    assert queue.exists()
    assert all(0.01 <= pair.probability < 0.999999 for pair in queue)


def pair_of(a, b):
    return MatchPair.objects.get(left_id=min(a.pk, b.pk), right_id=max(a.pk, b.pk))


def test_confirm_joins_and_reject_keeps_apart_across_runs(planted, personas):
    # Everything goes to review: nothing is linked without a human.
    run_over(threshold=1.01, review_floor=0.01)
    assert not Entity.objects.exists()
    same = pair_of(planted["budi"], planted["budi_again"])
    services.pair_confirm(user=personas.prov_babel, pair=same)
    assert entity_of(planted["budi"]) == entity_of(planted["budi_again"]) is not None
    different = pair_of(planted["siti"], planted["siti_again"])
    services.pair_reject(user=personas.prov_babel, pair=different)
    with pytest.raises(ValidationError):
        services.pair_confirm(user=personas.prov_babel, pair=different)
    # A later run with an ordinary threshold keeps both decisions.
    run_over()
    same.refresh_from_db()
    different.refresh_from_db()
    assert (same.status, different.status) == (
        MatchPair.Status.CONFIRMED,
        MatchPair.Status.REJECTED,
    )
    assert same.decided_by == personas.prov_babel


def test_unmerge_is_logged_and_a_later_run_does_not_rejoin(planted, personas):
    run_over()
    entity = entity_of(planted["siti"])
    services.entity_unmerge(
        user=personas.prov_babel, entity=entity, person=planted["siti_belitung"], note="beda orang"
    )
    assert entity_of(planted["siti_belitung"]) is None
    event = entity.events.get(kind=EntityEvent.Kind.UNMERGED)
    assert (event.person, event.actor, event.note) == (
        planted["siti_belitung"],
        personas.prov_babel,
        "beda orang",
    )
    run_over()
    assert entity_of(planted["siti_belitung"]) is None
    assert entity_of(planted["siti"]) == entity


def test_unmerging_the_last_record_is_refused(planted, personas):
    run_over()
    entity = entity_of(planted["budi"])
    services.entity_unmerge(user=personas.prov_babel, entity=entity, person=planted["budi"])
    with pytest.raises(ValidationError):
        services.entity_unmerge(
            user=personas.prov_babel, entity=entity, person=planted["budi_again"]
        )


def test_joining_two_entities_signals_the_merge_before_it_happens(planted):
    first = services.entity_of(person=planted["budi"])
    second = services.entity_of(person=planted["budi_again"])
    seen = []

    def listener(survivor, absorbed, **kwargs):
        # Still there when the signal comes: what refers to it can move to the survivor.
        seen.append((survivor.pk, absorbed, Entity.objects.filter(pk__in=absorbed).count()))

    services.entities_merging.connect(listener, weak=False)
    try:
        run_over()
    finally:
        services.entities_merging.disconnect(listener)
    survivor = entity_of(planted["budi"])
    assert survivor.pk == min(first.pk, second.pk)
    assert seen == [(survivor.pk, [max(first.pk, second.pk)], 1)]
    assert not Entity.objects.filter(pk=max(first.pk, second.pk)).exists()
    assert survivor.events.filter(kind=EntityEvent.Kind.MERGED).exists()


def test_province_officer_runs_only_their_province(personas):
    with pytest.raises(ValidationError):
        services.run_start(user=personas.prov_babel, province_code="33")
    run = services.run_start(user=personas.prov_babel)
    assert run.province_code == "19"
    assert list(run_list(user=personas.prov_babel)) == [run]


def test_regency_officers_cannot_start_runs(personas):
    with pytest.raises(PermissionDenied):
        services.run_start(user=personas.kab_bangka)


def test_review_band_must_start_below_the_threshold(personas):
    with pytest.raises(ValidationError):
        services.run_start(user=personas.pusat, threshold=0.6, review_floor=0.8)


def test_another_province_sees_no_runs_pairs_or_entities(planted, prov_jateng):
    run_over()
    assert not run_list(user=prov_jateng).exists()
    assert not MatchPair.objects.visible_to(prov_jateng).exists()
    assert not Entity.objects.visible_to(prov_jateng).exists()


def test_run_finds_one_business_recorded_by_two_regencies(planted, planted_businesses, personas):
    from pulih.dedup.models import BusinessPair
    from pulih.dedup.selectors import business_duplicates

    run = run_over()
    kerupuk, again = planted_businesses["kerupuk"], planted_businesses["kerupuk_again"]
    pair = BusinessPair.objects.get(
        left_id=min(kerupuk.pk, again.pk), right_id=max(kerupuk.pk, again.pk)
    )
    assert pair.status == BusinessPair.Status.LINKED
    assert pair.regency_code == ""  # two regencies: the province and the centre see it
    assert pair.province_code == "19"
    assert run.business_linked == 1
    linked = BusinessPair.objects.filter(status=BusinessPair.Status.LINKED)
    assert {planted_businesses["warung"].pk, planted_businesses["jahit"].pk}.isdisjoint(
        {p.left_id for p in linked} | {p.right_id for p in linked}
    )
    entity = entity_of(planted["siti"])
    assert list(business_duplicates(user=personas.prov_babel, entity=entity)) == [pair]


def test_rejecting_a_pair_already_in_one_entity_points_to_unmerge(planted, personas):
    run_over()
    pair = pair_of(planted["siti"], planted["siti_again"])
    pair.status = MatchPair.Status.REVIEW
    pair.save()
    with pytest.raises(ValidationError):
        services.pair_reject(user=personas.prov_babel, pair=pair)


def test_a_repeated_run_scores_with_the_saved_parameters(planted, personas):
    first = run_over(threshold=0.999999, review_floor=0.01)
    pair = MatchPair.objects.order_by("probability").first()
    assert pair.probability < 0.99
    # Parameters that make any two records far more likely one person than the packaged
    # model says: a run that reuses them must score the same pair higher.
    first.model["probability_two_random_records_match"] = 0.5
    first.save()
    repeat = services.run_start(
        user=personas.prov_babel, threshold=0.999999, review_floor=0.01, repeats=first
    )
    repeat = services.run_execute(run=repeat)
    assert repeat.repeats == first and not repeat.trained
    assert repeat.model["probability_two_random_records_match"] == 0.5
    assert MatchPair.objects.get(pk=pair.pk).probability > pair.probability
