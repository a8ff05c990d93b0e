"""Raw-material suppliers: central officers keep the national list and record the
industry ministry's verification; every officer reads it; other roles see nothing.
"""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation

from pulih.production import suppliers
from pulih.production.models import Material, Supplier, SupplierMaterial

pytestmark = pytest.mark.django_db

PALEMBANG = "16.71"  # Kota Palembang


def material(code):
    return Material.objects.get(code=code)


def create(user, **fields):
    values = {
        "name": "PT Sriwijaya Nonwoven",
        "region_code": PALEMBANG,
        "materials": [(material("spunbond"), 50_000), (material("meltblown"), 2_000)],
        **fields,
    }
    return suppliers.supplier_create(user=user, **values)


def messages_of(call, language, **kwargs):
    """The refusal's messages, read while `language` is active: they are translated when
    read, not when raised."""
    with translation.override(language):
        with pytest.raises(ValidationError) as error:
            call(**kwargs)
        return error.value.message_dict


def test_a_central_officer_records_a_supplier_awaiting_verification(personas):
    supplier = create(
        personas.pusat,
        address="Jl. Soekarno-Hatta 12",
        latitude="-2.95",
        longitude=104.7,
        contact_name="Bu Rina",
        contact_phone="0812-7788-9900",
    )
    assert supplier.status == Supplier.Status.PENDING
    assert (supplier.province_code, supplier.regency_code) == ("16", PALEMBANG)
    assert (supplier.latitude, supplier.longitude) == (Decimal("-2.950000"), Decimal("104.7"))
    assert supplier.contact_phone == "+6281277889900"
    assert {(o.material.code, o.monthly_capacity) for o in supplier.materials.all()} == {
        ("spunbond", 50_000),
        ("meltblown", 2_000),
    }


def test_a_supplier_may_be_placed_in_a_village(personas):
    from pulih.wilayah.models import Village

    village = Village.objects.filter(code__startswith=PALEMBANG).first().code
    supplier = create(personas.pusat, region_code=village)
    assert supplier.village_code == village
    assert suppliers.supplier_region_code(supplier) == village


def test_only_central_officers_keep_the_list(personas, prov_jateng):
    for user in (personas.prov_babel, personas.kab_bangka, personas.umkm_masker, prov_jateng):
        with pytest.raises(PermissionDenied):
            create(user)
    assert not Supplier.objects.exists()


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"region_code": "16.99"}, "region_code", suppliers.UNKNOWN_REGION),
        ({"region_code": "16"}, "region_code", suppliers.UNKNOWN_REGION),
        ({"name": "  "}, "name", suppliers.NAME_REQUIRED),
        ({"latitude": 95, "longitude": 104}, "latitude", suppliers.LATITUDE_RANGE),
        ({"latitude": -2.9, "longitude": 200}, "longitude", suppliers.LONGITUDE_RANGE),
        ({"latitude": -2.9}, "latitude", suppliers.COORDINATES_TOGETHER),
        ({"latitude": "utara", "longitude": 104}, "latitude", suppliers.LATITUDE_RANGE),
        ({"materials": []}, "materials", suppliers.MATERIALS_REQUIRED),
    ],
)
def test_bad_supplier_input_is_refused_and_nothing_written(personas, fields, field, message):
    for language in ("id", "en"):
        said = messages_of(create, language, user=personas.pusat, **fields)
        with translation.override(language):
            assert said == {field: [str(message)]}
    assert not Supplier.objects.exists()


def test_a_negative_capacity_is_refused(personas):
    spunbond = material("spunbond")
    said = messages_of(
        create, "en", user=personas.pusat, materials=[(spunbond, 100), (material("etanol"), -5)]
    )
    with translation.override("en"):
        expected = suppliers.CAPACITY_POSITIVE % {"material": "Etanol 96%"}
    assert said == {"materials": [expected]}
    said = messages_of(create, "en", user=personas.pusat, materials=[(spunbond, 1), (spunbond, 2)])
    assert "materials" in said
    assert not Supplier.objects.exists()
    assert not SupplierMaterial.objects.exists()


def test_an_invalid_phone_is_refused_in_the_users_language(personas):
    said = {
        language: messages_of(create, language, user=personas.pusat, contact_phone="0812")
        for language in ("id", "en")
    }
    assert set(said["id"]) == set(said["en"]) == {"contact_phone"}
    assert said["id"] != said["en"]
    assert not Supplier.objects.exists()


