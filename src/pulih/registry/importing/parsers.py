"""How a cell of an import file becomes a canonical value, or why it cannot.

Values are read strictly: a cell that cannot be read raises `Invalid` with the reason in
Indonesian and English, and nothing is guessed. Cells arrive as calamine gives them
(text, floats, dates) or as CSV text, and the same value gives the same result either
way: "Rp 11.000" and 11000.0 are both 11000.
"""

import datetime
import re
from decimal import Decimal, InvalidOperation

import phonenumbers
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator

from pulih.core.ids import parse_nib, parse_phone

from ..models import ImpactStatus, Need, Problem
from .messages import Invalid, problem

# Floats hold every integer below 2**53 exactly; a NIK stored as a bigger number has
# already lost digits.
EXACT_FLOAT_LIMIT = 2**53
EXCEL_EPOCH = datetime.date(1899, 12, 30)
EARLIEST_DATE = datetime.date(1900, 1, 1)
BIG_INTEGER_MAX = 2**63 - 1
COUNT_MAX = 2**31 - 1

DAY_FIRST = re.compile(r"(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})")
YEAR_FIRST = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T]00:00(?::00)?)?")
CURRENCY = re.compile(r"^(?:rp\.?|idr)\s*", re.IGNORECASE)
DOTTED_THOUSANDS = re.compile(r"(\d{1,3}(?:\.\d{3})+)(?:,(\d{1,2}))?")
COMMA_THOUSANDS = re.compile(r"(\d{1,3}(?:,\d{3})+)(?:\.(\d{1,2}))?")
PLAIN_NUMBER = re.compile(r"(\d+)(?:[.,](\d{1,2}))?")
KBLI_LETTER = re.compile(r"([A-Ua-u])(?![A-Za-z])")
VILLAGE_CODE = re.compile(r"\d{2}\.\d{2}\.\d{2}\.\d{4}")
LIST_SEPARATORS = re.compile(r"[,;\n]+")
LINK_SEPARATORS = re.compile(r"[\s,;]+")
PHONE_SEPARATORS = re.compile(r"[\s().\-/]")
NOT_ALPHANUMERIC = re.compile(r"[^0-9a-z]")
PARENTHESISED = re.compile(r"\([^)]*\)")

_ID_PHONE = phonenumbers.PhoneMetadata.metadata_for_region("ID")
ID_MOBILE = re.compile(_ID_PHONE.mobile.national_number_pattern)
ID_NUMBER = re.compile(_ID_PHONE.general_desc.national_number_pattern)
ID_MOBILE_PREFIX = re.compile(r"(?:\+62|62|0)?(8\d+)")


def token(value) -> str:
    """The letters and digits of a text, lower case: how headers and choices are compared."""
    return NOT_ALPHANUMERIC.sub("", str(value).casefold())


def is_blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def cell_text(value) -> str:
    """A cell as the officer sees it; whitespace runs become one space."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    elif isinstance(value, datetime.datetime):
        value = value.date() if value.time() == datetime.time() else value
    if isinstance(value, datetime.date) and not isinstance(value, datetime.datetime):
        return value.strftime("%d-%m-%Y")
    return " ".join(str(value).split())


def cell_digits(value, label) -> str:
    """A code column (NIK, NIB, phone) as text; a whole number stored by Excel is read back
    exactly while it can be, and refused once its digits are gone."""
    if isinstance(value, float):
        if value.is_integer() and abs(value) < EXACT_FLOAT_LIMIT:
            return str(int(value))
        raise Invalid(problem("number_lossy", label=label, value=repr(value)))
    return cell_text(value)


def text_parser(limit):
    def parse(value):
        text = cell_text(value)
        if len(text) > limit:
            raise Invalid(problem("too_long", length=len(text), limit=limit))
        return text

    return parse


def parse_nik_cell(value):
    """Only the shape of the cell here; the NIK itself is judged with the whole row."""
    return cell_digits(value, "NIK")


def parse_date(value):
    if isinstance(value, datetime.datetime):
        return _checked_date(value.date(), value)
    if isinstance(value, datetime.date):
        return _checked_date(value, value)
    if isinstance(value, int | float) and not isinstance(value, bool):
        return _excel_day(value)
    text = cell_text(value)
    if match := DAY_FIRST.fullmatch(text):
        day, month, year = (int(part) for part in match.groups())
    elif match := YEAR_FIRST.fullmatch(text):
        year, month, day = (int(part) for part in match.groups())
    else:
        raise Invalid(problem("date_invalid", value=text))
    try:
        return _checked_date(datetime.date(year, month, day), text)
    except ValueError as exc:
        raise Invalid(problem("date_invalid", value=text)) from exc


def _excel_day(value):
    """A date cell that lost its date format shows Excel's count of days since 1900."""
    if float(value).is_integer():
        try:
            return _checked_date(EXCEL_EPOCH + datetime.timedelta(days=int(value)), value)
        except OverflowError:
            pass
    raise Invalid(problem("date_invalid", value=cell_text(value)))


