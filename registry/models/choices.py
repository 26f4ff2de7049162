"""A document's type, channel and direction."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class DocumentType(models.TextChoices):
    LETTER = "letter", _("letter")
    EMAIL = "email", _("e-mail")
    INFORMATION_REQUEST = "information_request", _("information request")
    MEMORANDUM = "memorandum", _("memorandum")
    REQUEST_FOR_EXPLANATION = "request_for_explanation", _("request for explanation")
    APPLICATION = "application", _("application")
    INVOICE = "invoice", _("invoice")
    CONTRACT = "contract", _("contract")
    PARCEL = "parcel", _("parcel")
    REPLY = "reply", _("reply")
    OTHER = "other", _("other document")


class Channel(models.TextChoices):
    POST = "post", _("post")
    EMAIL = "email", _("e-mail")
    HAND = "hand", _("hand delivery")
    DHX = "dhx", _("document exchange (DHX)")
    WEB = "web", _("web form")
    COURIER = "courier", _("courier")
    INTERNAL = "internal", _("made in the agency")


#: How a document can arrive or leave: every channel but an internal document's own.
DELIVERY_CHANNELS = [(value, label) for value, label in Channel.choices if value != "internal"]


class Direction(models.TextChoices):
    INCOMING = "in", _("incoming")
    OUTGOING = "out", _("outgoing")
    # Made and kept in the agency (an act, an order, a memo): neither received nor sent.
    INTERNAL = "int", _("internal")
