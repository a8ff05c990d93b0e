"""Regional scope: the one mechanism that decides which records a user may see.

Every regional record carries the codes of its province, regency, district and
village (`RegionalModel`). A user's scope is a level and the codes of that level
(see `accounts.models.User`). `.visible_to(user)` is the only way selectors and API
lists read scoped data; an object outside the scope is simply not found (404).
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.http import Http404


class Level(models.TextChoices):
    NATION = "nation", "Nasional"
    PROVINCE = "province", "Provinsi"
    REGENCY = "regency", "Kabupaten/Kota"
    DISTRICTS = "districts", "Kecamatan"
    ORGANISATION = "organisation", "Organisasi"
    SELF = "self", "Diri sendiri"


NOTHING = models.Q(pk__in=[])


def region_filter(user, *, prefix="", organisation_field=None):
    """The Q object that limits region-coded rows to the user's scope.

    `prefix` points at the code fields of a related record ("business__");
    `organisation_field` names the field that ties a row to an organisation, for the
    roles whose scope is their organisation. A scope missing its code sees nothing.
    """
    if not user.is_authenticated or not user.is_active:
        return NOTHING
    level = user.scope_level
    if level == Level.NATION:
        return models.Q()
    if level == Level.PROVINCE and user.province_code:
        return models.Q(**{f"{prefix}province_code": user.province_code})
    if level == Level.REGENCY and user.regency_code:
        return models.Q(**{f"{prefix}regency_code": user.regency_code})
    if level == Level.DISTRICTS:
        return models.Q(**{f"{prefix}district_code__in": user.district_codes()})
    if level == Level.ORGANISATION and organisation_field and user.organisation_id:
        return models.Q(**{organisation_field: user.organisation_id})
    return NOTHING


def province_filter(user, *, national=False):
    """The Q object for records held per province ("" for national ones): a run, a
    programme, a list. Central users see all; province officers their province's; with
    `national`, officers of a province, regency or districts also see the national ones
    and their province's."""
    if not user.is_authenticated or not user.is_active:
        return NOTHING
    level = user.scope_level
    if level == Level.NATION:
        return models.Q()
    regional = (Level.PROVINCE, Level.REGENCY, Level.DISTRICTS) if national else (Level.PROVINCE,)
    if level in regional and user.province_code:
        own = models.Q(province_code=user.province_code)
        return own | models.Q(province_code="") if national else own
    return NOTHING


def province_for_write(user, province_code, refused):
    """The province a record made by `user` belongs to: a province officer's own (naming
    another is refused with the message `refused`), any or none ("" for national) for
    central users. Other roles may not make such records."""
    if user.scope_level == Level.PROVINCE:
        if province_code and province_code != user.province_code:
            raise ValidationError({"province_code": refused})
        return user.province_code
    if user.scope_level != Level.NATION:
        raise PermissionDenied
    return province_code


def code_in_scope(user, code):
    """Whether a region code (a village, usually) lies inside the user's regional scope."""
    if not user.is_authenticated or not user.is_active or not code:
        return False
    codes = region_codes(code)
    level = user.scope_level
    if level == Level.NATION:
        return True
    if level == Level.PROVINCE:
        return bool(user.province_code) and codes["province_code"] == user.province_code
    if level == Level.REGENCY:
        return bool(user.regency_code) and codes["regency_code"] == user.regency_code
    if level == Level.DISTRICTS:
        return codes["district_code"] in user.district_codes()
    return False


class ScopedQuerySet(models.QuerySet):
    def visible_to(self, user):
        return self.filter(self.model.scope_q(user))

    def get_visible_or_404(self, user, **lookup):
        try:
            return self.visible_to(user).get(**lookup)
        except (self.model.DoesNotExist, ValueError, TypeError) as exc:
            raise Http404 from exc


class RegionalModel(models.Model):
    """A record that belongs to a place: province → regency → district → village."""

    province_code = models.CharField(max_length=2, blank=True, db_index=True)
    regency_code = models.CharField(max_length=5, blank=True, db_index=True)
    district_code = models.CharField(max_length=8, blank=True, db_index=True)
    village_code = models.CharField(max_length=13, blank=True, db_index=True)

    # The field naming the organisation that owns the row, if any (e.g. "seller").
    scope_organisation_field = None

    objects = ScopedQuerySet.as_manager()

    class Meta:
        abstract = True

    @classmethod
    def scope_q(cls, user):
        return region_filter(user, organisation_field=cls.scope_organisation_field)

    def set_region(self, code):
        """Fill every level from the most precise code known ("19.01.01.2001")."""
        for field, value in region_codes(code).items():
            setattr(self, field, value)


def region_codes(code):
    """Every level's code from the most precise one: "19.01.01" → province "19", …"""
    parts = code.split(".") if code else []
    return {
        "province_code": parts[0] if parts else "",
        "regency_code": ".".join(parts[:2]) if len(parts) >= 2 else "",
        "district_code": ".".join(parts[:3]) if len(parts) >= 3 else "",
        "village_code": code if len(parts) >= 4 else "",
    }
