"""Every write of institutional demand: a buyer's demand, the allocation runs that split it
across curated producers and the officer's adjustments, the purchase orders a confirmed
run issues, deliveries with their quality check (QC), the re-allocation of what is
missing, cancellation and payment.

Producers are paid their own declared price per unit: it is the price the allocation
minimised the cost with, so the order pays what the choice of producer assumed. A producer
that declared no price is offered the buyer's price, in the allocation and in its order.
The buyer's unit price is what the buyer offered for the demand as a whole.

Run messages and line reasons are sentences written in the language of the officer who
ran the allocation, from the figures of that moment, so they stay true to it later.

The functions live in `demands`, `allocation` (the sentences of a run in `reasons`) and
`orders` (from the confirmation of a run on), what they share in `common`; other code
imports them from this package.
"""

from ..selectors import UNCONFIRMED
from .allocation import (
    ABOVE_CAPACITY,
    BELOW_MIN_LOT,
    LINE_UNKNOWN,
    NOT_ORDERED_YET,
    NOTHING_MISSING,
    allocation_adjust,
    allocation_run,
    shortfall_reallocate,
)
from .common import (
    ABOVE_NEED,
    ALREADY_ORDERED,
    DEADLINE_PASSED,
    DEMAND_CLOSED,
    MIN_LOT_OUT_OF_RANGE,
    QUANTITY_NEGATIVE,
    RUN_NOT_OPEN,
    SHARE_OUT_OF_RANGE,
)
from .demands import (
    BUYER_NOT_YOURS,
    DEADLINE_NOT_AFTER_TODAY,
    MAX_QUANTITY,
    MAX_TRANSPORT_RATE,
    MAX_UNIT_PRICE,
    NO_POINTS,
    POINT_COORDINATES_PAIR,
    POINT_COORDINATES_RANGE,
    POINT_NAME_MISSING,
    POINT_QUANTITY,
    POINT_REGION_UNKNOWN,
    POINTS_NOT_SUMMING,
    PRICE_NEGATIVE,
    PRICE_TOO_LARGE,
    PRODUCT_INACTIVE,
    QUANTITY_NOT_POSITIVE,
    QUANTITY_TOO_LARGE,
    RATE_INVALID,
    TITLE_REQUIRED,
    demand_create,
)
from .orders import (
    CAPACITY_CHANGED,
    DELIVERY_EMPTY,
    DELIVERY_IN_FUTURE,
    DELIVERY_TOO_MANY,
    NOTHING_ACCEPTED,
    NOTHING_TO_ORDER,
    NUMBER_TAKEN,
    ORDER_CANCELLED,
    ORDER_DELIVERED,
    PAID_IN_FUTURE,
    PAID_NOT_POSITIVE,
    PAID_TOO_MUCH,
    PAYMENT_NEXT,
    PAYMENT_STEP,
    POINT_NOT_ON_ORDER,
    QC_NOTE_REQUIRED,
    REASON_REQUIRED,
    SHORTFALL_NOT_ACCEPTED,
    allocation_confirm,
    delivery_record,
    order_cancel,
    order_payment_update,
)
from .reasons import (
    EXCLUDED,
    SHORT_POINTS_NAMED,
    line_reason,
    run_message,
)

__all__ = [
    "UNCONFIRMED",
    "ABOVE_CAPACITY",
    "ABOVE_NEED",
    "ALREADY_ORDERED",
    "BELOW_MIN_LOT",
    "BUYER_NOT_YOURS",
    "CAPACITY_CHANGED",
    "DEADLINE_NOT_AFTER_TODAY",
    "DEADLINE_PASSED",
    "DELIVERY_EMPTY",
    "DELIVERY_IN_FUTURE",
    "DELIVERY_TOO_MANY",
    "DEMAND_CLOSED",
    "EXCLUDED",
    "LINE_UNKNOWN",
    "MAX_QUANTITY",
    "MAX_TRANSPORT_RATE",
    "MAX_UNIT_PRICE",
    "MIN_LOT_OUT_OF_RANGE",
    "NOTHING_ACCEPTED",
    "NOTHING_MISSING",
    "NOTHING_TO_ORDER",
    "NOT_ORDERED_YET",
    "NO_POINTS",
    "NUMBER_TAKEN",
    "ORDER_CANCELLED",
    "ORDER_DELIVERED",
    "PAID_IN_FUTURE",
    "PAID_NOT_POSITIVE",
    "PAID_TOO_MUCH",
    "PAYMENT_NEXT",
    "PAYMENT_STEP",
    "POINTS_NOT_SUMMING",
    "POINT_COORDINATES_PAIR",
    "POINT_COORDINATES_RANGE",
    "POINT_NAME_MISSING",
    "POINT_NOT_ON_ORDER",
    "POINT_QUANTITY",
    "POINT_REGION_UNKNOWN",
    "PRICE_NEGATIVE",
    "PRICE_TOO_LARGE",
    "PRODUCT_INACTIVE",
    "QC_NOTE_REQUIRED",
    "QUANTITY_NEGATIVE",
    "QUANTITY_NOT_POSITIVE",
    "QUANTITY_TOO_LARGE",
    "RATE_INVALID",
    "REASON_REQUIRED",
    "RUN_NOT_OPEN",
    "SHARE_OUT_OF_RANGE",
    "SHORTFALL_NOT_ACCEPTED",
    "SHORT_POINTS_NAMED",
    "TITLE_REQUIRED",
    "allocation_adjust",
    "allocation_confirm",
    "allocation_run",
    "delivery_record",
    "demand_create",
    "line_reason",
    "order_cancel",
    "order_payment_update",
    "run_message",
    "shortfall_reallocate",
]
