"""Curation (kurasi): the province hands declarations to a curator organisation; the
curator checks each against the versioned checklist of its product; the outcome is
curated, needs improvement or rejected; after improvement the same curator checks again,
and every check stays in the history.

Who may see what: kurator (Karya Nusantara) sees only the declarations assigned to its
organisation; other_curator (another curator organisation) sees none of them; the seller
umkm-masker sees its own declaration's history; prov-jateng finds none of Bangka's.
"""

from decimal import Decimal

import pytest
from django.contrib.messages import get_messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from pulih.production import selectors, services
from pulih.production.models import Checklist, Curation, CurationResult, Declaration, ProductType

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media")]
Status = Declaration.Status
Outcome = Curation.Outcome
ALCOHOL = "Kadar alkohol (etanol) menurut uji atau sertifikat bahan"
SEAMS = "Jahitan rapi, tidak berlubang"
LABEL = "Label: jenis kain, jumlah lapis, petunjuk cuci"


def checklist_of(code):
    return services.checklist_current(ProductType.objects.get(code=code))


def flashed(response):
    return [str(m) for m in get_messages(response.wsgi_request)]


@pytest.fixture
def sanitizer(personas, make_producer):
    """A hand-sanitizer maker of Bangka, assigned to Karya Nusantara."""
    declaration = make_producer("19.01.02", "hand-sanitizer", status=Status.DECLARED)
    services.declarations_assign(
        user=personas.pusat, declarations=[declaration], curator=personas.kurator.organisation
    )
    declaration.refresh_from_db()
    return declaration


def curate(personas, declaration, results, **kwargs):
    return services.curation_record(
        user=personas.kurator, declaration=declaration, results=results, **kwargs
    )


# Assignment -----------------------------------------------------------------------------


def test_the_province_assigns_declarations_to_a_curator_from_the_list(
    personas, sehati, make_producer, login
):
    other = make_producer("19.02.01", "masker-kain", status=Status.DECLARED)
    client = login(personas.prov_babel)
    response = client.post(
        reverse("production:declarations_assign"),
        {
            "declaration": [sehati.pk, other.pk],
            "curator": personas.kurator.organisation_id,
            "next": reverse("production:declaration_list") + "?status=declared",
        },
    )
    assert response.status_code == 302
    assert response.url == reverse("production:declaration_list") + "?status=declared"
    for declaration in (sehati, other):
        declaration.refresh_from_db()
        assert declaration.status == Status.IN_CURATION
        assert declaration.curator == personas.kurator.organisation


def test_assigning_a_curated_declaration_refuses_the_whole_request(personas, sehati, make_producer):
    curated = make_producer("19.01.02", "masker-kain")
    with pytest.raises(ValidationError) as refused:
        services.declarations_assign(
            user=personas.prov_babel,
            declarations=[sehati, curated],
            curator=personas.kurator.organisation,
        )
    assert refused.value.messages == [
        str(services.NOT_ASSIGNABLE % {"names": curated.business.name})
    ]
    sehati.refresh_from_db()
    assert (sehati.status, sehati.curator) == (Status.DECLARED, None)


def test_only_a_curator_organisation_is_assigned(personas, sehati):
    with pytest.raises(ValidationError) as refused:
        services.declarations_assign(
            user=personas.prov_babel,
            declarations=[sehati],
            curator=personas.pembeli_kf.organisation,
        )
    assert refused.value.message_dict == {"curator": [str(services.NOT_A_CURATOR)]}


def test_regency_officers_and_sellers_do_not_assign(personas, sehati, login):
    for user in (personas.kab_bangka, personas.umkm_masker):
        with pytest.raises(PermissionDenied):
            services.declarations_assign(
                user=user, declarations=[sehati], curator=personas.kurator.organisation
            )
        response = login(user).post(
            reverse("production:declarations_assign"),
            {"declaration": [sehati.pk], "curator": personas.kurator.organisation_id},
        )
        assert response.status_code == 404
    sehati.refresh_from_db()
    assert sehati.curator is None


def test_another_province_cannot_assign_bangkas_declaration(personas, sehati, prov_jateng, login):
    response = login(prov_jateng).post(
        reverse("production:declarations_assign"),
        {"declaration": [sehati.pk], "curator": personas.kurator.organisation_id},
    )
    assert response.status_code == 404
    sehati.refresh_from_db()
    assert sehati.curator is None


