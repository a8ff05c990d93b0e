"""The demo's institutional demand and material matching, April–May 2020 (DOMAIN.md §2).

- The industry ministry's verified suppliers are proposed to the curated producers for
  the materials they need; the officer has introduced some, and some agreed.
- Karya Nusantara orders 15,000 cloth masks for Jakarta, Surabaya and Sungailiat. The
  centre posts the demand on its behalf on 6 April, allocates it at least cost with a
  cap on each producer's share, and confirms it: one purchase order per producer. By
  30 April most producers have delivered, a few units were rejected at the quality check,
  and the first orders are paid.
- PT Kimia Farma asks for 1,000,000 cloth masks by mid-May. The allocation run shows the
  shortfall: the curated producers cannot make that many in time. It is left open, not
  confirmed, for the officer to look at.

Everything goes through the services with the day of 2020 it happened on as `today`, in
one transaction, and the records' own timestamps are set to that day; the Karya Nusantara
demand's title is how the demo recognises its work.
"""

import datetime

from django.db import transaction

from pulih.accounts.models import Organisation
from pulih.accounts.services import DEMO_ORGANISATIONS, demo_personas_create
from pulih.production.demo import (
    MARKER,
    on_day,
    production_demo_counts,
    production_demo_create,
)
from pulih.production.models import ProductType

from .materials import material_match_update, material_matches_propose_all
from .models import AllocationRun, Delivery, Demand, MaterialMatch, PurchaseOrder
from .services import (
    allocation_confirm,
    allocation_run,
    delivery_record,
    demand_create,
    order_payment_update,
)

KARYA_NUSANTARA = DEMO_ORGANISATIONS["karya-nusantara"][0]
KIMIA_FARMA = DEMO_ORGANISATIONS["kimia-farma"][0]
KARYA_TITLE = "Masker kain 3 lapis untuk program Karya Nusantara"
KIMIA_FARMA_TITLE = "1 juta masker kain untuk jaringan Apotek Kimia Farma"
# Rupiah per mask per kilometre: about Rp 400 a mask from Surabaya to Jakarta by cargo.
TRANSPORT_RATE = "0.5"

KARYA = {
    "product": "masker-kain",
    "specification": (
        "Masker kain 3 lapis sesuai SNI 8914:2020, katun rapat, tali telinga elastis, "
        "dikemas per 10 pcs dalam plastik bening."
    ),
    "quantity": 15_000,
    "unit_price": 5_000,
    "posted": datetime.date(2020, 4, 6),
    "allocated": datetime.date(2020, 4, 7),
    "deadline": datetime.date(2020, 5, 8),
    "max_share_percent": 15,
    "min_lot": 500,
    "points": [
        {
            "name": "Gudang Karya Nusantara, Jakarta Selatan",
            "region_code": "31.74",
            "address": "Jl. TB Simatupang Kav. 1",
            "quantity": 9_000,
        },
        {
            "name": "Posko Relawan Karya Nusantara Surabaya",
            "region_code": "35.78",
            "address": "Jl. Raya Darmo 100",
            "quantity": 4_500,
        },
        {
            "name": "Posko Gugus Tugas Covid-19 Kabupaten Bangka, Sungailiat",
            "region_code": "19.01.01",
            "address": "Jl. Ahmad Yani, Sungailiat",
            "quantity": 1_500,
        },
    ],
}
KIMIA_FARMA_DEMAND = {
    "product": "masker-kain",
    "specification": "Masker kain 2–3 lapis sesuai SNI 8914:2020, dikemas per 3 pcs.",
    "quantity": 1_000_000,
    "unit_price": 4_500,
    "posted": datetime.date(2020, 4, 20),
    "allocated": datetime.date(2020, 4, 21),
    "deadline": datetime.date(2020, 5, 15),
    "max_share_percent": None,
    "min_lot": None,
    "points": [
        {
            "name": "Pusat Distribusi Kimia Farma, Jakarta Pusat",
            "region_code": "31.71",
            "address": "Jl. Veteran No. 9",
            "quantity": 500_000,
        },
        {
            "name": "Cabang Kimia Farma Surabaya",
            "region_code": "35.78",
            "quantity": 250_000,
        },
        {"name": "Cabang Kimia Farma Medan", "region_code": "12.71", "quantity": 150_000},
        {"name": "Cabang Kimia Farma Makassar", "region_code": "73.71", "quantity": 100_000},
    ],
}
DELIVERED_ON = datetime.date(2020, 4, 24)
RECORDED = datetime.date(2020, 4, 30)
INVOICED = datetime.date(2020, 5, 2)
PAID = datetime.date(2020, 5, 6)
QC_NOTE = "Jahitan tepi lepas / lapisan kurang dari tiga."
# Matches worked on, in order: (how many, status, note).
MATCH_STEPS = (
    (20, MaterialMatch.Status.INTRODUCED, "Sudah dikenalkan lewat grup WhatsApp klaster."),
    (12, MaterialMatch.Status.AGREED, "Sepakat harga dan pengiriman bulanan."),
    (5, MaterialMatch.Status.NO_DEAL, "Minimum pembelian pemasok terlalu besar."),
)


