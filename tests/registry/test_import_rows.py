"""Judging rows: every error of a row with its column, value and message; how rows are
counted (valid, invalid, duplicate within the file, already in the registry)."""

import pytest

from pulih.registry.importing.files import ImportFiles
from pulih.registry.importing.validation import Place
from pulih.registry.models import Business, Person
from pulih.registry.services import batch_for_entry

from .test_import_files import BANGKA, HEADER, csv_file, nik, row, validate, xlsx_file

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path, regions):
    settings.MEDIA_ROOT = tmp_path / "media"


def errors_of(result, row_number):
    return [e for e in result["errors"] if e["row"] == row_number]


def test_every_error_of_a_row_is_reported_with_column_value_and_message(tmp_path):
    bad = row(
        1,
        **{
            "NIK": "19010141078",
            "Tanggal Lahir (DD-MM-YYYY)": "31-02-1980",
            "Jenis Kelamin (L/P)": "X",
            "No. HP": "0812",
            "Nama Usaha": "",
            "Sektor (KBLI A-U)": "Kuliner",
            "Modal Usaha (Rp)": "lima juta",
            "Status Usaha": "Lumayan",
            "Masalah": "Modal, Cuaca",
        },
    )
    result = validate(xlsx_file(tmp_path / "u.xlsx", [row(1), bad]))
    found = {(e["column"], e["code"]) for e in errors_of(result, 3)}
    assert found == {
        ("NIK", "nik_length"),
        ("Tanggal Lahir (DD-MM-YYYY)", "date_invalid"),
        ("Jenis Kelamin (L/P)", "sex_invalid"),
        ("No. HP", "phone_too_short"),
        ("Nama Usaha", "required"),
        ("Sektor (KBLI A-U)", "kbli_invalid"),
        ("Modal Usaha (Rp)", "money_invalid"),
        ("Status Usaha", "status_invalid"),
        ("Masalah", "choice_invalid"),
    }
    by_column = {e["column"]: e for e in errors_of(result, 3)}
    assert by_column["Modal Usaha (Rp)"]["value"] == "lima juta"
    assert "bukan jumlah Rupiah" in by_column["Modal Usaha (Rp)"]["message"]
    assert "Cuaca" in by_column["Masalah"]["message"]
    assert result["counts"]["invalid"] == 1 and result["counts"]["valid"] == 1


def test_messages_follow_the_language_of_the_import(tmp_path):
    path = xlsx_file(tmp_path / "u.xlsx", [row(1, **{"Jenis Kelamin (L/P)": "X"})])
    assert "write L or P" in validate(path, language="en")["errors"][0]["message"]
    assert "tulis L atau P" in validate(path, language="id")["errors"][0]["message"]


def test_row_numbers_are_the_spreadsheet_rows(tmp_path):
    rows = [row(1), row(2), row(3, **{"Nama Usaha": ""})]
    path = xlsx_file(tmp_path / "u.xlsx", rows, before=[["DATA UMKM"], []])
    result = validate(path)
    assert [e["row"] for e in result["errors"]] == [6], "title, blank, header, then rows 4-6"


def test_village_outside_the_regency_is_an_error(tmp_path):
    result = validate(
        xlsx_file(tmp_path / "u.xlsx", [row(1, **{"Kode Desa/Kelurahan": "19.02.01.2001"})])
    )
    [error] = result["errors"]
    assert error["code"] == "village_outside_regency"
    assert error["column"] == "Kode Desa/Kelurahan"
    assert "di luar kabupaten/kota Anda" in error["message"]


def test_unknown_village_code_is_an_error(tmp_path):
    result = validate(
        xlsx_file(tmp_path / "u.xlsx", [row(1, **{"Kode Desa/Kelurahan": "19.01.01.9999"})])
    )
    assert result["errors"][0]["code"] == "village_code_invalid"


def test_a_field_assistant_may_import_only_villages_of_their_districts(tmp_path, personas):
    districts = frozenset(personas.pendamping_bangka.district_codes())
    place = Place("19.01", "Kabupaten Bangka", districts)
    merawang = "19.01.03.2001"
    assert merawang[:8] not in districts
    path = xlsx_file(tmp_path / "u.xlsx", [row(1), row(2, **{"Kode Desa/Kelurahan": merawang})])
    result = validate(path, place=place)
    assert result["counts"]["valid"] == 1
    assert result["errors"][0]["code"] == "village_outside_districts"


def test_villages_are_found_by_name_within_the_regency(tmp_path):
    header = [h for h in HEADER if h != "Kode Desa/Kelurahan"] + ["Kecamatan", "Desa/Kelurahan"]
    base = dict(zip(HEADER, row(1), strict=True))
    del base["Kode Desa/Kelurahan"]
    good = [*base.values(), "Sungailiat", "sungailiat"]
    unknown = [*base.values(), "", "Kampung Entah"]
    result = validate(xlsx_file(tmp_path / "u.xlsx", [good, unknown], header=header))
    assert result["counts"]["valid"] == 1
    [error] = result["errors"]
    assert (error["code"], error["column"], error["value"]) == (
        "village_name_unknown",
        "Desa/Kelurahan",
        "Kampung Entah",
    )
    assert '"19.01.01.1001"' in ImportFiles.of(result["token"]).rows.read_text()


def test_a_nik_that_fails_the_check_is_an_error_but_an_empty_one_is_not(tmp_path):
    rows = [row(1, NIK="1901010000800003"), row(2, NIK="")]
    result = validate(xlsx_file(tmp_path / "u.xlsx", rows))
    assert result["counts"]["valid"] == 1
    assert {e["code"] for e in result["errors"]} == {"nik_birth_day", "nik_birth_month"}


