"""The pages of aid programmes: programmes and their reports, enrolments from candidate to
approved, payment batches, external lists and referrals.

Who may see what: pusat, prov-babel and kab-bangka work here (prov-babel in province 19,
kab-bangka in regency 19.01 only); prov-jateng (province 33) finds none of Bangka
Belitung's programme, enrolments, batches or lists; the curator finds no page at all.
The programme below is Bangka Belitung's own, with three rules; the `applicants` of
tests/programs/conftest.py are all eligible but gita (a small business), and hadi is
recorded twice.
"""

import pytest
from django.conf import settings
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from pulih.core import formats
from pulih.core.models import AccessLog
from pulih.dedup import services as dedup
from pulih.dedup.models import MatchPair
from pulih.programs import eligibility, lists, selectors, services
from pulih.programs.models import Enrolment, ExternalList, ListEntry, Payment, Programme, Referral
from pulih.programs.rules import AUDIT_CATEGORY, BPUM_RULES, RULES

pytestmark = pytest.mark.django_db

AMOUNT = 2_400_000
RULE_CODES = ["nik_valid", "micro_business", "not_paid_in_programme"]
KEMENSOS = (
    "No,NIK,Nama Penerima,Tanggal Lahir\n"
    "1,1901014101800001,Ani Lestari,01-01-1980\n"
    "2,1901010202810001,Budi Santoso,02-02-1981\n"
    "3,1901010808870001,Hadi Wijaya,08-08-1987\n"
    "4,1901015001900001,Sri Wahyuni,10-01-1990\n"
)


def said(response):
    """The messages waiting to be shown after `response` (with any not shown before)."""
    return [str(message) for message in get_messages(response.wsgi_request)]


def upload(name, text):
    return SimpleUploadedFile(name, text.encode(), content_type="text/csv")


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


@pytest.fixture
def programme(personas):
    return services.programme_create(
        user=personas.prov_babel,
        name="Bantuan Produktif Babel",
        agency="Dinas KUKM Kepulauan Bangka Belitung",
        kind=Programme.Kind.CASH,
        amount=AMOUNT,
        rules=RULE_CODES,
    )


@pytest.fixture
def cycle(programme):
    return programme.cycles.get()


@pytest.fixture
def evaluated(personas, applicants, programme, cycle):
    """Every applicant enrolled and checked by the province."""
    services.candidates_enrol(user=personas.prov_babel, cycle=cycle)
    eligibility.evaluate(enrolments=Enrolment.objects.filter(cycle=cycle))
    return {e.person_id: e for e in Enrolment.objects.filter(cycle=cycle)}


def enrolment_of(evaluated, person):
    return Enrolment.objects.get(pk=evaluated[person.pk].pk)


@pytest.fixture
def batch(personas, applicants, evaluated, cycle):
    """Ani verified, approved and sent to the bank."""
    ani = enrolment_of(evaluated, applicants["ani"])
    services.enrolments_verify(user=personas.kab_bangka, enrolments=[ani])
    services.enrolment_approve(user=personas.prov_babel, enrolment=ani)
    return services.payment_batch_create(user=personas.prov_babel, cycle=cycle)


@pytest.fixture
def kemensos(tmp_path, personas, applicants):
    path = tmp_path / "kemensos.csv"
    path.write_text(KEMENSOS)
    return lists.list_import(
        user=personas.prov_babel,
        kind=ExternalList.Kind.SOCIAL_AID,
        path=path,
        filename=path.name,
        name="DTKS Kemensos Babel",
    )


def object_pages(programme, cycle, enrolment, batch, kemensos):
    at = (programme.pk, cycle.number)
    return [
        reverse("programs:programme_detail", args=[programme.pk]),
        reverse("programs:enrolment_list", args=at),
        reverse("programs:enrolment_detail", args=[enrolment.pk]),
        reverse("programs:batch_list", args=at),
        reverse("programs:batch_download", args=[*at, batch.pk]),
        reverse("programs:list_detail", args=[kemensos.pk]),
        reverse("programs:list_export", args=[kemensos.pk, "overlap", "csv"]),
    ]


