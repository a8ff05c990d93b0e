"""Reads of users, always through the viewer's scope."""

from django.db.models import Q

from .models import User


def user_list(*, viewer, query="", role="", province_code="", regency_code=""):
    users = User.objects.visible_to(viewer).select_related("organisation").order_by("username")
    if query:
        users = users.filter(
            Q(username__icontains=query)
            | Q(first_name__icontains=query)
            | Q(last_name__icontains=query)
        )
    if role:
        users = users.filter(role=role)
    if province_code:
        users = users.filter(province_code=province_code)
    if regency_code:
        users = users.filter(regency_code=regency_code)
    return users


def user_get(*, viewer, user_id):
    return (
        User.objects.select_related("organisation")
        .prefetch_related("districts")
        .get_visible_or_404(viewer, pk=user_id)
    )
