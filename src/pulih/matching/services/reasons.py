"""The sentences of an allocation run: why each line got its quantity, and the run's
message. They are written in the language of the officer who ran the allocation, from the
figures of that moment, so they stay true to it later.
"""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from pulih.core import formats

# A run's message names the points most short, up to this many.
SHORT_POINTS_NAMED = 10


# Why producers were left out of a run, in the words of the run's message.
EXCLUDED = {
    "not_curated": gettext_lazy("no longer curated"),
    "no_granted_licence": gettext_lazy("curated but without a granted licence"),
    "price_above_offer": gettext_lazy("price above the buyer's offer"),
    "no_capacity_before_deadline": gettext_lazy("cannot make anything before the deadline"),
    "committed_elsewhere": gettext_lazy("capacity already taken by other orders"),
    "no_position": gettext_lazy("no known location"),
    "share_reached": gettext_lazy("already holds its largest share of this demand"),
    "below_min_lot": gettext_lazy("can take less than the smallest order"),
}


def line_reason(*, candidate, line, rate, estimated, rank, count, used, usable, share, cap):
    """Why a producer got this quantity for this point, in the officer's words: what a
    unit costs delivered, how it ranks for the point, and what bounded its quantity.
    `usable` is what it could take in the run, `cap` its share cap in units of the whole
    demand (None without one)."""
    figures = {
        "cost": formats.rupiah(round(line.unit_cost)),
        "price": formats.rupiah(candidate.price),
        "km": formats.number(round(line.distance_km)),
        "rate": f"Rp {formats.number(rate, digits=2)}",
    }
    if rate:
        parts = [
            _("%(cost)s per unit delivered (price %(price)s + %(km)s km × %(rate)s)") % figures
        ]
    else:
        parts = [_("%(price)s per unit, %(km)s km away (transport not costed)") % figures]
    if estimated:
        parts.append(_("distance estimated from the province capital"))
    if rank == 1:
        parts.append(_("cheapest for this point"))
    else:
        parts.append(
            _("ranked %(rank)s of %(count)s by cost for this point")
            % {"rank": formats.number(rank), "count": formats.number(count)}
        )
    if share and usable < candidate.free and used >= usable:
        parts.append(
            _("share cap of %(percent)s %% reached (%(units)s units)")
            % {"percent": share, "units": formats.number(cap)}
        )
    elif used >= candidate.free:
        parts.append(
            _("all %(capacity)s of its capacity before the deadline used")
            % {"capacity": formats.number(candidate.free)}
        )
    else:
        parts.append(
            _("%(used)s of its %(capacity)s capacity before the deadline used")
            % {"used": formats.number(used), "capacity": formats.number(candidate.free)}
        )
    if candidate.committed:
        parts.append(
            _("%(units)s more already on its other orders")
            % {"units": formats.number(candidate.committed)}
        )
    return "; ".join(parts)


def _excluded_text(excluded):
    return "; ".join(
        f"{EXCLUDED.get(code, code)}: {formats.number(count)}" for code, count in excluded.items()
    )


def _no_producer_message(excluded):
    text = _("No curated producer can deliver before the deadline.")
    if not excluded:
        return " ".join([text, _("No producer of this product is curated yet.")])
    return " ".join([text, _("Left out: %(reasons)s.") % {"reasons": _excluded_text(excluded)}])


def run_message(*, run, needs, lines):
    """The run in one or two sentences: asked (or missing), what can be made before the
    deadline and by how many producers, what is short and where, who was left out."""
    figures = {
        "asked": formats.number(run.quantity),
        "allocated": formats.number(run.allocated),
        "short": formats.number(run.shortfall),
        "deadline": formats.date(run.demand.deadline),
    }
    given = {}
    for line in lines:
        given[line.point_id] = given.get(line.point_id, 0) + line.final_quantity
    used = len({line.declaration_id for line in lines if line.final_quantity})
    first = _("%(asked)s still missing") if run.reallocation else _("%(asked)s asked")
    made = ngettext(
        "%(allocated)s can be made before %(deadline)s by %(used)s producer",
        "%(allocated)s can be made before %(deadline)s by %(used)s producers",
        used,
    ) % {**figures, "used": formats.number(used)}
    parts = [first % figures, made]
    if run.shortfall:
        parts.append(_("%(short)s short") % figures)
    text = "; ".join(parts) + "."
    short = sorted(
        ((need - given.get(point.pk, 0), point.name) for point, need in needs.items()),
        key=lambda item: -item[0],
    )
    short = [f"{name} {formats.number(units)}" for units, name in short if units > 0]
    if short:
        named = ", ".join(short[:SHORT_POINTS_NAMED])
        if len(short) > SHORT_POINTS_NAMED:
            more = len(short) - SHORT_POINTS_NAMED
            named = _("%(points)s and %(count)s more") % {
                "points": named,
                "count": formats.number(more),
            }
        text += " " + _("Short at: %(points)s.") % {"points": named}
    if run.excluded:
        text += " " + _("Left out: %(reasons)s.") % {"reasons": _excluded_text(run.excluded)}
    return text