# Outcomes -------------------------------------------------------------------------------


def test_every_criterion_passed_curates(personas, assigned, answers):
    checklist = checklist_of("masker-kain")
    curation = curate(personas, assigned, answers(checklist))
    assigned.refresh_from_db()
    assert curation.outcome == Outcome.CURATED
    assert assigned.status == Status.CURATED
    assert curation.checklist == checklist
    assert curation.curator == personas.kurator.organisation
    assert curation.results.count() == checklist.criteria.count()


def test_a_failed_required_criterion_needs_improvement(personas, assigned, answers):
    curation = curate(personas, assigned, answers(checklist_of("masker-kain"), failed=[SEAMS]))
    assigned.refresh_from_db()
    assert assigned.status == Status.NEEDS_IMPROVEMENT
    assert curation.outcome == Outcome.NEEDS_IMPROVEMENT
    assert curation.reasons == SEAMS  # the failed criteria, when the curator gives none


def test_a_failed_optional_criterion_still_curates(personas, assigned, answers):
    curation = curate(personas, assigned, answers(checklist_of("masker-kain"), failed=[LABEL]))
    assert curation.outcome == Outcome.CURATED


@pytest.mark.parametrize(("alcohol", "outcome"), [("55", "needs_improvement"), ("70", "curated")])
def test_hand_sanitizer_needs_60_percent_alcohol(personas, sanitizer, answers, alcohol, outcome):
    checklist = checklist_of("hand-sanitizer")
    results = answers(checklist, values={ALCOHOL: alcohol})
    alcohol_id = checklist.criteria.get(text=ALCOHOL).pk
    results[alcohol_id]["passed"] = True  # the measured value decides, not this
    curation = curate(personas, sanitizer, results)
    assert curation.outcome == outcome
    measured = curation.results.get(criterion_id=alcohol_id)
    assert measured.value == Decimal(alcohol)
    assert measured.passed is (outcome == "curated")


def test_a_criterion_with_a_minimum_needs_its_value(personas, sanitizer, answers):
    checklist = checklist_of("hand-sanitizer")
    results = answers(checklist)
    results[checklist.criteria.get(text=ALCOHOL).pk] = {"passed": True, "note": "cukup"}
    with pytest.raises(ValidationError) as refused:
        curate(personas, sanitizer, results)
    assert refused.value.messages == [str(services.VALUE_MISSING % {"criterion": ALCOHOL})]
    assert not Curation.objects.exists()
    sanitizer.refresh_from_db()
    assert sanitizer.status == Status.IN_CURATION


def test_every_criterion_must_be_answered(personas, assigned, answers):
    checklist = checklist_of("masker-kain")
    results = answers(checklist)
    seams = checklist.criteria.get(text=SEAMS).pk
    results[seams] = {"passed": None}
    with pytest.raises(ValidationError) as refused:
        curate(personas, assigned, results)
    assert refused.value.messages == [str(services.CRITERION_UNANSWERED % {"criterion": SEAMS})]
    del results[seams]
    with pytest.raises(ValidationError):
        curate(personas, assigned, results)
    results[seams] = {"passed": True}
    results[999_999] = {"passed": True}
    with pytest.raises(ValidationError) as refused:
        curate(personas, assigned, results)
    assert refused.value.messages == [str(services.CRITERION_UNKNOWN)]
    assert not Curation.objects.exists()


def test_rejected_and_needs_improvement_need_reasons(personas, assigned, answers):
    results = answers(checklist_of("masker-kain"))
    for outcome in (Outcome.REJECTED, Outcome.NEEDS_IMPROVEMENT):
        with pytest.raises(ValidationError) as refused:
            curate(personas, assigned, results, outcome=outcome, reasons="  ")
        assert refused.value.message_dict == {"reasons": [str(services.REASONS_MISSING)]}
    curation = curate(
        personas, assigned, results, outcome=Outcome.REJECTED, reasons="Bukan usaha konveksi"
    )
    assigned.refresh_from_db()
    assert (assigned.status, curation.reasons) == (Status.REJECTED, "Bukan usaha konveksi")


def test_curated_is_refused_when_a_required_criterion_failed(personas, assigned, answers):
    results = answers(checklist_of("masker-kain"), failed=[SEAMS])
    with pytest.raises(ValidationError) as refused:
        curate(personas, assigned, results, outcome=Outcome.CURATED)
    assert refused.value.message_dict == {
        "outcome": [str(services.CURATED_REFUSED % {"criteria": SEAMS})]
    }
    assert not Curation.objects.exists()


