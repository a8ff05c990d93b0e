"""External lists: importing a Kemensos list, matching it to the registry and the irisan.

The list below names four of the Bangka Belitung `applicants` (ani, budi and hadi by NIK,
citra with a mistyped NIK), three people the registry does not know, one row with a
broken NIK and a stranger's name, and ani's row twice.

Who may do what:
- pusat imports national lists, prov-babel its province's; regency officers and others
  import nothing;
- prov-babel, kab-bangka and kab-belitung cross-check, each within their own scope;
  kurator has no regional scope and may not;
- the centre and the province mark the overlap with a social aid list as served.
"""

import csv
import datetime
import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation
from openpyxl import Workbook

from pulih.programs.lists import (
    crosscheck,
    crosscheck_export,
    entry_columns,
    list_import,
    list_match,
    list_summary,
    served_mark,
)
from pulih.programs.models import ExternalList, ListEntry
from pulih.registry.importing.messages import ImportRefused
from pulih.registry.services import person_create

pytestmark = pytest.mark.django_db

HEADER = ["No", "NIK", "Nama Penerima", "Tanggal Lahir"]
KEMENSOS = [
    ["1", "1901014101800001", "Ani Lestari", "01-01-1980"],
    ["2", "1901010202810001", "Budi Santoso", "02-02-1981"],
    ["3", "1901010808870001", "Hadi Wijaya", "08-08-1987"],
    # Citra's NIK with a digit left out.
    ["4", "190102430382001", "Citra Dewi", "03-03-1982"],
    ["5", "1901015001900001", "Sri Wahyuni", "10-01-1990"],
    ["6", "1901011111910002", "Agus Salim", "11-11-1991"],
    ["7", "1901012212920003", "Joko Susilo", "22-12-1992"],
    ["8", "12345", "Orang Asing", ""],
    ["9", "1901014101800001", "Ani Lestari", "01-01-1980"],
]


def csv_file(tmp_path, rows, header=HEADER, *, name="kemensos.csv", encoding="utf-8"):
    path = tmp_path / name
    text = io.StringIO()
    csv.writer(text).writerows([header, *rows])
    path.write_bytes(text.getvalue().encode(encoding))
    return path


def kemensos_import(user, path, kind=ExternalList.Kind.SOCIAL_AID):
    return list_import(
        user=user, kind=kind, path=path, filename=path.name, name="DTKS Kemensos 2020"
    )


@pytest.fixture
def kemensos(tmp_path, personas, applicants):
    return kemensos_import(personas.prov_babel, csv_file(tmp_path, KEMENSOS))


def entry(lst, nik):
    return lst.entries.get(nik=nik)


def names(people):
    return sorted(p.name for p in people)


def test_the_import_keeps_every_distinct_row_and_counts_the_repeats(kemensos):
    assert kemensos.province_code == "19"
    assert list_summary(kemensos) == {
        "rows": 9,
        "entries": 8,
        "duplicates": 1,
        "invalid_nik": 2,
        "by_nik": 3,
        "by_linkage": 1,
        "unmatched": 4,
    }
    assert entry(kemensos, "1901014101800001").row == 2


def test_invalid_niks_are_kept_and_flagged(kemensos):
    stranger = entry(kemensos, "12345")
    assert not stranger.nik_valid
    assert stranger.name == "Orang Asing"
    assert stranger.birth_date is None
    assert entry(kemensos, "1901015001900001").nik_valid


def test_rows_are_matched_by_nik(kemensos, applicants):
    ani = entry(kemensos, "1901014101800001")
    assert (ani.person, ani.match, ani.probability) == (applicants["ani"], "nik", None)
    assert entry(kemensos, "1901015001900001").match == ListEntry.Match.NONE


def test_a_mistyped_nik_is_matched_by_record_linkage(kemensos, applicants):
    citra = entry(kemensos, "190102430382001")
    assert citra.person == applicants["citra"]
    assert citra.match == ListEntry.Match.LINKAGE
    assert citra.probability >= 0.9


def test_a_stranger_with_a_broken_nik_stays_unmatched(kemensos):
    assert entry(kemensos, "12345").person is None


def test_a_nik_recorded_in_two_regencies_links_to_one_record(kemensos, applicants):
    assert entry(kemensos, "1901010808870001").person == applicants["hadi"]


def test_reimporting_the_same_file_adds_nothing(tmp_path, personas, kemensos):
    again = kemensos_import(personas.prov_babel, csv_file(tmp_path, KEMENSOS, name="lagi.csv"))
    assert again == kemensos
    assert ExternalList.objects.count() == 1
    assert ListEntry.objects.count() == 8


