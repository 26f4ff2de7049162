"""The old binary Office formats (.doc, .xls), read by Debian's antiword, catdoc and xls2csv with a
timeout."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from typing import IO

from registry.extract.common import (
    _CHUNK,
    TOOL_TIMEOUT_SECONDS,
    ExtractionError,
    ToolMissing,
    _Text,
)


def _run_tool(commands: list[list[str]], file: IO[bytes], suffix: str) -> str:
    """The UTF-8 output of the first of ``commands`` (each with ``{}`` for the file's path)
    that is installed and succeeds; ``ToolMissing`` when none is installed, ``ExtractionError``
    with the tools' complaint when all fail."""
    with tempfile.TemporaryDirectory(prefix="extract-") as folder:
        path = os.path.join(folder, f"file{suffix}")
        with open(path, "wb") as copy:
            shutil.copyfileobj(file, copy, _CHUNK)
        errors, tried = [], 0
        for command in commands:
            if shutil.which(command[0]) is None:
                continue
            tried += 1
            try:
                done = subprocess.run(  # noqa: S603 - a fixed program, the path is ours
                    [path if part == "{}" else part for part in command],
                    capture_output=True,
                    timeout=TOOL_TIMEOUT_SECONDS,
                    check=False,
                    cwd=folder,
                    env={**os.environ, "LC_ALL": "C.UTF-8"},
                )
            except subprocess.TimeoutExpired:
                errors.append(f"{command[0]}: took longer than {TOOL_TIMEOUT_SECONDS} s")
                continue
            if done.returncode == 0 and done.stdout.strip():
                return done.stdout.decode("utf-8", "replace")
            message = done.stderr.decode("utf-8", "replace").strip().splitlines()
            errors.append(f"{command[0]}: {message[-1] if message else 'no text'}")
        if not tried:
            names = ", ".join(command[0] for command in commands)
            raise ToolMissing(f"No program to read the file is installed ({names}).")
        raise ExtractionError("; ".join(errors))


def _doc(file: IO[bytes], text: _Text, **_options) -> None:
    text.add(
        _run_tool(
            [["antiword", "-m", "UTF-8.txt", "-w", "0", "{}"], ["catdoc", "-d", "utf-8", "{}"]],
            file,
            ".doc",
        )
    )


def _xls(file: IO[bytes], text: _Text, **_options) -> None:
    text.add(_run_tool([["xls2csv", "-d", "utf-8", "-q", "0", "{}"]], file, ".xls"))
