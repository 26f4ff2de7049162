"""Active content in uploaded PDFs: found at upload, removed from every copy the portal serves.

A PDF may carry JavaScript (an ``/OpenAction`` or ``/AA`` additional action that runs when the
file or a page opens, a ``/JavaScript`` name tree, a link whose action is a script), actions that
start programs or send data (``/Launch``, ``/SubmitForm``, ``/ImportData``), XFA forms (which
script too) and embedded files (``/EmbeddedFiles``, file-attachment annotations). None of that
belongs in a letter to an agency, and a reader that runs it on a clerk's machine or a visitor's
is an attack. Such files are still accepted — refusing a citizen's application because their
PDF printer added a script would lose it — but:

- ``scan`` names what a file carries; the upload services keep that on the attachment
  (``active_content``) so staff see it next to the file;
- ``stripped`` makes a copy without any of it, and ``core.downloads.file_download`` serves that
  copy whenever the attachment was flagged. The stored original is never changed: it is the
  record of what was received.

pikepdf (qpdf) reads the file; a PDF it cannot read is reported as ``unreadable`` (and served
as it is: it passed the content check, and a reader that cannot parse it will not run it).
"""

from __future__ import annotations

import io
import logging
from typing import IO

import pikepdf
from django.utils.translation import gettext_lazy as _

log = logging.getLogger(__name__)

JAVASCRIPT = "javascript"
EMBEDDED_FILES = "embedded_files"
ACTIONS = "actions"  # launch, submit, import: run or send without script
UNREADABLE = "unreadable"

LABELS = {
    JAVASCRIPT: _("JavaScript"),
    EMBEDDED_FILES: _("embedded files"),
    ACTIONS: _("actions that start programs or send data"),
    UNREADABLE: _("could not be checked"),
}

_SCRIPT_ACTIONS = {"/JavaScript", "/Rendition"}
_OTHER_ACTIONS = {"/Launch", "/SubmitForm", "/ImportData", "/RichMediaExecute", "/GoToE"}
_FILE_ANNOTATIONS = {"/FileAttachment", "/RichMedia", "/Screen", "/Sound", "/Movie"}


def _name(value) -> str:
    return str(value) if isinstance(value, pikepdf.Name) else ""


def _action_kinds(action) -> set[str]:
    """What an action dictionary (and the actions chained after it in ``/Next``) would do."""
    found: set[str] = set()
    seen = 0
    stack = [action]
    while stack and seen < 1000:
        seen += 1
        item = stack.pop()
        if isinstance(item, pikepdf.Array):
            stack.extend(item)
            continue
        if not isinstance(item, pikepdf.Dictionary):
            continue
        kind = _name(item.get("/S"))
        if kind in _SCRIPT_ACTIONS or "/JS" in item:
            found.add(JAVASCRIPT)
        elif kind in _OTHER_ACTIONS:
            found.add(ACTIONS)
        if "/Next" in item:
            stack.append(item["/Next"])
    return found


def _walk(pdf: pikepdf.Pdf, *, strip: bool) -> set[str]:
    """Every dictionary reachable from the document catalogue and its pages, once: what it
    carries, and with ``strip`` the same removed in place."""
    root = pdf.Root
    found = _catalogue(root, strip=strip)
    visited: set[tuple[int, int]] = set()
    stack: list = [root, *(page.obj for page in pdf.pages)]
    while stack:
        item = stack.pop()
        if isinstance(item, pikepdf.Object) and item.is_indirect:
            key = item.objgen
            if key in visited:
                continue
            visited.add(key)
        if isinstance(item, pikepdf.Array):
            found |= _array(item, stack, strip=strip)
            continue
        if not isinstance(item, pikepdf.Dictionary | pikepdf.Stream):
            continue
        if isinstance(item, pikepdf.Stream):
            if _name(item.get("/Type")) == "/EmbeddedFile":
                found.add(EMBEDDED_FILES)
            item = item.stream_dict
        found |= _dictionary(item, strip=strip)
        for key, value in item.items():
            if key in ("/Parent", "/P"):
                continue  # back to the page tree: reached from the root already
            if isinstance(value, pikepdf.Dictionary | pikepdf.Array | pikepdf.Stream):
                stack.append(value)
    return found


