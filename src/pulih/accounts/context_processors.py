from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from .models import Role

OFFICERS = {Role.PUSAT, Role.PROVINSI, Role.KABKOTA, Role.PENDAMPING}
COLLECTORS = {Role.KABKOTA, Role.PENDAMPING}

# (label, what it is for, url name, roles that see it; None = everyone signed in)
NAVIGATION = [
    (_("Home"), "", "dashboard:home", None),
    (
        _("Record"),
        _("Record an affected business from the field."),
        "registry:entry",
        COLLECTORS,
    ),
    (
        _("Registry"),
        _("Affected businesses, business actors and cooperatives in your area."),
        "registry:business_list",
        OFFICERS,
    ),
    (
        _("Import"),
        _("Import a spreadsheet of affected UMKM."),
        "registry_import:upload",
        OFFICERS,
    ),
    (
        _("Stages"),
        _("Collection stages: submit, verify, approve."),
        "registry:batch_list",
        OFFICERS,
    ),
    (
        _("Duplicates"),
        _("Find records of one person across regencies, review them, keep one golden record."),
        "dedup:run_list",
        {Role.PUSAT, Role.PROVINSI},
    ),
    (
        _("Programmes"),
        _("Aid programmes: eligibility, payments once per person, external lists, referrals."),
        "programs:programme_list",
        {Role.PUSAT, Role.PROVINSI, Role.KABKOTA},
    ),
    (
        _("Production"),
        _("Pivots to masks and protective equipment, and their curation against standards."),
        "production:declaration_list",
        OFFICERS | {Role.KURATOR, Role.PENJUAL},
    ),
    (
        _("Licences"),
        _("Distribution licences (izin edar), SNI and halal certificates, and their expiry."),
        "production:licence_list",
        OFFICERS | {Role.PENJUAL},
    ),
    (
        _("Suppliers"),
        _("Raw-material suppliers verified by the industry ministry."),
        "production:supplier_list",
        OFFICERS,
    ),
    (
        _("Material matching"),
        _("Introduce producers to verified suppliers of the materials they need."),
        "matching:material_match_list",
        OFFICERS | {Role.PENJUAL},
    ),
    (
        _("Demand"),
        _("Institutional demand for masks and protective equipment, allocated to producers."),
        "matching:demand_list",
        {Role.PUSAT, Role.PEMBELI},
    ),
    (
        _("Purchase orders"),
        _("Orders to producers, deliveries with quality checks, and payment."),
        "matching:order_list",
        OFFICERS | {Role.PEMBELI, Role.PENJUAL},
    ),
    (
        _("Production report"),
        _("Declared, curated, licensed, allocated and delivered, by product and province."),
        "matching:report_funnel",
        {Role.PUSAT, Role.PROVINSI, Role.KABKOTA},
    ),
    (
        _("Products"),
        _("Products and packs that cooperatives and UMKM sell."),
        "market:product_list",
        OFFICERS | {Role.PENJUAL},
    ),
    (
        _("Order waves"),
        _("Order waves for civil servants: stock, drop-off points, closing, pick lists."),
        "market:wave_list",
        OFFICERS | {Role.PENJUAL, Role.PIC},
    ),
    (
        _("My drop-off points"),
        _("Hand orders over, record payments, reconcile."),
        "market:pic_home",
        {Role.PIC},
    ),
    (
        _("Shop"),
        _("Order waves open to you: rice and staples from cooperatives."),
        "market:buyer_waves",
        {Role.ASN},
    ),
    (
        _("My orders"),
        _("Your orders, their confirmation codes and QR codes."),
        "market:my_orders",
        {Role.ASN},
    ),
    (
        _("Flyers"),
        _("Print flyers of UMKM products with a QR code, and a booklet for every office."),
        "market:flyer_menu",
        OFFICERS | {Role.PENJUAL},
    ),
    (
        _("PLUT gallery"),
        _("Products consigned to the province's PLUT gallery: stock, sales, settlement."),
        "market:plut",
        OFFICERS | {Role.PENJUAL},
    ),
    (
        _("Gallery"),
        _("The public catalogue of UMKM products."),
        "market:gallery",
        None,
    ),
    (
        _("Users"),
        _("Officers and field assistants in your area."),
        "accounts:user_list",
        {Role.PUSAT, Role.PROVINSI, Role.KABKOTA},
    ),
    (
        _("NIK check"),
        _("Check NIKs and read their region, birth date and sex."),
        "dashboard:nik_check",
        OFFICERS,
    ),
    (_("Regions"), _("Kemendagri codes of every region."), "wilayah:browse", OFFICERS),
    (_("My tasks"), _("Background work you started and its progress."), "core:task_list", None),
    (_("API"), _("The JSON API and its documentation."), "api:openapi-view", None),
]


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": []}
    items = []
    for label, description, name, roles in NAVIGATION:
        if roles is None or user.is_superuser or user.role in roles:
            url = reverse(name)
            active = request.path == url or (url != "/" and request.path.startswith(url))
            items.append({"label": label, "description": description, "url": url, "active": active})
    return {"nav_items": items}
