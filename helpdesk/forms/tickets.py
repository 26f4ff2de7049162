"""The forms of the staff's ticket pages: a new ticket, and the small forms on a ticket's page
(answer, note, assign, what the ticket is about).

Each form only parses input; the rules are in helpdesk.services, whose ValidationErrors the views
put next to the fields. Every form on the ticket's page has its own prefix, so the page can hold
all of them at once.
"""

from __future__ import annotations

import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from core.choices import capitalised
from core.uploads import MultipleFileField
from helpdesk import services
from helpdesk.models import LANGUAGES, Category, Priority, TicketChannel
from mtr.models import TRACKING_LENGTH, Application
from registry.models import Document

FILE_HELP = _("PDF, DOCX, ODT, XLSX, ODS, images, text or e-mails (.eml).")
_NOT_CODE = re.compile(r"[\s-]+")

# How a ticket a member of staff enters may have come in (the web form makes its own).
STAFF_CHANNELS = [
    (value, capfirst(label)) for value, label in TicketChannel.choices if value != "web"
]


def ticket_files_field(**kwargs) -> MultipleFileField:
    return MultipleFileField(
        label=kwargs.pop("label", _("Files")),
        allowed=services.TICKET_FILE_KINDS,
        required=False,
        help_text=FILE_HELP,
        **kwargs,
    )


class TicketForm(forms.Form):
    """A ticket entered by staff: a call, a visit or an e-mail to a colleague's own address."""

    requester_email = forms.EmailField(
        label=_("Requester's e-mail"),
        required=False,
        help_text=_("Answers are e-mailed here. Leave empty for a caller who gave none."),
    )
    requester_name = forms.CharField(label=_("Requester's name"), max_length=255, required=False)
    requester_phone = forms.CharField(label=_("Requester's phone"), max_length=40, required=False)
    registry_code = forms.CharField(
        label=_("Registry code"),
        max_length=8,
        required=False,
        help_text=_("Of the business the question is about, if any."),
    )
    subject = forms.CharField(label=_("Subject"), max_length=255)
    body = forms.CharField(
        label=_("Question"),
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("What the requester asked, in their words."),
    )
    category = forms.ChoiceField(
        label=_("Category"), choices=capitalised(Category.choices), initial=Category.OTHER
    )
    priority = forms.ChoiceField(
        label=_("Priority"), choices=capitalised(Priority.choices), initial=Priority.NORMAL
    )
    channel = forms.ChoiceField(
        label=_("Came in by"), choices=STAFF_CHANNELS, initial=TicketChannel.PHONE
    )
    language = forms.ChoiceField(
        label=_("Language of the requester"),
        choices=LANGUAGES,
        initial="et",
        help_text=_("Answers and e-mails to the requester are written in it."),
    )
    files = ticket_files_field()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["requester_email"].widget.attrs["autocomplete"] = "off"
        self.fields["registry_code"].widget.attrs.update(inputmode="numeric", autocomplete="off")
        self.fields["requester_phone"].widget.attrs.update(type="tel", autocomplete="off")

    def create_arguments(self) -> dict:
        return dict(self.cleaned_data)


