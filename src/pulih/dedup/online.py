"""The online duplicate check: while a record is entered or imported, find the existing
records that may be the same person and score them with the saved model.

Candidates come from indexed blocking keys only (NIK, its region-and-birth prefix,
phone, normalised name with birth date or district, district with birth date), a few
index lookups whatever the registry's size. Candidates outside the user's scope are
counted, never shown.
"""

import logging
import threading
from dataclasses import dataclass

from django.db.models import Q
from splink import Linker

from pulih.core.ids import parse_phone
from pulih.core.scope import region_codes
from pulih.core.text import name_key
from pulih.registry.models import Person

from .engine import database_api, default_model, table
from .features import FIELDS, PERSON_COLUMNS, person_row
from .models import DedupRun

PER_KEY = 50
SHOWN_FROM = 0.5
_local = threading.local()
_VALUES = ("pk", "nik", "name", "birth_date", "sex", "phone", "address", "village_code")


@dataclass
class Candidate:
    person: Person
    probability: float


@dataclass
class CheckResult:
    candidates: list  # Candidate, most likely first, inside the user's scope
    elsewhere: int  # likely duplicates outside the user's scope


def saved_model(user):
    """The model of the latest finished run covering the user's province, else of the
    nation, else the packaged one."""
    runs = DedupRun.objects.filter(status=DedupRun.Status.DONE).exclude(model={})
    province = user.province_code or region_codes(user.regency_code)["province_code"]
    run = (
        runs.filter(province_code=province).order_by("-finished_at").first() if province else None
    ) or runs.filter(province_code="").order_by("-finished_at").first()
    return (run.pk, run.model) if run else (0, default_model())


def _scorer(model_key, model):
    """A linker (and its database) per thread and model: DuckDB connections are not
    shared across threads."""
    cache = getattr(_local, "linkers", None)
    if cache is None:
        cache = _local.linkers = {}
    if model_key not in cache:
        cache.clear()
        db_api = database_api()
        empty = db_api.register(table([]))
        cache[model_key] = (Linker(empty, model, log_level=logging.WARNING), db_api)
    return cache[model_key]


def candidate_rows(record, *, exclude_pk=None):
    """Existing records sharing a blocking key with `record` (a dict keyed by `FIELDS`)."""
    nik = "".join(ch for ch in str(record.get("id_number") or "") if ch.isdigit())
    key = name_key(record.get("name"))
    birth = record.get("birth_date") or None
    district = region_codes(record.get("region") or "")["district_code"]
    phone = parse_phone(record.get("phone") or "").e164
    lookups = []
    if nik:
        lookups.append(Q(nik=nik))
    if len(nik) == 16:
        lookups.append(Q(nik__gte=nik[:12], nik__lt=nik[:12] + ":"))
    if phone:
        lookups.append(Q(phone=phone))
    if key and birth:
        lookups.append(Q(name_key=key, birth_date=birth))
    if key and district:
        lookups.append(Q(name_key=key, district_code=district))
    if district and birth:
        lookups.append(Q(district_code=district, birth_date=birth))
    found = {}
    for lookup in lookups:
        people = Person.objects.filter(lookup)
        if exclude_pk:
            people = people.exclude(pk=exclude_pk)
        for values in people.values_list(*_VALUES)[:PER_KEY]:
            found[values[0]] = values
    return list(found.values())


def candidates_for(*, user, record, exclude_pk=None, limit=5):
    """Likely duplicates of `record` (a dict keyed by `FIELDS`)."""
    rows = candidate_rows(record, exclude_pk=exclude_pk)
    if not rows:
        return CheckResult([], 0)
    model_key, model = saved_model(user)
    scored = score(model_key, model, record, rows)
    likely = {pk: p for pk, p in scored.items() if p >= SHOWN_FROM}
    visible = Person.objects.visible_to(user).filter(pk__in=likely).in_bulk()
    candidates = sorted(
        (Candidate(visible[pk], p) for pk, p in likely.items() if pk in visible),
        key=lambda c: -c.probability,
    )
    return CheckResult(candidates[:limit], len(likely) - len(visible))


def score(model_key, model, record, rows):
    """Match probability of `record` against each candidate row, by person pk."""
    left = dict(zip(PERSON_COLUMNS, person_row("new", record), strict=True))
    right = [
        dict(
            zip(
                PERSON_COLUMNS,
                person_row(str(v[0]), dict(zip(FIELDS, v[1:], strict=True))),
                strict=True,
            )
        )
        for v in rows
    ]
    linker, _ = _scorer(model_key, model)
    scored = linker.inference.score_pairs([left], right).as_pyarrow_table()
    ids = scored.column("unique_id_r").to_pylist()
    probabilities = scored.column("match_probability").to_pylist()
    return {int(pk): p for pk, p in zip(ids, probabilities, strict=True)}


def candidates_for_rows(*, user, records):
    """Likely duplicates for many records at once (an import's rows): candidates come from
    a few set-based queries and are scored in one pass. Returns {index: CheckResult} for
    the records that have any."""
    rows = [person_row(str(i), record) for i, record in enumerate(records)]
    existing = _existing_sharing_keys(rows)
    if not existing:
        return {}
    model_key, model = saved_model(user)
    linker, db_api = _scorer(model_key, model)
    new = db_api.register(table(rows))
    old = db_api.register(
        table([person_row(v[0], dict(zip(FIELDS, v[1:], strict=True))) for v in existing])
    )
    try:
        scored = linker.inference.predict_between(
            new, old, threshold_match_probability=SHOWN_FROM
        ).as_pyarrow_table()
    finally:
        for registered in (new, old):
            registered.drop_table_from_database_and_remove_from_cache(force_non_splink_table=True)
    by_record = {}
    for index, pk, probability in zip(
        scored.column("unique_id_l").to_pylist(),
        scored.column("unique_id_r").to_pylist(),
        scored.column("match_probability").to_pylist(),
        strict=True,
    ):
        by_record.setdefault(int(index), {})[int(pk)] = probability
    visible = Person.objects.visible_to(user).in_bulk(
        {pk for found in by_record.values() for pk in found}
    )
    results = {}
    for index, found in by_record.items():
        shown = sorted(
            (Candidate(visible[pk], p) for pk, p in found.items() if pk in visible),
            key=lambda c: -c.probability,
        )
        results[index] = CheckResult(shown, len(found) - len(shown))
    return results


def _existing_sharing_keys(rows):
    """Existing people sharing a NIK or a phone with any of `rows`, or a normalised name
    with a birth date or a district (a name alone would bring every Slamet)."""
    columns = dict(zip(PERSON_COLUMNS, zip(*rows, strict=True), strict=True))
    keys = {k for k in columns["name_key"] if k}
    lookups = (
        ({"nik__in": {n for n in columns["nik"] if n}}, None),
        ({"phone__in": {f"+62{p}" for p in columns["phone"] if p}}, None),
        ({"name_key__in": keys}, {"birth_date__in": {b for b in columns["birth_date"] if b}}),
        ({"name_key__in": keys}, {"district_code__in": {d for d in columns["district"] if d}}),
    )
    found = {}
    for lookup, narrowing in lookups:
        ((field, values),) = lookup.items()
        if not values or (narrowing and not next(iter(narrowing.values()))):
            continue
        values = sorted(values)
        for start in range(0, len(values), 500):
            people = Person.objects.filter(**{field: values[start : start + 500]})
            if narrowing:
                people = people.filter(**narrowing)
            for person in people.values_list(*_VALUES):
                found[person[0]] = person
    return list(found.values())
