"""Writing accepted rows: what is created, nothing twice, nothing half, and the invalid rows'
workbook that can be fixed and imported again."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from openpyxl import load_workbook

from pulih.registry.importing import writing
from pulih.registry.importing.files import ImportFiles
from pulih.registry.importing.runs import write_run
from pulih.registry.models import BatchEvent, Business, CollectionBatch, ImpactReport, Person
from pulih.registry.services import batch_for_entry

from .test_import_files import BANGKA, HEADER, csv_file, nik, row, validate, xlsx_file

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path, regions):
    settings.MEDIA_ROOT = tmp_path / "media"


def imported(path, user):
    return write_run(result=validate(path), place=BANGKA, user=user)


def test_accepted_rows_become_people_businesses_and_impact_reports(tmp_path, personas):
    extra = {
        **dict(zip(HEADER, row(1), strict=True)),
        "Lintang (Latitude)": "-1,851234",
        "Tautan Marketplace": "tokopedia.com/kerupuk1",
    }
    header = list(extra)
    result = imported(
        xlsx_file(tmp_path / "u.xlsx", [list(extra.values())], header=header), personas.kab_bangka
    )
    person = Person.objects.get()
    assert (person.nik, person.nik_valid, person.nik_problems) == (nik(1), True, [])
    assert (person.birth_date, person.sex, person.phone) == (
        datetime.date(1980, 7, 1),
        "F",
        "+6281200000001",
    )
    assert person.village_code == "19.01.01.1001" and person.district_code == "19.01.01"
    business = Business.objects.get()
    assert business.owner == person
    assert (business.capital, business.annual_sales, business.scale) == (
        15_000_000,
        120_000_000,
        "micro",
    )
    assert business.latitude == Decimal("-1.851234")
    assert business.marketplace_links == ["https://tokopedia.com/kerupuk1"]
    assert (business.regency_code, business.province_code) == ("19.01", "19")
    assert business.created_by == personas.kab_bangka
    assert business.batch == CollectionBatch.objects.get(regency_code="19.01")
    assert len(business.source_key) == 64
    impact = ImpactReport.objects.get()
    assert impact.business == business
    assert (impact.report_date, impact.status) == (datetime.date(2020, 4, 15), "reduced")
    assert (impact.sales_before, impact.sales_after) == (10_000_000, 4_000_000)
    assert (impact.problems, impact.needs) == (["demand_drop", "capital"], ["capital"])
    assert result["written"] == {
        "businesses": 1,
        "people": 1,
        "impact_reports": 1,
        "skipped_existing": 0,
    }
    assert result["batch"]["stage"] == 1
    event = BatchEvent.objects.get(action="import")
    assert event.actor == personas.kab_bangka


def test_scale_is_computed_as_save_would(tmp_path, personas):
    big = row(1, **{"Modal Usaha (Rp)": "6.000.000.000", "Omzet per Tahun (Rp)": "1.000.000"})
    imported(xlsx_file(tmp_path / "u.xlsx", [big]), personas.kab_bangka)
    business = Business.objects.get()
    assert business.scale == "medium"
    business.save()
    assert business.scale == "medium"


def test_importing_the_same_file_twice_creates_nothing_new(tmp_path, personas):
    path = xlsx_file(tmp_path / "u.xlsx", [row(1), row(2), row(3)])
    imported(path, personas.kab_bangka)
    second = validate(path)
    assert second["counts"]["already_in_registry"] == 3 and second["counts"]["valid"] == 0
    counts = (Person.objects.count(), Business.objects.count(), ImpactReport.objects.count())
    assert counts == (3, 3, 3)


def test_rows_already_imported_are_skipped_even_when_validated_before_they_were(tmp_path, personas):
    """Two previews of the same file, both accepted: the second writes nothing."""
    path = xlsx_file(tmp_path / "u.xlsx", [row(1), row(2)])
    first, second = validate(path), validate(path)
    write_run(result=first, place=BANGKA, user=personas.kab_bangka)
    result = write_run(result=second, place=BANGKA, user=personas.kab_bangka)
    assert result["written"]["skipped_existing"] == 2
    assert Business.objects.count() == 2


def test_an_owner_registered_before_gets_the_new_business(tmp_path, personas):
    imported(xlsx_file(tmp_path / "a.xlsx", [row(1)]), personas.kab_bangka)
    other = row(1, **{"Nama Usaha": "Warung Kopi", "No. HP": "081299990000"})
    result = imported(xlsx_file(tmp_path / "b.xlsx", [other]), personas.kab_bangka)
    assert result["counts"]["person_exists"] == 1
    assert Person.objects.count() == 1
    assert Person.objects.get().businesses.count() == 2


def test_two_businesses_of_one_new_owner_in_one_file_share_the_person(
    tmp_path, personas, monkeypatch
):
    monkeypatch.setattr(writing, "CHUNK_ROWS", 2)
    rows = [
        row(1),
        row(2),
        row(1, **{"Nama Usaha": "Warung Kopi"}),
        row(3),
        row(1, **{"Nama Usaha": "Toko"}),
    ]
    result = imported(xlsx_file(tmp_path / "u.xlsx", rows), personas.kab_bangka)
    assert result["written"]["people"] == 3
    assert Person.objects.get(nik=nik(1)).businesses.count() == 3


def test_a_new_owner_with_two_businesses_in_one_chunk_is_one_person(tmp_path, personas):
    rows = [row(1), row(1, **{"Nama Usaha": "Warung Kopi"}), row(2, NIK="")]
    result = imported(xlsx_file(tmp_path / "u.xlsx", rows), personas.kab_bangka)
    assert result["written"] == {
        "businesses": 3,
        "people": 2,
        "impact_reports": 3,
        "skipped_existing": 0,
    }
    assert sorted(Person.objects.get(nik=nik(1)).businesses.values_list("name", flat=True)) == [
        "Kerupuk Ikan 1",
        "Warung Kopi",
    ]


def test_rows_without_nik_each_get_their_own_person(tmp_path, personas):
    rows = [row(1, NIK=""), row(2, NIK="")]
    imported(xlsx_file(tmp_path / "u.xlsx", rows), personas.kab_bangka)
    assert Person.objects.filter(nik="").count() == 2


def test_a_failure_midway_leaves_nothing_written(tmp_path, personas, monkeypatch):
    monkeypatch.setattr(writing, "CHUNK_ROWS", 2)
    original = writing._impact

    def breaks_on_row_four(row, business_id):
        values = original(row, business_id)
        if row["row_number"] == 4:
            values["status"] = None  # NOT NULL: the database refuses the row
        return values

    monkeypatch.setattr(writing, "_impact", breaks_on_row_four)
    result = validate(xlsx_file(tmp_path / "u.xlsx", [row(n) for n in range(1, 6)]))
    with pytest.raises(IntegrityError):
        write_run(result=result, place=BANGKA, user=personas.kab_bangka)
    assert not Person.objects.exists()
    assert not Business.objects.exists()
    assert not ImpactReport.objects.exists()
    assert not BatchEvent.objects.filter(action="import").exists()
    assert ImportFiles.of(result["token"]).rows.exists(), "the import can be accepted again"


def test_rows_go_into_a_new_stage_once_the_open_one_is_submitted(tmp_path, personas):
    batch = batch_for_entry(user=personas.kab_bangka, regency_code="19.01")
    batch.status = CollectionBatch.Status.SUBMITTED
    batch.save()
    result = imported(xlsx_file(tmp_path / "u.xlsx", [row(1)]), personas.kab_bangka)
    assert result["batch"]["stage"] == 2
    assert Business.objects.get().batch.stage == 2


@pytest.mark.parametrize("status", ["submitted", "approved"])
def test_a_batch_no_longer_editable_is_not_written(tmp_path, personas, monkeypatch, status):
    """The batch is checked again, locked, inside the write: it may have been submitted
    (or approved) between the preview and the acceptance."""
    batch = batch_for_entry(user=personas.kab_bangka, regency_code="19.01")
    CollectionBatch.objects.filter(pk=batch.pk).update(status=status)
    monkeypatch.setattr(writing, "batch_for_entry", lambda **kwargs: batch)
    result = validate(xlsx_file(tmp_path / "u.xlsx", [row(1)]))
    with pytest.raises(ValidationError):
        write_run(result=result, place=BANGKA, user=personas.kab_bangka)
    assert not Business.objects.exists()


def test_invalid_rows_download_with_an_error_column_and_import_after_fixing(tmp_path, personas):
    rows = [
        row(1),
        row(2, **{"Jenis Kelamin (L/P)": "X", "No. HP": '=HYPERLINK("http://x")'}),
        row(3, **{"Nama Usaha": ""}),
    ]
    result = validate(csv_file(tmp_path / "u.csv", rows, delimiter=";"))
    assert result["has_error_file"]
    workbook = load_workbook(ImportFiles.of(result["token"]).errors)
    sheet = workbook.active
    lines = list(sheet.iter_rows(values_only=True))
    assert list(lines[0]) == [*HEADER, "Kesalahan"]
    assert len(lines) == 3
    assert "tulis L atau P" in lines[1][-1]
    assert lines[1][HEADER.index("No. HP")] == '=HYPERLINK("http://x")', "kept as text"
    assert sheet.cell(row=2, column=HEADER.index("No. HP") + 1).data_type == "s"
    assert "Nama Usaha wajib diisi" in lines[2][-1]

    sheet.cell(row=2, column=HEADER.index("Jenis Kelamin (L/P)") + 1).value = "P"
    sheet.cell(row=2, column=HEADER.index("No. HP") + 1).value = "081200000002"
    sheet.cell(row=3, column=HEADER.index("Nama Usaha") + 1).value = "Kerupuk Ikan 3"
    fixed = tmp_path / "diperbaiki.xlsx"
    workbook.save(fixed)
    again = validate(fixed)
    assert again["counts"]["valid"] == 2 and again["counts"]["invalid"] == 0
    assert again["ignored_columns"] == [], "the Kesalahan column is recognised and ignored"
