"""Registry lists, record pages and exports for officers and field assistants.

Anyone else gets 404: the registry holds people's NIKs, and only officers work with it.
Reads go through `selectors` (scoped), exports through `core.exports` (formula-safe), and
NIK and phone numbers are masked for roles that may not see them.
"""

from operator import attrgetter

from django import forms
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from pulih.accounts.decorators import role_required
from pulih.accounts.models import Role
from pulih.core.audit import access_log_record
from pulih.core.exports import FORMATS, export_rows
from pulih.core.ids import mask_nik, mask_phone
from pulih.core.scope import Level, region_codes
from pulih.wilayah.data import nik_check
from pulih.wilayah.forms import RegionFieldsMixin

from . import selectors
from .models import (
    Business,
    CollectionBatch,
    Cooperative,
    ImpactStatus,
    KbliSection,
    Need,
    Person,
    Problem,
    Scale,
    Sex,
)

OFFICERS = (Role.PUSAT, Role.PROVINSI, Role.KABKOTA, Role.PENDAMPING)
ANY = ("", _("Any"))


def _fixed_regions(viewer):
    """The region selects a viewer's scope already decides: {"province": "19", ...}."""
    codes = {
        Level.PROVINCE: [viewer.province_code],
        Level.REGENCY: [viewer.regency_code],
        Level.DISTRICTS: viewer.district_codes(),
    }.get(viewer.scope_level, [])
    fixed = {}
    for name in ("province", "regency"):
        values = {region_codes(code)[f"{name}_code"] for code in codes}
        if len(values) == 1 and "" not in values:
            fixed[name] = values.pop()
    return fixed


class ListFilterForm(RegionFieldsMixin, forms.Form):
    """Search, stage and region filters shared by the lists. The region selects offer only
    regions inside the viewer's scope; the levels the scope decides are preset."""

    region_required = None
    q = forms.CharField(label=_("Search"), required=False)
    stage = forms.IntegerField(label=_("Stage"), min_value=1, required=False)
    batch_status = forms.ChoiceField(
        label=_("Batch status"), required=False, choices=[ANY, *CollectionBatch.Status.choices]
    )
    extra_filters = ()

    def __init__(self, data, *, viewer):
        data = data.copy()
        fixed = _fixed_regions(viewer)
        for name, code in fixed.items():
            data[name] = code
        super().__init__(data)
        for name, code in fixed.items():
            self.fields[name].choices = [c for c in self.fields[name].choices if c[0] == code]
        if viewer.scope_level == Level.DISTRICTS:
            allowed = set(viewer.district_codes())
            district = self.fields["district"]
            district.choices = [c for c in district.choices if not c[0] or c[0] in allowed]

    def filter_fields(self):
        return [self[name] for name in ("q", *self.extra_filters, "stage", "batch_status")]

    def filters(self):
        """The selector's keyword arguments; an invalid filter is ignored, not an error."""
        self.is_valid()
        data = self.cleaned_data
        return {
            "query": data.get("q") or "",
            "stage": data.get("stage"),
            "batch_status": data.get("batch_status") or "",
            **{name: data.get(name) for name in self.extra_filters},
            **selectors.region_filters(self.chosen_code()),
        }


class BusinessFilterForm(ListFilterForm):
    kbli_section = forms.ChoiceField(
        label=_("Sector (KBLI)"), required=False, choices=[ANY, *KbliSection.choices]
    )
    scale = forms.ChoiceField(label=_("Scale"), required=False, choices=[ANY, *Scale.choices])
    impact_status = forms.ChoiceField(
        label=_("Impact status"), required=False, choices=[ANY, *ImpactStatus.choices]
    )
    extra_filters = ("kbli_section", "scale", "impact_status")


class PersonFilterForm(ListFilterForm):
    nik_valid = forms.TypedChoiceField(
        label=_("NIK"),
        required=False,
        choices=[ANY, ("1", _("Valid")), ("0", _("Invalid"))],
        coerce=lambda value: value == "1",
        empty_value=None,
    )
    extra_filters = ("nik_valid",)


class CooperativeFilterForm(ListFilterForm):
    kind = forms.ChoiceField(
        label=capfirst(Cooperative._meta.get_field("kind").verbose_name),
        required=False,
        choices=[ANY, *Cooperative.Kind.choices],
    )
    extra_filters = ("kind",)


