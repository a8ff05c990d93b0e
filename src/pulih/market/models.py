"""Selling UMKM and cooperative products: to civil servants in order waves, through
flyers and a public gallery, and on consignment at the province's PLUT gallery.

- A *wave* (gelombang) is one round of ordering: a window in which orders are taken, a
  distribution day, the products offered with each seller's stock, and the drop-off
  points (titik antar) where a PIC hands the orders over and takes the payments.
- Quantities of goods are kept as whole thousandths of the product's unit (`*_milli`:
  grams of a product sold by the kg, millilitres of one sold by the litre), so stock
  arithmetic is exact in every database; prices are whole Rupiah.
- *PLUT* (Pusat Layanan Usaha Terpadu) KUMKM is the province's service centre, whose
  gallery sells products regencies send on consignment.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from pulih.accounts.models import Organisation, Role
from pulih.core.scope import (
    NOTHING,
    RegionalModel,
    ScopedQuerySet,
    province_filter,
    region_filter,
)

# The roles that work with a region's records.
OFFICERS = {Role.PUSAT, Role.PROVINSI, Role.KABKOTA, Role.PENDAMPING}
SELLER_KINDS = (Organisation.Kind.COOPERATIVE, Organisation.Kind.BUSINESS)


class Unit(models.TextChoices):
    KG = "kg", _("kg")
    LITRE = "liter", _("litre")
    PIECE = "pcs", _("piece")


class Category(models.TextChoices):
    STAPLES = "pangan_pokok", _("Rice and staples")
    FOOD = "makanan", _("Processed food")
    DRINK = "minuman", _("Drinks")
    HEALTH = "kesehatan", _("Masks and health")
    FASHION = "fesyen", _("Fashion and textiles")
    CRAFT = "kerajinan", _("Crafts")
    OTHER = "lainnya", _("Other")


class Product(RegionalModel):
    """A product a cooperative or UMKM sells; its region is the seller's."""

    seller = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="products",
        limit_choices_to={"kind__in": SELLER_KINDS},
        verbose_name=_("seller"),
    )
    name = models.CharField(_("name"), max_length=200)
    category = models.CharField(_("category"), max_length=20, choices=Category)
    description = models.TextField(_("description"), blank=True)
    unit = models.CharField(_("unit"), max_length=10, choices=Unit)
    price_per_unit = models.BigIntegerField(_("price per unit (Rp)"))
    photo = models.ImageField(_("photo"), upload_to="market/products/%Y/%m/", blank=True)
    whatsapp = models.CharField(_("WhatsApp"), max_length=20, blank=True)
    marketplace_links = models.JSONField(_("marketplace links"), default=list, blank=True)
    # Shown in the public gallery and on flyers.
    public = models.BooleanField(_("in the public gallery"), default=True)
    active = models.BooleanField(_("active"), default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    scope_organisation_field = "seller"

    class Meta:
        ordering = ["name", "pk"]
        indexes = [models.Index(fields=["public", "active", "category"])]
        verbose_name = _("product")
        verbose_name_plural = _("products")

    def __str__(self):
        return self.name


class Pack(models.Model):
    """A pack a product is sold in: 5 kg of rice at Rp 11,000 per kg is Rp 55,000."""

    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="packs")
    size_milli = models.PositiveIntegerField(_("pack size"))
    price = models.BigIntegerField(_("pack price (Rp)"))
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["product", "size_milli"]
        constraints = [
            models.UniqueConstraint(fields=["product", "size_milli"], name="one_pack_per_size"),
            models.CheckConstraint(condition=models.Q(size_milli__gt=0), name="pack_not_empty"),
        ]
        verbose_name = _("pack")
        verbose_name_plural = _("packs")

    def __str__(self):
        return f"{self.product} {self.size_milli / 1000:g} {self.product.unit}"


class WaveQuerySet(ScopedQuerySet):
    def published(self):
        return self.exclude(status=Wave.Status.DRAFT)


