"""OCR with ocrmypdf and Tesseract (Estonian, Russian, English): a searchable PDF beside the
original, and what its exit codes mean."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tempfile

from registry.extract.common import (
    MAX_TEXT_CHARS,
    OCR_IMAGE_KINDS,
    OCR_LANGUAGES,
    ExtractionError,
    ToolMissing,
    clean_text,
)

# OCRmyPDF's exit codes (ocrmypdf.ExitCode) that mean the file itself is the problem.
_OCR_BAD_INPUT = {2: "The file is not a PDF or image that can be read.", 8: "The PDF is encrypted."}


_OCR_MISSING = 3  # missing_dependency: tesseract or ghostscript not installed


_OCR_ALREADY_TEXT = 6  # prior OCR found (only without --skip-text)


_OCR_NOT_PDFA = 10  # the output is a valid PDF, but not PDF/A: good enough


_SKIPPED_PAGE = re.compile(r"\[OCR skipped on page\(s\) [^\]]*\]")


def _ocr_input(path: str, kind_key: str, folder: str) -> tuple[str, bool]:
    """The file OCRmyPDF reads, and whether it is an image: JPEG, TIFF and PNG without
    transparency as they are; GIF, and images with an alpha channel, as a PNG without one."""
    if kind_key not in OCR_IMAGE_KINDS:
        return path, False
    from PIL import Image

    try:
        with Image.open(path) as image:
            simple = image.format in ("JPEG", "TIFF", "PNG") and image.mode in ("1", "L", "RGB")
            if simple and not (image.format == "PNG" and "transparency" in image.info):
                return path, True
            image.seek(0)
            flat = image.convert("RGB")
    except Exception as error:  # Pillow: damaged, truncated, a decompression bomb …
        raise ExtractionError(f"The image cannot be read: {error}") from error
    converted = os.path.join(folder, "image.png")
    flat.save(converted, dpi=flat.info.get("dpi") or (300, 300))
    return converted, True


def _pdf_page_count(path: str) -> int:
    from pypdf import PdfReader

    try:
        return len(PdfReader(path, strict=False).pages)
    except Exception:
        return 0  # OCRmyPDF will say what is wrong


def ocr(
    path: str | os.PathLike,
    kind_key: str,
    *,
    output: str | os.PathLike,
    languages: str = OCR_LANGUAGES,
    timeout: int = 600,
    max_pages: int = 50,
    max_chars: int = MAX_TEXT_CHARS,
) -> str:
    """Read the text of a scan (an image, or a PDF whose pages are images) with OCRmyPDF and
    Tesseract in ``languages``; write the searchable PDF to ``output`` and return the text it
    read, cleaned. At most ``max_pages`` pages are read, in a child process that is killed
    after ``timeout`` seconds. ``ExtractionError`` when the file cannot be read (damaged,
    encrypted, too slow); ``ToolMissing`` or ``OSError`` otherwise (worth a retry).

    A scan becomes a PDF/A. A PDF with some pages of text and some scanned is read with
    ``--skip-text`` (its text pages are kept as they are), as PDF/A too where Ghostscript
    allows it; Ghostscript 10.0.0-10.02.0 (Debian bookworm) corrupts such PDFs, and OCRmyPDF
    refuses it for them, so those become a plain searchable PDF instead."""
    path = os.path.abspath(os.fspath(path))  # the child runs in a folder of its own
    deadline = _Deadline(timeout)
    with tempfile.TemporaryDirectory(prefix="ocr-") as folder:
        source, is_image = _ocr_input(path, kind_key, folder)
        sidecar = os.path.join(folder, "text.txt")
        result = os.path.join(folder, "searchable.pdf")
        options = ["--language", languages, "--sidecar", sidecar, "--jobs", "1", "--quiet"]
        if is_image:
            options += ["--image-dpi", "300"]  # used only when the image does not say
        elif _pdf_page_count(source) > max_pages:
            options += ["--pages", f"1-{max_pages}"]
        done = _ocrmypdf([*options, "--output-type", "pdfa"], source, result, folder, deadline)
        if done.returncode == _OCR_ALREADY_TEXT:  # some pages have text: leave those alone
            options += ["--skip-text"]
            done = _ocrmypdf([*options, "--output-type", "pdfa"], source, result, folder, deadline)
            if done.returncode == _OCR_MISSING and b"Ghostscript" in done.stderr:
                done = _ocrmypdf(
                    [*options, "--output-type", "pdf"], source, result, folder, deadline
                )
        last = _complaint(done.stderr)
        if done.returncode == _OCR_MISSING or (
            done.returncode != 0 and "No module named ocrmypdf" in last
        ):
            raise ToolMissing(f"OCR is not installed: {last}")
        if done.returncode in _OCR_BAD_INPUT:
            raise ExtractionError(f"{_OCR_BAD_INPUT[done.returncode]} {last}".strip())
        if done.returncode not in (0, _OCR_NOT_PDFA) or not os.path.exists(result):
            raise OSError(f"OCR failed (exit code {done.returncode}): {last}")
        shutil.copyfile(result, output)
        with open(sidecar, encoding="utf-8", errors="replace") as handle:
            read = handle.read(max_chars)
    return clean_text(_SKIPPED_PAGE.sub("", read)).strip()


def _complaint(stderr: bytes) -> str:
    """The last line of OCRmyPDF's error output that says something to staff (not a traceback's
    frames, not its advice to run it in Docker)."""
    lines = [
        line.strip()
        for line in stderr.decode("utf-8", "replace").splitlines()
        if line.strip()
        and not line.startswith((" ", "\t"))
        and "docker" not in line
        and not line.startswith(("Traceback", "Input file is a file"))
    ]
    return lines[-1][:500] if lines else ""


class _Deadline:
    def __init__(self, seconds: int):
        import time

        self.seconds, self._clock = seconds, time.monotonic
        self.end = self._clock() + seconds

    def left(self) -> float:
        left = self.end - self._clock()
        if left <= 0:
            raise ExtractionError(f"Reading the text took longer than {self.seconds} s.")
        return left


def _ocrmypdf(
    options: list[str], source: str, result: str, folder: str, deadline: _Deadline
) -> subprocess.CompletedProcess:
    """Run OCRmyPDF in a child process (killed at the deadline): a hung Tesseract or Ghostscript
    cannot hold the worker, and OCRmyPDF's own worker processes are not a Celery worker's."""
    command = [sys.executable, "-m", "ocrmypdf", *options, source, result]
    env = {**os.environ, "OMP_THREAD_LIMIT": "1", "TMPDIR": folder}
    try:
        return subprocess.run(  # noqa: S603 - our own interpreter and arguments
            command,
            capture_output=True,
            timeout=deadline.left(),
            check=False,
            cwd=folder,
            env=env,
        )
    except subprocess.TimeoutExpired as error:
        raise ExtractionError(f"Reading the text took longer than {deadline.seconds} s.") from error
