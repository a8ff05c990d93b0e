"""Every write of aid programmes that touches more than one object: programmes, enrolment
from candidate to payment, payment batches and the bank's results, and what record
linkage's merges mean for payments."""

import csv

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy

from pulih.accounts.models import Role
from pulih.core.scope import province_for_write
from pulih.dedup.services import entities_ensure
from pulih.registry.importing.reading import csv_delimiter, csv_encoding
from pulih.registry.models import Business, Person

from .models import Cycle, Enrolment, IntegrityAlert, Payment, PaymentBatch, Programme

APPROVERS = (Role.PUSAT, Role.PROVINSI)
VERIFIERS = (Role.PUSAT, Role.PROVINSI, Role.KABKOTA)

ALREADY_PAID = gettext_lazy(
    "This beneficiary already has a payment in this cycle of the programme; no second one is made."
)
NOT_VERIFIED = gettext_lazy("Only a verified enrolment can be approved.")
NOT_ELIGIBLE = gettext_lazy("Only an eligible enrolment can be verified.")
PROVINCE_NOT_YOURS = gettext_lazy("You can only create programmes for your own province.")
NOTHING_TO_SEND = gettext_lazy("No approved payment is waiting to be sent.")
RESULT_COLUMNS_MISSING = gettext_lazy(
    "The bank's file needs the columns reference and status (referensi, status)."
)
RESULT_ROWS_REFUSED = gettext_lazy(
    "Nothing was changed. Rows with an unknown reference or status: %(rows)s."
)
BANK_STATUSES = {
    "paid": Payment.Status.PAID,
    "berhasil": Payment.Status.PAID,
    "sukses": Payment.Status.PAID,
    "success": Payment.Status.PAID,
    "failed": Payment.Status.FAILED,
    "gagal": Payment.Status.FAILED,
    "ditolak": Payment.Status.FAILED,
    "rejected": Payment.Status.FAILED,
}


def programme_create(*, user, name, agency, kind, amount, rules, cycles=1, province_code=""):
    """A programme with its first `cycles` cycles. Central officers create national or
    provincial programmes; province officers only their own province's."""
    province_code = province_for_write(user, province_code, PROVINCE_NOT_YOURS)
    with transaction.atomic():
        programme = Programme.objects.create(
            name=name,
            agency=agency,
            kind=kind,
            amount=amount,
            rules=list(rules),
            province_code=province_code,
            created_by=user,
        )
        Cycle.objects.bulk_create(
            [Cycle(programme=programme, number=n) for n in range(1, cycles + 1)]
        )
    return programme


@transaction.atomic
def candidates_enrol(*, user, cycle, people=None):
    """Enrol as candidates the business actors of the user's area (or `people` among them)
    not yet in `cycle`; each with their entity and their first business. Returns the
    number enrolled."""
    visible = Person.objects.visible_to(user)
    if cycle.programme.province_code:
        visible = visible.filter(province_code=cycle.programme.province_code)
    if people is not None:
        visible = visible.filter(pk__in=[p.pk for p in people])
    enrolled = set(Enrolment.objects.filter(cycle=cycle).values_list("person_id", flat=True))
    rows = [
        row
        for row in visible.filter(businesses__isnull=False)
        .values_list("pk", "village_code")
        .distinct()
        .order_by("pk")
        if row[0] not in enrolled
    ]
    entities = entities_ensure(person_ids=[pk for pk, _ in rows])
    businesses = {}
    owners = [pk for pk, _ in rows]
    for start in range(0, len(owners), 500):
        chosen = Business.objects.filter(owner_id__in=owners[start : start + 500])
        # The owner's first business: iterated newest first, the oldest is kept.
        businesses.update(chosen.order_by("-pk").values_list("owner_id", "pk"))
    enrolments = []
    for pk, village in rows:
        enrolment = Enrolment(
            programme=cycle.programme,
            cycle=cycle,
            person_id=pk,
            business_id=businesses.get(pk),
            entity_id=entities[pk],
        )
        enrolment.set_region(village)
        enrolments.append(enrolment)
    Enrolment.objects.bulk_create(enrolments, batch_size=2_000)
    return len(enrolments)


@transaction.atomic
def enrolments_verify(*, user, enrolments):
    """An officer has checked the eligible candidates (documents, a visit): verified."""
    if user.role not in VERIFIERS and not user.is_superuser:
        raise PermissionDenied
    ids = [e.pk for e in enrolments]
    if Enrolment.objects.filter(pk__in=ids).exclude(status=Enrolment.Status.ELIGIBLE).exists():
        raise ValidationError(NOT_ELIGIBLE)
    return Enrolment.objects.filter(pk__in=ids).update(
        status=Enrolment.Status.VERIFIED, verified_by=user, verified_at=timezone.now()
    )


