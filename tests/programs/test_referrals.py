"""Referring people no programme here serves to Kartu Prakerja and Kemenperin's 3-in-1
training, and reading back how far they got.

Five jobseekers of Kabupaten Bangka (19.01) are entered by kab-bangka, one of Kabupaten
Belitung (19.02) by kab-belitung. kab-bangka sees only the Bangka five, prov-babel all
six; the curator refers no one.
"""

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404
from openpyxl import Workbook

from pulih.programs.models import Referral
from pulih.programs.referrals import (
    referral_counts,
    referral_create,
    referral_status_import,
    referrals_create,
)
from pulih.registry.importing.messages import ImportRefused
from pulih.registry.models import Person
from pulih.registry.services import person_create
from pulih.wilayah.models import Village

PRAKERJA = Referral.Target.PRAKERJA
INDUSTRY = Referral.Target.INDUSTRY_3IN1
Status = Referral.Status

BANGKA = {
    "ani": "1901014101800001",
    "budi": "1901010202810002",
    "citra": "1901024303820003",
    "dedi": "1901020404830004",
    "eka": "1901014505840005",
}
BELITUNG = {"fajar": "1902010606850006"}


def village(district):
    return Village.objects.filter(district_id=district).order_by("code").first().code


@pytest.fixture
def jobseekers(personas):
    def make(user, district, name, nik):
        return person_create(
            user=user,
            village_code=village(district),
            name=name.title(),
            nik=nik,
            birth_date=datetime.date(1980, 1, 1),
        )

    people = {
        name: make(personas.kab_bangka, "19.01.01", name, nik) for name, nik in BANGKA.items()
    }
    people["fajar"] = make(personas.kab_belitung, "19.02.01", "fajar", BELITUNG["fajar"])
    return people


@pytest.fixture
def referred(personas, jobseekers):
    """Every Bangka jobseeker referred to Kartu Prakerja, fajar by Belitung."""
    bangka = [jobseekers[name] for name in BANGKA]
    referrals_create(user=personas.kab_bangka, people=bangka, target=PRAKERJA)
    referral_create(user=personas.kab_belitung, person=jobseekers["fajar"], target=PRAKERJA)
    return jobseekers


def status_file(tmp_path, rows, header=("NIK", "Status"), name="hasil.csv"):
    path = tmp_path / name
    lines = [header, *rows]
    path.write_text("\n".join(",".join(line) for line in lines) + "\n", encoding="utf-8")
    return path


def import_rows(user, tmp_path, rows, target=PRAKERJA, **kwargs):
    path = status_file(tmp_path, rows, **kwargs)
    return referral_status_import(user=user, target=target, path=path, filename=path.name)


def statuses(people, target=PRAKERJA):
    referrals = Referral.objects.filter(target=target, person__in=people.values())
    by_person = {r.person_id: r.status for r in referrals}
    return {name: by_person.get(person.pk) for name, person in people.items()}


def test_referring_a_person_twice_keeps_one_referral(personas, jobseekers):
    ani = jobseekers["ani"]
    first = referral_create(user=personas.kab_bangka, person=ani, target=PRAKERJA)
    again = referral_create(user=personas.prov_babel, person=ani, target=PRAKERJA)

    assert again.pk == first.pk
    assert Referral.objects.filter(person=ani).count() == 1
    assert (first.status, first.regency_code, first.district_code) == (
        Status.REFERRED,
        "19.01",
        "19.01.01",
    )
    assert first.village_code == ani.village_code


def test_a_person_may_be_referred_to_both_programmes(personas, jobseekers):
    ani = jobseekers["ani"]
    referral_create(user=personas.kab_bangka, person=ani, target=PRAKERJA)
    referral_create(user=personas.kab_bangka, person=ani, target=INDUSTRY)

    assert Referral.objects.filter(person=ani).count() == 2


def test_regency_officer_cannot_refer_a_person_of_another_regency(personas, jobseekers):
    with pytest.raises(Http404):
        referral_create(user=personas.kab_bangka, person=jobseekers["fajar"], target=PRAKERJA)

    assert not Referral.objects.exists()


def test_only_officers_refer_people(personas, jobseekers):
    with pytest.raises(PermissionDenied):
        referral_create(user=personas.kurator, person=jobseekers["ani"], target=PRAKERJA)


