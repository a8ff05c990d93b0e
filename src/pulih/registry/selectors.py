"""Reads of the registry, always through the viewer's scope (`.visible_to`).

The lists have to stay fast at a million businesses, so:
- they are ordered by name within an indexed region code, which the database reads in
  index order and stops after one page;
- the impact status filter is a subquery on the latest report, not a join that would
  repeat a business once per report;
- a search for a NIK or NIB looks that number up in its index instead of scanning names;
- `list_page` counts matching rows only up to COUNT_CAP: an exact COUNT(*) of a large
  filtered table costs more than the page itself, and "more than 10.000" is all a
  person paging through a list needs to know.
"""

import math
from dataclasses import dataclass
from itertools import islice

from django.db.models import Count, IntegerField, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce

from pulih.core.scope import region_codes
from pulih.wilayah.models import Regency, Village

from .models import BatchEvent, Business, CollectionBatch, Cooperative, ImpactReport, Person

PER_PAGE = 50
COUNT_CAP = 10_000
# A query of this many digits or more is an ID (NIK 16, NIB 13), looked up exactly.
ID_QUERY_DIGITS = 10
REGION_FIELDS = ("province_code", "regency_code", "district_code", "village_code")


def _in_region(records, *, prefix="", province="", regency="", district="", village=""):
    """Narrow to a region inside the scope; the scope itself is applied by `visible_to`."""
    for field, code in zip(REGION_FIELDS, (province, regency, district, village), strict=True):
        if code:
            records = records.filter(**{prefix + field: code})
    return records


def region_filters(code):
    """The selector keyword arguments for one region code of any level ("19.01.01")."""
    codes = region_codes(code or "")
    return {field.removesuffix("_code"): codes[field] for field in REGION_FIELDS}


def _in_batch(records, *, prefix="", stage=None, batch_status=""):
    if stage is not None:
        records = records.filter(**{f"{prefix}batch__stage": stage})
    if batch_status:
        records = records.filter(**{f"{prefix}batch__status": batch_status})
    return records


def _is_id(query):
    return query.isdigit() and len(query) >= ID_QUERY_DIGITS


def latest_impact_status():
    """The status of a business's most recent impact report (a correlated subquery)."""
    latest = ImpactReport.objects.filter(business=OuterRef("pk")).order_by("-report_date", "-pk")
    return Subquery(latest.values("status")[:1])


def business_list(
    *,
    viewer,
    query="",
    province="",
    regency="",
    district="",
    village="",
    kbli_section="",
    scale="",
    impact_status="",
    stage=None,
    batch_status="",
):
    """Businesses with their owner, batch and latest impact status (`latest_impact_status`).

    The query matches business or owner name, or exactly a NIB, or a NIK for roles that
    may see NIKs: anyone else could otherwise test whether a NIK is registered.
    """
    businesses = (
        Business.objects.visible_to(viewer)
        .select_related("owner", "batch")
        .annotate(latest_impact_status=latest_impact_status())
        .order_by("name", "pk")
    )
    businesses = _in_region(
        businesses, province=province, regency=regency, district=district, village=village
    )
    businesses = _in_batch(businesses, stage=stage, batch_status=batch_status)
    query = query.strip()
    if _is_id(query):
        # A union of two index lookups: an OR across the join to the owner would make the
        # database walk the whole list in name order, testing every row.
        ids = Business.objects.filter(nib=query).order_by().values("pk")
        if viewer.sees_personal_data:
            ids = ids.union(Business.objects.filter(owner__nik=query).order_by().values("pk"))
        businesses = businesses.filter(pk__in=ids)
    elif query:
        businesses = businesses.filter(Q(name__icontains=query) | Q(owner__name__icontains=query))
    if kbli_section:
        businesses = businesses.filter(kbli_section=kbli_section)
    if scale:
        businesses = businesses.filter(scale=scale)
    if impact_status:
        businesses = businesses.filter(latest_impact_status=impact_status)
    return businesses


def business_get(*, viewer, pk):
    return (
        Business.objects.select_related("owner", "batch")
        .annotate(latest_impact_status=latest_impact_status())
        .get_visible_or_404(viewer, pk=pk)
    )


def person_list(
    *,
    viewer,
    query="",
    province="",
    regency="",
    district="",
    village="",
    nik_valid=None,
    stage=None,
    batch_status="",
):
    """Business actors; the query matches a name, or exactly a NIK for roles that may see it."""
    people = Person.objects.visible_to(viewer).select_related("batch").order_by("name", "pk")
    people = _in_region(
        people, province=province, regency=regency, district=district, village=village
    )
    people = _in_batch(people, stage=stage, batch_status=batch_status)
    query = query.strip()
    if _is_id(query):
        people = people.filter(nik=query) if viewer.sees_personal_data else people.none()
    elif query:
        people = people.filter(name__icontains=query)
    if nik_valid is not None:
        people = people.filter(nik_valid=nik_valid)
    return people


def person_get(*, viewer, pk):
    return Person.objects.select_related("batch").get_visible_or_404(viewer, pk=pk)


def person_businesses(*, viewer, person):
    return Business.objects.visible_to(viewer).filter(owner=person).order_by("name", "pk")


