"""Parse and validate Indonesian identity numbers: NIK, NIP, NIB and phone numbers.

Import files, API calls and forms all need the same verdicts, and the people reading
them work in Indonesian or English, so every rejection is a `Problem` with a stable code
for machines and a text in both languages. Nothing is corrected silently: a NIK with a
typo must be fixed at its source, not guessed at here (BPK found 207,771 BPUM recipients
whose NIK did not match the civil registry). Only the phone number comes back normalised
(E.164), because a phone number has many correct spellings and one canonical form.

Pure Python on purpose: the region list is passed in (see `Regions`), so this module
depends on no other pulih app and on no database.
"""

import re
from dataclasses import dataclass, field, fields
from datetime import date
from typing import Protocol

import phonenumbers
from phonenumbers import NumberParseException, PhoneNumberType, ValidationResult

# The 38 province codes of Kemendagri, used when no region list is at hand.
PROVINCE_CODES = frozenset(
    f"{code:02d}"
    for code in [
        *range(11, 20),
        21,
        *range(31, 37),
        *range(51, 54),
        *range(61, 66),
        *range(71, 77),
        81,
        82,
        *range(91, 97),
    ]
)

# Messages for a number that is not even the right string of digits. Shared by NIK, NIP
# and NIB; the code is "<kind>_<key>", e.g. "nik_length".
SHAPE_MESSAGES = {
    "length": (
        "{label} harus {length} digit angka (tertulis {given}).",
        "{label} must be {length} digits (got {given}).",
    ),
    "not_digits": (
        "{label} hanya boleh berisi angka, tanpa spasi atau tanda baca (ditemukan {char!r}).",
        "{label} may contain digits only, no spaces or punctuation (found {char!r}).",
    ),
    "scientific_notation": (
        "{label} tertulis dalam notasi ilmiah Excel ({given}), bukan {length} digit, sehingga "
        "digit aslinya sudah hilang. Format kolom {label} sebagai Teks, lalu isi ulang dari "
        "sumbernya.",
        "{label} is written in Excel scientific notation ({given}) instead of {length} "
        "digits, so the original digits are lost. Format the {label} column as Text and "
        "re-enter it from the source.",
    ),
}

