"""The MTR's state machines on core.workflow: applications and register entries.

Applications (DOMAIN.md, MTR):
- a licence application (and the end of an entry) is received, reviewed, perhaps asked for
  missing data, and decided: granted or refused; missing data not given in time leaves it
  unexamined (HMS § 15(2)), which is no refusal;
- a notice of economic activity (a new one or a change of its data) takes effect on submission
  (MSÜS): it is entered at once (ENTERED) and checked afterwards (CHECKED); it is never refused
  or left unexamined — an entry that should not stand is suspended or ended instead.
"""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.workflow import Transition, Workflow
from mtr.models import Application, Entry
from mtr.verbs import Verb

Status = Application.Status
PROCESS = "mtr.process_application"


def _open_request(application: Application):
    return next(
        (r for r in application.deficiencies.all() if r.answered_at is None),
        None,
    )


def _is_in_effect(application: Application) -> bool:
    """A notice entered on submission (one filed before that rule has no entry yet)."""
    return application.takes_effect_on_submission and bool(application.entry_id)


def _decided_kind(application: Application):
    if _is_in_effect(application):
        return _("A notice took effect on submission: suspend or end its entry instead.")
    return None


def _not_in_effect(application: Application):
    if _is_in_effect(application):
        return _("The notice is in effect: it is checked, not decided.")
    return None


def _in_effect(application: Application):
    if not _is_in_effect(application):
        return _("Only a notice that took effect on submission is checked afterwards.")
    return None


def _unexamined(application: Application):
    """HMS § 15(2): only when the answer date of the open request has passed."""
    refusal = _decided_kind(application)
    if refusal:
        return refusal
    request = _open_request(application)
    if request is None:
        return _("Nothing is asked from the applicant.")
    if request.due_on >= timezone.localdate():
        return _("The applicant may answer until %(date)s.") % {
            "date": request.due_on.strftime("%d.%m.%Y")
        }
    return None


def _extend(application: Application):
    if application.deadline is None:
        return _("The term of the decision does not run.")
    if application.deadline < timezone.localdate():
        return _("The term has already ended: decide, it cannot be extended after the fact.")
    if application.term_extended_to is not None:
        return _("The term was extended once already.")
    return _decided_kind(application)


APPLICATION = Workflow(
    Application,
    [
        Transition(
            "take",
            {Status.RECEIVED},
            Status.IN_REVIEW,
            permission=PROCESS,
            label=_("take into review"),
        ),
        Transition(
            "request",
            {Status.IN_REVIEW, Status.ENTERED},
            Status.DEFICIENT,
            permission=PROCESS,
            label=_("request missing data"),
        ),
        Transition(
            "answer",
            {Status.DEFICIENT},
            Status.IN_REVIEW,
            guard=_not_in_effect,
            label=_("missing data sent"),
        ),
        Transition(
            "answer_notice",
            {Status.DEFICIENT},
            Status.ENTERED,
            guard=_in_effect,
            label=_("missing data sent"),
        ),
        Transition(
            "grant",
            {Status.IN_REVIEW},
            Status.GRANTED,
            permission=PROCESS,
            guard=_decided_kind,
            label=_("grant"),
        ),
        Transition(
            "refuse",
            {Status.IN_REVIEW},
            Status.REFUSED,
            permission=PROCESS,
            guard=_decided_kind,
            label=_("refuse"),
        ),
        Transition(
            "leave_unexamined",
            {Status.DEFICIENT},
            Status.UNEXAMINED,
            permission=PROCESS,
            guard=_unexamined,
            label=_("leave unexamined"),
        ),
        Transition(
            "check",
            {Status.ENTERED, Status.DEFICIENT},
            Status.CHECKED,
            permission=PROCESS,
            guard=_in_effect,
            label=_("mark as checked"),
        ),
        Transition(
            "extend",
            {Status.RECEIVED, Status.IN_REVIEW},
            None,
            verb=Verb.TERM_EXTENDED,
            permission=PROCESS,
            guard=_extend,
            label=_("extend the term"),
        ),
        Transition(
            "withdraw",
            {Status.RECEIVED, Status.IN_REVIEW, Status.DEFICIENT},
            Status.WITHDRAWN,
            permission=PROCESS,
            guard=_decided_kind,
            label=_("withdraw"),
        ),
    ],
    related=("area", "business", "entry"),
)


ENTRY = Workflow(
    Entry,
    [
        Transition(
            "suspend",
            {Entry.Status.VALID},
            Entry.Status.SUSPENDED,
            verb=Verb.SUSPENDED,
            permission="mtr.change_entry",
            label=_("suspend"),
        ),
        Transition(
            "reinstate",
            {Entry.Status.SUSPENDED, Entry.Status.PENDING},
            Entry.Status.VALID,
            verb=Verb.REINSTATED,
            permission="mtr.change_entry",
            label=_("make valid again"),
        ),
        Transition(
            "terminate",
            {Entry.Status.VALID, Entry.Status.SUSPENDED, Entry.Status.PENDING},
            Entry.Status.INVALID,
            verb=Verb.ENDED,
            permission="mtr.change_entry",
            label=_("end"),
        ),
    ],
)