def enrolment_approve(*, user, enrolment):
    """Approve a verified enrolment: its payment is made, unless its beneficiary entity
    already has a live one in this cycle. The database decides (a unique constraint),
    so two officers approving two records of one person at the same moment cannot both
    succeed."""
    if user.role not in APPROVERS and not user.is_superuser:
        raise PermissionDenied
    try:
        with transaction.atomic():
            enrolment = Enrolment.objects.select_for_update().get(pk=enrolment.pk)
            if enrolment.status != Enrolment.Status.VERIFIED:
                raise ValidationError(NOT_VERIFIED)
            _payment(enrolment).save()
            enrolment.status = Enrolment.Status.APPROVED
            enrolment.approved_by, enrolment.approved_at = user, timezone.now()
            enrolment.save(update_fields=["status", "approved_by", "approved_at"])
    except IntegrityError as exc:
        raise ValidationError(ALREADY_PAID) from exc
    return enrolment


def enrolments_approve(*, user, enrolments, chunk=2_000):
    """Approve many. Payments are inserted a chunk at a time, one per entity; should the
    constraint refuse a chunk (someone approved one of them meanwhile), that chunk is
    approved one by one instead, so the refused are named. Returns
    {"approved": n, "refused": {id: message}}."""
    if user.role not in APPROVERS and not user.is_superuser:
        raise PermissionDenied
    ids = [e.pk for e in enrolments]
    approved, refused = 0, {}
    for start in range(0, len(ids), chunk):
        part = ids[start : start + chunk]
        try:
            approved += _approve_chunk(user, part, refused)
        except IntegrityError:
            for enrolment in Enrolment.objects.filter(pk__in=part).order_by("pk"):
                refused.pop(enrolment.pk, None)
                try:
                    enrolment_approve(user=user, enrolment=enrolment)
                except ValidationError as error:
                    refused[enrolment.pk] = " ".join(error.messages)
                else:
                    approved += 1
    return {"approved": approved, "refused": refused}


@transaction.atomic
def _approve_chunk(user, ids, refused):
    """Approve the verified enrolments `ids` in one statement per table: the first record
    of each entity without a live payment; the others are refused as already paid."""
    # Only the enrolments are locked, in key order, so concurrent approvals of
    # overlapping selections wait for each other instead of deadlocking.
    rows = list(
        Enrolment.objects.select_for_update(of=("self",))
        .filter(pk__in=ids)
        .select_related("programme")
        .order_by("pk")
    )
    live = Payment.objects.exclude(status=Payment.Status.FAILED).filter(
        duplicate=False, entity_id__in={e.entity_id for e in rows}
    )
    taken = set(live.values_list("programme_id", "cycle_id", "entity_id"))
    chosen = []
    for enrolment in rows:
        key = (enrolment.programme_id, enrolment.cycle_id, enrolment.entity_id)
        if enrolment.status != Enrolment.Status.VERIFIED:
            refused[enrolment.pk] = str(NOT_VERIFIED)
        elif key in taken:
            refused[enrolment.pk] = str(ALREADY_PAID)
        else:
            taken.add(key)
            chosen.append(enrolment)
    Payment.objects.bulk_create([_payment(e) for e in chosen])
    Enrolment.objects.filter(pk__in=[e.pk for e in chosen]).update(
        status=Enrolment.Status.APPROVED, approved_by=user, approved_at=timezone.now()
    )
    return len(chosen)


def _payment(enrolment):
    return Payment(
        enrolment=enrolment,
        programme_id=enrolment.programme_id,
        cycle_id=enrolment.cycle_id,
        entity_id=enrolment.entity_id,
        amount=enrolment.programme.amount,
        reference=f"P{enrolment.programme_id}-C{enrolment.cycle_id}-E{enrolment.pk}",
    )


@transaction.atomic
def payment_batch_create(*, user, cycle):
    """Put every approved payment of `cycle` in the user's area not yet sent into one batch
    for the bank."""
    if user.role not in APPROVERS and not user.is_superuser:
        raise PermissionDenied
    visible = Enrolment.objects.visible_to(user).filter(cycle=cycle)
    waiting = Payment.objects.select_for_update().filter(
        enrolment__in=visible, status=Payment.Status.PENDING, duplicate=False
    )
    if not waiting.exists():
        raise ValidationError(NOTHING_TO_SEND)
    batch = PaymentBatch.objects.create(programme=cycle.programme, cycle=cycle, created_by=user)
    waiting.update(batch=batch, status=Payment.Status.SENT)
    return batch


