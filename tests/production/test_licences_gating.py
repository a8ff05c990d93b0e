"""Licence gating: a product whose type requires a licence (medical masks need a
distribution licence AKD) receives demand that requires a licence only from producers
holding a granted one, for that product or for all they make, valid until the deadline.
"""

import datetime

import pytest

from pulih.production.licences import licence_record
from pulih.production.models import Licence, ProductType
from pulih.production.supply import allocatable_declarations

pytestmark = pytest.mark.django_db

DEADLINE = datetime.date(2020, 6, 30)
GRANTED = Licence.Status.GRANTED


@pytest.fixture
def medical(make_producer):
    """A curated producer of medical masks in Bangka, which need izin edar AKD."""
    return make_producer("19.01.01", "masker-medis")


def licence(personas, declaration, *, status=GRANTED, product="masker-medis", **fields):
    granted = status == GRANTED
    values = {
        "kind": "izin_edar_akd",
        "issuer": "Kemenkes",
        "number": "KEMENKES RI AKD 20401020123" if granted else "",
        "applied_on": datetime.date(2020, 4, 1),
        "granted_on": datetime.date(2020, 4, 20) if granted else None,
        "product_type": ProductType.objects.get(code=product) if product else None,
        **fields,
    }
    return licence_record(
        user=personas.kab_bangka, business=declaration.business, status=status, **values
    )


def allocatable(declaration, *, requires_licence=True, product="masker-medis"):
    return set(
        allocatable_declarations(
            product_type=ProductType.objects.get(code=product),
            requires_licence=requires_licence,
            deadline=DEADLINE,
        )
    )


def test_producer_without_a_licence_gets_no_licensed_demand(medical):
    assert medical not in allocatable(medical)


def test_an_application_is_not_a_licence(personas, medical):
    licence(personas, medical, status=Licence.Status.APPLIED)
    licence(personas, medical, status=Licence.Status.IN_PROCESS)
    assert medical not in allocatable(medical)


def test_a_granted_licence_opens_licensed_demand(personas, medical):
    licence(personas, medical, expires_on=datetime.date(2025, 4, 20))
    assert medical in allocatable(medical)


def test_a_granted_licence_without_expiry_opens_licensed_demand(personas, medical):
    licence(personas, medical, expires_on=None)
    assert medical in allocatable(medical)


def test_a_licence_expiring_before_the_deadline_does_not_count(personas, medical):
    licence(personas, medical, expires_on=DEADLINE - datetime.timedelta(days=1))
    assert medical not in allocatable(medical)


def test_a_licence_expiring_on_the_deadline_still_counts(personas, medical):
    licence(personas, medical, expires_on=DEADLINE)
    assert medical in allocatable(medical)


def test_a_licence_for_another_product_does_not_count(personas, medical):
    licence(personas, medical, product="baju-hazmat")
    assert medical not in allocatable(medical)


def test_a_licence_of_another_kind_does_not_count(personas, medical):
    licence(personas, medical, kind="izin_edar_pkrt", product=None)
    assert medical not in allocatable(medical)


def test_a_licence_for_all_products_counts(personas, medical):
    licence(personas, medical, product=None)
    assert medical in allocatable(medical)


def test_a_rejected_licence_does_not_count(personas, medical):
    licence(personas, medical, status=Licence.Status.REJECTED, number="", granted_on=None)
    assert medical not in allocatable(medical)


def test_demand_not_requiring_a_licence_reaches_unlicensed_producers(medical):
    assert medical in allocatable(medical, requires_licence=False)


def test_a_product_needing_no_licence_is_never_gated(make_producer):
    cloth = make_producer("19.01.01", "masker-kain")
    assert cloth in allocatable(cloth, product="masker-kain")


def test_only_curated_producers_are_allocatable(personas, make_producer):
    declared = make_producer("19.01.01", "masker-medis", status="declared")
    licence(personas, declared)
    assert declared not in allocatable(declared)
