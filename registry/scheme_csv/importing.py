"""Importing the classification scheme from CSV: every row checked first and reported with its
line, then written in one transaction (or only tried: a dry run), each change through the
scheme's services."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from core import tabular
from core.workflow import locking
from registry import services
from registry.models import Function, RestrictionBasis, Series
from registry.scheme_csv.common import (
    CODE_MAX,
    COLUMNS,
    DELIMITER,
    FALSE_VALUES,
    MAX_BYTES,
    MAX_ROWS,
    RETENTION_MAX,
    TITLE_MAX,
    TRUE_VALUES,
)


@dataclass(frozen=True)
class RowError:
    row: int  # 1 is the header; 0 is the file as a whole
    message: str


@dataclass
class Row:
    number: int
    function_code: str
    function_title: str
    series_code: str
    series_title: str
    retention_years: int | None
    basis: RestrictionBasis | None
    closed: bool


@dataclass
class ImportResult:
    errors: list[RowError] = field(default_factory=list)
    functions_created: int = 0
    functions_updated: int = 0
    series_created: int = 0
    series_updated: int = 0
    unchanged: int = 0
    dry_run: bool = False

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def changed(self) -> int:
        return (
            self.functions_created
            + self.functions_updated
            + self.series_created
            + self.series_updated
        )


def parse(data: bytes) -> tuple[list[Row], list[RowError]]:
    """Read and check every row. Returns the rows when there are no errors, else the errors."""
    if len(data) > MAX_BYTES:
        return [], [
            RowError(
                0, _("The file is too large: at most %(size)s kB.") % {"size": MAX_BYTES // 1024}
            )
        ]
    try:
        table = tabular.read_table(data, max_rows=MAX_ROWS)
    except tabular.TableError as error:
        return [], [RowError(error.line, error.message)]
    header = list(table.header)
    missing = [name for name in COLUMNS if name not in header]
    unknown = [name for name in header if name not in COLUMNS]
    if missing or unknown:
        message = _("The first row must name the columns %(columns)s.") % {
            "columns": DELIMITER.join(COLUMNS)
        }
        return [], [RowError(table.header_line, message)]
    return _check_rows(header, table.rows)


class _Checker:
    """The rows of a scheme file checked one by one, remembering what earlier rows said (a
    function's title, the series and function-only rows seen, the first row of each function)."""

    def __init__(self):
        self.functions = {f.code: f for f in Function.objects.all()}
        self.bases = {b.code: b for b in RestrictionBasis.objects.all()}
        self.function_titles: dict[str, tuple[str, int]] = {}  # code → (title, row) in the file
        self.seen_series: dict[str, int] = {}
        self.seen_function_rows: dict[str, int] = {}
        self.first_rows: dict[str, int] = {}  # function code → the first row naming it

    def function_problems(self, value: dict, number: int) -> list[str]:
        problems = []
        function_code, function_title = value["function_code"], value["function_title"]
        if not function_code:
            problems.append(_("The function code is missing."))
        elif not _valid_code(function_code):
            problems.append(
                _("Function code %(code)s: use digits separated by dashes, e.g. 1.")
                % {"code": function_code}
            )
        if function_code:
            self.first_rows.setdefault(function_code, number)
        if len(function_title) > TITLE_MAX:
            problems.append(
                _("The function title is longer than %(max)s characters.") % {"max": TITLE_MAX}
            )
        if function_code and function_title:
            earlier = self.function_titles.get(function_code)
            if earlier and earlier[0] != function_title:
                problems.append(
                    _("Function %(code)s has another title on row %(row)s.")
                    % {"code": function_code, "row": earlier[1]}
                )
            self.function_titles.setdefault(function_code, (function_title, number))
        return problems

    def series_problems(self, value: dict, number: int) -> tuple[list[str], int | None, object]:
        """The series part's problems, its retention in years and its restriction basis."""
        problems, retention_years, basis = [], None, None
        series_code, series_title = value["series_code"], value["series_title"]
        retention, basis_code = value["retention_years"], value["default_restriction_code"]
        if not series_code:
            if series_title or retention or basis_code:
                problems.append(_("The series code is missing."))
            elif value["function_code"] in self.seen_function_rows:
                problems.append(
                    _("Function %(code)s is already on row %(row)s.")
                    % {
                        "code": value["function_code"],
                        "row": self.seen_function_rows[value["function_code"]],
                    }
                )
            self.seen_function_rows.setdefault(value["function_code"], number)
            return problems, None, None
        if not _valid_code(series_code):
            problems.append(
                _("Series code %(code)s: use digits separated by dashes, e.g. 1-2.")
                % {"code": series_code}
            )
        elif series_code in self.seen_series:
            problems.append(
                _("Series %(code)s is already on row %(row)s.")
                % {"code": series_code, "row": self.seen_series[series_code]}
            )
        self.seen_series.setdefault(series_code, number)
        if not series_title:
            problems.append(_("The series title is missing."))
        elif len(series_title) > TITLE_MAX:
            problems.append(
                _("The series title is longer than %(max)s characters.") % {"max": TITLE_MAX}
            )
        if retention:
            if not retention.isdigit() or not 1 <= int(retention) <= RETENTION_MAX:
                problems.append(
                    _("Retention: a number of years from 1 to %(max)s, or empty for permanent.")
                    % {"max": RETENTION_MAX}
                )
            else:
                retention_years = int(retention)
        if basis_code:
            basis = self.bases.get(basis_code)
            if basis is None:
                problems.append(
                    _("There is no restriction basis with the code %(code)s.")
                    % {"code": basis_code}
                )
        return problems, retention_years, basis

    def untitled_functions(self) -> list[RowError]:
        """A new function (not in the scheme) that no row gives a title."""
        return [
            RowError(number, _("The new function %(code)s needs a title.") % {"code": code})
            for code, number in self.first_rows.items()
            if code not in self.functions and code not in self.function_titles
        ]


def _check_rows(header: list[str], records: list[tabular.Row]) -> tuple[list[Row], list[RowError]]:
    checker = _Checker()
    rows: list[Row] = []
    errors: list[RowError] = []
    for record in records:
        number = record.line
        if len(record.cells) != len(header):
            errors.append(
                RowError(
                    number,
                    _("Expected %(expected)s columns, found %(found)s.")
                    % {"expected": len(header), "found": len(record.cells)},
                )
            )
            continue
        value = record.as_dict()
        problems = checker.function_problems(value, number)
        closed_text = value["closed"].lower()
        if closed_text not in TRUE_VALUES | FALSE_VALUES:
            problems.append(_("Closed: write 1 for a closed one, leave empty for an open one."))
        series_problems, retention_years, basis = checker.series_problems(value, number)
        problems += series_problems
        if problems:
            errors.extend(RowError(number, problem) for problem in problems)
            continue
        rows.append(
            Row(
                number=number,
                function_code=value["function_code"],
                function_title=value["function_title"],
                series_code=value["series_code"],
                series_title=value["series_title"],
                retention_years=retention_years,
                basis=basis,
                closed=closed_text in TRUE_VALUES,
            )
        )
    errors += checker.untitled_functions()
    errors.sort(key=lambda error: error.row)
    return (rows, []) if not errors else ([], errors)


def _valid_code(code: str) -> bool:
    return len(code) <= CODE_MAX and re.fullmatch(services.SCHEME_CODE_FORMAT, code) is not None


class _RowFailed(Exception):
    def __init__(self, row: int, messages: list[str]):
        super().__init__(row)
        self.row = row
        self.messages = messages


class _DryRun(Exception):
    pass


def import_scheme(data: bytes, *, actor=None, dry_run: bool = False) -> ImportResult:
    """Check ``data`` (the file's bytes) and, when every row is right, create or update the
    functions and series it names, all in one transaction. ``dry_run`` counts and rolls back."""
    rows, errors = parse(data)
    if errors:
        return ImportResult(errors=errors, dry_run=dry_run)
    result = ImportResult(dry_run=dry_run)
    try:
        with transaction.atomic():
            _apply(rows, actor=actor, result=result)
            if dry_run:
                raise _DryRun
    except _DryRun:
        pass
    except _RowFailed as failure:
        return ImportResult(
            errors=[RowError(failure.row, message) for message in failure.messages],
            dry_run=dry_run,
        )
    return result


def _call(row: int, write, **kwargs):
    try:
        return write(**kwargs)
    except ValidationError as error:
        raise _RowFailed(row, error.messages) from error


def _apply(rows: list[Row], *, actor, result: ImportResult) -> None:
    functions = _apply_functions(rows, actor=actor, result=result)
    series = {s.code: s for s in locking(Series.objects)}
    for row in rows:
        if not row.series_code:
            continue
        function = functions[row.function_code]
        fields = {
            "function": function,
            "code": row.series_code,
            "title": row.series_title,
            "retention_years": row.retention_years,
            "default_restriction_basis": row.basis,
            "is_closed": row.closed,
        }
        existing = series.get(row.series_code)
        if existing is None:
            _call(row.number, services.series_save, actor=actor, **fields)
            result.series_created += 1
        elif _same(existing, fields):
            result.unchanged += 1
        else:
            _call(row.number, services.series_save, actor=actor, series=existing, **fields)
            result.series_updated += 1


def _apply_functions(rows: list[Row], *, actor, result: ImportResult) -> dict:
    """The functions first, each once, with the title and closed state the file gives it:
    {code: function}, the scheme's own and the new ones (locked while the import runs)."""
    functions = {f.code: f for f in locking(Function.objects)}
    wanted: dict[str, dict] = {}
    for row in rows:
        entry = wanted.setdefault(
            row.function_code, {"row": row.number, "title": "", "closed": None}
        )
        entry["title"] = entry["title"] or row.function_title
        if not row.series_code:
            entry["closed"] = row.closed
    for code, entry in wanted.items():
        function = functions.get(code)
        if function is None:
            functions[code] = _call(
                entry["row"],
                services.function_save,
                actor=actor,
                code=code,
                title=entry["title"],
                is_closed=bool(entry["closed"]),
            )
            result.functions_created += 1
            continue
        title = entry["title"] or function.title
        closed = function.is_closed if entry["closed"] is None else entry["closed"]
        if (title, closed) == (function.title, function.is_closed):
            result.unchanged += 1
            continue
        functions[code] = _call(
            entry["row"],
            services.function_save,
            actor=actor,
            function=function,
            code=code,
            title=title,
            is_closed=closed,
        )
        result.functions_updated += 1
    return functions


def _same(series: Series, fields: dict) -> bool:
    basis = fields["default_restriction_basis"]
    return (
        series.function_id == fields["function"].pk
        and series.title == fields["title"]
        and series.retention_years == fields["retention_years"]
        and series.default_restriction_basis_id == (basis.pk if basis else None)
        and series.is_closed == fields["is_closed"]
    )
