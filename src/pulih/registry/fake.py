"""Realistic, reproducible Indonesian registry data for the demo, tests and benchmarks.

The demo must look like what a Dinas in Bangka Belitung collected in April–June 2020, and
the import benchmark needs 100,000 rows in a few seconds, so this is plain Python on a
seeded `random.Random`: no network, no third-party faker, the same seed gives the same
rows. Names, products and places lean on Bangka Belitung (Malay, Hakka Chinese, Javanese
and Sundanese families; pepper, kerupuk, fish, tin crafts, batik cual, coffee shops).

Every NIK made here is valid and agrees with the person's village, birth date and sex;
`make_invalid_nik` and `make_name_variant` spoil one on purpose, the way real data goes
wrong, for the validation and record-linkage work to find.
"""

import re
import weakref
from datetime import date
from decimal import Decimal

from pulih.wilayah.data import region_index

from .models import ImpactStatus, Need, Problem


def _names(text):
    """A tuple from space-separated words: long name lists stay readable, many a line."""
    return tuple(text.split())


# Given names and second names by family background and sex. Roughly a third of people
# in the data go by one name only, as many Indonesians do.
NAMES = {
    "malay": {
        "M": _names(
            "Muhammad Ahmad Abdul Rahmat Hasan Husin Ismail Yusuf Ibrahim Zainal Syahrial "
            "Rusdi Hamdan Amri Rizal Fadli Hendra Firdaus Saparudin Zulkifli Jamaludin "
            "Hasanudin Marzuki Syamsudin Ridwan Arif Fauzi Bujang Dedi Edi Herman Rudi "
            "Safari Safrizal Erwin Yudi Iskandar Kamaruddin Junaidi Ardiansyah Irwansyah "
            "Khairul Syaiful Zulfikar Rosyid Yahya"
        ),
        "M2": _names(
            "Yusuf Rahman Hidayat Saputra Syahputra Ramadhan Hakim Efendi Kurniawan Setiawan "
            "Pratama Firmansyah Hamzah Ismail Abdullah Ali Usman Syarif Idris Hasan Rosyidi"
        ),
        "F": _names(
            "Siti Nur Nurul Aminah Maimunah Rosidah Rohani Fatimah Zubaidah Halimah Salmah "
            "Yuliana Yanti Rina Lina Ani Rahmawati Nurhayati Hasanah Marlina Erna Eka Dewi "
            "Fitri Yuni Mariam Aisyah Khadijah Nila Desi Herlina Susilawati Juliana Rosita"
        ),
        "F2": _names(
            "Aminah Rahmawati Fitriani Hasanah Wati Sari Handayani Puspita Anggraini "
            "Susanti Safitri Maulida Zahra Fadilah Khairunnisa Rohana Hayati Yusnita"
        ),
    },
    "javanese": {
        "M": _names(
            "Sutrisno Suparman Slamet Sugeng Bambang Joko Agus Budi Heru Wahyu Eko Dwi "
            "Teguh Priyo Purnomo Sumarno Suyanto Sukardi Gunadi Widodo Haryanto Tri"
        ),
        "M2": _names(
            "Santoso Wibowo Purnomo Prasetyo Susanto Hartono Setiawan Nugroho Wijaya Utomo "
            "Saputro Sulistyo Riyadi Hidayat"
        ),
        "F": _names(
            "Sri Suharti Sumiati Endang Sulastri Tri Wulan Ratna Lestari Suwarni Puji Yuli "
            "Kartini Sumarni Indah Sutinah"
        ),
        "F2": _names(
            "Lestari Rahayu Wulandari Ningsih Handayani Astuti Wahyuni Suryani Pertiwi "
            "Utami Mulyani Purwanti"
        ),
    },
    "sundanese": {
        "M": _names("Asep Ujang Dede Cecep Dadang Ade Aep Encep Yayan Deden Dodi Iwan Ruhiyat"),
        "M2": _names("Supriatna Hidayat Saepudin Kusnadi Sutisna Rohmat Suherman Mulyana Sopandi"),
        "F": _names("Euis Neneng Iis Enung Imas Cucu Nining Yeni Elis Ai Teti Lilis"),
        "F2": _names("Rohaeti Nurhayati Komariah Kurniasih Rostika Sumiati Nurjanah"),
    },
    # Chinese-Indonesian families of Bangka, most of Hakka descent: Indonesian given names
    # with a family-derived surname, or (in `HAKKA`) the Hakka name itself.
    "chinese": {
        "M": _names(
            "Acong Liong Afung Ahin Akiong Asiong Ahan Ajun Aliong Hendrik Suryadi Budiman "
            "Hartono Rudy Steven Felix Johan Hengky Edwin Tomy"
        ),
        "M2": _names(
            "Wijaya Gunawan Halim Kurniawan Susanto Tanoto Santoso Lim Tjhin Bong Chin "
            "Phang Liu Tan"
        ),
        "F": _names(
            "Meliana Lili Susi Lisa Yuliana Winda Fenny Meiliana Lina Amoi Afa Ahua Vivi Linda Mega"
        ),
        "F2": _names("Wijaya Gunawan Halim Kurniawan Susanto Lim Tjhin Bong Chin Phang"),
    },
}
FAMILY_WEIGHTS = (("malay", 55), ("chinese", 25), ("javanese", 13), ("sundanese", 7))
FAMILIES = [family for family, weight in FAMILY_WEIGHTS for _ in range(weight)]
ONE_NAME_SHARE = 0.3
HAKKA_SHARE = 0.4  # of Chinese-Indonesian people, those written with their Hakka name
HAKKA = {
    "surnames": _names("Lim Tjhin Bong Chin Phang Liu Tan Lie Tjong Kho"),
    "M": _names("Kim Fui Sui Liong Khiong Ket Min Fung Jin Hin Sun Cong Fat Thiam Siong Jun"),
    "F": _names("Kim Fui Lan Mei Nyuk Moi Fa Lin Chu Jun Sui Lie Min Fung"),
}
# First names that are a prefix rather than what people are called ("Muhammad Yusuf" is
# Pak Yusuf), with their other spellings; used to name the business after its owner.
PREFIX_NAMES = set(
    _names("Muhammad M. Moh. Muhamad Mohammad Ahmad Achmad Akhmad A. Abdul Abd. Abdoel")
    + _names("Siti St. Nur Nurul")
)

