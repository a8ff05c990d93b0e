from pulih.production.models import Declaration


def test_seller_sees_only_its_own_business_declarations(personas, sehati, make_producer):
    other = make_producer("19.01.02")
    visible = set(Declaration.objects.visible_to(personas.umkm_masker))
    assert visible == {sehati}
    assert other in set(Declaration.objects.visible_to(personas.kab_bangka))
