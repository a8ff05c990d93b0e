from ninja import Router

router = Router(tags=["production reports"])
