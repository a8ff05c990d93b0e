"""The registry of KUMKM affected by Covid-19: people, businesses, cooperatives, impact.

Records arrive in collection batches (tahap — a regency's collection stage): the regency
collects, submits; the province verifies and approves; the centre receives. Approved
batches are locked.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from pulih.core.scope import RegionalModel, ScopedQuerySet, region_filter
from pulih.core.text import name_key

# PP 7/2021: upper bounds (inclusive) in Rupiah of business capital and of annual sales.
SCALE_BY_CAPITAL = [("micro", 1_000_000_000), ("small", 5_000_000_000), ("medium", 10_000_000_000)]
SCALE_BY_SALES = [("micro", 2_000_000_000), ("small", 15_000_000_000), ("medium", 50_000_000_000)]
SCALE_ORDER = ["micro", "small", "medium", "large"]


def scale_of(*, capital=None, annual_sales=None):
    """Business scale per PP 7/2021 from capital and/or annual sales.

    When both are known the larger scale wins: a business that is small by either
    measure is not micro (aid for micro businesses must not go to it).
    """
    scales = []
    for value, tiers in ((capital, SCALE_BY_CAPITAL), (annual_sales, SCALE_BY_SALES)):
        if value is not None:
            scales.append(next((name for name, bound in tiers if value <= bound), "large"))
    if not scales:
        return ""
    return max(scales, key=SCALE_ORDER.index)


class Sex(models.TextChoices):
    MALE = "M", _("Male")
    FEMALE = "F", _("Female")


class KbliSection(models.TextChoices):
    """Sections of the Indonesian standard industrial classification (KBLI 2020)."""

    A = "A", _("Agriculture, forestry and fishing")
    B = "B", _("Mining and quarrying")
    C = "C", _("Manufacturing")
    D = "D", _("Electricity, gas, steam and air conditioning supply")
    E = "E", _("Water supply, sewerage and waste management")
    F = "F", _("Construction")
    G = "G", _("Wholesale and retail trade; repair of motor vehicles")
    H = "H", _("Transportation and storage")
    I = "I", _("Accommodation and food service activities")  # noqa: E741
    J = "J", _("Information and communication")
    K = "K", _("Financial and insurance activities")
    L = "L", _("Real estate activities")
    M = "M", _("Professional, scientific and technical activities")
    N = "N", _("Administrative and support service activities")
    O = "O", _("Public administration and defence")  # noqa: E741
    P = "P", _("Education")
    Q = "Q", _("Human health and social work activities")
    R = "R", _("Arts, entertainment and recreation")
    S = "S", _("Other service activities")
    T = "T", _("Activities of households as employers")
    U = "U", _("Activities of extraterritorial organisations")


class Scale(models.TextChoices):
    MICRO = "micro", _("Micro")
    SMALL = "small", _("Small")
    MEDIUM = "medium", _("Medium")
    LARGE = "large", _("Large")


class CollectionBatch(RegionalModel):
    """A regency's collection stage (tahap): the unit that moves up to province and centre."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")
        VERIFIED = "verified", _("Verified")
        APPROVED = "approved", _("Approved by the province")
        RECEIVED = "received", _("Received by the centre")
        RETURNED = "returned", _("Returned for correction")

    stage = models.PositiveSmallIntegerField(_("stage"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status, default=Status.DRAFT, db_index=True
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    EDITABLE = {Status.DRAFT, Status.RETURNED}
    LOCKED = {Status.APPROVED, Status.RECEIVED}

    class Meta:
        ordering = ["regency_code", "stage"]
        constraints = [
            models.UniqueConstraint(fields=["regency_code", "stage"], name="batch_one_per_stage")
        ]
        verbose_name = _("collection batch")
        verbose_name_plural = _("collection batches")

    def __str__(self):
        return f"{self.regency_code} tahap {self.stage}"

    @property
    def editable(self):
        return self.status in self.EDITABLE

    @property
    def locked(self):
        return self.status in self.LOCKED


class BatchEvent(models.Model):
    """One step of a batch's history: who moved it, from where to where, and why."""

    batch = models.ForeignKey(CollectionBatch, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(max_length=20)
    from_status = models.CharField(max_length=10)
    to_status = models.CharField(max_length=10)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    comment = models.TextField(blank=True)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self):
        return f"{self.batch} {self.action}"


class RegistryRecord(RegionalModel):
    """What every registry record shares: its batch, who entered it, and when."""

    batch = models.ForeignKey(
        CollectionBatch, on_delete=models.PROTECT, related_name="+", verbose_name=_("batch")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True


class Person(RegistryRecord):
    """A business actor (pelaku usaha). The NIK is kept as given, with its check's verdict:
    invalid NIKs are flagged, never corrected."""

    nik = models.CharField(_("NIK"), max_length=32, blank=True, db_index=True)
    nik_valid = models.BooleanField(_("NIK valid"), default=False)
    nik_problems = models.JSONField(_("NIK problems"), default=list, blank=True)
    name = models.CharField(_("name"), max_length=200)
    birth_date = models.DateField(_("birth date"), null=True, blank=True)
    sex = models.CharField(_("sex"), max_length=1, choices=Sex, blank=True)
    phone = models.CharField(_("phone"), max_length=32, blank=True)
    address = models.CharField(_("address"), max_length=300, blank=True)
    # The name as record linkage compares it (`core.text.name_key`), kept for its indexes.
    name_key = models.CharField(max_length=200, blank=True, editable=False)

    class Meta:
        ordering = ["name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["regency_code", "nik"],
                condition=~models.Q(nik=""),
                name="person_one_per_nik_in_regency",
            )
        ]
        indexes = [
            models.Index(fields=["regency_code", "name", "id"]),
            models.Index(fields=["province_code", "name", "id"]),
            models.Index(fields=["name", "id"]),
            # Blocking keys of the online duplicate check.
            models.Index(fields=["phone"]),
            models.Index(fields=["name_key", "birth_date"]),
            models.Index(fields=["name_key", "district_code"]),
            models.Index(fields=["district_code", "birth_date"]),
        ]
        verbose_name = _("business actor")
        verbose_name_plural = _("business actors")

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.name_key = name_key(self.name)
        if kwargs.get("update_fields") is not None and "name" in kwargs["update_fields"]:
            kwargs["update_fields"] = {*kwargs["update_fields"], "name_key"}
        super().save(*args, **kwargs)


class Business(RegistryRecord):
    """A micro, small or medium enterprise (UMKM) and its owner."""

    owner = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="businesses", verbose_name=_("owner")
    )
    name = models.CharField(_("business name"), max_length=200)
    nib = models.CharField(_("NIB"), max_length=32, blank=True)
    kbli_section = models.CharField(
        _("sector (KBLI)"), max_length=1, choices=KbliSection, blank=True
    )
    sector_note = models.CharField(_("sector details"), max_length=200, blank=True)
    capital = models.BigIntegerField(_("business capital (Rp)"), null=True, blank=True)
    annual_sales = models.BigIntegerField(_("annual sales (Rp)"), null=True, blank=True)
    scale = models.CharField(_("scale"), max_length=6, choices=Scale, blank=True, db_index=True)
    employees = models.PositiveIntegerField(_("employees"), null=True, blank=True)
    address = models.CharField(_("address"), max_length=300, blank=True)
    latitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    whatsapp = models.CharField(_("WhatsApp"), max_length=32, blank=True)
    marketplace_links = models.JSONField(_("marketplace links"), default=list, blank=True)
    # The organisation whose sellers act for this business (its own account), if any.
    organisation = models.ForeignKey(
        "accounts.Organisation",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="businesses",
        verbose_name=_("seller account"),
    )
    # A fingerprint of the imported row; the same row imported again is recognised by it.
    source_key = models.CharField(max_length=64, blank=True)

    class Meta:
        ordering = ["name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["regency_code", "source_key"],
                condition=~models.Q(source_key=""),
                name="business_row_imported_once",
            )
        ]
        # Lists sort by (name, pk) within a region: these let a page be read in index order.
        indexes = [
            models.Index(fields=["kbli_section"]),
            models.Index(fields=["regency_code", "name", "id"]),
            models.Index(fields=["province_code", "name", "id"]),
            models.Index(fields=["name", "id"]),
            models.Index(fields=["nib"]),
        ]
        verbose_name = _("business")
        verbose_name_plural = _("businesses")

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.scale = scale_of(capital=self.capital, annual_sales=self.annual_sales)
        super().save(*args, **kwargs)


