"""The columns of an import file: template headers, the other names people give them, and
the parser of each.

Regency offices keep their own spreadsheets ("No. KTP", "Nama Pelaku Usaha", "HP"), so
headers are matched loosely: case, spaces and punctuation do not count, and a trailing
"(DD-MM-YYYY)" may differ from the template.
"""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from .parsers import (
    NEED_WORDS,
    NEEDS,
    PARENTHESISED,
    PROBLEM_WORDS,
    PROBLEMS,
    STATUS_WORDS,
    cell_text,
    coordinate_parser,
    first_words,
    list_parser,
    parse_count,
    parse_date,
    parse_kbli,
    parse_links,
    parse_money,
    parse_nib_cell,
    parse_nik_cell,
    parse_phone_cell,
    parse_sex,
    parse_status,
    parse_village_code,
    text_parser,
    token,
)


@dataclass(frozen=True)
class Column:
    """One column of the template. `key` is the canonical field, `header` the Indonesian
    template header, `aliases` the other headers it answers to."""

    key: str
    header: str
    aliases: tuple = ()
    parse: object = text_parser(200)
    required: bool = False
    text: bool = False
    example: object = ""
    width: int = 16
    help: object = ""
    allowed: str = ""
    empty: object = ""
    # Values differ from row to row (names, NIKs), so parsing them is not remembered.
    unique: bool = False


def number_column(key, header, aliases, parse, example, help):
    """Dates and numbers: an empty cell is None, not "" or 0."""
    return Column(key, header, aliases, parse, example=example, width=14, help=help, empty=None)


def date_column(key, header, aliases, example, help):
    return number_column(key, header, aliases, parse_date, example, help)


