"""Generated volume of outgoing mail (``manage.py generate_volume``): letters for replies the
register's volume holds, each with the reply's number (a letter is the reply document's text,
``correspondence.services`` gives it the document's number), sent, its PDF made, and a dispatch
to the recipient. Runs after the register's volume (the app order of INSTALLED_APPS)."""

from __future__ import annotations

import random
from datetime import timedelta

from core import volume
from correspondence.models import Channel, Dispatch, Letter
from registry.models import Document, DocumentType, Party

OPTIONS = [("letters", 50_000, "outgoing letters (for generated replies)")]
GREETING = "Lugupeetud {name}\n\nVastuseks Teie pöördumisele teatame järgmist.\n\n"
CLOSING = "\n\nLugupidamisega\n\nKadri Õunapuu\nosakonnajuhataja"


def generate(counts: dict[str, int], rng: random.Random, log: volume.Log) -> None:
    replies = list(
        Document.objects.filter(doc_type=DocumentType.REPLY, letter__isnull=True)
        .exclude(recipient=None)
        .exclude(responsible=None)
        .order_by("pk")
        .values_list(
            "pk", "number", "title", "in_reply_to_id", "responsible_id", "registered_at",
            "recipient_id",
        )
    )  # fmt: skip
    chosen = rng.sample(replies, min(counts["letters"], len(replies)))
    chosen.sort()
    parties = {
        p[0]: p
        for p in Party.objects.filter(pk__in={row[6] for row in chosen}).values_list(
            "pk", "name", "address", "email"
        )
    }
    texts = [volume.paragraph(rng, rng.randint(20, 60)) for _ in range(500)]
    pdf = volume.store_file("letters", volume.sample_pdf("Kantselei: letter"))
    first = volume.reserve_ids(Letter, len(chosen))
    columns = [
        "id", "document_id", "number", "in_reply_to_id", "language", "subject", "body",
        "signer_id", "status", "pdf", "pdf_status", "created_by_id", "created", "sent_at",
    ]  # fmt: skip
    dispatches = []
    with volume.Copy(Letter, columns) as copy:
        for offset, (pk, number, title, reply_to, signer, at, recipient) in enumerate(chosen):
            party = parties[recipient]
            body = GREETING.format(name=party[1]) + " ".join(rng.choices(texts, k=3)) + CLOSING
            sent_at = at + timedelta(minutes=rng.randint(5, 120))
            copy.write(
                (
                    first + offset, pk, number, reply_to, "et", title, body, signer,
                    Letter.Status.SENT, pdf, "ready", signer, at, sent_at,
                )
            )  # fmt: skip
            channel = Channel.EMAIL if party[3] and rng.random() < 0.5 else Channel.DHX
            dispatches.append((first + offset, party, channel, sent_at))
    _dispatches(dispatches)
    log(f"{len(chosen):,} letters with their dispatches")
    volume.analyze(Letter, Dispatch)


def _dispatches(dispatches) -> None:
    """Each letter's one copy: an e-mail (sent) or DHX (delivered the day it was sent)."""
    columns = ["letter_id", "party_id", "name", "address", "email", "channel", "status"]
    columns += ["sent_at", "delivered_on"]
    with volume.Copy(Dispatch, columns) as copy:
        for letter, party, channel, sent_at in dispatches:
            delivered = sent_at.date() if channel == Channel.DHX else None
            status = Dispatch.Status.DELIVERED if delivered else Dispatch.Status.SENT
            copy.write(
                (
                    letter,
                    party[0],
                    party[1],
                    party[2],
                    party[3],
                    channel,
                    status,
                    sent_at,
                    delivered,
                )
            )
