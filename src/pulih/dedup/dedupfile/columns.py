"""Which column of the file holds which field: headers matched against `ALIASES`, as the
registry import compares them, unless `--map field=column` says otherwise."""

from pulih.registry.importing.parsers import PARENTHESISED, is_blank, token

from ..features import FIELDS
from .messages import Refused, problem

# Headers each field answers to, the preferred first: a file with both "Kode Desa" and
# "Desa" (a village name, which the model cannot place) is matched by its code.
ALIASES = {
    "id_number": (
        "NIK",
        "No KTP",
        "Nomor KTP",
        "KTP",
        "Nomor Induk Kependudukan",
        "NIK KTP",
        "NIK Pemilik",
        "id_number",
        "National ID",
        "ID No",
        "Identity Number",
    ),
    "name": (
        "Nama Lengkap",
        "Nama",
        "Name",
        "Full Name",
        "Nama Pemilik",
        "Nama Pelaku Usaha",
        "Nama Penerima",
        "Nama Peserta",
    ),
    "birth_date": (
        "Tanggal Lahir",
        "Tgl Lahir",
        "birth_date",
        "Date of Birth",
        "DOB",
        "Birthdate",
    ),
    "sex": ("Jenis Kelamin", "JK", "Kelamin", "L/P", "Sex", "Gender"),
    "phone": (
        "No HP",
        "Nomor HP",
        "HP",
        "No HP/WA",
        "HP/WA",
        "Handphone",
        "Telepon",
        "Telp",
        "No Telp",
        "No Telepon",
        "Nomor Telepon",
        "Phone",
        "Phone Number",
        "Mobile",
        "Telephone",
        "No WA",
        "WhatsApp",
    ),
    "address": (
        "Alamat",
        "Alamat Lengkap",
        "Alamat Rumah",
        "Alamat KTP",
        "Alamat Pemilik",
        "Alamat Tempat Tinggal",
        "Address",
        "Home Address",
    ),
    "region": (
        "Kode Desa",
        "Kode Kelurahan",
        "Kode Desa/Kelurahan",
        "Kode Desa/Kel",
        "village_code",
        "Kode Wilayah",
        "region_code",
        "Region",
        "Kode Pos",
        "Postcode",
        "Postal Code",
        "ZIP",
        "ZIP Code",
        "Desa",
        "Kelurahan",
        "Wilayah",
    ),
}


def header_key(text) -> str:
    """How headers are compared: letters and digits only, and a note in parentheses
    ("Tanggal Lahir (DD-MM-YYYY)") does not count."""
    return token(PARENTHESISED.sub("", str(text))) or token(text)


ALIAS_FIELDS = {
    header_key(alias): (field, rank)
    for field, aliases in ALIASES.items()
    for rank, alias in enumerate(aliases)
}


def mapping_parse(values):
    """`--map field=column` options as {field: column}; an empty column leaves the field
    out even if a header would match it."""
    mapping = {}
    for value in values or ():
        field, separator, column = value.partition("=")
        field = field.strip()
        if not separator or not field:
            raise Refused(problem("map_format", value=value))
        if field not in FIELDS:
            raise Refused(problem("map_field", field=field, fields=", ".join(FIELDS)))
        mapping[field] = column.strip()
    return mapping


def columns_match(header, mapping):
    """{field: column index}: mapped columns first, then the best-ranked alias of each
    field among the columns left."""
    columns = {}
    for field, column in mapping.items():
        if not column:
            continue
        index = _column_index(header, column)
        if index is None:
            raise Refused(
                problem("map_column", column=column, field=field, columns=_listing(header))
            )
        columns[field] = index
    taken = set(columns.values())
    best = {}
    for index, cell in enumerate(header):
        field, rank = ALIAS_FIELDS.get(header_key(cell), (None, None))
        if field is None or field in mapping or index in taken:
            continue
        if field not in best or rank < best[field][0]:
            best[field] = (rank, index)
    columns.update({field: index for field, (_rank, index) in best.items()})
    if not columns:
        known = ", ".join(aliases[0] for aliases in ALIASES.values())
        raise Refused(problem("no_columns", columns=_listing(header), known=known))
    return dict(sorted(columns.items(), key=lambda item: FIELDS.index(item[0])))


def _column_index(header, column):
    """The column named exactly so, else the one whose header compares equal."""
    texts = [str(cell).strip() for cell in header]
    if column in texts:
        return texts.index(column)
    keys = [header_key(cell) for cell in header]
    key = header_key(column)
    return keys.index(key) if key and key in keys else None


def _listing(header):
    return ", ".join(repr(str(cell)) for cell in header if not is_blank(cell)) or "-"
