from ninja import Router

router = Router(tags=["market: waves and orders"])
