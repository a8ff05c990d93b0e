"""Pages of record linkage: runs, the review queue, entities."""

from django.http import HttpResponse


def run_list(request):
    return HttpResponse("")
