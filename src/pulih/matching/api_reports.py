"""The production reports over JSON, scoped as their pages: the funnel for central,
province and regency officers (each their region's), demand coverage for central
officers (every demand) and institutional buyers (their own). To any other role these
endpoints do not exist (404)."""

import datetime

from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from ninja import Router, Schema

from pulih.production.models import ProductType

from . import reports

router = Router(tags=["production reports"])

UNKNOWN_PRODUCT = _("Unknown product type.")


class FunnelStage(Schema):
    """Declarations that reached the stage, and their capacity per month."""

    stage: str
    count: int
    capacity: int


class FunnelRow(Schema):
    """A product type (its code) or a province (its code), or the total (code "")."""

    code: str
    name: str
    stages: list[FunnelStage]
    units_ordered: int
    units_accepted: int


class FunnelOut(Schema):
    today: datetime.date
    by_product: list[FunnelRow]
    by_province: list[FunnelRow]
    total: FunnelRow


class CoverageRow(Schema):
    """One demand. `capacity` and `shortfall` are those of the latest allocation run
    (`run_id`) on the day it ran, or without a run counted on `capacity_on`."""

    id: int
    title: str
    buyer: str
    product: str
    deadline: datetime.date
    status: str
    quantity: int
    ordered: int
    accepted: int
    rejected: int
    missing: int
    capacity: int
    shortfall: int
    capacity_on: datetime.date
    run_id: int | None


def _allow(request, roles):
    user = request.user
    if not (user.is_superuser or user.role in roles):
        raise Http404


@router.get("/reports/funnel", response=FunnelOut)
def report_funnel(request, product_type: str | None = None, province: str | None = None):
    """Declared → curated → licensed → allocated → delivered of the declarations in the
    caller's area, per product type, per province and in total; `product_type` (a code)
    and `province` (a code) narrow it."""
    _allow(request, reports.FUNNEL_READERS)
    product = None
    if product_type:
        product = ProductType.objects.filter(code=product_type).first()
        if product is None:
            raise ValidationError({"product_type": UNKNOWN_PRODUCT})
    return reports.production_funnel(
        user=request.user, product_type=product, province_code=province or ""
    )


@router.get("/reports/coverage", response=list[CoverageRow])
def report_coverage(request):
    """Each demand the caller sees: asked, ordered, accepted, rejected, missing, and the
    capacity that exists for it with the shortfall."""
    _allow(request, reports.COVERAGE_READERS)
    return reports.demand_coverage(user=request.user)
