"""Every message of the intake corpus (tests/intake/corpus, see its README.md) is read without a
crash, loses no attachment and is recognised as what it is (issue 15)."""

from __future__ import annotations

import functools
import json
from pathlib import Path

import pytest

from core.intake.parse import ParsedMail, parse_file

CORPUS = Path(__file__).parent / "corpus"
EXPECTED = json.loads((CORPUS / "expected.json").read_text(encoding="utf-8"))
MESSAGES = sorted(path.name for path in CORPUS.iterdir() if path.suffix in (".eml", ".msg"))


@functools.cache
def parse_corpus(name: str) -> ParsedMail:
    """The parse of a corpus message, made once per test process: the tests here, and those
    that compare what the intake kept with it, read the same result (the Outlook .msg with an
    RTF body takes seconds to parse). Nothing may change the object returned."""
    return parse_file(name, (CORPUS / name).read_bytes())


def test_the_corpus_is_large_and_every_message_has_its_expectation():
    assert len(MESSAGES) >= 40
    assert sorted(EXPECTED) == MESSAGES
    assert sum(name.endswith(".msg") for name in MESSAGES) >= 3


def _clean(text: str) -> bool:
    return "\x00" not in text and not any("\udc80" <= char <= "\udcff" for char in text)


@pytest.mark.parametrize("name", MESSAGES)
def test_corpus_message(name):
    expected = EXPECTED[name]
    parsed = parse_corpus(name)

    assert isinstance(parsed, ParsedMail)
    assert parsed.kind == expected["kind"], parsed.kind_reason
    assert (parsed.kind == "message") == (parsed.kind_reason == "")
    # no attachment lost: every expected file, by name, with content
    assert [file.name for file in parsed.files] == expected["files"]
    for file in parsed.files:
        assert isinstance(file.content, bytes)
        assert file.content, file.name
        assert 0 < len(file.name) <= 255
        assert "/" not in file.name
        assert "\\" not in file.name
        assert file.content_type
        assert "/" in file.content_type
    assert {f.name: f.origin for f in parsed.files if f.origin} == expected.get("origins", {})
    for word in expected["text"]:
        assert word in parsed.text, (word, parsed.text[:500])
    for word in expected.get("quoted", []):
        assert word in parsed.quoted, (word, parsed.quoted[:500])
        assert word not in parsed.text
    forwarded_text = "\n".join(f.text + "\n" + f.quoted for f in parsed.forwarded)
    for word in expected.get("forwarded", []):
        assert word in forwarded_text
    if "bounce" in expected:
        assert parsed.bounce is not None
        assert parsed.bounce.original_message_id == expected["bounce"]["original_message_id"]
        assert parsed.bounce.recipients == expected["bounce"]["recipients"]
    else:
        assert parsed.bounce is None
    if "from_email" in expected:
        assert parsed.from_email == expected["from_email"]
    else:
        assert "@" in parsed.from_email
        assert parsed.from_email == parsed.from_email.lower()
    # fit for PostgreSQL and the models' lengths
    for text in (parsed.subject, parsed.text, parsed.quoted, parsed.html, parsed.from_name):
        assert _clean(text)
    assert len(parsed.subject) <= 255
    assert "\n" not in parsed.subject
    assert len(parsed.message_id) <= 255
    assert parsed.language in ("et", "en", "ru")
    assert parsed.sent_at is None or parsed.sent_at.tzinfo is not None


def test_corpus_has_every_kind_and_no_machine_passes_as_a_person():
    kinds = {EXPECTED[name]["kind"] for name in MESSAGES}
    assert kinds == {"message", "auto_reply", "bounce", "bulk"}
    machines = [n for n in MESSAGES if n.startswith(("dsn_", "bounce_", "ooo_", "autoreply_"))]
    assert all(EXPECTED[name]["kind"] != "message" for name in machines)


def test_corpus_attachments_total():
    """The count the issue measured: every attachment of the corpus comes out."""
    total = sum(len(EXPECTED[name]["files"]) for name in MESSAGES)
    found = sum(len(parse_corpus(name).files) for name in MESSAGES)
    assert found == total >= 35
