"""Normalise Indonesian person names, addresses and business names for record linkage.

The same person turns up as "H. Moch. Soetrisno, S.E." in one list, "MUHAMMAD SUTRISNO"
in another and "Sutrisno" in a third. Each function here returns a `key`: a lower-case
ASCII form in which such spellings coincide. A key is for comparing records (equality,
blocking, string distance), never for showing to anyone: it folds letters that people
do see as different ("Hasanuddin" becomes "hasanudin"). Titles and legal forms are not
thrown away but returned beside the key, because they still help a reviewer ("Hj." is a
woman, "KUD" and "PT" are different businesses).

Every rule is a row in one of the tables below and has a test in tests/core/test_text.py.
A linkage run normalises about a million names, most of them repeats, so the key
functions and the per-word spelling fold are cached.
"""

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

# Titles written before a name, canonical spelling first. They are only taken from the
# leading run of the name (every word before them is a title too), because there they are
# unambiguous; further in, "H" is an initial (Mohammad Husni Thamrin is "M. H. Thamrin").
# For the same reason "Ir" counts as a title only in that leading run, dotted or not.
PREFIX_TITLES = {
    "H.": ("h", "haji"),
    "Hj.": ("hj", "hajjah"),
    "Ir.": ("ir",),
    "Dr.": ("dr",),
    "Drs.": ("drs",),
    "Dra.": ("dra",),
    "Prof.": ("prof",),
    "Bpk.": ("bpk", "bapak", "pak"),
    "Ibu": ("ibu", "bu"),
    "Sdr.": ("sdr", "saudara"),
    "Sdri.": ("sdri", "saudari"),
    "Tn.": ("tn", "tuan"),
    "Ny.": ("ny", "nyonya"),
    "Alm.": ("alm",),
    "Almh.": ("almh",),
}

# Degrees written after a name, as "S.E.", "S. E.", "SE" or "SE.". They are taken only
# from the trailing run, so the first name word always stays. Split into letters ("M.H.")
# they need the dot after the first part: "Ahmad M H" is read as two initials.
DEGREES = (
    "S.E.",
    "S.Pd.",
    "S.H.",
    "S.Kom.",
    "S.T.",
    "S.Sos.",
    "S.Ag.",
    "S.Kep.",
    "A.Md.",
    "M.M.",
    "M.Si.",
    "M.Pd.",
    "M.H.",
)

# "Almarhum" is written before the name or after it ("Ahmad Dahlan (Alm)").
SUFFIX_TITLES = {"Alm.": ("alm",), "Almh.": ("almh",)}

# "Ahmad bin Salim" is "Ahmad Salim". A bare "b" is kept: "Susilo B Yudhoyono" has an
# initial there; "b." counts as the connector, at the cost of dropping a dotted initial.
CONNECTORS = frozenset({"bin", "binti", "bt"})
DOTTED_CONNECTORS = frozenset({"b"})

# Abbreviations that only mean a name as its first word, with more words after it: "M."
# elsewhere is an initial and "ST" at the end is Sarjana Teknik.
LEADING_INITIALS = {"m": "muhammad", "st": "siti"}

# Spelling before 1972 (Soewandi/van Ophuijsen) and its modern equivalent, applied in this
# order to every word; a word is rewritten even when it is already modern ("Panji" ->
# "panyi") so that old and new spellings meet. In a word with an old-only mark (oe, dj,
# tj, sj) a j on its own was the modern y ("Tjahjo" is "Cahyo"); elsewhere j stays j, or
# "Juli" and "Yuli" would merge.
OLD_SPELLING = (("oe", "u"), ("dj", "j"), ("tj", "c"), ("sj", "sy"), ("nj", "ny"), ("ch", "kh"))

# Whole-word spellings of common names. Looked up after the spelling fold, so old
# spellings ("Moehammad") and unlisted doublings land here too.
NAME_VARIANTS = {
    "muhammad": (
        "muhammad",
        "mohammad",
        "muhamad",
        "mohamad",
        "mochammad",
        "muchammad",
        "mochamad",
        "moch",
        "moh",
        "muh",
        "mhd",
    ),
    "abdul": ("abdul", "abd"),
    "nur": ("nur", "noor", "nour"),
    "ahmad": ("achmad", "ahmad", "akhmad"),
}

