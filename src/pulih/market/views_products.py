"""Product pages: a seller lists its own products, officers those of their area's sellers.
To other roles the pages do not exist (404), and neither does a product out of scope."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from pulih.accounts.decorators import role_required
from pulih.accounts.models import Role
from pulih.registry.selectors import list_page

from . import products
from .forms import ProductForm, ProductUpdateForm, refusal_to
from .models import OFFICERS

PRODUCT_ROLES = (*OFFICERS, Role.PENJUAL)


@role_required(*PRODUCT_ROLES)
def product_list(request):
    page = list_page(products.product_list(user=request.user), request.GET.get("page"))
    return render(request, "market/product_list.html", {"page": page})


@role_required(*PRODUCT_ROLES)
def product_create(request):
    user = request.user
    form = ProductForm(request.POST or None, request.FILES or None, user=user)
    if request.method == "POST" and form.is_valid():
        fields = dict(form.cleaned_data)
        fields["seller"] = fields.get("seller") or user.organisation
        try:
            product = products.product_create(user=user, **fields)
        except ValidationError as error:
            refusal_to(form, error)
        else:
            messages.success(request, _("The product was listed."))
            return redirect("market:product_detail", pk=product.pk)
    return render(request, "market/product_form.html", {"form": form})


@role_required(*PRODUCT_ROLES)
def product_detail(request, pk):
    product = products.product_get(user=request.user, pk=pk)
    context = {
        "product": product,
        "may_change": products.seller_manageable(request.user, product.seller),
    }
    return render(request, "market/product_detail.html", context)


@role_required(*PRODUCT_ROLES)
def product_update(request, pk):
    user = request.user
    product = products.product_get(user=user, pk=pk)
    if not products.seller_manageable(user, product.seller):
        return redirect("market:product_detail", pk=product.pk)
    form = ProductUpdateForm(
        request.POST or None,
        request.FILES or None,
        user=user,
        initial=ProductUpdateForm.initial_of(product),
    )
    if request.method == "POST" and form.is_valid():
        fields = dict(form.cleaned_data)
        # Unchanged unless a new photo came or "clear" was ticked (False).
        if not (fields["photo"] is False or isinstance(fields["photo"], UploadedFile)):
            del fields["photo"]
        try:
            products.product_update(user=user, product=product, **fields)
        except ValidationError as error:
            refusal_to(form, error)
        else:
            messages.success(request, _("The product was saved."))
            return redirect("market:product_detail", pk=product.pk)
    return render(request, "market/product_form.html", {"form": form, "product": product})
