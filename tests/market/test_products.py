"""Products and packs: Koperasi Tani Mulus lists its rice at Rp 11,000 per kg in packs of
5, 10 and 20 kg; officers list for the sellers of their area.

Who may: koperasi-tanimulus its own organisation's products; umkm-masker its own (Konveksi
Sehati, Bangka); kab-bangka and prov-babel Bangka's sellers, not Tani Mulus (Indramayu);
pusat any; prov_jateng neither of them.
"""

import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from PIL import Image

from pulih.market import products
from pulih.market.models import Order, OrderLine, Pack, Product, Unit
from pulih.production.services import PHOTO_NOT_IMAGE

pytestmark = pytest.mark.django_db

KG = 1000


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def listed(user, seller, **fields):
    values = {
        "name": "Beras Medium",
        "category": "pangan_pokok",
        "unit": "kg",
        "price_per_unit": 11_000,
        "pack_sizes": [5, 10, 20],
        **fields,
    }
    return products.product_create(user=user, seller=seller, **values)


def packs_of(product):
    return {
        pack.size_milli: pack.price for pack in product.packs.filter(active=True).order_by("pk")
    }


def refusal(call):
    with pytest.raises(ValidationError) as caught:
        call()
    return caught.value.message_dict


def test_rice_packs_are_priced_from_the_price_per_kg(personas):
    seller = personas.koperasi_tanimulus
    rice = listed(seller, seller.organisation, whatsapp="0812-3456-7890")
    assert packs_of(rice) == {5 * KG: 55_000, 10 * KG: 110_000, 20 * KG: 220_000}
    assert (rice.regency_code, rice.province_code) == ("32.12", "32")
    assert rice.whatsapp == "+6281234567890"
    assert rice.created_by == seller


def test_a_quarter_kilo_pack_is_rounded_to_whole_rupiah(personas):
    seller = personas.koperasi_tanimulus
    spice = listed(seller, seller.organisation, price_per_unit=11_001, pack_sizes=["0,25", "0.5"])
    assert packs_of(spice) == {250: 2_750, 500: 5_501}


def test_a_new_price_reprices_packs_but_not_what_buyers_ordered(personas, wave, rice):
    pack = rice.packs.get(size_milli=10 * KG)
    order = Order.objects.create(
        wave=wave,
        drop_off=wave.drop_off_points.first(),
        code="P000001",
        buyer_kind="asn",
        buyer_name="Siti",
        fulfilment="collect",
        total=110_000,
    )
    line = OrderLine.objects.create(
        order=order,
        offer=wave.offers.get(),
        pack=pack,
        quantity=1,
        size_milli=pack.size_milli,
        unit_price=pack.price,
        amount=pack.price,
    )
    products.product_update(user=personas.koperasi_tanimulus, product=rice, price_per_unit=12_000)
    assert packs_of(rice) == {5 * KG: 60_000, 10 * KG: 120_000, 20 * KG: 240_000}
    line.refresh_from_db()
    assert (line.unit_price, line.amount) == (110_000, 110_000)


def test_new_pack_sizes_keep_the_old_packs_inactive(personas, rice):
    products.pack_sizes_set(user=personas.koperasi_tanimulus, product=rice, sizes=["25", 10])
    assert packs_of(rice) == {10 * KG: 110_000, 25 * KG: 275_000}
    assert set(rice.packs.filter(active=False).values_list("size_milli", flat=True)) == {
        5 * KG,
        20 * KG,
    }
    products.pack_sizes_set(user=personas.koperasi_tanimulus, product=rice, sizes=[5])
    assert packs_of(rice) == {5 * KG: 55_000}


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"price_per_unit": -11_000}, "price_per_unit", products.PRICE_NOT_POSITIVE),
        ({"price_per_unit": 0}, "price_per_unit", products.PRICE_NOT_POSITIVE),
        ({"price_per_unit": 11_000.5}, "price_per_unit", products.PRICE_NOT_POSITIVE),
        ({"price_per_unit": 10**12}, "price_per_unit", products.PRICE_TOO_LARGE),
        ({"pack_sizes": []}, "pack_sizes", products.NO_SIZES),
        ({"name": "  "}, "name", products.NAME_REQUIRED),
        ({"unit": "ton"}, "unit", products.UNIT_UNKNOWN),
        ({"category": "beras"}, "category", products.CATEGORY_UNKNOWN),
        ({"description": "x" * 5_001}, "description", products.DESCRIPTION_TOO_LONG),
        (
            {"marketplace_links": ["https://t.id"] * 11},
            "marketplace_links",
            products.TOO_MANY_LINKS,
        ),
        (
            {"region_code": "32.12.99"},
            "region_code",
            (products.REGION_UNKNOWN, {"code": "32.12.99"}),
        ),
        (
            {"region_code": "19.01"},
            "region_code",
            (products.REGION_OUTSIDE_SELLER, {"code": "32.12"}),
        ),
        (
            {"marketplace_links": ["javascript:alert(1)"]},
            "marketplace_links",
            (products.LINK_INVALID, {"link": "javascript:alert(1)"}),
        ),
    ],
)
@pytest.mark.parametrize("language", ["id", "en"])
def test_bad_product_input_is_refused_with_a_clear_message(
    personas, fields, field, message, language
):
    seller = personas.koperasi_tanimulus
    with translation.override(language):
        errors = refusal(lambda: listed(seller, seller.organisation, **fields))
        expected = str(message[0]) % message[1] if isinstance(message, tuple) else str(message)
        assert errors[field] == [expected]
    assert not Product.objects.exists()
    assert not Pack.objects.exists()


