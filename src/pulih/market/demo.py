"""The demo's first order wave, 7–8 April 2020 (DOMAIN.md §3), and a few UMKM products for
the gallery and the flyers.

- Koperasi Tani Mulus (Indramayu) lists its rice at Rp 11,000 per kg in packs of 5, 10
  and 20 kg. The ministry opens the first wave (gelombang pertama) for the civil servants
  of Kemenkop UKM and LPDB-KUMKM: orders from Tuesday 7 April to Wednesday 8 April 2020,
  3 tonnes on offer, distribution on Friday 10 April 2020, with a drop-off point in each
  cluster (Gedung Smesco, Gedung Kemenkop UKM in Kuningan, Bekasi) and its PIC.
- Generated civil servants (valid NIPs) order 2.9 tonnes in all; `asn-demo` orders
  2 × 10 kg to collect at Gedung Smesco. The ministry closes the wave on the morning of
  9 April; the PICs record the transfers that day.
- On 10 April the PICs hand the orders over: most are collected, some go home with the
  ojek online the buyer sent (driver's name and phone recorded), a few are not collected.
  Cash is taken at handover; some buyers have not paid yet.

Everything goes through the services with the moment of 2020 it happened as `now`, in one
transaction; the records' own timestamps are then set to that moment. The wave's title is
how the demo recognises its work. The same seed gives the same people and orders.
"""

import datetime
import random
from zoneinfo import ZoneInfo

from django.db import transaction
from django.db.models import Count, Q, Sum

from pulih.accounts.models import Organisation, Role, User
from pulih.accounts.services import (
    DEMO_ORGANISATIONS,
    DEMO_PASSWORD,
    demo_personas_create,
    user_create,
)
from pulih.registry.fake import make_name, make_phone

from .closing import wave_close
from .handover import order_hand_over, order_payment_record
from .models import Category, Order, OrderPayment, Product, Unit, Wave
from .ordering import order_place
from .products import product_create
from .waves import drop_off_add, wave_create, wave_offer_set, wave_publish