# How one person's name differs between two registrations: the usual abbreviations and
# spellings of common names, and the old (pre-1972) spelling older people keep on papers.
NAME_SPELLINGS = (
    ("Muhammad", ("M.", "Muhamad", "Mohammad", "Moh.")),
    ("Ahmad", ("Achmad", "Akhmad", "A.")),
    ("Abdul", ("Abd.", "Abdoel")),
    ("Siti", ("St.",)),
    ("Nurul", ("Nur",)),
    ("Yusuf", ("Yusup", "Jusuf")),
    ("Tjhin", ("Chin",)),
)
OLD_SPELLINGS = (("u", "oe"), ("y", "j"), ("j", "dj"), ("c", "tj"), ("Sy", "Sj"), ("Kh", "Ch"))

# (weight, KBLI section, sector note, business name patterns, what a pivot turns it to).
# Patterns use {bu} (Bu/Pak by the owner's sex), {first} (the owner's called name),
# {place} (the village's district) and {word} (a hopeful shop word).
SECTORS = (
    (
        13,
        "I",
        "Warung makan masakan Bangka",
        ("Warung Makan {bu} {first}", "Rumah Makan {word}", "Warung Lempah Kuning {bu} {first}"),
        ("layanan pesan antar",),
    ),
    (
        7,
        "I",
        "Kedai kopi",
        ("Kopi {word}", "Kedai Kopi {first}", "Warung Kopi {place}", "Kopi Tiam {first}"),
        ("penjualan kopi bubuk daring", "layanan pesan antar"),
    ),
    (
        5,
        "I",
        "Mi Bangka, martabak dan otak-otak",
        ("Mie Koba {first}", "Martabak Bangka {first}", "Otak-Otak {bu} {first}"),
        ("otak-otak beku untuk dijual daring",),
    ),
    (
        8,
        "C",
        "Kerupuk dan kemplang ikan",
        ("Kerupuk Ikan {place}", "Kemplang {first}", "Getas {place}", "Kerupuk {word}"),
        ("penjualan daring",),
    ),
    (
        4,
        "C",
        "Terasi dan rusip",
        ("Terasi {place}", "Rusip {bu} {first}", "Belacan {word}"),
        ("penjualan daring",),
    ),
    (
        4,
        "C",
        "Batik cual",
        ("Batik Cual {motif}", "Tenun Cual {first}", "Batik Cual {place}"),
        ("masker kain batik cual",),
    ),
    (
        3,
        "C",
        "Kerajinan timah (pewter)",
        ("Kerajinan Timah {place}", "Pewter {word}", "Suvenir Timah {first}"),
        ("penjualan daring",),
    ),
    (
        6,
        "C",
        "Penjahit dan konveksi",
        ("Jahit {first}", "Penjahit {bu} {first}", "Konveksi {word}"),
        ("masker kain", "baju APD (hazmat)"),
    ),
    (
        3,
        "C",
        "Kue, roti dan dodol",
        ("Kue {bu} {first}", "Roti {word}", "Dodol {place}"),
        ("kue kering untuk dijual daring",),
    ),
    (
        2,
        "C",
        "Sabun dan produk rumah tangga",
        ("Sabun {word}", "Home Industri {first}"),
        ("hand sanitizer", "cairan disinfektan"),
    ),
    (
        6,
        "A",
        "Budidaya lada putih",
        ("Lada Putih {place}", "Kebun Lada {first}", "Lada {word}"),
        ("penjualan lada bubuk daring",),
    ),
    (
        5,
        "A",
        "Nelayan dan ikan segar",
        ("Nelayan {first} {place}", "Ikan Segar {first}", "Tambak Udang {word}"),
        ("ikan olahan beku",),
    ),
    (
        2,
        "A",
        "Madu hutan dan kebun karet",
        ("Madu Pahit {place}", "Kebun {first}"),
        ("penjualan madu daring",),
    ),
    (
        14,
        "G",
        "Toko kelontong dan sembako",
        ("Toko Kelontong {first}", "Toko {word}", "Warung Sembako {bu} {first}", "UD {word}"),
        ("paket sembako pesan antar",),
    ),
    (
        4,
        "G",
        "Perdagangan lada dan hasil bumi",
        ("UD {word}", "CV {word} {place}", "Agen Lada {first}"),
        ("penjualan lada bubuk daring",),
    ),
    (
        3,
        "G",
        "Oleh-oleh khas Bangka Belitung",
        ("Oleh-Oleh {place}", "Pusat Oleh-Oleh {word}"),
        ("penjualan daring",),
    ),
    (
        2,
        "G",
        "Pulsa dan aksesori ponsel",
        ("{first} Cell", "Pulsa {word}"),
        ("masker dan hand sanitizer",),
    ),
    (
        4,
        "S",
        "Pangkas rambut dan salon",
        ("Pangkas Rambut {first}", "Salon {first}"),
        ("layanan panggilan ke rumah",),
    ),
    (3, "S", "Laundry", ("Laundry {word}",), ("jasa cuci disinfektan",)),
    (
        2,
        "S",
        "Reparasi elektronik",
        ("Servis Elektronik {first}",),
        ("penjualan masker dan hand sanitizer",),
    ),
)
SECTOR_CHOICES = [sector for sector in SECTORS for _ in range(sector[0])]
WORDS = (
    "Sumber Rezeki",
    "Maju Jaya",
    "Berkah",
    "Barokah",
    "Sinar Harapan",
    "Mandiri",
    "Sejahtera",
    "Makmur",
    "Harapan Baru",
    "Sentosa",
    "Karya Bersama",
    "Serumpun Sebalai",
    "Cahaya Baru",
    "Mitra Usaha",
    "Bintang Timur",
    "Sinar Laut",
    "Tiga Saudara",
    "Usaha Bersama",
    "Maju Bersama",
    "Sinar Jaya",
)
CUAL_MOTIFS = ("Kembang Kenanga", "Pucuk Rebung", "Bunga Teratai", "Daun Simpor", "Serumpun")
STREETS = (
    "Jenderal Sudirman",
    "Ahmad Yani",
    "Diponegoro",
    "Merdeka",
    "Depati Amir",
    "Depati Hamzah",
    "Batin Tikal",
    "Soekarno-Hatta",
    "Pasar",
    "Kampung Melayu",
    "Pelabuhan",
    "Masjid Jamik",
    "Kenanga",
    "Melati",
    "Mawar",
    "Anggrek",
    "Kartini",
    "Gajah Mada",
    "Hayam Wuruk",
    "Imam Bonjol",
    "Raya Sungailiat",
    "Raya Koba",
    "Mentok",
    "Lintas Timur",
    "Kampung Bintang",
    "Pantai",
    "Air Itam",
    "Selindung",
)
ALLEYS = ("Mawar", "Kelapa", "Damai", "Bersama", "Langgar", "Rukun", "Sawo")
DUSUN = ("I", "II", "III", "IV", "V")

