"""Planted duplicates across Bangka and Belitung, and another province's officer.

Siti Aminah is recorded three times (Bangka twice, with an old spelling and a mistyped
NIK; Belitung once with titles); Budi Santoso twice (no NIK the second time). Rina Wati
and a different Siti Aminah (another birth date, another NIK) are nobody's duplicate.
An officer of Jawa Tengah (33) must see none of it.
"""

import datetime

import pytest

from pulih.registry.services import person_create
from pulih.wilayah.models import Village


def _village(district):
    return Village.objects.filter(code__startswith=f"{district}.").order_by("code").first().code


@pytest.fixture
def planted(personas):
    bangka, belitung = personas.kab_bangka, personas.kab_belitung
    v1, v2, v3 = _village("19.01.01"), _village("19.01.02"), _village("19.02.01")

    def make(user, village, name, nik="", birth=None, sex="", phone="", address=""):
        return person_create(
            user=user,
            village_code=village,
            name=name,
            nik=nik,
            birth_date=birth,
            sex=sex,
            phone=phone,
            address=address,
        )

    born = datetime.date(1980, 7, 1)
    people = {
        "siti": make(
            bangka,
            v1,
            "Siti Aminah",
            "1901014107800003",
            born,
            "F",
            "081234567890",
            "Jl. Merdeka No. 5 RT 003/RW 002",
        ),
        "siti_again": make(
            bangka,
            v2,
            "Sitti Aminah",
            "1901014107800033",
            born,
            "F",
            "081234567890",
            "Jalan Merdeka 5 RT 3 RW 2",
        ),
        "siti_belitung": make(
            belitung,
            v3,
            "Hj. Siti Aminah, S.Pd.",
            "1901014107800003",
            born,
            "F",
            "",
            "Jl. Merdeka No 5",
        ),
        "budi": make(
            bangka,
            v1,
            "Budi Santoso",
            "1901031203750001",
            datetime.date(1975, 3, 12),
            "M",
            "081298765432",
        ),
        "budi_again": make(
            bangka, v1, "Boedi Santoso", "", datetime.date(1975, 3, 12), "M", "081298765432"
        ),
        "rina": make(
            belitung,
            v3,
            "Rina Wati",
            "1902015505850002",
            datetime.date(1985, 5, 15),
            "F",
            "081311112222",
        ),
        "other_siti": make(
            bangka,
            v2,
            "Siti Aminah",
            "1901025203900004",
            datetime.date(1990, 3, 12),
            "F",
            "085799998888",
        ),
    }
    return people


@pytest.fixture
def planted_businesses(planted, personas):
    """Siti's kerupuk business recorded by Bangka and again (as "UD") by Belitung under her
    other record; Budi's warung once; Rina's tailor once."""
    from pulih.registry.services import business_create

    bangka, belitung = personas.kab_bangka, personas.kab_belitung
    return {
        "kerupuk": business_create(
            user=bangka, owner=planted["siti"], name="Kerupuk Ikan Bu Siti", whatsapp="081234567890"
        ),
        "kerupuk_again": business_create(
            user=belitung,
            owner=planted["siti_belitung"],
            name="UD Keroepoek Ikan Bu Siti",
            whatsapp="081234567890",
        ),
        "warung": business_create(user=bangka, owner=planted["budi"], name="Warung Kopi Budi"),
        "jahit": business_create(user=belitung, owner=planted["rina"], name="Penjahit Rina"),
    }