JAKARTA = ZoneInfo("Asia/Jakarta")
SEED = 2020
KG = 1000
WAVE_TITLE = "Gelombang pertama: beras Koperasi Tani Mulus untuk ASN Kemenkop UKM"
OPENS = datetime.datetime(2020, 4, 7, 8, 0, tzinfo=JAKARTA)
CLOSES = datetime.datetime(2020, 4, 8, 23, 59, tzinfo=JAKARTA)
CLOSED = datetime.datetime(2020, 4, 9, 8, 0, tzinfo=JAKARTA)
TRANSFERS_RECORDED = datetime.datetime(2020, 4, 9, 14, 0, tzinfo=JAKARTA)
DISTRIBUTION = datetime.date(2020, 4, 10)
HANDOVER_HOURS = (8, 16)
STOCK_KG = 3_000
ORDERED_KG = 2_900
RICE_NAME = "Beras Tani Mulus"
# Packs of one order, kg → packs, with how often buyers chose them.
BASKETS = (
    ({10: 1}, 25),
    ({20: 1}, 22),
    ({5: 1}, 12),
    ({10: 2}, 12),
    ({5: 2}, 6),
    ({10: 1, 5: 1}, 8),
    ({20: 1, 5: 1}, 8),
    ({20: 1, 10: 1}, 5),
    ({20: 2}, 2),
)
ASN_DEMO_BASKET = {10: 2}
LPDB = "Lembaga Pengelola Dana Bergulir KUMKM (LPDB-KUMKM)"
LPDB_SHARE = 0.2
OJEK_SHARE = 0.15
TRANSFER_SHARE = 0.3
NOT_COLLECTED_SHARE = 0.07
PAY_LATER_SHARE = 0.08
# cluster, address, region, PIC username (None: the `pic-kemenkop` persona), share of
# the orders.
DROP_OFFS = (
    (
        "Klaster Gedung Smesco",
        "Gedung Smesco Indonesia, Jl. Jenderal Gatot Subroto Kav. 94, Pancoran, Jakarta Selatan",
        "31.74.08",
        None,
        0.45,
    ),
    (
        "Klaster Gedung Kemenkop UKM Kuningan",
        "Jl. H.R. Rasuna Said Kav. 3-4, Kuningan, Setiabudi, Jakarta Selatan",
        "31.74.02",
        "pic-kuningan",
        0.4,
    ),
    (
        "Klaster Bekasi",
        "Koperasi Pegawai Kemenkop UKM, Jl. Jenderal Ahmad Yani, Bekasi Selatan",
        "32.75.04",
        "pic-bekasi",
        0.15,
    ),
)
# username: (last name, province, organisation, its region)
EXTRA_PICS = {
    "pic-kuningan": (
        "Klaster Kuningan",
        "31",
        "Titik Antar Kemenkop UKM — Klaster Gedung Kemenkop Kuningan",
        "31.74",
    ),
    "pic-bekasi": ("Klaster Bekasi", "32", "Titik Antar Kemenkop UKM — Klaster Bekasi", "32.75"),
}
RICE = {
    "name": RICE_NAME,
    "category": Category.STAPLES,
    "unit": Unit.KG,
    "price_per_unit": 11_000,
    "pack_sizes": (5, 10, 20),
    "description": (
        "Beras medium hasil panen petani anggota Koperasi Tani Mulus, Indramayu: pulen, "
        "bersih, tanpa pemutih. Dikemas per 5, 10 dan 20 kg."
    ),
    "whatsapp": "+6281224300517",
}
# Other products of the gallery and the flyers: (persona who lists it, seller's
# organisation key or (name, kind, region), product).
GALLERY = (
    (
        "koperasi-tanimulus",
        "tani-mulus",
        {
            "name": "Beras Merah Tani Mulus",
            "category": Category.STAPLES,
            "unit": Unit.KG,
            "price_per_unit": 18_000,
            "pack_sizes": (1, 5),
            "description": "Beras merah pecah kulit dari sawah anggota koperasi di Indramayu.",
            "whatsapp": "+6281224300517",
        },
    ),
    (
        "umkm-masker",
        "konveksi-sungailiat",
        {
            "name": "Masker Kain 3 Lapis Sehati",
            "category": Category.HEALTH,
            "unit": Unit.PIECE,
            "price_per_unit": 5_000,
            "pack_sizes": (10, 50),
            "description": "Masker kain katun 3 lapis sesuai SNI 8914:2020, bisa dicuci.",
            "whatsapp": "+6281377120445",
            "marketplace_links": ("https://shopee.co.id/konveksisehati",),
        },
    ),
    (
        "kab-bangka",
        ("UMKM Kerupuk Ikan Bu Yanti", Organisation.Kind.BUSINESS, "19.01"),
        {
            "name": "Kerupuk Ikan Tenggiri Bangka",
            "category": Category.FOOD,
            "unit": Unit.KG,
            "price_per_unit": 110_000,
            "pack_sizes": ("0.25", "0.5"),
            "description": "Kerupuk ikan tenggiri khas Sungailiat, siap goreng.",
            "whatsapp": "+6281994530218",
            "marketplace_links": ("https://www.tokopedia.com/kerupukbuyanti",),
        },
    ),
    (
        "prov-babel",
        ("KUB Lada Putih Mentok", Organisation.Kind.BUSINESS, "19.05"),
        {
            "name": "Lada Putih Muntok",
            "category": Category.FOOD,
            "unit": Unit.KG,
            "price_per_unit": 120_000,
            "pack_sizes": ("0.1", "0.25"),
            "description": "Lada putih butir dari kebun petani Bangka Barat.",
            "whatsapp": "+6281273390114",
            "marketplace_links": (
                "https://www.tokopedia.com/ladamentok",
                "https://shopee.co.id/ladamentok",
            ),
        },
    ),
    (
        "prov-babel",
        ("Sanggar Batik Cual Pangkalpinang", Organisation.Kind.BUSINESS, "19.71"),
        {
            "name": "Kain Batik Cual Motif Kembang Kenanga",
            "category": Category.FASHION,
            "unit": Unit.PIECE,
            "price_per_unit": 350_000,
            "pack_sizes": (1,),
            "description": "Kain batik cual tulis 2 meter, pewarna alam.",
            "whatsapp": "+6281995011376",
        },
    ),
    (
        "pusat",
        ("UMKM Kerupuk Udang Dermayu", Organisation.Kind.BUSINESS, "32.12"),
        {
            "name": "Kerupuk Udang Indramayu",
            "category": Category.FOOD,
            "unit": Unit.KG,
            "price_per_unit": 80_000,
            "pack_sizes": ("0.5", "1"),
            "description": "Kerupuk udang mentah dari Karangampel, Indramayu.",
            "whatsapp": "+6282318840092",
            "marketplace_links": ("https://shopee.co.id/kerupukdermayu",),
        },
    ),
)


def make_nip(rng, sex):
    """A civil servant's NIP that `core.ids.parse_nip` accepts: born 1965–1995, appointed
    (TMT CPNS) at 22–32 and before 2020, the sex digit, a serial from 001."""
    born = datetime.date(rng.randint(1965, 1995), rng.randint(1, 12), rng.randint(1, 28))
    appointed = min(born.year + rng.randint(22, 32), 2019)
    digit = "2" if sex == "F" else "1"
    return f"{born:%Y%m%d}{appointed}{rng.randint(1, 12):02d}{digit}{rng.randint(1, 999):03d}"


