"""The synthetic people of the record-linkage benchmarks: every truth group is one real
person living in a real village, and the extra records are spoiled as field data is."""

import csv
import re
import subprocess
import sys
from collections import Counter, defaultdict
from datetime import date
from pathlib import Path

import pytest
from bench.dedup_data import (
    CORRUPTIONS,
    EXCLUSIVE,
    PEOPLE_COLUMNS,
    generate_people,
    generate_people_labelled,
    villages,
)

from pulih.core.ids import parse_nik
from pulih.wilayah.data import region_index

ROOT = Path(__file__).resolve().parents[2]
SIZE = 2000
NAME_KINDS = {"name_typo", "old_spelling", "title", "muhammad", "name_order", "middle_name"}
# The fields each kind of corruption changes.
FIELDS = {
    **dict.fromkeys(NAME_KINDS, ("name",)),
    "nik_missing": ("nik",),
    "nik_typo": ("nik",),
    "birth_date_missing": ("birth_date",),
    "birth_date_swap": ("birth_date",),
    "birth_date_off": ("birth_date",),
    "phone_new": ("phone",),
    "phone_missing": ("phone",),
    "moved_village": ("village_code", "address"),
    "address_rewrite": ("address",),
    "business_variant": ("business_name",),
}
NIK_SEX = {"L": "M", "P": "F"}


@pytest.fixture(scope="module")
def records():
    """(row as a dict, corruptions) for SIZE rows."""
    rows, labels = generate_people_labelled(SIZE, seed=7)
    return [
        (dict(zip(PEOPLE_COLUMNS, row, strict=True)), kinds)
        for row, kinds in zip(rows, labels, strict=True)
    ]


@pytest.fixture(scope="module")
def people(records):
    """truth_id → the person's first record, and the list of their extra records."""
    firsts, extras = {}, defaultdict(list)
    for row, kinds in records:
        if kinds:
            extras[row["truth_id"]].append((row, kinds))
        else:
            assert row["truth_id"] not in firsts
            firsts[row["truth_id"]] = row
    return firsts, extras


@pytest.fixture(scope="module")
def many():
    """First records of a larger sample, for frequencies."""
    rows, labels = generate_people_labelled(20_000, seed=11)
    return [
        dict(zip(PEOPLE_COLUMNS, row, strict=True))
        for row, kinds in zip(rows, labels, strict=True)
        if not kinds
    ]


def test_it_gives_n_rows_in_column_order_with_unique_record_ids(records):
    assert len(records) == SIZE
    assert all(len(row) == len(PEOPLE_COLUMNS) for row, _ in records)
    record_ids = [row["record_id"] for row, _ in records]
    assert len(set(record_ids)) == SIZE
    assert all(re.fullmatch(r"r\d{6}", record_id) for record_id in record_ids)


def test_the_same_seed_gives_the_same_rows_and_another_seed_others():
    assert generate_people(300, seed=5) == generate_people(300, seed=5)
    assert generate_people(300, seed=5) != generate_people(300, seed=6)


def test_about_a_fifth_of_the_rows_are_extra_records_of_someone_already_there(records, people):
    firsts, extras = people
    share = (SIZE - len(firsts)) / SIZE
    assert 0.18 <= share <= 0.22
    assert set(extras) <= set(firsts)
    assert {len(rows) for rows in extras.values()} <= {1, 2, 3}
    assert len(set(generate_people(500, duplicate_share=0.0)[i][1] for i in range(500))) == 500


def test_an_impossible_duplicate_share_is_refused():
    with pytest.raises(ValueError, match="duplicate_share"):
        generate_people(10, duplicate_share=0.9)


def test_every_extra_record_has_one_to_three_corruptions_never_two_of_one_field(records):
    for _, kinds in records:
        assert len(kinds) <= 3
        assert len(set(kinds)) == len(kinds)
        for group in EXCLUSIVE:
            assert len(set(kinds) & set(group)) <= 1


