"""Posting a demand: who may post for whom, and every bad input refused with a clear
message and nothing written.

Who: pembeli-kf posts for its own organisation (PT Kimia Farma) only; pusat posts for any
organisation (Karya Nusantara, a curator, also orders); the curator, sellers and officers
of a region may not post. The allocation, order and API tests import `TODAY`, `DEADLINE`
and `demand_post` from here.
"""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from pulih.accounts.models import Organisation
from pulih.matching import services
from pulih.matching.models import DeliveryPoint, Demand
from pulih.production.models import ProductType

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("messages_in_english")]

TODAY = datetime.date(2020, 4, 10)
# Thirty days after TODAY: a producer with no lead time makes one month's capacity.
DEADLINE = TODAY + datetime.timedelta(days=30)
JAKARTA = {"name": "Gudang Jakarta", "region_code": "31.71.01"}
PANGKALPINANG = {"name": "Gudang Pangkalpinang", "region_code": "19.71"}


def kimia_farma():
    return Organisation.objects.get(name="PT Kimia Farma Tbk")


def demand_post(user, quantity=1_000, *, points=None, product="masker-kain", **fields):
    """A demand of Kimia Farma posted by `user` on TODAY, by default to Jakarta only."""
    if points is None:
        points = [{**JAKARTA, "quantity": quantity}]
    values = {
        "buyer": kimia_farma(),
        "product_type": ProductType.objects.get(code=product),
        "title": f"{quantity} masker",
        "quantity": quantity,
        "unit_price": 3_000,
        "deadline": DEADLINE,
        "points": points,
        "today": TODAY,
        **fields,
    }
    return services.demand_create(user=user, **values)


def refused(call):
    """The message per field of a refused write, in English."""
    with pytest.raises(ValidationError) as error:
        call()
    return error.value.message_dict


def test_buyer_posts_a_demand_with_its_delivery_points(personas):
    demand = demand_post(
        personas.pembeli_kf,
        15_000,
        points=[
            {**JAKARTA, "quantity": 10_000, "latitude": -6.2, "longitude": 106.8},
            {**PANGKALPINANG, "quantity": 5_000, "address": "Jl. Jend. Sudirman"},
        ],
        specification="Masker kain 3 lapis, SNI 8914:2020",
        transport_rate=0.5,
    )
    assert demand.buyer == kimia_farma()
    assert demand.status == Demand.Status.OPEN
    assert demand.requires_licence is False
    points = list(demand.points.order_by("pk"))
    assert [(p.name, p.quantity, p.province_code) for p in points] == [
        ("Gudang Jakarta", 10_000, "31"),
        ("Gudang Pangkalpinang", 5_000, "19"),
    ]
    assert points[1].latitude is None


def test_a_licensed_product_requires_its_licence_unless_told_otherwise(personas):
    medical = demand_post(personas.pusat, product="masker-medis")
    waived = demand_post(personas.pusat, product="masker-medis", requires_licence=False)
    assert medical.requires_licence is True
    assert waived.requires_licence is False


def test_central_officer_posts_for_a_curator_organisation(personas):
    karya = personas.kurator.organisation
    demand = demand_post(personas.pusat, 15_000, buyer=karya)
    assert demand.buyer == karya


def test_buyer_cannot_post_for_another_organisation(personas):
    other = Organisation.objects.create(name="RS Lain", kind=Organisation.Kind.BUYER)
    errors = refused(lambda: demand_post(personas.pembeli_kf, buyer=other))
    assert errors == {"buyer": ["You can only post demands for your own organisation."]}


