"""What producers can supply: which declarations may receive a demand, and how much
each can make before a deadline. Shared by allocation, reports and the API."""

from django.db.models import Exists, OuterRef, Q

from .models import Declaration, Licence

DAYS_PER_MONTH = 30


def licence_granted_q(*, kind, product_type, on):
    """Declarations whose business holds a granted licence of `kind`, for their product
    (or for everything it makes), valid on the day `on`."""
    return Exists(
        Licence.objects.filter(
            business_id=OuterRef("business_id"),
            kind=kind,
            status=Licence.Status.GRANTED,
        )
        .filter(Q(product_type=product_type) | Q(product_type__isnull=True))
        .filter(Q(expires_on__isnull=True) | Q(expires_on__gte=on))
    )


def allocatable_declarations(*, product_type, requires_licence, deadline):
    """Curated declarations of `product_type`; when the demand requires a licence and the
    type has one, only those whose business holds it granted until the deadline."""
    declarations = Declaration.objects.filter(
        product_type=product_type, status=Declaration.Status.CURATED
    )
    if requires_licence and product_type.licence_kind:
        declarations = declarations.filter(
            licence_granted_q(
                kind=product_type.licence_kind, product_type=product_type, on=deadline
            )
        )
    return declarations


def capacity_until(declaration, *, today, deadline):
    """Units a producer can make from `today` to `deadline`: its monthly capacity over
    the days left after its lead time."""
    days = (deadline - today).days - declaration.lead_time_days
    if days <= 0:
        return 0
    return declaration.monthly_capacity * days // DAYS_PER_MONTH
