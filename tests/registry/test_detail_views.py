"""The document page, the actions on it and the download of its files (registry/views/detail.py).

Each view: the allowed role gets its page or its redirect, a role without the permission 403,
an anonymous visitor the sign-in page. A restricted document is 404 — as an id that does not
exist — for anyone who may not see it, and the refusal and every opening are on its timeline.
"""

import re
from datetime import date, timedelta

import pytest
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core import calendar, roles
from core.models import Event
from registry import services
from registry.models import Attachment, Channel, Document, DocumentShare, DocumentType, Task
from registry.verbs import Verb
from tests.registry.conftest import last_working_day

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def pdf(name="kiri.pdf"):
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def detail_url(document):
    return reverse("registry:document-detail", args=[document.pk])


def verbs_of(document):
    return list(
        Event.objects.filter(object_id=str(document.pk), content_type__model="document")
        .order_by("created", "id")
        .values_list("verb", flat=True)
    )


def events_by(document, verb):
    return Event.objects.filter(
        object_id=str(document.pk), content_type__model="document", verb=verb
    )


@pytest.fixture
def other_clerk(make_user):
    """A clerk who neither registered nor is responsible for the documents of these tests."""
    return make_user(roles.CLERK, username="other_clerk")


@pytest.fixture
def responsible(make_user):
    return make_user(roles.CLERK, username="responsible", first_name="Rein", last_name="Vastutav")


@pytest.fixture
def document(make_document, responsible):
    return make_document(
        doc_type=DocumentType.INFORMATION_REQUEST,
        title="Teabenõue hoonete kohta",
        responsible=responsible,
    )


@pytest.fixture
def restricted(make_document, responsible, basis):
    return make_document(
        title="Terviseandmetega kiri", restriction_basis=basis, responsible=responsible
    )


# --- The page -----------------------------------------------------------------------------------


def test_detail_shows_what_the_register_keeps(client, clerk, make_document, private_person):
    document = make_document(
        doc_type=DocumentType.INFORMATION_REQUEST,
        sender=private_person,
        title="Teabenõue õppekava kohta",
        sender_reference="A-17",
    )
    client.force_login(clerk)

    response = client.get(detail_url(document))

    assert response.status_code == 200
    html = response.content.decode()
    assert document.number in html
    assert "Teabenõue õppekava kohta" in html
    assert private_person.name in html  # staff see private persons with their contact
    assert private_person.email in html
    assert "A-17" in html
    assert document.deadline.strftime("%d.%m.%Y") in html
    assert 'id="deadline"' in html


@pytest.mark.parametrize("role", [roles.CLERK, roles.MTR_PROCESSOR, roles.HEAD, roles.ADVISOR])
def test_detail_is_open_to_staff_of_the_register(client, make_user, document, role):
    client.force_login(make_user(role, username="someone"))

    assert client.get(detail_url(document)).status_code == 200


def test_detail_is_refused_to_a_role_without_the_register(client, administrator, document):
    client.force_login(administrator)

    assert client.get(detail_url(document)).status_code == 403


def test_detail_sends_anonymous_visitors_to_sign_in(client, document):
    response = client.get(detail_url(document))

    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_detail_of_an_unknown_id_is_404(client, clerk):
    client.force_login(clerk)

    assert client.get(reverse("registry:document-detail", args=[999999])).status_code == 404


def _normalised(response, pk) -> str:
    html = response.content.decode().replace(f"/documents/{pk}/", "/documents/PK/")
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)


def test_restricted_document_is_404_for_a_clerk_not_responsible(client, other_clerk, restricted):
    client.force_login(other_clerk)

    response = client.get(detail_url(restricted))
    unknown = client.get(reverse("registry:document-detail", args=[restricted.pk + 1000]))

    assert response.status_code == 404
    assert restricted.title not in response.content.decode()
    # The same answer as for an id that is not there (but for the path and the CSRF token).
    assert _normalised(response, restricted.pk) == _normalised(unknown, restricted.pk + 1000)
    refusals = events_by(restricted, Verb.RESTRICTED_REFUSED)
    assert [event.actor for event in refusals] == [other_clerk]
    assert not events_by(restricted, Verb.RESTRICTED_VIEWED).exists()


