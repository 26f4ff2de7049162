"""The disposal pages (assets/views/disposal.py): the list with what waits first, a proposal,
the head's approval or refusal (never by the proposer), and the act: a PDF registered as a
public document, the asset closed as disposed.

Each view: the asset manager proposes and makes the act, the head decides, a clerk gets 403, an
anonymous visitor the sign-in page.
"""

import io
from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from assets import services
from assets.models import Asset, Disposal
from core import roles
from core.models import OutboundEmail
from tests.factories import SeriesFactory

pytestmark = pytest.mark.django_db

Status = Disposal.Status
LIST = reverse("assets:disposal-list")
NEW = reverse("assets:disposal-new")


def url(name: str, disposal) -> str:
    return reverse(f"assets:{name}", args=[disposal.pk])


def message_texts(response) -> list[str]:
    return [str(m) for m in response.context["messages"]] if response.context else []


def pdf_text(data: bytes) -> str:
    return " ".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(data)).pages)


@pytest.fixture
def english(client):
    client.cookies["django_language"] = "en"
    return client


@pytest.fixture
def series(db):
    return SeriesFactory(code="3-4", title="Varade mahakandmise aktid")


@pytest.fixture
def laptop(make_asset):
    return make_asset(
        name="Sülearvuti Lenovo ThinkPad T14",
        serial_number="PF-3XK9Q",
        price=Decimal("1249.90"),
        purchase_date=timezone.localdate() - timedelta(days=5 * 365),
    )


@pytest.fixture
def proposal(manager, laptop):
    return services.disposal_propose(
        actor=manager,
        asset=laptop,
        method=Disposal.Method.WRITE_OFF,
        reason="Emaplaat läbi põlenud, remont ei tasu end ära.",
        residual_value=Decimal("0"),
    )


@pytest.fixture
def approved(head, proposal):
    return services.disposal_approve(actor=head, disposal=proposal)


def make_approved(manager, head, asset, method):
    disposal = services.disposal_propose(
        actor=manager, asset=asset, method=method, reason="Vana ja katki."
    )
    return services.disposal_approve(actor=head, disposal=disposal)


# --- Permissions --------------------------------------------------------------------------------


def pages(disposal) -> list[tuple[str, str]]:
    return [
        ("get", LIST),
        ("get", NEW),
        ("get", url("disposal-detail", disposal)),
        ("get", url("disposal-act", disposal)),
        ("post", NEW),
        ("post", url("disposal-approve", disposal)),
        ("post", url("disposal-refuse", disposal)),
        ("post", url("disposal-complete", disposal)),
    ]


def test_anonymous_visitors_are_sent_to_sign_in(client, proposal):
    for method, address in pages(proposal):
        response = getattr(client, method)(address)
        assert response.status_code == 302, address
        assert response.url.startswith(reverse("login")), address


def test_a_clerk_is_refused_everything(client, make_user, proposal):
    client.force_login(make_user(roles.CLERK))
    for method, address in pages(proposal):
        assert getattr(client, method)(address).status_code == 403, (method, address)


def test_the_head_decides_but_neither_proposes_nor_makes_acts(client, head, approved, laptop):
    client.force_login(head)
    assert client.get(LIST).status_code == 200
    assert client.get(url("disposal-detail", approved)).status_code == 200
    assert client.get(f"{NEW}?asset={laptop.pk}").status_code == 403
    complete = {"act-disposed_on": timezone.localdate().isoformat(), "act-recipient": "Keegi"}
    assert client.post(url("disposal-complete", approved), complete).status_code == 403
    assert 'id="act-heading"' not in client.get(url("disposal-detail", approved)).text


def test_the_asset_manager_does_not_decide(client, manager, proposal):
    client.force_login(manager)
    assert client.post(url("disposal-approve", proposal)).status_code == 403
    assert client.post(url("disposal-refuse", proposal), {"refuse-reason": "Ei"}).status_code == (
        403
    )
    proposal.refresh_from_db()
    assert proposal.status == Status.PROPOSED