def test_extra_records_include_every_kind_of_corruption(records):
    seen = Counter(kind for _, kinds in records for kind in kinds)
    assert set(seen) == set(CORRUPTIONS)


def test_every_truth_group_is_one_real_person(people):
    """What no corruption touched is the same in every record of a person."""
    firsts, extras = people
    for truth_id, first in firsts.items():
        for row, kinds in extras[truth_id]:
            touched = {field for kind in kinds for field in FIELDS[kind]}
            for field in ("name", "nik", "birth_date", "phone", "address", "business_name"):
                if field not in touched and first[field]:
                    assert row[field] == first[field], (field, first, row)
            if first["sex"]:
                assert row["sex"] == first["sex"]
            assert row["village_code"][:5] == first["village_code"][:5]
            if "moved_village" not in kinds:
                assert row["village_code"] == first["village_code"]


def test_each_corruption_changes_the_field_it_names(people):
    firsts, extras = people
    for truth_id, rows in extras.items():
        first = firsts[truth_id]
        for row, kinds in rows:
            for kind in kinds:
                field = FIELDS[kind][0]
                if first[field] or field in ("name", "village_code"):
                    assert row[field] != first[field], (kind, first, row)
            if "nik_missing" in kinds:
                assert row["nik"] == ""
            if "birth_date_missing" in kinds:
                assert row["birth_date"] == ""
            if "phone_missing" in kinds:
                assert row["phone"] == ""


def test_a_mistyped_nik_differs_by_one_digit_or_two_swapped_neighbours(people):
    firsts, extras = people
    checked = 0
    for truth_id, rows in extras.items():
        clean = firsts[truth_id]["nik"]
        for row, kinds in rows:
            if "nik_typo" in kinds and clean:
                typo = row["nik"]
                assert re.fullmatch(r"\d{16}", typo)
                diff = [i for i in range(16) if typo[i] != clean[i]]
                swapped = (
                    len(diff) == 2 and diff[1] == diff[0] + 1 and sorted(typo) == sorted(clean)
                )
                assert len(diff) == 1 or swapped
                checked += 1
    assert checked


def test_clean_niks_validate_and_agree_with_birth_date_sex_and_district(records):
    regions, checked = region_index(), 0
    for row, kinds in records:
        if not row["nik"] or "nik_typo" in kinds:
            continue
        result = parse_nik(row["nik"], regions=regions)
        assert result.valid and not result.warnings, (row, result.errors, result.warnings)
        if row["birth_date"] and not {"birth_date_swap", "birth_date_off"} & set(kinds):
            assert result.birth_date == date.fromisoformat(row["birth_date"])
        if row["sex"]:
            assert result.sex == NIK_SEX[row["sex"]]
        if "moved_village" not in kinds:
            assert result.district_code == row["village_code"][:8]
        assert 1950 <= result.birth_date.year <= 2004
        checked += 1
    assert checked > SIZE * 0.7


def test_no_two_people_share_a_nik(records):
    owners = defaultdict(set)
    for row, kinds in records:
        if row["nik"] and "nik_typo" not in kinds:
            owners[row["nik"]].add(row["truth_id"])
    assert all(len(truth_ids) == 1 for truth_ids in owners.values())


def test_fields_have_their_formats(records):
    known = set(villages().codes)
    for row, _ in records:
        assert re.fullmatch(r"(\d{16})?", row["nik"])
        assert re.fullmatch(r"(\d{4}-\d{2}-\d{2})?", row["birth_date"])
        if row["birth_date"]:
            date.fromisoformat(row["birth_date"])
        assert row["sex"] in ("L", "P", "")
        assert re.fullmatch(r"(\+628\d{9,10})?", row["phone"])
        assert row["village_code"] in known
        assert re.fullmatch(r"\d{2}\.\d{2}\.\d{2}\.\d{4}", row["village_code"])


