"""Every UI string has its Indonesian translation."""

import re
from pathlib import Path

from babel.messages.pofile import read_po

SRC = Path(__file__).resolve().parents[2] / "src" / "pulih"
PO = SRC / "locale" / "id" / "LC_MESSAGES" / "django.po"
TEMPLATE_STRING = re.compile(r"""{%\s*(?:translate|trans)\s+"([^"]+)"\s""")
PYTHON_STRING = re.compile(r"""\b_\(\s*"([^"\\]+)"\s*\)""")


def key(text):
    """Plural entries come as lists from .mo files and as tuples from .po files."""
    return tuple(text) if isinstance(text, list | tuple) else text


def catalog():
    with PO.open("rb") as f:
        return read_po(f)


def test_every_catalog_entry_is_translated_and_not_fuzzy():
    untranslated = [
        m.id for m in catalog() if m.id and (not m.string or not all(m.string) or m.fuzzy)
    ]
    assert untranslated == []


def test_every_literal_ui_string_is_in_the_catalog():
    known = {m.id for m in catalog() if isinstance(m.id, str)}
    used = set()
    for path in SRC.rglob("*.html"):
        used |= set(TEMPLATE_STRING.findall(path.read_text(encoding="utf-8")))
    for path in SRC.rglob("*.py"):
        if "migrations" not in path.parts:
            used |= set(PYTHON_STRING.findall(path.read_text(encoding="utf-8")))
    assert sorted(used - known) == []


def test_compiled_catalogue_matches_the_translations():
    """The .mo ships in the package, so a plain `pip install` speaks Indonesian too."""
    from babel.messages.mofile import read_mo

    with (PO.with_suffix(".mo")).open("rb") as f:
        compiled = {key(m.id): key(m.string) for m in read_mo(f) if m.id}
    written = {key(m.id): key(m.string) for m in catalog() if m.id}
    assert compiled == written, "run `make messages` (or python -m pulih.core.i18n_compile)"
