import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_home_names_the_officers_working_area(personas, login):
    page = login(personas.pendamping_bangka).get("/").content.decode()
    assert "Sungailiat (19.01.01)" in page
    assert "Belinyu (19.01.02)" in page


def test_navigation_follows_the_role(personas, login):
    officer = login(personas.kab_bangka).get("/").content.decode()
    assert reverse("accounts:user_list") in officer
    buyer = login(personas.asn_demo).get("/").content.decode()
    assert reverse("accounts:user_list") not in buyer
    assert reverse("dashboard:nik_check") not in buyer


def test_nik_check_decodes_region_birth_date_and_sex_as_you_type(personas, login):
    client = login(personas.pendamping_bangka)
    response = client.post(
        reverse("dashboard:nik_check"), {"nik": "1901014107800003"}, HTTP_HX_REQUEST="true"
    )
    html = response.content.decode()
    assert "<html" not in html, "htmx gets only the result fragment"
    assert "Kabupaten Bangka" in html
    assert "1 Juli 1980" in html
    assert "Perempuan" in html


def test_nik_check_explains_a_bad_nik_in_indonesian(personas, login):
    client = login(personas.kab_bangka)
    html = client.post(reverse("dashboard:nik_check"), {"nik": "19010141078"}).content.decode()
    assert "NIK ini tidak sah." in html
    assert "16 digit" in html


def test_nik_check_is_not_there_for_buyers(personas, login):
    client = login(personas.pembeli_kf)
    assert client.get(reverse("dashboard:nik_check")).status_code == 404


def test_too_many_niks_at_once_is_refused_with_a_message(personas, login):
    client = login(personas.kab_bangka)
    text = "\n".join(["1901014107800003"] * 10_001)
    html = client.post(reverse("dashboard:nik_check"), {"niks": text}).content.decode()
    assert "Terlalu banyak baris" in html


def test_demo_command_is_idempotent(personas):
    from django.contrib.auth import get_user_model
    from django.core.management import call_command

    call_command("demo", verbosity=0)
    before = get_user_model().objects.count()
    call_command("demo", verbosity=0)
    assert get_user_model().objects.count() == before


def test_every_demo_persona_signs_in_with_the_demo_password(personas, client):
    from pulih.accounts.services import DEMO_PERSONAS

    for username in DEMO_PERSONAS:
        response = client.post(
            reverse("accounts:login"), {"username": username, "password": "demo-pulih"}
        )
        assert response.status_code == 302, username
        client.post(reverse("accounts:logout"))


def test_a_checked_nik_never_appears_in_a_url(personas, login):
    client = login(personas.kab_bangka)
    html = client.get(reverse("dashboard:nik_check")).content.decode()
    assert 'method="post" hx-post=' in html
    assert (
        client.get(reverse("dashboard:nik_check"), {"nik": "1901014107800003"}).status_code == 200
    )
    assert (
        "Kabupaten Bangka"
        not in client.get(
            reverse("dashboard:nik_check"), {"nik": "1901014107800003"}
        ).content.decode()
    )
