"""The production pivot: UMKM that switch to protective equipment (APD), masks and
sanitizer, the curation (kurasi) of what they make against a standard, their licences,
and the raw-material suppliers verified by the industry ministry.

- A *declaration* is one business's statement that it can make one product type: how
  many a month, how soon, with what materials, equipment and workers.
- A *checklist* is the versioned list of criteria of a product type's standard (e.g.
  SNI 8914:2020 for cloth masks); a *curation* is one curator's check of a declaration
  against one checklist version, criterion by criterion.
- A *licence* is a distribution licence (izin edar PKRT or AKD), an SNI certificate, a
  halal certificate or another permit a business holds or has applied for.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from pulih.accounts.models import Organisation, Role
from pulih.core.scope import NOTHING, RegionalModel, ScopedQuerySet, region_filter
from pulih.registry.models import Business

# The roles that work with a region's records.
OFFICERS = {Role.PUSAT, Role.PROVINSI, Role.KABKOTA, Role.PENDAMPING}


class LicenceKind(models.TextChoices):
    IZIN_EDAR_PKRT = "izin_edar_pkrt", _("Distribution licence PKRT (household health supplies)")
    IZIN_EDAR_AKD = "izin_edar_akd", _("Distribution licence AKD (domestic medical device)")
    SNI = "sni", _("SNI certificate")
    HALAL = "halal", _("Halal certificate")
    OTHER = "other", _("Other permit")


class ProductType(models.Model):
    """An entry of the configurable catalogue of products a business may pivot to."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=100)
    unit = models.CharField(_("unit"), max_length=20, default="pcs")
    # The licence a producer must hold before demand that requires one may go to it.
    licence_kind = models.CharField(
        _("licence required"), max_length=20, choices=LicenceKind, blank=True
    )
    active = models.BooleanField(_("active"), default=True)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "name"]
        verbose_name = _("product type")
        verbose_name_plural = _("product types")

    def __str__(self):
        return self.name


class Material(models.Model):
    """A raw or auxiliary material: spunbond, meltblown, cotton fabric, elastic, ethanol…"""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=100)
    unit = models.CharField(_("unit"), max_length=20)

    class Meta:
        ordering = ["name"]
        verbose_name = _("material")
        verbose_name_plural = _("materials")

    def __str__(self):
        return self.name


class DeclarationQuerySet(ScopedQuerySet):
    pass


class Declaration(RegionalModel):
    """One business's pivot to one product type. Its region is its business's."""

    class Status(models.TextChoices):
        DECLARED = "declared", _("Declared")
        IN_CURATION = "in_curation", _("In curation")
        CURATED = "curated", _("Curated")
        NEEDS_IMPROVEMENT = "needs_improvement", _("Needs improvement")
        REJECTED = "rejected", _("Rejected")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    business = models.ForeignKey(
        Business, on_delete=models.PROTECT, related_name="declarations", verbose_name=_("business")
    )
    product_type = models.ForeignKey(
        ProductType, on_delete=models.PROTECT, related_name="+", verbose_name=_("product")
    )
    monthly_capacity = models.PositiveIntegerField(_("capacity per month"))
    lead_time_days = models.PositiveSmallIntegerField(_("lead time (days)"), default=0)
    unit_price = models.BigIntegerField(_("price per unit (Rp)"), default=0)
    equipment = models.TextField(_("equipment"), blank=True)
    workers = models.PositiveIntegerField(_("workers"), default=0)
    description = models.TextField(_("description"), blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=Status, default=Status.DECLARED, db_index=True
    )
    curator = models.ForeignKey(
        Organisation,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="assigned_declarations",
        limit_choices_to={"kind": Organisation.Kind.CURATOR},
        verbose_name=_("curator"),
    )
    declared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    declared_at = models.DateTimeField(_("declared at"), default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    objects = DeclarationQuerySet.as_manager()

    class Meta:
        ordering = ["-declared_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["business", "product_type"], name="one_declaration_per_product"
            )
        ]
        verbose_name = _("pivot declaration")
        verbose_name_plural = _("pivot declarations")

    def __str__(self):
        return f"{self.business} — {self.product_type}"

    @classmethod
    def scope_q(cls, user):
        """Officers see their region's; a curator the declarations assigned to its
        organisation; a seller its own business's. Buyers see none."""
        return declaration_scope(user)


def declaration_scope(user, prefix=""):
    """The scope of declarations, also used by records that hang from one (`prefix`)."""
    if not user.is_authenticated or not user.is_active:
        return NOTHING
    if user.role == Role.KURATOR and not user.is_superuser:
        return (
            models.Q(**{f"{prefix}curator_id": user.organisation_id})
            if user.organisation_id
            else NOTHING
        )
    if user.role == Role.PENJUAL and not user.is_superuser:
        return seller_scope(user, f"{prefix}business__")
    if user.is_superuser or user.role in OFFICERS:
        return region_filter(user, prefix=prefix)
    return NOTHING


