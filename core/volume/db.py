"""Writing generated rows: COPY, ids handed out ahead, number counters, markers, key checks."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Sequence
from contextlib import contextmanager

from django.db import connection, models

from core.models import NumberCounter

#: The counter row that marks an app's volume as written (``last`` = 1), in the app's own
#: transaction: a second run skips that app, a run stopped half-way resumes with the next one.
MARKER_PREFIX = "generate_volume:"

Log = Callable[[str], None]


# --- Markers and counters -----------------------------------------------------------------------


def is_generated(app_label: str) -> bool:
    return NumberCounter.objects.filter(series=MARKER_PREFIX + app_label, year=0).exists()


def mark_generated(app_label: str) -> None:
    NumberCounter.objects.update_or_create(
        series=MARKER_PREFIX + app_label, year=0, defaults={"last": 1}
    )


def counter_last(series: str, year: int) -> int:
    """The last number of a ``core.numbering`` counter (0 when none was handed out)."""
    return (
        NumberCounter.objects.filter(series=series, year=year)
        .values_list("last", flat=True)
        .first()
        or 0
    )


def counters_like(prefix: str) -> dict[tuple[str, int], int]:
    """Every counter whose series starts with ``prefix``: read them before a COPY starts (no
    other statement may run on the connection while one is open)."""
    rows = NumberCounter.objects.filter(series__startswith=prefix)
    return {
        (series, year): last for series, year, last in rows.values_list("series", "year", "last")
    }


def counters_set(values: dict[tuple[str, int], int]) -> None:
    """Move ``core.numbering`` counters to the last number written (never backwards)."""
    if not values:
        return
    rows = [(series, year, last) for (series, year), last in values.items()]
    table = NumberCounter._meta.db_table
    with connection.cursor() as cursor:
        for start in range(0, len(rows), 1000):
            chunk = rows[start : start + 1000]
            placeholders = ", ".join(["(%s, %s, %s)"] * len(chunk))
            cursor.execute(
                f"INSERT INTO {table} (series, year, last) VALUES {placeholders} "  # noqa: S608
                "ON CONFLICT (series, year) DO UPDATE "
                f"SET last = GREATEST({table}.last, EXCLUDED.last)",
                [value for row in chunk for value in row],
            )


# --- Ids and COPY -------------------------------------------------------------------------------


def reserve_ids(model: type[models.Model], count: int) -> int:
    """The first of ``count`` consecutive ids nobody else will get; the table's sequence is moved
    past them. Meant for a quiet database (the generator runs alone)."""
    table = model._meta.db_table
    column = model._meta.pk.column
    with connection.cursor() as cursor:
        cursor.execute(f"LOCK TABLE {table} IN EXCLUSIVE MODE")
        cursor.execute("SELECT pg_get_serial_sequence(%s, %s)", [table, column])
        (sequence,) = cursor.fetchone()
        cursor.execute(f"SELECT COALESCE(MAX({column}), 0) FROM {table}")  # noqa: S608
        (largest,) = cursor.fetchone()
        cursor.execute(f"SELECT last_value, is_called FROM {sequence}")  # noqa: S608
        last_value, is_called = cursor.fetchone()
        first = max(largest, last_value if is_called else last_value - 1) + 1
        if count:
            cursor.execute("SELECT setval(%s, %s, true)", [sequence, first + count - 1])
    return first


def _db_value(field: models.Field, value):
    if isinstance(field, models.JSONField):
        return json.dumps(value, ensure_ascii=False, cls=field.encoder)
    if isinstance(field, models.FileField):
        return str(value or "")
    return value


# One encoder for every row: ``json.dumps`` with options builds a new one per call.
_json_text = json.JSONEncoder(ensure_ascii=False, default=str).encode


class Copy:
    """Write rows of one model with COPY: ``with Copy(Model, ["id", "title", …]) as rows:
    rows.write((1, "…", …))``. Columns not named get the model's default (a callable default is
    called per row, so each row gets its own random code); a nullable column without a default
    gets NULL, a blank text column "", and any other is an error, so a column another change adds
    is never written empty by surprise.

    Columns that only PostgreSQL can compute (a tsvector: COPY calls no function) are given as
    ``computed`` (column: SQL expression over a table named ``stage``) with the text columns the
    expressions read as ``inputs``, whose values end each written row. The rows then go by COPY
    into a temporary table (no WAL) and into the model's table by one ``INSERT … SELECT`` when
    the block ends: each row is written once, with its computed columns, never updated after."""

    def __init__(
        self,
        model: type[models.Model],
        columns: Sequence[str],
        *,
        computed: dict[str, str] | None = None,
        inputs: Sequence[str] = (),
    ):
        self.model = model
        meta = model._meta
        by_name = {f.attname: f for f in meta.concrete_fields}
        by_name.update({f.name: f for f in meta.concrete_fields})
        self.fields = [by_name[name] for name in columns]
        given = {f.attname for f in self.fields}
        self.constant: list[tuple[models.Field, object]] = []
        self.dynamic: list[models.Field] = []
        given |= set(computed or ())
        for field in meta.concrete_fields:
            if field.attname in given or field.primary_key or getattr(field, "generated", False):
                continue
            if field.db_default is not models.NOT_PROVIDED:
                continue  # the database fills it
            if field.has_default():
                if callable(field.default):
                    self.dynamic.append(field)
                else:
                    self.constant.append((field, _db_value(field, field.get_default())))
            elif field.null:
                self.constant.append((field, None))
            elif isinstance(field, models.CharField | models.TextField | models.FileField):
                self.constant.append((field, ""))
            else:
                raise ValueError(f"{meta.label}.{field.name} needs a value in generate_volume")
        self.json = [i for i, f in enumerate(self.fields) if isinstance(f, models.JSONField)]
        names = [f.column for f in self.fields] + [f.column for f, _v in self.constant]
        names += [f.column for f in self.dynamic]
        self.width = len(self.fields)
        self.computed = computed or {}
        self.stage = f"volume_stage_{meta.db_table}" if self.computed else None
        if self.stage:
            self.prepare = [
                f"DROP TABLE IF EXISTS {self.stage}",
                f"CREATE TEMPORARY TABLE {self.stage} ON COMMIT DROP AS "  # noqa: S608
                f"SELECT {', '.join(names)} FROM {meta.db_table} WITH NO DATA",
                *(f"ALTER TABLE {self.stage} ADD COLUMN {name} text" for name in inputs),
            ]
            self.finish = (
                f"INSERT INTO {meta.db_table} ({', '.join([*names, *self.computed])}) "  # noqa: S608
                f"SELECT {', '.join([*names, *self.computed.values()])} FROM {self.stage} AS stage"
            )
            names += list(inputs)
        self.sql = f"COPY {self.stage or meta.db_table} ({', '.join(names)}) FROM STDIN"
        self.tail = tuple(value for _f, value in self.constant)
        self.count = 0

    def __enter__(self) -> Copy:
        self.cursor = connection.connection.cursor()
        for statement in self.prepare if self.stage else ():
            self.cursor.execute(statement)
        self._copy = self.cursor.copy(self.sql)
        self._writer = self._copy.__enter__()
        return self

    def write(self, row: Sequence) -> None:
        inputs = ()
        if self.stage:
            row, inputs = row[: self.width], row[self.width :]
        if self.json:
            row = list(row)
            for index in self.json:
                row[index] = _json_text(row[index])
        values = (*row, *self.tail)
        if self.dynamic:
            values = (*values, *(_db_value(f, f.get_default()) for f in self.dynamic))
        self._writer.write_row((*values, *inputs) if inputs else values)
        self.count += 1

    def __exit__(self, *exc) -> None:
        self._copy.__exit__(*exc)
        if self.stage and exc[0] is None:
            self.cursor.execute(self.finish)
            self.cursor.execute(f"DROP TABLE {self.stage}")
        self.cursor.close()


def copy_rows(model: type[models.Model], columns: Sequence[str], rows: Iterable[Sequence]) -> int:
    with Copy(model, columns) as copy:
        for row in rows:
            copy.write(row)
    return copy.count


def analyze(*models_: type[models.Model]) -> None:
    with connection.cursor() as cursor:
        for model in models_:
            cursor.execute(f"ANALYZE {model._meta.db_table}")


# --- Foreign keys checked once, by set ----------------------------------------------------------


def defer_row_checks() -> bool:
    """Skip the per-row foreign-key triggers for this transaction when the database user may
    (a superuser: ``session_replication_role``); ``check_foreign_keys`` then checks every key in
    one query per column. Returns whether the triggers are off."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
        row = cursor.fetchone()
        if not (row and row[0]):
            return False
        cursor.execute("SET LOCAL session_replication_role = replica")
    return True


