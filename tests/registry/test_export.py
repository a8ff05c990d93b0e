"""Registry downloads: the rows of the list as filtered, inside the viewer's area, with
formulas neutralised and NIKs masked for roles that may not see them."""

import csv
import io

import pytest
from django.conf import settings
from django.urls import reverse
from openpyxl import load_workbook

from pulih.accounts.models import User

from .test_lists import registry_records

pytestmark = pytest.mark.django_db

FORMULA_NAME = '=HYPERLINK("http://evil.example","klik")'


@pytest.fixture
def records(personas, villages):
    return registry_records(personas, villages)


def download(client, url_name, **query):
    """The rows of a download as dicts by (English) header."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.get(reverse(url_name), query)
    assert response.status_code == 200
    content = b"".join(response.streaming_content)
    if query.get("format") == "csv":
        text = content.decode("utf-8").removeprefix("\ufeff")
        rows = list(csv.reader(io.StringIO(text)))
    else:
        sheet = load_workbook(io.BytesIO(content)).active
        rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    header, *body = rows
    return [dict(zip(header, row, strict=True)) for row in body]


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_business_export_neutralises_formulas_and_keeps_numbers(personas, records, login, fmt):
    rows = download(login(personas.kab_bangka), "registry:business_export", format=fmt)
    by_nik = {row["Owner NIK"]: row for row in rows}
    assert by_nik["1901031203750001"]["Business name"] == "'" + FORMULA_NAME
    kerupuk = by_nik["1901014107800003"]
    assert kerupuk["Business name"] == "Kerupuk Ikan Bu Siti"
    assert kerupuk["Business capital (Rp)"] == (50_000_000 if fmt == "xlsx" else "50000000")
    assert kerupuk["Latest impact status"] == "Reduced"
    assert kerupuk["Village"]


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_business_export_applies_the_lists_filters(personas, records, login, fmt):
    rows = download(
        login(personas.prov_babel), "registry:business_export", format=fmt, impact_status="reduced"
    )
    assert sorted(row["Business name"] for row in rows) == ["Kerupuk Ikan Bu Siti", "Kopi Belitong"]
    rows = download(login(personas.prov_babel), "registry:business_export", format=fmt, q="kopi")
    assert [row["Business name"] for row in rows] == ["Kopi Belitong"]


def test_business_export_holds_only_the_viewers_area(personas, records, login):
    rows = download(login(personas.kab_belitung), "registry:business_export", format="csv")
    assert [row["Business name"] for row in rows] == ["Kopi Belitong"]
    rows = download(login(personas.pendamping_bangka), "registry:person_export", format="csv")
    assert [row["Name"] for row in rows] == ["Siti Aminah"]


def test_officers_export_full_nik_and_phone(personas, records, login):
    rows = download(login(personas.kab_bangka), "registry:person_export", format="xlsx")
    siti = next(row for row in rows if row["Name"] == "Siti Aminah")
    assert siti["NIK"] == "1901014107800003"
    assert siti["Phone"] == "'+6281234567890"  # a leading + is a formula to Excel too


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_export_masks_nik_and_phone_for_roles_without_personal_data(
    personas, records, login, monkeypatch, fmt
):
    monkeypatch.setattr(User, "sees_personal_data", property(lambda user: False))
    client = login(personas.kab_bangka)
    people = download(client, "registry:person_export", format=fmt)
    siti = next(row for row in people if row["Name"] == "Siti Aminah")
    assert siti["NIK"] == "1901********0003"
    assert siti["Phone"] == "'+62812*****890"
    businesses = download(client, "registry:business_export", format=fmt)
    assert {row["Owner NIK"] for row in businesses} == {"1901********0003", "1901********0001"}
    content = b"".join(
        client.get(reverse("registry:business_export"), {"format": fmt}).streaming_content
    )
    assert b"1901014107800003" not in content


def test_cooperative_export_names_the_chair(personas, records, login):
    rows = download(login(personas.prov_babel), "registry:cooperative_export", format="csv")
    chairs = {row["Name"]: row["Chair"] for row in rows}
    assert chairs == {"Koperasi Nelayan Sungailiat": "Siti Aminah", "Koperasi Tani Belitong": ""}


def test_export_links_on_the_list_carry_its_filters(personas, records, login):
    response = login(personas.kab_bangka).get(
        reverse("registry:business_list"), {"q": "kerupuk", "page": "1"}
    )
    links = response.context["export_links"]
    assert links["xlsx"] == "/registri/usaha/ekspor/?q=kerupuk&format=xlsx"
    assert links["csv"] == "/registri/usaha/ekspor/?q=kerupuk&format=csv"


def test_an_unknown_export_format_is_not_found(personas, records, login):
    response = login(personas.kab_bangka).get(
        reverse("registry:business_export"), {"format": "pdf"}
    )
    assert response.status_code == 404


@pytest.mark.parametrize("outsider", ["kurator", "pembeli_kf", "asn_demo"])
def test_outsiders_cannot_export_the_registry(personas, records, login, outsider):
    client = login(getattr(personas, outsider))
    assert client.get(reverse("registry:business_export"), {"format": "csv"}).status_code == 404
    assert client.get(reverse("registry:person_export"), {"format": "csv"}).status_code == 404
