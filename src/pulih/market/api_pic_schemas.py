"""The request and response schemas of the drop-off point API (`api_pic`).

Money is whole Rupiah; quantities are thousandths of the product's unit (`*_milli`: grams
of a product sold by the kg).
"""

from datetime import date, datetime
from typing import Annotated, Literal

from ninja import Schema
from pydantic import Field

from .models import Order, OrderPayment


class DropOffPointOut(Schema):
    id: int
    cluster: str
    address: str
    region_code: str
    capacity: int | None
    wave_id: int
    wave: str
    opens_at: datetime
    closes_at: datetime
    distribution_on: date
    orders: int
    expected: int
    received: int

    @staticmethod
    def resolve_wave(point):
        return point.wave.title

    @staticmethod
    def resolve_opens_at(point):
        return point.wave.opens_at

    @staticmethod
    def resolve_closes_at(point):
        return point.wave.closes_at

    @staticmethod
    def resolve_distribution_on(point):
        return point.wave.distribution_on

    @staticmethod
    def resolve_orders(point):
        return point.order_count


class OrderLineOut(Schema):
    product: str
    unit: str
    size_milli: int
    quantity: int
    unit_price: int
    amount: int

    @staticmethod
    def resolve_product(line):
        return line.pack.product.name

    @staticmethod
    def resolve_unit(line):
        return line.pack.product.unit


class PicOrderOut(Schema):
    id: int
    code: str
    wave_id: int
    drop_off_id: int
    buyer_name: str
    fulfilment: str
    status: str
    total: int
    total_milli: int
    payment_status: str
    amount_paid: int
    outstanding: int
    ojek_driver_name: str
    ojek_driver_phone: str
    handed_over_at: datetime | None
    lines: list[OrderLineOut]

    @staticmethod
    def resolve_lines(order):
        return list(order.lines.all())


class PicOrderFilters(Schema):
    q: Annotated[str, Field(max_length=200)] = ""
    status: Literal[tuple(Order.Status.values)] | None = None


class HandoverIn(Schema):
    """`driver_name` and `driver_phone` are required when the outcome is `with_ojek`."""

    outcome: Literal["collected", "with_ojek", "not_collected"]
    driver_name: Annotated[str, Field(max_length=200)] = ""
    driver_phone: Annotated[str, Field(max_length=20)] = ""


class PaymentIn(Schema):
    method: Literal[tuple(OrderPayment.Method.values)]
    amount: int
    reference: Annotated[str, Field(max_length=100)] = ""


class PaymentOut(Schema):
    id: int
    order_id: int
    method: str
    amount: int
    reference: str
    recorded_at: datetime
    order_amount_paid: int
    order_outstanding: int
    order_payment_status: str

    @staticmethod
    def resolve_order_amount_paid(payment):
        return payment.order.amount_paid

    @staticmethod
    def resolve_order_outstanding(payment):
        return payment.order.outstanding

    @staticmethod
    def resolve_order_payment_status(payment):
        return payment.order.payment_status


class Figures(Schema):
    orders: int
    expected: int
    cash: int
    transfer: int
    received: int
    outstanding: int
    collected: int
    with_ojek: int
    not_collected: int
    waiting: int


class PointFigures(Figures):
    drop_off_id: int
    cluster: str
    pic: str

    @staticmethod
    def resolve_drop_off_id(row):
        return row["point"].pk

    @staticmethod
    def resolve_cluster(row):
        return row["point"].cluster

    @staticmethod
    def resolve_pic(row):
        return row["pic"].username


class ReconciliationOut(Schema):
    wave_id: int
    wave: str
    points: list[PointFigures]
    overall: Figures

    @staticmethod
    def resolve_wave_id(figures):
        return figures["wave"].pk

    @staticmethod
    def resolve_wave(figures):
        return figures["wave"].title
