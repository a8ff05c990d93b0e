"""Aid programmes: who may receive what, checked against external lists, and paid once.

- An *external list* (daftar eksternal) is another agency's list of people by NIK:
  Kemensos recipients, civil servants (BKN), state-enterprise staff, KUR and bank
  debtors, deaths, NIKs verified by the civil registry (Dukcapil). The *irisan* is the
  overlap of a list with the registry.
- An *enrolment* is one person's candidacy in one cycle of a programme, from candidate to
  paid; the rules it failed are kept with it.
- A *payment* belongs to the beneficiary *entity* (record linkage's cluster), and the
  database allows one live payment per entity, programme and cycle.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from pulih.core.scope import RegionalModel, ScopedQuerySet, province_filter
from pulih.dedup.models import Entity
from pulih.registry.models import Business, Person


class ProgrammeQuerySet(models.QuerySet):
    def visible_to(self, user):
        """National programmes to every officer; a province's to its own officers and the
        centre. Roles without a regional scope see none."""
        return self.filter(province_filter(user, national=True))

    get_visible_or_404 = ScopedQuerySet.get_visible_or_404


class Programme(models.Model):
    class Kind(models.TextChoices):
        CASH = "cash", _("cash grant")
        IN_KIND = "in_kind", _("in-kind aid")
        TRAINING = "training", _("training")
        CREDIT = "credit", _("credit")

    class Target(models.TextChoices):
        PEOPLE = "people", _("business actors")
        BUSINESSES = "businesses", _("businesses")

    name = models.CharField(_("name"), max_length=200)
    agency = models.CharField(_("agency"), max_length=200)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind)
    amount = models.BigIntegerField(_("amount per beneficiary (Rp)"), default=0)
    target = models.CharField(_("target"), max_length=10, choices=Target, default=Target.PEOPLE)
    # Codes of `programs.rules.RULES` a candidate must pass, in the order shown.
    rules = models.JSONField(_("eligibility rules"), default=list, blank=True)
    province_code = models.CharField(_("province"), max_length=2, blank=True, db_index=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ProgrammeQuerySet.as_manager()

    class Meta:
        ordering = ["name", "pk"]
        verbose_name = _("programme")
        verbose_name_plural = _("programmes")

    def __str__(self):
        return self.name


class Cycle(models.Model):
    """One round of a programme (BPUM paid in several tahap)."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="cycles")
    number = models.PositiveSmallIntegerField(_("cycle"))
    opens = models.DateField(_("opens"), null=True, blank=True)
    closes = models.DateField(_("closes"), null=True, blank=True)

    class Meta:
        ordering = ["programme", "number"]
        constraints = [models.UniqueConstraint(fields=["programme", "number"], name="cycle_once")]

    def __str__(self):
        return f"{self.programme} #{self.number}"


class ExternalList(models.Model):
    """Another agency's list of people, imported from CSV/XLSX. Re-importing the same file
    is recognised by its fingerprint and adds nothing."""

    class Kind(models.TextChoices):
        SOCIAL_AID = "social_aid", _("Kemensos aid recipients")
        CIVIL_SERVANTS = "civil_servants", _("civil servants, TNI and Polri (BKN)")
        STATE_ENTERPRISE = "state_enterprise", _("BUMN and BUMD employees")
        KUR = "kur", _("KUR borrowers")
        BANK_CREDIT = "bank_credit", _("bank borrowers")
        DECEASED = "deceased", _("deaths")
        CIVIL_REGISTRY = "civil_registry", _("NIKs verified by the civil registry")

    kind = models.CharField(_("kind"), max_length=20, choices=Kind, db_index=True)
    name = models.CharField(_("name"), max_length=200)
    source = models.CharField(_("source"), max_length=200, blank=True)
    province_code = models.CharField(_("province"), max_length=2, blank=True, db_index=True)
    fingerprint = models.CharField(max_length=64)
    rows = models.PositiveIntegerField(default=0)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    imported_at = models.DateTimeField(auto_now_add=True)

    objects = ProgrammeQuerySet.as_manager()

    class Meta:
        ordering = ["-imported_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "province_code", "fingerprint"], name="list_file_once"
            )
        ]
        verbose_name = _("external list")
        verbose_name_plural = _("external lists")

    def __str__(self):
        return self.name


class ListEntry(models.Model):
    """One person on an external list, and the registry person it was matched to."""

    class Match(models.TextChoices):
        NIK = "nik", _("same NIK")
        LINKAGE = "linkage", _("record linkage")
        NONE = "none", _("not in the registry")

    list = models.ForeignKey(ExternalList, on_delete=models.CASCADE, related_name="entries")
    row = models.PositiveIntegerField()
    nik = models.CharField(max_length=32, blank=True, db_index=True)
    nik_valid = models.BooleanField(default=False)
    name = models.CharField(max_length=200, blank=True)
    birth_date = models.DateField(null=True, blank=True)
    person = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    match = models.CharField(max_length=10, choices=Match, default=Match.NONE)
    probability = models.FloatField(null=True, blank=True)
    # The province marks the overlap with a social-aid list as already served.
    served_marked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    served_marked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["list", "row"]
        indexes = [models.Index(fields=["list", "person"])]

    def __str__(self):
        return f"{self.list_id}:{self.row} {self.nik}"


