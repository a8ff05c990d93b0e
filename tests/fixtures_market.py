"""A market to order from, for the market tests.

- `rice`: Koperasi Tani Mulus's rice (Indramayu, 32.12) at Rp 11,000 per kg in packs of
  5, 10 and 20 kg;
- `wave`: a national wave organised by Kemenkop, open from an hour ago to tomorrow, for
  Kemenkop's civil servants, offering 3,000 kg of that rice, with the drop-off point of
  `pic-kemenkop` (Gedung Smesco) and a second one (`other_pic`, Gedung Kemenkop);
- `closed_wave`: a wave whose window ended yesterday.
"""

import datetime

import pytest
from django.utils import timezone

from pulih.accounts.models import Organisation, Role
from pulih.accounts.services import user_create
from pulih.market.models import DropOffPoint, Pack, Product, Wave, WaveProduct

KG = 1000


@pytest.fixture
def rice(personas):
    seller = personas.koperasi_tanimulus.organisation
    product = Product(
        seller=seller,
        name="Beras Premium Tani Mulus",
        category="pangan_pokok",
        unit="kg",
        price_per_unit=11_000,
        whatsapp="+6281234567890",
        description="Beras medium-premium hasil petani anggota koperasi.",
        created_by=personas.koperasi_tanimulus,
    )
    product.set_region("32.12")
    product.save()
    for kg in (5, 10, 20):
        Pack.objects.create(product=product, size_milli=kg * KG, price=11_000 * kg)
    return product


@pytest.fixture
def other_pic(personas):
    organisation = Organisation.objects.create(
        name="Titik Antar Gedung Kemenkop", kind=Organisation.Kind.DROP_OFF, region_code="31.71"
    )
    return user_create(username="pic-lain", role=Role.PIC, organisation=organisation)


def make_wave(personas, rice, pics, *, opens, closes, stock_kg=3_000, status="published"):
    wave = Wave.objects.create(
        title="Gelombang Beras Koperasi",
        organiser=Organisation.objects.get(name="Kementerian Koperasi dan UKM"),
        opens_at=opens,
        closes_at=closes,
        distribution_on=(closes + datetime.timedelta(days=2)).date(),
        status=status,
        created_by=personas.pusat,
    )
    wave.institutions.add(personas.asn_demo.organisation)
    WaveProduct.objects.create(
        wave=wave, product=rice, stock_milli=stock_kg * KG, remaining_milli=stock_kg * KG
    )
    for cluster, pic in pics:
        DropOffPoint.objects.create(
            wave=wave, cluster=cluster, address=f"{cluster}, Jakarta", region_code="31.74", pic=pic
        )
    return wave


@pytest.fixture
def wave(personas, rice, other_pic):
    now = timezone.now()
    return make_wave(
        personas,
        rice,
        [("Klaster Gedung Smesco", personas.pic_kemenkop), ("Klaster Gedung Kemenkop", other_pic)],
        opens=now - datetime.timedelta(hours=1),
        closes=now + datetime.timedelta(days=1),
    )


@pytest.fixture
def closed_wave(personas, rice):
    now = timezone.now()
    return make_wave(
        personas,
        rice,
        [("Klaster Gedung Smesco", personas.pic_kemenkop)],
        opens=now - datetime.timedelta(days=3),
        closes=now - datetime.timedelta(days=1),
    )