# Address words, canonical first.
ADDRESS_WORDS = {
    "jalan": ("jl", "jln", "jalan"),
    "gang": ("gg", "gang"),
    "no": ("no", "nomor", "nmr"),
    "desa": ("ds", "desa"),
    "kelurahan": ("kel", "kelurahan"),
    "kecamatan": ("kec", "kecamatan"),
    "kabupaten": ("kab", "kabupaten"),
    "dusun": ("dsn", "dusun"),
    "perumahan": ("perum", "perumahan"),
    "kompleks": ("komp", "kompleks", "komplek"),
    "blok": ("blk", "blok"),
}

# RT and RW numbers written as one pair ("RT/RW 003/005", "RT 003/005") are spelt out as
# "rt 3 rw 5"; the other forms ("RT.003 RW.005", "Rt3/Rw5") come out so word by word.
RT_RW_PAIRS = (
    re.compile(r"\brt\W*rw\W*(\d+)\W+(\d+)"),
    re.compile(r"\brt\W*(\d+)\s*/\s*(\d+)"),
)

# Legal forms and kinds of business, canonical spelling first. A variant with a dot needs
# the dot: "TK" on its own is a kindergarten (Taman Kanak-kanak), "Tk." is a shop.
BUSINESS_FORMS = {
    "UD": ("ud",),
    "CV": ("cv",),
    "PT": ("pt",),
    "PD": ("pd",),
    "Toko": ("toko", "tk."),
    "Warung": ("warung", "wr", "wrg", "warung makan"),
    "Koperasi": ("koperasi", "kop", "kopr"),
    "KSP": ("ksp", "koperasi simpan pinjam"),
    "KSU": ("ksu", "koperasi serba usaha"),
    "KSPPS": (
        "kspps",
        "koperasi simpan pinjam pembiayaan syariah",
        "koperasi simpan pinjam dan pembiayaan syariah",
    ),
    "KUD": ("kud", "koperasi unit desa"),
}

# Big enough for the distinct names of a whole linkage run to stay cached, small enough
# (tens of MB) for a long-running server.
KEY_CACHE_SIZE = 1 << 17
WORD_CACHE_SIZE = 1 << 16

_WORD = re.compile(r"([a-z0-9]+)(\.?)")
_ADDRESS_WORD = re.compile(r"[a-z]+|[0-9]+")
_OLD_MARK = re.compile(r"oe|dj|tj|sj")
_LONE_J = re.compile(r"(?<![dtsn])j")
_DOUBLE = re.compile(r"([a-z])\1+")
_FINAL_Y = re.compile(r"(?<=[a-z])y$")
# "C.V." and "P. T." are CV and PT; in business names dotted single letters close up.
_DOTTED_LETTERS = re.compile(r"\b([a-z])\.\s?(?=[a-z]\b)")


@dataclass(frozen=True, slots=True)
class PersonName:
    """A person's name split into the comparable `key` and the titles set aside."""

    key: str
    titles: tuple[str, ...]

    @property
    def tokens(self) -> tuple[str, ...]:
        return tuple(self.key.split())


@dataclass(frozen=True, slots=True)
class BusinessName:
    """A business name split into the comparable `key` and the legal/kind forms set aside."""

    key: str
    forms: tuple[str, ...]


def _ascii(text):
    """Lower-case ASCII: accents go (é -> e), other non-ASCII letters are dropped, and
    apostrophes close up so that "Ma'ruf" and "Maruf" meet."""
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return text.replace("'", "").replace("`", "").lower()


def _words(text):
    """(word, followed by a dot) pairs; every other punctuation mark separates words."""
    return [(word, bool(dot)) for word, dot in _WORD.findall(text)]


def _spell(word):
    if _OLD_MARK.search(word):
        word = _LONE_J.sub("y", word)
    for old, new in OLD_SPELLING:
        word = word.replace(old, new)
    # Doubled letters and a final y are spelt both ways for the same name: Hasanuddin /
    # Hasanudin, Hendry / Hendri.
    word = _DOUBLE.sub(r"\1", word)
    return _FINAL_Y.sub("i", word)


_PREFIX_BY_WORD = {word: title for title, words in PREFIX_TITLES.items() for word in words}
_SUFFIX_BY_WORD = {
    **{degree.replace(".", "").lower(): degree for degree in DEGREES},
    **{word: title for title, words in SUFFIX_TITLES.items() for word in words},
}
_DEGREE_BY_PARTS = {tuple(degree.lower().rstrip(".").split(".")): degree for degree in DEGREES}
_VARIANTS = {_spell(word): name for name, words in NAME_VARIANTS.items() for word in words}
_ADDRESS_BY_WORD = {word: canon for canon, words in ADDRESS_WORDS.items() for word in words}
_FORM_WORD = {
    variant: words[0]
    for words in BUSINESS_FORMS.values()
    for variant in words
    if " " not in variant
}
_FORM_BY_PHRASE = {
    tuple(_FORM_WORD.get(word, word) for word in variant.split()): form
    for form, words in BUSINESS_FORMS.items()
    for variant in words
}
_FORM_SIZE = max(len(phrase) for phrase in _FORM_BY_PHRASE)


