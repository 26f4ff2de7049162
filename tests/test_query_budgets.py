"""Query budgets: how many queries each GET page runs, kept in committed snapshot files.

As NetBox keeps its ``query_counts.json``: every staff and public page of every app is requested
as a user of the role that uses it, once with a few rows (``FEW``) and once with many more
(``MANY``) of what it lists or holds (restricted documents, files, events, tasks …). For each
page the test asserts that

- the count is the same for few and many rows (no query per row),
- it equals the count in ``tests/query_budgets/<app>.json`` (a change that adds or saves a query
  fails, naming the view), and
- it is within the budget of its kind (a list ≤ 10, a detail page, form or other page ≤ 12), or
  the snapshot says why not (``"over_budget": "<reason>"``), so the excess stays visible.

A page whose count grows with the rows may be kept only with ``"not_constant": "<reason>"``.

``UPDATE_QUERY_BUDGETS=1`` rewrites the snapshot files from what was measured (sorted keys,
stable JSON), keeping the reasons already written; a page newly over its budget gets an
``UNEXPLAINED`` reason that fails until someone writes the real one (docs/performance.md).

Counted is the request as the server runs it: session, user and permission queries included
(the user is signed in with ``force_login``). Before the counted request the page is requested
once, so that process caches (content types) are warm, and the cache is cleared, so that a page
caching its data (the dashboard's trends) is counted as it runs when the cache is cold.

``QUERY_BUDGETS_SHOW=<view name or key>`` prints the queries of that page (run pytest with ``-s``).

``test_every_get_page_has_a_budget`` fails when a URL that answers GET is in no snapshot and not
in the commented exclusion list below.
"""

from __future__ import annotations

import importlib
import inspect
import json
import os
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.query_budgets.pages import BUDGETS, Page

pytestmark = pytest.mark.django_db

SNAPSHOTS = Path(__file__).parent / "query_budgets"
APPS = ["core", "registry", "correspondence", "mtr", "helpdesk", "assets", "dashboard"]
FEW = 3
MANY = 30
UPDATE = os.environ.get("UPDATE_QUERY_BUDGETS") == "1"
HOW_TO_UPDATE = (
    "`QUERY_BUDGETS_SHOW=<view> pytest -s tests/test_query_budgets.py` prints its queries. If the "
    "change is intended, run `UPDATE_QUERY_BUDGETS=1 pytest tests/test_query_budgets.py` and "
    "commit tests/query_budgets/*.json (docs/performance.md, 'Query budgets')."
)
UNEXPLAINED = "UNEXPLAINED"
# Not counted: the savepoints an atomic block makes inside the test's own transaction. In
# production the same block is the outermost one and sends no statement of its own.
TEST_TRANSACTION = ("SAVEPOINT ", "RELEASE SAVEPOINT ", "ROLLBACK TO SAVEPOINT ")
# A Wednesday with working days around it: pages that show "today's" post, deadlines due soon
# or the week's visitors have the same rows whatever day the suite runs.
WEDNESDAY = datetime(2026, 12, 2, 10, 30, tzinfo=ZoneInfo("Europe/Tallinn"))

# GET URLs without a budget, by reason. Files (PDF, CSV, JSON, signed containers) send one
# stored or generated file or a capped export and render no page; a redirect and the polled
# status answers read one row; the rest are Django's authentication views and the operators'.
EXCLUDED = {
    # Downloads of one stored or generated file.
    "registry:document-export",  # CSV export, streamed (its own tests cap the rows)
    "registry:attachment-download",
    "registry:attachment-searchable",  # the OCR'd PDF of a scan
    "registry:scheme-export",
    "registry:public-export",
    "registry:public-file",
    "registry:inbox-message",
    "registry:inbox-attachment",
    "mtr:public-receipt",
    "mtr:public-decision",
    "mtr:decision-link-pdf",
    "mtr:public-entries-csv",
    "mtr:public-entries-json",
    "mtr:application-file",
    "mtr:application-receipt",
    "mtr:application-decision",
    "correspondence:letter-pdf",
    "correspondence:template-preview",  # a template rendered as a sample PDF
    "correspondence:letter-container",
    "correspondence:dispatch-pdf",
    "correspondence:dispatch-labels",
    "helpdesk:ticket-file",
    "helpdesk:ticket-raw-email",
    "helpdesk:quarantined-file",
    "helpdesk:visit-badge",
    "assets:asset-export",
    "assets:asset-labels",
    "assets:asset-import-template",
    "assets:asset-file",
    "assets:handover-pdf",
    "assets:stocktaking-pdf",
    "assets:stocktaking-csv",
    "assets:disposal-act",
    "assets:holdings-pdf",
    "assets:quote-file",
    "dashboard:report-pdf",
    # A redirect: a label's QR code to the asset. (``assets:stocktaking-scan`` is also the name
    # of the redirect to the open stocktaking's scanner; its other pattern, the scan page, is
    # measured.)
    "assets:asset-label",
    # Polled status answers (JSON or a fragment) of one object's background job.
    "registry:attachment-status",
    "correspondence:letter-status",
    "correspondence:signing-status",
    "dashboard:report-status",
    # Authentication and language, Django's own views and the operators' health check.
    "login",
    "password_reset",
    "password_reset_done",
    "password_reset_confirm",
    "password_reset_complete",
    "second-factor",
    "second-factor-setup",
    "set_language",
    "healthz",
}