@pytest.mark.parametrize("who", ["responsible", "advisor", "head", "shared", "registrar"])
def test_restricted_document_is_shown_to_who_may_see_it_and_logged(
    client, request, restricted, who, advisor, make_user
):
    if who == "shared":
        user = make_user(roles.CLERK, username="shared_clerk")
        services.document_share(actor=advisor, document=restricted, user=user)
    elif who == "registrar":
        user = restricted.registered_by
    else:
        user = request.getfixturevalue(who)
    client.force_login(user)

    response = client.get(detail_url(restricted))

    assert response.status_code == 200
    assert "Terviseandmetega kiri" in response.content.decode()
    views = events_by(restricted, Verb.RESTRICTED_VIEWED)
    assert [event.actor for event in views] == [user]
    client.get(detail_url(restricted))
    assert events_by(restricted, Verb.RESTRICTED_VIEWED).count() == 2  # every opening


def test_unrestricted_document_opening_is_not_logged(client, clerk, document):
    client.force_login(clerk)
    client.get(detail_url(document))

    assert not events_by(document, Verb.RESTRICTED_VIEWED).exists()


def test_restricted_related_document_shows_only_its_number(
    client, other_clerk, make_document, restricted
):
    follow_up = make_document(parent=restricted, title="Järgkiri avalik")
    client.force_login(other_clerk)

    html = client.get(detail_url(follow_up)).content.decode()

    assert restricted.number in html
    assert "Terviseandmetega kiri" not in html


def test_timeline_shows_the_events(client, clerk, document):
    services.document_close(actor=clerk, document=document, reason="Vastatud telefoni teel")
    client.force_login(clerk)

    html = client.get(detail_url(document)).content.decode()

    assert "Vastatud telefoni teel" in html
    assert "timeline" in html


def _detail_queries(client, document) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(detail_url(document))
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize("restrict", [False, True])
def test_detail_runs_the_same_number_of_queries_whatever_it_holds(
    client, advisor, clerk, make_document, make_user, basis, restrict
):
    """A parcel with one of everything, then one with many: files, tasks, shares, follow-ups,
    replies and events."""

    def parcel_with(count):
        document = make_document(
            responsible=clerk,
            doc_type=DocumentType.PARCEL,
            parcel={"carrier": "Omniva", "tracking_code": f"CC{count}EE"},
            files=[pdf(f"fail-{n}.pdf") for n in range(count)],
            **({"restriction_basis": basis} if restrict else {}),
        )
        for n in range(count):
            services.task_give(
                actor=advisor,
                document=document,
                assignee=clerk,
                instruction=f"Ülesanne {n}",
                due_on=date.today() + timedelta(days=n),
            )
            services.document_share(
                actor=advisor,
                document=document,
                user=make_user(roles.CLERK, username=f"jagatud{count}-{n}"),
            )
            make_document(parent=document, title=f"Järg {n}")
            services.document_register_reply(
                actor=clerk,
                document=document,
                title=f"Vastus {n}",
                channel=Channel.EMAIL,
                sent_on=document.registered_on,
            )
        return document

    small, big = parcel_with(1), parcel_with(12)
    client.force_login(advisor)
    _detail_queries(client, small)  # warm caches (content types)

    assert _detail_queries(client, big) == _detail_queries(client, small)


# --- Actions: who may -------------------------------------------------------------------------


def _post(client, name, document, data=None, **kwargs):
    return client.post(
        reverse(f"registry:{name}", args=[document.pk, *kwargs.values()]), data or {}
    )


ACTIONS = [
    # (url name, allowed role, refused role)
    ("document-assign", roles.CLERK, roles.MTR_PROCESSOR),
    ("deadline-extend", roles.CLERK, roles.MTR_PROCESSOR),
    ("deadline-close", roles.CLERK, roles.MTR_PROCESSOR),
    ("deadline-reopen", roles.HEAD, roles.ASSET_MANAGER),
    ("reply-register", roles.CLERK, roles.HEAD),
    ("restriction-set", roles.ADVISOR, roles.CLERK),
    ("restriction-extend", roles.ADVISOR, roles.HEAD),
    ("restriction-lift", roles.ADVISOR, roles.CLERK),
    ("attachment-add", roles.CLERK, roles.MTR_PROCESSOR),
    ("parcel-hand-over", roles.CLERK, roles.MTR_PROCESSOR),
    ("task-give", roles.ADVISOR, roles.CLERK),
]


