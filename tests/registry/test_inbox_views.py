"""The registration inbox's pages: the list, an item with its pre-filled form, registering and
going on to the next item, setting aside and returning, the quarantine, the downloads, who may
do what, the same queries for 1 and 30 items, and the tiles that count the inbox."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from core.intake.models import InboundAttachment, InboundMessage
from core.submissions import new_key
from dashboard import overview
from registry import inbox
from registry.models import Channel, Document, DocumentType, InboxItem
from tests.factories import PartyFactory
from tests.registry.conftest import last_working_day
from tests.registry.inbox_helpers import make_item, pdf_with


@pytest.fixture(autouse=True)
def _english(settings):
    """The messages asserted here are the English ones."""
    settings.LANGUAGE_CODE = "en"


LIST = reverse("registry:inbox")


def _form_data(series, **extra) -> dict:
    data = {
        "doc_type": DocumentType.LETTER,
        "channel": Channel.EMAIL,
        "received_on": last_working_day().strftime("%d.%m.%Y"),
        "series": series.pk,
        "sender_mode": "existing",
        "sender": "",
        "sender_party": "",
        "title": "Taotlus bussipeatuse kohta",
        "restriction_basis": "none",
        "keep_message": "on",
    }
    data.update(extra)
    return data


def _item_url(item, name="registry:inbox-item", *args):
    return reverse(name, args=[item.pk, *args])


@pytest.fixture
def two_items(db):
    """An older and a newer message, both waiting."""
    older = make_item(subject="Vanem kiri")
    older.received_at = timezone.now() - timedelta(hours=2)
    older.save(update_fields=["received_at"])
    newer = make_item(subject="Uuem kiri", files=(("kiri.pdf", pdf_with("Tere")),))
    return older, newer


# --- The list -----------------------------------------------------------------------------------


def test_the_list_shows_the_waiting_messages_newest_first(client, clerk, two_items):
    older, newer = two_items
    make_item(kind=InboundMessage.Kind.BOUNCE, subject="Undelivered Mail Returned to Sender")
    client.force_login(clerk)
    response = client.get(LIST)
    assert response.status_code == 200
    assert list(response.context["items"]) == [newer, older]
    content = response.content.decode()
    assert "Undelivered" not in content  # automatic: set aside, not in the to-do list
    assert response.context["page"].count == 2
    set_aside = client.get(LIST + "?status=dismissed")
    assert "Undelivered Mail Returned to Sender" in set_aside.content.decode()
    assert client.get(LIST + "?status=all").context["page"].count == 3


def test_the_list_searches_subject_and_sender(client, clerk, two_items):
    make_item(subject="Arve", sender_email="raamatupidaja@firma.ee", sender_name="Raamat Pidaja")
    client.force_login(clerk)
    assert [i.message.subject for i in client.get(LIST + "?q=vanem").context["items"]] == [
        "Vanem kiri"
    ]
    assert [i.message.subject for i in client.get(LIST + "?q=raamatupidaja").context["items"]] == [
        "Arve"
    ]
    assert [i.message.subject for i in client.get(LIST + "?q=pidaja").context["items"]] == ["Arve"]


def test_the_list_counts_files_and_quarantine(client, clerk):
    make_item(
        files=(
            ("a.pdf", pdf_with("a")),
            ("b.exe", b"MZ", InboundAttachment.Status.QUARANTINED, "not allowed"),
        )
    )
    client.force_login(clerk)
    row = client.get(LIST).context["items"][0]
    assert (row.files, row.quarantined) == (2, 1)


@pytest.mark.parametrize("count", [1, 30])
def test_the_list_runs_the_same_queries_for_1_and_30_items(
    client, clerk, count, django_assert_max_num_queries
):
    for n in range(count):
        make_item(
            subject=f"Kiri {n}",
            files=(("a.pdf", b"%PDF-1.4 a"), ("b.exe", b"MZ", "quarantined", "no")),
        )
    client.force_login(clerk)
    client.get(LIST)  # warm the caches (content types, permissions)
    with django_assert_max_num_queries(9):
        response = client.get(LIST)
    assert len(response.context["items"]) == count


def test_the_item_page_runs_the_same_queries_for_1_and_30_files(
    client, clerk, series, django_assert_num_queries
):
    counts = []
    for files in (1, 30):
        item = make_item(files=tuple((f"f{n}.pdf", b"%PDF-1.4 x") for n in range(files)))
        client.force_login(clerk)
        client.get(_item_url(item))
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as queries:
            assert client.get(_item_url(item)).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]


# --- One item -----------------------------------------------------------------------------------


def test_the_item_shows_the_message_with_the_quoted_text_folded(client, clerk):
    item = make_item(text="Palun vastake.", quoted="> Eelmine kiri\n> vanem tekst")
    client.force_login(clerk)
    content = client.get(_item_url(item)).content.decode()
    assert "Palun vastake." in content
    assert "<details" in content
    assert "vanem tekst" in content.split("<details", 1)[1]
    assert _item_url(item, "registry:inbox-message") in content


def test_the_form_is_pre_filled_from_the_message(client, clerk):
    party = PartyFactory(name="OÜ Põhjarannik", email="info@pohjarannik.ee", code="")
    item = make_item(
        subject="Pakkumine", sender_email="info@pohjarannik.ee", sent_at=timezone.now()
    )
    client.force_login(clerk)
    form = client.get(_item_url(item)).context["form"]
    assert form.initial["title"] == "Pakkumine"
    assert form.initial["channel"] == Channel.EMAIL
    assert form.initial["received_on"] == timezone.localdate()
    assert form.initial["sender_party"] == str(party.pk)
    assert "files" not in form.fields
    assert form.fields["doc_type"].widget.attrs["autofocus"]


def test_an_unknown_sender_is_offered_as_a_new_one(client, clerk):
    item = make_item(sender_email="jaan@example.ee", sender_name="Jaan Tamm")
    client.force_login(clerk)
    response = client.get(_item_url(item))
    assert response.context["form"].initial["sender_mode"] == "new"
    assert response.context["party_form"].initial == {
        "name": "Jaan Tamm",
        "email": "jaan@example.ee",
    }


def test_a_scan_is_pre_filled_as_post_with_its_file_name(client, clerk):
    item = make_item(
        kind=InboundMessage.Kind.SCAN,
        subject="",
        sender_email="",
        sender_name="",
        text="",
        raw_name="Maavalitsuse_kiri.pdf",
        source=InboundMessage.Source.DROP,
    )
    client.force_login(clerk)
    form = client.get(_item_url(item)).context["form"]
    assert form.initial["title"] == "Maavalitsuse kiri"
    assert form.initial["channel"] == Channel.POST


def test_registering_goes_to_the_next_item_and_names_the_number(
    client, clerk, series, organisation, two_items
):
    older, newer = two_items
    client.force_login(clerk)
    response = client.post(
        _item_url(newer), _form_data(series, sender=organisation.name, title="Uuem kiri")
    )
    assert response.status_code == 302
    assert response.url == _item_url(older)
    document = Document.objects.get()
    page = client.get(response.url).content.decode()
    assert f"Registered as {document.number}" in page or document.number in page
    assert reverse("registry:document-detail", args=[document.pk]) in page
    newer.refresh_from_db()
    assert newer.status == InboxItem.Status.REGISTERED
    assert newer.document == document
    assert sorted(a.name for a in document.attachments.all()) == ["Uuem kiri.eml", "kiri.pdf"]


def test_the_last_item_registered_goes_back_to_the_list(client, clerk, series, organisation):
    item = make_item()
    client.force_login(clerk)
    response = client.post(_item_url(item), _form_data(series, sender=organisation.name))
    assert response.url == LIST


def test_registering_with_a_new_sender(client, clerk, series):
    item = make_item(sender_email="jaan@example.ee", sender_name="Jaan Tamm")
    client.force_login(clerk)
    data = _form_data(
        series,
        sender_mode="new",
        **{
            "new_sender-is_private_person": "True",
            "new_sender-name": "Jaan Tamm",
            "new_sender-email": "jaan@example.ee",
        },
    )
    assert client.post(_item_url(item), data).status_code == 302
    assert Document.objects.get().sender.email == "jaan@example.ee"


def test_a_form_with_mistakes_comes_back_and_registers_nothing(client, clerk, series):
    item = make_item()
    client.force_login(clerk)
    response = client.post(_item_url(item), _form_data(series, title="", sender="Keegi pole"))
    assert response.status_code == 200
    assert response.context["form"].errors
    assert not Document.objects.exists()
    item.refresh_from_db()
    assert item.status == InboxItem.Status.NEW


def test_a_double_submit_makes_one_document(client, clerk, series, organisation):
    item = make_item()
    client.force_login(clerk)
    data = _form_data(series, sender=organisation.name, submission_key=new_key(clerk))
    first = client.post(_item_url(item), data)
    second = client.post(_item_url(item), data)  # the same form sent again
    other_tab = client.post(_item_url(item), _form_data(series, sender=organisation.name))
    assert first.status_code == second.status_code == 302
    assert second.url == first.url
    assert other_tab.status_code == 200  # the page says it is registered already
    assert Document.objects.count() == 1


def test_set_aside_then_return(client, clerk, two_items):
    older, newer = two_items
    client.force_login(clerk)
    response = client.post(
        _item_url(newer, "registry:inbox-set-aside"), {"reason": "spam", "note": ""}
    )
    assert response.status_code == 302
    assert response.url == _item_url(older)
    newer.refresh_from_db()
    assert newer.status == InboxItem.Status.DISMISSED
    page = client.get(_item_url(newer)).content.decode()
    assert "Return to the inbox" in page
    response = client.post(_item_url(newer, "registry:inbox-return"))
    assert response.status_code == 302
    newer.refresh_from_db()
    assert newer.status == InboxItem.Status.NEW


def test_set_aside_without_a_reason_comes_back(client, clerk):
    item = make_item()
    client.force_login(clerk)
    response = client.post(_item_url(item, "registry:inbox-set-aside"), {"reason": ""})
    assert response.status_code == 200
    assert response.context["aside_form"].errors


# --- Quarantine and downloads -------------------------------------------------------------------


def test_a_quarantined_file_is_released_or_deleted_with_a_reason(client, clerk):
    item = make_item(
        files=(
            ("a.pdf", pdf_with("a"), InboundAttachment.Status.QUARANTINED, "too large"),
            ("b.exe", b"MZ", InboundAttachment.Status.QUARANTINED, "not allowed"),
        )
    )
    first, second = item.message.attachments.order_by("position")
    client.force_login(clerk)
    page = client.get(_item_url(item)).content.decode()
    assert "too large" in page
    assert "not allowed" in page
    client.post(_item_url(item, "registry:inbox-attachment-release", first.pk))
    refused = client.post(_item_url(item, "registry:inbox-attachment-delete", second.pk), {})
    assert refused.status_code == 302
    second.refresh_from_db()
    assert second.status == InboundAttachment.Status.QUARANTINED  # no reason: not deleted
    client.post(
        _item_url(item, "registry:inbox-attachment-delete", second.pk), {"reason": "viirus"}
    )
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.status == InboundAttachment.Status.RELEASED
    timeline = [event.verb for event in client.get(_item_url(item)).context["timeline_events"]]
    assert len(timeline) == 3  # arrived, released, deleted
    assert (second.status, second.reason, second.file.name) == ("deleted", "viirus", "")


def test_files_and_the_message_download(client, clerk):
    item = make_item(subject="Kiri", files=(("kiri.pdf", pdf_with("Tere")),))
    attachment = item.message.attachments.get()
    client.force_login(clerk)
    response = client.get(_item_url(item, "registry:inbox-attachment", attachment.pk))
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    raw = client.get(_item_url(item, "registry:inbox-message"))
    assert raw.status_code == 200
    assert raw["Content-Type"] == "message/rfc822"
    assert b"Subject: Kiri" in b"".join(raw.streaming_content)


def test_the_document_page_links_to_the_original_message(
    client, clerk, processor, series, organisation
):
    item = make_item()
    client.force_login(clerk)
    client.post(_item_url(item), _form_data(series, sender=organisation.name))
    document = Document.objects.get()
    page = client.get(reverse("registry:document-detail", args=[document.pk])).content.decode()
    assert "Registered from the registration inbox" in page
    assert _item_url(item, "registry:inbox-message") in page
    # Somebody who may see the document, but not the inbox, opens the original from there.
    client.force_login(processor)
    assert client.get(_item_url(item, "registry:inbox-message")).status_code == 200
    assert client.get(_item_url(item)).status_code == 403


# --- Who may do what ----------------------------------------------------------------------------


def _every_url(item, attachment) -> list[tuple[str, str]]:
    return [
        ("get", LIST),
        ("get", _item_url(item)),
        ("post", _item_url(item)),
        ("post", _item_url(item, "registry:inbox-set-aside")),
        ("post", _item_url(item, "registry:inbox-return")),
        ("get", _item_url(item, "registry:inbox-attachment", attachment.pk)),
        ("post", _item_url(item, "registry:inbox-attachment-release", attachment.pk)),
        ("post", _item_url(item, "registry:inbox-attachment-delete", attachment.pk)),
        ("get", _item_url(item, "registry:inbox-message")),
        ("post", reverse("registry:inbox-upload")),
    ]


@pytest.mark.parametrize("role", ["processor", "head", "administrator"])
def test_a_wrong_role_is_refused_every_page(client, request, role):
    user = request.getfixturevalue(role)
    item = make_item(files=(("a.pdf", b"%PDF-1.4", "quarantined", "x"),))
    attachment = item.message.attachments.get()
    client.force_login(user)
    for method, url in _every_url(item, attachment):
        response = getattr(client, method)(url)
        assert response.status_code in (403, 404), (role, method, url, response.status_code)
    assert client.get(LIST).status_code == 403
    attachment.refresh_from_db()
    item.refresh_from_db()
    assert attachment.status == "quarantined"
    assert item.status == "new"


def test_anonymous_is_sent_to_sign_in(client, db):
    item = make_item(files=(("a.pdf", b"%PDF-1.4"),))
    for method, url in _every_url(item, item.message.attachments.get()):
        response = getattr(client, method)(url)
        assert response.status_code == 302, url
        assert reverse("login") in response.url, url


def test_a_guessed_id_is_not_found(client, clerk, processor):
    item = make_item()
    client.force_login(clerk)
    assert client.get(reverse("registry:inbox-item", args=[item.pk + 1000])).status_code == 404
    client.force_login(processor)  # may read documents, not the inbox: nothing of it
    assert client.get(reverse("registry:inbox-item", args=[item.pk])).status_code == 403
    assert client.get(_item_url(item, "registry:inbox-message")).status_code == 404


def test_the_navigation_offers_the_inbox_to_clerks_only(client, clerk, processor):
    client.force_login(clerk)
    assert LIST in client.get(reverse("registry:document-list")).content.decode()
    client.force_login(processor)
    assert LIST not in client.get(reverse("registry:document-list")).content.decode()


# --- Tiles --------------------------------------------------------------------------------------


def _tiles(figures) -> dict:
    return {tile.key: tile for group in figures["groups"] for tile in group.tiles}


def test_the_tiles_count_the_lists_rows(client, clerk, head, two_items):
    make_item(kind=InboundMessage.Kind.AUTO_REPLY, kind_reason="X-Autoreply: yes")
    client.force_login(clerk)
    tile = _tiles(overview.mine(clerk))["inbox_new"]
    assert tile.value == 2
    response = client.get(tile.url)
    assert response.context["page"].count == tile.value
    head_tile = _tiles(overview.department(head))["inbox_new"]
    assert head_tile.value == 2
    inbox.item_set_aside(actor=clerk, item=two_items[0], reason="duplicate")
    assert _tiles(overview.mine(clerk))["inbox_new"].value == 1


def test_an_item_registered_as_a_restricted_document_is_hidden_from_others(
    client, clerk, make_user, series, organisation, basis
):
    from core import roles

    item = make_item(subject="Terviseandmetega avaldus")
    client.force_login(clerk)
    data = _form_data(series, sender=organisation.name, restriction_basis=str(basis.pk))
    assert client.post(_item_url(item), data).status_code == 302
    assert Document.objects.get().is_restricted()
    assert client.get(_item_url(item)).status_code == 200  # she registered it
    colleague = make_user(roles.CLERK, username="colleague")
    client.force_login(colleague)
    assert client.get(_item_url(item)).status_code == 404
    assert client.get(_item_url(item, "registry:inbox-message")).status_code == 404


# --- E-mail files brought by hand ---------------------------------------------------------------

OUTLOOK_SAVED = (
    b"From: =?utf-8?q?J=C3=BCri_=C3=95unapuu?= <jyri@example.ee>\r\n"
    b"To: info@example.ee\r\n"
    b"Subject: =?utf-8?q?Selgitustaotlus_kinnistu_kohta?=\r\n"
    b"Date: Tue, 01 Dec 2026 10:15:00 +0200\r\n"
    b"Message-ID: <saved.1@example.ee>\r\n"
    b"MIME-Version: 1.0\r\n"
    b"Content-Type: text/plain; charset=utf-8\r\n\r\n"
    b"Palun selgitada kinnistu piiride muutmist.\r\n"
)


def _upload(client, user, *files):
    from django.core.files.uploadedfile import SimpleUploadedFile

    uploads = [SimpleUploadedFile(name, data) for name, data in files]
    return client.post(
        reverse("registry:inbox-upload"),
        {"files": uploads, "submission_key": new_key(user)},
    )


def test_saved_e_mails_are_added_to_the_inbox_once(client, clerk):
    client.force_login(clerk)
    response = _upload(client, clerk, ("kiri.eml", OUTLOOK_SAVED))
    assert response.status_code == 302
    item = InboxItem.objects.get()
    assert item.message.subject == "Selgitustaotlus kinnistu kohta"
    assert item.message.sender_email == "jyri@example.ee"
    assert item.status == InboxItem.Status.NEW
    _upload(client, clerk, ("sama kiri.eml", OUTLOOK_SAVED))  # the same file again: nothing new
    assert InboxItem.objects.count() == 1


def test_a_file_that_is_not_an_e_mail_is_refused_with_its_name_and_nothing_is_taken(client, clerk):
    client.force_login(clerk)
    response = _upload(
        client, clerk, ("kiri.eml", OUTLOOK_SAVED), ("leping.pdf", pdf_with("Leping"))
    )
    assert response.status_code == 400
    assert "leping.pdf is not an e-mail" in response.content.decode()
    assert not InboundMessage.objects.exists()
