"""Bangka Belitung applicants for a BPUM-like programme, each planted with one defect of
the audit's categories, and a clean one.

- ani: clean — valid NIK in the civil registry, micro business, on no exclusion list;
- budi: a civil servant (on the BKN list);
- citra: holds KUR; dedi: holds other bank credit; eka: deceased;
- fajar: NIK not in the civil registry;
- gita: a small business, not micro;
- hadi: recorded twice (Bangka and Belitung), one entity: may be paid once.
"""

import datetime

import pytest

from pulih.registry.services import business_create, person_create
from pulih.wilayah.models import Village


def village(district):
    return Village.objects.filter(district_id=district).order_by("code").first().code


@pytest.fixture
def applicants(personas):
    bangka, belitung = personas.kab_bangka, personas.kab_belitung

    def make(user, district, name, nik, birth, sex, capital=50_000_000, sales=300_000_000):
        person = person_create(
            user=user,
            village_code=village(district),
            name=name,
            nik=nik,
            birth_date=birth,
            sex=sex,
        )
        business_create(
            user=user,
            owner=person,
            name=f"Usaha {name}",
            kbli_section="C",
            capital=capital,
            annual_sales=sales,
        )
        return person

    d = datetime.date
    return {
        "ani": make(bangka, "19.01.01", "Ani Lestari", "1901014101800001", d(1980, 1, 1), "F"),
        "budi": make(bangka, "19.01.01", "Budi Santoso", "1901010202810001", d(1981, 2, 2), "M"),
        "citra": make(bangka, "19.01.02", "Citra Dewi", "1901024303820001", d(1982, 3, 3), "F"),
        "dedi": make(bangka, "19.01.02", "Dedi Kurnia", "1901020404830001", d(1983, 4, 4), "M"),
        "eka": make(bangka, "19.01.01", "Eka Putri", "1901014505840001", d(1984, 5, 5), "F"),
        "fajar": make(bangka, "19.01.01", "Fajar Nugroho", "1901010606850001", d(1985, 6, 6), "M"),
        "gita": make(
            bangka,
            "19.01.02",
            "Gita Permata",
            "1901024707860001",
            d(1986, 7, 7),
            "F",
            capital=3_000_000_000,
            sales=9_000_000_000,
        ),
        "hadi": make(bangka, "19.01.01", "Hadi Wijaya", "1901010808870001", d(1987, 8, 8), "M"),
        "hadi_belitung": make(
            belitung, "19.02.01", "H. Hadi Wijaya", "1901010808870001", d(1987, 8, 8), "M"
        ),
    }