def test_referring_many_skips_those_already_referred_and_those_outside(personas, jobseekers):
    referral_create(user=personas.kab_bangka, person=jobseekers["ani"], target=PRAKERJA)

    counts = referrals_create(
        user=personas.kab_bangka, people=list(jobseekers.values()), target=PRAKERJA
    )

    assert counts == {"created": 4, "existing": 1, "not_visible": 1}
    assert Referral.objects.filter(target=PRAKERJA).count() == 5
    again = referrals_create(
        user=personas.kab_bangka,
        people=Person.objects.all(),
        target=PRAKERJA,
    )
    assert again == {"created": 0, "existing": 5, "not_visible": 1}


def test_prakerja_file_moves_referrals_registered_then_passed_or_not(personas, referred, tmp_path):
    officer = personas.kab_bangka
    registered = import_rows(
        officer,
        tmp_path,
        [
            (BANGKA["ani"], "Terdaftar"),
            (BANGKA["budi"], "registered"),
            (BANGKA["citra"], "terdaftar"),
        ],
    )
    assert (registered["updated"], registered["unchanged"]) == (3, 0)

    results = import_rows(
        officer,
        tmp_path,
        [(BANGKA["ani"], "LOLOS"), (BANGKA["budi"], "Tidak Lolos"), (BANGKA["citra"], "terdaftar")],
        name="hasil-seleksi.csv",
    )

    assert (results["updated"], results["unchanged"]) == (2, 1)
    assert results["backwards"] == results["refused"] == results["unknown_niks"] == []
    assert statuses(referred) == {
        "ani": Status.PASSED,
        "budi": Status.NOT_PASSED,
        "citra": Status.REGISTERED,
        "dedi": Status.REFERRED,
        "eka": Status.REFERRED,
        "fajar": Status.REFERRED,
    }


def test_counts_show_where_people_are_and_how_far_they_got(personas, referred, tmp_path):
    # 5 referred, 4 registered of whom 2 passed and 1 did not: "283 registered, 150 passed".
    import_rows(
        personas.kab_bangka,
        tmp_path,
        [
            (BANGKA["ani"], "lolos"),
            (BANGKA["budi"], "passed"),
            (BANGKA["citra"], "tidak lolos"),
            (BANGKA["dedi"], "terdaftar"),
        ],
    )

    counts = referral_counts(user=personas.kab_bangka, target=PRAKERJA)

    assert counts["total"] == 5
    assert counts["current"] == {"referred": 1, "registered": 1, "passed": 2, "not_passed": 1}
    assert counts["reached"] == {"referred": 5, "registered": 4, "passed": 2, "not_passed": 1}
    province = referral_counts(user=personas.prov_babel, target=PRAKERJA)
    assert province["reached"]["referred"] == 6
    assert referral_counts(user=personas.kurator, target=PRAKERJA)["total"] == 0


def test_a_status_never_moves_backwards(personas, referred, tmp_path):
    officer = personas.kab_bangka
    import_rows(officer, tmp_path, [(BANGKA["ani"], "lolos"), (BANGKA["budi"], "terdaftar")])

    report = import_rows(
        officer,
        tmp_path,
        [(BANGKA["ani"], "terdaftar"), (BANGKA["budi"], "lolos")],
        name="berkas-lama.csv",
    )

    assert report["updated"] == 1
    assert [(b["row"], b["current"], b["status"]) for b in report["backwards"]] == [
        (2, "passed", "registered")
    ]
    assert "tidak boleh mundur" in report["backwards"][0]["problem"]["id"]
    assert "never moves back" in report["backwards"][0]["problem"]["en"]
    assert statuses(referred)["ani"] == Status.PASSED


def test_passed_and_not_passed_are_one_step_not_two(personas, referred, tmp_path):
    officer = personas.kab_bangka
    import_rows(officer, tmp_path, [(BANGKA["ani"], "lolos")])

    report = import_rows(officer, tmp_path, [(BANGKA["ani"], "tidak lolos")], name="ralat.csv")

    assert report["updated"] == 0
    assert len(report["backwards"]) == 1
    assert statuses(referred)["ani"] == Status.PASSED


def test_unknown_status_words_refuse_the_whole_file(personas, referred, tmp_path):
    with pytest.raises(ImportRefused) as refused:
        import_rows(
            personas.kab_bangka,
            tmp_path,
            [
                (BANGKA["ani"], "lolos"),
                (BANGKA["budi"], "OK"),
                (BANGKA["citra"], "ok"),
                (BANGKA["dedi"], "gagal"),
            ],
        )

    problem = refused.value.problem
    assert problem.code == "referral_status_unknown"
    assert "'OK' (baris 3, 4)" in problem.id
    assert "'gagal' (row 5)" in problem.en
    assert "terdaftar, lolos, tidak lolos" in problem.id
    assert "registered, passed, not passed" in problem.en
    assert statuses(referred)["ani"] == Status.REFERRED