def cooperative_list(
    *,
    viewer,
    query="",
    province="",
    regency="",
    district="",
    village="",
    kind="",
    stage=None,
    batch_status="",
):
    """Cooperatives; the query matches the name or exactly the legal entity number."""
    cooperatives = (
        Cooperative.objects.visible_to(viewer)
        .select_related("chair", "batch")
        .order_by("name", "pk")
    )
    cooperatives = _in_region(
        cooperatives, province=province, regency=regency, district=district, village=village
    )
    cooperatives = _in_batch(cooperatives, stage=stage, batch_status=batch_status)
    query = query.strip()
    if query:
        cooperatives = cooperatives.filter(Q(name__icontains=query) | Q(legal_entity_number=query))
    if kind:
        cooperatives = cooperatives.filter(kind=kind)
    return cooperatives


def cooperative_get(*, viewer, pk):
    return Cooperative.objects.select_related("chair", "batch").get_visible_or_404(viewer, pk=pk)


def impact_report_list(
    *,
    viewer,
    query="",
    province="",
    regency="",
    district="",
    village="",
    status="",
    business=None,
    stage=None,
    batch_status="",
):
    """Impact reports, newest first; the query matches the business name."""
    reports = (
        ImpactReport.objects.visible_to(viewer)
        .select_related("business", "business__batch")
        .order_by("-report_date", "-pk")
    )
    reports = _in_region(
        reports,
        prefix="business__",
        province=province,
        regency=regency,
        district=district,
        village=village,
    )
    reports = _in_batch(reports, prefix="business__", stage=stage, batch_status=batch_status)
    if query.strip():
        reports = reports.filter(business__name__icontains=query.strip())
    if status:
        reports = reports.filter(status=status)
    if business is not None:
        reports = reports.filter(business_id=business)
    return reports


def impact_report_get(*, viewer, pk):
    return ImpactReport.objects.select_related("business", "business__batch").get_visible_or_404(
        viewer, pk=pk
    )


def _count_in_batch(model):
    """How many records of `model` a batch holds (a correlated count, 0 when none)."""
    counts = (
        model.objects.filter(batch=OuterRef("pk"))
        .order_by()
        .values("batch")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(counts, output_field=IntegerField()), 0)


def _batches():
    regency_name = Regency.objects.filter(code=OuterRef("regency_code")).values("name")[:1]
    return CollectionBatch.objects.annotate(
        regency_name=Subquery(regency_name),
        people=_count_in_batch(Person),
        businesses=_count_in_batch(Business),
        cooperatives=_count_in_batch(Cooperative),
    ).order_by("regency_code", "stage")


def batch_list(*, viewer, regency="", status="", stage=None):
    """The batches of the viewer's scope with how many people, businesses and cooperatives
    each holds."""
    batches = _batches().visible_to(viewer)
    if regency:
        batches = batches.filter(regency_code=regency)
    if status:
        batches = batches.filter(status=status)
    if stage is not None:
        batches = batches.filter(stage=stage)
    return batches


def batch_get(*, viewer, pk):
    return _batches().get_visible_or_404(viewer, pk=pk)


def batch_events(*, batch):
    return BatchEvent.objects.filter(batch=batch).select_related("actor")


@dataclass(frozen=True)
class ListPage:
    """One page of a list whose total is counted only up to COUNT_CAP (see `list_page`)."""

    object_list: list
    number: int
    per_page: int
    count: int
    count_capped: bool
    has_next: bool

    def __iter__(self):
        return iter(self.object_list)

    def __len__(self):
        return len(self.object_list)

    @property
    def has_previous(self):
        return self.number > 1

    @property
    def has_other_pages(self):
        return self.has_previous or self.has_next

    @property
    def previous_page_number(self):
        return self.number - 1

    @property
    def next_page_number(self):
        return self.number + 1

    @property
    def num_pages(self):
        """The number of pages, or of the pages known when the count is capped."""
        return max(math.ceil(self.count / self.per_page), 1)


def list_page(records, number, *, per_page=PER_PAGE):
    """Page `number` (1-based; anything unreadable is 1) of an ordered queryset.

    Past the last page of an exact count, the last page. Whether a next page exists is
    read from one extra row, not from the count, so paging works beyond the cap.
    """
    try:
        number = max(int(number), 1)
    except (TypeError, ValueError):
        number = 1
    count = records.order_by().values("pk")[: COUNT_CAP + 1].count()
    capped = count > COUNT_CAP
    if not capped:
        number = min(number, max(math.ceil(count / per_page), 1))
    offset = (number - 1) * per_page
    rows = list(records[offset : offset + per_page + 1])
    return ListPage(
        object_list=rows[:per_page],
        number=number,
        per_page=per_page,
        count=min(count, COUNT_CAP),
        count_capped=capped,
        has_next=len(rows) > per_page,
    )


def village_names_set(records):
    """Set `village_name` on each record, with one query for all of them."""
    codes = {record.village_code for record in records}
    names = dict(Village.objects.filter(code__in=codes).values_list("code", "name"))
    for record in records:
        record.village_name = names.get(record.village_code, "")
    return records


def with_village_names(records, *, chunk_size=2000):
    """Yield `records` with `village_name` set, a chunk at a time (for exports)."""
    records = iter(records)
    while chunk := list(islice(records, chunk_size)):
        yield from village_names_set(chunk)
