"""The programme report: what was asked, who was blocked and why, what was paid, and the
Rupiah that would have gone to ineligible or duplicate recipients."""

import pytest

from pulih.programs import services
from pulih.programs.eligibility import evaluate
from pulih.programs.models import Enrolment, ExternalList, Programme
from pulih.programs.rules import BPUM_RULES
from pulih.programs.selectors import programme_report

from .test_payments import AMOUNT, joined
from .test_rules import listed

pytestmark = pytest.mark.django_db
Kind = ExternalList.Kind


@pytest.fixture
def round_checked(personas, applicants):
    """A BPUM round over the planted applicants: lists imported, candidates evaluated,
    every eligible one verified and approved."""
    registered = [p for key, p in applicants.items() if key != "fajar"]
    listed(Kind.CIVIL_REGISTRY, *registered)
    listed(Kind.CIVIL_SERVANTS, applicants["budi"])
    listed(Kind.KUR, applicants["citra"])
    listed(Kind.BANK_CREDIT, applicants["dedi"])
    listed(Kind.DECEASED, applicants["eka"])
    joined(applicants["hadi"], applicants["hadi_belitung"], personas.prov_babel)
    programme = services.programme_create(
        user=personas.pusat,
        name="BPUM",
        agency="Kemenkop UKM",
        kind=Programme.Kind.CASH,
        amount=AMOUNT,
        rules=BPUM_RULES,
    )
    cycle = programme.cycles.get()
    services.candidates_enrol(user=personas.prov_babel, cycle=cycle)
    evaluate(enrolments=Enrolment.objects.filter(cycle=cycle))
    eligible = list(Enrolment.objects.filter(cycle=cycle, status=Enrolment.Status.ELIGIBLE))
    services.enrolments_verify(user=personas.prov_babel, enrolments=eligible)
    services.enrolments_approve(user=personas.prov_babel, enrolments=eligible)
    return programme, cycle


def test_report_counts_each_kind_of_blocked_applicant(personas, round_checked):
    programme, cycle = round_checked
    [bangka, belitung] = programme_report(user=personas.prov_babel, programme=programme)
    assert (bangka["region"], belitung["region"]) == ("19.01", "19.02")
    assert bangka["candidates"] == 8 and belitung["candidates"] == 1
    assert bangka["reasons"] == {
        "nik_in_civil_registry": 1,  # fajar
        "micro_business": 1,  # gita
        "not_civil_servant": 1,  # budi
        "no_kur": 1,  # citra
        "no_bank_credit": 1,  # dedi
        "not_deceased": 1,  # eka
    }
    assert bangka["ineligible"] == 6
    # ani and one of hadi's records are approved; the other record is the same person.
    approved = bangka["approved"] + belitung["approved"]
    duplicates = bangka["duplicates"] + belitung["duplicates"]
    assert (approved, duplicates) == (2, 1)
    blocked = bangka["rupiah_blocked"] + belitung["rupiah_blocked"]
    assert blocked == (6 + 1) * AMOUNT


def test_report_shows_rupiah_paid_after_the_bank_confirms(personas, round_checked, tmp_path):
    programme, cycle = round_checked
    batch = services.payment_batch_create(user=personas.prov_babel, cycle=cycle)
    result = tmp_path / "bank.csv"
    result.write_text(
        "reference,status\n" + "".join(f"{p.reference},paid\n" for p in batch.payments.all())
    )
    services.payment_results_import(user=personas.prov_babel, batch=batch, path=result)
    rows = programme_report(user=personas.prov_babel, programme=programme)
    assert sum(row["paid"] for row in rows) == 2
    assert sum(row["rupiah_paid"] for row in rows) == 2 * AMOUNT


def test_a_regency_sees_only_its_own_row(personas, round_checked, prov_jateng):
    programme, _ = round_checked
    [row] = programme_report(user=personas.kab_bangka, programme=programme)
    assert row["region"] == "19.01"
    assert programme_report(user=prov_jateng, programme=programme) == []