@pytest.mark.parametrize(("name", "allowed", "refused"), ACTIONS)
def test_action_is_refused_to_a_role_without_the_permission(
    client, make_user, document, name, allowed, refused
):
    client.force_login(make_user(refused, username="refused"))

    assert _post(client, name, document).status_code == 403


@pytest.mark.parametrize(("name", "allowed", "refused"), ACTIONS)
def test_action_with_the_permission_shows_the_form_again_when_empty(
    client, make_user, document, name, allowed, refused
):
    client.force_login(make_user(allowed, username="allowed"))

    response = _post(client, name, document)

    assert response.status_code == 200  # the page again, with the form's messages
    bound = [form for form in response.context["forms"].values() if form and form.is_bound]
    assert len(bound) == 1
    assert bound[0].errors
    html = response.content.decode()
    assert "invalid-feedback" in html or "alert-danger" in html


@pytest.mark.parametrize(("name", "allowed", "refused"), ACTIONS)
def test_action_sends_anonymous_visitors_to_sign_in(client, document, name, allowed, refused):
    response = _post(client, name, document)

    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


@pytest.mark.parametrize(("name", "allowed", "refused"), ACTIONS)
def test_action_is_post_only(client, clerk, document, name, allowed, refused):
    client.force_login(clerk)

    assert client.get(reverse(f"registry:{name}", args=[document.pk])).status_code == 405


@pytest.mark.parametrize("name", [a[0] for a in ACTIONS] + ["document-share"])
def test_action_on_a_restricted_document_one_may_not_see_is_404(
    client, make_user, restricted, name
):
    # Every permission the actions need, but not view_restricted_document: the permissions to
    # act do not reveal a restricted document.
    user = make_user(roles.CLERK, username="nosy")
    user.user_permissions.add(
        *Permission.objects.filter(
            content_type__app_label="registry", codename__in=["add_task", "restrict_document"]
        )
    )
    client.force_login(user)

    assert _post(client, name, restricted).status_code == 404
    assert events_by(restricted, Verb.RESTRICTED_REFUSED).exists()


# --- Actions: what they do ----------------------------------------------------------------------


def test_assign_changes_the_responsible_person(client, clerk, document, other_clerk):
    client.force_login(clerk)

    response = _post(client, "document-assign", document, {"assign-responsible": other_clerk.pk})

    assert response.status_code == 302
    assert response.url == detail_url(document) + "#register-data"
    document.refresh_from_db()
    assert document.responsible == other_clerk
    page = client.get(response.url).content.decode()
    assert "other_clerk" in page or other_clerk.get_full_name() in page


def test_assign_to_someone_outside_the_register_is_refused(client, clerk, document, administrator):
    client.force_login(clerk)

    response = _post(client, "document-assign", document, {"assign-responsible": administrator.pk})

    assert response.status_code == 200
    document.refresh_from_db()
    assert document.responsible != administrator


def test_extend_deadline(client, clerk, document):
    client.force_login(clerk)
    new = calendar.add_working_days(document.registered_on, 15)

    response = _post(
        client,
        "deadline-extend",
        document,
        {
            "extend-new_deadline": new.isoformat(),
            "extend-reason": "Palju dokumente",
            "extend-requester_notified_on": document.registered_on.strftime("%d.%m.%Y"),
        },
    )

    assert response.status_code == 302
    document.refresh_from_db()
    assert document.deadline == new
    assert document.requester_notified_on == document.registered_on
    html = client.get(detail_url(document)).content.decode()
    assert "Palju dokumente" in html


def test_extend_deadline_shows_the_rule_next_to_the_field(client, clerk, document):
    client.force_login(clerk)
    new = calendar.add_working_days(document.registered_on, 16)

    response = _post(
        client,
        "deadline-extend",
        document,
        {"extend-new_deadline": new.isoformat(), "extend-reason": "Palju"},
    )

    assert response.status_code == 200
    form = response.context["forms"]["extend"]
    assert "new_deadline" in form.errors or "requester_notified_on" in form.errors
    html = response.content.decode()
    assert 'id="error_1_id_extend-' in html  # crispy puts the message under the field
    assert "<details" in html
    assert " open" in html
    document.refresh_from_db()
    assert document.deadline == document.initial_deadline