@pytest.mark.parametrize(
    ("sizes", "message"),
    [
        ([0], products.SIZE_INVALID % {"size": "0"}),
        (["-5"], products.SIZE_INVALID % {"size": "-5"}),
        (["lima"], products.SIZE_INVALID % {"size": "lima"}),
        (["0.0001"], products.SIZE_INVALID % {"size": "0.0001"}),
        ([1001], products.SIZE_TOO_LARGE % {"size": "1001"}),
        ([5, "5.0"], products.SIZES_REPEATED % {"size": "5.0"}),
    ],
)
def test_bad_pack_sizes_are_refused(personas, sizes, message):
    seller = personas.koperasi_tanimulus
    with translation.override("id"):
        errors = refusal(lambda: listed(seller, seller.organisation, pack_sizes=sizes))
        assert errors["pack_sizes"] == [str(message)]
    assert not Product.objects.exists()


def test_an_invalid_whatsapp_number_is_refused_with_its_reason(personas):
    seller = personas.koperasi_tanimulus
    with translation.override("en"):
        errors = refusal(lambda: listed(seller, seller.organisation, whatsapp="12"))
    assert errors["whatsapp"][0].startswith("The WhatsApp number is not valid")


def test_a_bad_pack_size_leaves_the_packs_as_they_were(personas, rice):
    with pytest.raises(ValidationError):
        products.pack_sizes_set(user=personas.koperasi_tanimulus, product=rice, sizes=[5, -1])
    with pytest.raises(ValidationError):
        products.product_update(
            user=personas.koperasi_tanimulus, product=rice, price_per_unit=-1, pack_sizes=[7]
        )
    rice.refresh_from_db()
    assert rice.price_per_unit == 11_000
    assert packs_of(rice) == {5 * KG: 55_000, 10 * KG: 110_000, 20 * KG: 220_000}


def test_a_seller_lists_only_for_its_own_organisation(personas):
    with pytest.raises(PermissionDenied):
        listed(personas.umkm_masker, personas.koperasi_tanimulus.organisation)


def test_officers_list_for_the_sellers_of_their_area(personas, prov_jateng):
    sehati = personas.umkm_masker.organisation  # Bangka, 19.01
    tani_mulus = personas.koperasi_tanimulus.organisation  # Indramayu, 32.12
    for officer in (personas.kab_bangka, personas.prov_babel, personas.pusat):
        assert listed(officer, sehati, name=f"Masker {officer}").regency_code == "19.01"
    assert listed(personas.pusat, tani_mulus).regency_code == "32.12"
    for officer in (personas.kab_bangka, personas.prov_babel, prov_jateng):
        with pytest.raises(PermissionDenied):
            listed(officer, tani_mulus)
    for other in (personas.asn_demo, personas.pic_kemenkop, personas.kurator):
        with pytest.raises(PermissionDenied):
            listed(other, sehati)


def test_only_cooperatives_and_businesses_sell(personas):
    ministry = personas.pusat.organisation
    errors = refusal(lambda: listed(personas.pusat, ministry, region_code="31.71"))
    assert errors["seller"] == [str(products.SELLER_NOT_A_SELLER)]


def test_sellers_offered_to_an_officer_are_those_of_its_area(personas, prov_jateng):
    names = set(products.seller_choices(user=personas.kab_bangka).values_list("name", flat=True))
    assert names == {"Konveksi Sehati Sungailiat"}
    assert not products.seller_choices(user=prov_jateng).exists()
    assert products.seller_choices(user=personas.pusat).count() >= 2


def test_the_photo_must_be_an_image(personas, media):
    seller = personas.koperasi_tanimulus
    text = SimpleUploadedFile("beras.png", b"bukan gambar", content_type="image/png")
    with translation.override("id"):
        errors = refusal(lambda: listed(seller, seller.organisation, photo=text))
        assert errors["photo"] == [str(PHOTO_NOT_IMAGE)]
    data = io.BytesIO()
    Image.new("RGB", (8, 8), (200, 180, 90)).save(data, "JPEG")
    photo = SimpleUploadedFile("foto beras KTP.jpg", data.getvalue(), content_type="image/jpeg")
    rice = listed(seller, seller.organisation, photo=photo)
    assert rice.photo.name.endswith(".jpg") and "KTP" not in rice.photo.name
    products.product_update(user=seller, product=rice, photo=False)
    assert not Product.objects.get(pk=rice.pk).photo


def test_the_unit_is_fixed_once_the_product_is_offered(personas, wave, rice):
    with translation.override("en"):
        errors = refusal(
            lambda: products.product_update(
                user=personas.koperasi_tanimulus, product=rice, unit="liter"
            )
        )
        assert errors["unit"] == [str(products.UNIT_FIXED)]


def test_quantities_read_as_people_write_them():
    with translation.override("id"):
        assert products.quantity_text(2_900_000, "kg") == "2,9 t"
        assert products.quantity_text(250, "kg") == "0,25 kg"
        assert products.quantity_text(1_500, "liter") == f"1,5 {Unit.LITRE.label}"
    assert products.quantity_milli("0,25") == 250
    assert products.quantity_milli(True) is None
