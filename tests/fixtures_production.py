"""Producers for the production and matching tests.

- `make_producer(...)` makes a business (owner and all) in a village of the given
  district and its declaration of a product type, curated unless told otherwise;
- `sehati`: the business of the `umkm-masker` seller (Konveksi Sehati, Bangka) with its
  declaration of cloth masks, declared and not yet curated;
- `other_curator`: a second curator organisation and its user, who is assigned nothing.
"""

import itertools

import pytest

from pulih.accounts.models import Organisation, Role
from pulih.accounts.services import user_create
from pulih.production.models import Declaration, ProductType
from pulih.registry.services import business_create, person_create
from pulih.wilayah.models import Village

_serial = itertools.count(1)


def village_of(district):
    return Village.objects.filter(district_id=district).order_by("code").first().code


@pytest.fixture
def make_producer(personas):
    def make(
        district="19.01.01",
        product="masker-kain",
        *,
        capacity=10_000,
        price=3_000,
        lead_time_days=0,
        status=Declaration.Status.CURATED,
        organisation=None,
        curator=None,
        name=None,
    ):
        n = next(_serial)
        officer = personas.pusat
        person = person_create(user=officer, village_code=village_of(district), name=f"Pemilik {n}")
        business = business_create(
            user=officer, owner=person, name=name or f"Konveksi Uji {n}", kbli_section="C"
        )
        if organisation is not None:
            business.organisation = organisation
            business.save(update_fields=["organisation"])
        declaration = Declaration(
            business=business,
            product_type=ProductType.objects.get(code=product),
            monthly_capacity=capacity,
            unit_price=price,
            lead_time_days=lead_time_days,
            status=status,
            curator=curator,
            declared_by=officer,
        )
        declaration.set_region(business.village_code)
        declaration.save()
        return declaration

    return make


@pytest.fixture
def sehati(personas, make_producer):
    return make_producer(
        "19.01.01",
        "masker-kain",
        capacity=6_000,
        status=Declaration.Status.DECLARED,
        organisation=personas.umkm_masker.organisation,
        name="Konveksi Sehati",
    )


@pytest.fixture
def other_curator(personas):
    organisation = Organisation.objects.create(name="Kurator Lain", kind=Organisation.Kind.CURATOR)
    return user_create(username="kurator-lain", role=Role.KURATOR, organisation=organisation)