def test_the_same_file_as_another_kind_is_another_list(tmp_path, personas, kemensos):
    deaths = kemensos_import(
        personas.prov_babel, csv_file(tmp_path, KEMENSOS), kind=ExternalList.Kind.DECEASED
    )
    assert deaths != kemensos
    assert deaths.entries.count() == 8


def test_a_central_officer_imports_a_national_list(tmp_path, personas, applicants):
    national = kemensos_import(personas.pusat, csv_file(tmp_path, KEMENSOS))
    assert national.province_code == ""
    assert list_summary(national)["by_nik"] == 3


@pytest.mark.parametrize("persona", ["kab_bangka", "pendamping_bangka", "kurator"])
def test_only_the_centre_and_provinces_import_lists(tmp_path, personas, persona):
    with pytest.raises(PermissionDenied):
        kemensos_import(getattr(personas, persona), csv_file(tmp_path, KEMENSOS))
    assert not ExternalList.objects.exists()


def refused(user, path):
    with pytest.raises(ImportRefused) as caught:
        kemensos_import(user, path)
    assert not ExternalList.objects.exists()
    assert not ListEntry.objects.exists()
    problem = caught.value.problem
    assert problem.id and problem.en
    return problem.code


def test_a_file_without_a_nik_column_is_refused(tmp_path, personas):
    path = csv_file(tmp_path, [["Ani Lestari", "01-01-1980"]], header=["Nama", "Tanggal Lahir"])
    assert refused(personas.prov_babel, path) == "list_no_nik"


def test_an_empty_file_is_refused(tmp_path, personas):
    path = tmp_path / "kosong.csv"
    path.write_bytes(b"")
    assert refused(personas.prov_babel, path) == "file_empty"


def test_a_file_with_only_its_header_is_refused(tmp_path, personas):
    assert refused(personas.prov_babel, csv_file(tmp_path, [])) == "file_no_rows"


def test_an_undecodable_binary_file_is_refused(tmp_path, personas):
    path = tmp_path / "kemensos.csv"
    path.write_bytes(bytes(range(256)) * 64)
    assert refused(personas.prov_babel, path) == "file_corrupt"


def test_nothing_is_half_imported_when_a_late_row_is_refused(tmp_path, personas, settings):
    settings.PULIH_IMPORT_MAX_ROWS = 5
    assert refused(personas.prov_babel, csv_file(tmp_path, KEMENSOS)) == "file_too_many_rows"


def test_a_windows_1252_file_with_semicolons_is_read(tmp_path, personas):
    path = tmp_path / "kemensos.csv"
    path.write_bytes(
        "NIK;Nama;Tgl Lahir\r\n1901015001900001;Dédé Sujana;10-01-1990\r\n".encode("cp1252")
    )
    lst = kemensos_import(personas.prov_babel, path)
    dede = lst.entries.get()
    assert (dede.name, dede.birth_date) == ("Dédé Sujana", datetime.date(1990, 1, 10))


def test_an_xlsx_list_is_read_with_niks_stored_as_numbers(tmp_path, personas, applicants):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["NIK", "Nama Lengkap", "Tanggal Lahir"])
    sheet.append([1901014101800001, "Ani Lestari", datetime.date(1980, 1, 1)])
    sheet.append(["1901010202810001", "Budi Santoso", "02-02-1981"])
    path = tmp_path / "kemensos.xlsx"
    workbook.save(path)
    lst = kemensos_import(personas.prov_babel, path)
    assert sorted(lst.entries.values_list("nik", "person__name")) == [
        ("1901010202810001", "Budi Santoso"),
        ("1901014101800001", "Ani Lestari"),
    ]
    assert lst.entries.get(nik="1901014101800001").birth_date == datetime.date(1980, 1, 1)


def test_prov_babel_cross_check_covers_the_province(personas, applicants, kemensos):
    check = crosscheck(user=personas.prov_babel, lst=kemensos)
    assert check.counts == {"overlap": 5, "only_registry": 4, "only_list": 4, "outside_scope": 0}
    assert names(check.overlap) == [
        "Ani Lestari",
        "Budi Santoso",
        "Citra Dewi",
        "H. Hadi Wijaya",
        "Hadi Wijaya",
    ]
    assert names(check.only_registry) == [
        "Dedi Kurnia",
        "Eka Putri",
        "Fajar Nugroho",
        "Gita Permata",
    ]
    assert sorted(check.only_list.values_list("name", flat=True)) == [
        "Agus Salim",
        "Joko Susilo",
        "Orang Asing",
        "Sri Wahyuni",
    ]


