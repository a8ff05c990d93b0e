import os
import subprocess
import sys

import pytest
from django.db import connection

pytestmark = pytest.mark.django_db

PRODUCTION_ENV = {
    "DEBUG": "false",
    "SECRET_KEY": "k" * 20 + "-production-secret-with-enough-entropy-3f9a1c7e5b",
    "ALLOWED_HOSTS": "pulih.example.go.id",
}


def run_pulih(*args, env):
    unset = {"DEBUG", "SECRET_KEY", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    clean = {k: v for k, v in os.environ.items() if k not in unset}
    return subprocess.run(
        [sys.executable, "-m", "pulih", *args],
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_healthz_reports_the_database_in_use(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {
        "status": "ok",
        "database": "postgresql" if connection.vendor == "postgresql" else "sqlite",
    }


def test_production_mode_refuses_to_start_without_secret_key():
    result = run_pulih("check", env={"DEBUG": "false"})
    assert result.returncode != 0
    assert "SECRET_KEY belum diatur" in result.stderr
    assert "SECRET_KEY is not set" in result.stderr


def test_deploy_check_is_clean_with_the_documented_production_variables():
    result = run_pulih("check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION_ENV)
    assert result.returncode == 0, result.stdout + result.stderr


def test_production_cookies_are_secure():
    code = (
        "from django.conf import settings as s; "
        "print(s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SECURE_SSL_REDIRECT)"
    )
    result = run_pulih("shell", "-c", code, env=PRODUCTION_ENV)
    assert result.stdout.splitlines()[-1].split() == ["True", "True", "True"], result.stderr
