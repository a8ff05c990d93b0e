"""Pivot declarations: a seller declares for its own business, an officer for one of
their area; figures, materials and photos; changes until curated; withdrawal.

Who may see what: umkm-masker (seller of Konveksi Sehati, Bangka) sees and declares only
for its own business; kab-bangka and pendamping-bangka for Bangka's; prov-babel for the
province's; prov-jateng (Jawa Tengah) finds nothing of Bangka; the buyer pembeli-kf has
no declaration page at all.
"""

import pytest
from django.contrib.messages import get_messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from pulih.production import selectors, services
from pulih.production.models import Declaration, DeclarationPhoto, Material, ProductType

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media")]
Status = Declaration.Status


def product(code):
    return ProductType.objects.get(code=code)


def material(code):
    return Material.objects.get(code=code)


def form_data(business, code="hand-sanitizer", **fields):
    """The declare form as a browser sends it: ethanol and bottles as materials."""
    return {
        "business": business.pk,
        "product_type": product(code).pk,
        "monthly_capacity": 2000,
        "lead_time_days": 3,
        "unit_price": 15000,
        "workers": 4,
        "equipment": "Mixer 20 liter",
        "description": "",
        "materials-TOTAL_FORMS": 3,
        "materials-INITIAL_FORMS": 0,
        "materials-MIN_NUM_FORMS": 0,
        "materials-MAX_NUM_FORMS": 1000,
        "materials-0-material": material("etanol").pk,
        "materials-0-monthly_quantity": 150,
        "materials-1-material": material("botol-kemasan").pk,
        "materials-1-monthly_quantity": 2000,
        **fields,
    }


def files_on_disk(media):
    return [p for p in media.rglob("*") if p.is_file()] if media.exists() else []


def flashed(response):
    return [str(m) for m in get_messages(response.wsgi_request)]


# Declaring ------------------------------------------------------------------------------


def test_seller_declares_a_product_for_its_own_business(personas, sehati):
    business = sehati.business
    declaration = services.declaration_create(
        user=personas.umkm_masker,
        business=business,
        product_type=product("hand-sanitizer"),
        monthly_capacity=2000,
        lead_time_days=3,
        unit_price=15000,
        materials=[(material("etanol"), 150), (material("botol-kemasan"), 2000)],
    )
    assert declaration.status == Status.DECLARED
    assert declaration.declared_by == personas.umkm_masker
    assert declaration.village_code == business.village_code
    assert declaration.regency_code == "19.01"
    needs = {m.material.code: m.monthly_quantity for m in declaration.materials.all()}
    assert needs == {"etanol": 150, "botol-kemasan": 2000}


def test_seller_declares_from_the_page_with_photos(personas, sehati, login, image, media):
    client = login(personas.umkm_masker)
    page = client.get(reverse("production:declaration_create"))
    assert page.status_code == 200
    assert page.context["form"]["business"].initial == sehati.business.pk  # its only business
    photos = [image("bengkel.png"), image("produk.jpg", "JPEG")]
    response = client.post(
        reverse("production:declaration_create"), {**form_data(sehati.business), "photos": photos}
    )
    declaration = Declaration.objects.get(product_type__code="hand-sanitizer")
    assert response.status_code == 302
    assert response.url == reverse("production:declaration_detail", args=[declaration.pk])
    assert declaration.materials.count() == 2
    assert declaration.photos.count() == 2
    # Stored under random names: the original name may say more than the photo.
    assert all("bengkel" not in p.image.name for p in declaration.photos.all())
    detail = client.get(response.url)
    photo = declaration.photos.first()
    url = reverse("production:photo_file", args=[declaration.pk, photo.pk])
    assert url in detail.content.decode()
    served = client.get(url)
    assert served.status_code == 200
    assert served["Content-Type"] in {"image/png", "image/jpeg"}


