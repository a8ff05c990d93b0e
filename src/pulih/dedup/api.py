"""The record-linkage API: runs, review, entities and the online check."""

from ninja import Router

router = Router(tags=["dedup"])
