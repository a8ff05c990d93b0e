"""Pages of enrolments: a cycle's list, with verification, approval and referral of the
selected, and one enrolment's rule-by-rule explanation.

Regency officers verify; the centre and the provinces approve, and see each refusal (a
beneficiary already paid through another record) named. Enrolments outside the
officer's area are neither listed nor found.
"""

from django.contrib import messages
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from pulih.accounts.decorators import role_required
from pulih.core import formats
from pulih.core.audit import access_log_record
from pulih.dedup.views import DEDUP_ROLES
from pulih.registry.selectors import list_page

from . import eligibility, referrals, selectors, services
from .forms import EnrolmentFilterForm
from .models import Enrolment, Referral
from .rules import RULES
from .views import PROGRAMME_ROLES, acts, cycle_get

REFER = {f"refer_{target.value}": target for target in Referral.Target}


def _failed_texts(enrolment):
    return [RULES[code].text for code in enrolment.failed_rules if code in RULES]


@role_required(*PROGRAMME_ROLES)
def enrolment_list(request, pk, number):
    """A cycle's enrolments in the officer's area, by status, with the actions on the
    selected."""
    programme, cycle = cycle_get(request.user, pk, number)
    form = EnrolmentFilterForm(request.GET)
    status = form.cleaned_data["status"] if form.is_valid() else ""
    enrolments = selectors.enrolment_list(
        user=request.user, programme=programme, cycle=cycle, status=status
    )
    page = list_page(enrolments, request.GET.get("page"))
    for enrolment in page:
        enrolment.failed_texts = _failed_texts(enrolment)
    context = {
        "programme": programme,
        "cycle": cycle,
        "form": form,
        "status": status,
        "page": page,
        "full": request.user.sees_personal_data,
        "may_verify": acts(request.user, services.VERIFIERS),
        "may_approve": acts(request.user, services.APPROVERS),
        "targets": [(action, target.label) for action, target in REFER.items()],
    }
    return render(request, "programs/enrolment_list.html", context)


def _verify(request, selected):
    try:
        count = services.enrolments_verify(user=request.user, enrolments=selected)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return
    text = ngettext(
        "%(count)s enrolment was verified.", "%(count)s enrolments were verified.", count
    )
    messages.success(request, text % {"count": formats.number(count)})


def _approve(request, selected):
    result = services.enrolments_approve(user=request.user, enrolments=selected)
    count = result["approved"]
    if count:
        text = ngettext(
            "%(count)s enrolment was approved; its payment is waiting to be sent.",
            "%(count)s enrolments were approved; their payments are waiting to be sent.",
            count,
        )
        messages.success(request, text % {"count": formats.number(count)})
    names = {enrolment.pk: enrolment.person.name for enrolment in selected}
    for pk, reason in result["refused"].items():
        refusal = _("%(name)s was not approved: %(reason)s")
        messages.error(request, refusal % {"name": names[pk], "reason": reason})


def _refer(request, selected, target):
    people = [enrolment.person for enrolment in selected]
    counts = referrals.referrals_create(user=request.user, people=people, target=target)
    messages.success(
        request,
        _("Referred to %(target)s: %(created)s; already referred: %(existing)s.")
        % {
            "target": target.label,
            "created": formats.number(counts["created"]),
            "existing": formats.number(counts["existing"]),
        },
    )


@require_POST
@role_required(*PROGRAMME_ROLES)
def enrolments_act(request, pk, number):
    """Verify, approve or refer the selected enrolments, then back to the list."""
    programme, cycle = cycle_get(request.user, pk, number)
    ids = [value for value in request.POST.getlist("enrolment") if value.isdigit()]
    selected = list(
        selectors.enrolment_list(user=request.user, programme=programme, cycle=cycle).filter(
            pk__in=ids
        )
    )
    action = request.POST.get("action", "")
    if not selected:
        messages.error(request, _("Select at least one enrolment."))
    elif action == "verify":
        _verify(request, selected)
    elif action == "approve":
        _approve(request, selected)
    elif action in REFER:
        _refer(request, selected, REFER[action])
    else:
        messages.error(request, _("Choose an action."))
    url = reverse("programs:enrolment_list", args=[programme.pk, cycle.number])
    status = request.POST.get("status", "")
    if status in Enrolment.Status.values:
        url = f"{url}?{urlencode({'status': status})}"
    return redirect(url)


@role_required(*PROGRAMME_ROLES)
def enrolment_detail(request, pk):
    """One enrolment: the person, and each of the programme's rules passed or failed now.
    The person's NIK is shown in full to the officers who need it, so the view is logged."""
    enrolment = selectors.enrolment_get(user=request.user, pk=pk)
    full = request.user.sees_personal_data
    if full:
        access_log_record(request=request, obj=enrolment.person)
    try:
        payment = enrolment.payment
    except ObjectDoesNotExist:
        payment = None
    context = {
        "enrolment": enrolment,
        "programme": enrolment.programme,
        "cycle": enrolment.cycle,
        "explanation": eligibility.explain(enrolment),
        "failed_texts": _failed_texts(enrolment),
        "payment": payment,
        "full": full,
        "sees_entity": acts(request.user, DEDUP_ROLES),
    }
    return render(request, "programs/enrolment_detail.html", context)
