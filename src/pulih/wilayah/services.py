"""Writes to the region tables. Regions change only by loading the packaged list."""

from dataclasses import dataclass, field

from django.apps import apps
from django.db import transaction

from pulih.core.scope import RegionalModel

from .data import DATA_DIR, LEVELS, read_rows
from .models import District, Province, Regency, Village

# level → (model, the column holding the parent's code, the code field on regional records)
LEVEL_MODELS = {
    "provinces": (Province, None, "province_code"),
    "regencies": (Regency, "province_id", "regency_code"),
    "districts": (District, "regency_id", "district_code"),
    "villages": (Village, "district_id", "village_code"),
}
BATCH_SIZE = 2000


@dataclass
class LoadResult:
    counts: dict = field(default_factory=dict)  # level → rows in the data
    written: dict = field(default_factory=dict)  # level → rows created or changed
    removed: dict = field(default_factory=dict)  # level → rows deleted
    kept: dict = field(default_factory=dict)  # level → codes gone from the data but still used

    @property
    def changed(self):
        return any(self.written.values()) or any(self.removed.values())


def regions_load(*, data_dir=DATA_DIR):
    """Make the region tables equal to the packaged list, writing only what differs.

    Comparing every row costs a fraction of a second and, unlike a count, also notices a
    renamed village, so running it again after a data refresh is always enough. A region
    that left the list is deleted only when no record refers to it: the people registered
    there keep their place name until someone moves them.
    """
    result = LoadResult()
    stale = {}
    with transaction.atomic():
        for level in LEVELS:
            model, parent, _ = LEVEL_MODELS[level]
            fields = ["code", parent, "name"] if parent else ["code", "name"]
            rows = read_rows(level, data_dir)
            current = set(model.objects.values_list(*fields))
            changed = [row for row in rows if row not in current]
            # Rows are (code, parent code, name), the models' field order; positional
            # construction is twice as fast as keywords for 84,000 villages.
            model.objects.bulk_create(
                [model(*row) for row in changed],
                batch_size=BATCH_SIZE,
                update_conflicts=True,
                unique_fields=["code"],
                update_fields=fields[1:],
            )
            result.counts[level] = len(rows)
            result.written[level] = len(changed)
            stale[level] = {code for code, *_ in current} - {code for code, *_ in rows}
        # Children first, so a parent whose stale children were removed is free to go.
        for level in reversed(LEVELS):
            model, _, code_field = LEVEL_MODELS[level]
            kept = referenced_codes(model, code_field, stale[level]) if stale[level] else set()
            _, deleted = model.objects.filter(code__in=stale[level] - kept).delete()
            result.removed[level] = deleted.get(model._meta.label, 0)
            result.kept[level] = sorted(kept)
    return result


def referenced_codes(model, code_field, codes):
    """Which of these region codes are still used, by a foreign key or a regional record."""
    found = set()
    for relation in model._meta.related_objects:
        name = relation.field.name
        found.update(
            relation.related_model._base_manager.filter(**{f"{name}__in": codes}).values_list(
                name, flat=True
            )
        )
    for other in apps.get_models():
        if issubclass(other, RegionalModel):
            found.update(
                other._base_manager.filter(**{f"{code_field}__in": codes}).values_list(
                    code_field, flat=True
                )
            )
    return found
