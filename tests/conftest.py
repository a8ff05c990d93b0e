"""Shared fixtures: the real region data and the demo personas.

Who may see what:
- pusat sees the whole nation;
- prov-babel sees province 19 (Kepulauan Bangka Belitung);
- kab-bangka sees regency 19.01 (Kabupaten Bangka), kab-belitung regency 19.02;
- pendamping-bangka sees three districts of 19.01;
- kurator, pembeli-kf, koperasi-tanimulus, umkm-masker and pic-kemenkop see their own
  organisation;
- asn-demo sees only itself.
"""

import types

import pytest
from django.core.management import call_command

pytest_plugins = ["tests.fixtures_production", "tests.fixtures_market"]


def load_shared_data():
    """Regions, personas and the production catalogue, created once per test database and
    kept by every test's rollback; tests with `transaction=True` flush them, so fixtures
    load them again."""
    from django.apps import apps

    from pulih.accounts.models import Organisation, Role, User
    from pulih.accounts.services import DEMO_PASSWORD, demo_personas_create, user_create
    from pulih.production.catalogue import catalogue_load
    from pulih.production.models import ProductType
    from pulih.wilayah.models import Province

    if not Province.objects.exists():
        call_command("wilayah_load", verbosity=0)
    if not ProductType.objects.exists():
        catalogue_load(apps)
    users, _ = demo_personas_create()
    belitung = User.objects.filter(username="kab-belitung").first()
    if belitung is None:
        dinas_belitung, _ = Organisation.objects.get_or_create(
            name="Dinas Koperasi dan UMKM Kabupaten Belitung",
            defaults={"kind": Organisation.Kind.DINAS, "region_code": "19.02"},
        )
        belitung = user_create(
            username="kab-belitung",
            role=Role.KABKOTA,
            password=DEMO_PASSWORD,
            province_code="19",
            regency_code="19.02",
            organisation=dinas_belitung,
        )
    users["kab-belitung"] = belitung
    return users


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        load_shared_data()


@pytest.fixture
def regions(db):
    """All Kemendagri regions from the packaged data."""
    load_shared_data()


@pytest.fixture
def personas(regions):
    users = load_shared_data()
    return types.SimpleNamespace(**{k.replace("-", "_"): v for k, v in users.items()})


@pytest.fixture
def login(client):
    """Sign a persona in to the test client and return the client."""

    def _login(user):
        client.force_login(user)
        return client

    return _login


@pytest.fixture
def prov_jateng(personas):
    """A province officer of Jawa Tengah (33): must see nothing of Bangka Belitung."""
    from pulih.accounts.models import Role
    from pulih.accounts.services import user_create

    return user_create(username="prov-jateng", role=Role.PROVINSI, province_code="33")