class Enrolment(RegionalModel):
    """One person's candidacy in one cycle: candidate → eligible or ineligible (with the
    rules failed) → verified → approved (a payment is made) → paid or failed."""

    class Status(models.TextChoices):
        CANDIDATE = "candidate", _("candidate")
        ELIGIBLE = "eligible", _("eligible")
        INELIGIBLE = "ineligible", _("ineligible")
        VERIFIED = "verified", _("verified")
        APPROVED = "approved", _("approved")
        PAID = "paid", _("paid")
        FAILED = "failed", _("payment failed")

    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="enrolments")
    cycle = models.ForeignKey(Cycle, on_delete=models.PROTECT, related_name="enrolments")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    business = models.ForeignKey(
        Business, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    entity = models.ForeignKey(Entity, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(max_length=10, choices=Status, default=Status.CANDIDATE)
    failed_rules = models.JSONField(default=list, blank=True)
    evaluated_at = models.DateTimeField(null=True, blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    verified_at = models.DateTimeField(null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["cycle", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["cycle", "person"], name="enrolment_once_per_cycle")
        ]
        indexes = [models.Index(fields=["cycle", "status"])]
        verbose_name = _("enrolment")
        verbose_name_plural = _("enrolments")

    def __str__(self):
        return f"{self.cycle} {self.person_id} {self.status}"


class PaymentBatch(models.Model):
    """Approved payments sent to the bank in one file; the bank's result file closes it."""

    class Status(models.TextChoices):
        OPEN = "open", _("sent to the bank")
        SETTLED = "settled", _("result received")

    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="+")
    cycle = models.ForeignKey(Cycle, on_delete=models.PROTECT, related_name="batches")
    status = models.CharField(max_length=10, choices=Status, default=Status.OPEN)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"{self.cycle} batch {self.pk}"


class Payment(models.Model):
    """Money for one beneficiary entity. The unique constraint is the guarantee: whatever
    approves concurrently, one entity has one live payment per programme cycle. A failed
    payment does not count (it may be retried); nor does one set aside as a duplicate
    when two paid entities turned out to be one person (see IntegrityAlert)."""

    class Status(models.TextChoices):
        PENDING = "pending", _("approved, not yet sent")
        SENT = "sent", _("sent to the bank")
        PAID = "paid", _("paid")
        FAILED = "failed", _("failed")

    enrolment = models.OneToOneField(Enrolment, on_delete=models.PROTECT, related_name="payment")
    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="+")
    cycle = models.ForeignKey(Cycle, on_delete=models.PROTECT, related_name="+")
    entity = models.ForeignKey(Entity, on_delete=models.PROTECT, related_name="payments")
    amount = models.BigIntegerField()
    status = models.CharField(max_length=10, choices=Status, default=Status.PENDING)
    batch = models.ForeignKey(
        PaymentBatch, null=True, blank=True, on_delete=models.PROTECT, related_name="payments"
    )
    reference = models.CharField(max_length=40, unique=True)
    duplicate = models.BooleanField(default=False)
    failure_reason = models.CharField(max_length=200, blank=True)
    paid_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "cycle", "entity"],
                condition=~models.Q(status="failed") & models.Q(duplicate=False),
                name="one_payment_per_entity_per_cycle",
            )
        ]

    def __str__(self):
        return self.reference


class IntegrityAlert(models.Model):
    """Something that should never happen and needs a human: two entities that were each
    paid in one cycle turned out to be one person."""

    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="+")
    cycle = models.ForeignKey(Cycle, on_delete=models.PROTECT, related_name="+")
    entity = models.ForeignKey(Entity, on_delete=models.PROTECT, related_name="+")
    payments = models.ManyToManyField(Payment, related_name="alerts")
    province_code = models.CharField(max_length=2, blank=True, db_index=True)
    created_at = models.DateTimeField(auto_now_add=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    resolved_at = models.DateTimeField(null=True, blank=True)
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"alert {self.pk}"


class Referral(RegionalModel):
    """A person not served, sent to another programme, and how far they got there."""

    class Target(models.TextChoices):
        PRAKERJA = "prakerja", _("Kartu Prakerja")
        INDUSTRY_3IN1 = "industry_3in1", _("3-in-1 training (Kemenperin)")

    class Status(models.TextChoices):
        REFERRED = "referred", _("referred")
        REGISTERED = "registered", _("registered")
        PASSED = "passed", _("passed")
        NOT_PASSED = "not_passed", _("not passed")
        TRAINING = "training", _("in training")
        CERTIFIED = "certified", _("certified")
        PLACED = "placed", _("placed in work")

    # The statuses each target goes through, in order; any may end the road.
    STEPS = {
        Target.PRAKERJA: (Status.REFERRED, Status.REGISTERED, Status.PASSED, Status.NOT_PASSED),
        Target.INDUSTRY_3IN1: (
            Status.REFERRED,
            Status.TRAINING,
            Status.CERTIFIED,
            Status.PLACED,
        ),
    }

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    target = models.CharField(_("programme"), max_length=15, choices=Target)
    status = models.CharField(max_length=12, choices=Status, default=Status.REFERRED)
    referred_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    referred_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-referred_at", "-pk"]
        constraints = [models.UniqueConstraint(fields=["person", "target"], name="referral_once")]

    def __str__(self):
        return f"{self.person_id} → {self.target}: {self.status}"
