from assets import demo
from assets.models import AccessGrant, Asset, Disposal, InformationSystem, QuoteRequest, Stocktaking
from core import demo as core_demo
from registry import demo as registry_demo


def test_the_demo_is_big_enough():
    assert demo.ASSET_COUNT >= 300


def test_demo_assets_rights_stocktaking_disposal_and_quotes(db, monkeypatch, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    monkeypatch.setattr(demo, "ASSET_COUNT", 40)
    core_demo.seed_users()
    registry_demo.seed_scheme()
    assert demo.seed_assets() == 40
    made = demo.seed_rest()
    assert InformationSystem.objects.count() == 2
    assert AccessGrant.objects.filter(status="granted").count() >= 4
    assert Stocktaking.objects.filter(status="closed").exists()
    act = Disposal.objects.get(status="done")
    assert act.document is not None
    assert act.asset.state == Asset.State.DISPOSED
    assert QuoteRequest.objects.count() == made["quotes"] == 2
    assert (demo.seed_assets(), demo.seed_rest()) == (0, {})  # a second run changes nothing