def test_officer_finds_the_business_by_search_and_declares_for_it(personas, sehati, login):
    client = login(personas.kab_bangka)
    found = client.get(reverse("production:declaration_create"), {"q": "sehati"})
    choices = [value for value, _ in found.context["form"].fields["business"].widget.choices]
    assert choices == [sehati.business.pk]
    response = client.post(
        reverse("production:declaration_create") + "?q=sehati",
        form_data(sehati.business, "masker-non-medis"),
    )
    assert response.status_code == 302
    declaration = Declaration.objects.get(product_type__code="masker-non-medis")
    assert declaration.business == sehati.business
    assert declaration.declared_by == personas.kab_bangka


def test_an_officers_search_stays_in_the_area(personas, sehati, login, prov_jateng):
    client = login(prov_jateng)
    found = client.get(reverse("production:declaration_create"), {"q": "sehati"})
    assert found.context["form"].fields["business"].widget.choices == []
    response = client.post(reverse("production:declaration_create"), form_data(sehati.business))
    assert response.status_code == 200
    assert response.context["form"].errors["business"]
    assert not Declaration.objects.filter(product_type__code="hand-sanitizer").exists()


def test_seller_cannot_see_or_declare_for_another_business(personas, sehati, make_producer, login):
    other = make_producer("19.01.02", "masker-kain", status=Status.DECLARED)
    client = login(personas.umkm_masker)
    assert client.get(reverse("production:declaration_detail", args=[other.pk])).status_code == 404
    assert client.get(reverse("production:declaration_update", args=[other.pk])).status_code == 404
    response = client.post(reverse("production:declaration_create"), form_data(other.business))
    assert response.status_code == 200
    assert response.context["form"].errors["business"]
    with pytest.raises(ValidationError) as refused:
        services.declaration_create(
            user=personas.umkm_masker,
            business=other.business,
            product_type=product("hand-sanitizer"),
            monthly_capacity=100,
        )
    assert refused.value.message_dict == {"business": [str(services.BUSINESS_NOT_YOURS)]}
    assert not Declaration.objects.filter(product_type__code="hand-sanitizer").exists()
    assert list(selectors.declaration_list(user=personas.umkm_masker)) == [sehati]


@pytest.mark.parametrize("capacity", [0, -5])
def test_a_capacity_below_one_is_refused_on_the_page(personas, sehati, login, capacity):
    response = login(personas.umkm_masker).post(
        reverse("production:declaration_create"),
        form_data(sehati.business, monthly_capacity=capacity),
    )
    assert response.status_code == 200
    assert response.context["form"].errors["monthly_capacity"] == [
        str(services.CAPACITY_NOT_POSITIVE)
    ]
    assert str(services.CAPACITY_NOT_POSITIVE) in response.content.decode()
    assert Declaration.objects.count() == 1


def test_a_second_declaration_points_to_the_first(personas, sehati, login):
    client = login(personas.umkm_masker)
    response = client.post(
        reverse("production:declaration_create"), form_data(sehati.business, "masker-kain")
    )
    assert response.status_code == 200
    expected = services.DECLARED_ALREADY % {
        "number": sehati.pk,
        "status": str(Status.DECLARED.label).lower(),
    }
    assert response.context["form"].errors["product_type"] == [expected]
    assert response.context["existing"] == sehati
    detail = reverse("production:declaration_detail", args=[sehati.pk])
    assert f'href="{detail}"' in response.content.decode()
    assert Declaration.objects.count() == 1


def test_declaring_a_withdrawn_product_again_says_to_reopen_it(personas, sehati, login):
    services.declaration_withdraw(user=personas.umkm_masker, declaration=sehati)
    response = login(personas.umkm_masker).post(
        reverse("production:declaration_create"), form_data(sehati.business, "masker-kain")
    )
    expected = services.DECLARED_ALREADY_CLOSED % {
        "number": sehati.pk,
        "status": str(Status.WITHDRAWN.label).lower(),
    }
    assert response.context["form"].errors["product_type"] == [expected]
    assert response.context["existing"] == sehati
    assert Declaration.objects.count() == 1


