"""The reports of the production pivot, always scoped to the reader.

- The *funnel* follows declarations from declared to delivered, per product type and per
  province: how many reached each stage, the monthly capacity behind them, and the units
  ordered from them and accepted at quality check. Officers read their region's.
- *Demand coverage* sets each demand against what was ordered and accepted, and against
  the capacity that exists for it: central officers read every demand, a buyer its own.

The funnel is a few grouped queries whatever the number of declarations: its figures are
counted by the database, not row by row. Coverage reads each demand's delivery points as
the demand's own page does (`selectors.point_coverage`); demands are few.
"""

from django.db.models import Count, Exists, OuterRef, Q, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from pulih.accounts.models import Role
from pulih.production.models import Declaration, ProductType
from pulih.production.supply import licence_granted_q
from pulih.wilayah.models import Province

from .models import AllocationRun, Demand, PurchaseOrder
from .selectors import candidates, coverage_total, point_coverage

# Who reads the reports: the funnel is regional officers' work; coverage is the centre's
# and the buyers'.
FUNNEL_READERS = (Role.PUSAT, Role.PROVINSI, Role.KABKOTA)
COVERAGE_READERS = (Role.PUSAT, Role.PEMBELI)
# Purchase orders that count: every one but the cancelled.
LIVE = ~Q(status=PurchaseOrder.Status.CANCELLED)
STAGES = {
    "declared": _("Declared"),
    "curated": _("Curated"),
    "licensed": _("Licensed"),
    "allocated": _("Allocated"),
    "delivered": _("Delivered"),
}


def _stage_conditions(today):
    """The condition of each stage on a declaration, each stage counted on its own: a
    declaration reached a stage when it meets that stage's condition today."""
    curated = Q(status=Declaration.Status.CURATED)
    licensed = curated & (
        Q(product_type__licence_kind="")
        | licence_granted_q(
            kind=OuterRef("product_type__licence_kind"),
            product_type=OuterRef("product_type_id"),
            on=today,
        )
    )
    orders = PurchaseOrder.objects.filter(declaration_id=OuterRef("pk"))
    return {
        "declared": Q(),
        "curated": curated,
        "licensed": licensed,
        "allocated": Q(Exists(orders.filter(LIVE))),
        "delivered": Q(Exists(orders.filter(accepted__gt=0))),
    }


def _stage_sums(today):
    sums = {}
    for stage, condition in _stage_conditions(today).items():
        sums[stage] = Count("pk", filter=condition)
        sums[f"{stage}_capacity"] = Coalesce(Sum("monthly_capacity", filter=condition), 0)
    return sums


UNIT_SUMS = {
    "units_ordered": Coalesce(Sum("quantity", filter=LIVE), 0),
    "units_accepted": Coalesce(Sum("accepted"), 0),
}


def _row(code, name, figures):
    declared = figures["declared"]
    return {
        "code": code,
        "name": name,
        "stages": [
            {
                "stage": stage,
                "label": label,
                "count": figures[stage],
                "capacity": figures[f"{stage}_capacity"],
                "percent": round(100 * figures[stage] / declared) if declared else 0,
            }
            for stage, label in STAGES.items()
        ],
        "units_ordered": figures.get("units_ordered", 0),
        "units_accepted": figures.get("units_accepted", 0),
    }


def _grouped(declarations, orders, field, today):
    """Figures per value of `field` ("product_type_id" or "province_code")."""
    figures = {row[field]: row for row in declarations.values(field).annotate(**_stage_sums(today))}
    for row in orders.values(f"declaration__{field}").annotate(**UNIT_SUMS):
        figures[row[f"declaration__{field}"]].update(
            units_ordered=row["units_ordered"], units_accepted=row["units_accepted"]
        )
    return figures


def production_funnel(*, user, product_type=None, province_code="", today=None):
    """The funnel declared → curated → licensed → allocated → delivered of the
    declarations the user sees, optionally of one product type (a ProductType) and one
    province: per product type, per province and in total.

    Each stage counts the declarations that meet it today: curated; curated and, when
    their product needs a licence, holding it granted and valid; with a purchase order
    that is not cancelled; with units accepted at quality check. Each row also gives the
    monthly capacity at each stage and the units ordered and accepted.
    """
    today = today or timezone.localdate()
    declarations = Declaration.objects.visible_to(user)
    if product_type is not None:
        declarations = declarations.filter(product_type=product_type)
    if province_code:
        declarations = declarations.filter(province_code=province_code)
    orders = PurchaseOrder.objects.filter(declaration__in=declarations)
    by_product = _grouped(declarations, orders, "product_type_id", today)
    by_province = _grouped(declarations, orders, "province_code", today)
    total = {**declarations.aggregate(**_stage_sums(today)), **orders.aggregate(**UNIT_SUMS)}
    products = ProductType.objects.filter(pk__in=by_product).order_by("order", "name")
    provinces = dict(Province.objects.filter(code__in=by_province).values_list("code", "name"))
    return {
        "today": today,
        "stages": STAGES,
        "by_product": [_row(p.code, p.name, by_product[p.pk]) for p in products],
        "by_province": [
            _row(code, provinces.get(code) or gettext("Unknown province"), by_province[code])
            for code in sorted(by_province)
        ],
        "total": _row("", gettext("Total"), total),
    }


def demand_coverage(*, user, today=None):
    """Each demand the user sees (not cancelled), from the newest: the quantity asked,
    ordered (orders not cancelled), accepted and rejected at quality check, and missing —
    neither accepted nor still expected from an order (`selectors.point_coverage`).
    Against it, the capacity for it and the shortfall: the latest allocation run's
    figures, for the day of that run, or without a run those counted `today` as a run
    would count them."""
    today = today or timezone.localdate()
    demands = list(
        Demand.objects.visible_to(user)
        .exclude(status=Demand.Status.CANCELLED)
        .select_related("buyer", "product_type")
    )
    latest = {}
    for run in AllocationRun.objects.filter(demand__in=demands).order_by("created_at", "pk"):
        latest[run.demand_id] = run
    return [_coverage(demand, latest.get(demand.pk), today) for demand in demands]


def _coverage(demand, run, today):
    figures = coverage_total(point_coverage(demand))
    if run is not None:
        capacity, shortfall = run.capacity, run.shortfall
        capacity_on = run.counted_on or timezone.localtime(run.created_at).date()
    else:
        found, _excluded = candidates(demand=demand, today=today)
        capacity = sum(candidate.free for candidate in found)
        shortfall, capacity_on = max(figures["missing"] - capacity, 0), today
    return {
        "id": demand.pk,
        "title": demand.title,
        "buyer": demand.buyer.name,
        "product": demand.product_type.name,
        "deadline": demand.deadline,
        "status": demand.status,
        "quantity": demand.quantity,
        "ordered": figures["ordered"],
        "accepted": figures["accepted"],
        "rejected": figures["rejected"],
        "missing": figures["missing"],
        "capacity": capacity,
        "shortfall": shortfall,
        "capacity_on": capacity_on,
        "run_id": run.pk if run else None,
    }
