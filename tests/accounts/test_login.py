import pytest
from django.urls import reverse

from pulih.accounts.messages import LOCKED_OUT, LOGIN_FAILED

pytestmark = pytest.mark.django_db


def sign_in(client, username, password):
    return client.post(reverse("accounts:login"), {"username": username, "password": password})


def test_persona_signs_in_with_demo_password(client, personas):
    response = sign_in(client, "kab-bangka", "demo-pulih")
    assert response.status_code == 302
    assert response["Location"] == reverse("dashboard:home")


def test_wrong_password_and_unknown_user_get_the_same_message(client, personas):
    wrong_password = sign_in(client, "kab-bangka", "salah").content.decode()
    unknown_user = sign_in(client, "tidak-ada", "salah").content.decode()
    assert "Nama pengguna atau kata sandi salah." in wrong_password
    assert "Nama pengguna atau kata sandi salah." in unknown_user


def test_account_is_locked_after_five_failed_sign_ins(client, personas):
    for _ in range(5):
        sign_in(client, "kab-bangka", "salah")
    response = sign_in(client, "kab-bangka", "demo-pulih")
    assert response.status_code == 429
    assert "Akun ini dikunci sementara" in response.content.decode()


def test_api_token_for_good_credentials(client, personas):
    response = client.post(
        "/api/v1/auth/token",
        {"username": "kab-bangka", "password": "demo-pulih"},
        content_type="application/json",
    )
    assert response.status_code == 200
    token = response.json()["token"]
    me = client.get("/api/v1/accounts/me", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert me.json()["username"] == "kab-bangka"


def test_api_token_refused_with_generic_message(client, personas):
    response = client.post(
        "/api/v1/auth/token",
        {"username": "kab-bangka", "password": "salah"},
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 401
    assert response.json() == {"message": str(LOGIN_FAILED)}


def test_api_token_endpoint_locks_out_too(client, personas):
    for _ in range(5):
        client.post(
            "/api/v1/auth/token",
            {"username": "prov-babel", "password": "salah"},
            content_type="application/json",
        )
    response = client.post(
        "/api/v1/auth/token",
        {"username": "prov-babel", "password": "demo-pulih"},
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 429
    assert response.json()["message"] == str(LOCKED_OUT)


def test_api_without_token_says_authentication_is_required(client, personas):
    response = client.get("/api/v1/accounts/me", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 401
    assert "Bearer" in response.json()["message"]


def test_bad_token_is_refused(client, personas):
    response = client.get("/api/v1/accounts/me", HTTP_AUTHORIZATION="Bearer not-a-token")
    assert response.status_code == 401


def test_passwords_are_hashed_with_argon2(personas):
    assert personas.kab_bangka.password.startswith("argon2")
