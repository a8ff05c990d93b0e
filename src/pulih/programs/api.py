"""Aid programmes over JSON: programmes and their reports, eligibility, enrolment from
candidate to approval, payment batches and the bank's results, integrity alerts, external
lists and their cross-check (irisan), and referrals.

Conventions of the registry and record-linkage APIs: reads go through `selectors`, so an
object outside the caller's area is 404 whatever the method (a request naming several
enrolments is 404 if any of them is); writes go through `services`, whose refusals are
422 with the message, or 403 when the caller's role may not. Programmes are the work of
central, province and regency officers and field assistants; to any other role these
endpoints do not exist (404). A file refused as a whole is 422 with its reason in the
request's language.
"""

import tempfile
from contextlib import contextmanager
from operator import itemgetter
from pathlib import Path

from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from ninja import File, Form, P, Query, Router, Status
from ninja.files import UploadedFile
from ninja.pagination import LimitOffsetPagination, paginate

from pulih.accounts.models import Role
from pulih.core.exports import export_rows
from pulih.registry import selectors as registry_selectors
from pulih.registry.importing.messages import ImportRefused
from pulih.registry.importing.services import upload_check
from pulih.registry.models import Person

from . import eligibility, lists, referrals, selectors, services
from .api_schemas import (
    AlertOut,
    ApprovalsOut,
    BatchOut,
    CandidateIn,
    CandidateOut,
    CrosscheckOut,
    EnrolIn,
    EnrolmentFilters,
    EnrolmentOut,
    EnrolOut,
    EvaluationOut,
    ExportIn,
    IdsIn,
    ListDetailOut,
    ListKind,
    ListOut,
    Part,
    ProgrammeIn,
    ProgrammeOut,
    ReferralCountsOut,
    ReferralIn,
    ReferralsOut,
    ReferralStatusOut,
    ReferralTarget,
    Refusal,
    ReportBy,
    ReportOut,
    ResultsOut,
    ServedOut,
    VerifiedOut,
    rule_shown,
)

router = Router(tags=["programs"])

# A page of at most this many rows, as in the registry API.
MAX_LIMIT = 500
NOT_FOUND = _("Not found.")
PROGRAMME_ROLES = (Role.PUSAT, Role.PROVINSI, Role.KABKOTA, Role.PENDAMPING)


def _allow(request):
    """The endpoints do not exist for roles without a part in programmes."""
    user = request.user
    if not (user.is_superuser or user.role in PROGRAMME_ROLES):
        raise Http404


def _programme(request, programme_id):
    _allow(request)
    return selectors.programme_get(user=request.user, pk=programme_id)


def _cycle(programme, number):
    return get_object_or_404(programme.cycles, number=number)


def _enrolments(request, ids):
    _allow(request)
    return selectors.enrolments_named(user=request.user, ids=ids)


def _batch(request, batch_id):
    _allow(request)
    return selectors.batch_get(user=request.user, pk=batch_id)


def _people(ids):
    """People named by id; the services keep those in the caller's area, and count the
    rest without telling which exist."""
    return [Person(pk=pk) for pk in dict.fromkeys(ids)]


def _refusal(refusal):
    return {"message": refusal.problem.text(get_language()), "code": refusal.problem.code}


@contextmanager
def _uploaded(upload):
    """The upload as a file on disk, removed afterwards; an unreadable type, an empty or
    too large file is refused (ImportRefused) as the registry's import refuses it."""
    extension = upload_check(upload)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"upload{extension}"
        with path.open("wb") as f:
            for chunk in upload.chunks():
                f.write(chunk)
        yield path


# Programmes ----------------------------------------------------------------------------


@router.get("/", response=list[ProgrammeOut])
@paginate(LimitOffsetPagination, max_limit=MAX_LIMIT)
def programme_list(request):
    _allow(request)
    return selectors.programme_list(user=request.user)


@router.post("/", response={201: ProgrammeOut})
def programme_create(request, payload: ProgrammeIn):
    """Central officers create national or provincial programmes, province officers
    their own province's; anyone else is 403."""
    _allow(request)
    fields = payload.dict()
    fields["rules"] = list(dict.fromkeys(fields["rules"]))
    programme = services.programme_create(user=request.user, **fields)
    return Status(201, selectors.programme_get(user=request.user, pk=programme.pk))


@router.get("/{int:programme_id}", response=ProgrammeOut)
def programme_detail(request, programme_id: int):
    return _programme(request, programme_id)


@router.get("/{int:programme_id}/report", response=ReportOut)
def programme_report(
    request, programme_id: int, cycle: int | None = None, by: ReportBy = "regency_code"
):
    """Per regency (or province) of the caller's area: candidates, eligible, ineligible
    by rule, verified, approved, paid, Rupiah paid and Rupiah blocked."""
    programme = _programme(request, programme_id)
    found = _cycle(programme, cycle) if cycle is not None else None
    rows = selectors.programme_report(user=request.user, programme=programme, cycle=found, by=by)
    return {"programme_id": programme.pk, "cycle": cycle, "by": by, "rows": rows}


