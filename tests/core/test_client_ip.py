"""Rate limits are keyed by the client's address, also behind the TLS proxy (core/ratelimits.py)."""

import pytest
from django.test import RequestFactory

from core.ratelimits import client_ip


def request(remote="172.18.0.5", forwarded=None):
    headers = {"HTTP_X_FORWARDED_FOR": forwarded} if forwarded is not None else {}
    return RequestFactory().get("/", REMOTE_ADDR=remote, **headers)


def test_without_a_proxy_the_address_is_the_connections(settings):
    settings.AXES_IPWARE_PROXY_COUNT = 0

    assert client_ip(request(forwarded="203.0.113.9")) == "172.18.0.5"


@pytest.mark.parametrize(
    ("forwarded", "expected"),
    [
        ("203.0.113.9", "203.0.113.9"),
        ("198.51.100.1, 203.0.113.9", "203.0.113.9"),  # the left one the client made up
        ("", "172.18.0.5"),
        ("not-an-address", "172.18.0.5"),
    ],
)
def test_behind_one_proxy_the_address_is_the_one_the_proxy_saw(settings, forwarded, expected):
    settings.AXES_IPWARE_PROXY_COUNT = 1

    assert client_ip(request(forwarded=forwarded)) == expected


def test_visitors_behind_the_proxy_have_limits_of_their_own(client, settings, db):
    settings.AXES_IPWARE_PROXY_COUNT = 1
    settings.MTR_PUBLIC_STATUS_RATE = "1/d"
    url = "/mtr/status/"
    data = {"code": "ABCDEFGHJKMN", "registry_code": "1"}

    first = client.post(url, data, HTTP_X_FORWARDED_FOR="203.0.113.9")
    again = client.post(url, data, HTTP_X_FORWARDED_FOR="203.0.113.9")
    other = client.post(url, data, HTTP_X_FORWARDED_FOR="203.0.113.10")

    assert (first.status_code, again.status_code, other.status_code) == (200, 429, 200)