class Wave(models.Model):
    """A round of ordering (gelombang). National waves have no province."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")
        CLOSED = "closed", _("Closed")
        SETTLED = "settled", _("Settled")

    title = models.CharField(_("title"), max_length=200)
    organiser = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="waves", verbose_name=_("organiser")
    )
    province_code = models.CharField(_("province"), max_length=2, blank=True, db_index=True)
    opens_at = models.DateTimeField(_("orders open"))
    closes_at = models.DateTimeField(_("orders close"))
    distribution_on = models.DateField(_("distribution day"))
    for_civil_servants = models.BooleanField(_("civil servants (NIP)"), default=True)
    for_state_enterprise_staff = models.BooleanField(
        _("employees of state-owned companies"), default=False
    )
    for_public = models.BooleanField(_("the public"), default=False)
    # Whose civil servants or employees may buy; none listed = any institution.
    institutions = models.ManyToManyField(
        Organisation, blank=True, related_name="+", verbose_name=_("institutions")
    )
    max_packs_per_order = models.PositiveSmallIntegerField(_("most packs in one order"), default=20)
    status = models.CharField(
        _("status"), max_length=10, choices=Status, default=Status.DRAFT, db_index=True
    )
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = WaveQuerySet.as_manager()

    class Meta:
        ordering = ["-opens_at", "-pk"]
        verbose_name = _("order wave")
        verbose_name_plural = _("order waves")

    def __str__(self):
        return self.title

    @classmethod
    def scope_q(cls, user):
        """Officers: national waves and their province's; a seller the waves it offers
        in; a PIC those with its drop-off point; buyers every published wave."""
        if not user.is_authenticated or not user.is_active:
            return NOTHING
        if user.is_superuser or user.role in OFFICERS:
            return province_filter(user, national=True)
        # Subqueries rather than joins: a seller with two products in a wave, or a PIC of
        # two of its points, still sees the wave once.
        if user.role == Role.PENJUAL:
            if not user.organisation_id:
                return NOTHING
            offered = WaveProduct.objects.filter(product__seller_id=user.organisation_id)
            return models.Q(pk__in=offered.values("wave_id")) & ~models.Q(status=cls.Status.DRAFT)
        if user.role == Role.PIC:
            return models.Q(pk__in=DropOffPoint.objects.filter(pic=user).values("wave_id"))
        return ~models.Q(status=cls.Status.DRAFT)


class WaveProduct(models.Model):
    """A product offered in a wave with the seller's stock for it. `remaining_milli`
    only changes through one conditional UPDATE, and the database refuses a negative
    value, so a wave never sells more than its stock."""

    wave = models.ForeignKey(Wave, on_delete=models.CASCADE, related_name="offers")
    product = models.ForeignKey(Product, on_delete=models.PROTECT, related_name="offers")
    stock_milli = models.BigIntegerField(_("stock"))
    remaining_milli = models.BigIntegerField(_("remaining"))

    class Meta:
        ordering = ["wave", "product__name"]
        constraints = [
            models.UniqueConstraint(fields=["wave", "product"], name="one_offer_per_product"),
            models.CheckConstraint(
                condition=models.Q(remaining_milli__gte=0), name="offer_never_oversold"
            ),
            models.CheckConstraint(
                condition=models.Q(remaining_milli__lte=models.F("stock_milli")),
                name="offer_remaining_within_stock",
            ),
        ]
        verbose_name = _("product in a wave")
        verbose_name_plural = _("products in a wave")

    def __str__(self):
        return f"{self.wave}: {self.product}"


class DropOffPoint(models.Model):
    """A cluster's drop-off point (titik antar) and its person in charge (PIC)."""

    wave = models.ForeignKey(Wave, on_delete=models.CASCADE, related_name="drop_off_points")
    cluster = models.CharField(_("cluster"), max_length=200)
    address = models.CharField(_("address"), max_length=300)
    region_code = models.CharField(_("region code"), max_length=13, blank=True)
    pic = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="drop_off_points",
        verbose_name=_("PIC"),
    )
    # The most orders the point can hand over; none = no limit.
    capacity = models.PositiveIntegerField(_("capacity (orders)"), null=True, blank=True)

    class Meta:
        ordering = ["wave", "cluster"]
        verbose_name = _("drop-off point")
        verbose_name_plural = _("drop-off points")

    def __str__(self):
        return self.cluster


class OrderQuerySet(ScopedQuerySet):
    pass


