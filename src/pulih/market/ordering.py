"""Ordering in a wave: a buyer places, changes and cancels an order of packs for one
drop-off point; and the reads behind the buyer's pages and API.

- Stock is never oversold, whatever the concurrency: an offer's `remaining_milli` is taken
  with one conditional UPDATE (`remaining_milli >= need`), the last statement of the
  transaction so the offer's row stays locked only until the commit; the database's CHECK
  refuses a negative value as the last line. Offers are taken in key order, so two orders
  of the same products wait for each other instead of deadlocking.
- An idempotency key makes a retried submission return the first order. Two submissions
  racing with one key are decided by the unique (buyer, key) index: the loser's order,
  lines and stock roll back and it returns the winner's order.
- Who may buy: a civil servant (role ASN, or a superuser) with a valid NIP and, when the
  wave lists institutions, one of them; an employee of a state-owned company (an
  organisation of kind BUMN, listed if the wave lists any) in a wave for them; anyone
  signed in when the wave is for the public. The buyer's pages show only such waves and
  only the buyer's own orders, whatever the user's role elsewhere.
- The price is always the pack's price at the moment of ordering; a client that sends
  other prices is refused. Changing the packs of an order prices them anew.
- Rate limits per buyer are counted in the Order table, so they hold across server
  processes: `MARKET_ORDERS_PER_MINUTE` orders a minute and `MARKET_LIVE_ORDERS_PER_WAVE`
  placed orders in one wave (settings, defaults below).
"""

import secrets
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, F, FilteredRelation, Max, Prefetch, Q
from django.http import Http404
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from pulih.accounts.models import Organisation, Role
from pulih.core import formats
from pulih.core.ids import parse_nip, parse_phone, problems_text

from .models import DropOffPoint, Order, OrderLine, Pack, Wave, WaveProduct
from .products import quantity_text

ORDERS_PER_MINUTE = 10
LIVE_ORDERS_PER_WAVE = 3
# Confirmation codes: read aloud and typed at the drop-off point, so no 0/O, 1/I/L.
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
CODE_PREFIX = "PS-"
CODE_LENGTH = 6
CODE_ATTEMPTS = 5
KEY_MAX_LENGTH = Order._meta.get_field("idempotency_key").max_length
BIGGEST_ID = 2**63 - 1

WAVE_NOT_OPEN = _(
    "This wave takes orders from %(opens)s to %(closes)s; it is not taking orders now."
)
WAVE_CLOSED = _("The wave has closed: the order can no longer be changed or cancelled.")
NOT_FOR_YOU = _("This wave is not open to you.")
NIP_REQUIRED = _("Civil servants order with their NIP.")
INSTITUTION_NOT_LISTED = _("This wave is for the staff of %(names)s only.")
INSTITUTION_UNKNOWN = _("That institution does not exist.")
DROP_OFF_NOT_IN_WAVE = _("That drop-off point is not part of this wave.")
DROP_OFF_FULL = _("%(point)s takes no more orders; choose another drop-off point.")
FULFILMENT_UNKNOWN = _("Choose collection at the drop-off point or an ojek online.")
NO_ITEMS = _("Choose at least one pack.")
QUANTITY_NOT_WHOLE = _("The number of packs must be a whole number of at least 1.")
TOO_MANY_PACKS = _("At most %(most)s packs in one order.")
PACK_NOT_OFFERED = _("That pack is not offered in this wave.")
STOCK_SHORT = _("Only %(left)s left of %(product)s.")
PRICE_CHANGED = _("The price has changed or was altered; reload the wave.")
PHONE_INVALID = _("The phone number is not valid: %(reasons)s")
KEY_TOO_LONG = _("The idempotency key may be at most %(length)s characters.")
KEY_OTHER_WAVE = _("This idempotency key was already used for an order in another wave.")
TOO_FAST = _("Too many orders in a minute: wait a minute and try again.")
TOO_MANY_LIVE = _(
    "You already have %(count)s orders in this wave, the most allowed: change or cancel one."
)
NOT_PLACED = _("This order is %(status)s: it can no longer be changed or cancelled.")