def matching_demo_create():
    """Load the demo's material matches and demands unless they are there already; return
    what they hold, with the production demo's figures under "production". Loads the
    production demo first when it is missing."""
    with transaction.atomic():
        production_demo_create()
        karya = Organisation.objects.get(name=KARYA_NUSANTARA)
        if Demand.objects.filter(buyer=karya, title=KARYA_TITLE).exists():
            return matching_demo_counts(created=False)
        personas, _created = demo_personas_create()
        pusat, buyer = personas["pusat"], personas["pembeli-kf"]
        _matches(pusat)
        _karya_order(pusat, karya)
        _kimia_farma_demand(pusat, buyer)
    return matching_demo_counts(created=True)


def matching_demo_counts(*, created=False):
    """What the demo's demands and matches hold, for the demo command's summary."""
    karya = Demand.objects.filter(title=KARYA_TITLE).first()
    kimia_farma = Demand.objects.filter(title=KIMIA_FARMA_TITLE).first()
    run = kimia_farma.runs.order_by("-created_at", "-pk").first() if kimia_farma else None
    orders = PurchaseOrder.objects.filter(demand=karya).exclude(
        status=PurchaseOrder.Status.CANCELLED
    )
    matches = MaterialMatch.objects.filter(declaration__business__source_key__startswith=MARKER)
    return {
        "created": created,
        "production": production_demo_counts(created=created),
        "matches": matches.count(),
        "matches_agreed": matches.filter(status=MaterialMatch.Status.AGREED).count(),
        "karya_quantity": karya.quantity if karya else 0,
        "karya_orders": orders.count(),
        "karya_ordered": sum(o.quantity for o in orders),
        "karya_accepted": sum(o.accepted for o in orders),
        "karya_rejected": sum(o.rejected for o in orders),
        "karya_paid": orders.filter(payment_status=PurchaseOrder.Payment.PAID).count(),
        "kimia_farma_quantity": kimia_farma.quantity if kimia_farma else 0,
        "kimia_farma_capacity": run.capacity if run else 0,
        "kimia_farma_shortfall": run.shortfall if run else 0,
    }


def _matches(pusat):
    material_matches_propose_all(user=pusat)
    best = MaterialMatch.objects.filter(rank=1).order_by("declaration_id", "material_id")
    queue = iter(best)
    for count, status, note in MATCH_STEPS:
        for _ in range(count):
            match = next(queue, None)
            if match is not None:
                material_match_update(user=pusat, match=match, status=status, note=note)


def _demand(user, buyer, spec, title):
    demand = demand_create(
        user=user,
        buyer=buyer,
        product_type=ProductType.objects.get(code=spec["product"]),
        title=title,
        specification=spec["specification"],
        quantity=spec["quantity"],
        unit_price=spec["unit_price"],
        deadline=spec["deadline"],
        points=spec["points"],
        transport_rate=TRANSPORT_RATE,
        max_share_percent=spec["max_share_percent"],
        min_lot=spec["min_lot"],
        today=spec["posted"],
    )
    Demand.objects.filter(pk=demand.pk).update(created_at=on_day(spec["posted"]))
    return demand


def _karya_order(pusat, karya):
    """Posted, allocated and confirmed; then delivered in part, and the first paid."""
    demand = _demand(pusat, karya, KARYA, KARYA_TITLE)
    run = allocation_run(user=pusat, demand=demand, today=KARYA["allocated"])
    orders = allocation_confirm(user=pusat, run=run, today=KARYA["allocated"])
    allocated = on_day(KARYA["allocated"])
    AllocationRun.objects.filter(pk=run.pk).update(created_at=allocated, confirmed_at=allocated)
    PurchaseOrder.objects.filter(run=run).update(issued_at=allocated)
    for index, order in enumerate(orders):
        share = (1, 1, 0.5, 0)[index % 4]  # delivered all, all, half, nothing yet
        for line in order.lines.all():
            sent = int(line.quantity * share)
            if not sent:
                continue
            rejected = sent // 50 if index % 3 == 0 else 0
            delivery_record(
                user=pusat,
                order=order,
                point=line.point,
                delivered_on=DELIVERED_ON + datetime.timedelta(days=index % 5),
                accepted=sent - rejected,
                rejected=rejected,
                qc_note=QC_NOTE if rejected else "",
                today=RECORDED,
            )
        if share == 1:
            payment = PurchaseOrder.Payment
            order_payment_update(
                user=pusat, order=order, payment_status=payment.INVOICED, today=INVOICED
            )
            if index % 2 == 1:
                order_payment_update(
                    user=pusat, order=order, payment_status=payment.PAID, paid_on=PAID, today=PAID
                )
    Delivery.objects.filter(order__run=run).update(recorded_at=on_day(RECORDED))


def _kimia_farma_demand(pusat, buyer):
    """Posted by Kimia Farma's buyer; the allocation run shows the shortfall."""
    demand = _demand(buyer, buyer.organisation, KIMIA_FARMA_DEMAND, KIMIA_FARMA_TITLE)
    run = allocation_run(user=pusat, demand=demand, today=KIMIA_FARMA_DEMAND["allocated"])
    AllocationRun.objects.filter(pk=run.pk).update(
        created_at=on_day(KIMIA_FARMA_DEMAND["allocated"])
    )
