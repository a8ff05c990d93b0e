"""Indonesian ID numbers: every rejection names its rule, nothing is silently fixed."""

import json
import string
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pulih.core.ids import (
    MESSAGES,
    PROVINCE_CODES,
    Problem,
    mask_nik,
    mask_phone,
    parse_nib,
    parse_nik,
    parse_nip,
    parse_phone,
    problems_text,
)

TODAY = date.today()


class FakeRegions:
    """A handful of Kemendagri regions, including Merauke's move from Papua (91) in 2022."""

    provinces = {"19": "Kepulauan Bangka Belitung", "91": "Papua", "93": "Papua Selatan"}
    regencies = {"19.01": "Kabupaten Bangka", "93.01": "Kabupaten Merauke"}
    districts = {"19.01.01": "Sungailiat", "93.01.01": "Merauke"}
    retired = {"91.01": "93.01"}

    def has_province(self, code):
        return code in self.provinces

    def has_regency(self, code):
        return code in self.regencies

    def has_district(self, code):
        return code in self.districts

    def retired_regency(self, code):
        return self.retired.get(code)

    def province_name(self, code):
        return self.provinces.get(code)

    def regency_name(self, code):
        return self.regencies.get(code)

    def district_name(self, code):
        return self.districts.get(code)


def codes(problems):
    return [p.code for p in problems]


def all_problems(result):
    return result.errors + result.warnings


# --- NIK: hand-picked cases ---------------------------------------------------------------


def test_man_nik_decodes_region_birth_date_sex_and_serial():
    result = parse_nik("1901011204850003")

    assert result.valid
    assert result.errors == result.warnings == []
    assert result.province_code == "19"
    assert result.regency_code == result.current_regency_code == "19.01"
    assert result.district_code == "19.01.01"
    assert result.birth_date == date(1985, 4, 12)
    assert result.sex == "M"
    assert result.serial == "0003"


def test_woman_nik_day_has_forty_added():
    result = parse_nik("1901015204850003")

    assert result.valid
    assert result.birth_date == date(1985, 4, 12)
    assert result.sex == "F"


def test_leap_day_is_accepted_in_a_leap_year():
    result = parse_nik("1901012902000001")

    assert result.valid
    assert result.birth_date == date(2000, 2, 29)


def test_leap_day_is_rejected_in_a_common_year():
    result = parse_nik("1901016902990001")

    assert codes(result.errors) == ["nik_birth_date"]
    assert "29-02-1999" in result.errors[0].id
    assert result.birth_date is None
    assert result.sex == "F"


def test_thirty_first_of_april_is_rejected():
    result = parse_nik("1901013104900001")

    assert codes(result.errors) == ["nik_birth_date"]


@pytest.mark.parametrize("day", ["00", "32", "40", "72", "99"])
def test_birth_day_outside_both_ranges_is_rejected(day):
    result = parse_nik(f"190101{day}04850003")

    assert codes(result.errors) == ["nik_birth_day"]
    assert result.sex is None


@pytest.mark.parametrize("month", ["00", "13"])
def test_birth_month_outside_1_to_12_is_rejected(month):
    assert codes(parse_nik(f"19010112{month}850003").errors) == ["nik_birth_month"]


def test_birth_date_later_this_year_reads_as_the_previous_century():
    result = parse_nik("1901010206240003", today=date(2024, 6, 1))

    assert result.valid
    assert result.birth_date == date(1924, 6, 2)


def test_birth_date_earlier_this_year_reads_as_this_century():
    assert parse_nik("1901010106240003", today=date(2024, 6, 1)).birth_date == date(2024, 6, 1)


@pytest.mark.parametrize(("yy", "year"), [("00", 2000), ("24", 2024), ("25", 1925), ("99", 1999)])
def test_two_digit_year_takes_the_latest_century_not_after_this_year(yy, year):
    result = parse_nik(f"1901010101{yy}0003", today=date(2024, 12, 31))

    assert result.birth_date == date(year, 1, 1)


def test_serial_0000_is_rejected():
    assert codes(parse_nik("1901011204850000").errors) == ["nik_serial_zero"]


@pytest.mark.parametrize("province", ["00", "10", "20", "37", "54", "97", "99"])
def test_unknown_province_is_rejected_without_a_region_list(province):
    assert codes(parse_nik(f"{province}01011204850003").errors) == ["nik_province_unknown"]


