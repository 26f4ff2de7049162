"""Submit once: a form that creates or sends something does it once, however often it arrives.

A double click, a browser retrying a slow request, a resubmitted tab or a user pressing "Send"
in two tabs must make one document, one register number, one e-mail. Register numbers are
gapless and e-mails cannot be called back, so a second copy cannot simply be deleted afterwards:
the duplicate has to be refused before it is made.

The mechanism, in three parts:

1. **One key per form render.** ``{% submission_key %}`` (a built-in template tag, written right
   after ``{% csrf_token %}`` in every ``<form method="post">``) puts a hidden field
   ``submission_key`` holding a fresh random UUID, signed with ``django.core.signing`` (salt
   ``SALT``, bound to the signed-in user) so that a key cannot be made up or reused by somebody
   else, and valid for ``MAX_AGE``.
2. **One guard per view.** ``@submit_once`` (function views) or ``SubmitOnceMixin`` (class-based
   views, after the permission mixins) runs the view's POST inside one transaction that first
   inserts the ``core.Submission`` row with the key as primary key. A twin request with the same
   key blocks on that primary key until the first one commits, then finds the row and is sent to
   the first request's result ("This form was already sent; here is the result"). Nothing of the
   twin's work is done.
3. **The result.** A successful POST answers with a redirect (post/redirect/get); its target is
   stored as ``Submission.result_url``. Any other answer (the form sent back with errors) or an
   exception removes the row again, so a form with a mistake can be corrected and sent with the
   same key — only success uses a key up.

A missing, tampered or expired key does nothing and answers with a page that keeps what was
typed (hidden fields) under a fresh key and a "Send again" button; files must be attached again,
as the browser cannot send them back. Never a 500, never a silent loss.

Forms that check the key themselves (MTR's application forms keep ``Application.submission_key``
as their own guard, the public contact form its per-session answer) use ``new_key``/``read_key``
from here so there is one key format; see ``mtr.services.application_submit``.

Rows older than ``PURGE_AFTER`` are removed by ``core.tasks.purge_submissions`` (beat, daily).
``MAX_AGE`` is shorter than ``PURGE_AFTER``: a key whose row is gone is refused as expired, so a
purge can never let an old form through a second time.

Transitions that are idempotent through their status check (approve, close) need no key, but
may carry one: the guard is harmless there.
"""

from __future__ import annotations

import functools
import logging
import re
import uuid
from datetime import timedelta

from django.contrib import messages
from django.core import signing
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from core.html import format_html
from core.models import Submission

logger = logging.getLogger(__name__)

FIELD = "submission_key"
SALT = "core.submissions"
MAX_AGE = 2 * 24 * 3600  # a form left open longer is sent again with a new key
PURGE_AFTER = timedelta(days=7)  # must stay longer than MAX_AGE (see the module docstring)
SKIPPED_FIELDS = {"csrfmiddlewaretoken", FIELD}


def _user_pk(user) -> int | None:
    return user.pk if user is not None and getattr(user, "is_authenticated", False) else None


def new_key(user=None) -> str:
    """A fresh signed key for one rendered form, bound to ``user`` (None: a public form)."""
    return signing.dumps({"k": str(uuid.uuid4()), "u": _user_pk(user)}, salt=SALT)


def read_key(value: str | None, user=None) -> uuid.UUID | None:
    """The key a form was sent with, or None when it is missing, made up, tampered with, too
    old or signed for another user."""
    try:
        payload = signing.loads(value or "", salt=SALT, max_age=MAX_AGE)
        if not isinstance(payload, dict) or payload.get("u") != _user_pk(user):
            return None
        return uuid.UUID(payload["k"])
    except (signing.BadSignature, ValueError, TypeError, KeyError):
        return None


def key_field(request: HttpRequest | None) -> str:
    """The hidden input of ``{% submission_key %}``."""
    user = getattr(request, "user", None)
    return format_html('<input type="hidden" name="{}" value="{}">', FIELD, new_key(user))