def _checked_date(day, given):
    if day < EARLIEST_DATE:
        raise Invalid(problem("date_invalid", value=cell_text(given)))
    if day > datetime.date.today():
        raise Invalid(problem("date_future", value=day.strftime("%d-%m-%Y")))
    return day


SEXES = {
    **dict.fromkeys(["l", "lk", "laki", "lakilaki", "pria", "m", "male"], "M"),
    **dict.fromkeys(["p", "pr", "perempuan", "wanita", "f", "female"], "F"),
}


def parse_sex(value):
    sex = SEXES.get(token(value))
    if sex is None:
        raise Invalid(problem("sex_invalid", value=cell_text(value)))
    return sex


def whole_number(value):
    """A whole number from a cell: 11000, 11000.0, "Rp 11.000", "11,000,000", "1.500,00".

    Returns None when the cell is not one; callers say what kind of number was expected.
    """
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value if value >= 0 else None
    if isinstance(value, float):
        rounded = round(value)
        return rounded if rounded >= 0 and abs(value - rounded) < 1e-6 else None
    text = CURRENCY.sub("", cell_text(value)).replace(" ", "")
    for pattern, separator in (
        (DOTTED_THOUSANDS, "."),
        (COMMA_THOUSANDS, ","),
        (PLAIN_NUMBER, ""),
    ):
        if match := pattern.fullmatch(text):
            digits, decimals = match.groups()
            if decimals and int(decimals):
                return None
            return int(digits.replace(separator, "") if separator else digits)
    return None


def parse_money(value):
    amount = whole_number(value)
    if amount is None or amount > BIG_INTEGER_MAX:
        raise Invalid(problem("money_invalid", value=cell_text(value)))
    return amount


def parse_count(value):
    count = whole_number(value)
    if count is None or count > COUNT_MAX:
        raise Invalid(problem("count_invalid", value=cell_text(value)))
    return count


def coordinate_parser(code, bound):
    """Degrees as a 6-decimal string (JSON-safe); Indonesian decimal commas are accepted."""

    def parse(value):
        text = cell_text(value) if not isinstance(value, float) else repr(value)
        if "," in text and "." not in text:
            text = text.replace(",", ".")
        try:
            degrees = Decimal(text).quantize(Decimal("0.000001"))
        except InvalidOperation as exc:
            raise Invalid(problem(code, value=cell_text(value))) from exc
        if not -bound <= degrees <= bound:
            raise Invalid(problem(code, value=cell_text(value)))
        return str(degrees)

    return parse


def parse_phone_cell(value):
    return phone_e164(cell_digits(value, "No. HP"))


def phone_e164(text):
    """E.164 of a phone number; `core.ids.parse_phone` gives every verdict.

    Almost every number in an import is an Indonesian mobile number, and parse_phone takes
    ~70 µs, a large share of an import's time. Such a number is recognised here from the
    phonenumbers metadata that parse_phone itself uses, and gets the same E.164 (a test
    holds the two together); anything else goes to parse_phone.
    """
    compact = PHONE_SEPARATORS.sub("", text)
    match = ID_MOBILE_PREFIX.fullmatch(compact)
    if match:
        national = match.group(1)
        if ID_MOBILE.fullmatch(national) and ID_NUMBER.fullmatch(national):
            return "+62" + national
    result = parse_phone(text)
    if result.errors:
        raise Invalid(*result.errors)
    return result.e164


def parse_nib_cell(value):
    result = parse_nib(cell_digits(value, "NIB"))
    if result.errors:
        raise Invalid(*result.errors)
    return result.value


