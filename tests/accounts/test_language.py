import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_interface_is_indonesian_by_default(client, personas):
    response = client.get(reverse("accounts:login"))
    assert '<html lang="id">' in response.content.decode()
    assert "Masuk ke pulih" in response.content.decode()


def test_switch_to_english_persists_in_cookie_and_on_the_user(login, personas):
    client = login(personas.kab_bangka)
    client.post(reverse("accounts:language"), {"language": "en", "next": "/"})
    assert "Welcome" in client.get("/").content.decode()
    personas.kab_bangka.refresh_from_db()
    assert personas.kab_bangka.language == "en"


def test_saved_language_follows_the_user_to_a_new_browser(client, personas):
    personas.kab_bangka.language = "en"
    personas.kab_bangka.save()
    client.force_login(personas.kab_bangka)
    assert "Welcome" in client.get("/").content.decode()


def test_unknown_language_is_ignored(login, personas):
    client = login(personas.kab_bangka)
    client.post(reverse("accounts:language"), {"language": "xx", "next": "/"})
    assert "Selamat datang" in client.get("/").content.decode()


def test_a_browser_set_to_english_still_gets_indonesian_pages(client, personas):
    response = client.get(reverse("accounts:login"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert "Masuk ke pulih" in response.content.decode()


def test_the_api_answers_in_english_when_asked(client, personas):
    english = client.get("/api/v1/wilayah/provinces/00/regencies", HTTP_ACCEPT_LANGUAGE="en")
    indonesian = client.get("/api/v1/wilayah/provinces/00/regencies")
    assert english.json() == {"message": "Not found."}
    assert indonesian.json() == {"message": "Tidak ditemukan."}
