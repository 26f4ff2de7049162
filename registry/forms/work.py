"""Forms of "My work" (task actions) and of the department's deadline list.

They only parse input; registry.services holds the rules. The forms of one task carry the task's
id in their prefix, so the page can show the forms of every task with unique ids.
"""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from registry.forms.common import staff_users

COMMENT_MAX = 4000


def _comment(label, *, required: bool, help_text: str = "") -> forms.CharField:
    return forms.CharField(
        label=label,
        required=required,
        max_length=COMMENT_MAX,
        help_text=help_text,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class TaskCompleteForm(forms.Form):
    comment = _comment(_("Comment"), required=False, help_text=_("What was done (optional)."))


class TaskReturnForm(forms.Form):
    comment = _comment(_("Why do you return it?"), required=True)


class TaskForwardForm(forms.Form):
    """Forward a task to a colleague (a new task for them) or to another agency."""

    to_user = forms.ModelChoiceField(
        label=_("To a colleague"), queryset=staff_users(), required=False
    )
    to_agency = forms.CharField(
        label=_("Or to another agency"),
        max_length=255,
        required=False,
        help_text=_("The name of the agency the matter was sent to."),
    )
    comment = _comment(_("Comment"), required=False)

    def __init__(self, *args, user_choices=None, **kwargs):
        """``user_choices``: the colleagues as (id, name) pairs, worked out once for a page of
        many forms (a ModelChoiceField would query them again for each form it draws)."""
        super().__init__(*args, **kwargs)
        if user_choices is not None:
            self.fields["to_user"].choices = [("", "---------"), *user_choices]

    def clean(self):
        data = super().clean()
        to_user, to_agency = data.get("to_user"), (data.get("to_agency") or "").strip()
        if to_user is None and not to_agency and not self.errors:
            raise forms.ValidationError(_("Choose a colleague or name an agency."))
        if to_user is not None and to_agency:
            raise forms.ValidationError(_("Forward either to a colleague or to an agency."))
        return data


class DeadlineFilterForm(forms.Form):
    """The filters of the department's deadline list (GET)."""

    NOBODY = "none"
    STATE_CHOICES = [
        ("", _("Overdue and due soon")),
        ("overdue", _("Overdue")),
        ("due_soon", _("Due soon")),
    ]

    responsible = forms.ChoiceField(label=_("Responsible person"), required=False)
    state = forms.ChoiceField(label=_("Deadline"), required=False, choices=STATE_CHOICES)

    def __init__(self, *args, user_choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["responsible"].choices = [
            ("", _("Everybody")),
            (self.NOBODY, _("Nobody responsible")),
            *((str(pk), name) for pk, name in user_choices),
        ]


def user_choices() -> list[tuple[int, str]]:
    """The colleagues a task may go to or a list be filtered by, as (id, name) pairs."""
    return [(user.pk, str(user)) for user in staff_users()]