# Operator prefixes of Indonesian mobile numbers after +62 (Telkomsel, Indosat, XL, Axis,
# Tri, Smartfren), weighted towards Telkomsel as outside Java.
MOBILE_PREFIXES = _names(
    "811 812 812 812 813 813 821 821 822 852 852 853 814 815 816 855 856 857 858 "
    "817 818 819 859 877 878 831 832 838 895 896 897 898 881 882 887 888"
)
NOT_SLUG = re.compile(r"[^a-z0-9]+")
MARKETPLACES = (
    "https://shopee.co.id/{slug}",
    "https://www.tokopedia.com/{slug}",
    "https://www.bukalapak.com/u/{slug}",
    "https://www.instagram.com/{slug}",
)

# Approximate land boxes (latitude south to north, longitude west to east) of the
# regencies of Bangka Belitung; elsewhere the province's box, as nothing better is known.
BOXES = {
    "19.01": (-2.10, -1.52, 105.60, 106.20),
    "19.02": (-3.25, -2.55, 107.55, 107.95),
    "19.03": (-3.30, -2.60, 106.00, 106.85),
    "19.04": (-2.75, -2.15, 106.00, 106.75),
    "19.05": (-2.10, -1.55, 105.12, 105.75),
    "19.06": (-3.20, -2.60, 107.95, 108.30),
    "19.71": (-2.17, -2.08, 106.08, 106.16),
}
PROVINCE_BOX = (-3.30, -1.50, 105.10, 108.30)