class RateLimited(ValidationError):
    """Too many orders from one buyer (the API answers 429)."""


# Reads -----------------------------------------------------------------------------------


def _id(value):
    """A database id from a client, or None for anything that cannot be one."""
    if isinstance(value, bool):
        return None
    try:
        number = int(value)
    except (TypeError, ValueError):
        return None
    return number if 0 < number <= BIGGEST_ID else None


def _civil_servant(user):
    return user.is_superuser or user.role == Role.ASN


def _one(queryset):
    """The row a lookup names, or None; unordered, as a lookup needs no sorting."""
    return next(iter(queryset.order_by()[:1]), None)


def civil_servant_in(user, wave):
    """Whether the user buys in the wave as a civil servant (with a NIP)."""
    return _civil_servant(user) and wave.for_civil_servants


def _audience_q(user):
    """The waves whose audience includes the user."""
    if not user.is_authenticated or not user.is_active:
        return Q(pk__in=[])
    audience = Q(for_public=True)
    if _civil_servant(user):
        audience |= Q(for_civil_servants=True)
    if user.organisation_id and user.organisation.kind == Organisation.Kind.STATE_ENTERPRISE:
        audience |= Q(for_state_enterprise_staff=True)
    return audience


def wave_is_open(wave, now=None):
    now = now or timezone.now()
    return wave.status == Wave.Status.PUBLISHED and wave.opens_at <= now < wave.closes_at


def _before_close(wave, now):
    return wave.status == Wave.Status.PUBLISHED and now < wave.closes_at


def order_is_changeable(order, now=None):
    """Whether the buyer may still change or cancel the order."""
    return order.status == Order.Status.PLACED and _before_close(order.wave, now or timezone.now())


def waves_for_buyer(*, user, now=None):
    """Published waves open now or later whose audience includes the user."""
    now = now or timezone.now()
    return Wave.objects.filter(
        _audience_q(user), status=Wave.Status.PUBLISHED, closes_at__gt=now
    ).order_by("closes_at", "pk")


def wave_for_buyer(*, user, pk):
    """A published (or closed) wave for the user to order in; 404 if it is not for them."""
    found = _one(
        Wave.objects.published()
        .filter(_audience_q(user), pk=_id(pk) or 0)
        .prefetch_related("institutions")
    )
    if found is None:
        raise Http404
    return found


def waves_visible(*, user):
    """Published waves the user sees in its work (`Wave.scope_q`) or may buy in."""
    return Wave.objects.published().filter(Wave.scope_q(user) | _audience_q(user)).distinct()


def wave_visible_get(*, user, pk):
    found = _one(waves_visible(user=user).filter(pk=_id(pk) or 0))
    if found is None:
        raise Http404
    return found


def wave_summary(wave, now=None):
    return {
        "id": wave.pk,
        "title": wave.title,
        "province_code": wave.province_code,
        "opens_at": wave.opens_at,
        "closes_at": wave.closes_at,
        "distribution_on": wave.distribution_on,
        "status": wave.status,
        "is_open": wave_is_open(wave, now),
        "for_civil_servants": wave.for_civil_servants,
        "for_state_enterprise_staff": wave.for_state_enterprise_staff,
        "for_public": wave.for_public,
        "max_packs_per_order": wave.max_packs_per_order,
    }


def wave_public_detail(wave):
    """What a buyer needs to order: the products with their packs and prices, the stock
    left, and the drop-off points. No personal data (the PICs are named on the order)."""
    offers = (
        WaveProduct.objects.filter(wave=wave, product__active=True)
        .select_related("product__seller")
        .prefetch_related(
            Prefetch(
                "product__packs",
                queryset=Pack.objects.filter(active=True).order_by("size_milli"),
                to_attr="live",
            )
        )
        .order_by("product__name", "pk")
    )
    points = wave.drop_off_points.order_by("cluster", "pk").values("id", "cluster", "address")
    return {
        **wave_summary(wave),
        "offers": [_offer_detail(offer) for offer in offers],
        "drop_off_points": list(points),
    }


