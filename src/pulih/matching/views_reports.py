"""Pages of the production reports: the funnel from declaration to delivery, for officers
of the centre, a province or a regency (each their region's), and demand coverage, for
central officers (every demand) and institutional buyers (their own). To anyone else the
pages do not exist (404). Both download as CSV or XLSX with `?format=`."""

from operator import itemgetter

from django import forms
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from pulih.accounts.decorators import role_required
from pulih.core.exports import FORMATS, export_rows
from pulih.production.models import Declaration, ProductType
from pulih.wilayah.models import Province

from . import reports


class FunnelFilterForm(forms.Form):
    """The product type and province to narrow the funnel to; the provinces offered are
    those of the declarations the reader sees."""

    product = forms.ChoiceField(label=_("Product"), required=False)
    province = forms.ChoiceField(label=_("Province"), required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        everything = [("", _("All"))]
        self.fields["product"].choices = everything + list(
            ProductType.objects.values_list("code", "name")
        )
        codes = Declaration.objects.visible_to(user).values("province_code")
        self.fields["province"].choices = everything + list(
            Province.objects.filter(code__in=codes).values_list("code", "name")
        )

    def filters(self):
        if not self.is_valid():
            return {}
        code = self.cleaned_data["product"]
        return {
            "product_type": ProductType.objects.get(code=code) if code else None,
            "province_code": self.cleaned_data["province"],
        }


def _format(request):
    """The download asked for with `?format=`, or None for the page."""
    fmt = request.GET.get("format")
    if fmt is not None and fmt not in FORMATS:
        raise Http404
    return fmt


def _export_links(request):
    query = request.GET.copy()
    links = {}
    for fmt in FORMATS:
        query["format"] = fmt
        links[fmt] = f"?{query.urlencode()}"
    return links


def _funnel_columns():
    columns = [(_("By"), itemgetter("by")), (_("Name"), itemgetter("name"))]
    for index, label in enumerate(reports.STAGES.values()):
        columns += [
            (label, lambda row, i=index: row["stages"][i]["count"]),
            (
                _("%(stage)s: capacity per month") % {"stage": label},
                lambda row, i=index: row["stages"][i]["capacity"],
            ),
        ]
    return columns + [
        (_("Units ordered"), lambda row: row["units_ordered"]),
        (_("Units accepted"), lambda row: row["units_accepted"]),
    ]


def _funnel_rows(funnel):
    for by, key in ((_("Product"), "by_product"), (_("Province"), "by_province")):
        for row in funnel[key]:
            yield {**row, "by": by}
    yield {**funnel["total"], "by": _("Total")}


@role_required(*reports.FUNNEL_READERS)
def report_funnel(request):
    """Declared → curated → licensed → allocated → delivered, per product and province."""
    fmt = _format(request)
    form = FunnelFilterForm(request.GET, user=request.user)
    funnel = reports.production_funnel(user=request.user, **form.filters())
    if fmt:
        return export_rows(
            rows=_funnel_rows(funnel),
            columns=_funnel_columns(),
            fmt=fmt,
            filename=f"corong-produksi-{funnel['today']:%Y%m%d}",
        )
    context = {"form": form, "funnel": funnel, "export_links": _export_links(request)}
    return render(request, "matching/report_funnel.html", context)


COVERAGE_COLUMNS = [
    (_("Demand"), "title"),
    (_("Buyer"), "buyer"),
    (_("Product"), "product"),
    (_("Deadline"), "deadline"),
    (_("Quantity asked"), "quantity"),
    (_("Ordered"), "ordered"),
    (_("Accepted"), "accepted"),
    (_("Rejected"), "rejected"),
    (_("Missing"), "missing"),
    (_("Capacity until the deadline"), "capacity"),
    (_("Capacity counted on"), "capacity_on"),
    (_("Shortfall"), "shortfall"),
]


@role_required(*reports.COVERAGE_READERS)
def report_coverage(request):
    """Each demand against what was ordered, accepted and the capacity that exists."""
    fmt = _format(request)
    rows = reports.demand_coverage(user=request.user)
    if fmt:
        return export_rows(
            rows=rows,
            columns=[(title, itemgetter(key)) for title, key in COVERAGE_COLUMNS],
            fmt=fmt,
            filename=f"cakupan-permintaan-{timezone.localdate():%Y%m%d}",
        )
    for row in rows:
        row["ordered_percent"] = _percent(row["ordered"], row["quantity"])
        row["accepted_percent"] = _percent(row["accepted"], row["quantity"])
        row["capacity_percent"] = _percent(row["capacity"], row["quantity"])
    context = {"rows": rows, "export_links": _export_links(request)}
    return render(request, "matching/report_coverage.html", context)


def _percent(part, whole):
    """Share of `whole`, capped at 100 for a bar."""
    return min(round(100 * part / whole), 100) if whole else 0