def test_only_the_assigned_curator_records_and_only_while_awaiting(
    personas, sehati, assigned, other_curator, answers
):
    results = answers(checklist_of("masker-kain"))
    for user in (other_curator, personas.pusat, personas.umkm_masker):
        with pytest.raises(PermissionDenied):
            services.curation_record(user=user, declaration=assigned, results=results)
    curate(personas, assigned, results)
    assigned.refresh_from_db()
    with pytest.raises(ValidationError) as refused:
        curate(personas, assigned, results)
    assert refused.value.messages == [str(services.NOT_AWAITING)]
    assert Curation.objects.count() == 1


# History and versions -------------------------------------------------------------------


def test_recuration_after_improvement_keeps_the_history(personas, assigned, answers, login):
    checklist = checklist_of("masker-kain")
    first = curate(personas, assigned, answers(checklist, failed=[SEAMS]))
    assigned.refresh_from_db()
    with pytest.raises(PermissionDenied):  # the business says it improved, not the curator
        services.declaration_resubmit(user=personas.kurator, declaration=assigned)
    client = login(personas.umkm_masker)
    client.post(
        reverse("production:declaration_resubmit", args=[assigned.pk]),
        {"note": "Jahitan diperbaiki dengan mesin overlock"},
    )
    assigned.refresh_from_db()
    assert assigned.status == Status.IN_CURATION
    assert assigned.curator == personas.kurator.organisation
    second = curate(personas, assigned, answers(checklist))
    assigned.refresh_from_db()
    assert assigned.status == Status.CURATED
    history = list(selectors.curation_list(declaration=assigned))
    assert [c.outcome for c in history] == [Outcome.CURATED, Outcome.NEEDS_IMPROVEMENT]
    assert history == [second, first]
    first.refresh_from_db()
    assert first.outcome == Outcome.NEEDS_IMPROVEMENT  # never overwritten
    assert not first.results.get(criterion__text=SEAMS).passed
    page = client.get(reverse("production:declaration_detail", args=[assigned.pk]))
    content = page.content.decode()
    assert content.count('class="card curation"') == 2
    assert "Jahitan diperbaiki dengan mesin overlock" in content
    assert page.context["resubmissions"][0]["by"] == personas.umkm_masker


def test_resubmission_is_only_after_needs_improvement(personas, assigned, login):
    response = login(personas.umkm_masker).post(
        reverse("production:declaration_resubmit", args=[assigned.pk])
    )
    assert str(services.NOT_IMPROVABLE) in flashed(response)


def test_a_new_checklist_version_leaves_old_curations_on_theirs(
    personas, assigned, sanitizer, answers
):
    old = checklist_of("masker-kain")
    before = curate(personas, assigned, answers(old))
    new = services.checklist_revise(
        user=personas.pusat,
        product_type=old.product_type,
        standard="SNI 8914:2020 (revisi)",
        criteria=[
            ("Sekurang-kurangnya tiga lapis kain", 3, "lapis", True),
            ("Kain katun rapat", None, "", True),
        ],
    )
    old.refresh_from_db()
    assert (new.version, new.active, old.active) == (old.version + 1, True, False)
    assert checklist_of("masker-kain") == new
    before.refresh_from_db()
    assert before.checklist == old
    assert before.results.count() == old.criteria.count() == 6
    assert new.criteria.count() == 2
    assert [c.order for c in new.criteria.all()] == [1, 2]
    # The sanitizer's checklist is another product's and did not move.
    assert checklist_of("hand-sanitizer").version == 1


def test_a_curation_against_a_revised_checklist_is_refused(personas, assigned, answers):
    old = checklist_of("masker-kain")
    new = services.checklist_revise(
        user=personas.pusat,
        product_type=old.product_type,
        standard="SNI 8914:2020 (revisi)",
        criteria=[("Sekurang-kurangnya tiga lapis kain", 3, "lapis", True)],
    )
    with pytest.raises(ValidationError) as refused:
        curate(personas, assigned, answers(old), checklist=old)
    assert refused.value.message_dict == {
        "checklist": [str(services.CHECKLIST_REVISED % {"version": new.version})]
    }
    assert not Curation.objects.exists()
    curation = curate(personas, assigned, answers(new), checklist=new)
    assert curation.checklist == new


