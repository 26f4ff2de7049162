from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from core import second_factor
from core import views as core_views

admin.site.site_header = _("Kantselei administration")
admin.site.site_title = _("Kantselei")
admin.site.index_title = _("Administration")

auth_patterns = [
    path("second-factor/", second_factor.verify, name="second-factor"),
    path("second-factor/setup/", second_factor.setup, name="second-factor-setup"),
    path("login/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("password/change/", core_views.PasswordChangeView.as_view(), name="password_change"),
    path("password/reset/", core_views.PasswordResetView.as_view(), name="password_reset"),
    path(
        "password/reset/sent/",
        core_views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "password/reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "password/reset/done/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
]

urlpatterns = [
    path("", include("core.urls")),
    path("", include("registry.urls")),
    path("", include("mtr.urls")),
    path("", include("correspondence.urls")),
    path("", include("helpdesk.urls")),
    path("", include("assets.urls")),
    path("", include("dashboard.urls")),
    path("accounts/", include(auth_patterns)),
    path("i18n/", include("django.conf.urls.i18n")),
    path("healthz", core_views.healthz, name="healthz"),
    path("robots.txt", core_views.robots_txt),
    # One sign-in page for everyone, with lockout and SSO: the admin site's own login redirects.
    path("admin/login/", core_views.admin_login),
    path("admin/", admin.site.urls),
]

if settings.OIDC_ENABLED:
    urlpatterns.append(path("oidc/", include("mozilla_django_oidc.urls")))
