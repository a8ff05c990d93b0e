"""The demo's production pivot, April–May 2020 (DOMAIN.md §2, seeds 000–004).

330 UMKM of 16 provinces declare they will make protective equipment: mostly cloth and
non-medical masks, some coveralls, face shields, hand sanitizer and disinfectant, with
capacities from a home tailor's few thousand masks a month to a konveksi's tens of
thousands. Karya Nusantara (PT Daruma Adira Pratama) is assigned two thirds of them and
has curated 80; a few need improvement (Konveksi Sehati Sungailiat, the `umkm-masker`
seller's own business, improved and was curated on the second check) and a few were
rejected. Producers hold or await their distribution licences, and the industry ministry
has verified most of a dozen raw-material suppliers.

Businesses and their owners are written with bulk_create, as the registry demo writes
its own; declarations, curations, licences and suppliers go through the services, as a
user's would. The declarations and their assignment are loaded as data, like the
registry's rows, without an audit-log entry each (a third of the demo's time otherwise);
the curators' checks, licences and suppliers are logged as a user's would be. Demo
businesses carry the `source_key` prefix MARKER: it is how the demo recognises its work
when run again.

Licences are granted in 2020 but run out relative to the day the demo is loaded, two of
them within the next weeks: the list of licences expiring soon is read against the real
date, and a demo loaded today should show what that list is for.
"""

import datetime
import random

from auditlog.context import disable_auditlog
from django.db import transaction
from django.db.models import Count
from django.utils import timezone

from pulih.accounts.models import Organisation, Role
from pulih.accounts.services import DEMO_ORGANISATIONS, demo_personas_create
from pulih.core.text import name_key
from pulih.registry.fake import WORDS, called_name, make_address, make_person
from pulih.registry.models import Business, Person, scale_of
from pulih.registry.services import batch_for_entry
from pulih.wilayah.models import Village

from .licences import licence_record
from .models import Curation, Declaration, Licence, LicenceKind, Material, ProductType, Supplier
from .services import (
    checklist_current,
    curation_record,
    declaration_create,
    declaration_resubmit,
    declarations_assign,
)
from .suppliers import supplier_create, supplier_verify

SEED = 2020
MARKER = "pivot-"
CURATOR = DEMO_ORGANISATIONS["karya-nusantara"][0]
SEHATI = DEMO_ORGANISATIONS["konveksi-sungailiat"][0]
SEHATI_DISTRICT = "19.01.01"  # Sungailiat
# A home konveksi of a few tailors, at the lowest price of the cloth-mask makers.
SEHATI_CAPACITY, SEHATI_PRICE = 6_000, 3_000
APRIL = datetime.date(2020, 4, 1)
# Declarations came in from 23 March 2020; Karya Nusantara checked them from 2 April.
DECLARED_FROM = datetime.date(2020, 3, 23)
CURATED_FROM = datetime.date(2020, 4, 2)

# province: (producers, regencies they are in). Java's garment towns weigh most.
PROVINCES = {
    "32": (55, ("32.04", "32.73", "32.01", "32.16", "32.06")),
    "33": (50, ("33.74", "33.10", "33.26", "33.75", "33.11", "33.19")),
    "35": (45, ("35.78", "35.15", "35.07", "35.25")),
    "31": (30, ("31.71", "31.72", "31.73", "31.74", "31.75")),
    "34": (25, ("34.71", "34.04", "34.02")),
    "36": (20, ("36.03", "36.71", "36.73")),
    "51": (15, ("51.71", "51.03", "51.04")),
    "12": (15, ("12.71", "12.07")),
    "13": (12, ("13.71", "13.75")),
    "73": (12, ("73.71", "73.06")),
    "19": (10, ("19.01",)),
    "16": (10, ("16.71",)),
    "18": (8, ("18.71",)),
    "61": (8, ("61.71",)),
    "64": (8, ("64.72",)),
    "52": (7, ("52.71",)),
}

# product: (declarations, curated, needs improvement, rejected, awaiting curation); the
# rest are declared and not yet assigned to a curator.
PLAN = {
    "masker-kain": (200, 50, 6, 3, 80),
    "masker-non-medis": (45, 12, 2, 1, 15),
    "masker-medis": (10, 3, 1, 0, 3),
    "baju-hazmat": (20, 4, 1, 1, 6),
    "pelindung-wajah": (25, 5, 1, 0, 8),
    "hand-sanitizer": (20, 4, 1, 1, 6),
    "disinfektan": (10, 2, 0, 0, 4),
}

