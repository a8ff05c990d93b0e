"""What a declaration lets change, by where it is: everything while declared or needing
improvement; nothing while the curator has it; once curated only the business figures
(capacity, lead time, price, workers, equipment), not what was curated. A withdrawn or
rejected declaration is reopened rather than declared again.

Who may see what: umkm-masker (seller of Konveksi Sehati) changes and reopens its own
declarations; kab-bangka those of Bangka; another seller, prov-jateng and the curator
find nothing to reopen (404).
"""

import pytest
from django.contrib.messages import get_messages
from django.core.exceptions import ValidationError
from django.urls import reverse

from pulih.production import selectors, services
from pulih.production.models import Curation, Declaration, Material

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media")]
Status = Declaration.Status


def material(code):
    return Material.objects.get(code=code)


def flashed(response):
    return [str(m) for m in get_messages(response.wsgi_request)]


def refusal(call, **kwargs):
    with pytest.raises(ValidationError) as refused:
        call(**kwargs)
    return refused.value.messages


def figures_post(**fields):
    return {
        "monthly_capacity": 9000,
        "lead_time_days": 4,
        "unit_price": 3200,
        "workers": 15,
        "equipment": "8 mesin jahit",
        **fields,
    }


@pytest.fixture
def curated(personas, assigned, answers):
    """Konveksi Sehati's cloth masks, curated by Karya Nusantara, with cotton as material."""
    assigned.materials.create(material=material("kain-katun"), monthly_quantity=400)
    checklist = services.checklist_current(assigned.product_type)
    services.curation_record(
        user=personas.kurator, declaration=assigned, results=answers(checklist)
    )
    assigned.refresh_from_db()
    return assigned


# While the curator has it ---------------------------------------------------------------


def test_nothing_changes_while_the_curator_has_it(personas, assigned, image, login):
    seller = personas.umkm_masker
    messages = refusal(
        services.declaration_update,
        user=seller,
        declaration=assigned,
        monthly_capacity=100_000_000,
    )
    assert messages == [str(services.WITH_CURATOR)]
    messages = refusal(
        services.declaration_photo_add, user=seller, declaration=assigned, image=image()
    )
    assert messages == [str(services.WITH_CURATOR)]
    client = login(seller)
    url = reverse("production:declaration_update", args=[assigned.pk])
    for response in (client.get(url), client.post(url, figures_post(monthly_capacity=10**8))):
        assert response.status_code == 302
        assert str(services.WITH_CURATOR) in flashed(response)
    detail = client.get(reverse("production:declaration_detail", args=[assigned.pk]))
    assert not detail.context["may_edit"]
    assert 'id="photo-add"' not in detail.content.decode()
    assigned.refresh_from_db()
    assert assigned.monthly_capacity == 6000
    assert not assigned.photos.exists()


# Once curated ---------------------------------------------------------------------------


def test_a_curated_declaration_changes_only_its_business_figures(personas, curated):
    seller = personas.umkm_masker
    services.declaration_update(
        user=seller,
        declaration=curated,
        monthly_capacity=9000,
        lead_time_days=4,
        unit_price=3200,
        workers=15,
        equipment="8 mesin jahit",
        # sent back as they are: not a change
        description=curated.description,
        materials=[(material("kain-katun"), 400)],
    )
    curated.refresh_from_db()
    assert (curated.monthly_capacity, curated.unit_price, curated.status) == (
        9000,
        3200,
        Status.CURATED,
    )
    for change in (
        {"materials": [(material("kain-katun"), 400), (material("karet-elastis"), 50)]},
        {"materials": [(material("kain-katun"), 10)]},
        {"description": "Masker kain tiga lapis"},
    ):
        messages = refusal(
            services.declaration_update,
            user=seller,
            declaration=curated,
            monthly_capacity=1,
            **change,
        )
        assert messages == [str(services.CURATED_KEEPS)], change
    curated.refresh_from_db()
    assert curated.monthly_capacity == 9000
    assert [(m.material.code, m.monthly_quantity) for m in curated.materials.all()] == [
        ("kain-katun", 400)
    ]