def test_requester_notice_is_asked_only_for_information_requests(client, clerk, make_document):
    letter = make_document(deadline=last_working_day() + timedelta(days=10))
    client.force_login(clerk)

    assert (
        "requester_notified_on"
        not in client.get(detail_url(letter)).context["forms"]["extend"].fields
    )
    response = _post(
        client,
        "deadline-extend",
        letter,
        {
            "extend-new_deadline": (letter.deadline + timedelta(days=5)).isoformat(),
            "extend-reason": "Ootame ekspertiisi",
        },
    )
    assert response.status_code == 302


def test_close_and_reopen(client, clerk, document):
    client.force_login(clerk)

    response = _post(client, "deadline-close", document, {"close-reason": "Vastatud telefonil"})
    assert response.status_code == 302
    document.refresh_from_db()
    assert (document.status, document.close_reason) == ("closed", "Vastatud telefonil")
    assert "Vastatud telefonil" in client.get(detail_url(document)).content.decode()

    response = _post(client, "deadline-reopen", document, {"reopen-reason": "Uus küsimus"})
    assert response.status_code == 302
    document.refresh_from_db()
    assert document.status == "open"


def test_register_a_reply_with_a_file(client, clerk, document):
    client.force_login(clerk)

    response = client.post(
        reverse("registry:reply-register", args=[document.pk]),
        {
            "reply-title": "Vastus teabenõudele",
            "reply-channel": Channel.EMAIL,
            "reply-sent_on": document.registered_on.isoformat(),
            "reply-files": [pdf("vastus.pdf")],
        },
    )

    assert response.status_code == 302
    document.refresh_from_db()
    assert document.status == Document.Status.ANSWERED
    reply = document.replies.get()
    assert reply.title == "Vastus teabenõudele"
    assert [a.name for a in reply.attachments.all()] == ["vastus.pdf"]
    html = client.get(detail_url(document)).content.decode()
    assert reply.number in html


def test_reply_in_the_future_shows_the_message_at_the_date(client, clerk, document):
    client.force_login(clerk)

    response = _post(
        client,
        "reply-register",
        document,
        {
            "reply-title": "Vastus",
            "reply-channel": Channel.EMAIL,
            "reply-sent_on": (date.today() + timedelta(days=3)).isoformat(),
        },
    )

    assert response.status_code == 200
    assert "sent_on" in response.context["forms"]["reply"].errors
    assert not document.replies.exists()


def test_restrict_extend_and_lift(client, advisor, document, basis):
    client.force_login(advisor)
    end = date.today() + timedelta(days=365)

    response = _post(
        client,
        "restriction-set",
        document,
        {"restrict-basis": basis.pk, "restrict-end": end.isoformat()},
    )
    assert response.status_code == 302
    document.refresh_from_db()
    assert document.is_restricted()
    assert document.restriction_end == end

    new_end = end + timedelta(days=365)
    response = _post(
        client,
        "restriction-extend",
        document,
        {"extend_restriction-new_end": new_end.isoformat(), "extend_restriction-reason": "Kestab"},
    )
    assert response.status_code == 302
    document.refresh_from_db()
    assert document.restriction_end == new_end

    response = _post(client, "restriction-lift", document, {"lift-reason": ""})
    assert response.status_code == 200
    assert "reason" in response.context["forms"]["lift"].errors
    response = _post(client, "restriction-lift", document, {"lift-reason": "Menetlus lõppes"})
    assert response.status_code == 302
    document.refresh_from_db()
    assert not document.is_restricted()
    html = client.get(detail_url(document)).content.decode()
    assert "Menetlus lõppes" in html
    changes = [verb for verb in verbs_of(document) if verb.startswith("restriction_")]
    assert changes == [
        Verb.RESTRICTION_SET,
        Verb.RESTRICTION_EXTENDED,
        Verb.RESTRICTION_LIFTED,
    ]


def test_restriction_too_long_is_shown_next_to_the_end_date(client, advisor, document, basis):
    basis.is_personal_data = False
    basis.save()
    client.force_login(advisor)

    response = _post(
        client,
        "restriction-set",
        document,
        {
            "restrict-basis": basis.pk,
            "restrict-end": (date.today() + timedelta(days=6 * 366)).isoformat(),
        },
    )

    assert response.status_code == 200
    assert "end" in response.context["forms"]["restrict"].errors


