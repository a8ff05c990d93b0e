from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import render
from django.views.decorators.http import require_POST
from django.views.i18n import set_language

from pulih.core.audit import access_log_record

from . import selectors
from .decorators import role_required
from .forms import LoginForm, UserFilterForm
from .models import Role
from .services import user_language_set


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True


@require_POST
def language_switch(request):
    """Switch the interface language; remembered in a cookie and on the user."""
    response = set_language(request)
    language = request.POST.get("language", "")
    if language in {"id", "en"}:
        user_language_set(user=request.user, language=language)
    return response


@role_required(Role.PUSAT, Role.PROVINSI, Role.KABKOTA)
def user_list(request):
    form = UserFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    users = selectors.user_list(
        viewer=request.user, query=filters.get("q", ""), role=filters.get("role", "")
    )
    page = Paginator(users, 50).get_page(request.GET.get("page"))
    return render(request, "accounts/user_list.html", {"form": form, "page": page})


@login_required
def user_detail(request, user_id):
    user = selectors.user_get(viewer=request.user, user_id=user_id)
    access_log_record(request=request, obj=user)
    full = request.user.sees_personal_data or request.user.pk == user.pk
    return render(request, "accounts/user_detail.html", {"person": user, "full": full})
