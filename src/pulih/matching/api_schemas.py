"""The request and response schemas of the demand and allocation API (`api_demands`).

Quantities are units, money whole Rupiah, distances km. Run messages and line reasons are
the sentences stored when the run was made, in the language of the officer who ran it.
"""

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Literal

from ninja import Schema
from pydantic import Field

from . import selectors
from .models import Demand, PurchaseOrder

Text200 = Annotated[str, Field(max_length=200)]
Text500 = Annotated[str, Field(max_length=500)]
# Line ids in one adjustment: more lines than a national run has.
MAX_LINES = 20_000
MAX_POINTS = 5_000


# Demands -------------------------------------------------------------------------------


class PointIn(Schema):
    """A delivery point: a Kemendagri region code of any level; without coordinates the
    distance is counted from the province capital."""

    name: Text200
    region_code: str = Field(max_length=13)
    quantity: int
    address: Annotated[str, Field(max_length=300)] = ""
    latitude: float | None = None
    longitude: float | None = None


class DemandIn(Schema):
    """`buyer_id`: the buyer organisation; a buyer's own when left out. `product_type`:
    a catalogue code (masker-kain, masker-medis, …). Without `requires_licence`, a
    granted licence is required when the product has a licence kind."""

    buyer_id: int | None = None
    product_type: str = Field(max_length=40)
    title: Text200
    specification: Annotated[str, Field(max_length=5_000)] = ""
    quantity: int
    unit_price: int
    deadline: date
    transport_rate: Decimal = Decimal(0)
    requires_licence: bool | None = None
    max_share_percent: int | None = None
    min_lot: int | None = None
    points: list[PointIn] = Field(max_length=MAX_POINTS)


class DemandCancelIn(Schema):
    """Why the demand is cancelled: required, though not stored."""

    reason: Text500 = ""


class DemandFilters(Schema):
    status: Literal[tuple(Demand.Status.values)] | None = None


class DemandOut(Schema):
    id: int
    title: str
    buyer_id: int
    buyer: str
    product_type: str
    product: str
    specification: str
    quantity: int
    unit_price: int
    deadline: date
    transport_rate: float
    requires_licence: bool
    max_share_percent: int | None
    min_lot: int | None
    status: str
    created_at: datetime

    @staticmethod
    def resolve_buyer(demand):
        return demand.buyer.name

    @staticmethod
    def resolve_product_type(demand):
        return demand.product_type.code

    @staticmethod
    def resolve_product(demand):
        return demand.product_type.name


class PointOut(Schema):
    """`ordered` on orders not cancelled; `expected` still owed by open orders;
    `missing` neither accepted nor expected — what a re-allocation covers."""

    id: int
    name: str
    region_code: str
    address: str
    latitude: float | None
    longitude: float | None
    quantity: int
    ordered: int
    accepted: int
    rejected: int
    expected: int
    missing: int


class RunSummaryOut(Schema):
    id: int
    reallocation: bool
    status: str
    quantity: int
    allocated: int
    shortfall: int
    total_cost: int
    created_at: datetime


class OrderOut(Schema):
    id: int
    number: str
    demand_id: int
    run_id: int
    declaration_id: int
    business: str
    province_code: str
    regency_code: str
    quantity: int
    unit_price: int
    amount: int
    accepted: int
    rejected: int
    status: str
    payment_status: str
    paid_amount: int
    paid_on: date | None
    issued_at: datetime

    @staticmethod
    def resolve_business(order):
        return order.business.name


class DemandDetailOut(DemandOut):
    """The orders are those the caller sees."""

    points: list[PointOut]
    runs: list[RunSummaryOut]
    orders: list[OrderOut]

    @staticmethod
    def resolve_points(demand):
        return [
            {**row, "quantity": row["asked"], **_point_fields(row["point"])}
            for row in selectors.point_coverage(demand)
        ]

    @staticmethod
    def resolve_runs(demand):
        return selectors.run_list(demand=demand)

    @staticmethod
    def resolve_orders(demand, context):
        return selectors.order_list(user=context["request"].user, demand=demand)


def _point_fields(point):
    fields = ("name", "region_code", "address", "latitude", "longitude")
    return {"id": point.pk, **{field: getattr(point, field) for field in fields}}


# Runs ----------------------------------------------------------------------------------


class RunIn(Schema):
    """Fairness options; left out, the demand's own apply."""

    max_share_percent: int | None = None
    min_lot: int | None = None


