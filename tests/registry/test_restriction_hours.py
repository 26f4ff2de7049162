"""A restriction is in force from the moment a document exists, whatever the hour or day.

A document received at night, at a weekend or on a public holiday is registered on the next
working day (DOMAIN.md); its restriction used to start on that day too, so until then its title
was in the public list, search, CSV export and feed, its file downloadable anonymously, and every
member of staff could open it (issue 13). Here a restricted document is registered at every hour
of a week with Christmas in it (a shortened day, three holidays, a weekend) and at the turn of
the year, and at that very moment every way in is tried: the public list, its search, the CSV
export, the Atom feed, the public page and file, and the staff list, search, export and page of a
colleague who may not see it, and of a superuser without a role that grants it."""

from __future__ import annotations

import io
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfWriter

from core import roles
from registry import services
from registry.models import Attachment, Channel, Document, DocumentType
from registry.services.restrictions import _restriction_limit_years
from tests.factories import PartyFactory, RestrictionBasisFactory, SeriesFactory, UserFactory

TALLINN = ZoneInfo("Europe/Tallinn")
# Monday 21 December 2026 to Sunday 27 December: 23 December is a shortened day, 24–26 are
# public holidays, 26–27 a weekend.
DAYS = [datetime(2026, 12, 21 + day, tzinfo=TALLINN) for day in range(7)]
# New Year's Eve and Day, Good Friday and Easter, Midsummer.
EXTRA = [
    datetime(2026, 12, 31, 23, 59, tzinfo=TALLINN),
    datetime(2027, 1, 1, 0, 1, tzinfo=TALLINN),
    datetime(2027, 3, 26, 12, 0, tzinfo=TALLINN),
    datetime(2027, 3, 28, 18, 30, tzinfo=TALLINN),
    datetime(2027, 6, 23, 21, 0, tzinfo=TALLINN),
]
SECRET = "Salajaneekspertiis"  # one word: a search for it must find nothing
PARTY = "Varjatudpartner"
FILE = "varjatudtoimik"


def _pdf(name: str) -> SimpleUploadedFile:
    buffer = io.BytesIO()
    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    writer.write(buffer)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="application/pdf")


def _text(response) -> str:
    if hasattr(response, "streaming_content"):
        return b"".join(response.streaming_content).decode("utf-8", "replace")
    return response.content.decode("utf-8", "replace")


def _no_secret(response, *, where: str, moment: datetime) -> None:
    text = _text(response).lower()
    for secret in (SECRET, PARTY, FILE):
        assert secret.lower() not in text, f"{secret} leaked: {where}, {moment:%a %d.%m.%Y %H:%M}"


@pytest.mark.slow
@pytest.mark.django_db
@pytest.mark.parametrize(
    "moments",
    [[day + timedelta(hours=hour) for hour in range(24)] for day in DAYS] + [EXTRA],
    ids=[f"{day:%a-%d.%m}" for day in DAYS] + ["new-year-easter-midsummer"],
)
def test_a_restricted_document_is_never_shown_at_any_hour(settings, moments):
    settings.RATELIMIT_ENABLE = False
    advisor = UserFactory(roles=[roles.ADVISOR], username="advisor")
    colleague = UserFactory(roles=[roles.CLERK], username="colleague")
    superuser = UserFactory(roles=[], username="root", is_superuser=True, is_staff=True)
    series = SeriesFactory(code="1-2", title="Kirjavahetus")
    basis = RestrictionBasisFactory()

    public, staff, root = Client(), Client(), Client()

    checked = 0
    for index, moment in enumerate(moments):
        with time_machine.travel(moment, tick=False):
            today = timezone.localdate()
            staff.force_login(colleague)  # sessions last 12 hours: sign in at each moment
            root.force_login(superuser)
            document = services.document_register(
                actor=advisor,
                series=series,
                doc_type=DocumentType.LETTER,
                channel=Channel.EMAIL,
                title=f"{SECRET} nr {index}",
                received_on=today,
                sender=PartyFactory(name=f"{PARTY} {index}"),
                restriction_basis=basis,
                files=[_pdf(f"{FILE}-{index}.pdf")],
                public_files=True,
            )
            attachment = Attachment.objects.get(document=document)
            assert Document.objects.restricted().filter(pk=document.pk).exists(), moment
            assert not Document.objects.public().filter(pk=document.pk).exists(), moment

            # The public register: list, search, export, feed, the page and the file.
            listed = public.get(reverse("registry:public-list"))
            assert listed.status_code == 200
            assert document.number in _text(listed)  # it is listed, by its number alone
            _no_secret(listed, where="the public list", moment=moment)
            searched = public.get(reverse("registry:public-list"), {"q": SECRET.lower()})
            assert document.number not in _text(searched), moment
            by_party = public.get(reverse("registry:public-list"), {"party": PARTY})
            assert document.number not in _text(by_party), moment
            _no_secret(
                public.get(reverse("registry:public-export")), where="the CSV export", moment=moment
            )
            _no_secret(public.get(reverse("registry:public-feed")), where="the feed", moment=moment)
            page = public.get(reverse("registry:public-detail", args=[document.public_code]))
            assert page.status_code == 200
            _no_secret(page, where="the public page", moment=moment)
            file_url = reverse(
                "registry:public-file", args=[document.public_code, attachment.public_code]
            )
            assert public.get(file_url).status_code == 404, moment

            # Staff who may not see it, and a superuser whom no role grants it.
            for who, client in (("a colleague", staff), ("a superuser", root)):
                detail = reverse("registry:document-detail", args=[document.pk])
                assert client.get(detail).status_code == 404, (who, moment)
                download = reverse(
                    "registry:attachment-download", args=[document.pk, attachment.pk]
                )
                assert client.get(download).status_code == 404, (who, moment)
                found = client.get(reverse("registry:document-list"), {"q": SECRET.lower()})
                assert document.number not in _text(found), (who, moment)
            _no_secret(
                staff.get(reverse("registry:document-list")),
                where="a colleague's document list",
                moment=moment,
            )
            _no_secret(
                staff.get(reverse("registry:document-export")),
                where="a colleague's export",
                moment=moment,
            )
            checked += 1
    assert checked == len(moments)


@pytest.mark.django_db
def test_the_restriction_counts_from_receipt_not_from_registration(make_document, basis):
    """Received on a Saturday, registered on Monday: the term counts from the Saturday."""
    with time_machine.travel(datetime(2026, 12, 5, 22, 0, tzinfo=TALLINN), tick=False):
        document = make_document(received_on=timezone.localdate(), restriction_basis=basis)
    assert document.registered_on.isoformat() == "2026-12-07"
    assert document.restriction_start.isoformat() == "2026-12-05"
    years = _restriction_limit_years(basis)
    assert document.restriction_end.isoformat() == f"{2026 + years}-12-05"


@pytest.mark.django_db
def test_a_superuser_sees_restricted_documents_only_through_a_role(make_document, basis):
    document = make_document(restriction_basis=basis)
    open_one = make_document(title="Avalik kiri")
    bare = UserFactory(roles=[], username="root", is_superuser=True, is_staff=True)
    advisor_root = UserFactory(roles=[roles.ADVISOR], username="root2", is_superuser=True)

    assert list(Document.objects.visible_to(bare)) == [open_one]
    assert Document.objects.visible_to(advisor_root).filter(pk=document.pk).exists()
