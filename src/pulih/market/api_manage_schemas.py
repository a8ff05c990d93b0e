"""Request and response schemas of the product, wave and closing API (`api_manage`).

Money is whole Rupiah. Pack sizes, stock and quantities are in the product's unit (kg,
litre or piece), as numbers: 0.25, 5, 3000; weights also in tonnes (2.9).
"""

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Literal

from ninja import Schema
from pydantic import Field

from .models import Category, Unit
from .products import MAX_LINKS, MAX_SIZES, MILLI

Text200 = Annotated[str, Field(max_length=200)]
Link = Annotated[str, Field(max_length=500)]
Code = Annotated[str, Field(max_length=13)]


def _units(milli):
    return milli / MILLI


# Products ------------------------------------------------------------------------------


class ProductIn(Schema):
    """`seller_id`: the seller organisation, a seller's own when left out. `region_code`:
    within the seller's region, the seller's own when empty."""

    seller_id: int | None = None
    name: Text200
    category: Literal[tuple(Category.values)]
    unit: Literal[tuple(Unit.values)]
    price_per_unit: int
    pack_sizes: list[Decimal] = Field(max_length=MAX_SIZES)
    description: Annotated[str, Field(max_length=5_000)] = ""
    whatsapp: Annotated[str, Field(max_length=30)] = ""
    marketplace_links: list[Link] = Field(default=[], max_length=MAX_LINKS)
    public: bool = True
    region_code: Code = ""


class ProductPatchIn(Schema):
    """Only the fields given change; `pack_sizes` replaces the packs."""

    name: Text200 | None = None
    category: Literal[tuple(Category.values)] | None = None
    unit: Literal[tuple(Unit.values)] | None = None
    price_per_unit: int | None = None
    pack_sizes: list[Decimal] | None = Field(default=None, max_length=MAX_SIZES)
    description: Annotated[str, Field(max_length=5_000)] | None = None
    whatsapp: Annotated[str, Field(max_length=30)] | None = None
    marketplace_links: list[Link] | None = Field(default=None, max_length=MAX_LINKS)
    public: bool | None = None
    active: bool | None = None
    region_code: Code | None = None


class PackOut(Schema):
    id: int
    size: float
    price: int

    @staticmethod
    def resolve_size(pack):
        return _units(pack.size_milli)


class ProductOut(Schema):
    id: int
    seller_id: int
    seller: str
    name: str
    category: str
    unit: str
    price_per_unit: int
    description: str
    whatsapp: str
    marketplace_links: list[str]
    public: bool
    active: bool
    province_code: str
    regency_code: str
    photo: str | None
    packs: list[PackOut]

    @staticmethod
    def resolve_seller(product):
        return product.seller.name

    @staticmethod
    def resolve_photo(product):
        return product.photo.url if product.photo else None

    @staticmethod
    def resolve_packs(product):
        return product.active_packs


# Waves ---------------------------------------------------------------------------------


class WaveIn(Schema):
    """`province_code`: empty for a national wave (central officers); a province
    officer's waves are its province's. `institution_ids`: whose staff may buy, none for
    any institution."""

    title: Text200
    organiser_id: int
    opens_at: datetime
    closes_at: datetime
    distribution_on: date
    for_civil_servants: bool = True
    for_state_enterprise_staff: bool = False
    for_public: bool = False
    institution_ids: list[int] = Field(default=[], max_length=500)
    max_packs_per_order: int = 20
    province_code: Annotated[str, Field(max_length=2)] = ""


class WavePatchIn(Schema):
    title: Text200 | None = None
    organiser_id: int | None = None
    opens_at: datetime | None = None
    closes_at: datetime | None = None
    distribution_on: date | None = None
    for_civil_servants: bool | None = None
    for_state_enterprise_staff: bool | None = None
    for_public: bool | None = None
    institution_ids: list[int] | None = Field(default=None, max_length=500)
    max_packs_per_order: int | None = None


class OfferIn(Schema):
    """`stock` in the product's unit; for a product offered already, its new stock."""

    product_id: int
    stock: Decimal


class OfferOut(Schema):
    id: int
    product_id: int
    product: str
    seller_id: int
    seller: str
    unit: str
    stock: float
    sold: float
    remaining: float

    @staticmethod
    def resolve_product(offer):
        return offer.product.name

    @staticmethod
    def resolve_seller_id(offer):
        return offer.product.seller_id

    @staticmethod
    def resolve_seller(offer):
        return offer.product.seller.name

    @staticmethod
    def resolve_unit(offer):
        return offer.product.unit

    @staticmethod
    def resolve_stock(offer):
        return _units(offer.stock_milli)

    @staticmethod
    def resolve_sold(offer):
        return _units(offer.stock_milli - offer.remaining_milli)

    @staticmethod
    def resolve_remaining(offer):
        return _units(offer.remaining_milli)


class DropOffIn(Schema):
    cluster: Text200
    address: Annotated[str, Field(max_length=300)]
    pic_id: int
    region_code: Code = ""
    capacity: int | None = None


class DropOffOut(Schema):
    id: int
    cluster: str
    address: str
    region_code: str
    pic_id: int
    pic: str
    capacity: int | None

    @staticmethod
    def resolve_pic(point):
        return str(point.pic)


class WaveOut(Schema):
    id: int
    title: str
    organiser_id: int
    organiser: str
    province_code: str
    opens_at: datetime
    closes_at: datetime
    distribution_on: date
    for_civil_servants: bool
    for_state_enterprise_staff: bool
    for_public: bool
    institution_ids: list[int]
    max_packs_per_order: int
    status: str
    closed_at: datetime | None
    offers: list[OfferOut]
    drop_off_points: list[DropOffOut]

    @staticmethod
    def resolve_organiser(wave):
        return wave.organiser.name

    @staticmethod
    def resolve_institution_ids(wave):
        return [institution.pk for institution in wave.institutions.all()]

    @staticmethod
    def resolve_offers(wave):
        return wave.offers.select_related("product__seller")

    @staticmethod
    def resolve_drop_off_points(wave):
        return wave.drop_off_points.select_related("pic")


# Closing -------------------------------------------------------------------------------


class PackTotalOut(Schema):
    size: float
    packs: int
    amount: int


class ProductTotalOut(Schema):
    """`quantity` in the product's unit; `kg` and `tonnes` for products sold by the kg."""

    product_id: int
    product: str
    unit: str
    packs: list[PackTotalOut]
    pack_count: int
    quantity: float
    kg: float | None
    tonnes: float | None
    amount: int


class SellerTotalOut(Schema):
    seller_id: int
    seller: str
    kg: float
    tonnes: float
    amount: int
    products: list[ProductTotalOut]


class TotalsOut(Schema):
    status: str
    orders: int
    packs: int
    kg: float
    tonnes: float
    amount: int
    sellers: list[SellerTotalOut]


class PickPackOut(Schema):
    product: str
    size: str
    quantity: int
    amount: int


class PickListRowOut(Schema):
    """One order to hand over; the NIP is masked."""

    order_id: int
    code: str
    buyer_name: str
    nip: str
    institution: str
    phone: str
    packs: list[PickPackOut]
    amount: int
    amount_paid: int
    outstanding: int
    paid: bool
    payment_status: str
    fulfilment: str
    status: str