MESSAGES = {
    **{
        f"{kind}_{key}": texts
        for kind in ("nik", "nip", "nib")
        for key, texts in SHAPE_MESSAGES.items()
    },
    "nik_province_unknown": (
        "Kode provinsi {code} di NIK tidak dikenal.",
        "Province code {code} in the NIK does not exist.",
    ),
    "nik_regency_zero": (
        "Kode kabupaten/kota di NIK tidak boleh 00.",
        "The regency/city code in a NIK cannot be 00.",
    ),
    "nik_district_zero": (
        "Kode kecamatan di NIK tidak boleh 00.",
        "The district code in a NIK cannot be 00.",
    ),
    "nik_regency_retired": (
        "Kode kabupaten/kota {code} sudah dimekarkan atau dipindah, kini {successor}. "
        "NIK tetap sah karena menyimpan kode tempat pertama kali terdaftar.",
        "Regency/city code {code} has since been split or moved and is now {successor}. "
        "The NIK stays valid because it keeps the code of its first registration.",
    ),
    "nik_regency_unknown": (
        "Kode kabupaten/kota {code} tidak ada dalam daftar Kemendagri; cocokkan NIK dengan KTP.",
        "Regency/city code {code} is not in the Kemendagri list; check the NIK against the "
        "ID card.",
    ),
    "nik_district_unknown": (
        "Kode kecamatan {code} tidak ada dalam daftar Kemendagri; cocokkan NIK dengan KTP.",
        "District code {code} is not in the Kemendagri list; check the NIK against the ID card.",
    ),
    "nik_birth_day": (
        "Tanggal lahir di NIK harus 01–31 (laki-laki) atau 41–71 (perempuan), tertulis {day}.",
        "The birth day in a NIK must be 01–31 (men) or 41–71 (women), got {day}.",
    ),
    "nik_birth_month": (
        "Bulan lahir di NIK harus 01–12, tertulis {month}.",
        "The birth month in a NIK must be 01–12, got {month}.",
    ),
    "nik_birth_date": (
        "Tanggal lahir {date} di NIK tidak ada di kalender.",
        "Birth date {date} in the NIK does not exist.",
    ),
    "nik_serial_zero": (
        "Nomor urut NIK (4 digit terakhir) dimulai dari 0001, bukan 0000.",
        "The NIK serial (last 4 digits) starts at 0001, not 0000.",
    ),
    "nip_birth_date": (
        "Tanggal lahir {date} di NIP tidak ada di kalender.",
        "Birth date {date} in the NIP does not exist.",
    ),
    "nip_birth_future": (
        "Tanggal lahir {date} di NIP belum terjadi.",
        "Birth date {date} in the NIP is in the future.",
    ),
    "nip_appointment_month": (
        "Bulan TMT CPNS di NIP harus 01–12, tertulis {month}.",
        "The appointment (TMT CPNS) month in a NIP must be 01–12, got {month}.",
    ),
    "nip_appointment_future": (
        "TMT CPNS {month} di NIP belum terjadi.",
        "Appointment (TMT CPNS) {month} in the NIP is in the future.",
    ),
    "nip_appointment_too_young": (
        "TMT CPNS {month} lebih awal dari usia 17 tahun pemilik NIP (lahir {born}).",
        "Appointment (TMT CPNS) {month} is before the holder turned 17 (born {born}).",
    ),
    "nip_sex": (
        "Digit jenis kelamin NIP (digit ke-15) harus 1 (laki-laki) atau 2 (perempuan), "
        "tertulis {digit}.",
        "The sex digit of a NIP (15th digit) must be 1 (male) or 2 (female), got {digit}.",
    ),
    "nip_serial_zero": (
        "Nomor urut NIP (3 digit terakhir) dimulai dari 001, bukan 000.",
        "The NIP serial (last 3 digits) starts at 001, not 000.",
    ),
    "nib_all_zero": (
        "NIB tidak boleh berisi angka nol semua.",
        "A NIB cannot be all zeros.",
    ),
    "phone_empty": (
        "Nomor telepon belum diisi.",
        "The phone number is empty.",
    ),
    "phone_not_number": (
        "{value!r} bukan nomor telepon; hanya angka, spasi, +, -, titik, / dan tanda kurung "
        "yang boleh.",
        "{value!r} is not a phone number; only digits, spaces, +, -, dots, / and brackets "
        "are allowed.",
    ),
    "phone_too_short": (
        "Nomor telepon terlalu pendek ({digits} digit); periksa kode area atau digit yang hilang.",
        "The phone number is too short ({digits} digits); check the area code or missing digits.",
    ),
    "phone_too_long": (
        "Nomor telepon terlalu panjang ({digits} digit).",
        "The phone number is too long ({digits} digits).",
    ),
    "phone_invalid": (
        "{value!r} bukan nomor telepon yang berlaku; periksa awalan dan jumlah digitnya.",
        "{value!r} is not a valid phone number; check its prefix and number of digits.",
    ),
}

SCIENTIFIC_NOTATION = re.compile(r"\d+(?:[.,]\d+)?[eE]\+?\d+")
PHONE_CHARACTERS = re.compile(r"\+?[0-9\s().\-/]+")
NIK_SEX_BY_DAY = {**dict.fromkeys(range(1, 32), "M"), **dict.fromkeys(range(41, 72), "F")}
NIP_SEX_BY_DIGIT = {"1": "M", "2": "F"}
PHONE_KINDS = {PhoneNumberType.MOBILE: "mobile", PhoneNumberType.FIXED_LINE: "fixed"}
PHONE_LENGTH_CODES = {
    ValidationResult.TOO_SHORT: "phone_too_short",
    ValidationResult.IS_POSSIBLE_LOCAL_ONLY: "phone_too_short",
    ValidationResult.TOO_LONG: "phone_too_long",
}
PHONE_PARSE_CODES = {
    NumberParseException.NOT_A_NUMBER: "phone_not_number",
    NumberParseException.TOO_SHORT_NSN: "phone_too_short",
    NumberParseException.TOO_SHORT_AFTER_IDD: "phone_too_short",
    NumberParseException.TOO_LONG: "phone_too_long",
}


