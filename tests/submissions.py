"""Test clients send forms as a browser does: with the form's signed submission key.

Every page's ``<form method="post">`` carries ``{% submission_key %}`` (``core.submissions``),
and the views that create or send something refuse a POST without it. ``post_with_key`` makes the
test client add a fresh valid key for the signed-in user to every POST whose data has none, as a
freshly rendered form would; a test that sends its own ``submission_key`` (an empty one to test a
refusal, or the one read from a page to test a repeat) keeps it. ``tests/conftest.py`` installs it
for every test.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.test import Client

from core import submissions

_original_post = Client.post


class _Anyone:
    is_authenticated = False
    pk = None


class _User:
    is_authenticated = True

    def __init__(self, pk):
        self.pk = pk


def signed_in_user(client: Client):
    """The user ``client`` is signed in as (only its pk), or an anonymous stand-in."""
    if settings.SESSION_COOKIE_NAME not in client.cookies:
        return _Anyone()
    user_id = client.session.get(SESSION_KEY)
    if user_id is None:
        return _Anyone()
    return _User(int(user_id) if str(user_id).isdigit() else user_id)


def key_for(client: Client) -> str:
    """A fresh valid submission key for what ``client`` is signed in as."""
    return submissions.new_key(signed_in_user(client))


def post_with_key(self, path, data=None, *args, **kwargs):
    if data is None:
        data = {}
    if isinstance(data, dict) and submissions.FIELD not in data:
        data = {**data, submissions.FIELD: key_for(self)}
    return _original_post(self, path, data, *args, **kwargs)
