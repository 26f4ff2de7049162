"""The classification scheme as CSV: export, and an all-or-nothing import.

The file: as Excel saves it, read by core.tabular (UTF-8 with or without a byte-order mark,
UTF-16, windows-1257; columns separated by ``;``, ``,`` or a tab; blank lines and Excel's
trailing empty columns ignored). Export writes UTF-8 with ``;``. A header row::

    function_code;function_title;series_code;series_title;retention_years;default_restriction_code;closed

One row per series. ``retention_years`` empty means permanent; ``default_restriction_code`` is a
restriction basis's code or empty; ``closed`` is 1 (closed) or empty/0 (open). A row without a
series code describes a function alone (a function without series), and its ``closed`` is the
function's. Export writes exactly this, so exporting and importing again changes nothing.

The import checks every row first and reports each error with its row number (the line of the
file where the row begins: the header is row 1, a value with line breaks counts its lines);
only a file without errors is imported, in one transaction, creating or updating functions and
series by code and never deleting anything. The writes go through
registry.services (function_save, series_save).
"""

from __future__ import annotations

from registry.scheme_csv.common import (  # noqa: F401 - the package's names
    CODE_MAX,
    COLUMNS,
    DELIMITER,
    FALSE_VALUES,
    MAX_BYTES,
    MAX_ROWS,
    RETENTION_MAX,
    TITLE_MAX,
    TRUE_VALUES,
    code_key,
)
from registry.scheme_csv.export import (  # noqa: F401 - the package's names
    _flag,
    export_csv,
    export_rows,
)
from registry.scheme_csv.importing import (  # noqa: F401 - the package's names
    ImportResult,
    Row,
    RowError,
    _apply,
    _call,
    _check_rows,
    _DryRun,
    _RowFailed,
    _same,
    _valid_code,
    import_scheme,
    parse,
)