# Impact status weights, and the share of monthly sales lost for each (low, high).
STATUS_WEIGHTS = (
    (ImpactStatus.REDUCED, 50),
    (ImpactStatus.TEMPORARILY_CLOSED, 22),
    (ImpactStatus.PIVOTED, 10),
    (ImpactStatus.OPERATING, 10),
    (ImpactStatus.CLOSED, 8),
)
STATUSES = [str(status) for status, weight in STATUS_WEIGHTS for _ in range(weight)]
SALES_LOSS = {
    "operating": (0.0, 0.3),
    "reduced": (0.3, 0.9),
    "pivoted": (0.1, 0.6),
    "temporarily_closed": (1.0, 1.0),
    "closed": (1.0, 1.0),
}
# How often each problem and need is ticked; a report always has at least one of each.
PROBLEM_SHARES = (
    (str(Problem.DEMAND_DROP), 0.8),
    (str(Problem.RAW_MATERIALS), 0.25),
    (str(Problem.CAPITAL), 0.4),
    (str(Problem.DISTRIBUTION), 0.3),
    (str(Problem.RESTRICTIONS), 0.5),
)
NEED_SHARES = (
    (str(Need.CAPITAL), 0.7),
    (str(Need.RAW_MATERIALS), 0.2),
    (str(Need.MARKETING), 0.4),
    (str(Need.TRAINING), 0.15),
    (str(Need.AID), 0.5),
)
EMPLOYEES_MICRO = (1,) * 30 + (2,) * 25 + (3,) * 18 + (4,) * 12 + (5,) * 7 + (6, 7, 8, 9, 10) * 2
REPORT_FIRST_DAY = date(2020, 4, 1).toordinal()
REPORT_DAYS = 91  # 1 April – 30 June 2020, the first collection stage

