"""The French catalogue is complete: every marked string is in it, translated."""

import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest

ROOT = Path(__file__).resolve().parents[2]
CATALOGUES = ROOT / "locale"


def catalogue(language: str) -> polib.POFile:
    return polib.pofile(str(CATALOGUES / language / "LC_MESSAGES" / "django.po"))


def test_french_catalogue_has_no_untranslated_or_fuzzy_entry():
    po = catalogue("fr")

    untranslated = [entry.msgid for entry in po.untranslated_entries()]
    fuzzy = [entry.msgid for entry in po.fuzzy_entries()]
    assert untranslated == []
    assert fuzzy == []
    assert len(po.translated_entries()) > 100


@pytest.mark.parametrize("language", ["fr", "en"])
def test_compiled_catalogue_matches_its_source(language):
    po = catalogue(language)
    mo = polib.mofile(str(CATALOGUES / language / "LC_MESSAGES" / "django.mo"))

    def pairs(entries):
        return {(e.msgctxt, e.msgid, e.msgstr, tuple(sorted(e.msgstr_plural.items()))) for e in entries}

    assert pairs(e for e in po if e.translated() and not e.obsolete) == pairs(e for e in mo if e.msgid)


def test_every_marked_string_is_in_the_catalogue(tmp_path):
    """Extract the strings afresh (as `makemessages` does) and compare with the committed catalogue."""
    if not shutil.which("xgettext"):
        pytest.fail("gettext is not installed: apt-get install gettext (the test command does it)")
    copy = tmp_path / "src"
    shutil.copytree(
        ROOT,
        copy,
        ignore=shutil.ignore_patterns(
            ".git", ".venv", "node_modules", "staticfiles", "var", "__pycache__", "*.mo"
        ),
    )
    subprocess.run(
        [
            sys.executable,
            "manage.py",
            "makemessages",
            "-l",
            "fr",
            "--no-obsolete",
            "--ignore",
            "tests/*",
            "--ignore",
            "benchmarks/*",
            "--ignore",
            "docs/*",
        ],
        cwd=copy,
        check=True,
        capture_output=True,
        timeout=120,
        env={"PATH": "/usr/bin:/bin", "DEBUG": "true", "HOME": str(tmp_path)},
    )
    fresh = {(e.msgctxt, e.msgid) for e in polib.pofile(str(copy / "locale/fr/LC_MESSAGES/django.po"))}
    committed = {(e.msgctxt, e.msgid) for e in catalogue("fr") if not e.obsolete}

    assert sorted(fresh - committed, key=str) == [], "strings missing from locale/fr: run bin/messages"