@pytest.mark.parametrize(
    "header, refusal",
    [
        (("NIK", "Nama"), "Kolom wajib tidak ditemukan: Status."),
        (("Nama", "Status"), "Kolom wajib tidak ditemukan: NIK."),
        # No header the readers know at all: the file is refused before its columns.
        (("Nama Peserta", "Status Kelulusan"), "Kolom wajib tidak ditemukan: NIK."),
    ],
)
def test_a_file_without_its_nik_or_status_column_is_refused(
    personas, referred, tmp_path, header, refusal
):
    with pytest.raises(ImportRefused) as refused:
        import_rows(personas.kab_bangka, tmp_path, [(BANGKA["ani"], "lolos")], header=header)

    assert refusal in refused.value.problem.id
    assert statuses(referred)["ani"] == Status.REFERRED


def test_reimporting_the_same_file_changes_nothing(personas, referred, tmp_path):
    rows = [
        (BANGKA["ani"], "lolos"),
        (BANGKA["budi"], "tidak lolos"),
        (BANGKA["citra"], "terdaftar"),
    ]
    first = import_rows(personas.kab_bangka, tmp_path, rows)
    after_first = statuses(referred)

    again = import_rows(personas.kab_bangka, tmp_path, rows)

    assert (first["updated"], first["unchanged"]) == (3, 0)
    assert (again["updated"], again["unchanged"]) == (0, 3)
    assert again["backwards"] == again["refused"] == []
    assert statuses(referred) == after_first


def test_nik_of_another_regency_is_unknown_to_the_regency_officer(personas, referred, tmp_path):
    report = import_rows(
        personas.kab_bangka,
        tmp_path,
        [
            (BANGKA["ani"], "terdaftar"),
            (BELITUNG["fajar"], "terdaftar"),
            ("3201010101900001", "lolos"),
        ],
    )

    assert report["updated"] == 1
    assert report["unknown_niks"] == [
        {"row": 3, "nik": BELITUNG["fajar"]},
        {"row": 4, "nik": "3201010101900001"},
    ]
    assert statuses(referred)["fajar"] == Status.REFERRED


def test_rows_that_cannot_be_used_are_refused_with_reasons(personas, referred, tmp_path):
    report = import_rows(
        personas.kab_bangka,
        tmp_path,
        [
            (BANGKA["ani"], "terdaftar"),
            ("", "lolos"),
            (BANGKA["budi"], ""),
            (BANGKA["citra"], "penempatan"),
            (BANGKA["ani"], "lolos"),
        ],
    )

    reasons = {r["row"]: [p["code"] for p in r["problems"]] for r in report["refused"]}
    assert reasons == {
        3: ["required"],
        4: ["required"],
        5: ["referral_status_other_programme"],
        6: ["referral_nik_repeated"],
    }
    assert "Kartu Prakerja" in report["refused"][2]["problems"][0]["en"]
    assert report["updated"] == 1
    assert statuses(referred)["ani"] == Status.REGISTERED


def test_3in1_referrals_go_training_certified_placed(personas, jobseekers, tmp_path):
    officer = personas.kab_bangka
    referrals_create(user=officer, people=[jobseekers["ani"], jobseekers["budi"]], target=INDUSTRY)

    def workbook(name, rows):
        book = Workbook()
        sheet = book.active
        sheet.append(["Rekap peserta pelatihan 3 in 1"])
        sheet.append(["No", "NIK", "Tahap"])
        for number, (nik, status) in enumerate(rows, start=1):
            sheet.append([number, nik, status])
        path = tmp_path / name
        book.save(path)
        return referral_status_import(user=officer, target=INDUSTRY, path=path, filename=name)

    # A NIK typed as a number is read back digit for digit.
    workbook("pelatihan.xlsx", [(int(BANGKA["ani"]), "Pelatihan"), (BANGKA["budi"], "training")])
    workbook("sertifikasi.xlsx", [(BANGKA["ani"], "sertifikasi"), (BANGKA["budi"], "lolos")])
    report = workbook("penempatan.xlsx", [(BANGKA["ani"], "Placed"), (BANGKA["budi"], "pelatihan")])

    assert report["updated"] == 1 and report["unchanged"] == 1
    assert statuses({"ani": jobseekers["ani"], "budi": jobseekers["budi"]}, INDUSTRY) == {
        "ani": Status.PLACED,
        "budi": Status.TRAINING,
    }
    counts = referral_counts(user=officer, target=INDUSTRY)
    assert counts["reached"] == {"referred": 2, "training": 2, "certified": 1, "placed": 1}