@pytest.mark.parametrize("persona", ["kurator", "umkm_masker", "prov_babel", "kab_bangka"])
def test_only_buyers_and_central_officers_post_demands(personas, persona):
    with pytest.raises(PermissionDenied):
        demand_post(getattr(personas, persona))
    assert not Demand.objects.exists()


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"quantity": 0, "points": [{**JAKARTA, "quantity": 1}]}, "quantity", "at least 1"),
        ({"quantity": -5, "points": [{**JAKARTA, "quantity": 1}]}, "quantity", "at least 1"),
        (
            {"quantity": 200_000_000, "points": [{**JAKARTA, "quantity": 1}]},
            "quantity",
            "too large",
        ),
        ({"unit_price": -1}, "unit_price", "cannot be negative"),
        ({"transport_rate": -0.5}, "transport_rate", "zero or more"),
        ({"deadline": TODAY}, "deadline", "after today (10 April 2020)"),
        ({"deadline": TODAY - datetime.timedelta(days=3)}, "deadline", "after today"),
        ({"points": []}, "points", "at least one delivery point"),
        ({"max_share_percent": 0}, "max_share_percent", "from 1 to 100"),
        ({"max_share_percent": 150}, "max_share_percent", "from 1 to 100"),
        ({"min_lot": 0}, "min_lot", "at least 1 and at most the 1.000"),
        ({"min_lot": 5_000}, "min_lot", "at least 1 and at most the 1.000"),
        ({"title": "  "}, "title", "title"),
    ],
)
def test_bad_demand_is_refused_with_a_clear_message(personas, fields, field, message):
    errors = refused(lambda: demand_post(personas.pusat, **fields))
    assert message in " ".join(errors[field])
    assert not Demand.objects.exists()
    assert not DeliveryPoint.objects.exists()


@pytest.mark.parametrize(
    ("point", "message"),
    [
        ({"region_code": "99.99"}, "99.99 is not a known region code"),
        ({"region_code": ""}, "not a known region code"),
        ({"latitude": -6.2}, "both latitude and longitude, or neither"),
        ({"longitude": 106.8}, "both latitude and longitude, or neither"),
        ({"latitude": -95, "longitude": 106.8}, "between -90 and 90"),
        ({"latitude": -6.2, "longitude": 190}, "between -180 and 180"),
        ({"name": ""}, "needs a name"),
        ({"quantity": -1_000}, "quantity of at least 1"),
    ],
)
def test_bad_delivery_point_is_refused(personas, point, message):
    points = [{**JAKARTA, "quantity": 1_000, **point}]
    errors = refused(lambda: demand_post(personas.pusat, points=points))
    assert any(message in text for text in errors["points"])
    assert any(text.startswith("Delivery point 1") for text in errors["points"])
    assert not Demand.objects.exists()


def test_points_must_add_up_to_the_quantity(personas):
    points = [{**JAKARTA, "quantity": 600}, {**PANGKALPINANG, "quantity": 300}]
    errors = refused(lambda: demand_post(personas.pusat, 1_000, points=points))
    assert errors["points"] == ["The delivery points add up to 900, not the 1.000 asked."]


@pytest.mark.parametrize(
    "coordinates",
    [
        {"latitude": 1e30, "longitude": 106.8},
        {"latitude": -6.2, "longitude": -1e30},
        {"latitude": float("inf"), "longitude": 106.8},
        {"latitude": float("nan"), "longitude": 106.8},
        {"latitude": "utara", "longitude": 106.8},
    ],
)
def test_absurd_coordinates_are_refused_not_crashing(personas, coordinates):
    points = [{**JAKARTA, "quantity": 1_000, **coordinates}]
    errors = refused(lambda: demand_post(personas.pusat, points=points))
    assert errors["points"] == [
        "Delivery point 1: latitude must lie between -90 and 90 and longitude between -180 and 180."
    ]
    assert not Demand.objects.exists()


@pytest.mark.parametrize(
    "kind", [Organisation.Kind.BUSINESS, Organisation.Kind.COOPERATIVE, Organisation.Kind.DROP_OFF]
)
def test_a_demand_is_only_for_an_organisation_that_orders(personas, kind):
    seller = Organisation.objects.create(name="Usaha Penjual", kind=kind)
    errors = refused(lambda: demand_post(personas.pusat, buyer=seller))
    assert errors == {
        "buyer": [
            "Usaha Penjual does not place institutional orders: the buyer must be a buyer, "
            "curator, ministry or dinas organisation."
        ]
    }
    assert not Demand.objects.exists()


def test_a_share_cap_below_the_smallest_order_is_refused_when_posting(personas):
    errors = refused(lambda: demand_post(personas.pusat, max_share_percent=10, min_lot=200))
    assert errors == {
        "min_lot": [
            "One producer may get at most 100 (10 % of 1.000), less than the smallest order of "
            "200: no producer could be given anything. Raise the largest share or lower the "
            "smallest order."
        ]
    }
    assert not Demand.objects.exists()
