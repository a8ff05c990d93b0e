"""The linkage model of people: what is compared, how pairs are found, how it is trained.

The comparisons follow how Indonesian field data goes wrong: a NIK with one digit wrong or
two swapped, names in old spelling or with titles (folded by `core.text` before they get
here), day and month swapped in a birth date, a new phone number, a move to the next
village. Parameters are estimated without labels (u by random sampling, m by
expectation maximisation), so each run trains on its own data and saves what it learnt.
"""

import splink.comparison_level_library as cll
from splink import SettingsCreator, block_on
from splink.comparison_library import CustomComparison

SEED = 20200407


def _exact_or_close(column, label, close_levels):
    return CustomComparison(
        output_column_name=label,
        comparison_levels=[
            cll.NullLevel(column),
            cll.ExactMatchLevel(column),
            *close_levels,
            cll.ElseLevel(),
        ],
    )


_DAY_MONTH_SWAPPED = (
    "substr(birth_date_l, 1, 4) = substr(birth_date_r, 1, 4)"
    " AND substr(birth_date_l, 6, 2) = substr(birth_date_r, 9, 2)"
    " AND substr(birth_date_l, 9, 2) = substr(birth_date_r, 6, 2)"
)
_YEAR_OFF = (
    "substr(birth_date_l, 6, 5) = substr(birth_date_r, 6, 5)"
    " AND abs(cast(substr(birth_date_l, 1, 4) as int)"
    " - cast(substr(birth_date_r, 1, 4) as int)) <= 1"
)

PERSON_COMPARISONS = [
    _exact_or_close("nik", "nik", [cll.DamerauLevenshteinLevel("nik", 1)]),
    _exact_or_close(
        "name_key",
        "name",
        [
            cll.JaroWinklerLevel("name_key", 0.95),
            cll.JaroWinklerLevel("name_key", 0.88),
            cll.ArrayIntersectLevel("name_tokens", 2),
            cll.ArrayIntersectLevel("name_tokens", 1),
        ],
    ),
    _exact_or_close(
        "birth_date",
        "birth_date",
        [
            cll.AbsoluteDateDifferenceLevel(
                "birth_date", input_is_string=True, threshold=1, metric="day"
            ),
            cll.CustomLevel(_DAY_MONTH_SWAPPED, "day and month swapped"),
            cll.CustomLevel(_YEAR_OFF, "year off by one"),
        ],
    ),
    _exact_or_close("sex", "sex", []),
    _exact_or_close("phone", "phone", []),
    CustomComparison(
        output_column_name="region",
        comparison_levels=[
            cll.NullLevel("regency"),
            cll.ExactMatchLevel("village"),
            cll.ExactMatchLevel("district"),
            cll.ExactMatchLevel("regency"),
            cll.ElseLevel(),
        ],
    ),
    _exact_or_close("address_key", "address", [cll.JaroWinklerLevel("address_key", 0.9)]),
]

# Each rule keeps blocks small: a NIK, a phone, or a name or district pinned to a birth
# date. Together they find the corrupted duplicates that any single rule would miss.
PERSON_BLOCKING = [
    block_on("nik"),
    block_on("phone"),
    block_on("name_key", "birth_date"),
    block_on("name_first", "birth_date"),
    block_on("name_last", "birth_date"),
    block_on("district", "birth_date"),
    block_on("name_key", "district"),
]

# Rules for expectation maximisation: each leaves other comparisons free to be learnt.
PERSON_TRAINING = [
    block_on("nik"),
    block_on("name_key", "birth_date"),
    block_on("phone"),
]

# Rules precise enough to count matches when estimating how common duplicates are.
PERSON_DETERMINISTIC = [
    "l.nik = r.nik",
    "l.name_key = r.name_key and l.birth_date = r.birth_date",
]


def person_settings():
    return SettingsCreator(
        link_type="dedupe_only",
        unique_id_column_name="unique_id",
        comparisons=PERSON_COMPARISONS,
        blocking_rules_to_generate_predictions=PERSON_BLOCKING,
        retain_intermediate_calculation_columns=False,
    )