def market_demo_create():
    """Load the demo's wave and gallery products unless they are there already; return
    what the wave holds."""
    with transaction.atomic():
        if Wave.objects.filter(title=WAVE_TITLE).exists():
            return market_demo_counts(created=False)
        personas, _created = demo_personas_create()
        rng = random.Random(SEED)
        rice = _products(personas)
        wave = _wave(personas, rice)
        _orders(rng, personas, wave, rice)
        wave_close(user=personas["pusat"], wave=wave, now=CLOSED)
        _handovers(rng, wave)
    return market_demo_counts(created=True)


def market_demo_counts(*, created=False):
    """What the demo's wave holds, for the demo command's summary."""
    orders = Order.objects.filter(wave__title=WAVE_TITLE).exclude(status=Order.Status.CANCELLED)
    figures = orders.aggregate(
        orders=Count("pk"),
        milli=Sum("total_milli", default=0),
        rupiah=Sum("total", default=0),
        received=Sum("amount_paid", default=0),
        paid=Count("pk", filter=Q(payment_status=Order.Payment.PAID)),
        partly_paid=Count("pk", filter=Q(payment_status=Order.Payment.PARTLY_PAID)),
        unpaid=Count("pk", filter=Q(payment_status=Order.Payment.UNPAID)),
        collected=Count("pk", filter=Q(status=Order.Status.COLLECTED)),
        ojek=Count("pk", filter=Q(status=Order.Status.WITH_OJEK)),
        not_collected=Count("pk", filter=Q(status=Order.Status.NOT_COLLECTED)),
    )
    milli = figures.pop("milli")
    return {
        "created": created,
        **figures,
        "kg": milli // KG,
        "tonnes": milli / KG / KG,
        "drop_offs": Wave.objects.filter(title=WAVE_TITLE).aggregate(n=Count("drop_off_points"))[
            "n"
        ],
        "gallery_products": Product.objects.filter(
            name__in=[spec["name"] for _user, _seller, spec in GALLERY], public=True
        ).count(),
    }


def _moment(rng, start, end):
    return start + (end - start) * rng.random()


def _timestamps(model, pk, **moments):
    """The demo's records carry the moment of 2020 they stand for, not today's."""
    model.objects.filter(pk=pk).update(**moments)


# Products ---------------------------------------------------------------------------------


def _seller(key):
    if isinstance(key, str):
        return Organisation.objects.get(name=DEMO_ORGANISATIONS[key][0])
    name, kind, region = key
    seller, _ = Organisation.objects.get_or_create(
        name=name, defaults={"kind": kind, "region_code": region}
    )
    return seller


def _product(user, seller, spec):
    found = Product.objects.filter(seller=seller, name=spec["name"]).first()
    return found or product_create(user=user, seller=seller, **spec)


def _products(personas):
    """The rice of the wave, and the gallery's products."""
    for username, seller, spec in GALLERY:
        _product(personas[username], _seller(seller), spec)
    return _product(personas["koperasi-tanimulus"], _seller("tani-mulus"), RICE)


# The wave ---------------------------------------------------------------------------------


def _pic(username, personas):
    if username is None:
        return personas["pic-kemenkop"]
    found = User.objects.filter(username=username).first()
    if found is not None:
        return found
    last_name, province, organisation, region = EXTRA_PICS[username]
    point, _ = Organisation.objects.get_or_create(
        name=organisation, defaults={"kind": Organisation.Kind.DROP_OFF, "region_code": region}
    )
    return user_create(
        username=username,
        role=Role.PIC,
        password=DEMO_PASSWORD,
        first_name="PIC",
        last_name=last_name,
        province_code=province,
        organisation=point,
    )


def _wave(personas, rice):
    pusat = personas["pusat"]
    kemenkop = pusat.organisation
    lpdb, _ = Organisation.objects.get_or_create(
        name=LPDB, defaults={"kind": Organisation.Kind.MINISTRY, "region_code": "31.74"}
    )
    wave = wave_create(
        user=pusat,
        title=WAVE_TITLE,
        organiser=kemenkop,
        opens_at=OPENS,
        closes_at=CLOSES,
        distribution_on=DISTRIBUTION,
        for_civil_servants=True,
        institutions=[kemenkop, lpdb],
    )
    _timestamps(Wave, wave.pk, created_at=OPENS - datetime.timedelta(days=1))
    wave_offer_set(user=pusat, wave=wave, product=rice, stock=STOCK_KG)
    for cluster, address, region, username, _share in DROP_OFFS:
        drop_off_add(
            user=pusat,
            wave=wave,
            cluster=cluster,
            address=address,
            region_code=region,
            pic=_pic(username, personas),
        )
    return wave_publish(user=pusat, wave=wave)


# Orders -----------------------------------------------------------------------------------