def test_nik_disagreeing_with_village_birth_date_or_sex_is_only_a_warning(tmp_path):
    belitung_nik = "1902014107800003"
    rows = [
        row(1, NIK=belitung_nik),
        row(2, **{"Tanggal Lahir (DD-MM-YYYY)": "02-07-1980", "Jenis Kelamin (L/P)": "L"}),
    ]
    result = validate(xlsx_file(tmp_path / "u.xlsx", rows))
    assert result["counts"]["valid"] == 2
    codes = {(w["row"], w["code"]) for w in result["warnings"]}
    assert codes == {(2, "nik_region_mismatch"), (3, "birth_date_mismatch"), (3, "sex_mismatch")}
    mismatch = next(w for w in result["warnings"] if w["code"] == "nik_region_mismatch")
    assert "Kabupaten Belitung" in mismatch["message"]


def test_an_impact_needs_its_date_and_status(tmp_path):
    rows = [
        row(1, **{"Tanggal Pendataan (DD-MM-YYYY)": "", "Status Usaha": ""}),
        row(
            2,
            **{
                "Tanggal Pendataan (DD-MM-YYYY)": "",
                "Status Usaha": "",
                "Omzet per Bulan Sebelum Covid (Rp)": "",
                "Omzet per Bulan Sesudah Covid (Rp)": "",
                "Masalah": "",
                "Kebutuhan": "",
            },
        ),
    ]
    result = validate(xlsx_file(tmp_path / "u.xlsx", rows))
    assert {(e["row"], e["code"], e["column"]) for e in result["errors"]} == {
        (2, "impact_incomplete", "Tanggal Pendataan (DD-MM-YYYY)"),
        (2, "impact_incomplete", "Status Usaha"),
    }
    assert result["counts"]["valid"] == 1, "a row with no impact data at all is a business only"


def test_dates_in_the_future_are_errors(tmp_path):
    result = validate(
        xlsx_file(tmp_path / "u.xlsx", [row(1, **{"Tanggal Pendataan (DD-MM-YYYY)": "01-01-2999"})])
    )
    assert result["errors"][0]["code"] == "date_future"


def test_the_template_example_row_is_not_imported(tmp_path):
    example = row(1, NIK="1901014107800003", **{"Nama Usaha": "Kerupuk Ikan Bu Siti"})
    result = validate(xlsx_file(tmp_path / "u.xlsx", [example, row(2)]))
    assert result["counts"]["valid"] == 1
    assert result["errors"][0]["code"] == "example_row"


def test_counts_sort_rows_into_valid_invalid_duplicate_and_registered(tmp_path, personas):
    first = xlsx_file(tmp_path / "first.xlsx", [row(1), row(2)])
    write_rows(first, personas.kab_bangka)
    second_owner_business = row(2, **{"Nama Usaha": "Warung Kopi 2", "No. HP": "081299990000"})
    rows = [
        row(1),  # already in the registry
        row(3),
        row(3),  # the same row again
        row(4, **{"Nama Pemilik": "Sri 4 (ditulis lain)"}),
        row(4),  # same NIK and business name as the row before
        second_owner_business,  # an owner already registered, a new business
        row(5, **{"Nama Usaha": ""}),
    ]
    result = validate(xlsx_file(tmp_path / "second.xlsx", rows))
    assert result["counts"] == {
        "total": 7,
        "valid": 3,
        "invalid": 1,
        "duplicate_in_file": 2,
        "already_in_registry": 1,
        "person_exists": 1,
    }
    notes = {(w["row"], w["code"]) for w in result["warnings"]}
    assert {(2, "already_in_registry"), (4, "duplicate_in_file"), (6, "duplicate_in_file")} <= notes
    assert (7, "person_exists") in notes
    duplicate = next(w for w in result["warnings"] if w["row"] == 4)
    assert "baris 3" in duplicate["message"]


def test_the_same_rows_give_the_same_keys_in_csv_and_xlsx(tmp_path):
    rows = [row(1), row(2)]
    from_xlsx = validate(xlsx_file(tmp_path / "u.xlsx", rows))
    numeric = [
        [15000000 if v == "Rp 15.000.000" else v for v in line] for line in rows
    ]  # the amount as an Excel number in one file, as "Rp 15.000.000" in the other
    from_csv = validate(csv_file(tmp_path / "u.csv", numeric, delimiter=";", encoding="cp1252"))

    def keys(result):
        lines = ImportFiles.of(result["token"]).rows.read_text().splitlines()[1:]
        return [line.split(",")[1] for line in lines]

    assert keys(from_xlsx) == keys(from_csv)
    assert len(set(keys(from_xlsx))) == 2


def test_only_the_first_messages_are_kept_but_all_are_counted(tmp_path, monkeypatch):
    monkeypatch.setattr("pulih.registry.importing.report.KEPT_MESSAGES", 3)
    rows = [row(n, **{"Jenis Kelamin (L/P)": "X"}) for n in range(1, 6)]
    result = validate(xlsx_file(tmp_path / "u.xlsx", rows))
    assert (len(result["errors"]), result["error_count"]) == (3, 5)


def write_rows(path, user):
    from pulih.registry.importing.runs import write_run

    result = validate(path)
    return write_run(result=result, place=BANGKA, user=user)


def test_people_are_counted_as_existing_only_in_the_same_regency(tmp_path, personas):
    batch = batch_for_entry(user=personas.kab_belitung, regency_code="19.02")
    owner = Person.objects.create(
        nik=nik(9), name="Siti", batch=batch, regency_code="19.02", province_code="19"
    )
    Business.objects.create(owner=owner, name="Toko", batch=batch, regency_code="19.02")
    result = validate(xlsx_file(tmp_path / "u.xlsx", [row(9)]))
    assert result["counts"]["person_exists"] == 0
