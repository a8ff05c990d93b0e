"""Where an import may go: the regency, and for a field assistant their districts."""

from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils.translation import gettext_lazy

from pulih.core.scope import Level
from pulih.wilayah.models import Regency

from .validation import Place

REGENCY_REQUIRED = gettext_lazy("Choose the regency/city to import into.")


def import_regencies(*, user):
    """The regencies this user may import into, for the page's choice."""
    level = user.scope_level
    if level == Level.NATION:
        return Regency.objects.all()
    if level == Level.PROVINCE:
        return Regency.objects.filter(province_id=user.province_code)
    if level in {Level.REGENCY, Level.DISTRICTS}:
        return Regency.objects.filter(code=_own_regency(user))
    return Regency.objects.none()


def import_place(*, user, regency_code=None):
    """Where this user's import goes. A regency officer imports into their regency, a
    field assistant into theirs but only for villages of their districts, province and
    centre choose a regency. Anything outside the scope does not exist (404)."""
    level = user.scope_level
    if level not in {Level.NATION, Level.PROVINCE, Level.REGENCY, Level.DISTRICTS}:
        raise Http404
    if level in {Level.REGENCY, Level.DISTRICTS}:
        own = _own_regency(user)
        if regency_code and regency_code != own:
            raise Http404
        regency_code = own
    if not regency_code:
        raise ValidationError(REGENCY_REQUIRED)
    regency = import_regencies(user=user).filter(code=regency_code).first()
    if regency is None:
        raise Http404
    districts = frozenset(user.district_codes()) if level == Level.DISTRICTS else None
    return Place(regency.code, regency.name, districts)


def _own_regency(user):
    if user.regency_code:
        return user.regency_code
    codes = user.district_codes() if user.scope_level == Level.DISTRICTS else []
    return codes[0][:5] if codes else ""
