"""The starting catalogue: product types, materials and each type's first checklist.

The catalogue is configurable (admin, and a new checklist version through
`services.checklist_revise`); this is what a fresh installation begins with. Criteria
paraphrase the public requirements they name: SNI 8914:2020 (textile — cloth masks:
fabric layers, fabric, fit, washability), the ≥ 60 % alcohol of a hand sanitizer that
public-health guidance asks for, and the distribution-licence (izin edar) rules of the
health ministry (Kemenkes) for medical devices (AKD) and household health supplies (PKRT).
"""

# code: (name, unit, licence kind required, order)
PRODUCT_TYPES = {
    "masker-kain": ("Masker kain", "pcs", "", 1),
    "masker-non-medis": ("Masker non-medis", "pcs", "", 2),
    "masker-medis": ("Masker medis", "pcs", "izin_edar_akd", 3),
    "baju-hazmat": ("Baju pelindung (coverall/gaun)", "pcs", "izin_edar_akd", 4),
    "pelindung-wajah": ("Pelindung wajah (face shield)", "pcs", "", 5),
    "hand-sanitizer": ("Hand sanitizer", "botol 100 ml", "izin_edar_pkrt", 6),
    "disinfektan": ("Disinfektan", "liter", "izin_edar_pkrt", 7),
}

# code: (name, unit)
MATERIALS = {
    "kain-katun": ("Kain katun", "meter"),
    "spunbond": ("Kain spunbond", "meter"),
    "meltblown": ("Kain meltblown", "kg"),
    "karet-elastis": ("Karet elastis (tali masker)", "meter"),
    "kawat-hidung": ("Kawat hidung (nose wire)", "meter"),
    "kain-polipropilena": ("Kain polipropilena berlapis (coverall)", "meter"),
    "lembar-pet": ("Lembar PET/mika (pelindung wajah)", "lembar"),
    "etanol": ("Etanol 96%", "liter"),
    "gliserin": ("Gliserin", "liter"),
    "hidrogen-peroksida": ("Hidrogen peroksida", "liter"),
    "botol-kemasan": ("Botol kemasan", "pcs"),
}

# product type: (standard, [(criterion, minimum, unit of the value, required)])
CHECKLISTS = {
    "masker-kain": (
        "SNI 8914:2020",
        [
            ("Sekurang-kurangnya dua lapis kain", 2, "lapis", True),
            ("Kain tenun/rajut rapat dari serat katun atau campuran katun", None, "", True),
            ("Menutup hidung, mulut dan dagu tanpa celah besar", None, "", True),
            ("Tali telinga atau tali ikat kuat dan nyaman", None, "", True),
            ("Jahitan rapi, tidak berlubang", None, "", True),
            ("Label: jenis kain, jumlah lapis, petunjuk cuci", None, "", False),
        ],
    ),
    "masker-non-medis": (
        "SNI 8914:2020 (lapisan non-tenun)",
        [
            ("Sekurang-kurangnya tiga lapis (spunbond–filter–spunbond)", 3, "lapis", True),
            ("Kawat hidung terpasang dan dapat dibentuk", None, "", True),
            ("Tali telinga elastis tidak putus saat ditarik", None, "", True),
            ("Dikemas bersih dan tertutup", None, "", True),
        ],
    ),
    "masker-medis": (
        "SNI EN 14683 / izin edar AKD",
        [
            ("Efisiensi filtrasi bakteri (BFE) hasil uji laboratorium", 95, "%", True),
            ("Tiga lapis dengan lapisan meltblown", 3, "lapis", True),
            ("Diproduksi di ruang bersih sesuai CPAKB", None, "", True),
            ("Kemasan steril/higienis berlabel nomor izin edar", None, "", True),
        ],
    ),
    "baju-hazmat": (
        "Pedoman APD Kemenkes 2020",
        [
            ("Bahan tahan cairan (uji tembus air)", None, "", True),
            ("Jahitan dilapis (sealed seam) atau tertutup", None, "", True),
            ("Menutup seluruh badan, lengan dan kaki", None, "", True),
            ("Ukuran lengkap (M, L, XL)", None, "", False),
        ],
    ),
    "pelindung-wajah": (
        "Pedoman APD Kemenkes 2020",
        [
            ("Mika bening tanpa distorsi pandangan", None, "", True),
            ("Menutup wajah dari dahi sampai bawah dagu", None, "", True),
            ("Ikat kepala kuat dan dapat disesuaikan", None, "", True),
        ],
    ),
    "hand-sanitizer": (
        "Pedoman Kemenkes/WHO hand rub",
        [
            ("Kadar alkohol (etanol) menurut uji atau sertifikat bahan", 60, "%", True),
            ("Label: komposisi, nomor bets, tanggal kedaluwarsa", None, "", True),
            ("Wadah tertutup rapat dan tidak bocor", None, "", True),
            ("Tempat produksi bersih dan terpisah dari dapur rumah tangga", None, "", True),
        ],
    ),
    "disinfektan": (
        "Pedoman disinfeksi Kemenkes 2020",
        [
            ("Bahan aktif dan kadarnya tertera (mis. klorin, H2O2)", None, "", True),
            ("Petunjuk pengenceran dan peringatan bahaya pada label", None, "", True),
            ("Wadah tahan bahan kimia dan tertutup", None, "", True),
        ],
    ),
}


def catalogue_load(apps):
    """Create what is missing of the starting catalogue (idempotent)."""
    product_type = apps.get_model("production", "ProductType")
    material = apps.get_model("production", "Material")
    checklist = apps.get_model("production", "Checklist")
    criterion = apps.get_model("production", "Criterion")
    for code, (name, unit, licence_kind, order) in PRODUCT_TYPES.items():
        product_type.objects.get_or_create(
            code=code,
            defaults={"name": name, "unit": unit, "licence_kind": licence_kind, "order": order},
        )
    for code, (name, unit) in MATERIALS.items():
        material.objects.get_or_create(code=code, defaults={"name": name, "unit": unit})
    for code, (standard, criteria) in CHECKLISTS.items():
        kind = product_type.objects.get(code=code)
        if checklist.objects.filter(product_type=kind).exists():
            continue
        first = checklist.objects.create(product_type=kind, version=1, standard=standard)
        criterion.objects.bulk_create(
            criterion(
                checklist=first,
                order=i,
                text=text,
                minimum=minimum,
                value_unit=value_unit,
                required=required,
            )
            for i, (text, minimum, value_unit, required) in enumerate(criteria, start=1)
        )