def check_foreign_keys(app_label: str) -> None:
    """Raise if a row of ``app_label``'s tables points at a row that does not exist."""
    from django.apps import apps

    problems = []
    with connection.cursor() as cursor:
        for model in apps.get_app_config(app_label).get_models():
            table = model._meta.db_table
            for field in model._meta.concrete_fields:
                if not field.is_relation or field.many_to_many:
                    continue
                target = field.related_model._meta
                column = field.column
                target_column = field.target_field.column
                cursor.execute(
                    f"SELECT count(*) FROM {table} t WHERE t.{column} IS NOT NULL AND NOT EXISTS "  # noqa: S608
                    f"(SELECT 1 FROM {target.db_table} r WHERE r.{target_column} = t.{column})"
                )
                (missing,) = cursor.fetchone()
                if missing:
                    problems.append(f"{table}.{column}: {missing} rows")
    if problems:
        raise RuntimeError("generate_volume wrote dangling keys: " + "; ".join(problems))


# --- Timelines ----------------------------------------------------------------------------------


class Timeline:
    """The ``core.Event`` rows of generated objects of one model, kept until ``write()`` (after
    the objects' own COPY: no other statement may run while a COPY is open)."""

    columns = ("created", "actor_id", "verb", "content_type_id", "object_id", "object_repr", "data")

    def __init__(self, model: type[models.Model]):
        from django.contrib.contenttypes.models import ContentType

        self.content_type = ContentType.objects.get_for_model(model, for_concrete_model=False).pk
        self.rows: list[tuple] = []

    def add(self, pk: int, text: str, created, actor_id: int | None, verb: str, data=None):
        self.rows.append(
            (created, actor_id, verb, self.content_type, str(pk), text[:255], data or {})
        )

    def write(self) -> int:
        from core.models import Event

        count = copy_rows(Event, self.columns, self.rows)
        self.rows = []
        return count


# --- Indexes built once -------------------------------------------------------------------------


@contextmanager
def indexes_built_after(models_: Iterable[type[models.Model]]):
    """Drop the secondary indexes of the models' tables for the load and build them again at
    the end from their own definitions (``pg_get_indexdef``): building an index once over a
    million rows is many times cheaper than keeping it up to date row by row. Primary keys and
    the indexes of constraints stay; a unique index built again checks its rule over every row.
    DDL is transactional in PostgreSQL: a failed run leaves the indexes as they were."""
    saved: list[str] = []
    with connection.cursor() as cursor:
        for model in models_:
            cursor.execute(
                "SELECT i.relname, pg_get_indexdef(x.indexrelid) FROM pg_index x "
                "JOIN pg_class i ON i.oid = x.indexrelid "
                "WHERE x.indrelid = %s::regclass AND NOT x.indisprimary "
                "AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = x.indexrelid)",
                [model._meta.db_table],
            )
            for name, definition in cursor.fetchall():
                cursor.execute(f'DROP INDEX "{name}"')
                saved.append(definition)
    yield
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL maintenance_work_mem = '256MB'")
        for definition in saved:
            cursor.execute(definition)
