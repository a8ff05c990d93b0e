from pulih.market.models import Order, Wave


def test_pic_sees_only_the_waves_of_its_drop_off_point(personas, wave, other_pic):
    assert list(Wave.objects.visible_to(personas.pic_kemenkop)) == [wave]
    assert wave.drop_off_points.count() == 2
    assert not Order.objects.visible_to(personas.koperasi_tanimulus).exists()
