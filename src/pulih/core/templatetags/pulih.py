"""Template filters for Indonesian formats; loaded in every template as builtins."""

from django import template

from .. import formats, ids

register = template.Library()

register.filter("rupiah", formats.rupiah)
register.filter("tanggal", formats.date)
register.filter("waktu", formats.datetime_)
register.filter("berat", formats.weight)
register.filter("angka", formats.number)
register.filter("mask_nik", ids.mask_nik)
register.filter("mask_nip", ids.mask_nip)
register.filter("mask_phone", ids.mask_phone)


@register.simple_tag(takes_context=True)
def page_query(context, number):
    """The current query string with another page number, keeping every filter."""
    query = context["request"].GET.copy()
    query["page"] = number
    return query.urlencode()