class Order(models.Model):
    class Status(models.TextChoices):
        PLACED = "placed", _("Placed")
        CANCELLED = "cancelled", _("Cancelled")
        COLLECTED = "collected", _("Collected")
        WITH_OJEK = "with_ojek", _("Handed to an ojek")
        NOT_COLLECTED = "not_collected", _("Not collected")

    class Fulfilment(models.TextChoices):
        COLLECT = "collect", _("Collect at the drop-off point")
        OJEK = "ojek", _("Ojek online arranged by the buyer")

    class BuyerKind(models.TextChoices):
        CIVIL_SERVANT = "asn", _("Civil servant")
        STATE_ENTERPRISE = "bumn", _("Employee of a state-owned company")
        PUBLIC = "public", _("Member of the public")

    class Payment(models.TextChoices):
        UNPAID = "unpaid", _("Unpaid")
        PARTLY_PAID = "partly_paid", _("Partly paid")
        PAID = "paid", _("Paid")

    wave = models.ForeignKey(Wave, on_delete=models.PROTECT, related_name="orders")
    drop_off = models.ForeignKey(
        DropOffPoint,
        on_delete=models.PROTECT,
        related_name="orders",
        verbose_name=_("drop-off point"),
    )
    # The confirmation code shown at pickup (and in the QR code).
    code = models.CharField(_("confirmation code"), max_length=12, unique=True)
    buyer = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="orders"
    )
    buyer_kind = models.CharField(_("buyer"), max_length=10, choices=BuyerKind)
    buyer_name = models.CharField(_("name"), max_length=200)
    nip = models.CharField(_("NIP"), max_length=18, blank=True)
    institution = models.ForeignKey(
        Organisation,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("institution"),
    )
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    fulfilment = models.CharField(_("fulfilment"), max_length=10, choices=Fulfilment)
    status = models.CharField(
        _("status"), max_length=15, choices=Status, default=Status.PLACED, db_index=True
    )
    total = models.BigIntegerField(_("total (Rp)"), default=0)
    total_milli = models.BigIntegerField(_("quantity"), default=0)
    payment_status = models.CharField(
        _("payment"), max_length=12, choices=Payment, default=Payment.UNPAID, db_index=True
    )
    amount_paid = models.BigIntegerField(_("paid (Rp)"), default=0)
    ojek_driver_name = models.CharField(_("ojek driver"), max_length=200, blank=True)
    ojek_driver_phone = models.CharField(_("ojek driver's phone"), max_length=20, blank=True)
    handed_over_at = models.DateTimeField(_("handed over at"), null=True, blank=True)
    handed_over_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    # A client's key for one submission: the same key returns the same order.
    idempotency_key = models.CharField(max_length=100, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)

    objects = OrderQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["buyer", "idempotency_key"],
                condition=~models.Q(idempotency_key=""),
                name="one_order_per_idempotency_key",
            )
        ]
        indexes = [
            models.Index(fields=["wave", "drop_off", "status"]),
            models.Index(fields=["buyer", "created_at"]),
        ]
        verbose_name = _("order")
        verbose_name_plural = _("orders")

    def __str__(self):
        return self.code

    @classmethod
    def scope_q(cls, user):
        """Officers the orders of the waves they see; a PIC its drop-off points'; a buyer
        its own. Sellers see totals, never buyers."""
        if not user.is_authenticated or not user.is_active:
            return NOTHING
        if user.is_superuser or user.role in OFFICERS:
            return models.Q(wave__in=Wave.objects.filter(province_filter(user, national=True)))
        if user.role == Role.PIC:
            return models.Q(drop_off__pic=user)
        if user.role == Role.PENJUAL:
            return NOTHING
        return models.Q(buyer=user)

    @property
    def outstanding(self):
        return max(self.total - self.amount_paid, 0)


class OrderLine(models.Model):
    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="lines")
    offer = models.ForeignKey(WaveProduct, on_delete=models.PROTECT, related_name="+")
    pack = models.ForeignKey(Pack, on_delete=models.PROTECT, related_name="+")
    quantity = models.PositiveIntegerField(_("packs"))
    size_milli = models.PositiveIntegerField()
    unit_price = models.BigIntegerField(_("pack price (Rp)"))
    amount = models.BigIntegerField(_("amount (Rp)"))

    class Meta:
        ordering = ["order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["order", "pack"], name="one_line_per_pack"),
            models.CheckConstraint(condition=models.Q(quantity__gt=0), name="line_not_empty"),
        ]

    def __str__(self):
        return f"{self.order}: {self.quantity} × {self.pack}"


