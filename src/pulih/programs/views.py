"""Pages of aid programmes: the programmes, their cycles' reports and the actions on a
cycle; and the roles and helpers the other pages (`views_enrolments`, `views_payments`,
`views_lists`, `views_referrals`) share.

Central, province and regency officers work here (`PROGRAMME_ROLES`); anyone else gets
404, and so does a programme, enrolment, batch or list outside the officer's scope.
"""

from collections import Counter, defaultdict
from contextlib import contextmanager

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from pulih.accounts.decorators import role_required
from pulih.accounts.models import Role
from pulih.core import formats
from pulih.core.scope import Level
from pulih.registry.importing.files import ImportFiles
from pulih.registry.importing.services import upload_check
from pulih.registry.selectors import list_page
from pulih.wilayah.models import Province, Regency

from . import eligibility, selectors, services
from .forms import NATIONAL, ProgrammeForm
from .models import Enrolment
from .rules import AUDIT_CATEGORY, RULES, rules_of

PROGRAMME_ROLES = (Role.PUSAT, Role.PROVINSI, Role.KABKOTA)
# Who creates programmes and imports lists: the centre and the provinces.
CENTRE_AND_PROVINCES = (Role.PUSAT, Role.PROVINSI)

REPORT_COUNTS = ("candidates", "eligible", "ineligible", "verified", "approved", "paid")
REPORT_SUMS = (*REPORT_COUNTS, "rupiah_paid", "rupiah_blocked")


def acts(user, roles):
    return user.is_superuser or user.role in roles


def cycle_get(user, pk, number):
    """A visible programme and one of its cycles, or 404."""
    programme = selectors.programme_get(user=user, pk=pk)
    return programme, get_object_or_404(programme.cycles, number=number)


@contextmanager
def uploaded(upload):
    """The upload kept under a random name, as the registry's import keeps it, for as
    long as a service reads it; refused (`ImportRefused`) as the import refuses files."""
    extension = upload_check(upload)
    files = ImportFiles.new()
    path = files.upload(extension)
    try:
        with path.open("wb") as f:
            for part in upload.chunks():
                f.write(part)
        yield path
    finally:
        files.remove(path)


def category(code):
    """The audit's category a failed rule stands for, or the rule itself."""
    return AUDIT_CATEGORY.get(code) or RULES[code].text


def region_names(codes, by):
    model = Province if by == "province_code" else Regency
    return dict(model.objects.filter(code__in=codes).values_list("code", "name"))


def _reasons(user, programme, cycle, by):
    """Ineligible enrolments per region and audit category. A candidate failing two rules
    of one category (an invalid NIK is not in the civil registry either) counts once."""
    ineligible = selectors.enrolment_list(
        user=user, programme=programme, cycle=cycle, status=Enrolment.Status.INELIGIBLE
    )
    counts = defaultdict(Counter)
    for region, failed in ineligible.values_list(by, "failed_rules"):
        counts[region].update({str(category(code)) for code in failed})
    return counts


def cycle_report(user, programme, cycle):
    """The cycle's report per regency (per province for the centre), with its columns
    of reasons and a total row."""
    by = "province_code" if user.scope_level == Level.NATION else "regency_code"
    rows = selectors.programme_report(user=user, programme=programme, cycle=cycle, by=by)
    names = region_names([row["region"] for row in rows], by)
    reasons = _reasons(user, programme, cycle, by)
    categories = list(dict.fromkeys(str(category(code)) for code in programme.rules))
    total = {key: sum(row[key] for row in rows) for key in REPORT_SUMS}
    total["reasons"] = [sum(reasons[row["region"]][c] for row in rows) for c in categories]
    for row in rows:
        row["name"] = names.get(row["region"], row["region"]) or NATIONAL
        row["reason_counts"] = [reasons[row["region"]][c] for c in categories]
    return {"cycle": cycle, "rows": rows, "total": total, "categories": categories, "by": by}


@role_required(*PROGRAMME_ROLES)
def programme_list(request):
    """The programmes the officer sees, and the form to create one."""
    may_create = acts(request.user, CENTRE_AND_PROVINCES)
    form = None
    if may_create:
        data = request.POST if request.method == "POST" else None
        form = ProgrammeForm(data, user=request.user)
        if form.is_valid():
            try:
                programme = services.programme_create(user=request.user, **form.cleaned_data)
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("The programme was created."))
                return redirect("programs:programme_detail", pk=programme.pk)
    elif request.method == "POST":
        raise Http404
    page = list_page(selectors.programme_list(user=request.user), request.GET.get("page"))
    names = region_names({p.province_code for p in page if p.province_code}, "province_code")
    for programme in page:
        programme.area = names.get(programme.province_code, "") or NATIONAL
    return render(request, "programs/programme_list.html", {"form": form, "page": page})


@role_required(*PROGRAMME_ROLES)
def programme_detail(request, pk):
    """A programme in words, and each cycle's report with its actions."""
    programme = selectors.programme_get(user=request.user, pk=pk)
    names = region_names([programme.province_code], "province_code")
    context = {
        "programme": programme,
        "area": names.get(programme.province_code, "") or NATIONAL,
        "rules": rules_of(programme),
        "reports": [cycle_report(request.user, programme, c) for c in programme.cycles.all()],
        "may_approve": acts(request.user, services.APPROVERS),
    }
    return render(request, "programs/programme_detail.html", context)


@require_POST
@role_required(*PROGRAMME_ROLES)
def cycle_enrol(request, pk, number):
    """Enrol as candidates the business actors of the officer's area."""
    programme, cycle = cycle_get(request.user, pk, number)
    count = services.candidates_enrol(user=request.user, cycle=cycle)
    text = ngettext(
        "%(count)s candidate was enrolled.", "%(count)s candidates were enrolled.", count
    )
    messages.success(request, text % {"count": formats.number(count)})
    return redirect("programs:programme_detail", pk=programme.pk)


@require_POST
@role_required(*PROGRAMME_ROLES)
def cycle_evaluate(request, pk, number):
    """Apply the programme's rules to the open enrolments of the officer's area."""
    programme, cycle = cycle_get(request.user, pk, number)
    enrolments = selectors.enrolment_list(user=request.user, programme=programme, cycle=cycle)
    # Evaluation loads only the fields its rules read: no related rows of the list's.
    counts = eligibility.evaluate(enrolments=enrolments.select_related(None))
    messages.success(
        request,
        _("Evaluated: %(eligible)s eligible, %(ineligible)s ineligible.")
        % {key: formats.number(counts[key]) for key in ("eligible", "ineligible")},
    )
    return redirect("programs:programme_detail", pk=programme.pk)
