from ninja import Router

router = Router(tags=["market: gallery and consignment"])
