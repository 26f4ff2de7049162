"""Issue 17, item 11: the acts the portal cites, cited right. A wrong citation told a clerk to
look up the wrong section: the shortened working day is TLS § 53 (1), not (2); the memorandum
act is MSVS (its § 6), there is no "MTVS"; the records management rules are VV 25.05.2017 nr 88
and the archives rules VV 22.12.2011 nr 181, not the repealed "Dokumendihalduse korraldamise
ühtsed alused". Searched in every file a user or a developer reads: code, templates,
translations and docs."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
READ = ("*.py", "*.html", "*.po", "*.md", "*.txt")
SKIP = {".venv", "var", "node_modules", ".git", "tests"}

WRONG = {
    r"53\s*\(2\)": "the shortened working day is TLS § 53 (1)",
    r"\bMTVS\b": "the memorandum act is MSVS",
    r"korraldamise ühtsed alused": "replaced by VV 25.05.2017 nr 88 and VV 22.12.2011 nr 181",
}


def _files():
    for pattern in READ:
        for path in ROOT.rglob(pattern):
            if not SKIP.intersection(path.relative_to(ROOT).parts):
                yield path


@pytest.mark.parametrize("wrong", sorted(WRONG))
def test_no_file_cites_an_act_wrongly(wrong):
    found = [
        str(path.relative_to(ROOT))
        for path in _files()
        if re.search(wrong, path.read_text(encoding="utf-8", errors="ignore"))
    ]
    assert not found, f"{WRONG[wrong]}: {found}"


def test_the_shortened_working_day_cites_tls_53_1():
    text = (ROOT / "core" / "calendar.py").read_text(encoding="utf-8")
    assert "TLS § 53 (1)" in text