def test_only_active_bases_are_offered(client, advisor, document, basis):
    basis.is_active = False
    basis.save()
    client.force_login(advisor)

    response = _post(client, "restriction-set", document, {"restrict-basis": basis.pk})

    assert response.status_code == 200
    assert "basis" in response.context["forms"]["restrict"].errors


@pytest.mark.parametrize("who", ["advisor", "responsible"])
def test_share_and_unshare_by_advisor_or_responsible(client, request, restricted, other_clerk, who):
    client.force_login(request.getfixturevalue(who))

    response = _post(client, "document-share", restricted, {"share-user": other_clerk.pk})
    assert response.status_code == 302
    assert DocumentShare.objects.filter(document=restricted, user=other_clerk).exists()

    client.force_login(other_clerk)
    assert client.get(detail_url(restricted)).status_code == 200

    client.force_login(request.getfixturevalue(who))
    response = client.post(
        reverse("registry:document-unshare", args=[restricted.pk, other_clerk.pk])
    )
    assert response.status_code == 302
    assert not DocumentShare.objects.filter(document=restricted, user=other_clerk).exists()
    client.force_login(other_clerk)
    assert client.get(detail_url(restricted)).status_code == 404


def test_share_is_refused_to_a_clerk_not_responsible(client, other_clerk, document, clerk):
    client.force_login(other_clerk)

    assert _post(client, "document-share", document, {"share-user": clerk.pk}).status_code == 403
    response = client.post(reverse("registry:document-unshare", args=[document.pk, clerk.pk]))
    assert response.status_code == 403


def test_add_files(client, clerk, document):
    client.force_login(clerk)

    response = client.post(
        reverse("registry:attachment-add", args=[document.pk]),
        {"attach-files": [pdf("üks.pdf"), pdf("kaks.pdf")], "attach-is_public": "on"},
    )

    assert response.status_code == 302
    assert sorted(document.attachments.values_list("name", "is_public")) == [
        ("kaks.pdf", True),
        ("üks.pdf", True),
    ]


def test_a_file_of_the_wrong_type_is_refused_with_a_message(client, clerk, document):
    client.force_login(clerk)

    response = client.post(
        reverse("registry:attachment-add", args=[document.pk]),
        {"attach-files": [SimpleUploadedFile("pilt.pdf", b"MZ\x90\x00 not a pdf at all")]},
    )

    assert response.status_code == 200
    assert "files" in response.context["forms"]["attach"].errors
    assert "pilt.pdf" in response.content.decode()
    assert not document.attachments.exists()


@pytest.mark.parametrize(
    ("who", "status"), [("responsible", 302), ("advisor", 302), ("clerk", 403)]
)
def test_mark_a_file_public(client, request, make_document, responsible, who, status):
    document = make_document(
        responsible=responsible,
        files=[pdf()],
        public_files=False,
        withheld_reason="Allkirjaga skaneering",
    )
    attachment = document.attachments.get()
    client.force_login(request.getfixturevalue(who))
    url = reverse("registry:attachment-public", args=[document.pk, attachment.pk])

    response = client.post(url, {"is_public": "1"})

    assert response.status_code == status
    attachment.refresh_from_db()
    assert attachment.is_public is (status == 302)
    if status == 302:
        assert attachment.withheld_reason == ""
        client.post(url, {"is_public": "0"})  # no reason: refused, stays public
        attachment.refresh_from_db()
        assert attachment.is_public
        client.post(url, {"is_public": "0", "reason": "Isikuandmed lisas"})
        attachment.refresh_from_db()
        assert not attachment.is_public
        assert attachment.withheld_reason == "Isikuandmed lisas"


def test_parcel_hand_over(client, clerk, make_document, responsible):
    parcel_doc = make_document(
        doc_type=DocumentType.PARCEL,
        channel=Channel.COURIER,
        parcel={"carrier": "DPD", "tracking_code": "05222222"},
    )
    client.force_login(clerk)
    assert "parcel" in client.get(detail_url(parcel_doc)).context["forms"]

    response = _post(
        client,
        "parcel-hand-over",
        parcel_doc,
        {"parcel-handed_to": responsible.pk, "parcel-receipt_signed_by": "Rein Vastutav"},
    )

    assert response.status_code == 302
    parcel_doc.parcel.refresh_from_db()
    assert parcel_doc.parcel.handed_to == responsible
    assert parcel_doc.parcel.receipt_signed_by == "Rein Vastutav"
    assert "Rein Vastutav" in client.get(detail_url(parcel_doc)).content.decode()


