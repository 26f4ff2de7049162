"""The admin site asks for a one-time code (TOTP) after the password (SECURITY.md 4.3.1)."""

from urllib.parse import urlencode

from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from core.models import Event

ADMIN = "/admin/core/event/"


def code(device, *, offset=0) -> str:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = totp.time + offset * device.step
    return f"{totp.token():0{device.digits}d}"


def test_an_administrator_without_an_authenticator_is_sent_to_set_one_up(client, administrator):
    client.force_login(administrator)

    response = client.get(ADMIN, follow=True)

    assert response.redirect_chain[-1][0].startswith(reverse("second-factor-setup"))
    assert 'src="data:image/svg+xml' in response.text
    assert TOTPDevice.objects.filter(user=administrator, confirmed=False).count() == 1


def test_setting_up_with_the_right_code_opens_the_admin_and_is_recorded(client, administrator):
    client.force_login(administrator)
    client.get(reverse("second-factor-setup"))
    device = TOTPDevice.objects.get(user=administrator)

    response = client.post(reverse("second-factor-setup"), {"token": code(device), "next": ADMIN})

    assert response.status_code == 302
    assert response["Location"] == ADMIN
    assert client.get(ADMIN).status_code == 200
    device.refresh_from_db()
    assert device.confirmed
    assert Event.objects.filter(actor=administrator, verb="second_factor_set").exists()


def test_a_wrong_code_is_refused_with_a_message(client, administrator):
    client.force_login(administrator)
    client.get(reverse("second-factor-setup"))
    device = TOTPDevice.objects.get(user=administrator)
    wrong = code(device, offset=100)

    response = client.post(reverse("second-factor-setup"), {"token": wrong})

    assert response.status_code == 200
    assert "Kood ei ole õige" in response.text  # Estonian, the default language
    assert client.get(ADMIN).status_code == 302
    device.refresh_from_db()
    assert not device.confirmed


def test_next_sign_in_asks_for_the_code_of_the_confirmed_authenticator(client, administrator):
    device = TOTPDevice.objects.create(user=administrator, name="phone", confirmed=True)
    client.force_login(administrator)

    assert client.get(ADMIN)["Location"].startswith(reverse("second-factor"))
    response = client.post(f"{reverse('second-factor')}?next={ADMIN}", {"token": code(device)})

    assert response["Location"] == ADMIN
    assert client.get(ADMIN).status_code == 200


def test_the_code_page_never_redirects_to_another_site(client, administrator):
    device = TOTPDevice.objects.create(user=administrator, name="phone", confirmed=True)
    client.force_login(administrator)

    response = client.post(
        reverse("second-factor"), {"token": code(device), "next": "https://evil.example/"}
    )

    assert response["Location"] == reverse("admin:index")


def test_staff_pages_outside_the_admin_need_no_code(client, administrator):
    client.force_login(administrator)
    assert client.get(reverse("core:home")).status_code == 200


def test_the_code_pages_need_a_signed_in_user(client):
    response = client.get(reverse("second-factor"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_the_page_asked_for_comes_back_whole_after_the_code(client, administrator):
    """An admin address with its own query (``?a=1&b=2``) survives the detour through the code
    page: the address is encoded as one ``next`` value."""
    client.force_login(administrator)
    wanted = "/admin/core/user/?is_staff__exact=1&o=2"
    response = client.get(wanted)
    assert response.status_code == 302
    setup = client.get(response.url, follow=False)
    assert setup.status_code == 302
    assert setup.url.endswith("?" + urlencode({"next": wanted}))