def _baskets(rng, total_kg):
    """Baskets of packs (kg → packs) adding up to exactly `total_kg`."""
    baskets, left = [], total_kg
    while left:
        fitting = [(b, w) for b, w in BASKETS if sum(kg * n for kg, n in b.items()) <= left]
        basket = rng.choices([b for b, _w in fitting], weights=[w for _b, w in fitting])[0]
        baskets.append(basket)
        left -= sum(kg * n for kg, n in basket.items())
    return baskets


def _civil_servants(rng, count, kemenkop):
    """`count` civil servant buyers with valid NIPs, of Kemenkop UKM and LPDB-KUMKM."""
    lpdb = Organisation.objects.get(name=LPDB)
    buyers, nips = [], set()
    while len(buyers) < count:
        sex = "F" if rng.random() < 0.5 else "M"
        nip = make_nip(rng, sex)
        if nip in nips:
            continue
        nips.add(nip)
        first, _, last = make_name(rng, sex).partition(" ")
        buyers.append(
            user_create(
                username=f"asn-{nip}",
                role=Role.ASN,
                first_name=first,
                last_name=last,
                organisation=lpdb if rng.random() < LPDB_SHARE else kemenkop,
                nip=nip,
                phone=make_phone(rng),
            )
        )
    return buyers


def _orders(rng, personas, wave, rice):
    packs = {pack.size_milli // KG: pack for pack in rice.packs.filter(active=True)}
    points = list(wave.drop_off_points.order_by("pk"))
    shares = [share for *_spec, share in DROP_OFFS]
    asn_demo = personas["asn-demo"]
    baskets = _baskets(rng, ORDERED_KG - sum(kg * n for kg, n in ASN_DEMO_BASKET.items()))
    buyers = _civil_servants(rng, len(baskets), personas["pusat"].organisation)
    moments = sorted(_moment(rng, OPENS, CLOSES) for _ in baskets)
    orders = [(asn_demo, ASN_DEMO_BASKET, points[0], Order.Fulfilment.COLLECT, moments[0])]
    for buyer, basket, moment in zip(buyers, baskets, moments, strict=True):
        point = rng.choices(points, weights=shares)[0]
        ojek = rng.random() < OJEK_SHARE
        fulfilment = Order.Fulfilment.OJEK if ojek else Order.Fulfilment.COLLECT
        orders.append((buyer, basket, point, fulfilment, moment))
    for buyer, basket, point, fulfilment, moment in orders:
        order, _created = order_place(
            user=buyer,
            wave=wave,
            drop_off=point,
            items={packs[kg].pk: n for kg, n in basket.items()},
            fulfilment=fulfilment,
            now=moment,
        )
        _timestamps(Order, order.pk, created_at=moment, updated_at=moment)


# Distribution day -------------------------------------------------------------------------


def _handovers(rng, wave):
    """10 April: each point's PIC hands its orders over and takes the money."""
    start = datetime.datetime.combine(DISTRIBUTION, datetime.time(HANDOVER_HOURS[0]), JAKARTA)
    end = datetime.datetime.combine(DISTRIBUTION, datetime.time(HANDOVER_HOURS[1]), JAKARTA)
    orders = wave.orders.select_related("drop_off__pic", "buyer").order_by("created_at", "pk")
    for order in orders:
        pic = order.drop_off.pic
        demo_buyer = order.buyer.username == "asn-demo"
        if not demo_buyer and rng.random() < TRANSFER_SHARE:
            _pay(pic, order, OrderPayment.Method.TRANSFER, TRANSFERS_RECORDED, rng)
        moment = _moment(rng, start, end)
        if order.fulfilment == Order.Fulfilment.OJEK:
            driver = make_name(rng, "M")
            order_hand_over(
                user=pic,
                order=order,
                outcome=Order.Status.WITH_OJEK,
                driver_name=driver,
                driver_phone=make_phone(rng),
                now=moment,
            )
        elif not demo_buyer and rng.random() < NOT_COLLECTED_SHARE:
            order_hand_over(user=pic, order=order, outcome=Order.Status.NOT_COLLECTED, now=moment)
            continue
        else:
            order_hand_over(user=pic, order=order, outcome=Order.Status.COLLECTED, now=moment)
        order.refresh_from_db(fields=["amount_paid"])
        if order.outstanding and (demo_buyer or rng.random() >= PAY_LATER_SHARE):
            _pay(pic, order, OrderPayment.Method.CASH, moment, rng)
        _timestamps(Order, order.pk, updated_at=moment)


def _pay(pic, order, method, moment, rng):
    reference = ""
    if method == OrderPayment.Method.TRANSFER:
        reference = f"TRF {moment:%d%m} {rng.randrange(10**6):06d}"
    payment = order_payment_record(
        user=pic,
        order=order,
        method=method,
        amount=order.outstanding,
        reference=reference,
        now=moment,
    )
    _timestamps(OrderPayment, payment.pk, recorded_at=moment)