def test_the_actions_take_only_posts(english, manager, proposal):
    english.force_login(manager)
    for name in ("disposal-approve", "disposal-refuse", "disposal-complete"):
        assert english.get(url(name, proposal)).status_code == 405, name


# --- Proposing ----------------------------------------------------------------------------------


def test_an_asset_is_proposed_from_its_page(english, manager, head, laptop):
    english.force_login(manager)
    form = english.get(NEW, {"asset": laptop.pk})
    assert laptop.inventory_number in form.text
    assert 'type="hidden" name="asset"' in form.text
    response = english.post(
        f"{NEW}?asset={laptop.pk}",
        {
            "asset": laptop.inventory_number,
            "method": "destruction",
            "reason": "Ekraan katki.",
            "residual_value": "1 234,50",
        },
    )
    disposal = Disposal.objects.get()
    assert response.status_code == 302
    assert response.url == url("disposal-detail", disposal)
    assert (disposal.asset, disposal.method, disposal.proposed_by) == (
        laptop,
        "destruction",
        manager,
    )
    assert disposal.residual_value == Decimal("1234.50")
    assert disposal.status == Status.PROPOSED
    page = english.get(response.url)
    assert (
        f"The disposal of {laptop.inventory_number} is proposed and waits for the head's approval."
        in message_texts(page)
    )
    assert "It waits for the head's approval." in page.text
    assert OutboundEmail.objects.filter(to__contains=[head.email]).exists()  # the head is told


def test_an_asset_is_proposed_by_its_inventory_number(english, manager, laptop):
    english.force_login(manager)
    response = english.post(
        NEW,
        {"asset": laptop.inventory_number.lower(), "method": "sale", "reason": "Üleliigne."},
    )
    assert response.status_code == 302
    disposal = Disposal.objects.get()
    assert (disposal.asset, disposal.residual_value) == (laptop, 0)


def test_a_proposal_needs_a_known_asset_and_a_reason(english, manager):
    english.force_login(manager)
    response = english.post(NEW, {"asset": "INV-1999-0001", "method": "sale", "reason": ""})
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert errors["asset"] == ["No asset has this inventory number."]
    assert errors["reason"] == ["Give the reason."]
    assert not Disposal.objects.exists()


def test_a_second_proposal_of_the_same_asset_is_refused(english, manager, proposal, laptop):
    english.force_login(manager)
    page = english.get(NEW, {"asset": laptop.pk})
    assert "A disposal of this asset is in progress already." in page.text
    assert 'name="method"' not in page.text
    response = english.post(
        NEW, {"asset": laptop.inventory_number, "method": "sale", "reason": "Veel kord."}
    )
    assert response.status_code == 200
    assert "A disposal of this asset is in progress already." in response.text
    assert Disposal.objects.count() == 1


def test_an_unknown_asset_in_the_address_is_not_found(english, manager):
    english.force_login(manager)
    assert english.get(NEW, {"asset": "999999"}).status_code == 404
    assert english.get(NEW, {"asset": "abc"}).status_code == 404


# --- The head's decision ------------------------------------------------------------------------


def test_the_head_approves(english, head, proposal):
    english.force_login(head)
    page = english.get(url("disposal-detail", proposal))
    assert 'action="{}"'.format(url("disposal-approve", proposal)) in page.text
    response = english.post(url("disposal-approve", proposal), follow=True)
    assert "The disposal is approved: the asset manager can now make the act." in (
        message_texts(response)
    )
    proposal.refresh_from_db()
    assert (proposal.status, proposal.decided_by) == (Status.APPROVED, head)
    assert proposal.decided_at is not None


def test_the_proposer_cannot_approve(english, make_user, laptop):
    both = make_user(roles.ASSET_MANAGER, roles.HEAD, username="mõlemad")
    english.force_login(both)
    english.post(
        f"{NEW}?asset={laptop.pk}",
        {"asset": laptop.inventory_number, "method": "write_off", "reason": "Vana."},
    )
    disposal = Disposal.objects.get()
    page = english.get(url("disposal-detail", disposal))
    assert "You proposed this disposal, so another head decides on it." in page.text
    assert url("disposal-approve", disposal) not in page.text
    response = english.post(url("disposal-approve", disposal), follow=True)
    assert "The one who proposed it cannot approve it." in message_texts(response)
    disposal.refresh_from_db()
    assert disposal.status == Status.PROPOSED