class LineOut(Schema):
    """`quantity` is the solver's, `adjusted_quantity` the officer's change, and
    `final_quantity` what a confirmation orders."""

    id: int
    declaration_id: int
    business: str
    province_code: str
    point_id: int
    quantity: int
    adjusted_quantity: int | None
    final_quantity: int
    unit_price: int
    distance_km: float
    distance_estimated: bool
    unit_cost: float
    reason: str


LINE_FIELDS = (
    "id",
    "declaration_id",
    "point_id",
    "quantity",
    "adjusted_quantity",
    "final_quantity",
    "unit_price",
    "distance_km",
    "distance_estimated",
    "unit_cost",
    "reason",
)


class RunPointOut(Schema):
    """`need` is null for a re-allocation no longer open: what it had to cover was what
    was missing then, and its message keeps what stayed short."""

    point_id: int
    name: str
    need: int | None
    allocated: int
    short: int


class RunOut(RunSummaryOut):
    """`excluded` counts the producers left out by reason: no_granted_licence,
    price_above_offer (above the buyer's unit price), no_capacity_before_deadline,
    committed_elsewhere, no_position, share_reached (already holds its largest share of
    the demand), below_min_lot (can take less than the smallest order). `greedy_cost` is
    the cost of the nearest-first split of the same data."""

    demand_id: int
    capacity: int
    producers: int
    greedy_cost: int
    max_share_percent: int | None
    min_lot: int | None
    solve_ms: int
    message: str
    excluded: dict[str, int]
    confirmed_at: datetime | None
    points: list[RunPointOut]
    lines: list[LineOut]

    @staticmethod
    def resolve_points(run):
        return [
            {
                "point_id": row["point"].pk,
                "name": row["point"].name,
                "need": row["need"],
                "allocated": row["given"],
                "short": row["short"],
            }
            for row in _run_detail(run)["points"]
        ]

    @staticmethod
    def resolve_lines(run):
        return [
            {
                **{field: getattr(line, field) for field in LINE_FIELDS},
                "business": line.declaration.business.name,
                "province_code": line.declaration.province_code,
            }
            for line in _run_detail(run)["lines"]
        ]


def _run_detail(run):
    """The run's detail, read once for both of its resolvers."""
    if not hasattr(run, "_detail"):
        run._detail = selectors.run_detail(run)
    return run._detail


class LineQuantityIn(Schema):
    id: int
    quantity: int


class AdjustIn(Schema):
    lines: list[LineQuantityIn] = Field(min_length=1, max_length=MAX_LINES)


class ConfirmIn(Schema):
    """A run that leaves units short is confirmed only with `accept_shortfall`."""

    accept_shortfall: bool = False


# Orders --------------------------------------------------------------------------------


class OrderFilters(Schema):
    status: Literal[tuple(PurchaseOrder.Status.values)] | None = None
    demand_id: int | None = None


class OrderLineOut(Schema):
    point_id: int
    name: str
    quantity: int
    accepted: int
    rejected: int
    outstanding: int


class DeliveryOut(Schema):
    id: int
    point_id: int
    delivered_on: date
    accepted: int
    rejected: int
    qc_note: str
    recorded_at: datetime


class OrderDetailOut(OrderOut):
    """`payable`: the units accepted times the unit price, the most that may be paid."""

    payable: int
    cancel_reason: str
    lines: list[OrderLineOut]
    deliveries: list[DeliveryOut]

    @staticmethod
    def resolve_payable(order):
        return selectors.payable(order)

    @staticmethod
    def resolve_lines(order):
        return [
            {**row, "point_id": row["point"].pk, "name": row["point"].name}
            for row in selectors.order_lines(order)
        ]

    @staticmethod
    def resolve_deliveries(order):
        return order.deliveries.all()


class DeliveryIn(Schema):
    """Units rejected at the quality check need a `qc_note`."""

    point_id: int
    delivered_on: date
    accepted: int
    rejected: int = 0
    qc_note: Text500 = ""


class OrderPatchIn(Schema):
    """Either cancel (`status`: "cancelled", with a `reason`) or move the payment on
    (`payment_status`: invoiced, then paid; `paid_amount` defaults to what is payable,
    `paid_on` to today)."""

    status: Literal["cancelled"] | None = None
    reason: Text500 = ""
    payment_status: Literal["invoiced", "paid"] | None = None
    paid_amount: int | None = None
    paid_on: date | None = None