def seller_scope(user, prefix="business__"):
    """A seller sees the records of the businesses its organisation acts for."""
    if not user.organisation_id:
        return NOTHING
    return models.Q(**{f"{prefix}organisation_id": user.organisation_id})


class DeclarationMaterial(models.Model):
    """A material a declaration needs, and how much of it a month."""

    declaration = models.ForeignKey(Declaration, on_delete=models.CASCADE, related_name="materials")
    material = models.ForeignKey(
        Material, on_delete=models.PROTECT, related_name="+", verbose_name=_("material")
    )
    monthly_quantity = models.PositiveIntegerField(_("quantity per month"))

    class Meta:
        ordering = ["material__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["declaration", "material"], name="one_need_per_material"
            )
        ]
        verbose_name = _("material needed")
        verbose_name_plural = _("materials needed")

    def __str__(self):
        return f"{self.material}: {self.monthly_quantity} {self.material.unit}"


class DeclarationPhoto(models.Model):
    declaration = models.ForeignKey(Declaration, on_delete=models.CASCADE, related_name="photos")
    image = models.ImageField(_("photo"), upload_to="production/declarations/%Y/%m/")
    caption = models.CharField(_("caption"), max_length=200, blank=True)
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["uploaded_at", "pk"]
        verbose_name = _("photo")
        verbose_name_plural = _("photos")

    def __str__(self):
        return self.caption or self.image.name


class Resubmission(models.Model):
    """A business saying it has improved after "needs improvement" (back to its curator),
    or a withdrawn or rejected declaration opened again."""

    declaration = models.ForeignKey(
        Declaration, on_delete=models.CASCADE, related_name="resubmissions"
    )
    note = models.TextField(_("note"), blank=True)
    # A withdrawn or rejected declaration opened again, rather than an improvement.
    reopened = models.BooleanField(_("reopened"), default=False)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    submitted_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-submitted_at", "-pk"]
        verbose_name = _("resubmission")
        verbose_name_plural = _("resubmissions")

    def __str__(self):
        return f"{self.declaration} {self.submitted_at:%Y-%m-%d}"


class Checklist(models.Model):
    """One version of a product type's curation criteria. A version in use is never
    changed: a change makes the next version, and curations keep the one they used."""

    product_type = models.ForeignKey(
        ProductType, on_delete=models.PROTECT, related_name="checklists"
    )
    version = models.PositiveSmallIntegerField(_("version"))
    standard = models.CharField(_("standard"), max_length=100, blank=True)
    active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["product_type__order", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["product_type", "version"], name="one_checklist_per_version"
            )
        ]
        verbose_name = _("checklist")
        verbose_name_plural = _("checklists")

    def __str__(self):
        return f"{self.product_type} v{self.version}"


class Criterion(models.Model):
    """One check of a checklist. With a minimum, the curator enters the measured value
    (e.g. alcohol 70 %) and the check passes when it reaches the minimum."""

    checklist = models.ForeignKey(Checklist, on_delete=models.CASCADE, related_name="criteria")
    order = models.PositiveSmallIntegerField(default=0)
    text = models.CharField(_("criterion"), max_length=300)
    minimum = models.DecimalField(
        _("minimum value"), max_digits=10, decimal_places=2, null=True, blank=True
    )
    value_unit = models.CharField(_("unit of the value"), max_length=20, blank=True)
    # A failed required criterion keeps the product from being curated.
    required = models.BooleanField(_("required"), default=True)

    class Meta:
        ordering = ["checklist", "order", "pk"]
        verbose_name = _("criterion")
        verbose_name_plural = _("criteria")

    def __str__(self):
        return self.text


class Curation(models.Model):
    """One curator's check of a declaration against one checklist version."""

    class Outcome(models.TextChoices):
        CURATED = "curated", _("Curated")
        NEEDS_IMPROVEMENT = "needs_improvement", _("Needs improvement")
        REJECTED = "rejected", _("Rejected")

    declaration = models.ForeignKey(Declaration, on_delete=models.CASCADE, related_name="curations")
    checklist = models.ForeignKey(Checklist, on_delete=models.PROTECT, related_name="+")
    curator = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    curated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    outcome = models.CharField(_("outcome"), max_length=20, choices=Outcome, blank=True)
    reasons = models.TextField(_("reasons"), blank=True)
    started_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        ordering = ["-started_at", "-pk"]
        verbose_name = _("curation")
        verbose_name_plural = _("curations")

    def __str__(self):
        return f"{self.declaration} ({self.get_outcome_display() or '…'})"


