"""What a measured page is, and the budget of each kind of page (issue 16, item 6)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

# The most queries a page of each kind may run, whatever its rows. A form or another page
# (home, dashboard) shows about one object's worth of data, as a detail page does.
BUDGETS = {"list": 10, "detail": 12, "form": 12, "page": 12}


def _no_kwargs(world) -> dict:
    return {}


@dataclass(frozen=True)
class Page:
    """One GET page, answering 200: its URL name, its kind (a key of ``BUDGETS``), the key of the
    world's user who requests it (None: anonymous), how to fill its URL from the world, a query
    string, a variant name when one URL is measured in two states (a restricted document's
    page), ``fills=False`` for a list or detail page that shows the same whatever the rows (a
    capped number of rows, one object's fields), and what an anonymous visitor's session holds
    (the application they filed)."""

    name: str
    kind: str
    user: str | None
    kwargs: Callable[[object], dict] = field(default=_no_kwargs)
    query: str = ""
    variant: str = ""
    fills: bool = True
    session: Callable[[object], dict] | None = None

    @property
    def key(self) -> str:
        """The page's key in the snapshot file."""
        return f"{self.name} [{self.variant}]" if self.variant else self.name
