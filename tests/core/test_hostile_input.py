"""Hostile input: control characters in URLs and forms, over-large bodies (issue 13, item 7)."""

import uuid
from html.parser import HTMLParser

import pytest
from django import forms
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.files.uploadhandler import FileUploadHandler
from django.core.handlers.wsgi import WSGIRequest
from django.test import RequestFactory
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.urls.exceptions import NoReverseMatch

from core import roles
from core.textinput import ControlCharactersValidator, has_control_characters, is_clean_query
from core.upload_handlers import OversizedUpload

# --- every URL of the project ------------------------------------------------------------------

_SAMPLE = {"int": 1, "str": "x", "slug": "x", "uuid": uuid.UUID(int=1), "path": "x"}


def _url_names(resolvers=None, namespace=""):
    for pattern in resolvers if resolvers is not None else get_resolver().url_patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from _url_names(pattern.url_patterns, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            converters = getattr(pattern.pattern, "converters", {})
            kwargs = {}
            for name, converter in converters.items():
                kind = type(converter).__name__.replace("Converter", "").lower()
                kwargs[name] = _SAMPLE.get(kind, "x")
            groups = getattr(getattr(pattern.pattern, "regex", None), "groupindex", {})
            for name in groups:
                kwargs.setdefault(name, "1")
            yield f"{namespace}{pattern.name}", kwargs


def _every_url():
    urls = set()
    for name, kwargs in _url_names():
        try:
            urls.add(reverse(name, kwargs=kwargs) if kwargs else reverse(name))
        except NoReverseMatch:
            continue
    return sorted(urls)


HOSTILE_QUERIES = [
    "?q=%00&x=%01",
    "?q=%C0%AF&page=%00",  # not UTF-8
    "?%00=1",
    "?q=%27%22%3C%3E%5C&page=-1&sort=%27&after=zzz&code=%F0%9F%98%80",  # odd but valid text
]


@pytest.fixture
def many_permissions(make_user):
    return make_user(*roles.ROLES, username="allroles", is_staff=True)


@pytest.mark.django_db
@pytest.mark.parametrize("signed_in", [False, True], ids=["anonymous", "staff"])
def test_no_url_answers_500_to_hostile_query_parameters(client, many_permissions, signed_in):
    if signed_in:
        client.force_login(many_permissions)
    urls = _every_url()
    assert len(urls) > 100
    failures = []
    for url in urls:
        for query in HOSTILE_QUERIES:
            response = client.get(url + query)
            if response.status_code >= 500:
                failures.append((url + query, response.status_code))
            if "%00" in query or "%01" in query or "%C0" in query:
                assert response.status_code in (302, 400, 404, 405), (url + query, response)
    assert not failures


@pytest.mark.django_db
def test_party_search_with_a_nul_byte_gets_the_400_page(client, clerk):
    client.force_login(clerk)
    response = client.get("/parties/search/?q=%00")
    assert response.status_code == 400
    assert (
        "Päringut ei õnnestunud lugeda" in response.content.decode()
        or response.templates[0].name == "400.html"
    )


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "title"),
    [("en", "The request could not be read"), ("et", "<h1"), ("ru", "<h1")],
)
def test_the_400_page_is_in_the_users_language(client, clerk, language, title):
    client.force_login(clerk)
    client.cookies["django_language"] = language
    response = client.get("/parties/search/?q=a%01b")
    assert response.status_code == 400
    html = response.content.decode()
    assert f'<html lang="{language}"' in html
    assert title in html


@pytest.mark.django_db
def test_a_nul_byte_in_the_path_gets_400(client, clerk):
    client.force_login(clerk)
    response = client.get("/register/%00/")
    assert response.status_code in (400, 404)


def test_query_check():
    assert is_clean_query("q=abc&page=2&name=%C3%B5%C3%A4%C3%B6%C3%BC")
    assert is_clean_query("q=tab%09and%0Anewline")
    assert not is_clean_query("q=%00")
    assert not is_clean_query("%01=x")
    assert not is_clean_query("q=%ED%A0%80")  # a lone surrogate encoded
    assert not is_clean_query("q=%FF")
    assert has_control_characters("a\x7fb")
    assert has_control_characters("a\x85b")
    assert not has_control_characters("Tere\tõhtust\r\nПривет")


# --- forms ---------------------------------------------------------------------------------------