def _at_wednesday():
    return time_machine.travel(WEDNESDAY, tick=True)


@pytest.fixture(autouse=True)
def _english(settings):
    settings.LANGUAGE_CODE = "en"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def _snapshot_path(app: str) -> Path:
    return SNAPSHOTS / f"{app}.json"


def _load(app: str) -> dict:
    path = _snapshot_path(app)
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}


def _dump(app: str, data: dict) -> None:
    text = json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
    _snapshot_path(app).write_text(text, encoding="utf-8")


def _count(client, world, page: Page) -> tuple[list[str], object]:
    """The queries of one GET of ``page`` (after a warm-up request), and its response."""
    user = world.users[page.user] if page.user else None
    client.logout()
    if user is not None:
        client.force_login(user)
    if page.session is not None:
        session = client.session
        session.update(page.session(world))
        session.save()
    url = reverse(page.name, kwargs=page.kwargs(world)) + page.query
    client.get(url)
    cache.clear()
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    statements = [query["sql"] for query in queries.captured_queries]
    return [sql for sql in statements if not sql.startswith(TEST_TRANSACTION)], response


def _measure(client, world, pages) -> dict[str, tuple[int, int]]:
    """The number of queries of each page, and the length of what it answered, by its key."""
    measured = {}
    for page in pages:
        queries, response = _count(client, world, page)
        status = response.status_code
        assert status == 200, f"{page.key} answered {status}, not 200"
        measured[page.key] = (len(queries), len(response.content))
        if os.environ.get("QUERY_BUDGETS_SHOW") in (page.key, page.name):
            print(
                f"\n{page.key} ({len(response.content)} bytes):",
                *(f"  {n}. {sql}" for n, sql in enumerate(queries, 1)),
                sep="\n",
            )
    return measured


def _entry(page: Page, few: int, many: int, old: dict) -> dict:
    """The snapshot entry of a page measured ``few`` and ``many`` queries."""
    entry = {"kind": page.kind, "queries": few}
    if few != many:
        entry["queries_with_many_rows"] = many
        entry["not_constant"] = _reason(old.get("not_constant"), "grows with the rows")
    budget = BUDGETS[page.kind]
    if max(few, many) > budget:
        entry["over_budget"] = _reason(
            old.get("over_budget"),
            f"{max(few, many)} queries, the {page.kind} budget is {budget}",
        )
    return entry


def _reason(written: str | None, fact: str) -> str:
    """The reason a person wrote, or a placeholder that fails until one is written."""
    if written and not written.startswith(UNEXPLAINED):
        return written
    return f"{UNEXPLAINED}: {fact}"


def _problems(page: Page, few: int, many: int, snapshot: dict) -> list[str]:
    problems = []
    kept = snapshot.get(page.key)
    name = f"{page.key} ({page.kind})"
    if kept is None:
        return [f"{name}: {few} queries, not in the snapshot. {HOW_TO_UPDATE}"]
    if few != many and not kept.get("not_constant"):
        problems.append(
            f"{name}: {few} queries with {FEW} rows but {many} with {MANY}: a query per row."
        )
    if (few, many) != (kept["queries"], kept.get("queries_with_many_rows", kept["queries"])):
        problems.append(
            f"{name}: {few} queries ({many} with many rows), the snapshot says "
            f"{kept['queries']}. {HOW_TO_UPDATE}"
        )
    budget = BUDGETS[page.kind]
    reasons = [kept.get("over_budget", ""), kept.get("not_constant", "")]
    if max(few, many) > budget and not kept.get("over_budget"):
        problems.append(
            f"{name}: {max(few, many)} queries, over the {page.kind} budget of {budget}."
        )
    for reason in reasons:
        if reason.startswith(UNEXPLAINED):
            problems.append(f"{name}: write why in its snapshot entry instead of '{reason}'.")
    return problems