def _offer_detail(offer):
    product = offer.product
    return {
        "id": offer.pk,
        "product_id": product.pk,
        "product": product.name,
        "description": product.description,
        "seller": product.seller.name,
        "unit": product.unit,
        "price_per_unit": product.price_per_unit,
        "photo": product.photo.url if product.photo else "",
        "remaining_milli": offer.remaining_milli,
        "remaining": offer.remaining_milli / 1000,
        "remaining_text": quantity_text(offer.remaining_milli, product.unit),
        "packs": [
            {
                "id": pack.pk,
                "size_milli": pack.size_milli,
                "size": pack.size_milli / 1000,
                "size_text": quantity_text(pack.size_milli, product.unit),
                "price": pack.price,
            }
            for pack in product.live
        ],
    }


def order_quote(*, wave, quantities):
    """The running total of a form being filled: packs and Rupiah of the offered packs
    among {pack id: quantity}; nothing is checked or written."""
    wanted = {
        pk: quantity
        for pk, quantity in ((_id(k), v) for k, v in quantities.items())
        if pk and isinstance(quantity, int) and quantity > 0
    }
    prices = Pack.objects.filter(
        pk__in=wanted, active=True, product__offers__wave=wave
    ).values_list("pk", "price")
    packs = sum(wanted.values())
    return {
        "packs": packs,
        "total": sum(price * wanted[pk] for pk, price in prices),
        "too_many": packs > wave.max_packs_per_order,
    }


def _own_orders(user):
    """A buyer's own orders: the buyer's pages and API show nothing else, whatever the
    user's role elsewhere."""
    if not user.is_authenticated or not user.is_active:
        return Order.objects.none()
    return Order.objects.filter(buyer=user)


def order_get(*, user, pk):
    lines = OrderLine.objects.select_related("pack__product").order_by("pk")
    found = _one(
        _own_orders(user)
        .select_related("wave", "drop_off__pic", "institution")
        .prefetch_related(Prefetch("lines", queryset=lines))
        .filter(pk=_id(pk) or 0)
    )
    if found is None:
        raise Http404
    return found


def my_orders(*, user):
    return _own_orders(user).select_related("wave", "drop_off")


# Writes ----------------------------------------------------------------------------------


def _limit(name, default):
    return getattr(settings, name, default)


def _code():
    return CODE_PREFIX + "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def _institution(value, user, listed):
    """The institution the buyer names (the user's own when none), as an Organisation."""
    if value in (None, ""):
        return user.organisation
    if isinstance(value, Organisation):
        return value
    pk = _id(value)
    found = next((org for org in listed if org.pk == pk), None)
    if found is None and pk:
        found = _one(Organisation.objects.filter(pk=pk))
    if found is None:
        raise ValidationError({"institution": INSTITUTION_UNKNOWN})
    return found


def _buyer(user, wave, nip, institution, today):
    """(buyer kind, NIP, institution) of the user in this wave, or a refusal."""
    listed = list(wave.institutions.all())
    chosen = _institution(institution, user, listed)
    not_listed = ValidationError(
        {"institution": INSTITUTION_NOT_LISTED % {"names": ", ".join(org.name for org in listed)}}
    )
    # A state-owned company is nobody's civil service: its staff buy as its employees.
    enterprise = chosen is not None and chosen.kind == Organisation.Kind.STATE_ENTERPRISE
    if wave.for_state_enterprise_staff and enterprise:
        if not listed or chosen in listed:
            return Order.BuyerKind.STATE_ENTERPRISE, "", chosen
        if not wave.for_public:
            raise not_listed
    elif civil_servant_in(user, wave):
        nip = (nip or user.nip).strip()
        if not nip:
            raise ValidationError({"nip": NIP_REQUIRED})
        parsed = parse_nip(nip, today=today)
        if not parsed.valid:
            raise ValidationError({"nip": problems_text(parsed.errors, get_language() or "id")})
        if listed and chosen not in listed:
            raise not_listed
        return Order.BuyerKind.CIVIL_SERVANT, parsed.value, chosen
    if wave.for_public:
        return Order.BuyerKind.PUBLIC, "", None
    raise ValidationError(NOT_FOR_YOU)


