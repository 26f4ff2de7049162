"""A second factor (TOTP, django-otp) for everyone who uses the admin site (SECURITY.md 4.3.1).

The admin site is where users, roles and the audit log live. A member of staff who signs in with
a password (or SSO) is asked for a one-time code before the first admin page of the session;
someone without an authenticator yet sets one up first (a QR code and the key to type in).
"""

from __future__ import annotations

import base64

import segno
from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from core import events
from core.models import Event
from core.redirects import same_site_url, with_next

DEVICE_NAME = "Kantselei"


class TokenForm(forms.Form):
    token = forms.CharField(
        label=gettext_lazy("Code from the authenticator app"),
        min_length=6,
        max_length=8,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}
        ),
    )

    def clean_token(self):
        token = "".join(self.cleaned_data["token"].split())
        if not token.isdigit():
            raise forms.ValidationError(_("The code has digits only."))
        return token


def admin_path(path: str) -> bool:
    return path.startswith(reverse("admin:index"))


class AdminSecondFactorMiddleware:
    """Send a signed-in user to the second factor before any admin page (after OTPMiddleware)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if (
            settings.ADMIN_SECOND_FACTOR
            and user.is_authenticated
            and user.is_staff
            and admin_path(request.path)
            and not user.is_verified()
        ):
            return redirect(with_next("second-factor", request.get_full_path()))
        return self.get_response(request)


def _next_url(request) -> str:
    url = request.POST.get("next") or request.GET.get("next")
    return same_site_url(request, url) or reverse("admin:index")


def _confirmed_device(user) -> TOTPDevice | None:
    return TOTPDevice.objects.devices_for_user(user, confirmed=True).first()


@never_cache
@login_required
def verify(request):
    """Ask for the code of the user's authenticator; set one up first if there is none."""
    device = _confirmed_device(request.user)
    if device is None:
        return redirect(with_next("second-factor-setup", _next_url(request)))
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        verified, message = _check(device, form.cleaned_data["token"])
        if verified:
            otp_login(request, device)
            return redirect(_next_url(request))
        form.add_error("token", message)
    return render(
        request, "registration/second_factor.html", {"form": form, "next": _next_url(request)}
    )


@never_cache
@login_required
def setup(request):
    """Set up an authenticator: show the key as a QR code and as text, confirm with a code."""
    if _confirmed_device(request.user) is not None:
        return redirect(with_next("second-factor", _next_url(request)))
    device, _created = TOTPDevice.objects.get_or_create(
        user=request.user, confirmed=False, defaults={"name": DEVICE_NAME}
    )
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        verified, message = _check(device, form.cleaned_data["token"])
        if verified:
            with transaction.atomic():
                device.confirmed = True
                device.save(update_fields=["confirmed"])
                events.record(
                    actor=request.user, obj=request.user, verb=Event.Verb.SECOND_FACTOR_SET
                )
            otp_login(request, device)
            messages.success(request, _("The authenticator is set up."))
            return redirect(_next_url(request))
        form.add_error("token", message)
    key = base64.b32encode(device.bin_key).decode()
    context = {
        "form": form,
        "next": _next_url(request),
        "key": " ".join(key[i : i + 4] for i in range(0, len(key), 4)),
        "qr": segno.make(device.config_url, error="m").svg_data_uri(scale=5),
    }
    return render(request, "registration/second_factor_setup.html", context)


def _check(device: TOTPDevice, token: str) -> tuple[bool, str]:
    allowed, _details = device.verify_is_allowed()
    if not allowed:  # django-otp slows down repeated wrong codes
        return False, _("Too many wrong codes: wait a moment and try again.")
    if device.verify_token(token):
        return True, ""
    return False, _("The code is not right. Check the time on your phone and try again.")
