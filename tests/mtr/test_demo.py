from mtr import demo
from mtr.models import ActivityArea, Kind


def test_demo_areas_have_three_languages_and_both_kinds(db):
    assert demo.seed_areas() >= 8
    areas = list(ActivityArea.objects.all())
    assert all(a.name_et and a.name_en and a.name_ru and a.emtak_code for a in areas)
    assert {a.kind for a in areas} == {Kind.NOTICE, Kind.LICENCE}
    assert demo.seed_areas() == 0  # a second run changes nothing