def test_hand_over_of_a_letter_is_refused_with_a_message(client, clerk, document, responsible):
    client.force_login(clerk)

    response = _post(
        client,
        "parcel-hand-over",
        document,
        {"parcel-handed_to": responsible.pk, "parcel-receipt_signed_by": "Rein"},
    )

    assert response.status_code == 200


@pytest.mark.parametrize("who", ["advisor", "head"])
def test_give_a_task(client, request, document, clerk, who):
    client.force_login(request.getfixturevalue(who))
    due = date.today() + timedelta(days=3)

    response = _post(
        client,
        "task-give",
        document,
        {
            "task-assignee": clerk.pk,
            "task-instruction": "Koosta vastus",
            "task-due_on": due.isoformat(),
        },
    )

    assert response.status_code == 302
    task = Task.objects.get(document=document)
    assert (task.assignee, task.instruction, task.due_on) == (clerk, "Koosta vastus", due)
    html = client.get(detail_url(document)).content.decode()
    assert "Koosta vastus" in html


def test_task_due_yesterday_shows_the_message(client, advisor, document, clerk):
    client.force_login(advisor)

    response = _post(
        client,
        "task-give",
        document,
        {
            "task-assignee": clerk.pk,
            "task-instruction": "Koosta vastus",
            "task-due_on": (date.today() - timedelta(days=1)).isoformat(),
        },
    )

    assert response.status_code == 200
    assert "due_on" in response.context["forms"]["task"].errors
    assert not Task.objects.exists()


# --- Downloads ----------------------------------------------------------------------------------


def _download(client, document, attachment):
    return client.get(reverse("registry:attachment-download", args=[document.pk, attachment.pk]))


def test_download_is_an_attachment_with_its_name_and_type(client, clerk, make_document):
    document = make_document(files=[pdf("Õiend ülevaatusest.pdf")])
    attachment = document.attachments.get()
    client.force_login(clerk)

    response = _download(client, document, attachment)

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert "filename*=utf-8''%C3%95iend%20%C3%BClevaatusest.pdf" in disposition
    assert b"".join(response.streaming_content) == PDF


def test_download_of_an_ascii_name(client, clerk, make_document):
    document = make_document(files=[pdf("otsus.pdf")])
    client.force_login(clerk)

    response = _download(client, document, document.attachments.get())

    assert response["Content-Disposition"] == 'attachment; filename="otsus.pdf"'


def test_download_is_refused_without_the_register(client, administrator, make_document):
    document = make_document(files=[pdf()])
    client.force_login(administrator)

    assert _download(client, document, document.attachments.get()).status_code == 403


def test_download_sends_anonymous_visitors_to_sign_in(client, make_document):
    document = make_document(files=[pdf()])

    response = _download(client, document, document.attachments.get())

    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_download_of_another_documents_file_is_404(client, clerk, make_document):
    first = make_document(files=[pdf()])
    second = make_document()
    client.force_login(clerk)

    assert _download(client, second, first.attachments.get()).status_code == 404


def test_restricted_file_is_404_for_others_and_logged_for_the_responsible(
    client, make_document, responsible, other_clerk, basis
):
    document = make_document(restriction_basis=basis, responsible=responsible, files=[pdf()])
    attachment = document.attachments.get()

    client.force_login(other_clerk)
    assert _download(client, document, attachment).status_code == 404
    assert events_by(document, Verb.RESTRICTED_REFUSED).count() == 1

    client.force_login(responsible)
    response = _download(client, document, attachment)
    assert response.status_code == 200
    opened = events_by(document, Verb.RESTRICTED_FILE_OPENED).get()
    assert opened.actor == responsible
    assert opened.data["file"] == attachment.name


def test_attachment_list_links_to_downloads(client, clerk, make_document):
    document = make_document(files=[pdf("lisa.pdf")])
    attachment = Attachment.objects.get(document=document)
    client.force_login(clerk)

    html = client.get(detail_url(document)).content.decode()

    assert reverse("registry:attachment-download", args=[document.pk, attachment.pk]) in html
    assert "lisa.pdf" in html
