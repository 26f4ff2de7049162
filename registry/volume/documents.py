"""Generated documents of one series at a time: made, sorted by the moment of registration,
numbered, then written with their parcels, files and timelines (see ``registry.volume``)."""

from __future__ import annotations

import hashlib
import random
from datetime import date, datetime, timedelta

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.contrib.contenttypes.models import ContentType

from core import volume
from core.models import Event, User
from registry import deadlines, search
from registry.models import (
    Attachment,
    Channel,
    Direction,
    Document,
    Parcel,
    RestrictionBasis,
    Series,
)
from registry.verbs import Verb
from registry.volume.words import (
    CARRIERS,
    CLOSE_REASONS,
    OWN_SERIES,
    SERIES_TYPES,
    SERIES_WEIGHTS,
    WITHHELD_REASONS,
    T,
    _channel,
    _reference,
    _title,
)


class Staff:
    """The demo staff who register and handle the generated documents."""

    def __init__(self):
        users = {u.username: u for u in User.objects.filter(is_active=True)}
        self.clerks = [users[n] for n in ("mari", "mari", "mari", "liis") if n in users]
        self.handlers = [users[n] for n in ("mari", "liis", "jaan", "kadri") if n in users]
        self.handlers = self.handlers or self.clerks
        self.names = {u.pk: str(u) for u in users.values()}