class _AnyForm(forms.Form):
    title = forms.CharField()
    email = forms.EmailField(required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["added_later"] = forms.CharField(required=False)


@pytest.mark.parametrize("field", ["title", "added_later"])
def test_every_form_text_field_refuses_control_characters(field):
    data = {"title": "Taotlus", field: "Taot\x01lus"}
    form = _AnyForm(data=data)
    assert not form.is_valid()
    assert form.has_error(field, ControlCharactersValidator.code)


def test_a_nul_byte_gets_one_error_message():
    form = _AnyForm(data={"title": "a\x00b"})
    assert not form.is_valid()
    assert len(form.errors["title"]) == 1


def test_tabs_and_new_lines_are_allowed():
    form = _AnyForm(data={"title": "rida 1\r\n\trida 2"})
    assert form.is_valid(), form.errors


# --- request bodies -----------------------------------------------------------------------------


class _CountingStream:
    """A WSGI input that counts what the server read of it."""

    def __init__(self, body: bytes):
        self.body = body
        self.position = 0

    def read(self, size=-1):
        if size is None or size < 0:
            size = len(self.body) - self.position
        chunk = self.body[self.position : self.position + size]
        self.position += len(chunk)
        return chunk

    def readline(self, size=-1):
        return self.read(size)


def _multipart(size: int) -> tuple[bytes, str]:
    boundary = "kantseleiboundary"
    body = (
        (
            f"--{boundary}\r\n"
            'Content-Disposition: form-data; name="title"\r\n\r\nTaotlus\r\n'
            f"--{boundary}\r\n"
            'Content-Disposition: form-data; name="file"; filename="suur.pdf"\r\n'
            "Content-Type: application/pdf\r\n\r\n"
        ).encode()
        + b"%PDF-1.4\n"
        + b"0" * size
        + f"\r\n--{boundary}--\r\n".encode()
    )
    return body, f"multipart/form-data; boundary={boundary}"


class CountingHandler(FileUploadHandler):
    """Stands after the limiting handler and counts what reaches the handlers that keep files."""

    received = 0

    def receive_data_chunk(self, raw_data, start):
        CountingHandler.received += len(raw_data)
        return raw_data

    def file_complete(self, file_size):
        return None


def _request(body: bytes, content_type: str) -> tuple[WSGIRequest, _CountingStream]:
    stream = _CountingStream(body)
    environ = RequestFactory()._base_environ(
        REQUEST_METHOD="POST",
        PATH_INFO="/help/contact/",
        CONTENT_TYPE=content_type,
        CONTENT_LENGTH=str(len(body)),
    )
    environ["wsgi.input"] = stream
    return WSGIRequest(environ), stream


def test_nothing_of_a_file_past_the_limit_is_kept(settings):
    settings.UPLOAD_MAX_BYTES = 1024 * 1024
    settings.FILE_UPLOAD_HANDLERS = [
        "core.upload_handlers.LimitedUploadHandler",
        "tests.core.test_hostile_input.CountingHandler",
        *settings.FILE_UPLOAD_HANDLERS[1:],
    ]
    CountingHandler.received = 0
    body, content_type = _multipart(20 * 1024 * 1024)
    request, _stream = _request(body, content_type)
    upload = request.FILES["file"]
    assert isinstance(upload, OversizedUpload)
    assert upload.size > 20 * 1024 * 1024  # the real size, for the form's message
    assert upload.read() == b""
    assert CountingHandler.received <= 1024 * 1024 + 64 * 1024  # not the 20 MB sent
    assert request.POST["title"] == "Taotlus"


def test_reading_stops_when_the_files_pass_the_request_limit(settings):
    """A body sent without a length: the handler stops reading, not only keeping."""
    settings.REQUEST_MAX_BYTES = 2 * 1024 * 1024
    body, content_type = _multipart(20 * 1024 * 1024)
    request, stream = _request(body, content_type)
    assert "file" not in request.FILES
    assert request.upload_refused == {"name": "suur.pdf"}
    assert stream.position < 3 * 1024 * 1024  # not the 20 MB sent


@pytest.mark.django_db
def test_a_file_over_the_limit_is_a_form_error_and_the_form_is_kept(client, settings):
    settings.UPLOAD_MAX_BYTES = 64 * 1024
    client.cookies["django_language"] = "en"
    big = SimpleUploadedFile("suur.pdf", b"%PDF-1.4\n" + b"0" * 200 * 1024)
    response = client.post(
        "/help/contact/",
        {
            "name": "Kati Kask",
            "email": "kati@example.ee",
            "subject": "Küsimus",
            "message": "Vt faili",
            "files": [big],
        },
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "The file suur.pdf is too large" in html
    assert "kati@example.ee" in html


@pytest.mark.django_db
def test_a_body_over_the_request_limit_is_refused_before_it_is_read(client, settings):
    settings.REQUEST_MAX_BYTES = 1000
    client.cookies["django_language"] = "en"
    response = client.post("/help/contact/", {"message": "x" * 5000})
    assert response.status_code == 413
    assert "everything sent at once" in response.content.decode()


@pytest.mark.django_db
def test_too_much_form_text_gets_the_413_page(client, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    response = client.post("/help/contact/", {"message": "x" * 5000})
    assert response.status_code == 413


# --- posted forms: a control character is a form error, never a 500 -------------------------------


class _FormFields(HTMLParser):
    """The fields of the ``<form method="post">`` that holds ``field``, with their values."""

    def __init__(self):
        super().__init__()
        self.forms: list[dict] = []
        self._form = None
        self._select = None
        self._textarea = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and (attrs.get("method") or "").lower() == "post":
            self._form = {"action": attrs.get("action") or "", "fields": {}}
            self.forms.append(self._form)
        if self._form is None or not attrs.get("name"):
            return
        fields, name = self._form["fields"], attrs["name"]
        if tag == "input":
            kind = (attrs.get("type") or "text").lower()
            if kind in ("checkbox", "radio"):
                if "checked" in attrs or (kind == "radio" and name not in fields):
                    fields[name] = attrs.get("value", "on")
            elif kind not in ("file", "submit", "button"):
                fields[name] = attrs.get("value", "")
        elif tag == "select":
            self._select = name
            fields.setdefault(name, "")
        elif tag == "textarea":
            self._textarea = name
            fields[name] = ""
        elif (
            tag == "option"
            and self._select
            and attrs.get("value")
            and (not fields[self._select] or "selected" in attrs)
        ):
            fields[self._select] = attrs["value"]

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None

    def handle_data(self, data):
        if self._textarea and self._form is not None:
            self._form["fields"][self._textarea] += data


def _post_with_control_character(client, url, field, *, fill):
    page = client.get(url)
    assert page.status_code == 200
    parser = _FormFields()
    parser.feed(page.content.decode())
    form = next(f for f in parser.forms if field in f["fields"])
    data = {**form["fields"], **fill, field: "Tere\x01 õhtust"}
    return client.post(form["action"] or url, data)


CONTROL_ERROR = "Remove the control characters"


@pytest.fixture
def english(client):
    client.cookies["django_language"] = "en"
    return client


@pytest.mark.django_db
def test_the_public_contact_form_refuses_a_control_character(english):
    response = _post_with_control_character(
        english,
        "/help/contact/",
        "subject",
        fill={"name": "Kati Kask", "email": "kati@example.ee", "message": "Küsimus"},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert CONTROL_ERROR in html
    assert "kati@example.ee" in html  # the rest of the form is kept


@pytest.mark.django_db
def test_the_public_contact_form_refuses_a_nul_byte(english):
    response = english.post(
        "/help/contact/",
        {"name": "Kati", "email": "kati@example.ee", "subject": "a\x00b", "message": "x"},
    )
    assert response.status_code == 200
    assert "Null characters are not allowed" in response.content.decode()


@pytest.mark.django_db
def test_the_registration_form_refuses_a_control_character(english, clerk):
    english.force_login(clerk)
    response = _post_with_control_character(english, "/documents/register/", "title", fill={})
    assert response.status_code == 200
    assert CONTROL_ERROR in response.content.decode()


@pytest.mark.django_db
def test_the_ticket_reply_refuses_a_control_character(english, clerk):
    from helpdesk import services as helpdesk_services

    ticket = helpdesk_services.ticket_create(
        subject="Küsimus",
        body="Tere",
        channel="web",
        category="other",
        requester_email="kati@example.ee",
    )
    english.force_login(clerk)
    response = _post_with_control_character(
        english, f"/support/{ticket.pk}/", "reply-body", fill={}
    )
    assert response.status_code == 200
    assert CONTROL_ERROR in response.content.decode()
    assert ticket.messages.count() == 1