@router.post("/{int:programme_id}/evaluate", response=CandidateOut)
def candidate_evaluate(request, programme_id: int, payload: CandidateIn):
    """Each rule of the programme with whether the person's enrolment (in `cycle`, else
    their latest) — or the person, not enrolled yet — passes it now, in the rules' own
    words. Nothing is written. A person outside the caller's area is a field error."""
    programme = _programme(request, programme_id)
    try:
        person = registry_selectors.person_get(viewer=request.user, pk=payload.person_id)
    except Http404 as exc:
        raise ValidationError({"person_id": NOT_FOUND}) from exc
    cycle = _cycle(programme, payload.cycle) if payload.cycle is not None else None
    enrolment = (
        selectors.enrolment_list(user=request.user, programme=programme, cycle=cycle)
        .filter(person=person)
        .order_by("-cycle__number")
        .first()
    )
    explained = (
        eligibility.explain(enrolment)
        if enrolment
        else eligibility.explain_candidate(programme=programme, person=person)
    )
    verdicts = [{**rule_shown(rule.code), "passed": passed} for rule, passed in explained]
    return {
        "programme_id": programme.pk,
        "person_id": person.pk,
        "cycle": enrolment.cycle.number if enrolment else None,
        "enrolment_id": enrolment.pk if enrolment else None,
        "status": enrolment.status if enrolment else None,
        "eligible": all(verdict["passed"] for verdict in verdicts),
        "rules": verdicts,
    }


# Enrolments ----------------------------------------------------------------------------


@router.post("/{int:programme_id}/cycles/{int:number}/enrol", response=EnrolOut)
def candidates_enrol(request, programme_id: int, number: int, payload: EnrolIn | None = None):
    """Enrol as candidates the business actors of the caller's area (of the programme's
    province) not yet in the cycle, or those of `person_ids` among them."""
    programme = _programme(request, programme_id)
    ids = payload.person_ids if payload else None
    enrolled = services.candidates_enrol(
        user=request.user,
        cycle=_cycle(programme, number),
        people=_people(ids) if ids is not None else None,
    )
    return {"enrolled": enrolled}


@router.post("/{int:programme_id}/cycles/{int:number}/evaluate", response=EvaluationOut)
def cycle_evaluate(request, programme_id: int, number: int):
    """Apply the programme's rules to the open enrolments (candidate, eligible,
    ineligible) of the caller's area in the cycle; later ones stay as they are."""
    programme = _programme(request, programme_id)
    enrolments = selectors.enrolment_list(
        user=request.user, programme=programme, cycle=_cycle(programme, number)
    )
    # Eligibility loads only the fields its rules read; the list's joins would clash.
    return eligibility.evaluate(enrolments=enrolments.select_related(None))


@router.get("/{int:programme_id}/enrolments", response=list[EnrolmentOut])
@paginate(LimitOffsetPagination, max_limit=MAX_LIMIT)
def enrolment_list(request, programme_id: int, filters: Query[EnrolmentFilters]):
    programme = _programme(request, programme_id)
    cycle = _cycle(programme, filters.cycle) if filters.cycle is not None else None
    return selectors.enrolment_list(
        user=request.user, programme=programme, cycle=cycle, status=filters.status
    )


@router.post("/enrolments/verify", response=VerifiedOut)
def enrolments_verify(request, payload: IdsIn):
    """Eligible enrolments checked by an officer (documents, a visit). Any other status
    refuses the whole request (422)."""
    enrolments = _enrolments(request, payload.ids)
    return {"verified": services.enrolments_verify(user=request.user, enrolments=enrolments)}


@router.post("/enrolments/approve", response=ApprovalsOut)
def enrolments_approve(request, payload: IdsIn):
    """Approve many; each on its own, and `refused` says why the others were not."""
    enrolments = _enrolments(request, payload.ids)
    result = services.enrolments_approve(user=request.user, enrolments=enrolments)
    refused = [{"id": pk, "message": message} for pk, message in result["refused"].items()]
    return {"approved": result["approved"], "refused": refused}


@router.post("/enrolments/{int:enrolment_id}/approve", response=EnrolmentOut)
def enrolment_approve(request, enrolment_id: int):
    """A verified enrolment's payment is made; 422 when its beneficiary entity already
    has one in the cycle (another record of the same person)."""
    _allow(request)
    enrolment = selectors.enrolment_get(user=request.user, pk=enrolment_id)
    services.enrolment_approve(user=request.user, enrolment=enrolment)
    return selectors.enrolment_get(user=request.user, pk=enrolment.pk)


# Payments ------------------------------------------------------------------------------


@router.post("/{int:programme_id}/cycles/{int:number}/batches", response={201: BatchOut})
def payment_batch_create(request, programme_id: int, number: int):
    """Every approved payment of the caller's area in the cycle not yet sent, in one
    batch for the bank; 422 when there is none."""
    programme = _programme(request, programme_id)
    batch = services.payment_batch_create(user=request.user, cycle=_cycle(programme, number))
    return Status(201, _batch(request, batch.pk))


