"""Reads of the region tables. Regions are public reference data, so nothing here is scoped."""

from django.http import Http404

from .models import District, Province, Regency, Village

# Models by depth: a code with no dot is a province, one dot a regency, and so on.
LEVEL_MODELS = (Province, Regency, District, Village)

# child level → (parent model, child model, the child's foreign key to the parent)
CHILDREN = {
    "regencies": (Province, Regency, "province"),
    "districts": (Regency, District, "regency"),
    "villages": (District, Village, "district"),
}


def province_list():
    return Province.objects.only("code", "name")


def region_children(*, level, parent_code):
    """The regions one level below `parent_code`; 404 when that parent does not exist."""
    parent_model, model, parent_field = CHILDREN[level]
    if not parent_model.objects.filter(code=parent_code).exists():
        raise Http404(f"No {parent_model._meta.model_name} with code {parent_code!r}.")
    return model.objects.filter(**{parent_field: parent_code}).only("code", "name")


def region_get(code):
    """A region of any level by its dotted code."""
    depth = code.count(".")
    if depth >= len(LEVEL_MODELS):
        raise Http404(f"No region with code {code!r}.")
    region = LEVEL_MODELS[depth].objects.filter(code=code).first()
    if region is None:
        raise Http404(f"No region with code {code!r}.")
    return region


def region_child_counts(region):
    """(plural name of the level, count) for every level below `region`, nearest first."""
    depth = LEVEL_MODELS.index(type(region))
    lookup = region._meta.model_name  # the foreign key from the level below, e.g. "province"
    counts = []
    for model in LEVEL_MODELS[depth + 1 :]:
        counts.append(
            (model._meta.verbose_name_plural, model.objects.filter(**{lookup: region}).count())
        )
        lookup = f"{model._meta.model_name}__{lookup}"
    return counts
