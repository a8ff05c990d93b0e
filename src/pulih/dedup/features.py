"""What the linkage model compares: one flat row of normalised fields per record.

Input records are dicts with any of the fields in `FIELDS`; whatever is missing is null
and the model compares only what is there. The birth date and sex decoded from a valid
NIK fill in for stated ones that are missing.
"""

import re
from datetime import date, datetime
from functools import lru_cache

from pulih.core.ids import parse_nik
from pulih.core.text import address_key, business_key, name_key

FIELDS = ("id_number", "name", "birth_date", "sex", "phone", "address", "region")

PERSON_COLUMNS = (
    "unique_id",
    "nik",
    "name_key",
    "name_first",
    "name_last",
    "name_tokens",
    "birth_date",
    "sex",
    "phone",
    "village",
    "district",
    "regency",
    "address_key",
)

BUSINESS_COLUMNS = (
    "unique_id",
    "owner",
    "owner_nik",
    "owner_name_key",
    "business_key",
    "business_tokens",
    "village",
    "district",
    "regency",
    "phone",
)

_NOT_ID = re.compile(r"[^0-9A-Za-z]")
_NOT_DIGIT = re.compile(r"\D")
_DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%Y/%m/%d")
_SEXES = {
    "m": "M",
    "f": "F",
    "l": "M",
    "lk": "M",
    "laki-laki": "M",
    "laki laki": "M",
    "male": "M",
    "pria": "M",
    "p": "F",
    "pr": "F",
    "perempuan": "F",
    "female": "F",
    "wanita": "F",
}


def person_row(unique_id, record):
    """The model's row for one record (a dict keyed by `FIELDS`)."""
    nik = _id_number(record.get("id_number"))
    stated_birth = _date(record.get("birth_date"))
    sex = _SEXES.get(str(record.get("sex") or "").strip().lower())
    if nik and len(nik) == 16 and nik.isdigit() and not (stated_birth and sex):
        decoded = parse_nik(nik)
        if decoded.birth_date and not decoded.errors:
            stated_birth = stated_birth or decoded.birth_date.isoformat()
            sex = sex or decoded.sex
    key = name_key(record.get("name")) or None
    tokens = key.split() if key else None
    village, district, regency = _region(record.get("region"))
    return (
        unique_id,
        nik,
        key,
        tokens[0] if tokens else None,
        tokens[-1] if tokens else None,
        tokens,
        stated_birth,
        sex,
        _phone(record.get("phone")),
        village,
        district,
        regency,
        address_key(record.get("address")) or None,
    )


def business_row(unique_id, *, owner, owner_nik, owner_name, name, phone, region):
    """The business model's row. `owner` is the owner's entity (or record) key: after
    people are linked, two records of one owner share it."""
    key = business_key(name) or None
    village, district, regency = _region(region)
    return (
        unique_id,
        str(owner) if owner else None,
        _id_number(owner_nik),
        name_key(owner_name) or None,
        key,
        key.split() if key else None,
        village,
        district,
        regency,
        _phone(phone),
    )


def _id_number(value):
    text = _NOT_ID.sub("", str(value or "")).upper()
    return text or None


def _date(value):
    """An ISO date string from a date, a datetime or common written forms; None if unreadable."""
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return _date_text(str(value or "").strip()[:10])


@lru_cache(maxsize=1 << 16)
def _date_text(text):
    """Birth dates repeat across a large file, so each written form is parsed once."""
    for fmt in _DATE_FORMATS:
        try:
            return datetime.strptime(text, fmt).date().isoformat()  # noqa: DTZ007
        except ValueError:
            continue
    return None


def _phone(value):
    """The national significant number, so +62812…, 62812… and 0812… compare equal."""
    digits = _NOT_DIGIT.sub("", str(value or ""))
    if digits.startswith("62"):
        digits = digits[2:]
    digits = digits.lstrip("0")
    return digits if len(digits) >= 6 else None


def _region(value):
    """Village, district and regency keys from a Kemendagri code (dotted or not) or a postcode."""
    text = str(value or "").strip()
    digits = _NOT_DIGIT.sub("", text)
    if "." in text or len(digits) in (6, 10):
        parts = (
            text.split(".") if "." in text else [digits[:2], digits[2:4], digits[4:6], digits[6:]]
        )
        parts = [p for p in parts if p]
        return (
            ".".join(parts) if len(parts) >= 4 else None,
            ".".join(parts[:3]) if len(parts) >= 3 else None,
            ".".join(parts[:2]) if len(parts) >= 2 else None,
        )
    if len(digits) == 5:  # a postcode: its first three digits cover roughly a regency
        return digits, None, digits[:3]
    return None, None, None
