"""Record linkage tells the programmes when entities merge or a record leaves one, so
payments stay with the person they paid (see services.entity_merge_check)."""

from django.dispatch import receiver

from pulih.dedup.services import entities_merging, person_unmerged


@receiver(entities_merging)
def merging(sender, survivor, absorbed, **kwargs):
    from .services import entity_merge_check

    entity_merge_check(survivor=survivor, absorbed=absorbed)


@receiver(person_unmerged)
def unmerged(sender, person, entity, **kwargs):
    from .services import person_unmerge_follow

    person_unmerge_follow(person=person, entity=entity)
