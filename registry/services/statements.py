"""The statements of a registration: the number's plan, the one INSERT that takes the number
last, and the series read with a new document id (part of registry.services)."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import DEFAULT_DB_ALIAS, connection, connections

from core import numbering
from core.models import Event
from registry import search
from registry.models import (
    Document,
    Series,
)


def _number_plan(document: Document, *, parent: Document | None) -> tuple[str, str, int]:
    """Set everything of the number but its running part, which the insert takes (``_insert``):
    returns the counter's name, the field the running part goes to and its least width.
    ``document.number`` holds the number without the running part until then."""
    if parent is not None:
        root = parent.parent or parent
        document.year = root.year
        document.sequence = root.sequence
        document.parent = root
        document.number = f"{root.number}-"
        return f"registry-follow-up:{root.pk}", "follow_up_index", 1
    year = document.registered_on.year
    document.year = year
    document.number = f"{document.series.code}/{year % 100:02d}-"
    return f"registry:{document.series.code}", "sequence", 3


def _columns(instance, *, skip: Iterable[str] = ()) -> tuple[list[str], list[str], list]:
    """The columns, value placeholders and parameters that ``save()`` would insert for
    ``instance`` (without the fields in ``skip``, and without its primary key when it has none)."""
    database = connections[DEFAULT_DB_ALIAS]  # not the proxy: this runs for every field
    quote = database.ops.quote_name
    names, params = [], []
    for field in type(instance)._meta.concrete_fields:
        if (field.primary_key and instance.pk is None) or field.name in skip:
            continue
        names.append(quote(field.column))
        params.append(field.get_db_prep_save(field.pre_save(instance, True), database))
    return names, ["%s"] * len(names), params


def _insert(
    document: Document,
    *,
    row: search.IndexRow,
    counter: str,
    numbered: str,
    width: int,
    records: list[Event],
) -> None:
    """Insert the document with its number, its vectors and its events in one statement that
    takes the number first: the counter row is locked only from here to the commit, and
    everything that does not need the number is done before. ``row`` is the document's
    ``search.unsaved_row``; ``records`` are its unsaved events, the first of which gets
    ``{"number": …}`` added to its data."""
    take, take_params = numbering.take_sql(counter, document.year)
    staff, public, vector_params = search.numbered_vectors(row, "t.text")
    computed = {"number", numbered, "search_vector", "public_search_vector"}
    names, values, params = _columns(document, skip=computed)
    names += [connection.ops.quote_name(name) for name in ("number", numbered)]
    names += ["search_vector", "public_search_vector"]
    values += ["%s || t.text", "t.last", staff, public]
    params += [document.number, *vector_params]
    event_selects, event_params = [], []
    for index, event in enumerate(records):
        event_names, event_values, prepared = _columns(
            event, skip={"object_id", "object_repr", "data"}
        )
        data = Event._meta.get_field("data").get_db_prep_save(event.data, connection)
        add_number = " || jsonb_build_object('number', d.number)" if index == 0 else ""
        event_values += ["d.id::text", "d.number", f"%s::jsonb{add_number}"]
        event_selects.append(f"SELECT {', '.join(event_values)} FROM d")  # noqa: S608
        event_params += [*prepared, data]
    event_names += ["object_id", "object_repr", "data"]
    sql = f"""
        WITH n AS ({take}
        ), t AS (
            SELECT last, lpad(last::text, greatest(%s, length(last::text)), '0') AS text FROM n
        ), d AS (
            INSERT INTO {Document._meta.db_table} ({", ".join(names)})
            SELECT {", ".join(values)} FROM t
            RETURNING id, number, {numbered}
        ), e AS (
            INSERT INTO {Event._meta.db_table} ({", ".join(event_names)})
            {" UNION ALL ".join(event_selects)}
        )
        SELECT id, number, {numbered} FROM d
    """  # noqa: S608 - the models' column names and placeholders; the values are parameters
    with connection.cursor() as cursor:
        cursor.execute(sql, [*take_params, width, *params, *event_params])
        document.pk, document.number, running = cursor.fetchone()
    setattr(document, numbered, running)
    document._state.adding = False
    document._state.db = connection.alias


# The series as it is now and an id for the new document, in one plain query: the ORM's get of
# the series with its function took more Python time than all the rest of a registration
# (bench --registrations), and with its id known the document's notification job is written
# before the number is taken. An id drawn by a refused registration is simply not used.
_SERIES_NOW = """
SELECT s.code, s.default_restriction_basis_id, s.is_closed OR f.is_closed,
    nextval(pg_get_serial_sequence('registry_document', 'id'))
FROM registry_series AS s JOIN registry_function AS f ON f.id = s.function_id
WHERE s.id = %s
"""


def _series_now(series: Series) -> tuple[bool, int]:
    """Bring ``series``'s code and default restriction up to date (as refresh_from_db would;
    a changed default is read when it is used); say whether it or its function is closed, and
    give an id for the document to be registered."""
    with connection.cursor() as cursor:
        cursor.execute(_SERIES_NOW, [series.pk])
        row = cursor.fetchone()
    if row is None:
        raise Series.DoesNotExist(f"Series {series.pk} does not exist.")
    series.code, series.default_restriction_basis_id, closed, document_id = row
    return closed, document_id