def test_every_page_opens_for_the_province_officer(
    personas, applicants, programme, cycle, evaluated, batch, kemensos, login
):
    client = login(personas.prov_babel)
    ani = enrolment_of(evaluated, applicants["ani"])
    pages = [
        reverse("programs:programme_list"),
        reverse("programs:alert_list"),
        reverse("programs:list_list"),
        reverse("programs:referral_page"),
        *object_pages(programme, cycle, ani, batch, kemensos),
    ]
    for url in pages:
        assert client.get(url).status_code == 200, url


def test_another_provinces_officer_finds_none_of_babels_objects(
    personas, applicants, programme, cycle, evaluated, batch, kemensos, prov_jateng, login
):
    client = login(prov_jateng)
    ani = enrolment_of(evaluated, applicants["ani"])
    for url in object_pages(programme, cycle, ani, batch, kemensos):
        assert client.get(url).status_code == 404, url
    at = (programme.pk, cycle.number)
    for name in ("cycle_enrol", "cycle_evaluate", "enrolments_act", "batch_list"):
        assert client.post(reverse(f"programs:{name}", args=at)).status_code == 404, name
    results = reverse("programs:batch_results", args=[*at, batch.pk])
    assert (
        client.post(results, {"file": upload("hasil.csv", "referensi,status\n")}).status_code == 404
    )
    assert Enrolment.objects.filter(cycle=cycle).count() == len(applicants)
    assert Payment.objects.get().batch == batch
    served = reverse("programs:list_served", args=[kemensos.pk])
    assert client.post(served).status_code == 404
    assert not ListEntry.objects.filter(served_marked_at__isnull=False).exists()
    assert list(client.get(reverse("programs:programme_list")).context["page"]) == []
    assert list(client.get(reverse("programs:list_list")).context["page"]) == []


def test_the_curator_finds_no_programme_page(
    personas, applicants, programme, cycle, evaluated, batch, kemensos, login
):
    client = login(personas.kurator)
    ani = enrolment_of(evaluated, applicants["ani"])
    pages = [
        reverse("programs:programme_list"),
        reverse("programs:alert_list"),
        reverse("programs:list_list"),
        reverse("programs:referral_page"),
        *object_pages(programme, cycle, ani, batch, kemensos),
    ]
    for url in pages:
        assert client.get(url).status_code == 404, url


def test_the_create_form_offers_every_rule_in_words_with_bpums_ticked(personas, login):
    response = login(personas.prov_babel).get(reverse("programs:programme_list"))
    form = response.context["form"]
    assert form["rules"].initial == BPUM_RULES
    assert "province_code" not in form.fields  # a province creates its own province's
    content = response.content.decode()
    for rule in RULES.values():
        assert str(rule.text) in content


def test_a_province_officer_creates_a_programme_from_the_page(personas, login):
    response = login(personas.prov_babel).post(
        reverse("programs:programme_list"),
        {
            "name": "BPUM Babel",
            "agency": "Kemenkop UKM",
            "kind": "cash",
            "amount": "2400000",
            "cycles": "2",
            "rules": ["micro_business", "nik_valid"],
        },
    )
    programme = Programme.objects.get(name="BPUM Babel")
    assert response.status_code == 302
    assert response.url == reverse("programs:programme_detail", args=[programme.pk])
    assert programme.province_code == "19"
    assert programme.amount == AMOUNT
    assert programme.rules == ["nik_valid", "micro_business"]  # in the rules' own order
    assert list(programme.cycles.values_list("number", flat=True)) == [1, 2]