@lru_cache(maxsize=WORD_CACHE_SIZE)
def _fold(word):
    """One word in comparable spelling: old spelling modernised, then the name variants."""
    spelt = _spell(word)
    return _VARIANTS.get(spelt, spelt)


def person_name(text: str | None) -> PersonName:
    """Titles set aside in the order written, the rest folded word by word."""
    words = _words(_ascii(text or ""))
    titles = []
    # Titles never take the last word: a lone "Bapak" is kept as the name.
    start = 0
    while start < len(words) - 1 and words[start][0] in _PREFIX_BY_WORD:
        titles.append(_PREFIX_BY_WORD[words[start][0]])
        start += 1
    end = len(words)
    trailing = []
    while end - 1 > start:
        (before, dotted), (word, _) = words[end - 2], words[end - 1]
        if word in _SUFFIX_BY_WORD:
            trailing.append(_SUFFIX_BY_WORD[word])
            end -= 1
        elif end - 2 > start and dotted and (before, word) in _DEGREE_BY_PARTS:
            trailing.append(_DEGREE_BY_PARTS[before, word])
            end -= 2
        else:
            break
    titles.extend(reversed(trailing))

    name = words[start:end]
    key = []
    for position, (word, dotted) in enumerate(name):
        if position == 0:
            if len(name) > 1 and word in LEADING_INITIALS:
                key.append(LEADING_INITIALS[word])
                continue
        elif word in CONNECTORS or (dotted and word in DOTTED_CONNECTORS):
            continue
        key.append(_fold(word))
    return PersonName(key=" ".join(key), titles=tuple(titles))


@lru_cache(maxsize=KEY_CACHE_SIZE)
def name_key(text: str | None) -> str:
    """`person_name(text).key`, cached."""
    return person_name(text).key


@lru_cache(maxsize=KEY_CACHE_SIZE)
def address_key(text: str | None) -> str:
    """Address words spelt out, RT/RW as "rt 3 rw 5", numbers without leading zeros."""
    text = _ascii(text or "")
    for pair in RT_RW_PAIRS:
        text = pair.sub(r"rt \1 rw \2", text)
    key = []
    for word in _ADDRESS_WORD.findall(text):
        if word.isdigit():
            # House, RT and RW numbers are written with and without leading zeros.
            key.append(word.lstrip("0") or "0")
        else:
            key.append(_ADDRESS_BY_WORD.get(word, word))
    return " ".join(key)


def _form_word(word, dotted):
    return _FORM_WORD.get(f"{word}." if dotted else word) or _FORM_WORD.get(word) or word


def _form_at(kinds, start, end, leading):
    """The longest form at the start (or end) of kinds[start:end] that leaves a word over."""
    for size in range(min(_FORM_SIZE, end - start - 1), 0, -1):
        phrase = tuple(kinds[start : start + size] if leading else kinds[end - size : end])
        if phrase in _FORM_BY_PHRASE:
            return _FORM_BY_PHRASE[phrase], size
    return None


def business_name(text: str | None) -> BusinessName:
    """Forms set aside from both ends; the rest folded like a person's name, so that
    "UD Sinar Djaya" and "Sinar Jaya" meet."""
    words = _words(_DOTTED_LETTERS.sub(r"\1", _ascii(text or "")))
    kinds = [_form_word(word, dotted) for word, dotted in words]
    start, end = 0, len(words)
    forms = []
    while found := _form_at(kinds, start, end, leading=True):
        forms.append(found[0])
        start += found[1]
    trailing = []
    while found := _form_at(kinds, start, end, leading=False):
        trailing.append(found[0])
        end -= found[1]
    forms.extend(reversed(trailing))
    key = " ".join(_fold(word) for word, _ in words[start:end])
    return BusinessName(key=key, forms=tuple(forms))


@lru_cache(maxsize=KEY_CACHE_SIZE)
def business_key(text: str | None) -> str:
    """`business_name(text).key`, cached."""
    return business_name(text).key