COLUMNS = [
    Column(
        "nik",
        "NIK",
        ("No. KTP", "No KTP", "Nomor KTP", "Nomor Induk Kependudukan", "NIK Pemilik", "NIK KTP"),
        parse_nik_cell,
        text=True,
        example="1901014107800003",
        width=20,
        help=_("16 digits, as on the ID card (KTP). Leave empty if unknown."),
        unique=True,
    ),
    Column(
        "name",
        "Nama Pemilik",
        ("Nama", "Nama Pelaku Usaha", "Nama Lengkap", "Pemilik", "Nama Pengusaha"),
        required=True,
        example="Siti Aminah",
        width=24,
        help=_("Full name of the business owner. Required."),
        unique=True,
    ),
    date_column(
        "birth_date",
        "Tanggal Lahir (DD-MM-YYYY)",
        ("Tanggal Lahir", "Tgl Lahir", "Tgl. Lahir"),
        "01-07-1980",
        _("Day-month-year, e.g. 01-07-1980, or an Excel date."),
    ),
    Column(
        "sex",
        "Jenis Kelamin (L/P)",
        ("Jenis Kelamin", "JK", "L/P", "Kelamin"),
        parse_sex,
        example="P",
        width=10,
        help=_("L (male) or P (female)."),
        allowed="L, P",
    ),
    Column(
        "phone",
        "No. HP",
        (
            "HP",
            "No HP",
            "Nomor HP",
            "No. HP/WA",
            "HP/WA",
            "Telepon",
            "Telp",
            "No. Telp",
            "No Telepon",
            "Nomor Telepon",
            "Handphone",
        ),
        parse_phone_cell,
        text=True,
        example="081234567890",
        help=_("Mobile or landline number, e.g. 081234567890."),
        unique=True,
    ),
    Column(
        "address",
        "Alamat Pemilik",
        ("Alamat", "Alamat Rumah", "Alamat KTP", "Alamat Tempat Tinggal"),
        text_parser(300),
        example="Jl. Merdeka No. 1, RT 01",
        width=28,
        help=_("The owner's address."),
        unique=True,
    ),
    Column(
        "district_name",
        "Kecamatan",
        ("Nama Kecamatan", "Kec", "Kec."),
        example="Sungailiat",
        help=_("District name; helps find the village when the village code is empty."),
    ),
    Column(
        "village_name",
        "Desa/Kelurahan",
        ("Desa", "Kelurahan", "Nama Desa", "Desa/Kel", "Nama Desa/Kelurahan", "Nama Kelurahan"),
        example="Sungailiat",
        help=_("Village name. Fill in this or the village code."),
    ),
    Column(
        "village_code",
        "Kode Desa/Kelurahan",
        ("Kode Desa", "Kode Kelurahan", "Kode Desa/Kel", "Kode Wilayah"),
        parse_village_code,
        text=True,
        example="19.01.01.1001",
        help=_(
            "Kemendagri village code, e.g. 19.01.01.1001. Look codes up on the Regions page "
            "of pulih."
        ),
    ),
    Column(
        "business_name",
        "Nama Usaha",
        ("Nama UMKM", "Nama Toko", "Usaha", "Merek Usaha", "Nama Perusahaan"),
        required=True,
        example="Kerupuk Ikan Bu Siti",
        width=24,
        help=_("Name of the business. Required."),
        unique=True,
    ),
    Column(
        "nib",
        "NIB",
        ("Nomor Induk Berusaha", "No. NIB", "No NIB"),
        parse_nib_cell,
        text=True,
        example="",
        help=_("Business identification number from OSS, 13 digits, if any."),
        unique=True,
    ),
    Column(
        "kbli_section",
        "Sektor (KBLI A-U)",
        ("Sektor", "KBLI", "Sektor KBLI", "Kategori KBLI"),
        parse_kbli,
        example="C",
        width=10,
        help=_("One KBLI section letter, e.g. C for manufacturing, I for food stalls."),
        allowed="A–U",
    ),
    Column(
        "sector_note",
        "Jenis Usaha",
        ("Keterangan Sektor", "Bidang Usaha", "Produk", "Jenis Produk"),
        example="Kerupuk ikan",
        width=20,
        help=_("What the business makes or sells, in your own words."),
    ),
    number_column(
        "capital",
        "Modal Usaha (Rp)",
        ("Modal Usaha", "Modal", "Aset", "Aset Usaha"),
        parse_money,
        15_000_000,
        _("Rupiah, whole number: 15000000 or Rp 15.000.000."),
    ),
    number_column(
        "annual_sales",
        "Omzet per Tahun (Rp)",
        ("Omzet Tahunan", "Omset Tahunan", "Omzet per Tahun", "Omset per Tahun", "Omzet Setahun"),
        parse_money,
        120_000_000,
        _("Rupiah, whole number."),
    ),
    number_column(
        "employees",
        "Jumlah Karyawan",
        ("Karyawan", "Tenaga Kerja", "Jumlah Tenaga Kerja", "Jumlah Pekerja"),
        parse_count,
        3,
        _("Whole number."),
    ),
    Column(
        "business_address",
        "Alamat Usaha",
        ("Lokasi Usaha", "Alamat Tempat Usaha"),
        text_parser(300),
        example="Pasar Sungailiat Blok A",
        width=28,
        help=_("Where the business is, if not at the owner's address."),
        unique=True,
    ),
    Column(
        "latitude",
        "Lintang (Latitude)",
        ("Latitude", "Lintang", "Lat"),
        coordinate_parser("latitude_invalid", 90),
        example="-1.851234",
        width=12,
        help=_("Decimal degrees, e.g. -1.851234."),
        empty=None,
        unique=True,
    ),
    Column(
        "longitude",
        "Bujur (Longitude)",
        ("Longitude", "Bujur", "Long", "Lng", "Lon"),
        coordinate_parser("longitude_invalid", 180),
        example="106.123456",
        width=12,
        help=_("Decimal degrees, e.g. 106.123456."),
        empty=None,
        unique=True,
    ),
    Column(
        "whatsapp",
        "WhatsApp",
        ("WA", "No. WA", "No WA", "Nomor WA", "No. WhatsApp", "Nomor WhatsApp"),
        parse_phone_cell,
        text=True,
        example="081234567890",
        help=_("WhatsApp number for orders, if any."),
        unique=True,
    ),
    Column(
        "marketplace_links",
        "Tautan Marketplace",
        ("Marketplace", "Link Marketplace", "Toko Online", "Link Toko Online", "Tautan"),
        parse_links,
        example="https://www.tokopedia.com/kerupukbusiti",
        width=30,
        help=_("Links to the business's online shops, separated by commas."),
        empty=[],
        unique=True,
    ),
    date_column(
        "report_date",
        "Tanggal Pendataan (DD-MM-YYYY)",
        ("Tanggal Pendataan", "Tgl Pendataan", "Tanggal Laporan", "Tanggal Survei"),
        "15-04-2020",
        _("Date the impact was recorded. Required when the row reports an impact."),
    ),
    number_column(
        "sales_before",
        "Omzet per Bulan Sebelum Covid (Rp)",
        ("Omzet Sebelum Covid", "Omzet Sebelum", "Omset Sebelum Covid", "Penjualan Sebelum"),
        parse_money,
        10_000_000,
        _("Monthly sales before Covid-19, in Rupiah."),
    ),
    number_column(
        "sales_after",
        "Omzet per Bulan Sesudah Covid (Rp)",
        (
            "Omzet Sesudah Covid",
            "Omzet Sesudah",
            "Omzet Setelah Covid",
            "Omset Sesudah Covid",
            "Penjualan Sesudah",
        ),
        parse_money,
        4_000_000,
        _("Monthly sales since Covid-19, in Rupiah."),
    ),
    number_column(
        "employees_before",
        "Karyawan Sebelum Covid",
        ("Tenaga Kerja Sebelum Covid", "Karyawan Sebelum"),
        parse_count,
        3,
        _("Whole number."),
    ),
    number_column(
        "employees_after",
        "Karyawan Sesudah Covid",
        ("Karyawan Setelah Covid", "Tenaga Kerja Sesudah Covid", "Karyawan Sesudah"),
        parse_count,
        1,
        _("Whole number."),
    ),
    number_column(
        "laid_off",
        "Karyawan Dirumahkan/PHK",
        ("Jumlah PHK", "PHK", "Dirumahkan", "Karyawan PHK"),
        parse_count,
        2,
        _("Workers sent home or laid off; whole number."),
    ),
    Column(
        "impact_status",
        "Status Usaha",
        ("Kondisi Usaha", "Status", "Status Usaha Saat Ini"),
        parse_status,
        example="Berkurang",
        width=16,
        help=_("The business's state now. Required when the row reports an impact."),
        allowed=first_words(STATUS_WORDS),
    ),
    Column(
        "problems",
        "Masalah",
        ("Kendala", "Permasalahan", "Masalah Usaha"),
        list_parser(PROBLEMS, PROBLEM_WORDS),
        example="Penurunan permintaan, Modal",
        width=28,
        help=_("What hit the business; several separated by commas."),
        allowed=first_words(PROBLEM_WORDS),
        empty=[],
    ),
    Column(
        "needs",
        "Kebutuhan",
        ("Kebutuhan Bantuan", "Kebutuhan Usaha", "Bantuan yang Dibutuhkan"),
        list_parser(NEEDS, NEED_WORDS),
        example="Modal, Pemasaran",
        width=24,
        help=_("What the business needs; several separated by commas."),
        allowed=first_words(NEED_WORDS),
        empty=[],
    ),
]
BY_KEY = {column.key: column for column in COLUMNS}