# What a producer of each product looks like, small (most) or larger (`larger` of them):
# capacity a month, price per unit (Rp), lead time (days) and workers as (low, high);
# equipment; and each material needed per unit made.
PRODUCTS = {
    "masker-kain": {
        "names": ("Konveksi {w}", "Penjahit {bu} {first}", "Rumah Jahit {w}", "Butik {w}"),
        "larger": 0.3,
        "small": ((1_500, 6_000), (3_250, 7_500), (3, 7), (1, 4)),
        "large": ((10_000, 40_000), (3_000, 5_000), (5, 14), (8, 40)),
        "equipment": ("2 mesin jahit, 1 mesin obras", "20 mesin jahit, 4 mesin obras, meja potong"),
        "materials": {"kain-katun": 0.04, "karet-elastis": 0.5},
    },
    "masker-non-medis": {
        "names": ("CV {w} Abadi", "UD {w}", "Konveksi {w}"),
        "larger": 0.4,
        "small": ((5_000, 15_000), (1_500, 3_000), (5, 10), (3, 8)),
        "large": ((20_000, 50_000), (1_250, 2_500), (7, 14), (10, 30)),
        "equipment": ("Mesin jahit, alat press ultrasonik manual", "Mesin masker semi-otomatis"),
        "materials": {"spunbond": 0.05, "karet-elastis": 0.5, "kawat-hidung": 0.1},
    },
    "masker-medis": {
        "names": ("CV {w} Medika", "UD {w} Medika"),
        "larger": 0.5,
        "small": ((20_000, 40_000), (2_000, 3_500), (10, 21), (8, 15)),
        "large": ((50_000, 100_000), (1_750, 3_000), (14, 30), (15, 40)),
        "equipment": ("Mesin masker semi-otomatis, ruang bersih", "Mesin masker otomatis"),
        "materials": {"spunbond": 0.05, "meltblown": 0.001, "karet-elastis": 0.5},
    },
    "baju-hazmat": {
        "names": ("Konveksi {w}", "CV {w} Tekstil"),
        "larger": 0.3,
        "small": ((300, 1_000), (75_000, 125_000), (7, 14), (4, 10)),
        "large": ((1_500, 3_000), (65_000, 100_000), (10, 21), (12, 30)),
        "equipment": ("Mesin jahit, mesin seal seam", "Mesin jahit industri, 2 mesin seal seam"),
        "materials": {"kain-polipropilena": 3},
    },
    "pelindung-wajah": {
        "names": ("Akrilik {w}", "Percetakan {w}", "Bengkel Kreatif {w}"),
        "larger": 0.3,
        "small": ((1_000, 4_000), (10_000, 20_000), (2, 5), (2, 5)),
        "large": ((5_000, 10_000), (8_000, 15_000), (3, 7), (6, 15)),
        "equipment": ("Alat potong mika, stapler", "Mesin laser cutting"),
        "materials": {"lembar-pet": 1, "karet-elastis": 0.4},
    },
    "hand-sanitizer": {
        "names": ("UD {w} Kimia", "Home Industri {w}", "CV {w} Farma"),
        "larger": 0.3,
        "small": ((2_000, 6_000), (12_000, 20_000), (3, 7), (2, 5)),
        "large": ((8_000, 20_000), (10_000, 15_000), (5, 10), (6, 15)),
        "equipment": ("Tangki pencampur 50 liter", "Tangki pencampur 500 liter, mesin pengisi"),
        "materials": {"etanol": 0.08, "gliserin": 0.002, "botol-kemasan": 1},
    },
    "disinfektan": {
        "names": ("UD {w} Bersih", "CV {w} Kimia"),
        "larger": 0.3,
        "small": ((500, 2_000), (15_000, 30_000), (3, 7), (2, 5)),
        "large": ((3_000, 5_000), (12_000, 25_000), (5, 10), (5, 12)),
        "equipment": ("Drum pencampur, pompa", "Tangki pencampur 1.000 liter, mesin pengisi"),
        "materials": {"hidrogen-peroksida": 0.05, "botol-kemasan": 1},
    },
}