def test_the_curation_page_drawn_from_a_revised_checklist_asks_to_reload(personas, assigned, login):
    old = checklist_of("masker-kain")
    client = login(personas.kurator)
    url = reverse("production:curation_create", args=[assigned.pk])
    assert client.get(url).context["checklist"] == old
    new = services.checklist_revise(
        user=personas.pusat,
        product_type=old.product_type,
        standard="",
        criteria=[("Sekurang-kurangnya tiga lapis kain", 3, "lapis", True)],
    )
    response = client.post(url, curation_post(old))
    assert response.status_code == 302
    assert response.url == url
    assert str(services.CHECKLIST_REVISED % {"version": 2}) in flashed(response)
    assert not Curation.objects.exists()
    assert client.get(url).context["checklist"] == new


def test_only_central_officers_publish_a_checklist_version(personas, login):
    product_type = ProductType.objects.get(code="masker-kain")
    with pytest.raises(PermissionDenied):
        services.checklist_revise(
            user=personas.prov_babel,
            product_type=product_type,
            standard="",
            criteria=[("Dua lapis", None, "", True)],
        )
    url = reverse("production:checklist_create", args=["masker-kain"])
    assert login(personas.prov_babel).get(url).status_code == 404
    with pytest.raises(ValidationError) as refused:
        services.checklist_revise(
            user=personas.pusat, product_type=product_type, standard="", criteria=[]
        )
    assert refused.value.message_dict == {"criteria": [str(services.CHECKLIST_EMPTY)]}
    assert Checklist.objects.filter(product_type=product_type).count() == 1


def test_central_officer_publishes_a_version_from_the_page(personas, login):
    client = login(personas.pusat)
    url = reverse("production:checklist_create", args=["hand-sanitizer"])
    draft = client.get(url)
    assert draft.status_code == 200
    assert draft.context["formset"].initial[0]["text"] == ALCOHOL
    response = client.post(
        url,
        {
            "standard": "Pedoman Kemenkes 2020",
            "criteria-TOTAL_FORMS": 3,
            "criteria-INITIAL_FORMS": 0,
            "criteria-0-text": ALCOHOL,
            "criteria-0-minimum": "70",
            "criteria-0-value_unit": "%",
            "criteria-0-required": "on",
            "criteria-1-text": "Label lengkap",
            "criteria-1-required": "",
        },
    )
    checklist = checklist_of("hand-sanitizer")
    assert response.status_code == 302
    assert response.url == reverse("production:checklist_detail", args=[checklist.pk])
    assert checklist.version == 2
    assert [(c.text, c.minimum, c.required) for c in checklist.criteria.all()] == [
        (ALCOHOL, Decimal("70.00"), True),
        ("Label lengkap", None, False),
    ]
    listing = client.get(reverse("production:checklist_list"))
    assert listing.status_code == 200
    assert client.get(response.url).status_code == 200


# Pages and scope ------------------------------------------------------------------------


def curation_post(checklist, *, failed=(), values=None, **extra):
    data = {"checklist": checklist.pk, "outcome": "", "reasons": ""}
    for criterion in checklist.criteria.all():
        key = f"c{criterion.pk}"
        if criterion.minimum is not None:
            data[f"{key}_value"] = (values or {}).get(criterion.text, str(criterion.minimum))
        else:
            data[f"{key}_passed"] = "no" if criterion.text in failed else "yes"
        data[f"{key}_note"] = ""
    return {**data, **extra}


def test_the_curator_records_a_curation_with_evidence_on_the_page(personas, assigned, login, image):
    checklist = checklist_of("masker-kain")
    client = login(personas.kurator)
    url = reverse("production:curation_create", args=[assigned.pk])
    form = client.get(url)
    assert form.status_code == 200
    assert SEAMS in form.content.decode()
    seams = checklist.criteria.get(text=SEAMS).pk
    data = curation_post(checklist, failed=[SEAMS])
    data[f"c{seams}_note"] = "Jahitan tepi lepas"
    data[f"c{seams}_evidence"] = image("jahitan.png")
    response = client.post(url, data)
    assert response.status_code == 302
    assigned.refresh_from_db()
    assert assigned.status == Status.NEEDS_IMPROVEMENT
    result = CurationResult.objects.get(criterion_id=seams)
    assert (result.passed, result.note) == (False, "Jahitan tepi lepas")
    evidence = reverse("production:evidence_file", args=[assigned.pk, result.pk])
    detail = client.get(reverse("production:declaration_detail", args=[assigned.pk]))
    assert evidence in detail.content.decode()
    assert client.get(evidence)["Content-Type"] == "image/png"
    seller = login(personas.umkm_masker)
    assert seller.get(evidence).status_code == 200  # the seller sees why