def test_an_unknown_or_withdrawn_product_is_refused(personas, sehati, login):
    client = login(personas.umkm_masker)
    response = client.post(
        reverse("production:declaration_create"), form_data(sehati.business, product_type=999)
    )
    assert response.context["form"].errors["product_type"]
    retired = product("disinfektan")
    retired.active = False
    retired.save()
    with pytest.raises(ValidationError) as refused:
        services.declaration_create(
            user=personas.umkm_masker,
            business=sehati.business,
            product_type=retired,
            monthly_capacity=100,
        )
    assert refused.value.message_dict == {"product_type": [str(services.PRODUCT_UNKNOWN)]}
    assert Declaration.objects.count() == 1


def test_a_file_that_is_not_an_image_is_refused_and_nothing_is_saved(
    personas, sehati, login, media
):
    fake = SimpleUploadedFile("foto.jpg", b"%PDF-1.4 not a photo", content_type="image/jpeg")
    response = login(personas.umkm_masker).post(
        reverse("production:declaration_create"), {**form_data(sehati.business), "photos": [fake]}
    )
    assert response.status_code == 200
    assert response.context["form"].errors["photos"] == [str(services.PHOTO_NOT_IMAGE)]
    assert Declaration.objects.count() == 1
    assert not DeclarationPhoto.objects.exists()
    assert files_on_disk(media) == []


def test_a_photo_over_5_mb_and_a_seventh_photo_are_refused(personas, sehati, image):
    big = image()
    big.size = 6 * 1024 * 1024
    with pytest.raises(ValidationError) as refused:
        services.declaration_photo_add(user=personas.umkm_masker, declaration=sehati, image=big)
    assert refused.value.messages == [str(services.PHOTO_TOO_LARGE)]
    for _ in range(services.MAX_PHOTOS):
        services.declaration_photo_add(user=personas.umkm_masker, declaration=sehati, image=image())
    with pytest.raises(ValidationError) as refused:
        services.declaration_photo_add(user=personas.umkm_masker, declaration=sehati, image=image())
    assert refused.value.messages == [str(services.TOO_MANY_PHOTOS)]
    assert sehati.photos.count() == services.MAX_PHOTOS


def test_materials_need_a_quantity_and_appear_once(personas, sehati):
    for needs, message in [
        ([(material("kain-katun"), 0)], services.QUANTITY_NOT_POSITIVE),
        (
            [(material("kain-katun"), 10), (material("kain-katun"), 20)],
            services.MATERIAL_TWICE % {"material": material("kain-katun").name},
        ),
    ]:
        with pytest.raises(ValidationError) as refused:
            services.declaration_update(
                user=personas.umkm_masker, declaration=sehati, materials=needs
            )
        assert refused.value.messages == [str(message)]
    assert not sehati.materials.exists()


# Changing and withdrawing ---------------------------------------------------------------


def test_a_declared_declaration_changes_entirely(personas, sehati, login):
    client = login(personas.umkm_masker)
    response = client.post(
        reverse("production:declaration_update", args=[sehati.pk]),
        {
            "monthly_capacity": 8000,
            "lead_time_days": 2,
            "unit_price": 3500,
            "workers": 12,
            "equipment": "6 mesin jahit",
            "description": "Masker kain dua lapis",
            "materials-TOTAL_FORMS": 3,
            "materials-INITIAL_FORMS": 0,
            "materials-0-material": material("kain-katun").pk,
            "materials-0-monthly_quantity": 400,
        },
    )
    assert response.status_code == 302
    sehati.refresh_from_db()
    assert (sehati.monthly_capacity, sehati.workers) == (8000, 12)
    assert [m.material.code for m in sehati.materials.all()] == ["kain-katun"]
    assert sehati.description == "Masker kain dua lapis"


def test_a_declaration_is_withdrawn_once(personas, sehati, login):
    client = login(personas.umkm_masker)
    url = reverse("production:declaration_withdraw", args=[sehati.pk])
    assert client.post(url).status_code == 302
    sehati.refresh_from_db()
    assert sehati.status == Status.WITHDRAWN
    response = client.post(url)
    assert str(services.NOT_WITHDRAWABLE) in flashed(response)