@pytest.mark.parametrize("app", APPS)
def test_query_counts_are_constant_within_budget_and_as_the_snapshot(app, client):
    module = importlib.import_module(f"tests.query_budgets.{app}")
    with _at_wednesday():
        world = module.World()
        world.grow(FEW)
        few = _measure(client, world, module.PAGES)
        world.grow(MANY - FEW)
        many = _measure(client, world, module.PAGES)
    # A list or detail page that shows no more with many rows than with few was not measured
    # with its rows: the world fills something else.
    unfilled = [
        page.key
        for page in module.PAGES
        if page.kind in ("list", "detail") and page.fills and many[page.key][1] <= few[page.key][1]
    ]
    assert not unfilled, f"These pages show no more rows with {MANY} than with {FEW}: {unfilled}"
    few = {key: queries for key, (queries, _length) in few.items()}
    many = {key: queries for key, (queries, _length) in many.items()}

    snapshot = _load(app)
    if UPDATE:
        _dump(
            app,
            {
                page.key: _entry(page, few[page.key], many[page.key], snapshot.get(page.key, {}))
                for page in module.PAGES
            },
        )
        snapshot = _load(app)
    problems = [
        problem
        for page in module.PAGES
        for problem in _problems(page, few[page.key], many[page.key], snapshot)
    ]
    stale = sorted(set(snapshot) - {page.key for page in module.PAGES})
    if stale:
        problems.append(f"In the snapshot but no longer measured: {stale}. {HOW_TO_UPDATE}")
    assert not problems, "\n".join(problems)


def test_an_added_query_fails_naming_the_view_and_how_to_update():
    page = Page("registry:document-list", "list", "clerk")
    snapshot = {page.key: {"kind": "list", "queries": 9}}

    assert _problems(page, 9, 9, snapshot) == []
    (added,) = _problems(page, 10, 10, snapshot)
    assert added.startswith("registry:document-list (list): 10 queries")
    assert "UPDATE_QUERY_BUDGETS=1" in added
    per_row = _problems(page, 9, 30, snapshot)[0]
    assert per_row.endswith("9 queries with 3 rows but 30 with 30: a query per row.")
    over = _problems(page, 11, 11, {page.key: {"kind": "list", "queries": 11}})
    assert over == ["registry:document-list (list): 11 queries, over the list budget of 10."]
    explained = {page.key: {"kind": "list", "queries": 11, "over_budget": "the reason"}}
    assert _problems(page, 11, 11, explained) == []


def _patterns(patterns, namespace=None):
    """(name, view) of every named URL pattern; an unnamed one (robots.txt) has no page to
    budget, and the admin site's are Django's."""
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = namespace
            if pattern.namespace:
                inner = f"{namespace}:{pattern.namespace}" if namespace else pattern.namespace
            yield from _patterns(pattern.url_patterns, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            name = f"{namespace}:{pattern.name}" if namespace else pattern.name
            yield name, pattern.callback


def _answers_get(view) -> bool:
    """False for a view that refuses GET: a class view without ``get``, or a function view
    behind ``require_POST``/``require_http_methods`` (found in the decorator's closure)."""
    view_class = getattr(view, "view_class", None)
    if view_class is not None:
        return "get" in view_class.http_method_names and hasattr(view_class, "get")
    function = view
    while function is not None:
        allowed = inspect.getclosurevars(function).nonlocals.get("request_method_list")
        if allowed is not None:
            return "GET" in allowed
        function = getattr(function, "__wrapped__", None)
    return True


def test_every_get_page_has_a_budget():
    measured = set()
    for app in APPS:
        measured |= {
            page.name for page in importlib.import_module(f"tests.query_budgets.{app}").PAGES
        }
    patterns = list(_patterns(get_resolver().url_patterns))
    missing = sorted(
        name
        for name, view in patterns
        if not name.startswith("admin:")
        and _answers_get(view)
        and name not in measured
        and name not in EXCLUDED
    )
    assert not missing, (
        f"GET pages without a query budget: {missing}. Add each to the PAGES of its app in "
        "tests/query_budgets/<app>.py (or, for a download or redirect, to EXCLUDED in "
        "tests/test_query_budgets.py with the reason)."
    )
    names = {name for name, _view in patterns}
    assert not EXCLUDED - names, f"Excluded URL names that no longer exist: {EXCLUDED - names}"
    assert not measured & EXCLUDED, f"Both measured and excluded: {measured & EXCLUDED}"


def test_a_view_that_refuses_get_is_told_apart():
    """The coverage check skips POST-only views; it must still see every other one."""
    views = dict(_patterns(get_resolver().url_patterns))
    assert not _answers_get(views["registry:document-assign"])  # @require_POST
    assert not _answers_get(views["logout"])  # a class view without get()
    assert _answers_get(views["registry:document-list"])
    assert _answers_get(views["registry:inbox"])  # a function view without a method decorator
