from ninja import Router

router = Router(tags=["demands and allocation"])