# How a NIK goes wrong in real data, and the problem code `nik_check` gives for it.
INVALID_NIK_KINDS = {
    "length": "nik_length",
    "birth_date": "nik_birth_date",
    "serial_zero": "nik_serial_zero",
    "province": "nik_province_unknown",
}
UNKNOWN_PROVINCES = ("10", "20", "30", "40", "99")

# NIK serials already given per rng, so NIKs never repeat within one generator run while
# callers can pass a plain `random.Random`: one rng is one run.
_serials = weakref.WeakKeyDictionary()


def make_person(rng, village_code, *, birth_year_range=(1950, 2000)):
    """A person living in `village_code` with a valid NIK first registered in its district."""
    sex = "F" if rng.random() < 0.45 else "M"
    first_year, last_year = birth_year_range
    start = date(first_year, 1, 1).toordinal()
    days = date(last_year, 12, 31).toordinal() - start + 1
    birth_date = date.fromordinal(start + int(rng.random() * days))
    return {
        "nik": _nik(rng, village_code, birth_date, sex),
        "name": make_name(rng, sex),
        "birth_date": birth_date,
        "sex": sex,
        "phone": make_phone(rng) if rng.random() < 0.95 else "",
        "address": make_address(rng),
        "village_code": village_code,
    }


def _nik(rng, village_code, birth_date, sex):
    """Province, regency and district digits, DDMMYY (+40 on the day for women), serial.

    Serials start low, as in a district's civil registry, and count up for the next
    person born there on the same day.
    """
    day = birth_date.day + (40 if sex == "F" else 0)
    prefix = (
        f"{village_code[:2]}{village_code[3:5]}{village_code[6:8]}"
        f"{day:02d}{birth_date.month:02d}{birth_date.year % 100:02d}"
    )
    serials = _serials.get(rng)
    if serials is None:
        serials = _serials[rng] = {}
    serial = serials[prefix] + 1 if prefix in serials else 1 + int(rng.random() * 20)
    serials[prefix] = serial
    return f"{prefix}{serial:04d}"


def make_name(rng, sex):
    """A full name, honorific-free, as written on an ID card."""
    family = FAMILIES[int(rng.random() * len(FAMILIES))]
    if family == "chinese" and rng.random() < HAKKA_SHARE:
        surname = _pick(rng, HAKKA["surnames"])
        return f"{surname} {_pick(rng, HAKKA[sex])} {_pick(rng, HAKKA[sex])}"
    names = NAMES[family]
    first = _pick(rng, names[sex])
    if first not in PREFIX_NAMES and rng.random() < ONE_NAME_SHARE:
        return first
    second = _pick(rng, names[sex + "2"])
    return first if second == first else f"{first} {second}"


def called_name(name):
    """What people call the person: "Muhammad Yusuf" → Yusuf, "Lim Kim Fui" → Afui."""
    parts = name.split()
    if len(parts) == 3 and parts[0] in HAKKA["surnames"]:
        return "A" + parts[2].lower()
    if len(parts) > 1 and parts[0] in PREFIX_NAMES:
        return parts[1]
    return parts[0]


