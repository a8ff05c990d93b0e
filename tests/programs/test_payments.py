"""From verified enrolment to the bank and back: one beneficiary entity is paid at most
once per programme cycle, whatever happens concurrently, and merges that reveal a double
payment raise an alert."""

import threading

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import close_old_connections, connection

from pulih.dedup import services as dedup
from pulih.dedup.models import MatchPair
from pulih.programs import services
from pulih.programs.models import (
    Enrolment,
    IntegrityAlert,
    Payment,
    PaymentBatch,
    Programme,
)

AMOUNT = 2_400_000


def bpum(personas, cycles=1):
    return services.programme_create(
        user=personas.pusat,
        name="BPUM",
        agency="Kemenkop UKM",
        kind=Programme.Kind.CASH,
        amount=AMOUNT,
        rules=[],
        cycles=cycles,
    )


def joined(left, right, user):
    """Record linkage has found `left` and `right` one person (confirmed by an officer)."""
    pair = MatchPair(
        left_id=min(left.pk, right.pk),
        right_id=max(left.pk, right.pk),
        probability=0.9,
        status=MatchPair.Status.REVIEW,
    )
    pair.set_region("19")
    pair.save()
    dedup.pair_confirm(user=user, pair=pair)


def verified(personas, cycle, people):
    """Enrol `people` and take them to verified (eligibility itself is tested elsewhere)."""
    services.candidates_enrol(user=personas.prov_babel, cycle=cycle, people=people)
    enrolments = list(Enrolment.objects.filter(cycle=cycle, person__in=people).order_by("pk"))
    Enrolment.objects.filter(pk__in=[e.pk for e in enrolments]).update(
        status=Enrolment.Status.ELIGIBLE
    )
    services.enrolments_verify(user=personas.kab_bangka, enrolments=enrolments)
    return enrolments


@pytest.mark.django_db
def test_one_person_recorded_twice_is_paid_once(personas, applicants):
    joined(applicants["hadi"], applicants["hadi_belitung"], personas.prov_babel)
    cycle = bpum(personas).cycles.get()
    first, second = verified(personas, cycle, [applicants["hadi"], applicants["hadi_belitung"]])
    assert first.entity_id == second.entity_id
    services.enrolment_approve(user=personas.prov_babel, enrolment=first)
    with pytest.raises(ValidationError) as refused:
        services.enrolment_approve(user=personas.prov_babel, enrolment=second)
    assert "already has a payment" in str(refused.value) or "sudah" in str(refused.value)
    assert Payment.objects.filter(entity_id=first.entity_id).count() == 1
    second.refresh_from_db()
    assert second.status == Enrolment.Status.VERIFIED


@pytest.mark.django_db
def test_a_failed_payment_may_be_made_again(personas, applicants, tmp_path):
    joined(applicants["hadi"], applicants["hadi_belitung"], personas.prov_babel)
    cycle = bpum(personas).cycles.get()
    first, second = verified(personas, cycle, [applicants["hadi"], applicants["hadi_belitung"]])
    services.enrolment_approve(user=personas.prov_babel, enrolment=first)
    batch = services.payment_batch_create(user=personas.prov_babel, cycle=cycle)
    result = tmp_path / "hasil-bank.csv"
    result.write_text(
        f"referensi;status;keterangan\n{first.payment.reference};gagal;rekening tutup\n"
    )
    services.payment_results_import(user=personas.prov_babel, batch=batch, path=result)
    services.enrolment_approve(user=personas.prov_babel, enrolment=second)
    assert Payment.objects.filter(entity_id=first.entity_id).count() == 2