# A failed check per product: (the criterion's place in the checklist, the note).
FAILURES = {
    "masker-kain": (4, "Jahitan tepi lepas pada 3 dari 10 sampel."),
    "masker-non-medis": (1, "Kawat hidung tidak terpasang pada sebagian sampel."),
    "masker-medis": (0, "Hasil uji BFE 90 %, di bawah 95 %."),
    "baju-hazmat": (0, "Bahan tembus air pada uji semprot."),
    "pelindung-wajah": (0, "Mika buram, pandangan terdistorsi."),
    "hand-sanitizer": (0, "Kadar etanol 55 % menurut sertifikat bahan."),
    "disinfektan": (1, "Label tanpa petunjuk pengenceran."),
}
REJECTED_REASONS = "Produk tidak memenuhi standar dan tempat produksi belum layak."
SEHATI_IMPROVED = "Sudah membeli mesin obras baru; jahitan tepi dirapikan."

# Raw-material suppliers: (name, regency, contact, [(material, capacity a month)],
# verified by Kemenperin on this day or None when still awaiting verification).
VERIFIER = "Kemenperin — Ditjen Industri Kecil, Menengah dan Aneka"
SUPPLIERS = (
    ("PT Tekstil Katun Nusantara", "32.04", "Hendra", [("kain-katun", 200_000)], 6),
    ("CV Kain Rajut Pekalongan", "33.75", "Siti", [("kain-katun", 60_000)], 6),
    ("Koperasi Tenun Sukoharjo", "33.11", "Warsito", [("kain-katun", 40_000)], 9),
    ("PT Spunbond Indonesia Jaya", "36.03", "Lim", [("spunbond", 500_000)], 3),
    ("PT Meltblown Prima", "32.16", "Agus", [("meltblown", 20_000)], 3),
    ("CV Karet Elastis Sidoarjo", "35.15", "Yuli", [("karet-elastis", 1_000_000)], 7),
    (
        "UD Tali Masker Makmur",
        "32.73",
        "Dedi",
        [("karet-elastis", 300_000), ("kawat-hidung", 200_000)],
        None,
    ),
    ("PT Etanol Tebu Nusantara", "35.07", "Bambang", [("etanol", 150_000)], 2),
    (
        "CV Kimia Abadi Gresik",
        "35.25",
        "Rina",
        [("gliserin", 10_000), ("hidrogen-peroksida", 30_000)],
        8,
    ),
    (
        "PT Plastik Kemasan Sejahtera",
        "36.03",
        "Budi",
        [("botol-kemasan", 500_000), ("lembar-pet", 200_000)],
        8,
    ),
    ("CV Mika Bening Semarang", "33.74", "Tono", [("lembar-pet", 100_000)], None),
    (
        "PT Nonwoven Deli",
        "12.07",
        "Rahmat",
        [("spunbond", 150_000), ("kain-polipropilena", 80_000)],
        10,
    ),
)

HEALTH_MINISTRY = "Kementerian Kesehatan — Ditjen Kefarmasian dan Alat Kesehatan"
ISSUERS = {
    LicenceKind.IZIN_EDAR_PKRT: HEALTH_MINISTRY,
    LicenceKind.IZIN_EDAR_AKD: HEALTH_MINISTRY,
    LicenceKind.SNI: "LSPro Balai Besar Tekstil (BSN)",
}
NUMBER_PREFIX = {LicenceKind.IZIN_EDAR_PKRT: "PKD", LicenceKind.IZIN_EDAR_AKD: "AKD"}


def production_demo_create():
    """Load the demo's production pivot unless it is there already; return what it
    holds. Needs the regions loaded; creates the demo personas it needs if missing."""
    with transaction.atomic():
        if _demo_declarations().exists():
            return production_demo_counts(created=False)
        personas, _created = demo_personas_create()
        rng = random.Random(SEED)
        types = {t.code: t for t in ProductType.objects.all()}
        producers = _businesses_create(rng, personas, types)
        with disable_auditlog():
            declarations = _declarations_create(rng, personas, producers, types)
        _curations(personas, declarations)
        _licences(rng, personas["pusat"], declarations, types)
        _suppliers(personas["pusat"])
    return production_demo_counts(created=True)


def production_demo_counts(*, created=False):
    """What the demo's production pivot holds, for the demo command's summary."""
    declarations = _demo_declarations()
    statuses = dict(
        declarations.filter(curator__name=CURATOR).values_list("status").annotate(n=Count("pk"))
    )
    licences = Licence.objects.filter(business__source_key__startswith=MARKER)
    suppliers = Supplier.objects.filter(name__in=[s[0] for s in SUPPLIERS])
    return {
        "created": created,
        "declarations": declarations.count(),
        "provinces": declarations.values("province_code").distinct().count(),
        "curated": statuses.get(Declaration.Status.CURATED, 0),
        "needs_improvement": statuses.get(Declaration.Status.NEEDS_IMPROVEMENT, 0),
        "rejected": statuses.get(Declaration.Status.REJECTED, 0),
        "in_curation": statuses.get(Declaration.Status.IN_CURATION, 0),
        "licences_granted": licences.filter(status=Licence.Status.GRANTED).count(),
        "licences_pending": licences.filter(
            status__in=[Licence.Status.APPLIED, Licence.Status.IN_PROCESS]
        ).count(),
        "suppliers": suppliers.count(),
        "suppliers_verified": suppliers.filter(status=Supplier.Status.VERIFIED).count(),
    }