def make_name_variant(rng, name):
    """The same name as another office may have written it: abbreviated, spelt the other
    usual way or the old way, without the second name, or with a typo."""
    for old, news in NAME_SPELLINGS:
        if old in name:
            return name.replace(old, rng.choice(news), 1)
    r = rng.random()
    old_spellings = [(old, new) for old, new in OLD_SPELLINGS if old in name]
    if r < 0.4 and old_spellings:
        old, new = rng.choice(old_spellings)
        return name.replace(old, new, 1)
    if r < 0.6 and " " in name:
        return name.rsplit(" ", 1)[0]
    # A typo inside a word: its first letter is the one people get right.
    i = rng.choice([i for i in range(1, len(name)) if name[i].isalpha() and name[i - 1].isalpha()])
    if r < 0.8:
        return name[:i] + name[i] + name[i:]  # a doubled letter
    return name[:i] + name[i + 1 :]  # a dropped letter


def make_invalid_nik(rng, nik, kind):
    """`nik` spoilt the way real data spoils it; `kind` is a key of INVALID_NIK_KINDS."""
    if kind == "length":
        position = rng.randrange(6, 16)
        return nik[:position] + nik[position + 1 :]
    if kind == "birth_date":
        women = int(nik[6:8]) > 40
        return f"{nik[:6]}{71 if women else 31}02{nik[10:]}"  # 31 February
    if kind == "serial_zero":
        return nik[:12] + "0000"
    if kind == "province":
        return rng.choice(UNKNOWN_PROVINCES) + nik[2:]
    raise ValueError(f"unknown kind of invalid NIK: {kind}")


def make_phone(rng):
    """An Indonesian mobile number in E.164, as WhatsApp and the registry keep it."""
    prefix = MOBILE_PREFIXES[int(rng.random() * len(MOBILE_PREFIXES))]
    digits = 8 if rng.random() < 0.7 else 7
    return f"+62{prefix}{rng.randrange(10**digits):0{digits}d}"


def make_address(rng):
    """A street address without the village, which the record keeps as a code."""
    r = rng.random()
    rt, rw = 1 + int(rng.random() * 15), 1 + int(rng.random() * 8)
    if r < 0.75:
        number = 1 + int(rng.random() * 150)
        return f"Jl. {_pick(rng, STREETS)} No. {number}, RT {rt:03d}/RW {rw:03d}"
    if r < 0.9:
        return f"Dusun {_pick(rng, DUSUN)}, RT {rt:03d}"
    number = 1 + int(rng.random() * 40)
    return f"Gg. {_pick(rng, ALLEYS)} No. {number}, RT {rt:03d}/RW {rw:03d}"


def make_row(rng, village_code, *, person=None):
    """One affected UMKM as an import row: owner, business and Covid impact report.

    Keys are the canonical import fields; values are Python values (dates, ints, lists of
    choice codes, "M"/"F"), or "" / None / [] where the field was left empty. `person`
    (as from `make_person`) gives the owner, e.g. someone already registered elsewhere.
    """
    row = dict(person) if person is not None else make_person(rng, village_code)
    business, pivots = _business(rng, row)
    row.update(business)
    row.update(_impact(rng, row))
    if row["impact_status"] == ImpactStatus.PIVOTED:
        row["sector_note"] += f"; beralih ke {_pick(rng, pivots)}"
    return row


