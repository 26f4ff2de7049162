import pytest
from django.contrib.contenttypes.models import ContentType
from django.template import Context, Template

from core import events
from core.models import Event

pytestmark = pytest.mark.django_db


def test_record_keeps_actor_verb_object_and_data(clerk, head):
    event = events.record(actor=clerk, obj=head, verb=Event.Verb.ASSIGNED, data={"note": "vt üle"})
    event.refresh_from_db()
    assert event.actor == clerk
    assert event.obj == head
    assert event.content_type == ContentType.objects.get_for_model(head)
    assert event.object_repr == str(head)
    assert event.data == {"note": "vt üle"}


def test_record_by_the_system_has_no_actor(clerk):
    from django.contrib.auth.models import AnonymousUser

    assert events.record(actor=None, obj=clerk, verb=Event.Verb.CHANGED).actor is None
    assert events.record(actor=AnonymousUser(), obj=clerk, verb=Event.Verb.CHANGED).actor is None


def test_for_object_lists_only_that_objects_events_newest_first(clerk, head):
    first = events.record(actor=clerk, obj=head, verb=Event.Verb.CREATED)
    events.record(actor=clerk, obj=clerk, verb=Event.Verb.CREATED)
    second = events.record(actor=clerk, obj=head, verb=Event.Verb.CHANGED)
    assert list(events.for_object(head)) == [second, first]


def test_timeline_tag_renders_the_history_in_one_query(
    clerk, head, django_assert_num_queries, settings
):
    settings.LANGUAGE_CODE = "en"
    for _ in range(20):
        events.record(actor=clerk, obj=head, verb=Event.Verb.CHANGED, data={"note": "märkus"})
    events.record(actor=None, obj=head, verb=Event.Verb.CLOSED)
    template = Template("{% load kantselei %}{% timeline obj %}")
    with django_assert_num_queries(1):
        html = template.render(Context({"obj": head}))
    assert html.count("<li>") == 21
    assert str(clerk) in html
    assert "märkus" in html


def test_events_are_indexed_for_object_and_actor_lookups():
    names = {index.name for index in Event._meta.indexes}
    assert {"core_event_object_idx", "core_event_actor_idx"} <= names


def test_record_refuses_a_verb_no_app_registered(clerk, head):
    """Issue 17: a verb the timeline cannot name (a typo, a bare string) is refused before
    anything is written, by record and by unsaved alike."""
    before = Event.objects.count()
    with pytest.raises(events.UnknownVerb):
        events.record(actor=clerk, obj=head, verb="asigned")
    with pytest.raises(events.UnknownVerb):
        events.unsaved(actor=clerk, obj=head, verb="status-changed")
    assert Event.objects.count() == before


def test_every_verb_the_code_records_is_a_registered_one():
    """The services pass their apps' Verb members, never a bare string (grep, the whole tree)."""
    import pathlib
    import re

    root = pathlib.Path(__file__).resolve().parents[2]
    bare = [
        f"{path.relative_to(root)}:{number}"
        for app in ("core", "registry", "correspondence", "mtr", "helpdesk", "assets", "dashboard")
        for path in (root / app).rglob("*.py")
        if "migrations" not in path.parts
        for number, line in enumerate(path.read_text().splitlines(), 1)
        if re.search(r"\bverb=\"", line)
    ]
    assert bare == []
