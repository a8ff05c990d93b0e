from ninja import Router

router = Router(tags=["market: products, waves, closing"])
