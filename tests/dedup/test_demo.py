"""The demo's deduplication of Bangka Belitung."""

import pytest
from django.db.models import Count

from pulih.dedup.demo import dedup_demo_create
from pulih.dedup.models import DedupRun, Entity, MatchPair
from pulih.registry.demo import registry_demo_create
from pulih.registry.models import Person

pytestmark = pytest.mark.django_db


def test_demo_joins_people_registered_in_two_regencies(personas):
    registry_demo_create()
    run, ran = dedup_demo_create()
    assert ran and run.status == DedupRun.Status.DONE
    assert run.created_by == personas.prov_babel
    # Each person the demo registered twice (same NIK, another regency) is one entity, or
    # waits for a reviewer when the name was spoilt beyond recognition ("Eko" / "Eo").
    twice = (
        Person.objects.filter(province_code="19", nik_valid=True)
        .values("nik")
        .annotate(n=Count("pk"))
        .filter(n=2)
    )
    assert twice.count() >= 30
    for row in twice:
        left, right = sorted(Person.objects.filter(nik=row["nik"]).values_list("pk", flat=True))
        entities = {Entity.objects.filter(members__person=pk).first() for pk in (left, right)}
        joined = len(entities) == 1 and None not in entities
        waiting = MatchPair.objects.filter(
            left_id=left, right_id=right, status=MatchPair.Status.REVIEW
        ).exists()
        assert joined or waiting
    assert MatchPair.objects.visible_to(personas.prov_babel).count() == run.pairs


def test_demo_runs_only_once(personas):
    registry_demo_create()
    first, _ = dedup_demo_create()
    again, ran = dedup_demo_create()
    assert (again, ran) == (first, False)
