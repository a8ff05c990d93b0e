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