def on_day(day, hour=10):
    """A moment of `day` in Jakarta: the demo's records carry the day they happened on."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def _demo_declarations():
    return Declaration.objects.filter(business__source_key__startswith=MARKER)


# Businesses -----------------------------------------------------------------------------


def _villages():
    """Village codes by regency, for every regency of PROVINCES."""
    regencies = {code for _count, codes in PROVINCES.values() for code in codes}
    villages = {code: [] for code in regencies}
    found = Village.objects.filter(district__regency__in=regencies).order_by("code")
    for code in found.values_list("code", flat=True):
        villages[code[:5]].append(code)
    empty = sorted(code for code, codes in villages.items() if not codes)
    if empty:
        raise RuntimeError(f"No villages for {', '.join(empty)}: run `pulih wilayah_load` first.")
    return villages


def _slots(rng):
    """(regency, product code) of each producer but Konveksi Sehati: provinces by their
    weight, products by the plan, matched at random."""
    regencies = [rng.choice(codes) for count, codes in PROVINCES.values() for _ in range(count)]
    regencies.remove("19.01")  # Konveksi Sehati is Bangka's first producer
    products = [code for code, plan in PLAN.items() for _ in range(plan[0])]
    products.remove("masker-kain")  # … and one of the cloth-mask makers
    rng.shuffle(regencies)
    return list(zip(regencies, products, strict=True))


def _businesses_create(rng, personas, types):
    """The 330 producers and their owners, Konveksi Sehati first: [(business, product)]."""
    villages = _villages()
    sungailiat = [v for v in villages["19.01"] if v.startswith(SEHATI_DISTRICT + ".")]
    slots = [("19.01", "masker-kain")] + _slots(rng)
    officers = {u.regency_code: u for u in personas.values() if u.role == Role.KABKOTA}
    batches = {
        code: batch_for_entry(user=officers.get(code), regency_code=code, stage=1)
        for code in {regency for regency, _product in slots}
    }
    rows = []
    for number, (regency, product) in enumerate(slots, start=1):
        village = rng.choice(sungailiat if number == 1 else villages[regency])
        rows.append((regency, product, make_person(rng, village)))
    _niks_unique(rng, rows)
    people, businesses = [], []
    for number, (regency, product, row) in enumerate(rows, start=1):
        person = Person(
            batch=batches[regency],
            created_by=officers.get(regency),
            nik=row["nik"],
            nik_valid=True,
            name=row["name"],
            name_key=name_key(row["name"]),
            birth_date=row["birth_date"],
            sex=row["sex"],
            phone=row["phone"],
            address=row["address"],
        )
        person.set_region(row["village_code"])
        business = _business(rng, number, types[product], row, person)
        business.batch, business.created_by = batches[regency], officers.get(regency)
        if number == 1:
            business.name = SEHATI
            business.organisation = Organisation.objects.get(name=SEHATI)
        people.append(person)
        businesses.append(business)
    Person.objects.bulk_create(people, batch_size=500)
    Business.objects.bulk_create(businesses, batch_size=500)
    return [
        (business, product) for business, (_r, product, _row) in zip(businesses, rows, strict=True)
    ]


def _niks_unique(rng, rows):
    """Draw again the owners whose NIK someone already has (a person of the registry
    demo born the same day in the same district)."""
    taken = set(
        Person.objects.filter(nik__in=[row["nik"] for _r, _p, row in rows]).values_list(
            "nik", flat=True
        )
    )
    for index, (regency, product, row) in enumerate(rows):
        while row["nik"] in taken:
            row = make_person(rng, row["village_code"])
        taken.add(row["nik"])
        rows[index] = (regency, product, row)


def _business(rng, number, product_type, row, person):
    profile = PRODUCTS[product_type.code]
    pattern = profile["names"][int(rng.random() * len(profile["names"]))]
    name = pattern.format(
        w=rng.choice(WORDS),
        bu="Bu" if row["sex"] == "F" else "Pak",
        first=called_name(row["name"]),
    )
    capital = round(rng.uniform(5, 400)) * 1_000_000
    annual_sales = round(rng.uniform(60, 1_800)) * 1_000_000
    business = Business(
        owner=person,
        name=name,
        kbli_section="C",
        sector_note=f"Beralih ke {product_type.name.lower()}",
        capital=capital,
        annual_sales=annual_sales,
        scale=scale_of(capital=capital, annual_sales=annual_sales),
        employees=1 + int(rng.random() * 20),
        address=make_address(rng),
        whatsapp=row["phone"],
        source_key=f"{MARKER}{number:05d}",
    )
    business.set_region(row["village_code"])
    return business


# Declarations and their curation --------------------------------------------------------


def _between(rng, low, high, step):
    return max(step, round(rng.uniform(low, high) / step) * step)


def _declarations_create(rng, personas, producers, types):
    """Each producer's declaration, declared by an officer on its behalf; Konveksi Sehati
    declared its own. {product: [declaration, …]} in the order declared."""
    materials = {m.code: m for m in Material.objects.all()}
    declared = {code: [] for code in PLAN}
    for business, product in producers:
        profile = PRODUCTS[product]
        larger = rng.random() < profile["larger"]
        capacity, price, lead, workers = profile["large" if larger else "small"]
        monthly = _between(rng, *capacity, 500 if capacity[1] >= 10_000 else 100)
        unit_price = _between(rng, *price, 250)
        sehati = business.name == SEHATI
        if sehati:
            monthly, unit_price = SEHATI_CAPACITY, SEHATI_PRICE
        declaration = declaration_create(
            user=personas["umkm-masker" if sehati else "pusat"],
            business=business,
            product_type=types[product],
            monthly_capacity=monthly,
            lead_time_days=rng.randint(*lead),
            unit_price=unit_price,
            equipment=profile["equipment"][larger],
            workers=rng.randint(*workers),
            description="Siap memproduksi untuk penanganan Covid-19.",
            materials=[
                (materials[code], max(1, round(monthly * per_unit)))
                for code, per_unit in profile["materials"].items()
            ],
        )
        declaration.declared_at = on_day(
            DECLARED_FROM + datetime.timedelta(days=rng.randint(0, 10))
        )
        declared[product].append(declaration)
    Declaration.objects.bulk_update(
        [d for declarations in declared.values() for d in declarations], ["declared_at"]
    )
    return declared


def _results(criteria, failed=None, note=""):
    """An answer to every criterion: passed, with a measured value above the minimum,
    except `failed` (a criterion) with its note."""
    results = {}
    for criterion in criteria:
        passes = criterion != failed
        answer = {"note": "" if passes else note}
        if criterion.minimum is not None:
            layers = criterion.value_unit == "lapis"
            margin = (1 if layers else 3) if passes else (-1 if layers else -5)
            answer["value"] = criterion.minimum + margin
        else:
            answer["passed"] = passes
        results[criterion.pk] = answer
    return results


def _curations(personas, declared):
    """Assign the planned declarations to Karya Nusantara and record its checks."""
    curator_org = Organisation.objects.get(name=CURATOR)
    kurator, pusat = personas["kurator"], personas["pusat"]
    plans = {}
    for product, (_n, curated, improve, rejected, waiting) in PLAN.items():
        queue = list(declared[product])
        sehati = queue.pop(0) if product == "masker-kain" else None
        if sehati is not None:
            curated -= 1
        cut = [curated, curated + improve, curated + improve + rejected]
        plans[product] = {
            "sehati": sehati,
            "curated": queue[: cut[0]],
            "improve": queue[cut[0] : cut[1]],
            "rejected": queue[cut[1] : cut[2]],
            "assigned": queue[: cut[2] + waiting] + ([sehati] if sehati else []),
        }
    assigned = [d for plan in plans.values() for d in plan["assigned"]]
    with disable_auditlog():
        declarations_assign(user=pusat, declarations=assigned, curator=curator_org)
    for product, plan in plans.items():
        criteria = list(checklist_current(plan["assigned"][0].product_type_id).criteria.all())
        position, note = FAILURES[product]
        failed = criteria[position]
        for declaration in plan["curated"]:
            curation_record(user=kurator, declaration=declaration, results=_results(criteria))
        for declaration in plan["improve"]:
            curation_record(
                user=kurator, declaration=declaration, results=_results(criteria, failed, note)
            )
        for declaration in plan["rejected"]:
            curation_record(
                user=kurator,
                declaration=declaration,
                results=_results(criteria, failed, note),
                outcome=Curation.Outcome.REJECTED,
                reasons=REJECTED_REASONS,
            )
        if plan["sehati"] is not None:
            _sehati_curate(personas, plan["sehati"], criteria, failed, note)
    _curations_dated(assigned, plans["masker-kain"]["sehati"])


def _curations_dated(assigned, sehati):
    """Spread the checks over 2–12 April, ten a day; Konveksi Sehati's first on 3 April
    and its re-curation on 14 April."""
    curations = list(Curation.objects.filter(declaration__in=assigned).order_by("pk"))
    regular = [c for c in curations if c.declaration_id != sehati.pk]
    dated = [(c, CURATED_FROM + datetime.timedelta(days=i // 10)) for i, c in enumerate(regular)]
    dated += zip(
        [c for c in curations if c.declaration_id == sehati.pk],
        (datetime.date(2020, 4, 3), datetime.date(2020, 4, 14)),
        strict=True,
    )
    for index, (curation, day) in enumerate(dated):
        curation.started_at = curation.finished_at = on_day(day, 9 + index % 8)
    Curation.objects.bulk_update(curations, ["started_at", "finished_at"])


def _sehati_curate(personas, declaration, criteria, failed, note):
    """Konveksi Sehati needed improvement, improved, and was curated on the second check."""
    kurator = personas["kurator"]
    curation_record(user=kurator, declaration=declaration, results=_results(criteria, failed, note))
    declaration_resubmit(
        user=personas["umkm-masker"], declaration=declaration, note=SEHATI_IMPROVED
    )
    curation_record(user=kurator, declaration=declaration, results=_results(criteria))


# Licences and suppliers -----------------------------------------------------------------


def _licences(rng, pusat, declared, types):
    """Distribution licences (izin edar) of the curated producers that need one, a few
    still in process, and applications of some still in curation; SNI certificates of
    some curated cloth-mask makers. Validity runs from the real date (see the module)."""
    today = timezone.localdate()
    soon = iter((today + datetime.timedelta(days=21), today + datetime.timedelta(days=45)))
    for product in ("hand-sanitizer", "disinfektan", "masker-medis", "baju-hazmat", "masker-kain"):
        kind = types[product].licence_kind or LicenceKind.SNI
        current = Declaration.objects.filter(pk__in=[d.pk for d in declared[product]])
        for index, declaration in enumerate(current.select_related("business").order_by("pk")):
            applied = APRIL + datetime.timedelta(days=rng.randint(0, 12))
            granted = applied + datetime.timedelta(days=rng.randint(10, 20))
            record = {
                "user": pusat,
                "business": declaration.business,
                "kind": kind,
                "issuer": ISSUERS[kind],
                "product_type": types[product],
                "applied_on": applied,
            }
            curated = declaration.status == Declaration.Status.CURATED
            if kind == LicenceKind.SNI:
                if curated and index % 6 == 1:
                    licence_record(
                        **record,
                        status=Licence.Status.GRANTED,
                        number=f"SPPT-SNI {rng.randrange(1000, 9999)}/LSPro-BBT/2020",
                        granted_on=granted,
                        expires_on=today + datetime.timedelta(days=rng.randint(400, 1_200)),
                    )
            elif curated and (product != "baju-hazmat" or index % 2 == 0):
                licence_record(
                    **record,
                    status=Licence.Status.GRANTED,
                    number=f"KEMENKES RI {NUMBER_PREFIX[kind]} {rng.randrange(10**10, 10**11)}",
                    granted_on=granted,
                    expires_on=next(soon, None)
                    or today + datetime.timedelta(days=rng.randint(300, 1_000)),
                )
            elif curated or (declaration.status == Declaration.Status.IN_CURATION and index < 8):
                licence_record(**record, status=Licence.Status.IN_PROCESS)


def _suppliers(pusat):
    materials = {m.code: m for m in Material.objects.all()}
    for name, regency, contact, supplied, verified_day in SUPPLIERS:
        supplier = supplier_create(
            user=pusat,
            name=name,
            region_code=regency,
            materials=[(materials[code], capacity) for code, capacity in supplied],
            contact_name=contact,
        )
        if verified_day is not None:
            supplier_verify(
                user=pusat,
                supplier=supplier,
                verified=True,
                verified_by=VERIFIER,
                verified_on=APRIL + datetime.timedelta(days=verified_day),
            )
