import hashlib

from django.contrib.auth.models import AbstractUser, UserManager
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from pulih.core.scope import NOTHING, Level, ScopedQuerySet, region_filter


class Role(models.TextChoices):
    PUSAT = "pusat", _("Central ministry officer")
    PROVINSI = "provinsi", _("Province officer")
    KABKOTA = "kabkota", _("Regency/city officer")
    PENDAMPING = "pendamping", _("Field assistant")
    KURATOR = "kurator", _("Curator")
    PEMBELI = "pembeli", _("Institutional buyer")
    PENJUAL = "penjual", _("Seller")
    PIC = "pic", _("Drop-off PIC")
    ASN = "asn", _("Civil servant buyer")


# Where each role's scope comes from: a region level, its organisation, or only itself.
ROLE_LEVEL = {
    Role.PUSAT: Level.NATION,
    Role.PROVINSI: Level.PROVINCE,
    Role.KABKOTA: Level.REGENCY,
    Role.PENDAMPING: Level.DISTRICTS,
    Role.KURATOR: Level.ORGANISATION,
    Role.PEMBELI: Level.ORGANISATION,
    Role.PENJUAL: Level.ORGANISATION,
    Role.PIC: Level.ORGANISATION,
    Role.ASN: Level.SELF,
}

SCOPE_CODE_MISSING = _("This role needs its working area.")

# Roles that work with people's full NIK and phone numbers.
ROLES_SEEING_PERSONAL_DATA = {Role.PUSAT, Role.PROVINSI, Role.KABKOTA, Role.PENDAMPING}


class Organisation(models.Model):
    """A body users act for: a ministry, a regional office (dinas), a curator, a buyer,
    a cooperative or business, or a drop-off point."""

    class Kind(models.TextChoices):
        MINISTRY = "ministry", _("Ministry")
        DINAS = "dinas", _("Regional office (dinas)")
        CURATOR = "curator", _("Curator")
        BUYER = "buyer", _("Institutional buyer")
        COOPERATIVE = "cooperative", _("Cooperative")
        BUSINESS = "business", _("Business (UMKM)")
        DROP_OFF = "drop_off", _("Drop-off point")
        STATE_ENTERPRISE = "bumn", _("State-owned company (BUMN)")

    name = models.CharField(_("name"), max_length=200, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind)
    region_code = models.CharField(_("region code"), max_length=13, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")

    def __str__(self):
        return self.name


class UserQuerySet(ScopedQuerySet):
    pass


class PulihUserManager(UserManager.from_queryset(UserQuerySet)):
    pass


class User(AbstractUser):
    """A person who signs in. Their role decides what they do; their scope what they see:
    the nation, a province, a regency, a set of districts (field assistants), their own
    organisation, or only themselves."""

    role = models.CharField(_("role"), max_length=20, choices=Role, default=Role.ASN)
    province_code = models.CharField(_("province"), max_length=2, blank=True, db_index=True)
    regency_code = models.CharField(_("regency/city"), max_length=5, blank=True, db_index=True)
    districts = models.ManyToManyField(
        "wilayah.District", blank=True, related_name="assistants", verbose_name=_("districts")
    )
    organisation = models.ForeignKey(
        Organisation,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="members",
        verbose_name=_("organisation"),
    )
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    nip = models.CharField(_("NIP"), max_length=18, blank=True)
    language = models.CharField(_("language"), max_length=5, blank=True)

    objects = PulihUserManager()

    class Meta(AbstractUser.Meta):
        swappable = "AUTH_USER_MODEL"
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self):
        return self.get_full_name() or self.username

    @property
    def scope_level(self):
        if self.is_superuser:
            return Level.NATION
        return ROLE_LEVEL.get(self.role, Level.SELF)

    def district_codes(self):
        if not hasattr(self, "_district_codes"):
            self._district_codes = list(self.districts.values_list("code", flat=True))
        return self._district_codes

    @property
    def sees_personal_data(self):
        return self.is_superuser or self.role in ROLES_SEEING_PERSONAL_DATA

    def clean(self):
        super().clean()
        level = ROLE_LEVEL.get(self.role)
        if level == Level.PROVINCE and not self.province_code:
            raise ValidationError({"province_code": SCOPE_CODE_MISSING})
        if level == Level.REGENCY and not self.regency_code:
            raise ValidationError({"regency_code": SCOPE_CODE_MISSING})
        if level == Level.ORGANISATION and not self.organisation_id:
            raise ValidationError({"organisation": SCOPE_CODE_MISSING})

    @classmethod
    def scope_q(cls, viewer):
        """Officers see the users of their region, organisation members their
        organisation's users; everyone else sees only themselves."""
        if not viewer.is_authenticated or not viewer.is_active:
            return NOTHING
        if viewer.scope_level in {Level.NATION, Level.PROVINCE, Level.REGENCY}:
            return region_filter(viewer)
        if viewer.scope_level == Level.ORGANISATION and viewer.organisation_id:
            return models.Q(organisation_id=viewer.organisation_id)
        return models.Q(pk=viewer.pk)


class ApiToken(models.Model):
    """A bearer token for the API. Only its SHA-256 is stored; the token is shown once."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    key_hash = models.CharField(max_length=64, unique=True)
    prefix = models.CharField(max_length=8)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self):
        return f"{self.prefix}… ({self.user})"

    @staticmethod
    def hash(key):
        return hashlib.sha256(key.encode()).hexdigest()
