"""Writes are audited; every asset a page needs is served by pulih itself."""

import re
from pathlib import Path

import pytest
from auditlog.models import LogEntry
from django.contrib.staticfiles import finders

from pulih.accounts.services import user_create

pytestmark = pytest.mark.django_db

SRC = Path(__file__).resolve().parents[2] / "src" / "pulih"
EXTERNAL = re.compile(r"""(src|href)=["'](https?:)?//""")


def test_changing_a_users_scope_is_audited(personas):
    officer = personas.kab_bangka
    officer.regency_code = "19.02"
    officer.save()
    entry = LogEntry.objects.get_for_object(officer).latest("timestamp")
    assert entry.changes_dict["regency_code"] == ["19.01", "19.02"]


def test_an_audited_user_change_never_records_the_password_hash(personas):
    user = user_create(username="baru", role="asn", password="sangat-rahasia-123")
    entry = LogEntry.objects.get_for_object(user).latest("timestamp")
    assert "password" not in entry.changes_dict


def test_templates_load_nothing_from_other_sites():
    offenders = [
        str(path.relative_to(SRC))
        for path in SRC.rglob("*.html")
        if EXTERNAL.search(path.read_text(encoding="utf-8"))
    ]
    assert offenders == []


def test_htmx_and_the_stylesheet_are_served_by_the_app():
    assert finders.find("vendor/htmx-2.0.11.min.js")
    assert finders.find("pulih/pulih.css")


def test_api_docs_page_uses_local_swagger(client, personas):
    client.force_login(personas.pusat)
    html = client.get("/api/v1/docs").content.decode()
    assert "swagger-ui-bundle.js" in html
    assert "cdn." not in html


def test_openapi_schema_lists_the_region_and_nik_endpoints(client):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    assert "/api/v1/wilayah/provinces" in paths
    assert "/api/v1/tools/nik/{nik}" in paths
    assert "/api/v1/auth/token" in paths
