"""Record linkage: runs over a scope, scored pairs with their review, and entities.

An entity is one real person behind several registry records (a cluster), with a golden
record: for each field the value chosen and the record it came from. Entities and pair
decisions outlive runs, so a later run keeps what reviewers decided.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from pulih.core.scope import RegionalModel, ScopedQuerySet, province_filter
from pulih.registry.models import Business, Person


class DedupRunQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The nation's runs to central users, a province's runs to its officers."""
        return self.filter(province_filter(user))

    get_visible_or_404 = ScopedQuerySet.get_visible_or_404


class DedupRun(models.Model):
    """One record-linkage run over a province (or, with no province, the nation)."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("queued")
        RUNNING = "running", _("running")
        DONE = "done", _("finished")
        FAILED = "failed", _("failed")

    province_code = models.CharField(_("province"), max_length=2, blank=True, db_index=True)
    status = models.CharField(max_length=10, choices=Status, default=Status.QUEUED)
    threshold = models.FloatField(_("match threshold"))
    review_floor = models.FloatField(_("review from"))
    model = models.JSONField(_("model parameters"), default=dict, blank=True)
    business_model = models.JSONField(default=dict, blank=True)
    # Set when the run reuses an earlier run's parameters instead of learning its own.
    repeats = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    trained = models.BooleanField(default=False)
    records = models.PositiveIntegerField(default=0)
    pairs = models.PositiveIntegerField(default=0)
    linked = models.PositiveIntegerField(default=0)
    to_review = models.PositiveIntegerField(default=0)
    entities = models.PositiveIntegerField(default=0)
    business_pairs = models.PositiveIntegerField(default=0)
    business_linked = models.PositiveIntegerField(default=0)
    business_to_review = models.PositiveIntegerField(default=0)
    seconds = models.FloatField(null=True, blank=True)
    progress = models.ForeignKey(
        "core.TaskProgress", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    objects = DedupRunQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("deduplication run")
        verbose_name_plural = _("deduplication runs")

    def __str__(self):
        return f"{self.province_code or 'nasional'} {self.created_at:%Y-%m-%d %H:%M}"


class Pair(RegionalModel):
    """Two records the model scored as possibly one. The region codes are those the two
    records share, so only a user whose scope holds both sees the pair."""

    class Status(models.TextChoices):
        LINKED = "linked", _("linked by the model")
        REVIEW = "review", _("to review")
        CONFIRMED = "confirmed", _("confirmed")
        REJECTED = "rejected", _("rejected")

    DECIDED = (Status.CONFIRMED, Status.REJECTED)

    probability = models.FloatField(_("match probability"))
    status = models.CharField(max_length=10, choices=Status, db_index=True)
    run = models.ForeignKey(DedupRun, on_delete=models.SET_NULL, null=True, related_name="+")
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        abstract = True
        ordering = ["-probability", "pk"]

    def __str__(self):
        return f"{self.left_id}~{self.right_id} {self.probability:.3f}"


class MatchPair(Pair):
    """Two records of business actors that may be one person."""

    left = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    right = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")

    class Meta(Pair.Meta):
        constraints = [
            models.UniqueConstraint(fields=["left", "right"], name="pair_once"),
            models.CheckConstraint(
                condition=models.Q(left__lt=models.F("right")), name="pair_ordered"
            ),
        ]
        verbose_name = _("candidate pair")
        verbose_name_plural = _("candidate pairs")


class BusinessPair(Pair):
    """Two records that may be one business (its owner recorded it twice, or two offices
    recorded it)."""

    left = models.ForeignKey(Business, on_delete=models.CASCADE, related_name="+")
    right = models.ForeignKey(Business, on_delete=models.CASCADE, related_name="+")

    class Meta(Pair.Meta):
        constraints = [
            models.UniqueConstraint(fields=["left", "right"], name="business_pair_once"),
            models.CheckConstraint(
                condition=models.Q(left__lt=models.F("right")), name="business_pair_ordered"
            ),
        ]
        verbose_name = _("candidate business pair")
        verbose_name_plural = _("candidate business pairs")


class Entity(RegionalModel):
    """One person behind one or more registry records. `golden` maps each field to
    {"value": …, "source": person id, "rule": why that value}; region codes are those all
    members share."""

    golden = models.JSONField(_("golden record"), default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("entity")
        verbose_name_plural = _("entities")

    def __str__(self):
        return self.golden.get("name", {}).get("value") or f"#{self.pk}"


class EntityMember(models.Model):
    entity = models.ForeignKey(Entity, on_delete=models.CASCADE, related_name="members")
    person = models.OneToOneField(Person, on_delete=models.CASCADE, related_name="entity_member")
    joined_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["person_id"]

    def __str__(self):
        return f"{self.entity_id}:{self.person_id}"


class EntityEvent(models.Model):
    """The history of an entity: how it was formed, merged, reviewed and unmerged."""

    class Kind(models.TextChoices):
        LINKED = "linked", _("linked by a run")
        CONFIRMED = "confirmed", _("pair confirmed")
        MERGED = "merged", _("entities merged")
        UNMERGED = "unmerged", _("record unmerged")

    entity = models.ForeignKey(Entity, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=10, choices=Kind)
    person = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    run = models.ForeignKey(
        DedupRun, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    note = models.TextField(blank=True)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self):
        return f"{self.entity_id} {self.kind}"