class Documents:
    """Makes the documents series by series: each series' rows are made, sorted by the moment
    of registration, numbered, then written with their search vectors, parcels, files and
    events."""

    def __init__(self, counts, rng: random.Random, staff: Staff, parties, party_texts):
        self.rng = rng
        self.staff = staff
        self.parties = parties
        self.party_texts: dict[int, search.IndexParty] = party_texts
        self.terms: dict[str, bool] = {}  # the title vocabulary, written once at the end
        self.today = volume.today()
        self.days = volume.Days(volume.FIRST_DAY, self.today)
        self.total = counts["documents"]
        self.file_share = min(1.0, counts["attachments"] / max(1, counts["documents"]))
        self.series = list(Series.objects.select_related("default_restriction_basis"))
        self.personal = list(RestrictionBasis.objects.filter(is_personal_data=True))
        self.content_type = ContentType.objects.get_for_model(Document)
        self.events = 0
        self.files = 0
        self.texts = [volume.paragraph(rng, rng.randint(8, 20)) for _ in range(3000)]
        self.pdf = volume.sample_pdf("Kantselei: generated document")
        self.pdf_name = None

    def write_all(self, log: volume.Log) -> list[int]:
        weights = [SERIES_WEIGHTS.get(s.code, 1.0) for s in self.series]
        ids: list[int] = []
        for series, count in zip(self.series, volume.split(self.total, weights), strict=True):
            if count:
                ids += self._series(series, count)
        search.write_title_terms(self.terms)
        return ids

    # One series --------------------------------------------------------------------------------

    def _series(self, series: Series, count: int) -> list[int]:
        rng = self.rng
        rows: list[dict] = []
        while len(rows) < count:  # replies count among the series' documents
            row = self._document(series, self.days.one(rng))
            rows.append(row)
            reply = self._maybe_reply(row) if len(rows) < count else None
            if reply is not None:
                rows.append(reply)
        # The number follows the moment of registration, as the counter hands them out.
        rows.sort(key=lambda r: r["registered_at"])
        first = volume.reserve_ids(Document, len(rows))
        counters: dict[int, int] = {}
        for offset, row in enumerate(rows):
            row["id"] = first + offset
            year = row["registered_on"].year
            if year not in counters:
                counters[year] = volume.counter_last(f"registry:{series.code}", year)
            counters[year] += 1
            row["year"], row["sequence"] = year, counters[year]
            row["number"] = f"{series.code}/{year % 100:02d}-{counters[year]:03d}"
        self._write(rows)
        volume.counters_set({(f"registry:{series.code}", y): n for y, n in counters.items()})
        return [row["id"] for row in rows]

    def _document(self, series: Series, received_on: date) -> dict:
        rng = self.rng
        doc_type = rng.choice(SERIES_TYPES.get(series.code, [T.LETTER]))
        own = series.code in OWN_SERIES
        registered_on = received_on if own else volume.registration_day(received_on)
        if registered_on > self.today:  # received on today's day off: registered on it too
            registered_on = received_on
        private = not own and doc_type not in (T.INVOICE, T.PARCEL) and rng.random() < 0.3
        kind = "person" if private else ("agency" if rng.random() < 0.2 else "company")
        party = rng.choice(self.parties[kind] or self.parties["company"] or self.parties["person"])
        row = {
            "series": series,
            "direction": Direction.OUTGOING if own else Direction.INCOMING,
            "doc_type": doc_type,
            "channel": _channel(rng, doc_type),
            "title": _title(rng, doc_type),
            "sender_id": None if own else party,
            "recipient_id": party if own and rng.random() < 0.5 else None,
            "sender_reference": "" if private or own else _reference(rng),
            "sender_date": None
            if private or own
            else received_on - timedelta(days=rng.choice((0, 0, 1, 1, 2, 3, 5))),
            "received_on": received_on,
            "registered_on": registered_on,
            "registered_at": volume.moment(rng, registered_on),
            "registered_by_id": rng.choice(self.staff.clerks).pk,
            "responsible_id": None,
            "status": Document.Status.NO_ACTION if own else Document.Status.OPEN,
            "deadline": None,
            "closed_on": None,
            "close_reason": "",
            "in_reply_to_id": None,
            "private": private,
            "events": [],
        }
        if not own:
            deadline = deadlines.initial_deadline(doc_type, registered_on=registered_on)
            if deadline is None and doc_type == T.LETTER and rng.random() < 0.3:
                deadline = volume.add_working_days(received_on, 10)
            row["deadline"] = deadline
            if deadline is not None or rng.random() < 0.6:
                row["responsible_id"] = rng.choice(self.staff.handlers).pk
        self._restrict(row, series)
        old = (self.today - registered_on).days > 20
        if not own and row["deadline"] is None and old and rng.random() < 0.7:
            self._close(row)
        return row

    def _restrict(self, row: dict, series: Series, basis=None) -> None:
        if basis is None:
            basis = series.default_restriction_basis
            if basis is None and row["private"] and self.personal and self.rng.random() < 0.05:
                basis = self.rng.choice(self.personal)
        if basis is None:
            row["restriction_basis"] = None
            return
        years = (
            settings.REGISTRY_RESTRICTION_PERSONAL_DATA_MAX_YEARS
            if basis.is_personal_data
            else settings.REGISTRY_RESTRICTION_MAX_YEARS
        )
        row["restriction_basis"] = basis
        row["restriction_start"] = row["received_on"]
        row["restriction_end"] = row["received_on"] + relativedelta(years=years)

    def _close(self, row: dict) -> None:
        rng = self.rng
        closed_on = row["registered_on"] + timedelta(days=rng.randint(1, 20))
        closed_on = min(closed_on, self.today)
        row["status"] = Document.Status.CLOSED
        row["closed_on"] = closed_on
        row["close_reason"] = rng.choice(CLOSE_REASONS)
        row["events"].append(
            (Verb.CLOSED, volume.moment(rng, closed_on), {"reason": row["close_reason"]})
        )

    def _maybe_reply(self, row: dict) -> dict | None:
        """Most documents with a deadline are answered by a registered reply before it; some are
        closed another way; the rest stay open (the recent ones, and a few overdue)."""
        rng = self.rng
        deadline = row["deadline"]
        if deadline is None:
            return None
        registered_on = row["registered_on"]
        age = (self.today - registered_on).days
        roll = rng.random()
        if age < 3 or (deadline >= self.today and roll < 0.5):
            return None
        if roll > 0.9:
            if roll > 0.97:
                return None  # still open: overdue
            self._close(row)
            return None
        last = min(deadline, self.today)
        sent_on = registered_on + timedelta(
            days=rng.randint(0, max(0, (last - registered_on).days))
        )
        reply_on = volume.registration_day(sent_on)
        if reply_on > self.today:
            reply_on = sent_on
        actor = row["responsible_id"] or rng.choice(self.staff.handlers).pk
        reply = {
            **row,
            "direction": Direction.OUTGOING,
            "doc_type": T.REPLY,
            "channel": Channel.EMAIL if rng.random() < 0.7 else Channel.DHX,
            "title": f"Vastus: {row['title']}"[:500],
            "sender_id": None,
            "recipient_id": row["sender_id"],
            "sender_reference": "",
            "sender_date": None,
            "received_on": sent_on,
            "registered_on": reply_on,
            "registered_at": max(volume.moment(rng, reply_on), row["registered_at"]),
            "registered_by_id": actor,
            "responsible_id": actor,
            "status": Document.Status.NO_ACTION,
            "deadline": None,
            "closed_on": None,
            "close_reason": "",
            "in_reply_to": row,
            "events": [],
        }
        # The reply keeps the original's restriction while it is in force (document_register_reply).
        basis = row["restriction_basis"]
        if basis is not None and row["restriction_end"] >= sent_on:
            reply["restriction_start"] = sent_on
            reply["restriction_end"] = row["restriction_end"]
        else:
            reply["restriction_basis"] = None
        row["status"] = Document.Status.ANSWERED
        row["closed_on"] = reply_on
        row["reply"] = reply
        return reply

    # Writing -----------------------------------------------------------------------------------

    def _write(self, rows: list[dict]) -> None:
        """The documents with their vectors, then their parcels, files and events. The parcels
        and files are made first: a document's vectors hold its parcel's carrier and code and
        its files' text, and its row is written once, vectors and all."""
        rng = self.rng
        parcels = [row for row in rows if row["doc_type"] == T.PARCEL]
        for row in parcels:
            self._make_parcel(row)
        with_files = [row for row in rows if rng.random() < self.file_share]
        for row in with_files:
            self._make_file(row)
        columns = [
            "id", "number", "series_id", "year", "sequence", "direction", "doc_type", "channel",
            "title", "sender_id", "recipient_id", "sender_reference", "sender_date",
            "received_on", "registered_on", "registered_at", "registered_by_id",
            "responsible_id", "status", "deadline", "initial_deadline", "closed_on",
            "close_reason", "restriction_basis_id", "restriction_start", "restriction_end",
            "restriction_expiry_recorded", "in_reply_to_id",
        ]  # fmt: skip
        vectors = search.vector_sql("stage")
        with volume.Copy(Document, columns, computed=vectors, inputs=search.TEXT_COLUMNS) as copy:
            for row in rows:
                basis = row["restriction_basis"]
                expired = basis is not None and row["restriction_end"] < self.today
                reply_to = row.get("in_reply_to")
                copy.write(
                    (
                        row["id"], row["number"], row["series"].pk, row["year"], row["sequence"],
                        row["direction"], row["doc_type"], row["channel"], row["title"],
                        row["sender_id"], row["recipient_id"], row["sender_reference"],
                        row["sender_date"], row["received_on"], row["registered_on"],
                        row["registered_at"], row["registered_by_id"], row["responsible_id"],
                        row["status"], row["deadline"], row["deadline"], row["closed_on"],
                        row["close_reason"], basis.pk if basis else None,
                        row.get("restriction_start") if basis else None,
                        row.get("restriction_end") if basis else None,
                        expired, reply_to["id"] if reply_to else None,
                        *self._indexed_texts(row),
                    )
                )  # fmt: skip
        if parcels:
            self._parcels(parcels)
        if with_files:
            self._attachments(with_files)
        self._events(rows)

    def _indexed_texts(self, row: dict) -> list[str]:
        """What ``registry.search`` indexes of the row (the texts of ``bulk_refresh``, made by
        the same functions from the values about to be written); its title words join the
        vocabulary."""
        basis = row["restriction_basis"]
        parcel = row.get("parcel")
        index_row = search.IndexRow(
            id=row["id"],
            number=row["number"],
            title=row["title"],
            sender_reference=row["sender_reference"],
            notes="",
            restricted=search.is_restricted(
                basis.pk if basis else None, row.get("restriction_end"), None, self.today
            ),
            sender=self.party_texts.get(row["sender_id"]),
            recipient=self.party_texts.get(row["recipient_id"]),
            parcel=(parcel[0], parcel[1]) if parcel else None,
            files=[row["file"][:2]] if "file" in row else [],
        )
        search.title_terms([index_row], self.terms)
        return search.indexed_texts(index_row)

    def _make_parcel(self, row: dict) -> None:
        rng = self.rng
        handed = rng.choice(self.staff.handlers)
        handed_at = row["registered_at"] + timedelta(minutes=rng.randint(5, 240))
        carrier = rng.choice(CARRIERS)
        row["parcel"] = (carrier, f"CC{rng.randint(100000000, 999999999)}EE", handed, handed_at)

    def _parcels(self, rows: list[dict]) -> None:
        columns = ["document_id", "carrier", "tracking_code", "handed_to_id", "handed_at"]
        columns.append("receipt_signed_by")
        with volume.Copy(Parcel, columns) as copy:
            for row in rows:
                carrier, tracking_code, handed, handed_at = row["parcel"]
                name = self.staff.names[handed.pk]
                copy.write((row["id"], carrier, tracking_code, handed.pk, handed_at, name))

    def _make_file(self, row: dict) -> None:
        rng = self.rng
        name = f"{volume.slug(row['title'])[:60].strip('.')}.pdf"
        text = " ".join([row["title"], *rng.choices(self.texts, k=rng.randint(20, 120))])
        # Public unless a reason is written (AvTS § 12 (4¹)); a restricted document's files are
        # hidden by its restriction whatever their mark.
        withheld = rng.choice(WITHHELD_REASONS) if rng.random() < 0.2 else ""
        row["file"] = (name, text, withheld)

    def _attachments(self, rows: list[dict]) -> None:
        if self.pdf_name is None:
            self.pdf_name = volume.store_file("registry", self.pdf)
            self.pdf_digest = hashlib.sha256(self.pdf).hexdigest()
        columns = [
            "document_id", "file", "name", "kind", "content_type", "size", "sha256",
            "is_public", "withheld_reason", "text", "text_status", "ocr_status", "uploaded_by_id",
            "uploaded_at",
        ]  # fmt: skip
        with volume.Copy(Attachment, columns) as copy:
            for row in rows:
                name, text, withheld = row["file"]
                copy.write(
                    (
                        row["id"], self.pdf_name, name, "pdf", "application/pdf", len(self.pdf),
                        self.pdf_digest, not withheld, withheld, text, Attachment.TextStatus.DONE,
                        Attachment.OcrStatus.NONE, row["registered_by_id"], row["registered_at"],
                    )
                )  # fmt: skip
                row["events"].append((Verb.ATTACHMENT_ADDED, row["registered_at"], {"file": name}))
                self.files += 1

    def _events(self, rows: list[dict]) -> None:
        columns = ["created", "actor_id", "verb", "content_type_id", "object_id", "object_repr"]
        columns.append("data")
        content_type = self.content_type.pk
        with volume.Copy(Event, columns) as copy:
            for row in rows:
                number, pk, actor = row["number"], str(row["id"]), row["registered_by_id"]
                at = row["registered_at"]
                timeline = [
                    (at, actor, Verb.REGISTERED, {"number": number, "deadline": row["deadline"]})
                ]
                for verb, when, data in row["events"]:
                    timeline.append((when, actor, verb, data))
                basis = row["restriction_basis"]
                if basis is not None:
                    until = row["restriction_end"]
                    timeline.append(
                        (at, actor, Verb.RESTRICTION_SET, {"basis": str(basis), "until": until})
                    )
                    if until < self.today:
                        ended = datetime.combine(until + timedelta(days=1), at.timetz())
                        timeline.append((ended, None, Verb.RESTRICTION_EXPIRED, {"ended": until}))
                responsible = row["responsible_id"]
                if responsible is not None:
                    name = self.staff.names[responsible]
                    data = {"responsible": name, "responsible_id": responsible}
                    timeline.append((at, actor, Verb.ASSIGNED, data))
                reply = row.get("reply")
                if reply is not None:
                    timeline.append(
                        (reply["registered_at"], reply["registered_by_id"], Verb.REPLIED,
                         {"reply": reply["number"]})
                    )  # fmt: skip
                for when, by, verb, data in timeline:
                    copy.write((when, by, verb, content_type, pk, number, data))
                self.events += len(timeline)
