"""The public forms of the MTR: applying (two steps), looking up an application, answering a
request for missing data. No login; everything a visitor types is checked here, the rules of the
register in ``mtr.services``.

Step 1 (``ChoiceForm``, GET) picks what to do and the area (or the entry a change or termination
is about); step 2 (``ApplicationForm``, POST to the same URL with step 1's GET parameters) is the
whole application, its fields built from the area's extra data and required attachments.
"""

from __future__ import annotations

import uuid

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from core import submissions
from core.uploads import MultipleFileField, UploadField
from core.validators import validate_registry_code
from mtr import services
from mtr.models import ActivityArea, Application, Kind

PUBLIC_FILE_KINDS = ("pdf", "png", "jpeg")
ADDRESS_INPUTS = 3


class Action:
    NOTICE = "notice"
    LICENCE = "licence"
    CHANGE = "change"
    TERMINATION = "termination"

    CHOICES = [
        (NOTICE, _("File a new notice of economic activity")),
        (LICENCE, _("Apply for an activity licence")),
        (CHANGE, _("Change the data of an entry in the register")),
        (TERMINATION, _("End an entry in the register")),
    ]
    NEW = (NOTICE, LICENCE)
    TYPES = {
        NOTICE: Application.Type.NEW,
        LICENCE: Application.Type.NEW,
        CHANGE: Application.Type.CHANGE,
        TERMINATION: Application.Type.TERMINATION,
    }


def max_files() -> int:
    return getattr(settings, "MTR_MAX_FILES", 10)


def _upload_field(**kwargs) -> UploadField:
    return UploadField(allowed=PUBLIC_FILE_KINDS, max_bytes=settings.UPLOAD_MAX_BYTES, **kwargs)


def _multiple_upload_field(**kwargs) -> MultipleFileField:
    return MultipleFileField(
        allowed=PUBLIC_FILE_KINDS, max_bytes=settings.UPLOAD_MAX_BYTES, **kwargs
    )


FILE_HELP = _("PDF, PNG or JPEG, at most %(size)s MB each.")


def file_help() -> str:
    return FILE_HELP % {"size": settings.UPLOAD_MAX_BYTES // (1024 * 1024)}


def new_submission_key() -> str:
    """A fresh one-time key for an application form (``core.submissions``: signed, not made up)."""
    return submissions.new_key()


def read_submission_key(value: str) -> uuid.UUID | None:
    """The key a form was sent with, or None when it is missing, tampered with or too old."""
    return submissions.read_key(value)


# --- Step 1 -------------------------------------------------------------------------------------


class ChoiceForm(forms.Form):
    """What the applicant wants to do, and in which area or about which entry (GET)."""

    action = forms.ChoiceField(
        label=_("What do you want to do?"),
        choices=Action.CHOICES,
        widget=forms.RadioSelect,
    )
    area = forms.ChoiceField(
        label=_("Area of activity"),
        required=False,
        help_text=_("The areas needing a notice are listed first, then those needing a licence."),
    )
    entry = forms.CharField(
        label=_("Number of the entry"),
        required=False,
        max_length=12,
        help_text=_("For a change or termination, e.g. KTO000123."),
    )
    entry_code = forms.CharField(
        label=_("Registry code of the business holding the entry"),
        required=False,
        max_length=8,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        areas = sorted(ActivityArea.objects.filter(is_active=True), key=lambda a: a.name.lower())
        self.areas = {area.code: area for area in areas}
        groups = []
        for kind, label in ((Kind.NOTICE, _("Notices")), (Kind.LICENCE, _("Activity licences"))):
            options = [
                (a.code, f"{a.name} ({a.get_kind_display()})") for a in areas if a.kind == kind
            ]
            if options:
                groups.append((label, options))
        self.fields["area"].choices = [("", _("Choose an area")), *groups]
        self.fields["entry_code"].widget.attrs.update(inputmode="numeric", autocomplete="off")

    def clean(self):
        data = super().clean()
        action = data.get("action")
        if action in Action.NEW:
            area = self.areas.get(data.get("area") or "")
            if area is None:
                self.add_error("area", _("Choose the area of activity."))
            elif action == Action.NOTICE and area.kind != Kind.NOTICE:
                self.add_error(
                    "area",
                    _(
                        "This area needs an activity licence: choose "
                        "“Apply for an activity licence”."
                    ),
                )
            elif action == Action.LICENCE and area.kind != Kind.LICENCE:
                self.add_error(
                    "area",
                    _("This area needs a notice, not a licence: choose “File a new notice”."),
                )
            data["area_obj"], data["entry_obj"] = area, None
        elif action in (Action.CHANGE, Action.TERMINATION):
            number = (data.get("entry") or "").strip().upper()
            code = (data.get("entry_code") or "").strip()
            if not number:
                self.add_error("entry", _("Give the number of the entry."))
            if not code:
                self.add_error("entry_code", _("Give the registry code."))
            else:
                try:
                    validate_registry_code(code)
                except ValidationError as error:
                    self.add_error("entry_code", error)
            if self.errors:
                return data
            entry = services.entry_for_change(number=number, registry_code=code)
            if entry is None:
                self.add_error(
                    "entry",
                    _("No valid or suspended entry has this number and registry code."),
                )
                return data
            data["entry"], data["entry_code"] = number, code
            data["area_obj"], data["entry_obj"] = entry.area, entry
        return data

    @property
    def type(self) -> str:
        return Action.TYPES[self.cleaned_data["action"]]


# --- Step 2 -------------------------------------------------------------------------------------


# --- Status lookup and answers ------------------------------------------------------------------


class LookupForm(forms.Form):
    """The application's code and the applicant's registry code (the second factor)."""

    code = forms.CharField(
        label=_("Application code"),
        max_length=40,
        help_text=_("The code on your receipt, e.g. ABCD-EFGH-JKMN."),
    )
    registry_code = forms.CharField(
        label=_("Registry code of the business"),
        max_length=20,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["code"].widget.attrs.update(autocomplete="off", spellcheck="false")
        self.fields["code"].widget.attrs["autocapitalize"] = "characters"
        self.fields["registry_code"].widget.attrs.update(inputmode="numeric", autocomplete="off")


class AnswerForm(forms.Form):
    """The applicant's answer to a request for missing data."""

    answer = forms.CharField(
        label=_("Your answer"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 5}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["files"] = _multiple_upload_field(
            label=_("Files"),
            required=False,
            help_text=_("You may choose several files. %(types)s At most %(count)s files.")
            % {"types": file_help(), "count": max_files()},
        )

    def clean_files(self):
        files = self.cleaned_data.get("files") or []
        if len(files) > max_files():
            raise ValidationError(
                _("At most %(count)s files may be attached in all.") % {"count": max_files()}
            )
        return files
