"""What every app's action views share: who may post an action or open a download, and the
message when an action's form came back with errors."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST


def post_with(permission: str):
    """A view decorator: POST only (else 405), signed in (else to the sign-in page), holding
    ``permission`` (else 403)."""

    def decorate(view):
        return require_POST(
            login_required(permission_required(permission, raise_exception=True)(view))
        )

    return decorate


def viewing(permission: str):
    """A view decorator: signed in (else to the sign-in page), holding ``permission`` (else
    403): a download."""

    def decorate(view):
        return login_required(permission_required(permission, raise_exception=True)(view))

    return decorate


def nothing_changed(request, form) -> None:
    """The message above a page whose action form came back with errors: the form's own
    problems, or where to look."""
    problems = " ".join(form.non_field_errors())
    messages.error(
        request,
        _("Nothing was changed: %(problems)s") % {"problems": problems}
        if problems
        else _("Nothing was changed: see the messages below."),
    )
