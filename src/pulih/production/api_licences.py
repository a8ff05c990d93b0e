from ninja import Router

router = Router(tags=["licences and suppliers"])
