from ninja import Router

router = Router(tags=["material matching"])