def _drop_off(wave, value):
    if isinstance(value, DropOffPoint):
        point = value if value.wave_id == wave.pk else None
    else:
        point = _one(
            DropOffPoint.objects.filter(pk=_id(value) or 0, wave_id=wave.pk).select_related("pic")
        )
    if point is None:
        raise ValidationError({"drop_off": DROP_OFF_NOT_IN_WAVE})
    return point


def _room_check(point, order=None):
    """A point with a capacity takes that many orders that are not cancelled. Its row is
    locked, so two orders cannot take its last place."""
    if point.capacity is None:
        return
    list(DropOffPoint.objects.select_for_update().filter(pk=point.pk))
    taken = Order.objects.filter(drop_off=point).exclude(status=Order.Status.CANCELLED)
    if order is not None:
        taken = taken.exclude(pk=order.pk)
    if taken.count() >= point.capacity:
        raise ValidationError({"drop_off": DROP_OFF_FULL % {"point": point.cluster}})


def _fulfilment(value):
    if value not in Order.Fulfilment.values:
        raise ValidationError({"fulfilment": FULFILMENT_UNKNOWN})
    return value


def _phone(value):
    value = (value or "").strip()
    if not value:
        return ""
    parsed = parse_phone(value)
    if not parsed.valid:
        reasons = problems_text(parsed.errors, get_language() or "id")
        raise ValidationError({"phone": PHONE_INVALID % {"reasons": reasons}})
    return parsed.e164


def _quantities(items, most):
    """{pack id: packs} from (pack or id, packs) pairs or a mapping; whole numbers ≥ 1, at
    most `most` packs in all. A pack named twice counts once with both quantities."""
    pairs = items.items() if hasattr(items, "items") else items
    wanted = {}
    for pack, quantity in pairs:
        if isinstance(quantity, bool) or not isinstance(quantity, int) or quantity < 1:
            raise ValidationError({"items": QUANTITY_NOT_WHOLE})
        pk = _id(pack.pk if isinstance(pack, Pack) else pack)
        if pk is None:
            raise ValidationError({"items": PACK_NOT_OFFERED})
        wanted[pk] = wanted.get(pk, 0) + quantity
    if not wanted:
        raise ValidationError({"items": NO_ITEMS})
    if sum(wanted.values()) > most:
        raise ValidationError({"items": TOO_MANY_PACKS % {"most": most}})
    return wanted


def _lines(wave, wanted):
    """Unsaved lines at the packs' prices now, each with its offer in this wave and the
    stock the offer had when read (`pack.remaining_milli`)."""
    packs = (
        Pack.objects.filter(pk__in=wanted, active=True, product__active=True)
        .annotate(
            offer=FilteredRelation("product__offers", condition=Q(product__offers__wave=wave))
        )
        .filter(offer__isnull=False)
        .annotate(offer_pk=F("offer__pk"), remaining_milli=F("offer__remaining_milli"))
        .select_related("product")
        .order_by("pk")
    )
    packs = list(packs)
    if len(packs) != len(wanted):
        raise ValidationError({"items": PACK_NOT_OFFERED})
    return [
        OrderLine(
            offer_id=pack.offer_pk,
            pack=pack,
            quantity=wanted[pack.pk],
            size_milli=pack.size_milli,
            unit_price=pack.price,
            amount=pack.price * wanted[pack.pk],
        )
        for pack in packs
    ]


def _needs(lines, sign=1):
    """{offer id: (thousandths to take, or to give back when negative, product)}."""
    needs = {}
    for line in lines:
        milli = needs.get(line.offer_id, (0,))[0] + sign * line.quantity * line.size_milli
        needs[line.offer_id] = (milli, line.pack.product)
    return needs


