"""A regency officer imports a spreadsheet with bad rows, takes the report, accepts the
good rows and submits the stage; the province approves it."""

import io

import pytest
from django.core.management import call_command
from openpyxl import Workbook, load_workbook

from pulih.registry.models import Business, CollectionBatch
from pulih.wilayah.models import Village

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

HEADERS = [
    "NIK",
    "Nama Pemilik",
    "Tanggal Lahir (DD-MM-YYYY)",
    "Jenis Kelamin (L/P)",
    "No. HP",
    "Kode Desa/Kelurahan",
    "Nama Usaha",
    "Sektor (KBLI A-U)",
    "Tanggal Pendataan (DD-MM-YYYY)",
    "Status Usaha",
]


def spreadsheet(village):
    sheet_book = Workbook()
    sheet = sheet_book.active
    sheet.append(HEADERS)
    good = [
        ("1901014107800003", "Siti Aminah", "01-07-1980", "P", "081234567890", "Kerupuk Bu Siti"),
        ("1901011204850001", "Ahmad Yani", "12-04-1985", "L", "081234567891", "Lada Putih Yani"),
        ("1901015009900002", "Dewi Lestari", "10-09-1990", "P", "081234567892", "Batik Cual Dewi"),
        ("1901010101750004", "Acong", "01-01-1975", "L", "081234567893", "Kopi Acong"),
    ]
    for nik, name, born, sex, phone, business in good:
        sheet.append(
            [nik, name, born, sex, phone, village, business, "C", "15-04-2020", "Berkurang"]
        )
    bad = [
        ("19010141078", "Rina", "01-07-1980", "P", "0812", village, "Warung Rina"),
        ("1901014107800009", "", "01-07-1980", "P", "081234567894", village, "Tanpa Nama"),
        (
            "1901011204850007",
            "Budi",
            "12-04-1985",
            "L",
            "081234567895",
            "99.99.99.9999",
            "Budi Jaya",
        ),
    ]
    for nik, name, born, sex, phone, place, business in bad:
        sheet.append([nik, name, born, sex, phone, place, business, "C", "15-04-2020", "Tutup"])
    out = io.BytesIO()
    sheet_book.save(out)
    return out.getvalue()


def sign_in(page, url, username):
    page.goto(f"{url}/akun/masuk/")
    page.fill("#id_username", username)
    page.fill("#id_password", "demo-pulih")
    page.click("button[type=submit].btn")
    page.wait_for_url(f"{url}/")


def run_worker():
    call_command("db_worker", batch=True, verbosity=0)


def test_regency_imports_fixes_nothing_accepts_submits_and_province_approves(
    live_server, personas, page, tmp_path, settings
):
    settings.MEDIA_ROOT = tmp_path / "media"
    village = Village.objects.filter(district_id="19.01.01").order_by("code").first().code
    upload = tmp_path / "umkm-bangka.xlsx"
    upload.write_bytes(spreadsheet(village))

    sign_in(page, live_server.url, "kab-bangka")
    page.goto(f"{live_server.url}/registri/impor/")
    page.set_input_files("input[type=file]", str(upload))
    page.click("button[type=submit].btn")
    page.wait_for_selector(".task-progress")
    run_worker()
    page.wait_for_selector("text=Terima 4 baris sah", timeout=15_000)
    report = page.content()
    assert "19010141078" in report, "the bad NIK is shown with its row"

    with page.expect_download() as download_info:
        page.click("text=Unduh baris yang salah (XLSX)")
    error_file = tmp_path / "baris-salah.xlsx"
    download_info.value.save_as(error_file)
    errors = load_workbook(error_file, read_only=True).active
    rows = list(errors.iter_rows(values_only=True))
    assert rows[0][-1] == "Kesalahan"
    assert len(rows) == 4, "a header and the three bad rows"

    page.click("text=Terima 4 baris sah")
    run_worker()
    page.wait_for_selector("text=4 baris telah ditulis ke tahap 1.", timeout=15_000)
    assert Business.objects.filter(regency_code="19.01").count() == 4

    batch = CollectionBatch.objects.get(regency_code="19.01", stage=1)
    page.goto(f"{live_server.url}/registri/tahap/{batch.pk}/")
    page.click("button[data-action=submit]")
    page.wait_for_selector("text=Tahap ini telah dikirim ke provinsi.")

    page.context.clear_cookies()
    sign_in(page, live_server.url, "prov-babel")
    page.goto(f"{live_server.url}/registri/tahap/{batch.pk}/")
    page.click("button[data-action=verify]")
    page.wait_for_selector("text=Tahap ini telah diverifikasi.")
    page.click("button[data-action=approve]")
    page.wait_for_selector("text=Tahap ini telah disetujui dan kini terkunci.")
    batch.refresh_from_db()
    assert batch.status == CollectionBatch.Status.APPROVED
