from ninja import Router

router = Router(tags=["market: drop-off points"])
