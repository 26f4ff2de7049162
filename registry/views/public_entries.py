"""What the public register shows of a document (AvTS § 28 and § 12 (4¹)): an entry with its
withheld parts replaced by the reason (a private person's name, a restricted title), its files
that are published, and the documents linked to it."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from registry.models import Direction, Document


@dataclass(frozen=True)
class LinkedEntry:
    """Another document named on a detail page: its number is public whatever its restriction."""

    code: str
    number: str
    registered_on: date

    @property
    def url(self) -> str:
        return reverse("registry:public-detail", args=[self.code])


@dataclass(frozen=True)
class PublicFile:
    document_code: str
    code: str
    name: str
    kind: str
    size: int

    @property
    def url(self) -> str:
        return reverse("registry:public-file", args=[self.document_code, self.code])


@dataclass(frozen=True)
class PublicEntry:
    """A document as the public register shows it. A restricted entry has no title, parties,
    series, sender's number, links or files: they are never read from the document."""

    code: str
    number: str
    registered_on: date
    type_label: str
    restricted: bool
    restriction_basis: str = ""
    title: str = ""
    direction_label: str = ""
    party_label: str = ""
    party: str = ""
    series: str = ""
    channel_label: str = ""
    sender_reference: str = ""
    sender_date: date | None = None
    in_reply_to: LinkedEntry | None = None
    parent: LinkedEntry | None = None
    replies: tuple[LinkedEntry, ...] = ()
    follow_ups: tuple[LinkedEntry, ...] = ()
    files: tuple[PublicFile, ...] = field(default=())

    @property
    def url(self) -> str:
        return reverse("registry:public-detail", args=[self.code])

    @property
    def heading(self) -> str:
        """The title, or for a restricted document the restriction in its place."""
        if self.restricted:
            return _("Access restricted: %(basis)s") % {"basis": self.restriction_basis}
        return self.title


def _linked(document: Document | None) -> LinkedEntry | None:
    if document is None:
        return None
    return LinkedEntry(document.public_code, document.number, document.registered_on)


def entry_for(document: Document, *, today: date, detail: bool = False) -> PublicEntry:
    """The public view of ``document`` on ``today``. ``detail`` adds links and public files
    (the caller prefetched ``public_replies``, ``public_follow_ups`` and ``public_files``)."""
    common = {
        "code": document.public_code,
        "number": document.number,
        "registered_on": document.registered_on,
        "type_label": document.get_doc_type_display(),
    }
    if document.is_restricted(today):
        return PublicEntry(
            **common, restricted=True, restriction_basis=document.restriction_basis.title
        )
    outgoing = document.direction == Direction.OUTGOING
    party = document.recipient if outgoing else document.sender
    sender_is_private = document.sender is None or document.sender.is_private_person
    entry = {
        **common,
        "restricted": False,
        "title": document.title,
        "direction_label": document.get_direction_display(),
        "party_label": pgettext("public register", "Recipient")
        if outgoing
        else pgettext("public register", "Sender"),
        "party": party.public_name if party is not None else "",
        "series": f"{document.series.code} {document.series.title}",
        "channel_label": document.get_channel_display(),
    }
    if detail:
        if not outgoing and not sender_is_private:  # a person's own reference is theirs
            entry["sender_reference"] = document.sender_reference
            entry["sender_date"] = document.sender_date
        entry["in_reply_to"] = _linked(document.in_reply_to)
        entry["parent"] = _linked(document.parent)
        entry["replies"] = tuple(_linked(d) for d in document.public_replies)
        entry["follow_ups"] = tuple(_linked(d) for d in document.public_follow_ups)
        entry["files"] = tuple(
            PublicFile(document.public_code, a.public_code, a.name, a.kind, a.size)
            for a in document.public_files
        )
    return PublicEntry(**entry)
