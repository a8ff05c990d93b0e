"""The linkage models of people and of businesses: what is compared, how pairs are
found, how each is trained.

The comparisons follow how Indonesian field data goes wrong: a NIK with one digit wrong or
two swapped, names in old spelling or with titles (folded by `core.text` before they get
here), day and month swapped in a birth date, a new phone number, a move to the next
village. Parameters are estimated without labels (u by random sampling, m by
expectation maximisation), so each run trains on its own data and saves what it learnt.
"""

from dataclasses import dataclass
from pathlib import Path

import splink.comparison_level_library as cll
from splink import SettingsCreator, block_on
from splink.comparison_library import CustomComparison

from .features import BUSINESS_COLUMNS, PERSON_COLUMNS

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

# A NIK's first twelve digits are the district, the birth date and sex, which other
# comparisons already count; twins born in one district share them and differ in the
# serial. So a serial one digit apart is neutral evidence, while one wrong digit in the
# first twelve (a typing slip) is strong.
_NIK = CustomComparison(
    output_column_name="nik",
    comparison_levels=[
        cll.NullLevel("nik"),
        cll.ExactMatchLevel("nik"),
        cll.And(
            cll.DamerauLevenshteinLevel("nik", 1),
            cll.CustomLevel("substr(nik_l, 13, 4) = substr(nik_r, 13, 4)"),
        ).configure(label_for_charts="one digit wrong or two swapped"),
        cll.CustomLevel(
            "substr(nik_l, 1, 12) = substr(nik_r, 1, 12)", "same district and birth, other serial"
        ).configure(
            m_probability=0.05, u_probability=0.05, fix_m_probability=True, fix_u_probability=True
        ),
        cll.ElseLevel(),
    ],
)

# A household shares its phone, address and village: counted as one piece of evidence,
# not three, and capped. Random pairs almost never share a home, so estimated weights
# would be about 17 bits, enough to outweigh different names and NIKs; but the pairs
# that reach scoring are blocked on phone or place, among which relatives are common.
# Capped, twins living together land in the review queue instead of being linked.
_HOUSEHOLD_BITS = {"same phone and home": 11, "same home address": 10.5, "same phone": 9.5}


def _capped(level, label, m):
    return level.configure(
        label_for_charts=label,
        m_probability=m,
        u_probability=m / 2 ** _HOUSEHOLD_BITS[label],
        fix_m_probability=True,
        fix_u_probability=True,
    )


_CONTACT = CustomComparison(
    output_column_name="contact",
    comparison_levels=[
        cll.And(
            cll.NullLevel("phone"), cll.NullLevel("address_key"), cll.NullLevel("village")
        ).configure(is_null_level=True),
        _capped(
            cll.And(
                cll.ExactMatchLevel("phone"),
                cll.Or(cll.JaroWinklerLevel("address_key", 0.9), cll.ExactMatchLevel("village")),
            ),
            "same phone and home",
            0.6,
        ),
        _capped(cll.ExactMatchLevel("phone"), "same phone", 0.06),
        _capped(
            cll.And(cll.JaroWinklerLevel("address_key", 0.9), cll.ExactMatchLevel("village")),
            "same home address",
            0.3,
        ),
        cll.ExactMatchLevel("village"),
        cll.ExactMatchLevel("district"),
        cll.ExactMatchLevel("regency"),
        # People do move between regencies; synthetic training data rarely shows it.
        cll.ElseLevel().configure(m_probability=0.01, fix_m_probability=True),
    ],
)

# A stated sex that differs is rare in one person's records (a slip), and never learnt
# from data where it does not happen; fixed rather than estimated.
_SEX = CustomComparison(
    output_column_name="sex",
    comparison_levels=[
        cll.NullLevel("sex"),
        cll.ExactMatchLevel("sex").configure(m_probability=0.99, fix_m_probability=True),
        cll.ElseLevel().configure(m_probability=0.01, fix_m_probability=True),
    ],
)

PERSON_COMPARISONS = [
    _NIK,
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
    _SEX,
    _CONTACT,
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
# Not the phone: a household shares one phone, and pairs blocked on it would teach the
# model that different names and NIKs are no evidence against a match.
PERSON_TRAINING = [
    block_on("nik"),
    block_on("name_key", "birth_date"),
]

# Rules precise enough to count matches when estimating how common duplicates are.
PERSON_DETERMINISTIC = [
    "l.nik = r.nik",
    "l.name_key = r.name_key and l.birth_date = r.birth_date",
]


# Businesses: the same owner (one entity after people are linked), a similar name once
# legal forms and spelling are set aside, the same place.
BUSINESS_COMPARISONS = [
    CustomComparison(
        output_column_name="owner",
        comparison_levels=[
            cll.NullLevel("owner"),
            cll.ExactMatchLevel("owner"),
            cll.ExactMatchLevel("owner_nik"),
            cll.JaroWinklerLevel("owner_name_key", 0.92),
            cll.ElseLevel(),
        ],
    ),
    _exact_or_close(
        "business_key",
        "business_name",
        [
            cll.JaroWinklerLevel("business_key", 0.92),
            cll.JaroWinklerLevel("business_key", 0.8),
            cll.ArrayIntersectLevel("business_tokens", 2),
            cll.ArrayIntersectLevel("business_tokens", 1),
        ],
    ),
    CustomComparison(
        output_column_name="region",
        comparison_levels=[
            cll.NullLevel("regency"),
            cll.ExactMatchLevel("village"),
            cll.ExactMatchLevel("district"),
            cll.ExactMatchLevel("regency"),
            cll.ElseLevel().configure(m_probability=0.01, fix_m_probability=True),
        ],
    ),
    _exact_or_close("phone", "phone", []),
]

BUSINESS_BLOCKING = [
    block_on("owner"),
    block_on("business_key", "district"),
    block_on("owner_name_key", "village"),
    block_on("phone"),
]

BUSINESS_TRAINING = [block_on("owner"), block_on("business_key", "district")]

BUSINESS_DETERMINISTIC = [
    "l.owner = r.owner and l.business_key = r.business_key",
    "l.business_key = r.business_key and l.village = r.village",
]


@dataclass(frozen=True, eq=False)
class Spec:
    """One linkage model: its input columns (list columns named in `lists`), settings,
    training rules, and the packaged parameters used when there is too little data."""

    name: str
    columns: tuple
    lists: tuple
    comparisons: list
    blocking: list
    training: list
    deterministic: list

    @property
    def default_path(self):
        return Path(__file__).parent / "data" / f"{self.name}_model.json"

    def settings(self):
        return SettingsCreator(
            link_type="dedupe_only",
            unique_id_column_name="unique_id",
            comparisons=self.comparisons,
            blocking_rules_to_generate_predictions=self.blocking,
            retain_intermediate_calculation_columns=False,
        )


PEOPLE = Spec(
    name="person",
    columns=PERSON_COLUMNS,
    lists=("name_tokens",),
    comparisons=PERSON_COMPARISONS,
    blocking=PERSON_BLOCKING,
    training=PERSON_TRAINING,
    deterministic=PERSON_DETERMINISTIC,
)

BUSINESSES = Spec(
    name="business",
    columns=BUSINESS_COLUMNS,
    lists=("business_tokens",),
    comparisons=BUSINESS_COMPARISONS,
    blocking=BUSINESS_BLOCKING,
    training=BUSINESS_TRAINING,
    deterministic=BUSINESS_DETERMINISTIC,
)