def test_the_curated_declarations_page_offers_only_the_business_figures(
    personas, curated, image, login
):
    client = login(personas.umkm_masker)
    url = reverse("production:declaration_update", args=[curated.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert set(page.context["form"].fields) == set(services.BUSINESS_FIGURES)
    assert page.context["formset"] is None
    assert "materials-TOTAL_FORMS" not in page.content.decode()
    # A forged materials row or description is not read.
    response = client.post(
        url,
        figures_post(
            description="Diganti",
            **{
                "materials-TOTAL_FORMS": 1,
                "materials-INITIAL_FORMS": 0,
                "materials-0-material": material("meltblown").pk,
                "materials-0-monthly_quantity": 1,
            },
        ),
    )
    assert response.status_code == 302
    curated.refresh_from_db()
    assert (curated.monthly_capacity, curated.workers, curated.description) == (9000, 15, "")
    assert [m.material.code for m in curated.materials.all()] == ["kain-katun"]
    messages = refusal(
        services.declaration_photo_add,
        user=personas.umkm_masker,
        declaration=curated,
        image=image(),
    )
    assert messages == [str(services.CURATED_KEEPS)]
    detail = client.get(reverse("production:declaration_detail", args=[curated.pk]))
    assert detail.context["may_edit"]
    assert not detail.context["may_change_photos"]


def test_a_declaration_needing_improvement_changes_entirely(personas, assigned, answers, image):
    checklist = services.checklist_current(assigned.product_type)
    seams = "Jahitan rapi, tidak berlubang"
    services.curation_record(
        user=personas.kurator, declaration=assigned, results=answers(checklist, failed=[seams])
    )
    assigned.refresh_from_db()
    assert assigned.status == Status.NEEDS_IMPROVEMENT
    services.declaration_update(
        user=personas.umkm_masker,
        declaration=assigned,
        description="Jahitan overlock",
        materials=[(material("kain-katun"), 500)],
    )
    services.declaration_photo_add(user=personas.umkm_masker, declaration=assigned, image=image())
    assigned.refresh_from_db()
    assert assigned.description == "Jahitan overlock"
    assert assigned.photos.count() == 1


def test_a_withdrawn_declaration_does_not_change_until_reopened(personas, sehati, login):
    services.declaration_withdraw(user=personas.umkm_masker, declaration=sehati)
    messages = refusal(
        services.declaration_update,
        user=personas.umkm_masker,
        declaration=sehati,
        monthly_capacity=10,
    )
    assert messages == [str(services.NOT_EDITABLE)]
    page = login(personas.umkm_masker).get(
        reverse("production:declaration_update", args=[sehati.pk])
    )
    assert str(services.NOT_EDITABLE) in flashed(page)


# Reopening ------------------------------------------------------------------------------


def test_the_seller_reopens_a_withdrawn_declaration_from_its_page(personas, sehati, login):
    services.declaration_withdraw(user=personas.umkm_masker, declaration=sehati)
    client = login(personas.umkm_masker)
    detail = client.get(reverse("production:declaration_detail", args=[sehati.pk]))
    reopen = reverse("production:declaration_reopen", args=[sehati.pk])
    assert f'action="{reopen}"' in detail.content.decode()
    response = client.post(reopen, {"note": "Mesin jahit sudah diperbaiki"})
    assert response.status_code == 302
    sehati.refresh_from_db()
    assert (sehati.status, sehati.curator) == (Status.DECLARED, None)
    entry = selectors.resubmissions(declaration=sehati)[0]
    assert (entry["by"], entry["note"], entry["reopened"]) == (
        personas.umkm_masker,
        "Mesin jahit sudah diperbaiki",
        True,
    )
    changed = client.post(
        reverse("production:declaration_update", args=[sehati.pk]),
        {
            **figures_post(),
            "description": "",
            "materials-TOTAL_FORMS": 0,
            "materials-INITIAL_FORMS": 0,
        },
    )
    assert changed.status_code == 302
    again = client.post(reopen)
    assert str(services.NOT_REOPENABLE) in flashed(again)


def test_a_rejected_declaration_is_reopened_without_its_curator_and_keeps_its_history(
    personas, assigned, answers
):
    checklist = services.checklist_current(assigned.product_type)
    rejection = services.curation_record(
        user=personas.kurator,
        declaration=assigned,
        results=answers(checklist),
        outcome=Curation.Outcome.REJECTED,
        reasons="Bukan usaha konveksi",
    )
    services.declaration_reopen(user=personas.kab_bangka, declaration=assigned)
    assigned.refresh_from_db()
    assert (assigned.status, assigned.curator) == (Status.DECLARED, None)
    assert list(selectors.curation_list(declaration=assigned)) == [rejection]
    # The curator no longer has it; the province assigns it anew.
    assert not Declaration.objects.visible_to(personas.kurator).filter(pk=assigned.pk).exists()
    services.declarations_assign(
        user=personas.prov_babel, declarations=[assigned], curator=personas.kurator.organisation
    )
    assigned.refresh_from_db()
    assert assigned.status == Status.IN_CURATION


@pytest.mark.parametrize("status", [Status.DECLARED, Status.IN_CURATION, Status.CURATED])
def test_only_withdrawn_or_rejected_declarations_are_reopened(personas, sehati, status):
    sehati.status = status
    sehati.save()
    messages = refusal(services.declaration_reopen, user=personas.umkm_masker, declaration=sehati)
    assert messages == [str(services.NOT_REOPENABLE)]


def test_no_one_outside_the_business_reopens_it(personas, sehati, prov_jateng, other_seller, login):
    services.declaration_withdraw(user=personas.umkm_masker, declaration=sehati)
    url = reverse("production:declaration_reopen", args=[sehati.pk])
    for user in (other_seller, prov_jateng, personas.kurator, personas.pembeli_kf):
        assert login(user).post(url).status_code == 404, user
    sehati.refresh_from_db()
    assert sehati.status == Status.WITHDRAWN
    assert not sehati.resubmissions.exists()
