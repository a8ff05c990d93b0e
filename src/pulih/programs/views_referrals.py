"""The referrals page: how far the people referred to Kartu Prakerja and to the 3-in-1
training got, and the upload of those programmes' status files. People are referred from
a cycle's enrolment list (`views_enrolments`)."""

from django.shortcuts import render
from django.utils.translation import get_language

from pulih.accounts.decorators import role_required
from pulih.core.ids import Problem
from pulih.registry.importing.messages import ImportRefused

from . import referrals
from .forms import ReferralStatusForm
from .models import Referral
from .views import PROGRAMME_ROLES, uploaded


def _counts(user):
    """Per target, each step's label with how many are there now and how many got at
    least that far."""
    tables = []
    for target in Referral.Target:
        counts = referrals.referral_counts(user=user, target=target)
        steps = [
            {
                "status": status,
                "label": Referral.Status(status).label,
                "current": counts["current"][status],
                "reached": counts["reached"][status],
            }
            for status in counts["current"]
        ]
        tables.append({"target": target, "total": counts["total"], "steps": steps})
    return tables


def _report_texts(report):
    """The import's report with each reason in the page's language."""
    language = get_language()
    for line in report["refused"]:
        line["reasons"] = [Problem(**problem).text(language) for problem in line["problems"]]
    for line in report["backwards"]:
        line["reason"] = Problem(**line["problem"]).text(language)
    return report


@role_required(*PROGRAMME_ROLES)
def referral_page(request):
    form = ReferralStatusForm(request.POST or None, request.FILES or None)
    report = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            with uploaded(upload) as path:
                report = referrals.referral_status_import(
                    user=request.user,
                    target=form.cleaned_data["target"],
                    path=path,
                    filename=upload.name,
                )
        except ImportRefused as refusal:
            form.add_error("file", refusal.problem.text(get_language()))
        else:
            report = _report_texts(report)
            report["target_label"] = Referral.Target(report["target"]).label
    context = {
        "tables": _counts(request.user),
        "form": form,
        "report": report,
        "full": request.user.sees_personal_data,
    }
    return render(request, "programs/referral_page.html", context)