@pytest.mark.django_db
def test_bank_results_close_the_batch_and_a_second_import_changes_nothing(
    personas, applicants, tmp_path
):
    cycle = bpum(personas).cycles.get()
    ani, budi = verified(personas, cycle, [applicants["ani"], applicants["budi"]])
    for enrolment in (ani, budi):
        services.enrolment_approve(user=personas.prov_babel, enrolment=enrolment)
    batch = services.payment_batch_create(user=personas.prov_babel, cycle=cycle)
    header, rows = services.payment_batch_rows(batch=batch)
    assert header == ["reference", "nik", "name", "amount"]
    assert sorted(row[2] for row in rows) == ["Ani Lestari", "Budi Santoso"]
    assert {row[3] for row in rows} == {AMOUNT}
    result = tmp_path / "result.csv"
    result.write_text(
        "reference,status,reason\n"
        f"{ani.payment.reference},paid,\n"
        f"{budi.payment.reference},failed,account closed\n"
    )
    assert services.payment_results_import(user=personas.prov_babel, batch=batch, path=result) == {
        "changed": 2,
        "unchanged": 0,
    }
    ani.refresh_from_db(), budi.refresh_from_db(), batch.refresh_from_db()
    assert (ani.status, budi.status) == (Enrolment.Status.PAID, Enrolment.Status.FAILED)
    assert budi.payment.failure_reason == "account closed"
    assert batch.status == PaymentBatch.Status.SETTLED
    again = services.payment_results_import(user=personas.prov_babel, batch=batch, path=result)
    assert again == {"changed": 0, "unchanged": 2}


@pytest.mark.django_db
def test_a_bank_file_with_an_unknown_reference_changes_nothing(personas, applicants, tmp_path):
    cycle = bpum(personas).cycles.get()
    [ani] = verified(personas, cycle, [applicants["ani"]])
    services.enrolment_approve(user=personas.prov_babel, enrolment=ani)
    batch = services.payment_batch_create(user=personas.prov_babel, cycle=cycle)
    result = tmp_path / "result.csv"
    result.write_text(f"reference,status\n{ani.payment.reference},paid\nP9-C9-E9,paid\n")
    with pytest.raises(ValidationError, match="3"):
        services.payment_results_import(user=personas.prov_babel, batch=batch, path=result)
    ani.payment.refresh_from_db()
    assert ani.payment.status == Payment.Status.SENT
    missing = tmp_path / "tanpa-kolom.csv"
    missing.write_text("nomor,hasil\n1,paid\n")
    with pytest.raises(ValidationError):
        services.payment_results_import(user=personas.prov_babel, batch=batch, path=missing)


@pytest.mark.django_db
def test_merging_two_paid_entities_raises_an_integrity_alert(personas, applicants):
    cycle = bpum(personas).cycles.get()
    hadi, again = verified(personas, cycle, [applicants["hadi"], applicants["hadi_belitung"]])
    assert hadi.entity_id != again.entity_id  # not yet known to be one person
    for enrolment in (hadi, again):
        services.enrolment_approve(user=personas.prov_babel, enrolment=enrolment)
    joined(applicants["hadi"], applicants["hadi_belitung"], personas.prov_babel)
    alert = IntegrityAlert.objects.get()
    assert sorted(p.enrolment_id for p in alert.payments.all()) == sorted([hadi.pk, again.pk])
    payments = Payment.objects.order_by("pk")
    assert [p.duplicate for p in payments] == [False, True]
    assert (
        len({p.entity_id for p in payments})
        == 1
        == len(set(Enrolment.objects.values_list("entity_id", flat=True)))
    )


@pytest.mark.django_db
def test_only_province_and_central_officers_approve_and_send(personas, applicants):
    cycle = bpum(personas).cycles.get()
    [ani] = verified(personas, cycle, [applicants["ani"]])
    with pytest.raises(PermissionDenied):
        services.enrolment_approve(user=personas.kab_bangka, enrolment=ani)
    with pytest.raises(PermissionDenied):
        services.payment_batch_create(user=personas.kab_bangka, cycle=cycle)


@pytest.mark.django_db
def test_a_batch_holds_only_the_payments_of_the_officers_area(personas, applicants, prov_jateng):
    cycle = bpum(personas).cycles.get()
    [ani] = verified(personas, cycle, [applicants["ani"]])
    services.enrolment_approve(user=personas.prov_babel, enrolment=ani)
    with pytest.raises(ValidationError):
        services.payment_batch_create(user=prov_jateng, cycle=cycle)


@pytest.mark.django_db
def test_province_officers_create_programmes_only_for_their_province(personas):
    with pytest.raises(ValidationError):
        services.programme_create(
            user=personas.prov_babel,
            name="X",
            agency="Y",
            kind="cash",
            amount=1,
            rules=[],
            province_code="33",
        )
    own = services.programme_create(
        user=personas.prov_babel,
        name="Bantuan Babel",
        agency="Dinas KUKM",
        kind="cash",
        amount=1_000_000,
        rules=[],
    )
    assert own.province_code == "19" and own.cycles.count() == 1
    with pytest.raises(PermissionDenied):
        services.programme_create(
            user=personas.kab_bangka, name="X", agency="Y", kind="cash", amount=1, rules=[]
        )