def test_every_current_province_is_known_without_a_region_list():
    assert len(PROVINCE_CODES) == 38
    assert all(parse_nik(f"{code}01011204850003").valid for code in PROVINCE_CODES)


def test_unknown_province_is_rejected_by_the_region_list():
    result = parse_nik("1101011204850003", FakeRegions())

    assert codes(result.errors) == ["nik_province_unknown"]
    assert result.warnings == []


def test_regency_and_district_00_are_rejected():
    result = parse_nik("1900001204850003", FakeRegions())

    assert codes(result.errors) == ["nik_regency_zero", "nik_district_zero"]


def test_every_applicable_error_is_reported_at_once():
    result = parse_nik("9900007213990000")

    assert codes(result.errors) == [
        "nik_province_unknown",
        "nik_regency_zero",
        "nik_district_zero",
        "nik_birth_day",
        "nik_birth_month",
        "nik_serial_zero",
    ]


def test_wrong_length_says_how_many_digits_were_given():
    result = parse_nik("190101120485003")

    assert codes(result.errors) == ["nik_length"]
    assert result.errors[0].id == "NIK harus 16 digit angka (tertulis 15)."
    assert "got 15" in result.errors[0].en
    assert result.birth_date is None


def test_spaces_inside_a_nik_are_rejected_not_removed():
    result = parse_nik("1901 0112 0485 0003")

    assert codes(result.errors) == ["nik_not_digits"]
    assert result.value == "1901 0112 0485 0003"


def test_surrounding_whitespace_is_the_only_thing_stripped():
    result = parse_nik("  1901011204850003\n")

    assert result.valid
    assert result.value == "1901011204850003"


@pytest.mark.parametrize("value", ["1.90101E+15", "1,90101E+15", "1.90101e15"])
def test_excel_scientific_notation_is_named_with_advice(value):
    result = parse_nik(value)

    assert codes(result.errors) == ["nik_scientific_notation"]
    assert "notasi ilmiah" in result.errors[0].id
    assert "Teks" in result.errors[0].id
    assert "scientific notation" in result.errors[0].en
    assert "Text" in result.errors[0].en


def test_retired_regency_is_valid_with_a_warning_naming_its_successor():
    result = parse_nik("9101011204850003", FakeRegions())

    assert result.valid
    assert codes(result.warnings) == ["nik_regency_retired"]
    assert "93.01" in result.warnings[0].id
    assert "93.01" in result.warnings[0].en
    assert result.regency_code == "91.01"
    assert result.district_code == "91.01.01"
    assert result.current_regency_code == "93.01"
    assert result.regency_name == "Kabupaten Merauke"
    assert result.district_name == "Merauke"


def test_unknown_regency_is_flagged_not_rejected():
    result = parse_nik("1999011204850003", FakeRegions())

    assert result.valid
    assert codes(result.warnings) == ["nik_regency_unknown"]
    assert result.current_regency_code == "19.99"
    assert result.regency_name is None


def test_unknown_district_is_flagged_not_rejected():
    result = parse_nik("1901991204850003", FakeRegions())

    assert result.valid
    assert codes(result.warnings) == ["nik_district_unknown"]
    assert result.district_name is None


def test_unknown_district_of_a_retired_regency_is_looked_up_under_its_successor():
    result = parse_nik("9101021204850003", FakeRegions())

    assert codes(result.warnings) == ["nik_regency_retired", "nik_district_unknown"]
    assert "93.01.02" in result.warnings[1].en


def test_region_names_come_from_the_region_list():
    result = parse_nik("1901011204850003", FakeRegions())

    assert result.warnings == []
    assert result.province_name == "Kepulauan Bangka Belitung"
    assert result.regency_name == "Kabupaten Bangka"
    assert result.district_name == "Sungailiat"


def test_nik_result_is_json_ready():
    data = parse_nik("9101011204850000", FakeRegions()).to_dict()

    assert json.loads(json.dumps(data)) == data
    assert data["valid"] is False
    assert data["birth_date"] == "1985-04-12"
    assert data["errors"][0].keys() == {"code", "id", "en"}
    assert data["warnings"][0]["code"] == "nik_regency_retired"


