"""`pulih import FILE --user USERNAME [--dry-run] [--regency CODE]`: the same import, with
a JSON summary as the last line of stdout."""

import io
import json

import pytest
from django.core.management import CommandError, call_command

from pulih.registry.models import Business

from .test_import_files import row, xlsx_file

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path, personas):
    settings.MEDIA_ROOT = tmp_path / "media"


def pulih_import(*args, **options):
    out, err = io.StringIO(), io.StringIO()
    call_command("import", *args, stdout=out, stderr=err, **options)
    return json.loads(out.getvalue().strip().splitlines()[-1]), err.getvalue()


def test_the_last_line_is_a_json_summary(tmp_path):
    path = xlsx_file(tmp_path / "umkm.xlsx", [row(1), row(2), row(3, **{"Nama Usaha": ""})])
    summary, progress = pulih_import(str(path), user="kab-bangka")
    assert summary["status"] == "written"
    assert summary["counts"]["valid"] == 2 and summary["counts"]["invalid"] == 1
    assert summary["error_count"] == 1
    assert summary["errors"][0]["column"] == "Nama Usaha"
    assert summary["written"]["businesses"] == 2
    assert summary["batch"]["stage"] == 1 and summary["batch"]["status"] == "draft"
    assert summary["error_file"].endswith(".errors.xlsx")
    assert set(summary["seconds"]) == {"validate", "write", "total"}
    assert "2 / 2" in progress, "progress goes to stderr"
    assert Business.objects.count() == 2


def test_a_dry_run_writes_nothing(tmp_path):
    summary, _ = pulih_import(
        str(xlsx_file(tmp_path / "u.xlsx", [row(1)])), user="kab-bangka", dry_run=True
    )
    assert summary["status"] == "validated"
    assert summary["counts"]["valid"] == 1
    assert summary["written"] is None
    assert not Business.objects.exists()


def test_a_refused_file_fails_with_its_reason_and_a_summary(tmp_path):
    path = tmp_path / "kosong.csv"
    path.write_bytes(b"")
    out = io.StringIO()
    with pytest.raises(CommandError, match="Berkas kosong"):
        call_command("import", str(path), user="kab-bangka", stdout=out)
    assert json.loads(out.getvalue().strip().splitlines()[-1])["status"] == "refused"


def test_province_officers_name_the_regency(tmp_path):
    path = xlsx_file(tmp_path / "u.xlsx", [row(1)])
    with pytest.raises(CommandError):
        pulih_import(str(path), user="prov-babel")
    summary, _ = pulih_import(str(path), user="prov-babel", regency="19.01")
    assert summary["regency_code"] == "19.01"


def test_a_regency_outside_the_users_scope_is_refused(tmp_path):
    path = xlsx_file(tmp_path / "u.xlsx", [row(1)])
    with pytest.raises(CommandError, match="may not import"):
        pulih_import(str(path), user="kab-bangka", regency="19.02")
    with pytest.raises(CommandError, match="No active user"):
        pulih_import(str(path), user="nobody")