def test_the_curation_page_shows_the_missing_value_and_writes_nothing(personas, sanitizer, login):
    checklist = checklist_of("hand-sanitizer")
    data = curation_post(checklist, values={ALCOHOL: ""})
    response = login(personas.kurator).post(
        reverse("production:curation_create", args=[sanitizer.pk]), data
    )
    assert response.status_code == 200
    assert str(services.VALUE_MISSING % {"criterion": ALCOHOL}) in response.content.decode()
    assert not Curation.objects.exists()


def test_a_curator_sees_only_assigned_declarations(
    personas, sehati, assigned, make_producer, other_curator, login, answers
):
    unassigned = make_producer("19.01.02", "masker-kain", status=Status.DECLARED)
    mine = login(personas.kurator).get(reverse("production:declaration_list"))
    assert [d.pk for d in mine.context["page"]] == [assigned.pk]
    curation = curate(personas, assigned, answers(checklist_of("masker-kain")))
    client = login(other_curator)
    assert list(client.get(reverse("production:declaration_list")).context["page"]) == []
    for declaration in (assigned, unassigned):
        for name in ("declaration_detail", "curation_create"):
            url = reverse(f"production:{name}", args=[declaration.pk])
            assert client.get(url).status_code == 404, url
    result = curation.results.first()
    assert (
        client.get(reverse("production:evidence_file", args=[assigned.pk, result.pk])).status_code
        == 404
    )
    post = client.post(
        reverse("production:curation_create", args=[assigned.pk]),
        curation_post(checklist_of("masker-kain")),
    )
    assert post.status_code == 404
    assert Curation.objects.count() == 1


def test_the_curator_queue_puts_declarations_awaiting_curation_first(
    personas, assigned, sanitizer, answers
):
    curate(personas, sanitizer, answers(checklist_of("hand-sanitizer")))
    later = services.declaration_create(
        user=personas.umkm_masker,
        business=assigned.business,
        product_type=ProductType.objects.get(code="masker-non-medis"),
        monthly_capacity=500,
    )
    services.declarations_assign(
        user=personas.pusat, declarations=[later], curator=personas.kurator.organisation
    )
    queue = list(selectors.declaration_list(user=personas.kurator))
    assert queue[:2] == [assigned, later]
    assert queue[2] == sanitizer


def test_no_curation_page_for_a_declaration_not_awaiting(personas, assigned, answers, login):
    curate(personas, assigned, answers(checklist_of("masker-kain")))
    response = login(personas.kurator).get(
        reverse("production:curation_create", args=[assigned.pk])
    )
    assert response.status_code == 302
    assert str(services.NOT_AWAITING) in flashed(response)


def test_prov_jateng_finds_no_curation_of_bangka(personas, assigned, answers, prov_jateng, login):
    curate(personas, assigned, answers(checklist_of("masker-kain")))
    client = login(prov_jateng)
    assert (
        client.get(reverse("production:declaration_detail", args=[assigned.pk])).status_code == 404
    )
    result = CurationResult.objects.first()
    url = reverse("production:evidence_file", args=[assigned.pk, result.pk])
    assert client.get(url).status_code == 404


def test_the_catalogue_is_configured_in_the_admin_and_used_versions_stay_as_they_are(
    personas, assigned, answers, client, django_user_model
):
    checklist = checklist_of("masker-kain")
    curate(personas, assigned, answers(checklist))
    admin = django_user_model.objects.create_superuser("admin-katalog", password="x")
    client.force_login(admin)
    for name in ("producttype", "material", "checklist"):
        assert client.get(reverse(f"admin:production_{name}_changelist")).status_code == 200
    page = client.get(reverse("admin:production_checklist_change", args=[checklist.pk]))
    assert page.status_code == 200
    assert page.context["inline_admin_formsets"][0].has_change_permission is False
    unused = checklist_of("hand-sanitizer")
    page = client.get(reverse("admin:production_checklist_change", args=[unused.pk]))
    assert page.context["inline_admin_formsets"][0].has_change_permission is True