def _business(rng, person):
    """The business fields of a row, and what the business would pivot to."""
    village_code = person["village_code"]
    _weight, section, note, patterns, pivots = SECTOR_CHOICES[
        int(rng.random() * len(SECTOR_CHOICES))
    ]
    place = region_index().district_name(village_code[:8]) or "Bangka"
    name = _pick(rng, patterns).format(
        bu="Bu" if person["sex"] == "F" else "Pak",
        first=called_name(person["name"]),
        place=place,
        word=_pick(rng, WORDS),
        motif=_pick(rng, CUAL_MOTIFS),
    )
    capital, annual_sales, employees = _size(rng)
    latitude = longitude = None
    if rng.random() < 0.4:
        south, north, west, east = BOXES.get(village_code[:5], PROVINCE_BOX)
        latitude = Decimal(f"{south + rng.random() * (north - south):.6f}")
        longitude = Decimal(f"{west + rng.random() * (east - west):.6f}")
    r = rng.random()
    return {
        "business_name": name,
        "nib": f"{_pick(rng, ('81202', '91202'))}{rng.randrange(10**8):08d}"
        if rng.random() < 0.3
        else "",
        "kbli_section": section,
        "sector_note": note,
        "capital": capital,
        "annual_sales": annual_sales,
        "employees": employees,
        "business_address": make_address(rng) if rng.random() < 0.5 else "",
        "latitude": latitude,
        "longitude": longitude,
        "whatsapp": person["phone"] if r < 0.55 else make_phone(rng) if r < 0.65 else "",
        "marketplace_links": _links(rng, name) if rng.random() < 0.2 else [],
    }, pivots


def _size(rng):
    """Capital, annual sales (Rupiah) and employees: mostly micro, some small, few medium.

    Amounts are log-uniform, rounded as people report them.
    """
    r = rng.random()
    if r < 0.94:
        capital, sales, employees = (2e6, 3e8), (1.2e7, 1.5e9), _pick(rng, EMPLOYEES_MICRO)
    elif r < 0.99:
        capital, sales, employees = (1.2e9, 4.5e9), (2.5e9, 1.2e10), 5 + int(rng.random() * 26)
    else:
        capital, sales, employees = (5.5e9, 9e9), (1.6e10, 4.5e10), 20 + int(rng.random() * 81)
    capital = _log_uniform(rng, *capital, 500_000) if rng.random() < 0.95 else None
    return capital, _log_uniform(rng, *sales, 100_000), employees


def _log_uniform(rng, low, high, step):
    return max(step, round(low * (high / low) ** rng.random() / step) * step)


def _links(rng, name):
    slug = NOT_SLUG.sub("", name.lower())
    first = _pick(rng, MARKETPLACES)
    second = _pick(rng, MARKETPLACES) if rng.random() < 0.3 else first
    return [pattern.format(slug=slug) for pattern in dict.fromkeys((first, second))]


def _impact(rng, row):
    """The report of April–June 2020: monthly sales and staff before and after, status,
    and the problems and needs ticked."""
    status = STATUSES[int(rng.random() * len(STATUSES))]
    monthly = row["annual_sales"] / 12 * (0.8 + 0.4 * rng.random())
    sales_before = max(50_000, round(monthly / 50_000) * 50_000)
    low, high = SALES_LOSS[status]
    sales_after = round(sales_before * (1 - low - (high - low) * rng.random()) / 50_000) * 50_000
    before = row["employees"]
    if status in ("closed", "temporarily_closed"):
        after = 0
        laid_off = before if status == "closed" else int(rng.random() * (before + 1))
    else:
        cut = {"operating": 0.15, "reduced": 0.6, "pivoted": 0.4}[status]
        after = before - int(rng.random() * cut * before + 0.5)
        laid_off = before - after
    return {
        "report_date": date.fromordinal(REPORT_FIRST_DAY + int(rng.random() * REPORT_DAYS)),
        "sales_before": sales_before,
        "sales_after": sales_after,
        "employees_before": before,
        "employees_after": after,
        "laid_off": laid_off,
        "impact_status": status,
        "problems": _ticked(rng, PROBLEM_SHARES),
        "needs": _ticked(rng, NEED_SHARES),
    }


def _ticked(rng, shares):
    ticked = [code for code, share in shares if rng.random() < share]
    return ticked or [shares[0][0]]


def _pick(rng, sequence):
    """`rng.choice`, a third of the cost; the generator draws about fifty times a row."""
    return sequence[int(rng.random() * len(sequence))]
