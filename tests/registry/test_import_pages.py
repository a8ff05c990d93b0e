"""The import pages: upload, preview, accept, downloads; and who may use them.

Who may import where: a regency officer into their regency; a field assistant into
theirs, for villages of their districts only; province and centre officers choose a
regency of their scope. Everyone else does not see the import (404), and an import is
its owner's alone.
"""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from openpyxl import load_workbook

from pulih.core.models import TaskProgress
from pulih.registry.importing.tasks import import_validate, import_write
from pulih.registry.models import Business, ImpactReport

from .test_import_files import HEADER, row, xlsx_file

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def login(login, settings):
    """Pages in English here; the Indonesian texts of rows and files are tested with the
    reading and checking of files."""

    def _login(user):
        client = login(user)
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
        return client

    return _login


def upload(tmp_path, rows, name="umkm.xlsx"):
    path = xlsx_file(tmp_path / name, rows)
    return SimpleUploadedFile(name, path.read_bytes())


def start(client, tmp_path, rows, **data):
    response = client.post(
        reverse("registry_import:upload"), {"file": upload(tmp_path, rows), **data}
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    return TaskProgress.objects.latest("created_at")


def run(task, progress):
    task.func(str(progress.pk), "en")
    progress.refresh_from_db()
    return progress


def test_regency_officer_uploads_sees_the_preview_and_accepts(personas, login, tmp_path):
    client = login(personas.kab_bangka)
    page = client.get(reverse("registry_import:upload")).content.decode()
    assert reverse("registry_import:template") in page
    assert 'name="regency"' not in page, "a regency officer imports into their regency"

    progress = start(client, tmp_path, [row(1), row(2), row(3, **{"Jenis Kelamin (L/P)": "X"})])
    assert progress.status == TaskProgress.Status.QUEUED
    assert "umkm.xlsx" in progress.title
    run(import_validate, progress)
    assert progress.result["counts"]["valid"] == 2
    assert progress.payload == {}
    detail = client.get(reverse("registry_import:detail", args=[progress.pk])).content.decode()
    assert "Accept 2 valid rows" in detail
    assert "write L or P" in detail
    assert reverse("registry_import:errors", args=[progress.pk]) in detail

    response = client.post(reverse("registry_import:accept", args=[progress.pk]))
    assert response.status_code == 302
    progress.refresh_from_db()
    assert (progress.status, progress.result["stage"]) == ("queued", "accepted")
    run(import_write, progress)
    assert progress.status == TaskProgress.Status.DONE
    assert Business.objects.count() == 2 and ImpactReport.objects.count() == 2
    detail = client.get(reverse("registry_import:detail", args=[progress.pk])).content.decode()
    assert "written to stage (tahap) 1" in detail


def test_an_import_is_accepted_once(personas, login, tmp_path):
    client = login(personas.kab_bangka)
    progress = run(import_validate, start(client, tmp_path, [row(1)]))
    client.post(reverse("registry_import:accept", args=[progress.pk]))
    response = client.post(reverse("registry_import:accept", args=[progress.pk]), follow=True)
    assert "cannot be accepted now" in response.content.decode()
    run(import_write, progress)
    assert Business.objects.count() == 1


def test_a_refused_file_says_why_on_the_page(personas, login, tmp_path):
    client = login(personas.kab_bangka)
    path = tmp_path / "rusak.xlsx"
    path.write_bytes(b"PK\x03\x04 rusak")
    client.post(
        reverse("registry_import:upload"),
        {"file": SimpleUploadedFile("rusak.xlsx", path.read_bytes())},
    )
    progress = run(import_validate, TaskProgress.objects.get())
    assert progress.status == TaskProgress.Status.FAILED
    assert progress.result["problem"]["code"] == "file_corrupt"
    page = client.get(reverse("registry_import:detail", args=[progress.pk])).content.decode()
    assert "is damaged or not in XLSX format" in page
    assert not list((tmp_path / "media" / "imports").glob("*.xlsx")), "the upload is deleted"


def test_an_unknown_file_type_is_refused_at_once(personas, login):
    client = login(personas.kab_bangka)
    file = SimpleUploadedFile("data.pdf", b"%PDF-1.4")
    page = client.post(reverse("registry_import:upload"), {"file": file}).content.decode()
    assert "Files of type .pdf cannot be read" in page
    assert not TaskProgress.objects.exists()


def test_province_officer_chooses_a_regency_of_the_province(personas, login, tmp_path):
    client = login(personas.prov_babel)
    page = client.get(reverse("registry_import:upload")).content.decode()
    assert 'value="19.02"' in page and 'value="32.01"' not in page
    response = client.post(reverse("registry_import:upload"), {"file": upload(tmp_path, [row(1)])})
    assert response.status_code == 200, "the regency is required"
    outside = client.post(
        reverse("registry_import:upload"),
        {"file": upload(tmp_path, [row(1)]), "regency": "32.01"},
    )
    assert outside.status_code == 200 and not TaskProgress.objects.exists()
    progress = start(client, tmp_path, [row(1)], regency="19.01")
    assert run(import_validate, progress).result["regency_code"] == "19.01"


def test_field_assistant_imports_only_villages_of_their_districts(personas, login, tmp_path):
    client = login(personas.pendamping_bangka)
    merawang = "19.01.03.2001"
    rows = [row(1), row(2, **{"Kode Desa/Kelurahan": merawang})]
    progress = run(import_validate, start(client, tmp_path, rows))
    assert progress.result["counts"]["valid"] == 1
    assert progress.result["errors"][0]["code"] == "village_outside_districts"


@pytest.mark.parametrize(
    "persona", ["kurator", "pembeli_kf", "koperasi_tanimulus", "pic_kemenkop", "asn_demo"]
)
def test_roles_without_a_region_do_not_see_the_import(personas, login, persona):
    client = login(getattr(personas, persona))
    assert client.get(reverse("registry_import:upload")).status_code == 404
    assert client.get(reverse("registry_import:template")).status_code == 404


def test_an_import_is_its_owners_alone(personas, login, tmp_path):
    owner = login(personas.kab_bangka)
    progress = run(import_validate, start(owner, tmp_path, [row(1, **{"Nama Usaha": ""})]))
    assert owner.get(reverse("registry_import:errors", args=[progress.pk])).status_code == 200
    for other in (personas.kab_belitung, personas.prov_babel, personas.pusat):
        client = login(other)
        for name in ("detail", "errors"):
            assert (
                client.get(reverse(f"registry_import:{name}", args=[progress.pk])).status_code
                == 404
            )
        assert client.post(reverse("registry_import:accept", args=[progress.pk])).status_code == 404


def test_error_rows_download_as_xlsx(personas, login, tmp_path):
    client = login(personas.kab_bangka)
    progress = run(import_validate, start(client, tmp_path, [row(1), row(2, **{"Nama Usaha": ""})]))
    response = client.get(reverse("registry_import:errors", args=[progress.pk]))
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    lines = list(sheet.iter_rows(values_only=True))
    assert lines[0][-1] == "Kesalahan" and len(lines) == 2


def test_template_has_indonesian_headers_text_code_columns_and_instructions(personas, login):
    response = login(personas.kab_bangka).get(reverse("registry_import:template"))
    workbook = load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames == ["Data", "Petunjuk"]
    data = workbook["Data"]
    headers = [cell.value for cell in data[1]]
    assert headers[:4] == [
        "NIK",
        "Nama Pemilik",
        "Tanggal Lahir (DD-MM-YYYY)",
        "Jenis Kelamin (L/P)",
    ]
    assert set(HEADER) <= set(headers)
    nik_column = headers.index("NIK") + 1
    assert data.cell(row=2, column=nik_column).value == "1901014107800003"
    assert data.cell(row=2, column=nik_column).number_format == "@"
    assert data.column_dimensions["A"].number_format == "@"
    instructions = " ".join(str(c.value) for line in workbook["Petunjuk"].iter_rows() for c in line)
    assert "Kode Desa/Kelurahan" in instructions and "Beroperasi" in instructions
    assert "1.000.000" in instructions, "the row limit"


@pytest.mark.django_db(transaction=True)
def test_an_import_runs_end_to_end_in_the_worker(personas, login, tmp_path):
    client = login(personas.kab_bangka)
    progress = start(client, tmp_path, [row(1), row(2)])
    call_command("db_worker", batch=True, verbosity=0)
    progress.refresh_from_db()
    assert progress.result["counts"]["valid"] == 2
    fragment = client.get(reverse("core:task_progress", args=[progress.pk])).content.decode()
    assert "hx-trigger" not in fragment and "Accept 2 valid rows" in fragment
    client.post(reverse("registry_import:accept", args=[progress.pk]))
    call_command("db_worker", batch=True, verbosity=0)
    progress.refresh_from_db()
    assert progress.result["stage"] == "written"
    assert Business.objects.count() == 2