def payment_batch_rows(*, batch):
    """The file for the bank: one row per payment (reference, NIK, name, amount)."""
    header = ["reference", "nik", "name", "amount"]
    payments = batch.payments.select_related("enrolment__person").order_by("pk")
    rows = [
        [p.reference, p.enrolment.person.nik, p.enrolment.person.name, p.amount] for p in payments
    ]
    return header, rows


@transaction.atomic
def payment_results_import(*, user, batch, path):
    """The bank's result file (CSV: reference, status, optionally reason) closes the
    batch's payments as paid or failed. The whole file is checked first; importing it
    again changes nothing."""
    if user.role not in APPROVERS and not user.is_superuser:
        raise PermissionDenied
    results = _bank_rows(path)
    payments = {p.reference: p for p in batch.payments.select_for_update()}
    refused = [str(row) for row, ref, status, _ in results if ref not in payments or not status]
    if refused:
        raise ValidationError(RESULT_ROWS_REFUSED % {"rows": ", ".join(refused[:20])})
    now = timezone.now()
    changed = []
    for _row, reference, status, reason in results:
        payment = payments[reference]
        if payment.status == status:
            continue
        payment.status, payment.failure_reason = status, reason[:200]
        payment.paid_at = now if status == Payment.Status.PAID else None
        changed.append(payment)
    Payment.objects.bulk_update(changed, ["status", "failure_reason", "paid_at"])
    for status, enrolment_status in (
        (Payment.Status.PAID, Enrolment.Status.PAID),
        (Payment.Status.FAILED, Enrolment.Status.FAILED),
    ):
        Enrolment.objects.filter(payment__in=[p for p in changed if p.status == status]).update(
            status=enrolment_status
        )
    if not batch.payments.filter(status=Payment.Status.SENT).exists():
        batch.status = PaymentBatch.Status.SETTLED
        batch.save(update_fields=["status"])
    return {"changed": len(changed), "unchanged": len(results) - len(changed)}


def _bank_rows(path):
    """(row number, reference, status or None, reason) of a bank's CSV result file."""
    with open(path, encoding=csv_encoding(path), newline="") as f:
        reader = csv.reader(f, delimiter=csv_delimiter(f))
        header = [cell.strip().lower() for cell in next(reader, [])]
        columns = {
            field: next((i for i, h in enumerate(header) if h in names), None)
            for field, names in (
                ("reference", ("reference", "referensi", "ref")),
                ("status", ("status",)),
                ("reason", ("reason", "keterangan", "alasan")),
            )
        }
        if columns["reference"] is None or columns["status"] is None:
            raise ValidationError(RESULT_COLUMNS_MISSING)
        rows = []
        for number, cells in enumerate(reader, start=2):
            if not any(cell.strip() for cell in cells):
                continue
            values = {
                field: cells[at].strip() if at is not None and at < len(cells) else ""
                for field, at in columns.items()
            }
            status = BANK_STATUSES.get(values["status"].lower())
            rows.append((number, values["reference"], status, values["reason"]))
    return rows


@transaction.atomic
def entity_merge_check(*, survivor, absorbed):
    """Entities `absorbed` are joining `survivor` (record linkage found them one person).
    Their enrolments and payments move to the survivor; where the survivor and an absorbed
    entity were both paid in one cycle, the later payment is set aside as a duplicate and
    an integrity alert raised: one person was paid twice."""
    live = Payment.objects.exclude(status=Payment.Status.FAILED).filter(duplicate=False)
    kept = {(p.programme_id, p.cycle_id): p for p in live.filter(entity=survivor).order_by("pk")}
    for payment in live.filter(entity_id__in=absorbed).order_by("pk"):
        key = (payment.programme_id, payment.cycle_id)
        if key not in kept:
            kept[key] = payment
            continue
        payment.duplicate = True
        payment.save(update_fields=["duplicate"])
        alert = IntegrityAlert.objects.create(
            programme_id=payment.programme_id,
            cycle_id=payment.cycle_id,
            entity=survivor,
            province_code=survivor.province_code,
        )
        alert.payments.add(kept[key], payment)
    Payment.objects.filter(entity_id__in=absorbed).update(entity=survivor)
    Enrolment.objects.filter(entity_id__in=absorbed).update(entity=survivor)


@transaction.atomic
def person_unmerge_follow(*, person, entity):
    """`person`'s record left `entity`: their enrolments, and the payments made for them,
    move to the person's own entity."""
    enrolments = Enrolment.objects.filter(person=person, entity=entity)
    if not enrolments.exists():
        return
    own = entities_ensure(person_ids=[person.pk])[person.pk]
    Payment.objects.filter(enrolment__in=enrolments).update(entity_id=own)
    enrolments.update(entity_id=own)