def _label(model, field):
    return capfirst(model._meta.get_field(field).verbose_name)


def _personal(viewer, mask):
    """Show a personal value as is to roles that work with it, masked to anyone else."""
    return (lambda value: value) if viewer.sees_personal_data else mask


def impact_label(business):
    status = business.latest_impact_status
    return ImpactStatus(status).label if status else ""


def _choice(path, choices):
    """A column of choice labels, translated once per export: translating them row by row
    took a third of an export's time."""
    labels = {value: str(label) for value, label in choices}
    get = attrgetter(path)
    return lambda record: labels.get(get(record), "")


def _place_and_batch_columns():
    return [
        (_("Village code"), "village_code"),
        (_("Village"), "village_name"),
        (_("Stage"), "batch.stage"),
        (_("Batch status"), _choice("batch.status", CollectionBatch.Status.choices)),
    ]


def business_columns(viewer):
    nik, phone = _personal(viewer, mask_nik), _personal(viewer, mask_phone)
    return [
        (_label(Business, "name"), "name"),
        (_label(Business, "nib"), "nib"),
        (_("Owner"), "owner.name"),
        (_("Owner NIK"), lambda b: nik(b.owner.nik)),
        (_("Owner phone"), lambda b: phone(b.owner.phone)),
        (_label(Business, "kbli_section"), "kbli_section"),
        (_label(Business, "sector_note"), "sector_note"),
        (_label(Business, "scale"), _choice("scale", Scale.choices)),
        (_label(Business, "capital"), "capital"),
        (_label(Business, "annual_sales"), "annual_sales"),
        (_label(Business, "employees"), "employees"),
        (_label(Business, "whatsapp"), lambda b: phone(b.whatsapp)),
        (_label(Business, "address"), "address"),
        (_("Latest impact status"), _choice("latest_impact_status", ImpactStatus.choices)),
        *_place_and_batch_columns(),
    ]


def person_columns(viewer):
    nik, phone = _personal(viewer, mask_nik), _personal(viewer, mask_phone)
    return [
        (_label(Person, "name"), "name"),
        (_label(Person, "nik"), lambda p: nik(p.nik)),
        (
            _label(Person, "nik_valid"),
            _choice("nik_valid", [(True, _("Valid")), (False, _("Invalid"))]),
        ),
        (_label(Person, "nik_problems"), lambda p: ", ".join(p.nik_problems)),
        (_label(Person, "birth_date"), "birth_date"),
        (_label(Person, "sex"), _choice("sex", Sex.choices)),
        (_label(Person, "phone"), lambda p: phone(p.phone)),
        (_label(Person, "address"), "address"),
        *_place_and_batch_columns(),
    ]


def cooperative_columns(viewer):
    return [
        (_label(Cooperative, "name"), "name"),
        (_label(Cooperative, "legal_entity_number"), "legal_entity_number"),
        (_label(Cooperative, "kind"), _choice("kind", Cooperative.Kind.choices)),
        (_label(Cooperative, "members"), "members"),
        (_label(Cooperative, "chair"), lambda c: c.chair.name if c.chair else ""),
        (_label(Cooperative, "address"), "address"),
        *_place_and_batch_columns(),
    ]


def _export_links(request, url_name):
    """Download links that carry the list's current filters."""
    query = request.GET.copy()
    query.pop("page", None)
    links = {}
    for fmt in FORMATS:
        query["format"] = fmt
        links[fmt] = f"{reverse(url_name)}?{query.urlencode()}"
    return links


def _list_context(request, *, form_class, selector, export_url_name):
    form = form_class(request.GET, viewer=request.user)
    records = selector(viewer=request.user, **form.filters())
    page = selectors.list_page(records, request.GET.get("page"))
    selectors.village_names_set(page.object_list)
    return {
        "form": form,
        "page": page,
        "full": request.user.sees_personal_data,
        "export_links": _export_links(request, export_url_name),
    }


def _export(request, *, form_class, selector, columns, name):
    fmt = request.GET.get("format", "xlsx")
    if fmt not in FORMATS:
        raise Http404
    form = form_class(request.GET, viewer=request.user)
    records = selector(viewer=request.user, **form.filters())
    return export_rows(
        rows=selectors.with_village_names(records.iterator(chunk_size=2000)),
        columns=columns(request.user),
        fmt=fmt,
        filename=f"{name}-{timezone.localdate():%Y%m%d}",
    )