def claim(key: uuid.UUID, *, user=None) -> Submission | None:
    """Insert the key's row inside the caller's transaction: None when this request is the first
    with ``key``, else the row of the one that was (a twin waits here, on the primary key, until
    that one commits). Set the result with ``record_result`` before the transaction ends."""
    try:
        with transaction.atomic():
            Submission.objects.create(key=key, user=user)
    except IntegrityError:
        # Gone again already (purged): a row without a result, never "you are the first".
        return Submission.objects.filter(pk=key).first() or Submission(key=key)
    return None


def record_result(key: uuid.UUID, url: str) -> None:
    """Where the first request with ``key`` went: every twin is sent there."""
    Submission.objects.filter(pk=key).update(result_url=url[:500])


def run_once(request: HttpRequest, view, *args, **kwargs) -> HttpResponse:
    """Run ``view`` for a POST at most once per submission key (see the module docstring)."""
    if request.method != "POST":
        return view(request, *args, **kwargs)
    key = read_key(request.POST.get(FIELD), request.user)
    if key is None:
        return _refused(request)
    user = request.user if request.user.is_authenticated else None
    answer = None
    with transaction.atomic():
        if (first := claim(key, user=user)) is not None:
            return _repeated(request, first)
        try:
            response = view(request, *args, **kwargs)
        except (Http404, PermissionDenied) as refusal:
            # An answer, not a failure: what the view recorded (a refused access is logged)
            # stays, and the key is not used up.
            if transaction.get_connection().needs_rollback:
                raise
            answer = refusal
            response = None
        location = (
            response.get("Location")
            if response is not None and 300 <= response.status_code < 400
            else None
        )
        if location:
            record_result(key, location)
        else:  # the form came back with errors: the key is not used up
            Submission.objects.filter(pk=key).delete()
    if answer is not None:
        raise answer
    return response


def _repeated(request: HttpRequest, first: Submission | None) -> HttpResponse:
    """A key already used: the first request's result, never a second one."""
    target = first.result_url if first is not None else ""
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = ""
    messages.info(request, _("This form was already sent; here is the result."))
    return redirect(target or request.get_full_path())


def _refused(request: HttpRequest) -> HttpResponse:
    """A missing, tampered or expired key: nothing is done, what was typed is kept."""
    logger.info("submission key refused", extra={"path": request.path})
    fields = [
        (name, value)
        for name in request.POST
        if name not in SKIPPED_FIELDS
        for value in request.POST.getlist(name)
    ]
    back = request.META.get("HTTP_REFERER", "")
    if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
        back = ""
    context = {
        "action": request.get_full_path(),
        "fields": fields,
        "typed": [value for _name, value in fields if _is_typed(value)],
        "files_lost": bool(request.FILES),
        "back": back,
    }
    return render(request, "core/submission_refused.html", context, status=400)


# A choice, a number, a date, a flag or a button: no text a user typed (ASCII letters only, so a
# word with õäöü or Cyrillic counts as typed).
_TOKEN = re.compile(r"[\w.:/+-]{0,40}", re.ASCII)


def _is_typed(value: str) -> bool:
    """Whether ``value`` reads as text the user typed. The page shows those back so that the
    user recognises the form; the field names and choice codes (``doc_type``, ``series: 3``)
    would tell a user nothing, so they only travel in the hidden fields."""
    return bool(value.strip()) and not _TOKEN.fullmatch(value.strip())


def submit_once(view):
    """Decorator of a function view whose POST creates or sends something."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        return run_once(request, view, *args, **kwargs)

    return wrapper


class SubmitOnceMixin:
    """For class-based views whose POST creates or sends something; list it after the
    login/permission mixins so that those are checked first."""

    def dispatch(self, request, *args, **kwargs):
        return run_once(request, super().dispatch, *args, **kwargs)


def submissions_purge(*, older_than: timedelta = PURGE_AFTER) -> int:
    """Remove the rows of keys that can no longer be sent (see ``MAX_AGE``); the count."""
    deleted, _rows = Submission.objects.filter(created__lt=timezone.now() - older_than).delete()
    return deleted