def test_a_programme_form_with_a_negative_amount_is_refused_and_kept(personas, login):
    response = login(personas.prov_babel).post(
        reverse("programs:programme_list"),
        {"name": "BPUM Babel", "agency": "Kemenkop UKM", "kind": "cash", "amount": "-5"},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["amount"]
    assert 'value="BPUM Babel"' in response.content.decode()  # what was typed stays
    assert not Programme.objects.exists()


def test_the_centre_chooses_the_programmes_area(personas, login):
    login(personas.pusat).post(
        reverse("programs:programme_list"),
        {"name": "BPUM", "agency": "Kemenkop UKM", "kind": "cash", "amount": "2400000"}
        | {"cycles": "1", "rules": BPUM_RULES, "province_code": ""},
    )
    assert Programme.objects.get(name="BPUM").province_code == ""


def test_regency_officers_see_programmes_but_create_none(personas, programme, login):
    client = login(personas.kab_bangka)
    response = client.get(reverse("programs:programme_list"))
    assert response.context["form"] is None
    assert list(response.context["page"]) == [programme]
    assert client.post(reverse("programs:programme_list"), {"name": "X"}).status_code == 404
    assert Programme.objects.count() == 1


def test_enrol_evaluate_verify_and_approve_from_the_pages(
    personas, applicants, programme, cycle, login
):
    at = (programme.pk, cycle.number)
    province = login(personas.prov_babel)
    response = province.post(reverse("programs:cycle_enrol", args=at))
    assert response.url == reverse("programs:programme_detail", args=[programme.pk])
    assert Enrolment.objects.filter(cycle=cycle).count() == len(applicants)
    province.post(reverse("programs:cycle_evaluate", args=at))
    statuses = dict(Enrolment.objects.values_list("person__name", "status"))
    assert statuses["Gita Permata"] == Enrolment.Status.INELIGIBLE
    assert statuses["Ani Lestari"] == Enrolment.Status.ELIGIBLE

    regency = login(personas.kab_bangka)
    eligible = regency.get(reverse("programs:enrolment_list", args=at), {"status": "eligible"})
    shown = {e.person.name: e for e in eligible.context["page"]}
    assert "H. Hadi Wijaya" not in shown  # Belitung's, outside kab-bangka's area
    assert "Gita Permata" not in shown
    ani = shown["Ani Lestari"]
    response = regency.post(
        reverse("programs:enrolments_act", args=at),
        {"action": "verify", "enrolment": [ani.pk], "status": "eligible"},
    )
    assert response.url.endswith("?status=eligible")
    ani.refresh_from_db()
    assert ani.status == Enrolment.Status.VERIFIED
    listed = regency.get(reverse("programs:enrolment_list", args=at)).content.decode()
    assert 'data-action="verify"' in listed and 'data-action="approve"' not in listed

    province = login(personas.prov_babel)
    province.post(
        reverse("programs:enrolments_act", args=at), {"action": "approve", "enrolment": [ani.pk]}
    )
    ani.refresh_from_db()
    assert ani.status == Enrolment.Status.APPROVED
    assert ani.payment.amount == AMOUNT


def test_an_enrolment_that_is_not_eligible_is_not_verified(
    personas, applicants, programme, cycle, evaluated, login
):
    gita = enrolment_of(evaluated, applicants["gita"])
    response = login(personas.prov_babel).post(
        reverse("programs:enrolments_act", args=[programme.pk, cycle.number]),
        {"action": "verify", "enrolment": [gita.pk]},
    )
    with translation.override("id"):
        assert said(response) == [str(services.NOT_ELIGIBLE)]
    gita.refresh_from_db()
    assert gita.status == Enrolment.Status.INELIGIBLE


def test_the_second_record_of_one_entity_is_refused_with_a_message(
    personas, applicants, programme, cycle, login
):
    joined(applicants["hadi"], applicants["hadi_belitung"], personas.prov_babel)
    at = (programme.pk, cycle.number)
    client = login(personas.prov_babel)
    client.post(reverse("programs:cycle_enrol", args=at))
    client.post(reverse("programs:cycle_evaluate", args=at))
    hadis = list(Enrolment.objects.filter(person__nik="1901010808870001").order_by("person_id"))
    ids = [e.pk for e in hadis]
    client.post(reverse("programs:enrolments_act", args=at), {"action": "verify", "enrolment": ids})
    response = client.post(
        reverse("programs:enrolments_act", args=at), {"action": "approve", "enrolment": ids}
    )
    refusals = [m for m in said(response) if "H. Hadi Wijaya" in m]
    with translation.override("id"):
        assert len(refusals) == 1 and str(services.ALREADY_PAID) in refusals[0]
    assert Payment.objects.filter(entity_id=hadis[0].entity_id).count() == 1
    assert [e.status for e in Enrolment.objects.filter(pk__in=ids).order_by("person_id")] == [
        Enrolment.Status.APPROVED,
        Enrolment.Status.VERIFIED,
    ]


def test_the_report_shows_the_reasons_and_the_rupiah_blocked(
    personas, applicants, programme, cycle, evaluated, login
):
    joined(applicants["hadi"], applicants["hadi_belitung"], personas.prov_babel)
    hadi, again = (enrolment_of(evaluated, applicants[n]) for n in ("hadi", "hadi_belitung"))
    services.enrolments_verify(user=personas.prov_babel, enrolments=[hadi, again])
    services.enrolment_approve(user=personas.prov_babel, enrolment=hadi)
    response = login(personas.prov_babel).get(
        reverse("programs:programme_detail", args=[programme.pk])
    )
    [report] = response.context["reports"]
    rows = {row["region"]: row for row in report["rows"]}
    # Bangka: gita, a small business; Belitung: hadi's second record, paid through Bangka.
    assert rows["19.01"]["rupiah_blocked"] == AMOUNT
    assert rows["19.02"]["rupiah_blocked"] == AMOUNT
    assert report["total"]["rupiah_blocked"] == 2 * AMOUNT
    category = str(AUDIT_CATEGORY["micro_business"])
    assert rows["19.01"]["reason_counts"][report["categories"].index(category)] == 1
    assert "BANGKA" in rows["19.01"]["name"].upper()
    with translation.override("id"):
        assert formats.rupiah(2 * AMOUNT) in response.content.decode()


def test_the_centre_reads_the_report_per_province(
    personas, applicants, programme, evaluated, login
):
    response = login(personas.pusat).get(reverse("programs:programme_detail", args=[programme.pk]))
    [report] = response.context["reports"]
    assert [row["region"] for row in report["rows"]] == ["19"]
    assert report["rows"][0]["candidates"] == len(applicants)


def test_the_enrolment_page_explains_each_rule_in_words_and_logs_the_view(
    personas, applicants, evaluated, login
):
    gita = enrolment_of(evaluated, applicants["gita"])
    response = login(personas.kab_bangka).get(reverse("programs:enrolment_detail", args=[gita.pk]))
    verdicts = {rule.code: passed for rule, passed in response.context["explanation"]}
    assert verdicts == {"nik_valid": True, "micro_business": False, "not_paid_in_programme": True}
    content = response.content.decode()
    assert str(RULES["micro_business"].text) in content
    assert "✗" in content and "✓" in content
    assert AccessLog.objects.filter(
        user=personas.kab_bangka, object_type="registry.person", object_id=str(gita.person_id)
    ).exists()


def test_the_enrolment_list_masks_niks_for_roles_that_may_not_see_them(
    personas, programme, cycle, evaluated, login, monkeypatch
):
    from pulih.accounts.models import User

    monkeypatch.setattr(User, "sees_personal_data", property(lambda user: False))
    response = login(personas.prov_babel).get(
        reverse("programs:enrolment_list", args=[programme.pk, cycle.number])
    )
    content = response.content.decode()
    assert "1901014101800001" not in content
    assert "1901********0001" in content


def test_a_batch_is_sent_to_the_bank_and_closed_by_its_results(
    personas, applicants, programme, cycle, evaluated, login
):
    ani = enrolment_of(evaluated, applicants["ani"])
    services.enrolments_verify(user=personas.kab_bangka, enrolments=[ani])
    services.enrolment_approve(user=personas.prov_babel, enrolment=ani)
    at = (programme.pk, cycle.number)
    client = login(personas.prov_babel)
    client.post(reverse("programs:batch_list", args=at))
    [batch] = selectors.batch_list(user=personas.prov_babel, cycle=cycle)
    bank_file = client.get(reverse("programs:batch_download", args=[*at, batch.pk]))
    text = b"".join(bank_file.streaming_content).decode("utf-8-sig")
    reference = Payment.objects.get().reference
    assert text.splitlines()[0] == "reference,nik,name,amount"
    assert f"{reference},1901014101800001,Ani Lestari,{AMOUNT}" in text

    results = reverse("programs:batch_results", args=[*at, batch.pk])
    wrong = client.post(results, {"file": upload("hasil.csv", "referensi,status\nP9-C9-E9,paid\n")})
    with translation.override("id"):
        expected = str(services.RESULT_ROWS_REFUSED % {"rows": "2"})
    assert expected in said(wrong)
    client.post(results, {"file": upload("hasil.csv", f"referensi,status\n{reference},berhasil\n")})
    ani.refresh_from_db()
    assert ani.status == Enrolment.Status.PAID
    again = client.post(reverse("programs:batch_list", args=at))
    with translation.override("id"):
        assert str(services.NOTHING_TO_SEND) in said(again)


def test_regency_officers_do_not_send_payments(personas, programme, cycle, batch, login):
    client = login(personas.kab_bangka)
    at = (programme.pk, cycle.number)
    assert client.get(reverse("programs:batch_list", args=at)).status_code == 404
    assert client.get(reverse("programs:batch_download", args=[*at, batch.pk])).status_code == 404
    assert client.get(reverse("programs:alert_list")).status_code == 404


def test_an_integrity_alert_is_listed_for_its_province_only(
    personas, applicants, evaluated, prov_jateng, login
):
    hadi, again = (enrolment_of(evaluated, applicants[n]) for n in ("hadi", "hadi_belitung"))
    services.enrolments_verify(user=personas.prov_babel, enrolments=[hadi, again])
    for enrolment in (hadi, again):
        services.enrolment_approve(user=personas.prov_babel, enrolment=enrolment)
    joined(applicants["hadi"], applicants["hadi_belitung"], personas.prov_babel)
    alerts = login(personas.prov_babel).get(reverse("programs:alert_list")).context["page"]
    assert len(list(alerts)) == 1
    assert list(login(prov_jateng).get(reverse("programs:alert_list")).context["page"]) == []


def test_an_uploaded_list_is_matched_and_cross_checked(personas, applicants, login):
    client = login(personas.prov_babel)
    response = client.post(
        reverse("programs:list_list"),
        {"kind": "social_aid", "name": "DTKS Babel", "file": upload("dtks.csv", KEMENSOS)},
    )
    lst = ExternalList.objects.get()
    assert response.url == reverse("programs:list_detail", args=[lst.pk])
    page = client.get(response.url)
    assert page.context["summary"]["by_nik"] == 3
    counts = {part["part"]: part["count"] for part in page.context["parts"]}
    # Hadi's two records share the NIK on the list: both are in the overlap.
    assert counts == {"overlap": 4, "only_registry": len(applicants) - 4, "only_list": 1}
    assert page.context["outside_scope"] == 0
    export = client.get(reverse("programs:list_export", args=[lst.pk, "overlap", "csv"]))
    assert "Ani Lestari" in b"".join(export.streaming_content).decode("utf-8-sig")

    belitung = login(personas.kab_belitung).get(reverse("programs:list_detail", args=[lst.pk]))
    counts = {part["part"]: part["count"] for part in belitung.context["parts"]}
    assert counts["overlap"] == 1  # H. Hadi Wijaya
    assert belitung.context["outside_scope"] == 2  # ani and budi, counted only
    assert "Ani Lestari" not in belitung.content.decode()


def test_a_list_without_a_nik_column_is_refused_in_the_page_language(personas, login):
    client = login(personas.prov_babel)
    response = client.post(
        reverse("programs:list_list"),
        {"kind": "kur", "name": "KUR", "file": upload("kur.csv", "Nama,Alamat\nAni,Sungailiat\n")},
    )
    assert response.status_code == 200
    assert not ExternalList.objects.exists()
    [error] = response.context["form"].errors["file"]
    assert error.startswith("Kolom NIK tidak ditemukan")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.post(
        reverse("programs:list_list"),
        {"kind": "kur", "name": "KUR", "file": upload("kur.csv", "Nama,Alamat\nAni,Sungailiat\n")},
    )
    [error] = response.context["form"].errors["file"]
    assert error.startswith("No NIK column found")


def test_the_overlap_with_a_social_aid_list_is_marked_served(personas, kemensos, login):
    client = login(personas.prov_babel)
    page = client.get(reverse("programs:list_detail", args=[kemensos.pk]))
    assert page.context["may_mark"]
    served = reverse("programs:list_served", args=[kemensos.pk])
    assert client.post(served).status_code == 302
    marked = ListEntry.objects.filter(served_marked_at__isnull=False)
    assert sorted(marked.values_list("name", flat=True)) == [
        "Ani Lestari",
        "Budi Santoso",
        "Hadi Wijaya",
    ]
    assert all(entry.served_marked_by == personas.prov_babel for entry in marked)
    again = client.post(served)
    assert any(message.startswith("0 ") for message in said(again))
    assert marked.count() == 3


def test_only_a_social_aid_list_is_marked_served(personas, applicants, tmp_path, login):
    path = tmp_path / "kur.csv"
    path.write_text(KEMENSOS)
    kur = lists.list_import(
        user=personas.prov_babel, kind="kur", path=path, filename=path.name, name="KUR"
    )
    client = login(personas.prov_babel)
    assert not client.get(reverse("programs:list_detail", args=[kur.pk])).context["may_mark"]
    response = client.post(reverse("programs:list_served", args=[kur.pk]))
    with translation.override("id"):
        assert said(response) == [str(lists.NOT_SOCIAL_AID)]
    assert not ListEntry.objects.filter(served_marked_at__isnull=False).exists()


def test_the_ineligible_are_referred_from_the_enrolment_list_and_counted(
    personas, applicants, programme, cycle, evaluated, login
):
    at = (programme.pk, cycle.number)
    client = login(personas.kab_bangka)
    ineligible = client.get(reverse("programs:enrolment_list", args=at), {"status": "ineligible"})
    [gita] = ineligible.context["page"]
    client.post(
        reverse("programs:enrolments_act", args=at),
        {"action": "refer_prakerja", "enrolment": [gita.pk]},
    )
    referral = Referral.objects.get()
    assert (referral.person, referral.target) == (applicants["gita"], "prakerja")

    page = client.get(reverse("programs:referral_page"))
    prakerja = next(t for t in page.context["tables"] if t["target"] == "prakerja")
    assert {s["status"]: s["current"] for s in prakerja["steps"]}["referred"] == 1

    response = client.post(
        reverse("programs:referral_page"),
        {
            "target": "prakerja",
            "file": upload("prakerja.csv", "NIK,Status\n1901024707860001,lolos\n"),
        },
    )
    assert response.context["report"]["updated"] == 1
    prakerja = next(t for t in response.context["tables"] if t["target"] == "prakerja")
    reached = {s["status"]: s["reached"] for s in prakerja["steps"]}
    assert (reached["referred"], reached["registered"], reached["passed"]) == (1, 1, 1)