@dataclass(frozen=True)
class Problem:
    """One reason to reject or flag a value: a stable code plus Indonesian and English text."""

    code: str
    id: str
    en: str

    def text(self, language="id") -> str:
        return self.en if (language or "").lower().startswith("en") else self.id

    def to_dict(self, language=None) -> dict:
        data = {"code": self.code, "id": self.id, "en": self.en}
        if language:
            data["text"] = self.text(language)
        return data


def problem(code, /, **values) -> Problem:
    indonesian, english = MESSAGES[code]
    return Problem(code, indonesian.format(**values), english.format(**values))


def problems_text(problems, language="id") -> str:
    """One line for a table cell or log; each text's own full stop would clash with "; "."""
    return "; ".join(p.text(language).rstrip(".") for p in problems)


class Regions(Protocol):
    """What `parse_nik` needs from the Kemendagri region list (codes dotted: "19.01.01")."""

    def has_province(self, code: str) -> bool: ...
    def has_regency(self, code: str) -> bool: ...
    def has_district(self, code: str) -> bool: ...
    def retired_regency(self, code: str) -> str | None: ...
    def province_name(self, code: str) -> str | None: ...
    def regency_name(self, code: str) -> str | None: ...
    def district_name(self, code: str) -> str | None: ...


@dataclass(frozen=True, kw_only=True)
class Result:
    """`errors` reject the value; `warnings` flag it for a human but it stays valid."""

    value: str
    errors: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)

    @property
    def valid(self) -> bool:
        return not self.errors

    def to_dict(self, language=None) -> dict:
        data = {f.name: _jsonable(getattr(self, f.name), language) for f in fields(self)}
        return {"valid": self.valid, **data}


@dataclass(frozen=True, kw_only=True)
class NikResult(Result):
    """Region codes are as written in the NIK; names are those of the current region."""

    province_code: str | None = None
    regency_code: str | None = None
    district_code: str | None = None
    current_regency_code: str | None = None
    birth_date: date | None = None
    sex: str | None = None
    serial: str | None = None
    province_name: str | None = None
    regency_name: str | None = None
    district_name: str | None = None


@dataclass(frozen=True, kw_only=True)
class NipResult(Result):
    birth_date: date | None = None
    appointment_year: int | None = None
    appointment_month: int | None = None
    sex: str | None = None
    serial: str | None = None


@dataclass(frozen=True, kw_only=True)
class NibResult(Result):
    pass


@dataclass(frozen=True, kw_only=True)
class PhoneResult(Result):
    e164: str | None = None
    kind: str | None = None


def _jsonable(value, language):
    if isinstance(value, list):
        return [_jsonable(item, language) for item in value]
    if isinstance(value, Problem):
        return value.to_dict(language)
    if isinstance(value, date):
        return value.isoformat()
    return value


def _clean(value) -> str:
    """Only surrounding whitespace goes: anything inside is the user's and is judged as is."""
    return "" if value is None else str(value).strip()


def _shape_problem(kind, value, length) -> Problem | None:
    """Why `value` is not a string of exactly `length` digits, or None if it is.

    Spreadsheets turn long numbers into "1.90101E+15", destroying the digits; that gets
    its own message because retyping the cell will not help until the column is Text.
    """
    label = kind.upper()
    if SCIENTIFIC_NOTATION.fullmatch(value):
        return problem(f"{kind}_scientific_notation", label=label, length=length, given=value)
    bad = next((char for char in value if char not in "0123456789"), None)
    if bad is not None:
        return problem(f"{kind}_not_digits", label=label, char=bad)
    if len(value) != length:
        return problem(f"{kind}_length", label=label, length=length, given=len(value))
    return None


