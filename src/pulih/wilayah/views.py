"""Region pages: the options behind the cascading selects, and a page to browse regions.

Both are public, like the region API: codes and names are public reference data.
"""

from django.http import Http404
from django.shortcuts import render

from . import selectors
from .forms import FIELD_NAMES, OPTION_LEVELS, RegionSelectForm

# options level → the select it fills ("regencies" → "regency")
FILLS = {level: name for name, level in OPTION_LEVELS.items()}


def options(request, level):
    """`<option>`s of the regions under `?parent=` (or the parent select's own field, which
    htmx sends, with or without a form prefix); only the blank one for no parent.

    For htmx, the selects below the one being filled are emptied too (out-of-band), so no
    choice from the previous parent stays on screen.
    """
    if level not in FILLS:
        raise Http404
    position = FIELD_NAMES.index(FILLS[level])
    parent_field = FIELD_NAMES[position - 1]
    parent_code = request.GET.get("parent") or next(
        (
            value
            for key, value in request.GET.items()
            if key == parent_field or key.endswith(f"-{parent_field}")
        ),
        "",
    )
    regions = selectors.region_children(level=level, parent_code=parent_code) if parent_code else []
    # htmx names the select it fills ("id_usaha-regency"); those below share its prefix.
    target = request.headers.get("HX-Target", "")
    cleared = []
    if target.endswith(FILLS[level]):
        prefix = target.removesuffix(FILLS[level])
        cleared = [prefix + name for name in FIELD_NAMES[position + 1 :]]
    return render(request, "wilayah/_options.html", {"regions": regions, "cleared": cleared})


def browse(request):
    """Pick a region with the selects and see its name, code and how many regions it holds."""
    form = RegionSelectForm(request.GET or None)
    code = form.chosen_code()
    region = selectors.region_get(code) if code else None
    context = {
        "form": form,
        "region": region,
        "counts": selectors.region_child_counts(region) if region else [],
    }
    if request.headers.get("HX-Request"):
        return render(request, "wilayah/_region_detail.html", context)
    return render(request, "wilayah/browse.html", context)