class Cooperative(RegistryRecord):
    class Kind(models.TextChoices):
        SAVINGS_LOANS = "simpan_pinjam", _("Savings and loans")
        CONSUMER = "konsumen", _("Consumer")
        PRODUCER = "produsen", _("Producer")
        MARKETING = "pemasaran", _("Marketing")
        SERVICES = "jasa", _("Services")

    name = models.CharField(_("name"), max_length=200)
    legal_entity_number = models.CharField(_("legal entity number"), max_length=60, blank=True)
    kind = models.CharField(_("type"), max_length=15, choices=Kind)
    members = models.PositiveIntegerField(_("members"), null=True, blank=True)
    chair = models.ForeignKey(
        Person,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("chair"),
    )
    address = models.CharField(_("address"), max_length=300, blank=True)

    class Meta:
        ordering = ["name", "pk"]
        verbose_name = _("cooperative")
        verbose_name_plural = _("cooperatives")

    def __str__(self):
        return self.name


class ImpactStatus(models.TextChoices):
    OPERATING = "operating", _("Operating")
    REDUCED = "reduced", _("Reduced")
    TEMPORARILY_CLOSED = "temporarily_closed", _("Temporarily closed")
    CLOSED = "closed", _("Closed")
    PIVOTED = "pivoted", _("Pivoted")