def test_to_dict_with_a_language_adds_the_text_in_that_language():
    data = parse_nik("190101120485003").to_dict(language="en")

    assert data["errors"][0]["text"] == data["errors"][0]["en"]


# --- Problems ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("language", "expected"),
    [("id", "teks"), ("en", "text"), ("en-us", "text"), ("EN", "text"), (None, "teks")],
)
def test_problem_text_picks_english_for_any_english_language(language, expected):
    assert Problem("x", "teks", "text").text(language) == expected


def test_problems_text_joins_with_semicolons_in_the_chosen_language():
    problems = [Problem("a", "Satu.", "One."), Problem("b", "Dua.", "Two.")]

    assert problems_text(problems) == "Satu; Dua"
    assert problems_text(problems, "en") == "One; Two"
    assert problems_text([]) == ""


def test_every_message_has_distinct_indonesian_and_english_text():
    values = {
        "label": "NIK",
        "length": 16,
        "given": 15,
        "char": "x",
        "code": "19.01",
        "successor": "93.01",
        "day": "32",
        "month": "13",
        "date": "31-04-1990",
        "born": "12-04-1985",
        "digit": "3",
        "value": "abc",
        "digits": 4,
    }
    for code, (indonesian, english) in MESSAGES.items():
        texts = indonesian.format(**values), english.format(**values)
        assert all(texts), code
        assert texts[0] != texts[1], code


# --- NIP --------------------------------------------------------------------------------


def test_nip_decodes_birth_date_appointment_sex_and_serial():
    result = parse_nip("198504122010012003")

    assert result.valid
    assert result.birth_date == date(1985, 4, 12)
    assert (result.appointment_year, result.appointment_month) == (2010, 1)
    assert result.sex == "F"
    assert result.serial == "003"


def test_nip_sex_digit_other_than_1_or_2_is_rejected():
    result = parse_nip("198504122010013003")

    assert codes(result.errors) == ["nip_sex"]
    assert result.sex is None


def test_nip_appointed_at_age_ten_is_rejected():
    result = parse_nip("198504121995011003")

    assert codes(result.errors) == ["nip_appointment_too_young"]
    assert "17" in result.errors[0].id
    assert "17" in result.errors[0].en


def test_nip_appointed_in_the_month_of_the_17th_birthday_is_accepted():
    assert parse_nip("198504122002041003").valid


def test_nip_appointment_month_13_is_rejected():
    result = parse_nip("198504122010131003")

    assert codes(result.errors) == ["nip_appointment_month"]
    assert result.appointment_month is None


def test_nip_appointment_in_the_future_is_rejected():
    result = parse_nip("198504122024071003", today=date(2024, 6, 30))

    assert codes(result.errors) == ["nip_appointment_future"]


def test_nip_birth_date_that_does_not_exist_is_rejected():
    result = parse_nip("198502302010011003")

    assert codes(result.errors) == ["nip_birth_date"]
    assert result.birth_date is None


def test_nip_birth_date_in_the_future_is_rejected():
    result = parse_nip("203001012050011003", today=date(2024, 6, 30))

    assert codes(result.errors) == ["nip_birth_future", "nip_appointment_future"]


def test_nip_serial_000_is_rejected():
    assert codes(parse_nip("198504122010011000").errors) == ["nip_serial_zero"]


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("19850412201001100", "nip_length"),
        ("1985-04-12 201001 1 003", "nip_not_digits"),
        ("1.98504E+17", "nip_scientific_notation"),
    ],
)
def test_nip_that_is_not_18_digits_is_rejected(value, code):
    assert codes(parse_nip(value).errors) == [code]


# --- NIB --------------------------------------------------------------------------------


def test_nib_of_13_digits_is_valid():
    assert parse_nib("9120001234567").valid


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("912000123456", "nib_length"),
        ("91200012345678", "nib_length"),
        ("912000123456A", "nib_not_digits"),
        ("0000000000000", "nib_all_zero"),
        ("9,12E+12", "nib_scientific_notation"),
    ],
)
def test_nib_is_rejected_with_its_reason(value, code):
    result = parse_nib(value)

    assert codes(result.errors) == [code]
    assert result.value == value