@router.get("/batches/{int:batch_id}/file")
def payment_batch_file(request, batch_id: int):
    """The CSV for the bank: reference, NIK, name and amount of each payment."""
    batch = _batch(request, batch_id)
    header, rows = services.payment_batch_rows(batch=batch)
    return export_rows(
        rows=rows,
        columns=[(title, itemgetter(at)) for at, title in enumerate(header)],
        fmt="csv",
        filename=f"pembayaran-{batch.pk}",
    )


@router.post("/batches/{int:batch_id}/results", response={200: ResultsOut, 422: Refusal})
def payment_results_import(request, batch_id: int, file: File[UploadedFile]):
    """The bank's result file (CSV: reference, status, optionally reason) marks each
    payment paid or failed. The whole file is checked first; importing it again changes
    nothing."""
    batch = _batch(request, batch_id)
    try:
        with _uploaded(file) as path:
            return services.payment_results_import(user=request.user, batch=batch, path=path)
    except ImportRefused as refusal:
        return Status(422, _refusal(refusal))


@router.get("/alerts", response=list[AlertOut])
@paginate(LimitOffsetPagination, max_limit=MAX_LIMIT)
def alert_list(request):
    """Two payments in one cycle to records found to be one person."""
    _allow(request)
    return selectors.alert_list(user=request.user)


# External lists ------------------------------------------------------------------------


@router.post("/lists", response={200: ListDetailOut, 422: Refusal})
def list_import(
    request,
    file: File[UploadedFile],
    kind: Form[ListKind],
    name: Form[str, P(max_length=200)],
    source: Form[str, P(max_length=200)] = "",
):
    """Import another agency's list (CSV or XLSX with a NIK column) and match it to the
    registry: national for the centre, the province's for its officers. The same file
    again returns the list imported the first time."""
    _allow(request)
    try:
        with _uploaded(file) as path:
            lst = lists.list_import(
                user=request.user,
                kind=kind,
                path=path,
                filename=file.name,
                name=name,
                source=source,
            )
    except ImportRefused as refusal:
        return Status(422, _refusal(refusal))
    return selectors.list_get(user=request.user, pk=lst.pk)


@router.get("/lists", response=list[ListOut])
@paginate(LimitOffsetPagination, max_limit=MAX_LIMIT)
def list_list(request):
    _allow(request)
    return selectors.list_list(user=request.user)


def _list(request, list_id):
    _allow(request)
    return selectors.list_get(user=request.user, pk=list_id)


@router.get("/lists/{int:list_id}", response=ListDetailOut)
def list_detail(request, list_id: int):
    return _list(request, list_id)


@router.get("/lists/{int:list_id}/crosscheck", response=CrosscheckOut)
def list_crosscheck(request, list_id: int):
    lst = _list(request, list_id)
    return lists.crosscheck(user=request.user, lst=lst).counts


@router.get("/lists/{int:list_id}/crosscheck/{part}")
def list_crosscheck_export(request, list_id: int, part: Part, query: Query[ExportIn]):
    """One part of the cross-check (overlap, only_registry, only_list) as CSV or XLSX
    (`format`); NIKs masked for roles that may not see them."""
    lst = _list(request, list_id)
    return lists.crosscheck_export(user=request.user, lst=lst, part=part, fmt=query.fmt)


@router.post("/lists/{int:list_id}/served", response=ServedOut)
def list_served_mark(request, list_id: int):
    """Mark the overlap of a social aid list with the caller's area as already served
    (the centre and the provinces); 422 for a list of another kind."""
    lst = _list(request, list_id)
    return {"marked": lists.served_mark(user=request.user, lst=lst)}


# Referrals -----------------------------------------------------------------------------


@router.post("/referrals", response=ReferralsOut)
def referrals_create(request, payload: ReferralIn):
    """Refer people to another programme; those already referred are counted, not
    referred again."""
    _allow(request)
    return referrals.referrals_create(
        user=request.user, people=_people(payload.person_ids), target=payload.target
    )


@router.get("/referrals/counts", response=ReferralCountsOut)
def referral_counts(request, target: ReferralTarget):
    _allow(request)
    return referrals.referral_counts(user=request.user, target=target)


@router.post("/referrals/status", response={200: ReferralStatusOut, 422: Refusal})
def referral_status_import(request, file: File[UploadedFile], target: Form[ReferralTarget]):
    """The other programme's file of NIKs and statuses moves the caller's referrals
    forward. A file that cannot be read, lacks its NIK or status column or uses an
    unknown status changes nothing (422)."""
    _allow(request)
    try:
        with _uploaded(file) as path:
            return referrals.referral_status_import(
                user=request.user, target=target, path=path, filename=file.name
            )
    except ImportRefused as refusal:
        return Status(422, _refusal(refusal))
