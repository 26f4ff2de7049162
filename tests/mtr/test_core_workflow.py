"""core.workflow: one mechanism for status changes (issue 17), tried on the MTR's workflows
(here for the MTR's fixtures)."""

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from core import events, workflow
from core.models import Event
from core.workflow import Forbidden, Refused, Transition, Workflow
from mtr.models import Application, Entry
from mtr.workflows import APPLICATION, ENTRY
from tests.mtr.conftest import registry_code

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english(settings):
    settings.LANGUAGE_CODE = "en"


def test_every_workflow_records_registered_verbs_and_names_real_states():
    assert APPLICATION in workflow.WORKFLOWS
    assert ENTRY in workflow.WORKFLOWS
    for flow in workflow.WORKFLOWS:
        for transition in flow.transitions:
            assert transition.verb is None or events.check_verb(transition.verb)


def test_a_workflow_naming_a_state_the_model_has_not_is_refused_when_made():
    with pytest.raises(ValueError, match="no state"):
        Workflow(Entry, [Transition("lose", {"lost"}, Entry.Status.INVALID)])
    with pytest.raises(ValueError, match="share a name"):
        Workflow(
            Entry,
            [
                Transition("end", {Entry.Status.VALID}, Entry.Status.INVALID),
                Transition("end", {Entry.Status.SUSPENDED}, Entry.Status.INVALID),
            ],
        )


def test_move_checks_the_source_the_permission_and_the_guard_and_records_once(
    make_application, processor, make_user
):
    application = make_application()
    stranger = make_user(username="stranger")
    before = Event.objects.count()

    with pytest.raises(Refused, match="status is"):
        APPLICATION.move(application, "grant", actor=processor)  # still received
    with pytest.raises(Forbidden, match="may not"):
        APPLICATION.move(application, "take", actor=stranger)  # no permission
    assert Event.objects.count() == before
    assert application.status == Application.Status.RECEIVED

    old = APPLICATION.move(application, "take", actor=processor)
    assert (old, application.status) == ("received", "in_review")
    event = events.for_object(application).first()
    assert event.verb == Event.Verb.STATUS_CHANGED
    assert event.data == {"from": "received", "to": "in_review"}


def test_a_trusted_move_skips_the_permission_not_the_rules(make_application, make_user):
    """A consequence of another decision (a granted termination ends the entry) is made by the
    service whoever decided; the source and the guard still hold."""
    application = make_application()
    stranger = make_user(username="stranger")
    APPLICATION.move(application, "take", actor=stranger, trusted=True)
    with pytest.raises(Refused):
        APPLICATION.move(application, "check", actor=stranger, trusted=True)  # the guard


def test_available_is_what_the_page_offers(make_application, processor, make_user):
    application = make_application()
    offered = APPLICATION.available(application, processor)
    assert offered["take"] is True
    assert offered["grant"] is False
    assert not any(APPLICATION.available(application, make_user(username="x")).values())


def test_lock_takes_the_row_alone_and_lock_all_in_key_order(make_application):
    applications = [
        make_application(registry_code=registry_code(n), business_name=f"Firma {n}")
        for n in (5, 3, 4)
    ]
    with transaction.atomic(), CaptureQueriesContext(connection) as queries:
        APPLICATION.lock(applications[0])
        locked = APPLICATION.lock_all(
            Application.objects.filter(pk__in=[a.pk for a in applications])
        )
    assert [a.pk for a in locked] == sorted(a.pk for a in applications)
    for query in queries.captured_queries:
        assert 'FOR UPDATE OF "mtr_application"' in query["sql"]
    assert 'ORDER BY "mtr_application"."id" ASC' in queries.captured_queries[-1]["sql"]