# --- Phone ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "value",
    ["0812-3456-7890", "62812 3456 7890", "6281234567890", "+62 812-3456-7890", "081234567890"],
)
def test_every_common_spelling_of_a_mobile_number_gives_one_e164(value):
    result = parse_phone(value)

    assert result.valid
    assert result.e164 == "+6281234567890"
    assert result.kind == "mobile"
    assert result.value == value


def test_landline_with_area_code_is_accepted():
    result = parse_phone("(021) 555 1234")

    assert result.e164 == "+62215551234"
    assert result.kind == "fixed"


def test_foreign_number_with_plus_is_read_in_its_own_country():
    assert parse_phone("+1 202 555 0123").e164 == "+12025550123"


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("", "phone_empty"),
        ("   ", "phone_empty"),
        ("abc", "phone_not_number"),
        ("0812 3456 789x", "phone_not_number"),
        ("---", "phone_not_number"),
        ("0812", "phone_too_short"),
        ("0812345678901234567", "phone_too_long"),
        ("+62 999 1234 5678", "phone_invalid"),
        ("+999 1234", "phone_invalid"),
    ],
)
def test_phone_is_rejected_with_its_reason(value, code):
    result = parse_phone(value)

    assert codes(result.errors) == [code]
    assert result.e164 is None
    assert result.kind is None


# --- Masks ------------------------------------------------------------------------------


def test_masked_nik_keeps_region_and_serial_only():
    assert mask_nik("1901011204850003") == "1901********0003"


def test_masked_phone_keeps_country_code_prefix_and_last_three_digits():
    assert mask_phone("+6281234567890") == "+62812*****890"
    assert mask_phone("+12025550123") == "+1202****123"


def test_masking_nothing_gives_nothing():
    assert mask_nik("") == ""
    assert mask_phone("") == ""
    assert mask_nik(None) == ""


def test_too_short_to_mask_is_hidden_entirely():
    assert mask_nik("19010") == "*****"
    assert mask_phone("+6281") == "*****"


# --- Properties -------------------------------------------------------------------------

DIGITS = string.digits
# A NIK has a two-digit year, so only birth years less than a century ago can round-trip.
birth_dates = st.dates(min_value=date(TODAY.year - 99, 1, 1), max_value=TODAY)


@given(
    province=st.sampled_from(sorted(PROVINCE_CODES)),
    regency=st.integers(1, 99),
    district=st.integers(1, 99),
    born=birth_dates,
    sex=st.sampled_from(["M", "F"]),
    serial=st.integers(1, 9999),
)
def test_any_well_formed_nik_decodes_back_to_its_parts(
    province, regency, district, born, sex, serial
):
    day = born.day + (40 if sex == "F" else 0)
    nik = f"{province}{regency:02d}{district:02d}{day:02d}{born:%m%y}{serial:04d}"

    result = parse_nik(nik)

    assert result.valid, result.errors
    assert result.value == nik
    assert result.birth_date == born
    assert result.sex == sex
    assert result.province_code == province
    assert result.district_code == f"{province}.{regency:02d}.{district:02d}"
    assert result.serial == f"{serial:04d}"


@given(st.text(DIGITS).filter(lambda value: len(value) != 16))
def test_any_digit_string_not_16_long_is_rejected_for_length(value):
    assert codes(parse_nik(value).errors) == ["nik_length"]


def every_result(value):
    return [
        parse_nik(value),
        parse_nik(value, FakeRegions()),
        parse_nip(value),
        parse_nib(value),
        parse_phone(value),
    ]


id_like = st.one_of(
    st.text(),
    st.text(DIGITS, min_size=16, max_size=16),
    st.text(DIGITS, min_size=18, max_size=18),
    st.text(DIGITS, min_size=13, max_size=13),
    st.sampled_from(["91", "19", "00"]).flatmap(
        lambda province: st.text(DIGITS, min_size=14, max_size=14).map(province.__add__)
    ),
)


@given(id_like)
def test_every_problem_has_distinct_indonesian_and_english_text(value):
    for result in every_result(value):
        for problem in all_problems(result):
            assert problem.id
            assert problem.en
            assert problem.id != problem.en


@given(st.text())
def test_parsers_and_masks_never_raise_on_arbitrary_text(value):
    for result in every_result(value):
        assert result.valid is not bool(result.errors)
        json.dumps(result.to_dict("en"))
    mask_nik(value)
    mask_phone(value)
