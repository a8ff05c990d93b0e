"""Field-level survivorship: which member record gives each field of an entity's golden
record, and why. The source of every field is kept so an officer can check it."""

from collections import Counter

from pulih.core.ids import parse_nik

# Rules, in the words shown to officers (translated in templates through RULE_LABELS).
VALID_NIK = "valid_nik"
AGREES_WITH_NIK = "agrees_with_nik"
MOST_COMMON = "most_common"
MOST_RECENT = "most_recent"

RECENT_FIELDS = ("phone", "address", "village_code")


def golden_record(people):
    """The golden record of `people` (Person objects of one entity)."""
    people = sorted(people, key=lambda p: (p.updated_at, p.pk), reverse=True)
    golden = {}
    nik = _nik(people)
    if nik:
        golden["nik"] = nik
    decoded = parse_nik(nik["value"]) if nik else None
    golden["name"] = _name(people)
    for field, from_nik in (("birth_date", "birth_date"), ("sex", "sex")):
        agreeing = decoded and getattr(decoded, from_nik)
        chosen = None
        if agreeing:
            chosen = next((p for p in people if getattr(p, field) == agreeing), None)
        if chosen:
            golden[field] = _value(chosen, field, AGREES_WITH_NIK)
        elif value := _most_common(people, field):
            golden[field] = value
    for field in RECENT_FIELDS:
        chosen = next((p for p in people if getattr(p, field)), None)
        if chosen:
            golden[field] = _value(chosen, field, MOST_RECENT)
    return {k: v for k, v in golden.items() if v}


def _value(person, field, rule):
    value = getattr(person, field)
    return {
        "value": value.isoformat() if hasattr(value, "isoformat") else value,
        "source": person.pk,
        "rule": rule,
    }


def _name(people):
    """The written form of the most common compared name (titles and spellings set
    aside); among its forms, the most common, then the shortest (fewest titles)."""
    keys = Counter(p.name_key for p in people if p.name)
    if not keys:
        return None
    key = keys.most_common(1)[0][0]
    forms = Counter(p.name for p in people if p.name and p.name_key == key)
    name = min(forms, key=lambda form: (-forms[form], len(form)))
    source = next(p for p in people if p.name == name)
    return {"value": name, "source": source.pk, "rule": MOST_COMMON}


def _nik(people):
    valid = [p for p in people if p.nik and p.nik_valid]
    if valid:
        return _most_common(valid, "nik", VALID_NIK)
    return _most_common(people, "nik")


def _most_common(people, field, rule=MOST_COMMON):
    """The most frequent non-empty value; ties go to the most recently updated record
    (`people` is newest first and Counter keeps first-seen order among equals)."""
    counts = Counter(getattr(p, field) for p in people if getattr(p, field))
    if not counts:
        return None
    value = counts.most_common(1)[0][0]
    source = next(p for p in people if getattr(p, field) == value)
    return _value(source, field, rule)
