from mtr import demo
from mtr.models import ActivityArea, Kind


def test_demo_areas_have_three_languages_and_both_kinds(db):
    assert demo.seed_areas() >= 8
    areas = list(ActivityArea.objects.all())
    assert all(a.name_et and a.name_en and a.name_ru and a.emtak_code for a in areas)
    assert {a.kind for a in areas} == {Kind.NOTICE, Kind.LICENCE}
    assert demo.seed_areas() == 0  # a second run changes nothing


def test_the_demo_is_big_enough():
    assert demo.APPLICATIONS_PER_STATUS >= 50
    assert demo.ENTRY_COUNT >= 200


def test_demo_applications_in_every_status_and_entries(
    db, monkeypatch, settings, tmp_path, django_capture_on_commit_callbacks
):
    """The same code as the full demo, with fewer rows: every status gets exactly its share."""
    from django.db.models import Count

    from core import demo as core_demo
    from mtr.models import Application, Entry
    from registry import demo as registry_demo

    settings.MEDIA_ROOT = tmp_path
    monkeypatch.setattr(demo.applications, "APPLICATIONS_PER_STATUS", 4)
    monkeypatch.setattr(demo.entries, "ENTRY_COUNT", 20)
    core_demo.seed_users()
    registry_demo.seed_scheme()
    demo.seed_areas()
    assert demo.seed_entries() == 20
    with django_capture_on_commit_callbacks(execute=True):
        assert demo.seed_applications() == 4 * len(Application.Status.choices)
    counts = dict(Application.objects.values_list("status").annotate(Count("id")))
    assert counts == {status: 4 for status, _label in Application.Status.choices}
    assert Application.objects.filter(document__isnull=True).count() == 0  # all registered
    decided = Application.objects.filter(status__in=["granted", "refused"])
    assert all(a.decision_pdf_status in ("ready", "") for a in decided)
    assert Entry.objects.filter(status=Entry.Status.VALID).exists()
    assert demo.seed_entries() == 0  # a second run changes nothing
    assert demo.seed_applications() == 0
    # Delivery: most decision letters reached the applicant, none before its decision.
    # (The outbox's own "accepted by the server" rows come here after the seeding, when the
    # test runs the on-commit callbacks; seed_demo sends before it dates them.)
    from django.utils import timezone

    from mtr.models import DecisionDelivery

    lettered = decided.exclude(decision_pdf_status="")
    delivered = [a for a in lettered if a.decision_delivered_on]
    assert len(delivered) >= lettered.count() // 2
    assert all(a.decision_delivered_on >= timezone.localdate(a.decided_at) for a in delivered)
    assert not DecisionDelivery.objects.filter(counts=True, recorded_at__gt=timezone.now()).exists()
