"""GET /api/v1/tools/nik/{nik}: decode a NIK for a signed-in user, in the user's language."""

import pytest

VALID = "1901014107900003"
BAD_MONTH = "1901014113900003"


@pytest.fixture
def officer(login, personas):
    return login(personas.kab_bangka)


def test_a_valid_nik_is_decoded_with_region_names(officer):
    response = officer.get(f"/api/v1/tools/nik/{VALID}")
    assert response.status_code == 200
    data = response.json()
    assert data["valid"] is True
    assert data["province_name"] == "Kepulauan Bangka Belitung"
    assert data["regency_name"] == "Kabupaten Bangka"
    assert data["district_code"] == "19.01.01"
    assert data["birth_date"] == "1990-07-01"
    assert data["sex"] == "F"


def test_an_invalid_nik_is_a_422_with_reasons_in_indonesian_by_default(officer):
    response = officer.get(f"/api/v1/tools/nik/{BAD_MONTH}")
    assert response.status_code == 422
    data = response.json()
    assert data["message"] == "Bulan lahir di NIK harus 01–12, tertulis 13."
    assert [e["code"] for e in data["errors"]] == ["nik_birth_month"]
    assert data["errors"][0]["text"] == data["message"]


def test_reasons_are_in_english_when_the_browser_asks_for_it(officer):
    response = officer.get(f"/api/v1/tools/nik/{BAD_MONTH}", headers={"Accept-Language": "en"})
    assert response.status_code == 422
    assert response.json()["message"] == "The birth month in a NIK must be 01–12, got 13."


def test_reasons_are_in_english_when_the_language_cookie_says_so(officer, settings):
    officer.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = officer.get(f"/api/v1/tools/nik/{BAD_MONTH}")
    assert response.json()["message"] == "The birth month in a NIK must be 01–12, got 13."


def test_a_nik_of_the_wrong_length_is_rejected(officer):
    response = officer.get("/api/v1/tools/nik/190101")
    assert response.status_code == 422
    assert response.json()["errors"][0]["code"] == "nik_length"


def test_anonymous_callers_must_sign_in(client, regions):
    response = client.get(f"/api/v1/tools/nik/{VALID}")
    assert response.status_code == 401
    assert response.json()["message"]