class ReplyForm(forms.Form):
    """The answer to the requester. Its buttons say what happens next (``then``); the "Insert"
    button puts the chosen knowledge-base article's text into the answer instead of sending."""

    prefix = "reply"
    THEN = [
        ("open", _("Send")),
        ("wait", _("Send and wait for the requester")),
        ("resolve", _("Send and resolve")),
    ]

    article = forms.TypedChoiceField(
        label=_("Canned answer"),
        required=False,
        coerce=int,
        empty_value=None,
        help_text=_("An article of the knowledge base, in the requester's language."),
    )
    body = forms.CharField(
        label=_("Answer"),
        max_length=20000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 8}),
    )
    files = ticket_files_field()
    then = forms.ChoiceField(choices=THEN, required=False, widget=forms.HiddenInput)

    def __init__(self, *args, articles=(), **kwargs):
        super().__init__(*args, **kwargs)
        groups: dict[str, list] = {}
        self.articles = {article.pk: article for article in articles}
        for article in articles:
            label = article.title
            if not article.is_public:
                label = f"{label} ({_('internal')})"
            groups.setdefault(article.get_category_display(), []).append((article.pk, label))
        self.fields["article"].choices = [
            ("", _("— choose an article —")),
            *((capfirst(category), items) for category, items in groups.items()),
        ]
        field_id = self.auto_id % self.add_prefix("article")
        self.fields["article"].widget.attrs.update(
            {"class": "form-select", "aria-describedby": f"{field_id}_helptext"}
        )

    def _post_clean(self):
        super()._post_clean()
        if "article" in self.errors:  # the page draws this field itself, next to its button
            field_id = self.auto_id % self.add_prefix("article")
            self.fields["article"].widget.attrs.update(
                {
                    "class": "form-select is-invalid",
                    "aria-invalid": "true",
                    "aria-describedby": f"{field_id}_helptext {field_id}_error",
                }
            )

    @property
    def inserting(self) -> bool:
        return bool(self.data.get(self.add_prefix("insert")))

    def clean_article(self):
        pk = self.cleaned_data.get("article")
        return self.articles.get(pk) if pk is not None else None

    def clean(self):
        data = super().clean()
        if self.inserting:
            if not data.get("article") and "article" not in self.errors:
                self.add_error("article", _("Choose the article to insert."))
            return data
        if not (data.get("body") or "").strip() and "body" not in self.errors:
            self.add_error("body", _("Write the answer."))
        if not data.get("then"):
            data["then"] = "open"
        return data


class NoteForm(forms.Form):
    prefix = "note"

    body = forms.CharField(
        label=_("Internal note"),
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Only staff see it; nothing is sent to the requester."),
    )


class AssignForm(forms.Form):
    prefix = "assign"

    assignee = forms.ModelChoiceField(label=_("Assign to"), queryset=None)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assignee"].queryset = services.specialists()


def normalised_tracking_code(text: str) -> str:
    return _NOT_CODE.sub("", text or "").upper()


class UpdateForm(forms.Form):
    """What the ticket is about: its category and priority, and the document of the register or
    the MTR application it concerns (given by number or code; empty removes the link)."""

    prefix = "update"

    category = forms.ChoiceField(label=_("Category"), choices=capitalised(Category.choices))
    priority = forms.ChoiceField(
        label=_("Priority"),
        choices=capitalised(Priority.choices),
        help_text=_("A new priority sets new due times."),
    )
    document = forms.CharField(
        label=_("Document in the register"),
        max_length=40,
        required=False,
        help_text=_("Its register number, e.g. 1-2/26-14. Empty: no document."),
    )
    application = forms.CharField(
        label=_("MTR application"),
        max_length=20,
        required=False,
        help_text=_("Its tracking code, e.g. ABCD-EFGH-JKLM. Empty: no application."),
    )

    def __init__(self, *args, user, ticket=None, **kwargs):
        if ticket is not None and not args and "data" not in kwargs:
            kwargs.setdefault(
                "initial",
                {
                    "category": ticket.category,
                    "priority": ticket.priority,
                    "document": ticket.document.number if ticket.document else "",
                    "application": ticket.application.tracking_code_display
                    if ticket.application
                    else "",
                },
            )
        super().__init__(*args, **kwargs)
        self.user = user
        self.ticket = ticket
        for name in ("document", "application"):
            self.fields[name].widget.attrs.update(autocomplete="off", spellcheck="false")

    def clean_document(self):
        number = " ".join((self.cleaned_data.get("document") or "").split())
        if not number:
            return None
        current = self.ticket.document if self.ticket is not None else None
        if current is not None and current.number == number:
            return current  # kept as it is (also when this user may not open it)
        document = Document.objects.visible_to(self.user).filter(number=number).first()
        if document is None:
            raise ValidationError(
                _("No document %(number)s in the register."), params={"number": number}
            )
        return document

    def clean_application(self):
        text = (self.cleaned_data.get("application") or "").strip()
        if not text:
            return None
        code = normalised_tracking_code(text)
        current = self.ticket.application if self.ticket is not None else None
        if current is not None and current.tracking_code == code:
            return current
        application = None
        if len(code) == TRACKING_LENGTH and self.user.has_perm("mtr.view_application"):
            application = Application.objects.filter(tracking_code=code).first()
        if application is None:
            raise ValidationError(
                _("No MTR application with the tracking code %(code)s."), params={"code": text}
            )
        return application