class Problem(models.TextChoices):
    DEMAND_DROP = "demand_drop", _("Demand drop")
    RAW_MATERIALS = "raw_materials", _("Raw materials")
    CAPITAL = "capital", _("Capital")
    DISTRIBUTION = "distribution", _("Distribution")
    RESTRICTIONS = "restrictions", _("Restrictions (PSBB)")


class Need(models.TextChoices):
    CAPITAL = "capital", _("Capital")
    RAW_MATERIALS = "raw_materials", _("Raw materials")
    MARKETING = "marketing", _("Marketing")
    TRAINING = "training", _("Training")
    AID = "aid", _("Aid")


class ImpactReport(models.Model):
    """How Covid-19 hit one business, as reported on a date."""

    business = models.ForeignKey(Business, on_delete=models.CASCADE, related_name="impacts")
    report_date = models.DateField(_("report date"))
    sales_before = models.BigIntegerField(_("monthly sales before (Rp)"), null=True, blank=True)
    sales_after = models.BigIntegerField(_("monthly sales after (Rp)"), null=True, blank=True)
    employees_before = models.PositiveIntegerField(_("employees before"), null=True, blank=True)
    employees_after = models.PositiveIntegerField(_("employees after"), null=True, blank=True)
    laid_off = models.PositiveIntegerField(_("laid off"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=ImpactStatus, db_index=True)
    problems = models.JSONField(_("problems"), default=list, blank=True)
    needs = models.JSONField(_("needs"), default=list, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-report_date", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["business", "report_date"], name="impact_one_per_business_and_date"
            )
        ]
        verbose_name = _("Covid impact report")
        verbose_name_plural = _("Covid impact reports")

    def __str__(self):
        return f"{self.business} {self.report_date}"

    @classmethod
    def scope_q(cls, user):
        return region_filter(user, prefix="business__")


class EntryDraft(models.Model):
    """A half-filled entry form kept for its author (a field assistant loses signal, or
    has to come back for the missing figures). Nothing in it is validated or visible to
    anyone else; it disappears when the entry is saved."""

    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="entry_drafts"
    )
    data = models.JSONField(default=dict)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-updated_at"]
        verbose_name = _("entry draft")
        verbose_name_plural = _("entry drafts")

    def __str__(self):
        return self.data.get("name") or self.data.get("business_name") or str(self.pk)
