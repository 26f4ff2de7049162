"""The .po files are complete: every message translated into Estonian, English and Russian."""

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest

BASE_DIR = Path(__file__).resolve().parent.parent
LANGUAGES = ("et", "en", "ru")
PLACEHOLDER = re.compile(r"%\([a-z_]+\)[sd]")


def catalog(language: str) -> polib.POFile:
    return polib.pofile(str(BASE_DIR / "locale" / language / "LC_MESSAGES" / "django.po"))


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_message_is_translated(language):
    po = catalog(language)
    untranslated = [entry.msgid for entry in po.untranslated_entries()]
    fuzzy = [entry.msgid for entry in po.fuzzy_entries()]
    assert not untranslated, untranslated
    assert not fuzzy, fuzzy


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_plural_has_as_many_forms_as_the_language(language):
    """msgfmt refuses a catalog whose plural has fewer forms than its Plural-Forms header says
    (Russian has four here): compilemessages would then fail on a newcomer's machine."""
    po = catalog(language)
    forms = int(re.search(r"nplurals\s*=\s*(\d+)", po.metadata["Plural-Forms"]).group(1))
    short = [
        e.msgid for e in po.translated_entries() if e.msgid_plural and len(e.msgstr_plural) != forms
    ]
    assert not short, short


@pytest.mark.parametrize("language", LANGUAGES)
def test_translations_keep_the_placeholders(language):
    for entry in catalog(language).translated_entries():
        expected = set(PLACEHOLDER.findall(entry.msgid + (entry.msgid_plural or "")))
        translations = entry.msgstr_plural.values() if entry.msgid_plural else [entry.msgstr]
        for text in translations:
            found = set(PLACEHOLDER.findall(text))
            # A plural form may leave out the number ("one day"), never add an unknown one.
            assert found <= expected, (entry.msgid, text)
            if not entry.msgid_plural:
                assert found == expected, (entry.msgid, text)


@pytest.mark.skipif(not shutil.which("xgettext"), reason="gettext (xgettext) is not installed")
def test_po_files_hold_every_message_in_the_code(tmp_path):
    """makemessages on the code gives no message that the committed .po files lack.

    It runs on a copy of the tree: makemessages writes into every ``locale`` folder above the
    files it reads whatever LOCALE_PATHS says, so run in place it would rewrite the committed
    catalogue (while other tests read it)."""
    tree = tmp_path / "tree"
    shutil.copytree(
        BASE_DIR,
        tree,
        ignore=shutil.ignore_patterns(
            ".venv",
            ".git",
            "var",
            "build",
            "*.egg-info",
            "node_modules",
            "media",
            "screenshots",
            "staticfiles",
            "*.mo",
        ),
    )
    env = {**os.environ, "DJANGO_DEBUG": "1", "DJANGO_LOCALE_DIR": str(tree / "locale")}
    subprocess.run(  # noqa: S603 - fixed arguments
        [sys.executable, "manage.py", "makemessages", "-l", "et", "--no-obsolete", "-v", "0"]
        + ["--ignore=.venv", "--ignore=var", "--ignore=tests", "--ignore=node_modules"],
        cwd=tree,
        env=env,
        check=True,
    )
    fresh = polib.pofile(str(tree / "locale" / "et" / "LC_MESSAGES" / "django.po"))
    committed = {(e.msgctxt, e.msgid) for e in catalog("et") if not e.obsolete}
    missing = sorted(e.msgid for e in fresh if (e.msgctxt, e.msgid) not in committed)
    assert not missing, f"run `make translations` and translate: {missing}"
