"""Shared fixtures: the real region data and the demo personas.

Who may see what:
- pusat sees the whole nation;
- prov-babel sees province 19 (Kepulauan Bangka Belitung);
- kab-bangka sees regency 19.01 (Kabupaten Bangka), kab-belitung regency 19.02;
- pendamping-bangka sees three districts of 19.01;
- kurator, pembeli-kf, koperasi-tanimulus and pic-kemenkop see their own organisation;
- asn-demo sees only itself.
"""

import types

import pytest
from django.core.management import call_command



@pytest.fixture
def regions(db):
    """All Kemendagri regions, loaded once and kept across tests (the load is idempotent)."""
    from pulih.wilayah.models import Province

    if not Province.objects.exists():
        call_command("wilayah_load", verbosity=0)


@pytest.fixture
def personas(regions):
    from pulih.accounts.models import Organisation, Role
    from pulih.accounts.services import DEMO_PASSWORD, demo_personas_create, user_create

    users, _ = demo_personas_create()
    dinas_belitung, _ = Organisation.objects.get_or_create(
        name="Dinas Koperasi dan UMKM Kabupaten Belitung",
        defaults={"kind": Organisation.Kind.DINAS, "region_code": "19.02"},
    )
    users["kab-belitung"] = user_create(
        username="kab-belitung",
        role=Role.KABKOTA,
        password=DEMO_PASSWORD,
        province_code="19",
        regency_code="19.02",
        organisation=dinas_belitung,
    )
    return types.SimpleNamespace(**{k.replace("-", "_"): v for k, v in users.items()})


@pytest.fixture
def login(client):
    """Sign a persona in to the test client and return the client."""

    def _login(user):
        client.force_login(user)
        return client

    return _login
