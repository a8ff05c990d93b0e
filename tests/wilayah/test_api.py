"""The public region lists of /api/v1/wilayah/."""

import pytest

from pulih.wilayah.models import Village


@pytest.fixture
def api(client, regions):
    return client


def test_anyone_may_list_the_38_provinces(api):
    response = api.get("/api/v1/wilayah/provinces")
    assert response.status_code == 200
    provinces = response.json()
    assert len(provinces) == 38
    assert {"code": "19", "name": "Kepulauan Bangka Belitung"} in provinces


def test_the_38_provinces_hold_514_regencies_and_cities(api):
    provinces = api.get("/api/v1/wilayah/provinces").json()
    total = sum(
        len(api.get(f"/api/v1/wilayah/provinces/{p['code']}/regencies").json()) for p in provinces
    )
    assert total == 514


def test_regencies_of_a_province_say_whether_they_are_a_kabupaten_or_a_kota(api):
    regencies = api.get("/api/v1/wilayah/provinces/19/regencies").json()
    assert {"code": "19.01", "name": "Kabupaten Bangka", "kind": "kabupaten"} in regencies
    assert {"code": "19.71", "name": "Kota Pangkal Pinang", "kind": "kota"} in regencies
    assert len(regencies) == 7


def test_districts_and_villages_follow_their_parent(api):
    districts = api.get("/api/v1/wilayah/regencies/19.01/districts").json()
    assert districts and all(d["code"].startswith("19.01.") for d in districts)
    villages = api.get("/api/v1/wilayah/districts/19.01.01/villages").json()
    assert len(villages) == Village.objects.filter(district="19.01.01").count()
    assert set(villages[0]) == {"code", "name"}


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/wilayah/provinces/20/regencies",
        "/api/v1/wilayah/regencies/19.99/districts",
        "/api/v1/wilayah/districts/19.01.99/villages",
    ],
)
def test_an_unknown_parent_is_a_404_with_a_message(api, url):
    response = api.get(url)
    assert response.status_code == 404
    assert response.json()["message"]