def test_kab_bangka_cross_check_covers_only_bangka(personas, kemensos):
    check = crosscheck(user=personas.kab_bangka, lst=kemensos)
    assert check.counts == {"overlap": 4, "only_registry": 4, "only_list": 4, "outside_scope": 0}
    assert {p.regency_code for p in check.overlap} == {"19.01"}
    assert {p.regency_code for p in check.only_registry} == {"19.01"}


def test_kab_belitung_counts_matches_in_bangka_but_never_shows_them(personas, kemensos):
    check = crosscheck(user=personas.kab_belitung, lst=kemensos)
    assert check.counts == {"overlap": 1, "only_registry": 0, "only_list": 4, "outside_scope": 3}
    assert names(check.overlap) == ["H. Hadi Wijaya"]


def test_a_curator_may_not_cross_check(personas, kemensos):
    with pytest.raises(PermissionDenied):
        crosscheck(user=personas.kurator, lst=kemensos)


def test_a_province_list_is_not_cross_checked_by_another_province(personas, kemensos):
    kemensos.province_code = "31"
    kemensos.save()
    with pytest.raises(PermissionDenied):
        crosscheck(user=personas.kab_bangka, lst=kemensos)


def download(user, lst, part):
    """The rows of a CSV download, by English header."""
    with translation.override("en"):
        response = crosscheck_export(user=user, lst=lst, part=part, fmt="csv")
        text = b"".join(response.streaming_content).decode("utf-8-sig")
    header, *body = csv.reader(io.StringIO(text))
    return [dict(zip(header, row, strict=True)) for row in body]


def test_kab_bangka_downloads_its_overlap_only(personas, kemensos):
    rows = download(personas.kab_bangka, kemensos, "overlap")
    by_name = {row["Name"]: row for row in rows}
    assert sorted(by_name) == ["Ani Lestari", "Budi Santoso", "Citra Dewi", "Hadi Wijaya"]
    assert by_name["Ani Lestari"]["NIK"] == "1901014101800001"


def test_the_only_list_download_holds_the_unmatched_entries(personas, kemensos):
    rows = download(personas.prov_babel, kemensos, "only_list")
    assert sorted(row["Name"] for row in rows) == [
        "Agus Salim",
        "Joko Susilo",
        "Orang Asing",
        "Sri Wahyuni",
    ]
    stranger = {"Row": "9", "NIK": "12345", "NIK valid": "Invalid", "Name": "Orang Asing"}
    assert stranger | {"Birth date": ""} in rows


def test_niks_are_masked_for_roles_without_personal_data(personas, kemensos):
    ani = entry(kemensos, "1901014101800001")
    nik = dict((str(title), get) for title, get in entry_columns(personas.kurator))["NIK"]
    assert nik(ani) == "1901********0001"


def test_prov_babel_marks_the_overlap_served(personas, kemensos):
    assert served_mark(user=personas.prov_babel, lst=kemensos) == 4
    served = kemensos.entries.exclude(served_marked_at=None)
    assert set(served.values_list("served_marked_by", flat=True)) == {personas.prov_babel.pk}
    assert sorted(served.values_list("name", flat=True)) == [
        "Ani Lestari",
        "Budi Santoso",
        "Citra Dewi",
        "Hadi Wijaya",
    ]
    assert served_mark(user=personas.prov_babel, lst=kemensos) == 0


def test_a_regency_officer_does_not_mark_served(personas, kemensos):
    with pytest.raises(PermissionDenied):
        served_mark(user=personas.kab_bangka, lst=kemensos)
    assert not kemensos.entries.exclude(served_marked_at=None).exists()


def test_only_a_social_aid_list_is_marked_served(tmp_path, personas, applicants):
    deaths = kemensos_import(
        personas.prov_babel, csv_file(tmp_path, KEMENSOS), kind=ExternalList.Kind.DECEASED
    )
    with pytest.raises(ValidationError):
        served_mark(user=personas.prov_babel, lst=deaths)


def test_people_registered_after_the_import_are_matched_again(personas, kemensos):
    sri = person_create(
        user=personas.kab_bangka,
        village_code="19.01.01.1001",
        name="Sri Wahyuni",
        nik="1901015001900001",
        birth_date=datetime.date(1990, 1, 10),
        sex="F",
    )
    assert list_match(user=personas.prov_babel, lst=kemensos) == 1
    assert entry(kemensos, "1901015001900001").person == sri
    assert list_match(user=personas.prov_babel, lst=kemensos) == 0
