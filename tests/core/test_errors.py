"""Errors speak the user's language: pages and the API alike."""

import pytest

pytestmark = pytest.mark.django_db


def test_a_page_outside_the_scope_says_not_found_in_indonesian(personas, login):
    client = login(personas.kab_bangka)
    response = client.get(f"/akun/pengguna/{personas.kab_belitung.pk}/")
    assert response.status_code == 404
    assert "Halaman ini tidak ada, atau berada di luar wilayah kerja Anda." in (
        response.content.decode()
    )


def test_unknown_api_address_answers_json(client):
    response = client.get("/api/v1/tidak-ada", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 404
    assert response.json() == {"message": "Not found."}


def test_unreadable_json_body_gets_a_clear_message(client, personas):
    response = client.post("/api/v1/auth/token", "{not json", content_type="application/json")
    assert response.status_code == 400
    assert response.json() == {"message": "Isi permintaan bukan JSON yang sah."}


def test_missing_fields_are_named_in_indonesian(client, personas):
    response = client.post(
        "/api/v1/auth/token", {"username": "kab-bangka"}, content_type="application/json"
    )
    assert response.status_code == 422
    assert {"field": "password", "message": "Wajib diisi."} in response.json()["errors"]


def test_writes_through_the_api_name_their_actor(client, personas):
    from auditlog.models import LogEntry

    from pulih.accounts.models import ApiToken

    client.post(
        "/api/v1/auth/token",
        {"username": "kab-bangka", "password": "demo-pulih"},
        content_type="application/json",
    )
    token = ApiToken.objects.filter(user=personas.kab_bangka).latest("created_at")
    assert LogEntry.objects.get_for_object(token).get().actor == personas.kab_bangka
