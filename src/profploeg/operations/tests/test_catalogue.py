"""Every interface string in use has its Dutch translation, and the compiled catalogue is current.

The strings are extracted afresh (makemessages on a copy of the package, as `make messages`
does), so a new {% translate %} or gettext() without a Dutch entry fails here."""

import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from django.test import SimpleTestCase

PACKAGE = Path(__file__).resolve().parents[2]
PO = Path("locale/nl_BE/LC_MESSAGES/django.po")


def entries(text: str) -> list[tuple[str, str, bool]]:
    """(msgid, msgstr of the first form, fuzzy) of every entry but the header."""
    found = []
    for block in text.split("\n\n"):
        if "msgid" not in block:
            continue
        fuzzy = "#, fuzzy" in block or ", fuzzy" in block
        ids = re.findall(r'^msgid "(.*)"$', block, flags=re.M)
        strs = re.findall(r'^msgstr(?:\[0\])? "(.*)"((?:\n".*")*)', block, flags=re.M)
        msgid = "".join(
            re.findall(r'^(?:msgid|msgid_plural)? ?"(.*)"$', block.split("msgstr")[0], flags=re.M)
        )
        if not ids or msgid == "":
            continue
        msgstr = strs[0][0] + "".join(re.findall(r'"(.*)"', strs[0][1])) if strs else ""
        found.append((msgid, msgstr, fuzzy))
    return found


class CatalogueTests(SimpleTestCase):
    def test_every_string_in_use_has_a_dutch_translation(self):
        if shutil.which("xgettext") is None:
            self.skipTest("gettext is not installed (apt-get install gettext)")
        with tempfile.TemporaryDirectory() as folder:
            copy = Path(folder) / "profploeg"
            shutil.copytree(
                PACKAGE, copy, ignore=shutil.ignore_patterns("__pycache__", "static", "*.mo")
            )
            result = subprocess.run(
                [sys.executable, "-m", "django", "makemessages", "-l", "nl_BE", "--no-obsolete"],
                cwd=copy,
                env={
                    "PATH": "/usr/bin:/bin",
                    "DJANGO_SETTINGS_MODULE": "profploeg.settings",
                    "PYTHONPATH": str(PACKAGE.parent),
                },
                capture_output=True,
                text=True,
                timeout=300,
            )
            self.assertEqual(result.returncode, 0, result.stderr)
            extracted = (copy / PO).read_text()
        missing = [msgid for msgid, msgstr, fuzzy in entries(extracted) if not msgstr or fuzzy]
        self.assertEqual(missing, [], f"{len(missing)} strings without a checked Dutch translation")

    def test_the_compiled_catalogue_matches_the_source(self):
        if shutil.which("msgfmt") is None:
            self.skipTest("gettext is not installed (apt-get install gettext)")
        mo = PACKAGE / PO.with_suffix(".mo")
        with tempfile.NamedTemporaryFile(suffix=".mo") as fresh:
            subprocess.run(
                ["msgfmt", "--check", "-o", fresh.name, str(PACKAGE / PO)], check=True, timeout=60
            )
            self.assertEqual(Path(fresh.name).read_bytes(), mo.read_bytes(), "run make messages")