def test_the_head_refuses_with_a_reason(english, head, proposal, laptop):
    english.force_login(head)
    empty = english.post(url("disposal-refuse", proposal), {"refuse-reason": " "})
    assert empty.status_code == 200
    assert empty.context["refuse_form"].errors["reason"] == ["Give the reason of the refusal."]
    assert '<details class="document-action mt-2" id="refuse" open>' in empty.text
    response = english.post(
        url("disposal-refuse", proposal),
        {"refuse-reason": "Parandage ära, garantii kehtib."},
        follow=True,
    )
    assert "The disposal is refused; the asset stays as it is." in message_texts(response)
    assert "Parandage ära, garantii kehtib." in response.text
    proposal.refresh_from_db()
    assert (proposal.status, proposal.refusal_reason) == (
        Status.REFUSED,
        "Parandage ära, garantii kehtib.",
    )
    laptop.refresh_from_db()
    assert laptop.state == Asset.State.IN_USE


def test_a_decided_disposal_cannot_be_decided_again(english, head, approved):
    english.force_login(head)
    response = english.post(url("disposal-approve", approved), follow=True)
    assert "Only a proposal waiting for approval can be decided." in message_texts(response)
    refused = english.post(url("disposal-refuse", approved), {"refuse-reason": "Siiski mitte."})
    assert "Only a proposal waiting for approval can be decided." in refused.text
    approved.refresh_from_db()
    assert approved.status == Status.APPROVED


# --- The act ------------------------------------------------------------------------------------


def test_the_act_is_made_registered_and_the_asset_disposed(
    english, manager, head, approved, laptop, series
):
    english.force_login(manager)
    page = english.get(url("disposal-detail", approved))
    assert 'name="act-recipient"' in page.text
    assert 'name="act-sale_price"' not in page.text  # a write-off is not sold
    today = timezone.localdate()
    response = english.post(
        url("disposal-complete", approved),
        {
            "act-disposed_on": today.isoformat(),
            "act-recipient": "Keskkonnahooldus OÜ",
            "act-certificate_number": "",
        },
        follow=True,
    )
    approved.refresh_from_db()
    laptop.refresh_from_db()
    document = approved.document
    assert approved.status == Status.DONE
    assert laptop.state == Asset.State.DISPOSED
    assert document is not None
    assert document.series == series
    assert document.restriction_basis is None  # acts are public
    assert f"The act is made and registered as {document.number}; the asset is disposed." in (
        message_texts(response)
    )
    assert reverse("registry:document-detail", args=[document.pk]) in response.text
    assert "Disposed" in response.text

    act = english.get(url("disposal-act", approved))
    assert act["Content-Type"] == "application/pdf"
    assert act["Content-Disposition"].startswith("attachment;")
    text = pdf_text(b"".join(act.streaming_content))
    assert laptop.inventory_number in text
    assert "Keskkonnahooldus OÜ" in text
    assert "Sülearvuti Lenovo ThinkPad T14" in text
    assert "Emaplaat läbi põlenud" in text
    attachment = document.attachments.get()
    assert attachment.is_public
    assert attachment.content_type == "application/pdf"
    with attachment.file.open("rb") as stored:
        assert laptop.inventory_number in pdf_text(stored.read())


def test_a_destruction_needs_the_certificate(english, manager, head, make_asset, series):
    asset = make_asset(name="Monitor Samsung")
    disposal = make_approved(manager, head, asset, Disposal.Method.DESTRUCTION)
    english.force_login(manager)
    data = {"act-disposed_on": timezone.localdate().isoformat(), "act-recipient": "Kuusakoski AS"}
    response = english.post(url("disposal-complete", disposal), data)
    assert response.status_code == 200
    assert response.context["complete_form"].errors["certificate_number"] == [
        "Give the number of the recycler's certificate."
    ]
    assert 'value="Kuusakoski AS"' in response.text  # what was typed is kept
    disposal.refresh_from_db()
    assert disposal.status == Status.APPROVED
    english.post(url("disposal-complete", disposal), {**data, "act-certificate_number": "HV-77"})
    disposal.refresh_from_db()
    assert (disposal.status, disposal.certificate_number) == (Status.DONE, "HV-77")