def parse_kbli(value):
    text = cell_text(value)
    match = KBLI_LETTER.match(text)
    if match is None:
        raise Invalid(problem("kbli_invalid", value=text))
    return match.group(1).upper()


def parse_village_code(value):
    """Kemendagri village code; "1901012001" typed without dots is read as 19.01.01.2001."""
    text = cell_text(value)
    if text.isdigit() and len(text) == 10:
        text = f"{text[:2]}.{text[2:4]}.{text[4:6]}.{text[6:]}"
    if not VILLAGE_CODE.fullmatch(text):
        raise Invalid(problem("village_code_invalid", value=text))
    return text


def choice_map(choices, words):
    """Lookup from every accepted spelling (code, Indonesian words) to a model choice."""
    lookup = {token(value): value for value in choices.values}
    for value, spellings in words.items():
        lookup.update({token(spelling): value for spelling in spellings})
    return lookup


STATUS_WORDS = {
    ImpactStatus.OPERATING: ["Beroperasi", "Beroperasi normal", "Normal", "Buka"],
    ImpactStatus.REDUCED: ["Berkurang", "Menurun", "Beroperasi terbatas", "Terbatas"],
    ImpactStatus.TEMPORARILY_CLOSED: ["Tutup Sementara", "Berhenti sementara"],
    ImpactStatus.CLOSED: ["Tutup", "Tutup permanen", "Bangkrut", "Gulung tikar"],
    ImpactStatus.PIVOTED: ["Beralih Usaha", "Beralih", "Alih usaha", "Banting setir"],
}
PROBLEM_WORDS = {
    Problem.DEMAND_DROP: [
        "Penurunan permintaan",
        "Permintaan turun",
        "Permintaan menurun",
        "Penjualan turun",
        "Sepi pembeli",
    ],
    Problem.RAW_MATERIALS: ["Bahan baku", "Kesulitan bahan baku"],
    Problem.CAPITAL: ["Modal", "Permodalan", "Kesulitan modal"],
    Problem.DISTRIBUTION: ["Distribusi", "Hambatan distribusi", "Pengiriman"],
    Problem.RESTRICTIONS: ["PSBB", "Pembatasan", "Pembatasan sosial", "Pembatasan (PSBB)"],
}
NEED_WORDS = {
    Need.CAPITAL: ["Modal", "Bantuan modal", "Permodalan"],
    Need.RAW_MATERIALS: ["Bahan baku", "Bantuan bahan baku"],
    Need.MARKETING: ["Pemasaran", "Bantuan pemasaran"],
    Need.TRAINING: ["Pelatihan"],
    Need.AID: ["Bantuan", "Bantuan langsung", "Bantuan tunai", "Sembako"],
}
STATUSES = choice_map(ImpactStatus, STATUS_WORDS)
PROBLEMS = choice_map(Problem, PROBLEM_WORDS)
NEEDS = choice_map(Need, NEED_WORDS)


def first_words(words):
    return ", ".join(spellings[0] for spellings in words.values())


def parse_status(value):
    status = STATUSES.get(token(value))
    if status is None:
        raise Invalid(
            problem("status_invalid", value=cell_text(value), choices=first_words(STATUS_WORDS))
        )
    return str(status)


def list_parser(lookup, words):
    """Comma- or semicolon-separated choices, each once, in the order of the model's choices."""
    order = [str(value) for value in words]

    def parse(value):
        chosen, unknown = set(), []
        for part in LIST_SEPARATORS.split(str(value)):
            if part.strip():
                found = lookup.get(token(part))
                if found is None:
                    unknown.append(part.strip())
                else:
                    chosen.add(str(found))
        if unknown:
            raise Invalid(
                *(
                    problem("choice_invalid", value=part, choices=first_words(words))
                    for part in unknown
                )
            )
        return [value for value in order if value in chosen]

    return parse


URL_CHECK = URLValidator(schemes=["http", "https"])


def parse_links(value):
    """Marketplace links separated by spaces, commas or new lines; "tokopedia.com/x" gets
    its https:// as a browser would give it."""
    links = []
    for part in LINK_SEPARATORS.split(cell_text(value)):
        if not part:
            continue
        link = part if "://" in part else f"https://{part}"
        try:
            URL_CHECK(link)
        except ValidationError as exc:
            raise Invalid(problem("link_invalid", value=part)) from exc
        if link not in links:
            links.append(link)
    return links