def test_updating_replaces_the_materials_and_keeps_the_rest(personas):
    supplier = create(personas.pusat, contact_phone="081277889900")
    supplier = suppliers.supplier_update(
        user=personas.pusat,
        supplier=supplier,
        name="PT Sriwijaya Nonwoven Tbk",
        materials=[(material("spunbond"), 80_000)],
    )
    assert supplier.name == "PT Sriwijaya Nonwoven Tbk"
    assert supplier.regency_code == PALEMBANG
    assert supplier.contact_phone == "+6281277889900"
    assert [(o.material.code, o.monthly_capacity) for o in supplier.materials.all()] == [
        ("spunbond", 80_000)
    ]


def test_a_refused_update_changes_nothing(personas):
    supplier = create(personas.pusat)
    with pytest.raises(ValidationError):
        suppliers.supplier_update(
            user=personas.pusat,
            supplier=supplier,
            name="Baru",
            materials=[(material("spunbond"), -1)],
        )
    with pytest.raises(ValidationError):
        suppliers.supplier_update(user=personas.pusat, supplier=supplier, region_code="99.99")
    supplier.refresh_from_db()
    assert supplier.name == "PT Sriwijaya Nonwoven"
    assert supplier.materials.count() == 2
    with pytest.raises(PermissionDenied):
        suppliers.supplier_update(user=personas.prov_babel, supplier=supplier, name="Baru")


def test_the_verification_is_recorded_by_a_central_officer(personas):
    supplier = create(personas.pusat)
    supplier = suppliers.supplier_verify(
        user=personas.pusat,
        supplier=supplier,
        verified=True,
        verified_by="Ditjen IKMA, Kemenperin",
        verified_on=datetime.date(2020, 4, 8),
    )
    assert (supplier.status, supplier.verified_by, supplier.verified_on) == (
        Supplier.Status.VERIFIED,
        "Ditjen IKMA, Kemenperin",
        datetime.date(2020, 4, 8),
    )
    supplier = suppliers.supplier_verify(
        user=personas.pusat, supplier=supplier, verified=False, verified_by="Kemenperin"
    )
    assert supplier.status == Supplier.Status.REJECTED
    assert list(Supplier.objects.verified()) == []
    with pytest.raises(PermissionDenied):
        suppliers.supplier_verify(
            user=personas.prov_babel, supplier=supplier, verified=True, verified_by="Dinas"
        )


def test_a_verification_needs_its_verifier_and_a_past_date(personas):
    supplier = create(personas.pusat)
    with pytest.raises(ValidationError) as error:
        suppliers.supplier_verify(
            user=personas.pusat, supplier=supplier, verified=True, verified_by=""
        )
    assert error.value.message_dict == {"verified_by": [str(suppliers.VERIFIER_REQUIRED)]}
    with pytest.raises(ValidationError):
        suppliers.supplier_verify(
            user=personas.pusat,
            supplier=supplier,
            verified=True,
            verified_by="Kemenperin",
            verified_on=datetime.date.today() + datetime.timedelta(days=2),
        )
    supplier.refresh_from_db()
    assert supplier.status == Supplier.Status.PENDING


def test_every_officer_reads_the_list_other_roles_nothing(personas, prov_jateng):
    supplier = create(personas.pusat)
    for user in (personas.pusat, personas.prov_babel, personas.pendamping_bangka, prov_jateng):
        assert list(suppliers.supplier_list(user=user)) == [supplier]
    for user in (personas.kurator, personas.pembeli_kf, personas.umkm_masker, personas.asn_demo):
        assert not suppliers.supplier_list(user=user).exists()


def test_suppliers_are_filtered_by_material_status_province_and_name(personas):
    palembang = create(personas.pusat)
    jakarta = create(
        personas.pusat,
        name="CV Elastis Jaya",
        region_code="31.71",
        materials=[(material("karet-elastis"), 100_000)],
    )
    suppliers.supplier_verify(
        user=personas.pusat, supplier=jakarta, verified=True, verified_by="Kemenperin"
    )
    user = personas.prov_babel
    assert list(suppliers.supplier_list(user=user, material=material("meltblown"))) == [palembang]
    assert list(suppliers.supplier_list(user=user, status="verified")) == [jakarta]
    assert list(suppliers.supplier_list(user=user, province="16")) == [palembang]
    assert list(suppliers.supplier_list(user=user, name="elastis")) == [jakarta]