class OrderPayment(models.Model):
    """Money a PIC took for an order, in cash or by transfer."""

    class Method(models.TextChoices):
        CASH = "cash", _("Cash")
        TRANSFER = "transfer", _("Transfer")

    order = models.ForeignKey(Order, on_delete=models.PROTECT, related_name="payments")
    method = models.CharField(_("method"), max_length=10, choices=Method)
    amount = models.BigIntegerField(_("amount (Rp)"))
    reference = models.CharField(_("reference"), max_length=100, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["recorded_at", "pk"]
        constraints = [
            models.CheckConstraint(condition=models.Q(amount__gt=0), name="payment_positive")
        ]
        verbose_name = _("payment")
        verbose_name_plural = _("payments")

    def __str__(self):
        return f"{self.order} {self.amount}"


class SellerSettlement(models.Model):
    """What a wave owes a seller for what was sold, and what has been paid to it."""

    wave = models.ForeignKey(Wave, on_delete=models.PROTECT, related_name="settlements")
    seller = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    sold_milli = models.BigIntegerField(_("sold"), default=0)
    amount_due = models.BigIntegerField(_("due (Rp)"), default=0)
    amount_paid = models.BigIntegerField(_("paid (Rp)"), default=0)
    paid_on = models.DateField(_("paid on"), null=True, blank=True)
    reference = models.CharField(_("reference"), max_length=100, blank=True)

    class Meta:
        ordering = ["wave", "seller__name"]
        constraints = [
            models.UniqueConstraint(fields=["wave", "seller"], name="one_settlement_per_seller")
        ]
        verbose_name = _("settlement to a seller")
        verbose_name_plural = _("settlements to sellers")

    def __str__(self):
        return f"{self.wave}: {self.seller}"


class ConsignmentItem(models.Model):
    """A product a seller consigned to a province's PLUT gallery, at a price and a
    commission the gallery keeps on each sale."""

    province_code = models.CharField(_("province"), max_length=2, db_index=True)
    product = models.ForeignKey(Product, on_delete=models.PROTECT, related_name="consignments")
    price = models.BigIntegerField(_("price per item (Rp)"))
    commission_percent = models.DecimalField(
        _("commission (%)"), max_digits=5, decimal_places=2, default=0
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["province_code", "product__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["province_code", "product"], name="one_consignment_per_product"
            )
        ]
        verbose_name = _("consigned product")
        verbose_name_plural = _("consigned products")

    def __str__(self):
        return f"PLUT {self.province_code}: {self.product}"

    @classmethod
    def scope_q(cls, user):
        """The province's officers (and the centre) run the gallery; a regency's officers
        and field assistants see their own UMKM's items; a seller its own products."""
        if not user.is_authenticated or not user.is_active:
            return NOTHING
        if user.is_superuser or user.role in {Role.PUSAT, Role.PROVINSI}:
            return province_filter(user)
        if user.role in OFFICERS:
            return region_filter(user, prefix="product__")
        if user.role == Role.PENJUAL and user.organisation_id:
            return models.Q(product__seller_id=user.organisation_id)
        return NOTHING


class ConsignmentMovement(models.Model):
    """Items received from the seller, sold in the gallery, or returned to the seller."""

    class Kind(models.TextChoices):
        RECEIVED = "received", _("Received")
        SOLD = "sold", _("Sold")
        RETURNED = "returned", _("Returned")

    item = models.ForeignKey(ConsignmentItem, on_delete=models.PROTECT, related_name="movements")
    kind = models.CharField(_("kind"), max_length=10, choices=Kind)
    quantity = models.PositiveIntegerField(_("items"))
    on = models.DateField(_("date"))
    # For a sale: the price it sold at times the quantity.
    amount = models.BigIntegerField(_("amount (Rp)"), default=0)
    settlement = models.ForeignKey(
        "ConsignmentSettlement",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="sales",
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["on", "pk"]
        constraints = [
            models.CheckConstraint(condition=models.Q(quantity__gt=0), name="movement_not_empty")
        ]
        verbose_name = _("gallery movement")
        verbose_name_plural = _("gallery movements")

    def __str__(self):
        return f"{self.item} {self.kind} {self.quantity}"


class ConsignmentSettlement(models.Model):
    """A payment from the PLUT gallery to a seller: its sales less the commission."""

    province_code = models.CharField(_("province"), max_length=2, db_index=True)
    seller = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    gross = models.BigIntegerField(_("sales (Rp)"))
    commission = models.BigIntegerField(_("commission (Rp)"))
    net = models.BigIntegerField(_("paid to the seller (Rp)"))
    paid_on = models.DateField(_("paid on"))
    reference = models.CharField(_("reference"), max_length=100, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-paid_on", "-pk"]
        verbose_name = _("gallery settlement")
        verbose_name_plural = _("gallery settlements")

    def __str__(self):
        return f"PLUT {self.province_code}: {self.seller} {self.paid_on}"
