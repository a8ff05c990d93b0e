"""The packaged Kemendagri region list (see data/NOTICE.md) and an in-memory index of it.

The list ships inside the package so that nothing downloads at run time and region codes can
be checked without a database: a NIK is validated the same way before `wilayah_load` has run,
in a worker, or in a command-line tool.
"""

import csv
import gzip
import io
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from pulih.core.ids import parse_nik

DATA_DIR = Path(__file__).resolve().parent / "data"

# The columns of idn-area-data's CSV files; the second column of a lower level is its parent.
HEADERS = {
    "provinces": ("code", "name"),
    "regencies": ("code", "province_code", "name"),
    "districts": ("code", "regency_code", "name"),
    "villages": ("code", "district_code", "name"),
}
LEVELS = tuple(HEADERS)
RETIRED_HEADER = ("old_code", "name", "successor_code")


def parse_csv(level, text):
    """Rows of one level's CSV text as tuples; refuses a file whose columns have changed."""
    reader = csv.reader(io.StringIO(text, newline=""))
    header = tuple(next(reader, ()))
    if header != HEADERS[level]:
        raise ValueError(
            f"{level}.csv: expected columns {','.join(HEADERS[level])}, found {','.join(header)}"
        )
    rows = []
    for row in reader:
        if len(row) != len(header):
            raise ValueError(f"{level}.csv line {reader.line_num}: expected {len(header)} fields")
        rows.append(tuple(row))
    return rows


def read_rows(level, data_dir=DATA_DIR):
    """One level of the packaged data, in file order (sorted by code)."""
    return parse_csv(
        level, gzip.decompress((Path(data_dir) / f"{level}.csv.gz").read_bytes()).decode()
    )


def write_gzip(path, data):
    """Compress with a zero timestamp so the same data always gives the same bytes in git."""
    Path(path).write_bytes(gzip.compress(data, compresslevel=9, mtime=0))


def retired_regencies(data_dir=DATA_DIR):
    """Old regency code → (name, successor code), for NIKs issued before the 2022 Papua split."""
    with open(Path(data_dir) / "retired_regencies.csv", encoding="utf-8", newline="") as f:
        reader = csv.reader(f)
        if tuple(next(reader, ())) != RETIRED_HEADER:
            raise ValueError(f"retired_regencies.csv: expected columns {','.join(RETIRED_HEADER)}")
        return {old: (name, successor) for old, name, successor in reader}


@dataclass(frozen=True)
class RegionIndex:
    """Codes and names of provinces, regencies and districts: the `regions` that
    `core.ids.parse_nik` asks. Villages are left out; a NIK does not carry one."""

    provinces: dict
    regencies: dict
    districts: dict
    retired: dict

    def has_province(self, code):
        return code in self.provinces

    def has_regency(self, code):
        return code in self.regencies

    def has_district(self, code):
        return code in self.districts

    def retired_regency(self, code):
        """The current code of a regency that moved to a new province, or None."""
        retired = self.retired.get(code)
        return retired[1] if retired else None

    def province_name(self, code):
        return self.provinces.get(code)

    def regency_name(self, code):
        return self.regencies.get(code)

    def district_name(self, code):
        return self.districts.get(code)


def build_index(data_dir=DATA_DIR):
    return RegionIndex(
        provinces={code: name for code, name in read_rows("provinces", data_dir)},
        regencies={code: name for code, _, name in read_rows("regencies", data_dir)},
        districts={code: name for code, _, name in read_rows("districts", data_dir)},
        retired=retired_regencies(data_dir),
    )


@lru_cache(maxsize=1)
def region_index():
    """The index of the packaged data, built once per process."""
    return build_index()


def nik_check(value):
    """Parse and validate a NIK against the packaged region list."""
    return parse_nik(value, regions=region_index())
