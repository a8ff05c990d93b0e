"""How one cell becomes a value: dates, Rupiah, sex, choices, headers; and the quick path
for Indonesian mobile numbers, held to the verdict of core.ids.parse_phone."""

import datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pulih.core.ids import parse_phone
from pulih.registry.importing import columns, parsers
from pulih.registry.importing.messages import Invalid


def problem_code(parse, value):
    with pytest.raises(Invalid) as caught:
        parse(value)
    return caught.value.problems[0].code


@pytest.mark.parametrize(
    "value",
    [
        "01-07-1980",
        "1-7-1980",
        "01/07/1980",
        "01.07.1980",
        "1980-07-01",
        "1980-07-01 00:00:00",
        datetime.date(1980, 7, 1),
        datetime.datetime(1980, 7, 1, 0, 0),
        29403,  # the day count Excel shows when a date cell lost its format
    ],
)
def test_dates_in_the_usual_spellings(value):
    assert parsers.parse_date(value) == datetime.date(1980, 7, 1)


@pytest.mark.parametrize("value", ["31-02-1980", "1980", "01-07-80", "kemarin", 1.5, "01-13-1980"])
def test_dates_that_cannot_be_read(value):
    assert problem_code(parsers.parse_date, value) == "date_invalid"


@pytest.mark.parametrize(
    ("value", "amount"),
    [
        ("Rp 11.000", 11_000),
        ("Rp. 11.000", 11_000),
        ("11.000.000", 11_000_000),
        ("11,000,000", 11_000_000),
        ("1.500.000,00", 1_500_000),
        ("11000", 11_000),
        ("IDR 2.500", 2_500),
        (11000.0, 11_000),
        (11000, 11_000),
        ("0", 0),
    ],
)
def test_rupiah_amounts(value, amount):
    assert parsers.parse_money(value) == amount


@pytest.mark.parametrize(
    "value", ["1,5 juta", "11.000,50", "-5000", "sebelas ribu", 10.5, "1.50.000"]
)
def test_amounts_that_are_not_whole_rupiah(value):
    assert problem_code(parsers.parse_money, value) == "money_invalid"


@pytest.mark.parametrize(
    ("value", "sex"),
    [("L", "M"), ("p", "F"), ("Laki-laki", "M"), ("Perempuan", "F"), ("M", "M"), ("F", "F")],
)
def test_sex_in_indonesian_and_english_letters(value, sex):
    assert parsers.parse_sex(value) == sex


@pytest.mark.parametrize(
    ("value", "status"),
    [
        ("Beroperasi", "operating"),
        ("berkurang", "reduced"),
        ("Tutup Sementara", "temporarily_closed"),
        ("TUTUP", "closed"),
        ("Beralih Usaha", "pivoted"),
        ("temporarily_closed", "temporarily_closed"),
    ],
)
def test_impact_status_in_words_or_codes(value, status):
    assert parsers.parse_status(value) == status


def test_problems_and_needs_from_indonesian_words():
    parse_problems = columns.BY_KEY["problems"].parse
    parse_needs = columns.BY_KEY["needs"].parse
    assert parse_problems("Modal; penurunan permintaan, PSBB") == [
        "demand_drop",
        "capital",
        "restrictions",
    ]
    assert parse_needs("Bantuan modal, Pelatihan, bantuan modal") == ["capital", "training"]
    assert problem_code(parse_needs, "Modal, Doa") == "choice_invalid"


def test_nik_stored_as_a_number_reads_back_or_is_refused():
    assert parsers.parse_nik_cell(1901014107800003.0) == "1901014107800003"
    assert problem_code(parsers.parse_nik_cell, 9.6e15 + 1) == "number_lossy"


def test_village_code_typed_without_dots():
    assert parsers.parse_village_code("1901012001") == "19.01.01.2001"
    assert problem_code(parsers.parse_village_code, "19.01") == "village_code_invalid"


def test_coordinates_with_decimal_comma():
    latitude = columns.BY_KEY["latitude"].parse
    assert latitude("-1,85") == "-1.850000"
    assert latitude(-1.851234) == "-1.851234"
    assert problem_code(latitude, "91") == "latitude_invalid"


def test_marketplace_links_get_their_scheme():
    assert parsers.parse_links("tokopedia.com/a, https://shopee.co.id/b") == [
        "https://tokopedia.com/a",
        "https://shopee.co.id/b",
    ]
    assert problem_code(parsers.parse_links, "bukan tautan") == "link_invalid"


@pytest.mark.parametrize(
    ("header", "field"),
    [
        ("No. KTP", "nik"),
        ("NOMOR INDUK KEPENDUDUKAN", "nik"),
        ("Nama", "name"),
        ("nama_pelaku_usaha", "name"),
        ("Tanggal Lahir (DD/MM/YYYY)", "birth_date"),
        ("No HP", "phone"),
        ("Telepon", "phone"),
        ("WA", "whatsapp"),
        ("Kode Desa", "village_code"),
        ("Desa", "village_name"),
        ("Status", "impact_status"),
        ("Kesalahan", None),
        ("Catatan", None),
    ],
)
def test_headers_match_loosely(header, field):
    assert columns.header_field(header) == field


PHONE_TEXT = st.one_of(
    st.from_regex(r"(\+62|62|0)?8[0-9]{6,13}", fullmatch=True),
    st.from_regex(r"(\+62 ?|0)8[0-9]{2}[ -.]?[0-9]{3,4}[ -.]?[0-9]{3,5}", fullmatch=True),
    st.text(alphabet="0123456789+ -().", max_size=18),
)


@settings(max_examples=1000, deadline=None)
@given(PHONE_TEXT)
def test_the_quick_phone_path_gives_parse_phones_verdict(text):
    result = parse_phone(text)
    try:
        e164 = parsers.phone_e164(text)
    except Invalid as invalid:
        assert not result.valid
        assert [p.code for p in invalid.problems] == [p.code for p in result.errors]
    else:
        assert e164 == result.e164
