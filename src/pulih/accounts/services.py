"""Writes on users, organisations and tokens."""

import secrets

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from pulih.core.ids import parse_nip, parse_phone, problems_text
from pulih.wilayah.models import District

from .models import ApiToken, Organisation, Role

DEMO_PASSWORD = "demo-pulih"  # noqa: S105 — documented demo password

DEMO_ORGANISATIONS = {
    "kemenkop": ("Kementerian Koperasi dan UKM", Organisation.Kind.MINISTRY, ""),
    "dinas-babel": (
        "Dinas Koperasi, UKM dan Tenaga Kerja Provinsi Kepulauan Bangka Belitung",
        Organisation.Kind.DINAS,
        "19",
    ),
    "dinas-bangka": (
        "Dinas Koperasi dan UMKM Kabupaten Bangka",
        Organisation.Kind.DINAS,
        "19.01",
    ),
    "karya-nusantara": (
        "Karya Nusantara (PT Daruma Adira Pratama)",
        Organisation.Kind.CURATOR,
        "",
    ),
    "kimia-farma": ("PT Kimia Farma Tbk", Organisation.Kind.BUYER, ""),
    "tani-mulus": ("Koperasi Tani Mulus", Organisation.Kind.COOPERATIVE, "32.12"),
    "konveksi-sungailiat": (
        "Konveksi Sehati Sungailiat",
        Organisation.Kind.BUSINESS,
        "19.01",
    ),
    "titik-kemenkop": (
        "Titik Antar Kemenkop UKM — Klaster Gedung Smesco",
        Organisation.Kind.DROP_OFF,
        "31.74",
    ),
}

# username: (role, first name, last name, province, regency, districts, organisation key, NIP)
DEMO_PERSONAS = {
    "pusat": (Role.PUSAT, "Petugas", "Pusat", "", "", [], "kemenkop", ""),
    "prov-babel": (Role.PROVINSI, "Petugas", "Provinsi Babel", "19", "", [], "dinas-babel", ""),
    "kab-bangka": (Role.KABKOTA, "Petugas", "Kab. Bangka", "19", "19.01", [], "dinas-bangka", ""),
    "pendamping-bangka": (
        Role.PENDAMPING,
        "Pendamping",
        "Bangka",
        "19",
        "19.01",
        ["19.01.01", "19.01.02", "19.01.05"],
        "dinas-bangka",
        "",
    ),
    "kurator": (Role.KURATOR, "Kurator", "Karya Nusantara", "", "", [], "karya-nusantara", ""),
    "pembeli-kf": (Role.PEMBELI, "Pembeli", "Kimia Farma", "", "", [], "kimia-farma", ""),
    "koperasi-tanimulus": (
        Role.PENJUAL,
        "Pengurus",
        "Koperasi Tani Mulus",
        "32",
        "32.12",
        [],
        "tani-mulus",
        "",
    ),
    "umkm-masker": (
        Role.PENJUAL,
        "Pemilik",
        "Konveksi Sehati",
        "19",
        "19.01",
        [],
        "konveksi-sungailiat",
        "",
    ),
    "pic-kemenkop": (Role.PIC, "PIC", "Klaster Smesco", "31", "", [], "titik-kemenkop", ""),
    "asn-demo": (
        Role.ASN,
        "Aparatur",
        "Sipil Negara",
        "",
        "",
        [],
        "kemenkop",
        "198504122010012003",
    ),
}


@transaction.atomic
def user_create(
    *,
    username,
    role,
    password=None,
    first_name="",
    last_name="",
    province_code="",
    regency_code="",
    district_codes=(),
    organisation=None,
    nip="",
    phone="",
):
    """Create a user with a scope that agrees with the role's level."""
    if regency_code and not province_code:
        province_code = regency_code[:2]
    nip, phone = _checked_nip(nip), _checked_phone(phone)
    districts = list(District.objects.filter(code__in=district_codes))
    unknown = sorted(set(district_codes) - {d.code for d in districts})
    if unknown:
        raise ValidationError(
            {"districts": _("Unknown district codes: %(codes)s.") % {"codes": ", ".join(unknown)}}
        )
    user = get_user_model()(
        username=username,
        role=role,
        first_name=first_name,
        last_name=last_name,
        province_code=province_code,
        regency_code=regency_code,
        organisation=organisation,
        nip=nip,
        phone=phone,
    )
    if password:
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.full_clean(exclude=["password"])
    user.save()
    if districts:
        user.districts.set(districts)
    return user


def _checked_nip(nip):
    if not nip:
        return ""
    result = parse_nip(nip)
    if not result.valid:
        raise ValidationError({"nip": problems_text(result.errors, get_language() or "id")})
    return result.value


def _checked_phone(phone):
    """Phones are kept in E.164 (+62…), the one form every later match can rely on."""
    if not phone:
        return ""
    result = parse_phone(phone)
    if not result.valid:
        raise ValidationError({"phone": problems_text(result.errors, get_language() or "id")})
    return result.e164


def demo_personas_create():
    """Create the demo organisations and personas that are missing; touch nothing that exists.

    Needs the regions loaded (the field assistant's districts). Returns the personas by
    username, and the usernames created this time.
    """
    orgs = {}
    for key, (name, kind, region) in DEMO_ORGANISATIONS.items():
        orgs[key], _ = Organisation.objects.get_or_create(
            name=name, defaults={"kind": kind, "region_code": region}
        )
    User = get_user_model()
    personas, created = {}, []
    for username, spec in DEMO_PERSONAS.items():
        role, first, last, province, regency, districts, org, nip = spec
        user = User.objects.filter(username=username).first()
        if user is None:
            user = user_create(
                username=username,
                role=role,
                password=DEMO_PASSWORD,
                first_name=first,
                last_name=last,
                province_code=province,
                regency_code=regency,
                district_codes=districts,
                organisation=orgs[org],
                nip=nip,
            )
            created.append(username)
        personas[username] = user
    return personas, created


def token_issue(*, user):
    """A new API token for the user; the plain token is returned once and never stored."""
    key = secrets.token_urlsafe(32)
    ApiToken.objects.create(user=user, key_hash=ApiToken.hash(key), prefix=key[:8])
    return key


def token_touch(*, token):
    token.last_used_at = timezone.now()
    token.save(update_fields=["last_used_at"])


def user_language_set(*, user, language):
    if user.is_authenticated and user.language != language:
        user.language = language
        user.save(update_fields=["language"])