def _short(product, left_milli):
    left = quantity_text(max(left_milli, 0), product.unit)
    return ValidationError({"items": STOCK_SHORT % {"left": left, "product": product.name}})


def _stock_move(needs):
    """Take (positive) or give back (negative) each offer's stock, in key order; a take
    the offer cannot cover refuses the whole order (the caller's transaction rolls back)."""
    for offer_id in sorted(needs):
        milli, product = needs[offer_id]
        offer = WaveProduct.objects.filter(pk=offer_id)
        if milli > 0:
            taken = offer.filter(remaining_milli__gte=milli).update(
                remaining_milli=F("remaining_milli") - milli
            )
            if not taken:
                raise _short(product, offer.values_list("remaining_milli", flat=True).get())
        elif milli < 0:
            offer.update(remaining_milli=F("remaining_milli") - milli)


def _price_check(lines, expected_total, expected_prices):
    total = sum(line.amount for line in lines)
    if expected_total is not None and expected_total != total:
        raise ValidationError({"price_total": PRICE_CHANGED})
    prices = {line.pack_id: line.unit_price for line in lines}
    for pk, price in (expected_prices or {}).items():
        if price is not None and prices.get(_id(pk)) != price:
            raise ValidationError({"items": PRICE_CHANGED})


def _history(user, wave, key):
    """In one query: the buyer's orders of the last minute, its placed orders in this
    wave, and the order (and its wave) of this idempotency key, if any."""
    since = timezone.now() - timedelta(minutes=1)
    keyed = Q(idempotency_key=key) if key else Q(pk__in=[])
    return Order.objects.filter(buyer=user).aggregate(
        recent=Count("pk", filter=Q(created_at__gte=since)),
        live=Count("pk", filter=Q(wave=wave, status=Order.Status.PLACED)),
        keyed=Max("pk", filter=keyed),
        keyed_wave=Max("wave_id", filter=keyed),
    )


def _rate_check(history):
    if history["recent"] >= _limit("MARKET_ORDERS_PER_MINUTE", ORDERS_PER_MINUTE):
        raise RateLimited(TOO_FAST)
    if history["live"] >= _limit("MARKET_LIVE_ORDERS_PER_WAVE", LIVE_ORDERS_PER_WAVE):
        raise RateLimited(TOO_MANY_LIVE % {"count": history["live"]})


def _by_key(user, wave, key):
    found = _one(Order.objects.filter(buyer=user, idempotency_key=key))
    if found is not None and found.wave_id != wave.pk:
        raise ValidationError(KEY_OTHER_WAVE)
    return found


def order_place(
    *,
    user,
    wave,
    drop_off,
    items,
    fulfilment,
    nip="",
    institution=None,
    buyer_name="",
    phone="",
    idempotency_key="",
    now=None,
    expected_total=None,
    expected_prices=None,
):
    """Place an order of packs in a wave: `items` are (pack or pack id, packs) pairs or a
    {pack id: packs} mapping. Returns (order, created): with an idempotency key already
    used by this buyer, the first order and False, and nothing changes. `expected_total`
    and `expected_prices` ({pack id: price}) are what the client was shown: if they differ
    from the prices now, the order is refused."""
    now = now or timezone.now()
    key = (idempotency_key or "").strip()
    if len(key) > KEY_MAX_LENGTH:
        raise ValidationError(KEY_TOO_LONG % {"length": KEY_MAX_LENGTH})
    history = _history(user, wave, key)
    if history["keyed"] is not None:
        if history["keyed_wave"] != wave.pk:
            raise ValidationError(KEY_OTHER_WAVE)
        return Order.objects.get(pk=history["keyed"]), False
    if not wave_is_open(wave, now):
        raise ValidationError(
            WAVE_NOT_OPEN
            % {
                "opens": formats.datetime_(wave.opens_at),
                "closes": formats.datetime_(wave.closes_at),
            }
        )
    kind, nip, institution = _buyer(user, wave, nip, institution, timezone.localdate(now))
    point = _drop_off(wave, drop_off)
    fulfilment = _fulfilment(fulfilment)
    phone = _phone(phone or user.phone)
    lines = _lines(wave, _quantities(items, wave.max_packs_per_order))
    _price_check(lines, expected_total, expected_prices)
    needs = _needs(lines)
    for line in lines:
        if needs[line.offer_id][0] > line.pack.remaining_milli:
            raise _short(line.pack.product, line.pack.remaining_milli)
    _rate_check(history)
    fields = {
        "wave": wave,
        "drop_off": point,
        "buyer": user,
        "buyer_kind": kind,
        "buyer_name": (buyer_name or "").strip()[:200] or str(user)[:200],
        "nip": nip,
        "institution": institution,
        "phone": phone,
        "fulfilment": fulfilment,
        "total": sum(line.amount for line in lines),
        "total_milli": sum(line.quantity * line.size_milli for line in lines),
        "idempotency_key": key,
    }
    for attempt in range(CODE_ATTEMPTS):
        order = Order(code=_code(), **fields)
        try:
            with transaction.atomic():
                _room_check(point)
                order.save(force_insert=True)
                for line in lines:
                    line.pk, line.order = None, order
                OrderLine.objects.bulk_create(lines)
                _stock_move(needs)
            return order, True
        except IntegrityError:
            # The same key committed by a concurrent submission: return its order.
            if key and (first := _by_key(user, wave, key)) is not None:
                return first, False
            # Else only a confirmation code drawn twice is worth another attempt.
            taken = Order.objects.filter(code=order.code).exists()
            if not taken or attempt == CODE_ATTEMPTS - 1:
                raise


