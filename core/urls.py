from django.urls import path

from core import views

app_name = "core"

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("account/", views.AccountView.as_view(), name="account"),
    path(
        "account/sign-out-others/",
        views.sign_out_other_sessions,
        name="sign-out-other-sessions",
    ),
]
