"""``manage.py bench``: each page's server time next to the bare SQL floor of the same page.

Every app that wants its pages measured has a ``bench.py`` with ``cases(context) -> list[Case]``
(found through the app registry, as ``generate_volume`` finds the generators). A case is a URL
(or a function that finds one, e.g. by following a page's "last" link) and the plain SQL that
the page cannot do without (the floor: its rows by the ideal index, nothing else). Both are run
``repeat`` times after a warm-up, in the same process and the same run; the report gives p50 and
p95 of each and their ratio, the page's query count, and whether the page met its budget.

Measured in-process with the test client (no network, no template debug), on whatever the
database holds: run it on a ``generate_volume`` database. Nothing here asserts a time; tests
check query counts and plans instead (docs/performance.md).
"""

from __future__ import annotations

import re
import statistics
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from importlib import import_module

from django.apps import apps
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

LIST_BUDGET_MS = 25.0
SEARCH_BUDGET_MS = 50.0
COMMON_SEARCH_BUDGET_MS = 300.0
DASHBOARD_BUDGET_MS = 50.0
# A detail page is held to its queries (≤ 12, issue 16); its time to a budget of our own, since it
# shows one record with its files, events, tasks and forms rather than a page of a list.
DETAIL_BUDGET_MS = 50.0
LINK = re.compile(r'<a[^>]*href="([^"]*)"[^>]*>\s*(?:{label})\s*</a>')


@dataclass
class Case:
    """One page to time: ``url`` (or a function of the client that finds it), the SQL floor
    (None: no floor), the p95 budget in milliseconds and at most how many queries it may run."""

    app: str
    name: str
    url: str | Callable[[Client], str]
    floor: str | None = None
    floor_params: tuple = ()
    budget_ms: float = LIST_BUDGET_MS
    max_queries: int | None = 10


@dataclass
class Result:
    app: str
    name: str
    url: str
    status: int
    queries: int
    p50_ms: float
    p95_ms: float
    floor_p50_ms: float | None
    floor_p95_ms: float | None
    ratio: float | None
    budget_ms: float
    max_queries: int | None
    within_budget: bool
    notes: list[str] = field(default_factory=list)

    def as_dict(self) -> dict:
        return asdict(self)


@dataclass
class Context:
    """What the cases may use: a signed-in client of a user holding every staff role, an
    anonymous client, and the run's options."""

    client: Client
    anonymous: Client
    options: dict


def discover() -> list:
    """The ``bench`` modules of the installed project apps."""
    modules = []
    for config in apps.get_app_configs():
        try:
            module = import_module(f"{config.name}.bench")
        except ModuleNotFoundError as error:
            if error.name != f"{config.name}.bench":
                raise
            continue
        if hasattr(module, "cases"):  # core.bench itself is the framework
            modules.append(module)
    return modules


def calibration_ms(rounds: int = 15) -> float:
    """How fast this machine runs plain Python right now: the median milliseconds of a fixed
    piece of work (filling a dict of 200,000 entries), the same on every run. Printed with
    the results so that a run made while the machine was slow (a virtual machine's neighbours,
    a build beside it) can be told from a change in the code: every page's time and every SQL
    floor grow with it (docs/performance.md)."""
    times = []
    for _ in range(rounds):
        start = time.perf_counter()
        filled = {}
        for number in range(200_000):
            filled[str(number)] = number * 2
        times.append((time.perf_counter() - start) * 1000)
    return round(statistics.median(times), 1)


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(share * (len(ordered) - 1))))
    return ordered[index]


def follow(client: Client, url: str, label: str) -> str:
    """The URL of the link called ``label`` (e.g. "Last") on the page at ``url``, resolved
    against it; ``url`` itself if the page has none (a list of one page)."""
    html = client.get(url, secure=True).content.decode()
    match = re.search(LINK.pattern.format(label=re.escape(label)), html)
    if not match:
        return url
    href = match.group(1).replace("&amp;", "&")
    return url.split("?")[0] + href if href.startswith("?") else href


def _time_sql(sql: str, params: tuple, repeat: int) -> list[float]:
    times = []
    with connection.cursor() as cursor:
        cursor.execute(sql, params)  # warm
        cursor.fetchall()
        for _ in range(repeat):
            start = time.perf_counter()
            cursor.execute(sql, params)
            cursor.fetchall()
            times.append((time.perf_counter() - start) * 1000)
    return times


def run_case(case: Case, context: Context, *, repeat: int) -> Result:
    client = context.client if not case.name.startswith("public") else context.anonymous
    url = case.url(client) if callable(case.url) else case.url
    notes = []
    # Warm first (the process's caches; a session renewal due once a minute), then count: the
    # count is what a user's second look at the page costs.
    client.get(url, secure=True)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, secure=True)
    queries = len(captured)
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        client.get(url, secure=True)
        times.append((time.perf_counter() - start) * 1000)
    floor = _time_sql(case.floor, case.floor_params, repeat) if case.floor else None
    p50, p95 = statistics.median(times), percentile(times, 0.95)
    floor_p50 = statistics.median(floor) if floor else None
    floor_p95 = percentile(floor, 0.95) if floor else None
    within = response.status_code == 200 and p95 <= case.budget_ms
    if case.max_queries is not None and queries > case.max_queries:
        within = False
        notes.append(f"{queries} queries > {case.max_queries}")
    if response.status_code != 200:
        notes.append(f"HTTP {response.status_code}")
    return Result(
        app=case.app,
        name=case.name,
        url=url,
        status=response.status_code,
        queries=queries,
        p50_ms=round(p50, 2),
        p95_ms=round(p95, 2),
        floor_p50_ms=round(floor_p50, 3) if floor_p50 is not None else None,
        floor_p95_ms=round(floor_p95, 3) if floor_p95 is not None else None,
        ratio=round(p95 / floor_p95, 1) if floor_p95 else None,
        budget_ms=case.budget_ms,
        max_queries=case.max_queries,
        within_budget=within,
        notes=notes,
    )