@pytest.mark.skipif(connection.vendor != "postgresql", reason="concurrency needs PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_concurrent_approvals_cannot_pay_twice(personas, applicants):
    """Eight officers approve the two records of one person at the same moment."""
    joined(applicants["hadi"], applicants["hadi_belitung"], personas.prov_babel)
    cycle = bpum(personas).cycles.get()
    enrolments = verified(personas, cycle, [applicants["hadi"], applicants["hadi_belitung"]])
    start = threading.Barrier(8)
    outcomes = []

    def approve(enrolment):
        try:
            start.wait()
            services.enrolment_approve(user=personas.prov_babel, enrolment=enrolment)
            outcomes.append("approved")
        except ValidationError:
            outcomes.append("refused")
        finally:
            close_old_connections()
            connection.close()

    threads = [threading.Thread(target=approve, args=(enrolments[i % 2],)) for i in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert outcomes.count("approved") == 1
    assert outcomes.count("refused") == 7
    assert Payment.objects.filter(entity_id=enrolments[0].entity_id).count() == 1


@pytest.mark.django_db
def test_an_unmerged_record_takes_its_payment_with_it(personas, applicants):
    joined(applicants["hadi"], applicants["hadi_belitung"], personas.prov_babel)
    cycle = bpum(personas).cycles.get()
    hadi, again = verified(personas, cycle, [applicants["hadi"], applicants["hadi_belitung"]])
    services.enrolment_approve(user=personas.prov_babel, enrolment=again)
    dedup.entity_unmerge(
        user=personas.prov_babel,
        entity=again.entity,
        person=applicants["hadi_belitung"],
        note="orang lain",
    )
    again.refresh_from_db(), hadi.refresh_from_db()
    assert again.entity_id != hadi.entity_id
    assert again.payment.entity_id == again.entity_id
    # Now two people: the Bangka record may be paid too.
    services.enrolment_approve(user=personas.prov_babel, enrolment=hadi)


@pytest.mark.django_db
def test_approving_many_pays_each_person_once_and_names_the_refused(personas, applicants):
    joined(applicants["hadi"], applicants["hadi_belitung"], personas.prov_babel)
    cycle = bpum(personas).cycles.get()
    people = [applicants["ani"], applicants["hadi"], applicants["hadi_belitung"]]
    ani, hadi, again = verified(personas, cycle, people)
    result = services.enrolments_approve(user=personas.prov_babel, enrolments=[ani, hadi, again])
    assert result["approved"] == 2
    assert list(result["refused"]) == [again.pk]
    assert Payment.objects.count() == 2
    assert services.enrolments_approve(user=personas.prov_babel, enrolments=[ani]) == {
        "approved": 0,
        "refused": {ani.pk: str(services.NOT_VERIFIED)},
    }


@pytest.mark.skipif(connection.vendor != "postgresql", reason="concurrency needs PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_concurrent_bulk_approvals_cannot_pay_twice(personas, applicants):
    """Four officers approve overlapping selections, one person's two records among them,
    at the same moment."""
    joined(applicants["hadi"], applicants["hadi_belitung"], personas.prov_babel)
    cycle = bpum(personas).cycles.get()
    people = [applicants["ani"], applicants["hadi"], applicants["hadi_belitung"]]
    enrolments = verified(personas, cycle, people)
    start = threading.Barrier(4)
    approved, errors = [], []

    def approve(selection):
        try:
            start.wait()
            result = services.enrolments_approve(user=personas.prov_babel, enrolments=selection)
            approved.append(result["approved"])
        except Exception as error:  # a deadlock or any failure is the test's to report
            errors.append(error)
        finally:
            close_old_connections()
            connection.close()

    selections = [enrolments, enrolments[::-1], enrolments[1:], enrolments[:2]]
    threads = [threading.Thread(target=approve, args=(s,)) for s in selections]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert sum(approved) == 2
    assert Payment.objects.count() == 2
    assert Payment.objects.values("entity").distinct().count() == 2
