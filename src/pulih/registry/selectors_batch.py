"""Reads for the collection-stage pages and the entry form, scoped to the viewer."""

from django.db.models import Count
from django.http import Http404

from .models import BatchEvent, Business, CollectionBatch, Cooperative, EntryDraft, Person


def batch_get(*, viewer, batch_id):
    return CollectionBatch.objects.get_visible_or_404(viewer, pk=batch_id)


def batch_counts(*, batch):
    return {
        "people": Person.objects.filter(batch=batch).count(),
        "businesses": Business.objects.filter(batch=batch).count(),
        "cooperatives": Cooperative.objects.filter(batch=batch).count(),
        "invalid_niks": Person.objects.filter(batch=batch, nik_valid=False).exclude(nik="").count(),
    }


def batch_events(*, batch):
    return BatchEvent.objects.filter(batch=batch).select_related("actor")


def batch_businesses_by_scale(*, batch):
    return dict(Business.objects.filter(batch=batch).values_list("scale").annotate(n=Count("pk")))


def nik_registry_matches(*, viewer, nik):
    """Who already carries this NIK: the records the viewer may see, and whether any
    others exist — of those, only the fact, never their data."""
    matches = Person.objects.filter(nik=nik)
    visible = list(matches.visible_to(viewer).only("pk", "name", "village_code", "regency_code"))
    return visible, matches.count() > len(visible)


def entry_drafts(*, author):
    return EntryDraft.objects.filter(author=author)


def entry_draft_get(*, author, draft_id):
    draft = EntryDraft.objects.filter(author=author, pk=draft_id).first()
    if draft is None:
        raise Http404
    return draft