class CurationResult(models.Model):
    curation = models.ForeignKey(Curation, on_delete=models.CASCADE, related_name="results")
    criterion = models.ForeignKey(Criterion, on_delete=models.PROTECT, related_name="+")
    passed = models.BooleanField(_("passed"))
    value = models.DecimalField(
        _("measured value"), max_digits=10, decimal_places=2, null=True, blank=True
    )
    note = models.CharField(_("note"), max_length=500, blank=True)
    evidence = models.ImageField(
        _("photo evidence"), upload_to="production/curations/%Y/%m/", blank=True
    )

    class Meta:
        ordering = ["criterion__order", "criterion__pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["curation", "criterion"], name="one_result_per_criterion"
            )
        ]

    def __str__(self):
        return f"{self.criterion}: {self.passed}"


class Licence(RegionalModel):
    """A licence or certificate of a business, for one product type or all it makes.
    Its region is its business's."""

    class Status(models.TextChoices):
        APPLIED = "applied", _("Applied")
        IN_PROCESS = "in_process", _("In process")
        GRANTED = "granted", _("Granted")
        REJECTED = "rejected", _("Rejected")

    business = models.ForeignKey(
        Business, on_delete=models.PROTECT, related_name="licences", verbose_name=_("business")
    )
    product_type = models.ForeignKey(
        ProductType,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("product"),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=LicenceKind)
    number = models.CharField(_("number"), max_length=100, blank=True)
    issuer = models.CharField(_("issuer"), max_length=200)
    status = models.CharField(
        _("status"), max_length=12, choices=Status, default=Status.APPLIED, db_index=True
    )
    applied_on = models.DateField(_("applied on"), null=True, blank=True)
    granted_on = models.DateField(_("granted on"), null=True, blank=True)
    expires_on = models.DateField(_("expires on"), null=True, blank=True, db_index=True)
    note = models.CharField(_("note"), max_length=500, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["expires_on", "pk"]
        verbose_name = _("licence")
        verbose_name_plural = _("licences")

    def __str__(self):
        return f"{self.get_kind_display()} {self.number}".strip()

    @classmethod
    def scope_q(cls, user):
        """Officers their region's licences, a seller its own business's."""
        if not user.is_authenticated or not user.is_active:
            return NOTHING
        if user.is_superuser or user.role in OFFICERS:
            return region_filter(user)
        if user.role == Role.PENJUAL:
            return seller_scope(user)
        return NOTHING

    def valid_on(self, day):
        """Granted and not expired on `day`."""
        return self.status == self.Status.GRANTED and (
            self.expires_on is None or self.expires_on >= day
        )


class SupplierQuerySet(ScopedQuerySet):
    def verified(self):
        return self.filter(status=Supplier.Status.VERIFIED)


class Supplier(RegionalModel):
    """A producer of raw materials, verified by the industry ministry (Kemenperin)."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Awaiting verification")
        VERIFIED = "verified", _("Verified")
        REJECTED = "rejected", _("Not verified")

    name = models.CharField(_("name"), max_length=200)
    address = models.CharField(_("address"), max_length=300, blank=True)
    latitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    contact_name = models.CharField(_("contact person"), max_length=200, blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=32, blank=True)
    status = models.CharField(
        _("verification"), max_length=10, choices=Status, default=Status.PENDING, db_index=True
    )
    verified_by = models.CharField(_("verified by"), max_length=200, blank=True)
    verified_on = models.DateField(_("verified on"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = SupplierQuerySet.as_manager()

    class Meta:
        ordering = ["name", "pk"]
        verbose_name = _("raw-material supplier")
        verbose_name_plural = _("raw-material suppliers")

    def __str__(self):
        return self.name

    @classmethod
    def scope_q(cls, user):
        """The verified list is national: every officer reads it (matching looks across
        provinces); other roles see none."""
        if (
            user.is_authenticated
            and user.is_active
            and (user.is_superuser or user.role in OFFICERS)
        ):
            return models.Q()
        return NOTHING


class SupplierMaterial(models.Model):
    supplier = models.ForeignKey(Supplier, on_delete=models.CASCADE, related_name="materials")
    material = models.ForeignKey(
        Material, on_delete=models.PROTECT, related_name="suppliers", verbose_name=_("material")
    )
    monthly_capacity = models.PositiveIntegerField(_("capacity per month"))

    class Meta:
        ordering = ["material__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["supplier", "material"], name="one_capacity_per_supplier_material"
            )
        ]
        verbose_name = _("material supplied")
        verbose_name_plural = _("materials supplied")

    def __str__(self):
        return f"{self.material}: {self.monthly_capacity} {self.material.unit}"
