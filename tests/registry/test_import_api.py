"""The import over the API: upload → task id → status → accept → invalid rows; and scope."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from pulih.core.models import TaskProgress
from pulih.registry.importing.tasks import import_validate, import_write
from pulih.registry.models import Business

from .test_import_files import row, xlsx_file

pytestmark = pytest.mark.django_db

URL = "/api/v1/registry/imports"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def upload(client, tmp_path, rows, headers=None, **data):
    path = xlsx_file(tmp_path / "umkm.xlsx", rows)
    file = SimpleUploadedFile("umkm.xlsx", path.read_bytes())
    return client.post(f"{URL}/", {"file": file, **data}, headers=headers)


def run(task, task_id):
    task.func(task_id, "en")


def test_upload_status_accept_and_result(personas, login, tmp_path):
    client = login(personas.kab_bangka)
    response = upload(client, tmp_path, [row(1), row(2, **{"Nama Usaha": ""})])
    assert response.status_code == 202
    task_id = response.json()["task_id"]
    assert client.get(f"{URL}/{task_id}").json()["status"] == "queued"

    run(import_validate, task_id)
    status = client.get(f"{URL}/{task_id}").json()
    assert (status["status"], status["stage"]) == ("done", "validated")
    assert status["counts"]["valid"] == 1 and status["error_count"] == 1
    assert status["errors"][0] == {
        "row": 3,
        "column": "Nama Usaha",
        "value": "",
        "message": "Nama Usaha is required.",
        "code": "required",
    }
    assert "token" not in status

    invalid = client.get(f"{URL}/{task_id}/invalid.xlsx")
    assert invalid.status_code == 200
    assert invalid["Content-Type"].startswith("application/vnd.openxmlformats")

    accepted = client.post(f"{URL}/{task_id}/accept")
    assert (accepted.status_code, accepted.json()["task_id"]) == (202, task_id)
    run(import_write, task_id)
    status = client.get(f"{URL}/{task_id}").json()
    assert status["stage"] == "written"
    assert status["written"]["businesses"] == 1
    assert status["batch"]["stage"] == 1
    assert Business.objects.count() == 1
    assert client.post(f"{URL}/{task_id}/accept").status_code == 409


def test_a_bearer_token_works_too(personas, client, tmp_path):
    from pulih.accounts.services import token_issue

    key = token_issue(user=personas.kab_bangka)
    response = upload(client, tmp_path, [row(1)], headers={"Authorization": f"Bearer {key}"})
    assert response.status_code == 202


def test_a_file_of_unknown_type_is_refused_with_its_reason(personas, login):
    client = login(personas.kab_bangka)
    file = SimpleUploadedFile("data.pdf", b"%PDF-1.4")
    response = client.post(f"{URL}/", {"file": file})
    assert response.status_code == 400
    assert response.json()["code"] == "file_extension"


def test_a_refused_file_reports_its_reason_in_the_status(personas, login):
    client = login(personas.kab_bangka)
    file = SimpleUploadedFile("rusak.ods", b"PK\x03\x04 rusak")
    task_id = client.post(f"{URL}/", {"file": file}).json()["task_id"]
    run(import_validate, task_id)
    status = client.get(f"{URL}/{task_id}").json()
    assert (status["status"], status["stage"]) == ("failed", "refused")
    assert "not in ODS format" in status["message"]


def test_province_officer_names_the_regency(personas, login, tmp_path):
    client = login(personas.prov_babel)
    missing = upload(client, tmp_path, [row(1)])
    assert missing.status_code == 400
    assert upload(client, tmp_path, [row(1)], regency="19.01").status_code == 202


@pytest.mark.parametrize(
    ("persona", "regency"),
    [
        ("kab_bangka", "19.02"),
        ("pendamping_bangka", "19.02"),
        ("prov_babel", "32.01"),
        ("kurator", ""),
        ("pembeli_kf", ""),
        ("koperasi_tanimulus", ""),
        ("pic_kemenkop", ""),
        ("asn_demo", ""),
    ],
)
def test_imports_outside_the_scope_do_not_exist(personas, login, tmp_path, persona, regency):
    client = login(getattr(personas, persona))
    response = upload(client, tmp_path, [row(1)], regency=regency)
    assert response.status_code == 404
    assert not TaskProgress.objects.exists()


def test_another_users_import_does_not_exist(personas, login, tmp_path):
    task_id = upload(login(personas.kab_bangka), tmp_path, [row(1, **{"Nama Usaha": ""})]).json()[
        "task_id"
    ]
    run(import_validate, task_id)
    for other in (personas.kab_belitung, personas.pusat):
        client = login(other)
        assert client.get(f"{URL}/{task_id}").status_code == 404
        assert client.post(f"{URL}/{task_id}/accept").status_code == 404
        assert client.get(f"{URL}/{task_id}/invalid.xlsx").status_code == 404


def test_anonymous_callers_are_refused(client):
    assert client.get(f"{URL}/00000000-0000-0000-0000-000000000000").status_code == 401