# The values a row leaves behind (the village names only lead to the village code).
FIELDS = [c.key for c in COLUMNS if c.key not in {"district_name", "village_name"}]
IMPACT_FIELDS = [
    "report_date",
    "sales_before",
    "sales_after",
    "employees_before",
    "employees_after",
    "laid_off",
    "impact_status",
    "problems",
    "needs",
]
# Headers that are known but carry nothing to import: the error workbook's own column,
# and the running number many offices put first.
IGNORED_HEADERS = {token(h) for h in ("Kesalahan", "Errors", "No", "No.", "No Urut", "Nomor")}


def _lookup():
    lookup = {}
    for column in COLUMNS:
        for name in (column.header, column.key, *column.aliases):
            lookup.setdefault(token(name), column.key)
            lookup.setdefault(token(PARENTHESISED.sub("", name)), column.key)
    return lookup


HEADER_LOOKUP = _lookup()


def header_field(header) -> str | None:
    """The field a file's header stands for; a trailing "(…)" may differ from the template."""
    text = cell_text(header)
    return HEADER_LOOKUP.get(token(text)) or HEADER_LOOKUP.get(token(PARENTHESISED.sub("", text)))


def is_ignored_header(header) -> bool:
    return token(cell_text(header)) in IGNORED_HEADERS
