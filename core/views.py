from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.mixins import LoginRequiredMixin
from django.contrib.auth.views import redirect_to_login
from django.db import connection
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST
from django.views.generic import TemplateView
from django_ratelimit.decorators import ratelimit
from kombu import Connection

from core import events, jobs, roles, services
from core.models import UserSession


class HomeView(LoginRequiredMixin, TemplateView):
    """The staff home page: a greeting, what the user's roles let them do, their last actions."""

    template_name = "core/home.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        return super().get_context_data(
            roles=roles.roles_of(user),
            recent_events=events.by_actor(user, limit=10),
            **kwargs,
        )


class AccountView(LoginRequiredMixin, TemplateView):
    template_name = "core/account.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        other_sessions = (
            UserSession.objects.filter(user=user)
            .exclude(session_key=self.request.session.session_key or "")
            .count()
        )
        return super().get_context_data(
            roles=roles.roles_of(user), other_sessions=other_sessions, **kwargs
        )


@require_POST
def sign_out_other_sessions(request):
    if not request.user.is_authenticated:
        return redirect(settings.LOGIN_URL)
    count = services.user_sign_out_other_sessions(
        user=request.user, keep_session_key=request.session.session_key
    )
    messages.success(
        request,
        ngettext(
            "Signed out of %(count)d other session.",
            "Signed out of %(count)d other sessions.",
            count,
        )
        % {"count": count},
    )
    return redirect("core:account")


class PasswordChangeView(auth_views.PasswordChangeView):
    success_url = reverse_lazy("core:account")

    def form_valid(self, form):
        response = super().form_valid(form)
        services.user_password_changed(user=form.user)
        messages.success(self.request, _("Your password has been changed."))
        return response


@method_decorator(ratelimit(key="ip", rate="5/h", method="POST", block=True), name="post")
class PasswordResetView(auth_views.PasswordResetView):
    extra_email_context = {"hours": settings.PASSWORD_RESET_TIMEOUT // 3600}


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    extra_context = {"hours": settings.PASSWORD_RESET_TIMEOUT // 3600}


@require_GET
@never_cache
def healthz(request):
    """Liveness and readiness: the database always, the broker when one is configured, and the
    background jobs (``core.jobs.health``: pending, the oldest due one's age, failed in 24 h,
    uncertain e-mails, the last sweep — counts and times only, safe for anyone to see).

    503 when the database or the broker is down, or the oldest due job has waited longer than
    JOBS_ALERT_SECONDS (no worker, or beat and the worker both stopped)."""
    checks = {"database": "ok"}
    healthy = True
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except Exception as error:  # any database failure makes the instance unhealthy
        checks["database"] = f"error: {type(error).__name__}"
        healthy = False
    if settings.BROKER_CONFIGURED:
        try:
            with Connection(settings.CELERY_BROKER_URL, connect_timeout=2) as conn:
                conn.ensure_connection(max_retries=1, timeout=2)
            checks["broker"] = "ok"
        except Exception as error:  # the broker being down is reported, not raised
            checks["broker"] = f"error: {type(error).__name__}"
            healthy = False
    else:
        checks["broker"] = "eager"
    if checks["database"] == "ok":
        try:
            checks["jobs"] = jobs.health()
        except Exception as error:  # a missing table (before migrate) is reported, not raised
            checks["jobs"] = {"error": type(error).__name__}
            healthy = False
        else:
            if checks["jobs"]["oldest_due_seconds"] > settings.JOBS_ALERT_SECONDS:
                checks["jobs"]["alert"] = "jobs are waiting too long: is the worker running?"
                healthy = False
    return JsonResponse(
        {"status": "ok" if healthy else "error", **checks}, status=200 if healthy else 503
    )


def ratelimited(request, exception=None):
    return render(request, "429.html", status=429)


def admin_login(request):
    return redirect_to_login(request.GET.get("next") or reverse("admin:index"))


def robots_txt(request):
    """Crawlers may read the public document register's pages (the first list page, the feed,
    document pages) but not searches, exports, files (a later restriction should not live on
    in a search engine's copy) or anything staff use. The longest matching rule wins (RFC 9309).
    """
    lines = [
        "User-agent: *",
        "Allow: /register/",
        "Disallow: /register/*?",
        "Disallow: /register/export",
        "Disallow: /register/*/files/",
        "Allow: /help/",
        "Disallow: /help/*?",
        "Disallow: /help/contact/",
        "Disallow: /help/rate/",
        "Allow: /mtr/entries/",
        "Disallow: /mtr/entries/*?",
        "Disallow: /mtr/entries/export",
        "Disallow: /",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain")
