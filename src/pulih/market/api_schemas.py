"""The shapes of the buyer's API: waves with their offers, and orders."""

from datetime import date, datetime
from typing import Literal

from ninja import Schema

Fulfilment = Literal["collect", "ojek"]


class Message(Schema):
    message: str


class BuyerPackOut(Schema):
    id: int
    size_milli: int
    size: float
    price: int


class BuyerOfferOut(Schema):
    id: int
    product_id: int
    product: str
    description: str
    seller: str
    unit: str
    price_per_unit: int
    photo: str
    remaining_milli: int
    remaining: float
    packs: list[BuyerPackOut]


class BuyerDropOffOut(Schema):
    id: int
    cluster: str
    address: str


class BuyerWaveOut(Schema):
    id: int
    title: str
    province_code: str
    opens_at: datetime
    closes_at: datetime
    distribution_on: date
    status: str
    is_open: bool
    for_civil_servants: bool
    for_state_enterprise_staff: bool
    for_public: bool
    max_packs_per_order: int


class BuyerWaveDetailOut(BuyerWaveOut):
    offers: list[BuyerOfferOut]
    drop_off_points: list[BuyerDropOffOut]


class BuyerItemIn(Schema):
    pack: int
    quantity: int
    # The pack price the client showed; an order is refused if it is not the price now.
    price: int | None = None


class BuyerOrderIn(Schema):
    drop_off: int
    fulfilment: Fulfilment
    items: list[BuyerItemIn]
    nip: str = ""
    institution: int | None = None
    buyer_name: str = ""
    phone: str = ""
    # The total the client showed; an order is refused if it is not the total now.
    price_total: int | None = None


class BuyerOrderChangeIn(Schema):
    items: list[BuyerItemIn] | None = None
    drop_off: int | None = None
    fulfilment: Fulfilment | None = None


class BuyerLineOut(Schema):
    pack_id: int
    product: str
    size_milli: int
    quantity: int
    unit_price: int
    amount: int


class BuyerDropOffContactOut(BuyerDropOffOut):
    pic: str
    pic_phone: str


class BuyerOrderOut(Schema):
    id: int
    code: str
    url: str
    wave_id: int
    wave: str
    status: str
    buyer_kind: str
    buyer_name: str
    nip: str
    institution_id: int | None
    institution: str
    phone: str
    fulfilment: str
    drop_off: BuyerDropOffContactOut
    lines: list[BuyerLineOut]
    total: int
    total_milli: int
    payment_status: str
    amount_paid: int
    created_at: datetime
    changeable: bool
