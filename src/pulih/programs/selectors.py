"""Reads of aid programmes, always scoped to the user."""

from django.db.models import Count, Exists, OuterRef, Q, Sum
from django.http import Http404
from django.shortcuts import get_object_or_404

from pulih.core.scope import province_filter

from .models import Enrolment, ExternalList, IntegrityAlert, Payment, PaymentBatch, Programme


def programme_list(*, user):
    return Programme.objects.visible_to(user).prefetch_related("cycles")


def programme_get(*, user, pk):
    return Programme.objects.get_visible_or_404(user, pk=pk)


def enrolment_list(*, user, programme, cycle=None, status=None):
    enrolments = Enrolment.objects.visible_to(user).filter(programme=programme)
    if cycle is not None:
        enrolments = enrolments.filter(cycle=cycle)
    if status:
        enrolments = enrolments.filter(status=status)
    return enrolments.select_related("person", "business", "cycle").order_by("pk")


def enrolment_get(*, user, pk):
    return Enrolment.objects.select_related(
        "person", "business", "programme", "cycle"
    ).get_visible_or_404(user, pk=pk)


def duplicate_enrolments(enrolments):
    """Enrolments whose beneficiary entity was already paid (or approved) through another
    record in the same cycle: the money a second payment would have sent."""
    paid_elsewhere = (
        Payment.objects.filter(cycle=OuterRef("cycle"), entity=OuterRef("entity"), duplicate=False)
        .exclude(status=Payment.Status.FAILED)
        .exclude(enrolment=OuterRef("pk"))
    )
    # Those the rules already blocked as paid are counted once, as ineligible.
    return enrolments.filter(Exists(paid_elsewhere)).exclude(
        status__in=[Enrolment.Status.APPROVED, Enrolment.Status.PAID, Enrolment.Status.INELIGIBLE]
    )


def programme_report(*, user, programme, cycle=None, by="regency_code"):
    """Per region (`by`: "province_code" or "regency_code"): candidates, eligible,
    ineligible and why (rule codes), verified, approved, paid, Rupiah paid, and Rupiah
    blocked — what would have gone to ineligible or duplicate recipients."""
    enrolments = Enrolment.objects.visible_to(user).filter(programme=programme)
    if cycle is not None:
        enrolments = enrolments.filter(cycle=cycle)
    statuses = Enrolment.Status
    rows = {
        row[by]: {
            "region": row[by],
            "candidates": row["total"],
            **{s: row[s] for s in ("eligible", "ineligible", "verified", "approved", "paid")},
            "reasons": {},
            "duplicates": 0,
            "rupiah_paid": 0,
        }
        for row in enrolments.values(by).annotate(
            total=Count("pk"),
            eligible=Count("pk", filter=~Q(status__in=[statuses.CANDIDATE, statuses.INELIGIBLE])),
            ineligible=Count("pk", filter=Q(status=statuses.INELIGIBLE)),
            verified=Count(
                "pk",
                filter=Q(
                    status__in=[
                        statuses.VERIFIED,
                        statuses.APPROVED,
                        statuses.PAID,
                        statuses.FAILED,
                    ]
                ),
            ),
            approved=Count(
                "pk", filter=Q(status__in=[statuses.APPROVED, statuses.PAID, statuses.FAILED])
            ),
            paid=Count("pk", filter=Q(status=statuses.PAID)),
        )
    }
    for region, failed in enrolments.filter(status=statuses.INELIGIBLE).values_list(
        by, "failed_rules"
    ):
        reasons = rows[region]["reasons"]
        for code in failed:
            reasons[code] = reasons.get(code, 0) + 1
    for region, count in (
        duplicate_enrolments(enrolments).values(by).annotate(n=Count("pk")).values_list(by, "n")
    ):
        rows[region]["duplicates"] = count
    paid = Payment.objects.filter(enrolment__in=enrolments, status=Payment.Status.PAID)
    for region, amount in (
        paid.values(f"enrolment__{by}")
        .annotate(total=Sum("amount"))
        .values_list(f"enrolment__{by}", "total")
    ):
        rows[region]["rupiah_paid"] = amount or 0
    for row in rows.values():
        row["rupiah_blocked"] = (row["ineligible"] + row["duplicates"]) * programme.amount
    return sorted(rows.values(), key=lambda row: row["region"])


def list_list(*, user):
    return ExternalList.objects.visible_to(user)


def list_get(*, user, pk):
    return ExternalList.objects.get_visible_or_404(user, pk=pk)


def enrolments_named(*, user, ids):
    """The enrolments named, all of them in the user's area, or 404."""
    found = list(Enrolment.objects.visible_to(user).filter(pk__in=ids).order_by("pk"))
    if len(found) != len(set(ids)):
        raise Http404
    return found


def batch_list(*, user, cycle):
    visible = Enrolment.objects.visible_to(user)
    return PaymentBatch.objects.filter(cycle=cycle, payments__enrolment__in=visible).distinct()


def batch_get(*, user, pk):
    """A batch of a programme the user sees with every payment in their area: a batch the
    centre made across provinces is no province's to read."""
    batch = get_object_or_404(PaymentBatch.objects.select_related("cycle"), pk=pk)
    programme_get(user=user, pk=batch.programme_id)
    if batch.payments.exclude(enrolment__in=Enrolment.objects.visible_to(user)).exists():
        raise Http404
    return batch


def alert_list(*, user):
    alerts = IntegrityAlert.objects.select_related("programme", "cycle", "entity")
    return alerts.filter(province_filter(user))