def test_first_records_are_as_incomplete_as_field_data(many):
    def blank(field):
        return sum(1 for row in many if not row[field]) / len(many)

    assert 0.08 <= blank("phone") <= 0.12
    assert 0.04 <= blank("birth_date") <= 0.06
    assert 0.02 <= blank("nik") <= 0.04
    assert blank("address") < 0.05
    assert blank("name") == 0


def test_people_live_all_over_indonesia_and_most_in_java(many):
    provinces = Counter(row["village_code"][:2] for row in many)
    assert len(provinces) >= 34
    java = sum(provinces[code] for code in ("31", "32", "33", "34", "35", "36"))
    assert 0.45 <= java / len(many) <= 0.65
    assert provinces["32"] > provinces["12"] > provinces["51"]


def test_names_follow_the_province(many):
    def share(province, pattern):
        names = [row["name"] for row in many if row["village_code"].startswith(province)]
        return sum(1 for name in names if re.search(pattern, name)) / len(names)

    assert share("51", r"^(I|Ni|Ida|Anak Agung) ") > 0.8
    assert share("12", r" (Siregar|Nasution|Simanjuntak|Harahap|Lubis|Sinaga|Situmorang)$") > 0.1
    assert share("33", r"^(I|Ni) ") < 0.01


def test_sex_agrees_with_gendered_names(many):
    for row in many:
        name, sex = row["name"], row["sex"]
        if not sex:
            continue
        if name.startswith(("Siti ", "Sri ", "Ni ", "Nur Hidayah", "I Gusti Ayu ", "Ida Ayu ")):
            assert sex == "P", row
        elif name.startswith(("Muhammad ", "Ahmad ", "Abdul ", "I Wayan ", "I Made ", "Teuku ")):
            assert sex == "L", row


def test_common_names_are_shared_by_many_people(many):
    names = Counter(row["name"] for row in many)
    shared = sum(count for count in names.values() if count > 1)
    assert shared / len(many) > 0.3
    assert names.most_common(1)[0][1] >= 20


def test_hard_negatives_are_different_people(many):
    """Family members share address and phone, twins also the birth date; namesakes live
    in the same regency. None of them share a truth_id."""
    households = defaultdict(set)
    births = defaultdict(set)
    namesakes = defaultdict(set)
    for row in many:
        if row["address"] and row["phone"]:
            households[row["village_code"], row["address"], row["phone"]].add(row["name"])
        if row["address"] and row["birth_date"]:
            births[row["village_code"], row["address"], row["birth_date"]].add(row["name"])
        namesakes[row["village_code"][:5], row["name"]].add(row["truth_id"])
    assert sum(1 for names in households.values() if len(names) > 1) > 100
    assert sum(1 for names in births.values() if len(names) > 1) > 10
    assert sum(1 for truth_ids in namesakes.values() if len(truth_ids) > 1) > 300


def test_families_share_their_surname(many):
    """A Batak household shares its marga."""
    households = defaultdict(list)
    for row in many:
        if row["village_code"].startswith("12") and row["address"]:
            households[row["village_code"], row["address"]].append(row["name"].split()[-1])
    families = [surnames for surnames in households.values() if len(surnames) > 1]
    assert families
    shared = sum(1 for surnames in families if len(set(surnames)) == 1)
    assert shared / len(families) > 0.5


def test_the_command_line_writes_a_header_and_n_rows(tmp_path):
    out = tmp_path / "people.csv"
    command = [sys.executable, "-m", "bench.dedup_data", "--size", "500", "--seed", "3"]
    done = subprocess.run(
        [*command, "--out", str(out)], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert "500 rows" in done.stdout
    with out.open(encoding="utf-8", newline="") as f:
        header, *rows = list(csv.reader(f))
    assert tuple(header) == PEOPLE_COLUMNS
    assert len(rows) == 500
    assert [tuple(row) for row in rows] == generate_people(500, seed=3)