@role_required(*OFFICERS)
def business_list(request):
    context = _list_context(
        request,
        form_class=BusinessFilterForm,
        selector=selectors.business_list,
        export_url_name="registry:business_export",
    )
    for business in context["page"]:
        business.latest_impact_label = impact_label(business)
    return render(request, "registry/list/business_list.html", context)


@role_required(*OFFICERS)
def business_export(request):
    return _export(
        request,
        form_class=BusinessFilterForm,
        selector=selectors.business_list,
        columns=business_columns,
        name="usaha",
    )


@role_required(*OFFICERS)
def business_detail(request, pk):
    """A business, its owner and its impact reports; showing the owner's NIK and phone is
    a view of a person's data, so it is logged against the owner."""
    business = selectors.business_get(viewer=request.user, pk=pk)
    access_log_record(request=request, obj=business.owner)
    selectors.village_names_set([business])
    reports = list(selectors.impact_report_list(viewer=request.user, business=business.pk))
    problems, needs = dict(Problem.choices), dict(Need.choices)
    for report in reports:
        report.problem_labels = [problems.get(code, code) for code in report.problems]
        report.need_labels = [needs.get(code, code) for code in report.needs]
    context = {
        "business": business,
        "impact_status": impact_label(business),
        "reports": reports,
        "full": request.user.sees_personal_data,
    }
    return render(request, "registry/list/business_detail.html", context)


@role_required(*OFFICERS)
def person_list(request):
    context = _list_context(
        request,
        form_class=PersonFilterForm,
        selector=selectors.person_list,
        export_url_name="registry:person_export",
    )
    return render(request, "registry/list/person_list.html", context)


@role_required(*OFFICERS)
def person_export(request):
    return _export(
        request,
        form_class=PersonFilterForm,
        selector=selectors.person_list,
        columns=person_columns,
        name="pelaku-usaha",
    )


@role_required(*OFFICERS)
def person_detail(request, pk):
    """A business actor's record. Every view is logged; the reasons a NIK is flagged are
    shown only to roles that may see the NIK, since they give its digits away."""
    person = selectors.person_get(viewer=request.user, pk=pk)
    access_log_record(request=request, obj=person)
    selectors.village_names_set([person])
    full = request.user.sees_personal_data
    check = nik_check(person.nik) if full and person.nik else None
    context = {
        "person": person,
        "full": full,
        "nik_check": check,
        "nik_reasons": [p.text(get_language()) for p in check.errors + check.warnings]
        if check
        else [],
        "businesses": selectors.person_businesses(viewer=request.user, person=person),
    }
    return render(request, "registry/list/person_detail.html", context)


@role_required(*OFFICERS)
def cooperative_list(request):
    context = _list_context(
        request,
        form_class=CooperativeFilterForm,
        selector=selectors.cooperative_list,
        export_url_name="registry:cooperative_export",
    )
    return render(request, "registry/list/cooperative_list.html", context)


@role_required(*OFFICERS)
def cooperative_export(request):
    return _export(
        request,
        form_class=CooperativeFilterForm,
        selector=selectors.cooperative_list,
        columns=cooperative_columns,
        name="koperasi",
    )


@role_required(*OFFICERS)
def cooperative_detail(request, pk):
    cooperative = selectors.cooperative_get(viewer=request.user, pk=pk)
    selectors.village_names_set([cooperative])
    return render(request, "registry/list/cooperative_detail.html", {"cooperative": cooperative})


class BatchFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[ANY, *CollectionBatch.Status.choices]
    )
    stage = forms.IntegerField(label=_("Stage"), min_value=1, required=False)


@role_required(*OFFICERS)
def batch_list(request):
    form = BatchFilterForm(request.GET)
    form.is_valid()
    batches = selectors.batch_list(
        viewer=request.user,
        status=form.cleaned_data.get("status") or "",
        stage=form.cleaned_data.get("stage"),
    )
    page = selectors.list_page(batches, request.GET.get("page"))
    return render(request, "registry/list/batch_list.html", {"form": form, "page": page})
