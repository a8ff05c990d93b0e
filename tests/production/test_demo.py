"""The demo's production pivot and institutional demand (DOMAIN.md §2): 330 declarations
from 16 provinces, 80 curated by Karya Nusantara, its 15,000-mask order allocated and
partly delivered, and Kimia Farma's 1,000,000 masks open with the capacity shortfall.

The demo is loaded once for the module, inside a transaction rolled back at its end:
each test runs in a savepoint of it, as Django's `setUpTestData` does.
"""

import pytest
from django.db import transaction

from pulih.accounts.models import Organisation
from pulih.matching.demo import (
    KARYA_TITLE,
    KIMIA_FARMA_TITLE,
    matching_demo_counts,
    matching_demo_create,
)
from pulih.matching.models import AllocationRun, Demand, MaterialMatch, PurchaseOrder
from pulih.matching.reports import demand_coverage
from pulih.production.demo import CURATOR, SEHATI
from pulih.production.licences import licences_expiring
from pulih.production.models import Curation, Declaration, Supplier

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        yield matching_demo_create()
        transaction.set_rollback(True)


@pytest.fixture
def declarations(demo):
    return Declaration.objects.filter(business__source_key__startswith="pivot-")


def coverage_of(user, title):
    return {row["title"]: row for row in demand_coverage(user=user)}[title]


def test_330_declarations_come_from_16_provinces(demo, declarations):
    assert demo["production"]["declarations"] == 330
    assert declarations.count() == 330
    assert declarations.values("province_code").distinct().count() == 16
    masks = declarations.filter(product_type__code__in=["masker-kain", "masker-non-medis"])
    assert masks.count() > 330 / 2


def test_karya_nusantara_curated_80_and_checks_more(declarations):
    karya = declarations.filter(curator__name=CURATOR)
    assert karya.filter(status=Declaration.Status.CURATED).count() == 80
    assert declarations.filter(status=Declaration.Status.CURATED).count() == 80
    assert karya.filter(status=Declaration.Status.NEEDS_IMPROVEMENT).exists()
    assert karya.filter(status=Declaration.Status.REJECTED).exists()
    assert karya.filter(status=Declaration.Status.IN_CURATION).exists()
    assert declarations.filter(status=Declaration.Status.DECLARED, curator=None).exists()


def test_konveksi_sehati_was_curated_on_its_second_check(declarations, personas):
    sehati = declarations.get(business__name=SEHATI)
    assert sehati.business.organisation == personas.umkm_masker.organisation
    assert sehati.status == Declaration.Status.CURATED
    outcomes = list(sehati.curations.order_by("finished_at").values_list("outcome", flat=True))
    assert outcomes == [Curation.Outcome.NEEDS_IMPROVEMENT, Curation.Outcome.CURATED]


def test_curator_sees_its_assigned_declarations(declarations, personas):
    visible = Declaration.objects.visible_to(personas.kurator)
    assert set(visible) == set(declarations.filter(curator__name=CURATOR))
    assert visible.count() > 80


def test_karya_nusantara_order_is_fully_ordered_and_partly_delivered(demo, personas):
    row = coverage_of(personas.pusat, KARYA_TITLE)
    assert row["quantity"] == row["ordered"] == 15_000
    assert 0 < row["accepted"] < 15_000
    assert row["rejected"] > 0 and row["missing"] >= row["rejected"]
    demand = Demand.objects.get(title=KARYA_TITLE)
    assert demand.buyer.name == CURATOR
    assert demand.status == Demand.Status.ORDERED
    assert demand.runs.get(status=AllocationRun.Status.CONFIRMED).shortfall == 0
    orders = demand.orders.all()
    assert {o.status for o in orders} >= {
        PurchaseOrder.Status.DELIVERED,
        PurchaseOrder.Status.PARTLY_DELIVERED,
        PurchaseOrder.Status.ISSUED,
    }
    assert orders.filter(payment_status=PurchaseOrder.Payment.PAID).exists()


def test_kimia_farma_demand_is_open_with_its_shortfall(demo, personas):
    demand = Demand.objects.get(title=KIMIA_FARMA_TITLE)
    assert demand.status == Demand.Status.OPEN and not demand.orders.exists()
    [run] = demand.runs.all()
    assert run.status == AllocationRun.Status.SHORTFALL
    assert 0 < run.capacity < 1_000_000 and run.shortfall == 1_000_000 - run.allocated
    row = coverage_of(personas.pembeli_kf, KIMIA_FARMA_TITLE)
    assert (row["quantity"], row["capacity"], row["shortfall"]) == (
        1_000_000,
        run.capacity,
        run.shortfall,
    )
    assert demo["kimia_farma_shortfall"] == run.shortfall > 0


def test_buyer_sees_only_its_own_demand(demo, personas):
    assert [d.title for d in Demand.objects.visible_to(personas.pembeli_kf)] == [KIMIA_FARMA_TITLE]


def test_seller_sees_its_own_declaration_and_orders(demo, personas):
    seller = personas.umkm_masker
    assert [d.business.name for d in Declaration.objects.visible_to(seller)] == [SEHATI]
    orders = PurchaseOrder.objects.visible_to(seller)
    assert {o.business.name for o in orders} <= {SEHATI}


def test_bangka_officers_see_bangka_producers_and_jawa_tengah_none(
    declarations, personas, prov_jateng
):
    bangka = Declaration.objects.visible_to(personas.kab_bangka)
    assert bangka.exists()
    assert set(bangka.values_list("regency_code", flat=True)) == {"19.01"}
    jateng = Declaration.objects.visible_to(prov_jateng)
    assert jateng.exists() and not jateng.filter(province_code="19").exists()


def test_some_licences_expire_soon_after_the_demo_is_loaded(demo, personas):
    expiring = licences_expiring(user=personas.pusat)
    assert len(expiring.soon) >= 2


def test_suppliers_are_verified_and_matched(demo):
    suppliers = Supplier.objects.filter(matches__isnull=False).distinct()
    assert suppliers.exists()
    assert not suppliers.exclude(status=Supplier.Status.VERIFIED).exists()
    assert Supplier.objects.filter(status=Supplier.Status.PENDING).count() == 2
    statuses = set(MaterialMatch.objects.values_list("status", flat=True))
    assert statuses == set(MaterialMatch.Status.values)


def figures(counts):
    return {key: value for key, value in counts.items() if key not in ("created", "production")}


def test_running_the_demo_again_changes_nothing(demo):
    before = (
        Declaration.objects.count(),
        Curation.objects.count(),
        Demand.objects.count(),
        PurchaseOrder.objects.count(),
        Organisation.objects.count(),
    )
    again = matching_demo_create()
    assert not again["created"] and not again["production"]["created"]
    assert again == matching_demo_counts()
    assert figures(again) == figures(demo)
    assert figures(again["production"]) == figures(demo["production"])
    after = (
        Declaration.objects.count(),
        Curation.objects.count(),
        Demand.objects.count(),
        PurchaseOrder.objects.count(),
        Organisation.objects.count(),
    )
    assert after == before