def _date_or_none(year, month, day) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def parse_nik(value, regions: Regions | None = None, *, today: date | None = None) -> NikResult:
    """Check a NIK and decode its region, birth date, sex and serial.

    `today` exists so that tests and re-runs of an import judge "future" the same way.
    """
    value = _clean(value)
    today = today or date.today()
    shape = _shape_problem("nik", value, 16)
    if shape:
        return NikResult(value=value, errors=[shape])
    province, regency, district = value[:2], f"{value[:2]}.{value[2:4]}", value[4:6]
    region_errors, warnings, current = _nik_region_problems(province, regency, district, regions)
    birth_date, sex, birth_errors = _nik_birth(value[6:12], today)
    serial = value[12:]
    serial_errors = [problem("nik_serial_zero")] if serial == "0000" else []
    names = {}
    if regions is not None:
        names = {
            "province_name": regions.province_name(province),
            "regency_name": regions.regency_name(current),
            "district_name": regions.district_name(f"{current}.{district}"),
        }
    return NikResult(
        value=value,
        errors=region_errors + birth_errors + serial_errors,
        warnings=warnings,
        province_code=province,
        regency_code=regency,
        district_code=f"{regency}.{district}",
        current_regency_code=current,
        birth_date=birth_date,
        sex=sex,
        serial=serial,
        **names,
    )


def _nik_region_problems(province, regency, district, regions):
    """Errors, warnings and current regency code for the region part of a NIK.

    A NIK keeps the codes of its first registration for life, and regencies have been split
    and moved since (Papua, 2022), so only codes that can never exist are errors; a regency
    or district missing from today's list is flagged for a human instead.
    """
    errors, warnings = [], []
    known = regions.has_province(province) if regions is not None else province in PROVINCE_CODES
    if not known:
        errors.append(problem("nik_province_unknown", code=province))
    if regency.endswith(".00"):
        errors.append(problem("nik_regency_zero"))
    if district == "00":
        errors.append(problem("nik_district_zero"))
    if regions is None or not known or regency.endswith(".00"):
        return errors, warnings, regency
    current = regency
    if not regions.has_regency(regency):
        successor = regions.retired_regency(regency)
        if successor is None:
            warnings.append(problem("nik_regency_unknown", code=regency))
            return errors, warnings, regency
        warnings.append(problem("nik_regency_retired", code=regency, successor=successor))
        current = successor
    if district != "00" and not regions.has_district(f"{current}.{district}"):
        warnings.append(problem("nik_district_unknown", code=f"{current}.{district}"))
    return errors, warnings, current


def _nik_birth(ddmmyy, today):
    """Birth date, sex and errors from DDMMYY, where women have 40 added to the day.

    The century is the most recent one that does not put the birth date after today:
    "…0725…" read on 1 May 2025 is 1925, read on 1 August 2025 it is 2025.
    """
    day, month, yy = int(ddmmyy[:2]), int(ddmmyy[2:4]), int(ddmmyy[4:])
    sex = NIK_SEX_BY_DAY.get(day)
    errors = []
    if sex is None:
        errors.append(problem("nik_birth_day", day=ddmmyy[:2]))
    if not 1 <= month <= 12:
        errors.append(problem("nik_birth_month", month=ddmmyy[2:4]))
    if errors:
        return None, sex, errors
    real_day = day - 40 if sex == "F" else day
    year = 2000 + yy
    recent = _date_or_none(year, month, real_day)
    if year > today.year or (recent is not None and recent > today):
        year -= 100
    born = _date_or_none(year, month, real_day)
    if born is None:
        return None, sex, [problem("nik_birth_date", date=f"{real_day:02d}-{month:02d}-{year}")]
    return born, sex, []


def parse_nip(value, *, today: date | None = None) -> NipResult:
    """Check a civil servant's NIP and decode birth date, appointment, sex and serial."""
    value = _clean(value)
    today = today or date.today()
    shape = _shape_problem("nip", value, 18)
    if shape:
        return NipResult(value=value, errors=[shape])
    errors = []
    born = _date_or_none(int(value[:4]), int(value[4:6]), int(value[6:8]))
    if born is None:
        errors.append(problem("nip_birth_date", date=f"{value[6:8]}-{value[4:6]}-{value[:4]}"))
    elif born > today:
        errors.append(problem("nip_birth_future", date=born.strftime("%d-%m-%Y")))
    year, month = int(value[8:12]), int(value[12:14])
    if 1 <= month <= 12:
        errors += _nip_appointment_problems(year, month, born, today)
    else:
        errors.append(problem("nip_appointment_month", month=value[12:14]))
        month = None
    sex = NIP_SEX_BY_DIGIT.get(value[14])
    if sex is None:
        errors.append(problem("nip_sex", digit=value[14]))
    serial = value[15:]
    if serial == "000":
        errors.append(problem("nip_serial_zero"))
    return NipResult(
        value=value,
        errors=errors,
        birth_date=born,
        appointment_year=year,
        appointment_month=month,
        sex=sex,
        serial=serial,
    )


