"""Indonesian formatting of money, dates and weights, following the active language.

Money is kept as whole Rupiah in integers everywhere; this is the only place that
turns it into text.
"""

import datetime

from babel.dates import format_date, format_datetime
from babel.numbers import format_decimal
from django.utils import timezone
from django.utils.translation import get_language

BABEL_LOCALES = {"id": "id_ID", "en": "en_ID"}


def babel_locale():
    return BABEL_LOCALES.get((get_language() or "id").split("-")[0], "id_ID")


def number(value, *, digits=0):
    if value is None or value == "":
        return ""
    fmt = "#,##0" + ("." + "0" * digits if digits else "")
    return format_decimal(value, format=fmt, locale=babel_locale())


def rupiah(value):
    """11000 → "Rp 11.000"."""
    if value is None or value == "":
        return ""
    sign = "-" if value < 0 else ""
    return f"{sign}Rp {number(abs(value))}"


def date(value):
    """date(2020, 4, 7) → "7 April 2020"."""
    if not value:
        return ""
    if isinstance(value, datetime.datetime):
        value = timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    return format_date(value, "d MMMM y", locale=babel_locale())


def datetime_(value):
    """An aware datetime → "7 April 2020 14.05" in Jakarta time."""
    if not value:
        return ""
    if timezone.is_aware(value):
        value = timezone.localtime(value)
    return format_datetime(value, "d MMMM y HH.mm", locale=babel_locale())


def weight(kg):
    """Weights under a tonne in kg, from a tonne on in tonnes: 2900 → "2,9 t"."""
    if kg is None or kg == "":
        return ""
    if abs(kg) >= 1000:
        return f"{format_decimal(kg / 1000, format='#,##0.###', locale=babel_locale())} t"
    return f"{format_decimal(kg, format='#,##0.###', locale=babel_locale())} kg"