def _locked(user, order):
    """The order, locked for the change; only its buyer may change it."""
    locked = _one(
        Order.objects.select_for_update(of=("self",))
        .select_related("wave", "drop_off")
        .filter(pk=order.pk)
    )
    if locked is None or locked.buyer_id != user.pk:
        raise PermissionDenied
    return locked


def _changeable_check(order, now):
    if order.status != Order.Status.PLACED:
        raise ValidationError(NOT_PLACED % {"status": order.get_status_display().lower()})
    if not _before_close(order.wave, now):
        raise ValidationError(WAVE_CLOSED)


def order_change(
    *, user, order, items=None, drop_off=None, fulfilment=None, now=None, expected_prices=None
):
    """Change the packs, the drop-off point or the fulfilment of a placed order while the
    wave is open. Stock given back for packs removed and taken for packs added, all or
    nothing. The packs are priced anew; `expected_prices` as for `order_place`."""
    now = now or timezone.now()
    with transaction.atomic():
        order = _locked(user, order)
        _changeable_check(order, now)
        wave = order.wave
        if drop_off is not None:
            point = _drop_off(wave, drop_off)
            if point.pk != order.drop_off_id:
                _room_check(point, order)
                order.drop_off = point
        if fulfilment is not None:
            order.fulfilment = _fulfilment(fulfilment)
        needs = {}
        if items is not None:
            lines = _lines(wave, _quantities(items, wave.max_packs_per_order))
            _price_check(lines, None, expected_prices)
            old = list(order.lines.select_related("pack__product"))
            needs = _needs(lines)
            for offer_id, (milli, product) in _needs(old, sign=-1).items():
                needs[offer_id] = (needs.get(offer_id, (0, product))[0] + milli, product)
            order.lines.all().delete()
            for line in lines:
                line.order = order
            OrderLine.objects.bulk_create(lines)
            order.total = sum(line.amount for line in lines)
            order.total_milli = sum(line.quantity * line.size_milli for line in lines)
        order.save()
        _stock_move(needs)
    return order


def order_cancel(*, user, order, now=None):
    """Cancel a placed order until the wave closes; its stock goes back to the offers."""
    now = now or timezone.now()
    with transaction.atomic():
        order = _locked(user, order)
        _changeable_check(order, now)
        order.status, order.cancelled_at = Order.Status.CANCELLED, now
        order.save(update_fields=["status", "cancelled_at", "updated_at"])
        _stock_move(_needs(order.lines.select_related("pack__product"), sign=-1))
    return order