def _nip_appointment_problems(year, month, born, today):
    """An appointment in the future, or before age 17, means a mistyped NIP.

    Only the month is known, so the age check is lenient: appointed in the month of the
    17th birthday passes.
    """
    errors = []
    shown = f"{month:02d}-{year:04d}"
    if (year, month) > (today.year, today.month):
        errors.append(problem("nip_appointment_future", month=shown))
    if born and (year, month) < (born.year + 17, born.month):
        errors.append(
            problem("nip_appointment_too_young", month=shown, born=born.strftime("%d-%m-%Y"))
        )
    return errors


def parse_nib(value) -> NibResult:
    """Check an OSS business identification number (NIB): 13 digits, not all zeros."""
    value = _clean(value)
    shape = _shape_problem("nib", value, 13)
    if shape:
        return NibResult(value=value, errors=[shape])
    if value == "0" * 13:
        return NibResult(value=value, errors=[problem("nib_all_zero")])
    return NibResult(value=value)


def parse_phone(value, region="ID") -> PhoneResult:
    """Check a phone number and give its E.164 form, so one phone is one string everywhere."""
    value = _clean(value)
    if not value:
        return PhoneResult(value=value, errors=[problem("phone_empty")])
    digits = re.sub(r"\D", "", value)
    if not PHONE_CHARACTERS.fullmatch(value):
        return PhoneResult(value=value, errors=[problem("phone_not_number", value=value)])
    try:
        number = _phone_number(value, digits, region)
    except NumberParseException as exc:
        code = PHONE_PARSE_CODES.get(exc.error_type, "phone_invalid")
        return PhoneResult(value=value, errors=[problem(code, value=value, digits=len(digits))])
    if not phonenumbers.is_valid_number(number):
        reason = phonenumbers.is_possible_number_with_reason(number)
        code = PHONE_LENGTH_CODES.get(reason, "phone_invalid")
        return PhoneResult(value=value, errors=[problem(code, value=value, digits=len(digits))])
    return PhoneResult(
        value=value,
        e164=phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164),
        kind=PHONE_KINDS.get(phonenumbers.number_type(number), "other"),
    )


def _phone_number(value, digits, region):
    """Parse, reading "62812…" typed without "+" as the international form it nearly always is.

    phonenumbers would read it as a national number of `region` and call it invalid.
    """
    country_code = str(phonenumbers.country_code_for_region(region))
    if not value.startswith("+") and country_code != "0" and digits.startswith(country_code):
        try:
            number = phonenumbers.parse("+" + digits, None)
        except NumberParseException:
            number = None
        if number is not None and phonenumbers.is_valid_number(number):
            return number
    return phonenumbers.parse(value, region)


def mask_nik(value) -> str:
    """Keep region and serial ("1901********0003"): enough to find a record, not to reuse it."""
    return _mask(_clean(value), 4, 4)


def mask_nip(value) -> str:
    """Keep the birth year and the serial ("1985***********003")."""
    return _mask(_clean(value), 4, 3)


def mask_phone(e164) -> str:
    """Keep country code, operator prefix and last 3 digits ("+62812*****890")."""
    value = _clean(e164)
    return _mask(value, _phone_head(value), 3)


def _phone_head(value) -> int:
    """Length of "+", the country code and 3 more digits; 0 if `value` is not E.164."""
    if not re.fullmatch(r"\+[0-9]{4,15}", value):
        return 0
    for size in (1, 2, 3):
        country = phonenumbers.region_code_for_country_code(int(value[1 : 1 + size]))
        if country != phonenumbers.UNKNOWN_REGION:
            return 1 + size + 3
    return 0


def _mask(value, head, tail) -> str:
    """Stars between the kept head and tail; all stars if nothing would be left to hide."""
    hidden = len(value) - head - tail
    if hidden < 1:
        return "*" * len(value)
    return value[:head] + "*" * hidden + value[len(value) - tail :]