def test_a_curator_does_not_change_a_declaration(personas, assigned):
    with pytest.raises(PermissionDenied):
        services.declaration_update(user=personas.kurator, declaration=assigned, monthly_capacity=1)
    with pytest.raises(PermissionDenied):
        services.declaration_withdraw(user=personas.kurator, declaration=assigned)


def test_a_photo_is_removed_with_its_file(
    personas, sehati, image, login, media, django_capture_on_commit_callbacks
):
    photo = services.declaration_photo_add(
        user=personas.umkm_masker, declaration=sehati, image=image(), caption="Bengkel"
    )
    assert len(files_on_disk(media)) == 1
    client = login(personas.umkm_masker)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("production:photo_remove", args=[sehati.pk, photo.pk]))
    assert response.status_code == 302
    assert not sehati.photos.exists()
    assert files_on_disk(media) == []


# Lists and scope ------------------------------------------------------------------------


def test_the_list_filters_and_counts_by_status(personas, sehati, make_producer, login):
    make_producer("19.01.02", "hand-sanitizer", name="Sanitizer Belinyu")
    make_producer("19.02.01", "masker-kain", status=Status.REJECTED, name="Konveksi Tanjung")
    client = login(personas.prov_babel)
    response = client.get(reverse("production:declaration_list"))
    counts = {link["status"]: link["count"] for link in response.context["status_links"]}
    assert counts[Status.CURATED] == 1
    assert counts[Status.DECLARED] == 1
    assert counts[Status.REJECTED] == 1
    assert response.context["total"] == 3
    curated = client.get(reverse("production:declaration_list"), {"status": "curated"})
    assert [d.business.name for d in curated.context["page"]] == ["Sanitizer Belinyu"]
    masks = client.get(reverse("production:declaration_list"), {"product": "masker-kain"})
    assert {d.business.name for d in masks.context["page"]} == {
        "Konveksi Sehati",
        "Konveksi Tanjung",
    }
    searched = client.get(reverse("production:declaration_list"), {"q": "tanjung"})
    assert [d.business.name for d in searched.context["page"]] == ["Konveksi Tanjung"]
    regency = login(personas.kab_bangka).get(reverse("production:declaration_list"))
    assert regency.context["total"] == 2  # Belitung's is not Bangka's


def test_central_officer_filters_by_province(personas, sehati, make_producer, login):
    make_producer("33.74.01", "masker-kain", name="Konveksi Semarang")
    client = login(personas.pusat)
    response = client.get(reverse("production:declaration_list"), {"province": "33"})
    assert [d.business.name for d in response.context["page"]] == ["Konveksi Semarang"]


def test_another_provinces_officer_finds_no_bangka_declaration(
    personas, sehati, prov_jateng, image, login
):
    photo = services.declaration_photo_add(
        user=personas.umkm_masker, declaration=sehati, image=image()
    )
    client = login(prov_jateng)
    assert list(client.get(reverse("production:declaration_list")).context["page"]) == []
    for name, args in [
        ("declaration_detail", [sehati.pk]),
        ("declaration_update", [sehati.pk]),
        ("photo_file", [sehati.pk, photo.pk]),
    ]:
        assert client.get(reverse(f"production:{name}", args=args)).status_code == 404, name
    for name, args in [
        ("declaration_withdraw", [sehati.pk]),
        ("photo_add", [sehati.pk]),
        ("photo_remove", [sehati.pk, photo.pk]),
    ]:
        assert client.post(reverse(f"production:{name}", args=args)).status_code == 404, name
    sehati.refresh_from_db()
    assert sehati.status == Status.DECLARED
    assert sehati.photos.count() == 1


def test_a_buyer_has_no_declaration_page(personas, sehati, login):
    client = login(personas.pembeli_kf)
    for url in [
        reverse("production:declaration_list"),
        reverse("production:declaration_create"),
        reverse("production:declaration_detail", args=[sehati.pk]),
    ]:
        assert client.get(url).status_code == 404, url
    assert not Declaration.objects.visible_to(personas.pembeli_kf).exists()
