"""Session lifetime: the idle timeout (SESSION_COOKIE_AGE, renewed at most every
SESSION_REFRESH_SECONDS) and the absolute one (ASVS 3.3.2); hostile input."""

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent
from django.shortcuts import render
from django.utils.translation import gettext as _

from core.redirects import same_site_url

SESSION_STARTED_KEY = "kantselei_signed_in_at"
SESSION_RENEWED_KEY = "kantselei_renewed_at"


class SessionLifetimeMiddleware:
    """Ends a session past its absolute lifetime, and renews a signed-in session's idle timeout.

    The renewal marks the session changed, so ``SessionMiddleware`` saves it with a new expiry
    (in the database and on the cookie), but only when the last renewal is older than
    ``SESSION_REFRESH_SECONDS``: saving on every request (``SESSION_SAVE_EVERY_REQUEST``) cost
    every page a write for nothing. A session thus ends after 29–30 idle minutes, never later.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            started = request.session.setdefault(SESSION_STARTED_KEY, int(time.time()))
            if time.time() - started > settings.SESSION_ABSOLUTE_SECONDS:
                logout(request)
                messages.info(request, _("Your session has ended. Please sign in again."))
                return redirect_to_login(request.get_full_path())
            now = int(time.time())
            renewed = request.session.get(SESSION_RENEWED_KEY, 0)
            if not 0 <= now - renewed < settings.SESSION_REFRESH_SECONDS:
                request.session[SESSION_RENEWED_KEY] = now
        return self.get_response(request)


class HostileInputMiddleware:
    """Refuses input no page of the portal can use, before any view (or CSRF check) reads it.

    - A body larger than ``settings.REQUEST_MAX_BYTES`` by its ``Content-Length`` is refused
      with 413 before a byte of it is read; while a body is read, ``core.upload_handlers``
      keeps nothing of a file past ``UPLOAD_MAX_BYTES`` (the form then says "too large") and
      stops reading when the files add up to more than ``REQUEST_MAX_BYTES``, and Django's
      ``DATA_UPLOAD_MAX_MEMORY_SIZE`` limits the other fields: those two give the same 413
      page in the user's language.
    - A path or query string with control characters (NUL …) or with percent-encodings that
      are not UTF-8 is refused with 400 (core/textinput.py), so no view passes them to
      PostgreSQL (which answers NUL with an error) or into a page.

    It stands before ``CsrfViewMiddleware`` so its ``process_view`` reads the body first;
    ``process_view`` runs after ``AuthenticationMiddleware``, so the pages show the menu.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > settings.REQUEST_MAX_BYTES:
            return too_large(request)
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        from core.textinput import has_control_characters, is_clean_query

        if has_control_characters(request.path) or not is_clean_query(
            request.META.get("QUERY_STRING", "")
        ):
            return bad_request(request)
        if request.method in ("POST", "PUT", "PATCH"):
            try:
                request.POST, request.FILES  # noqa: B018 - read the body now, under the limits
            except RequestDataTooBig:
                return too_large(request)
            except TooManyFieldsSent:
                return bad_request(request)
            if getattr(request, "upload_refused", None):
                return too_large(request)
            if any(has_control_characters(key) for key in request.POST):
                return bad_request(request)
        return None


def _back(request) -> str:
    """The page the request came from, when it is on this site: the form to correct."""
    return same_site_url(request, request.META.get("HTTP_REFERER")) or ""


def bad_request(request):
    """The 400 page in the user's language, with a link back to the page it came from."""
    return render(request, "400.html", {"back": _back(request)}, status=400)


def too_large(request):
    """The 413 page in the user's language, naming the limits, with a link back to the form."""
    refused = getattr(request, "upload_refused", None) or {}
    context = {
        "back": _back(request),
        "file_name": refused.get("name", ""),
        "file_limit": settings.UPLOAD_MAX_BYTES,
        "request_limit": settings.REQUEST_MAX_BYTES,
    }
    return render(request, "413.html", context, status=413)