def _catalogue(root, *, strip: bool) -> set[str]:
    """The catalogue's document-level JavaScript, embedded files and XFA form."""
    found: set[str] = set()
    names = root.get("/Names")
    if isinstance(names, pikepdf.Dictionary):
        for key, flag in (("/JavaScript", JAVASCRIPT), ("/EmbeddedFiles", EMBEDDED_FILES)):
            if key in names:
                found.add(flag)
                if strip:
                    del names[key]
    acroform = root.get("/AcroForm")
    if isinstance(acroform, pikepdf.Dictionary) and "/XFA" in acroform:
        found.add(JAVASCRIPT)
        if strip:
            del acroform["/XFA"]
    return found


def _array(item, stack: list, *, strip: bool) -> set[str]:
    """An array's file attachment annotations (removed with ``strip``); its other elements go
    on ``stack`` to be walked."""
    found: set[str] = set()
    keep = []
    for element in item:
        if isinstance(element, pikepdf.Dictionary) and (
            _name(element.get("/Subtype")) in _FILE_ANNOTATIONS
        ):
            found.add(EMBEDDED_FILES)
            if strip:
                continue
        keep.append(element)
        stack.append(element)
    if strip and len(keep) != len(item):
        item[:] = keep
    return found


def _dictionary(item, *, strip: bool) -> set[str]:
    """A dictionary's embedded file, actions (open, annotation, additional) and JavaScript."""
    found: set[str] = set()
    if _name(item.get("/Type")) == "/Filespec" and "/EF" in item:
        found.add(EMBEDDED_FILES)
        if strip:
            del item["/EF"]
    for key in ("/OpenAction", "/A", "/AA", "/PA"):
        if key not in item:
            continue
        value = item[key]
        kinds = (
            set().union(*(_action_kinds(v) for v in value.values()))
            if key == "/AA" and isinstance(value, pikepdf.Dictionary)
            else _action_kinds(value)
        )
        found |= kinds
        if strip and (kinds or key == "/AA"):
            del item[key]
    if "/JS" in item:
        found.add(JAVASCRIPT)
        if strip:
            del item["/JS"]
    return found


def _open(file: IO[bytes]) -> pikepdf.Pdf:
    file.seek(0)
    return pikepdf.open(io.BytesIO(file.read()))


def scan(file: IO[bytes]) -> list[str]:
    """What active content a PDF carries (``JAVASCRIPT``, ``EMBEDDED_FILES``, ``ACTIONS``), or
    ``[UNREADABLE]``; empty for a plain document. The file is left at position 0."""
    try:
        with _open(file) as pdf:
            return sorted(_walk(pdf, strip=False))
    except (pikepdf.PdfError, ValueError, RecursionError) as error:
        log.info("PDF could not be scanned for active content: %s", error)
        return [UNREADABLE]
    finally:
        file.seek(0)


def stripped(file: IO[bytes]) -> bytes | None:
    """A copy of the PDF with its JavaScript, actions and embedded files removed; None when it
    cannot be read (then nothing is served in its place)."""
    try:
        with _open(file) as pdf:
            _walk(pdf, strip=True)
            output = io.BytesIO()
            pdf.save(output)
            return output.getvalue()
    except (pikepdf.PdfError, ValueError, RecursionError) as error:
        log.warning("PDF could not be stripped of active content: %s", error)
        return None
    finally:
        file.seek(0)


def flags_for(uploaded_file, kind_key: str) -> str:
    """What an upload services stores in ``active_content``: comma-separated flags of a PDF,
    empty for a plain one or any other kind of file."""
    if kind_key != "pdf":
        return ""
    return ",".join(flag for flag in scan(uploaded_file) if flag != UNREADABLE)


def labels(active_content: str) -> list[str]:
    """The flags of ``active_content`` in words, for staff pages."""
    return [str(LABELS.get(flag, flag)) for flag in active_content.split(",") if flag]