def test_a_sale_needs_its_price(english, manager, head, make_asset, series):
    asset = make_asset(name="Auto Škoda Octavia")
    disposal = make_approved(manager, head, asset, Disposal.Method.SALE)
    english.force_login(manager)
    data = {"act-disposed_on": timezone.localdate().isoformat(), "act-recipient": "Jaan Ostja"}
    response = english.post(url("disposal-complete", disposal), data)
    assert response.context["complete_form"].errors["sale_price"] == ["Give the sale price."]
    english.post(url("disposal-complete", disposal), {**data, "act-sale_price": "3 200,00"})
    disposal.refresh_from_db()
    assert (disposal.status, disposal.sale_price) == (Status.DONE, Decimal("3200.00"))
    act = english.get(url("disposal-act", disposal))
    assert "Jaan Ostja" in pdf_text(b"".join(act.streaming_content))


def test_the_act_date_cannot_be_in_the_future(english, manager, approved, series):
    english.force_login(manager)
    tomorrow = timezone.localdate() + timedelta(days=1)
    response = english.post(
        url("disposal-complete", approved),
        {"act-disposed_on": tomorrow.isoformat(), "act-recipient": "Keegi"},
    )
    assert response.context["complete_form"].errors["disposed_on"] == [
        "The date cannot be in the future."
    ]


def test_no_act_before_the_approval(english, manager, proposal, series):
    english.force_login(manager)
    page = english.get(url("disposal-detail", proposal))
    assert 'name="act-recipient"' not in page.text
    response = english.post(
        url("disposal-complete", proposal),
        {"act-disposed_on": timezone.localdate().isoformat(), "act-recipient": "Keegi"},
    )
    assert "The disposal needs the head&#x27;s approval first." in response.text
    proposal.refresh_from_db()
    assert proposal.status == Status.PROPOSED
    assert english.get(url("disposal-act", proposal)).status_code == 404


# --- The list -----------------------------------------------------------------------------------


def test_the_list_shows_what_waits_first_and_filters_by_status(
    english, manager, head, make_asset, series
):
    done_asset, approved_asset, waiting_asset = (
        make_asset(name="Valmis"),
        make_asset(name="Kinnitatud"),
        make_asset(name="Ootel"),
    )
    done = make_approved(manager, head, done_asset, Disposal.Method.WRITE_OFF)
    services.disposal_complete(
        actor=manager, disposal=done, disposed_on=timezone.localdate(), recipient="Keegi"
    )
    approved = make_approved(manager, head, approved_asset, Disposal.Method.WRITE_OFF)
    waiting = services.disposal_propose(
        actor=manager, asset=waiting_asset, method="write_off", reason="Vana."
    )
    english.force_login(head)
    response = english.get(LIST)
    assert list(response.context["disposals"]) == [waiting, approved, done]
    links = {link["key"]: link["count"] for link in response.context["status_links"]}
    assert links == {"proposed": 1, "approved": 1, "refused": 0, "done": 1, "all": 3}
    filtered = english.get(LIST, {"status": "proposed"})
    assert list(filtered.context["disposals"]) == [waiting]
    assert "Waiting for approval" in filtered.text


def test_the_list_runs_the_same_queries_with_many_disposals(
    english, manager, make_asset, django_assert_max_num_queries
):
    services.disposal_propose(
        actor=manager, asset=make_asset(name="Esimene"), method="write_off", reason="Vana."
    )
    english.force_login(manager)
    with django_assert_max_num_queries(12) as first:
        english.get(LIST)
    for number in range(30):
        services.disposal_propose(
            actor=manager, asset=make_asset(name=f"Tool {number}"), method="sale", reason="Üle."
        )
    with django_assert_max_num_queries(len(first.captured_queries)):
        response = english.get(LIST)
    assert len(response.context["disposals"]) == 25
