"""The request and response schemas of the gallery and PLUT consignment API (`api_gallery`).

Money is whole Rupiah; consigned quantities are items; dates YYYY-MM-DD.
"""

from datetime import date
from decimal import Decimal
from typing import Annotated, Literal

from ninja import Schema
from pydantic import Field

from .models import Category

ProvinceCode = Annotated[str, Field(pattern=r"^[0-9]{2}$")]
RegencyCode = Annotated[str, Field(pattern=r"^[0-9]{2}\.[0-9]{2}$")]


# Gallery -------------------------------------------------------------------------------


class GalleryFilters(Schema):
    """`search` looks in the product's and the seller's name."""

    province: ProvinceCode | None = None
    regency: RegencyCode | None = None
    category: Literal[tuple(Category.values)] | None = None
    search: Annotated[str, Field(max_length=100)] | None = None
    limit: int = Field(24, ge=1, le=100)
    offset: int = Field(0, ge=0)


class PackPriceOut(Schema):
    """`size`: "5 kg"; `text`: "5 kg — Rp 55.000"."""

    size: str
    price: int
    text: str


class LinkOut(Schema):
    label: str
    url: str


class GalleryProductOut(Schema):
    """A product of the public gallery. `whatsapp_url` is the business's WhatsApp
    (https://wa.me/…), "" when it has none; `photo_url` "" when there is no photo."""

    id: int
    name: str
    category: str
    category_label: str
    description: str
    seller: str
    province_code: str
    regency_code: str
    region: str
    unit: str
    unit_label: str
    price_per_unit: int
    packs: list[PackPriceOut]
    whatsapp_url: str
    marketplace: list[LinkOut]
    photo_url: str


class GalleryPage(Schema):
    count: int
    items: list[GalleryProductOut]


# Consignment ---------------------------------------------------------------------------


class ConsignmentFilters(Schema):
    province: ProvinceCode | None = None
    seller_id: int | None = None


class ConsignmentItemOut(Schema):
    """One product in one province's PLUT gallery: `on_hand` = received − sold −
    returned; `unsettled_amount`: sales not yet paid to the seller (before commission)."""

    id: int
    province_code: str
    product_id: int
    product_name: str = Field(alias="product.name")
    seller_id: int = Field(alias="product.seller_id")
    seller_name: str = Field(alias="product.seller.name")
    price: int
    commission_percent: Decimal
    received: int
    sold: int
    returned: int
    on_hand: int
    sales_amount: int
    unsettled_amount: int


class ReceiveIn(Schema):
    """`province_code`: the gallery's province, a province officer's own when left out.
    `price` (per item) and `commission_percent` are set on the first receipt (the
    product's price per unit and 0 when left out) and may be changed by a later one."""

    province_code: ProvinceCode | None = None
    product_id: int
    quantity: int
    on: date
    price: int | None = None
    commission_percent: Decimal | None = None


class SellIn(Schema):
    """`price`: per item, the item's price when left out."""

    quantity: int
    on: date
    price: int | None = None


class ReturnIn(Schema):
    quantity: int
    on: date


class SettleIn(Schema):
    province_code: ProvinceCode | None = None
    seller_id: int
    paid_on: date
    reference: Annotated[str, Field(max_length=100)] = ""


class SettlementOut(Schema):
    id: int
    province_code: str
    seller_id: int
    seller_name: str = Field(alias="seller.name")
    gross: int
    commission: int
    net: int
    paid_on: date
    reference: str
