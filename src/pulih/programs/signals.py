"""Record linkage tells the programmes when entities merge (see services.entity_merge_check)."""

from django.dispatch import receiver

from pulih.dedup.services import entities_merging


@receiver(entities_merging)
def merged(sender, survivor, absorbed, **kwargs):
    from .services import entity_merge_check

    entity_merge_check(survivor=survivor, absorbed=absorbed)
