"""The English catalogue: Thai is the source language, and every string of the shell's pages
has an English translation (no empty or fuzzy entry)."""

from __future__ import annotations

import re
from pathlib import Path

from django.conf import settings

PO = Path(settings.BASE_DIR) / "locale" / "en" / "LC_MESSAGES" / "django.po"
OURS = ("src/omboon/web/", "src/omboon/members/templates/", "src/omboon/members/views.py")


def _entries() -> list[dict]:
    entries = []
    for block in PO.read_text(encoding="utf-8").strip().split("\n\n")[1:]:
        refs = [r for line in block.splitlines() if line.startswith("#: ") for r in line[3:].split()]
        flags = " ".join(line for line in block.splitlines() if line.startswith("#,"))
        strings = re.findall(r'^msgstr(?:\[\d\])? "(.*)"((?:\n".*")*)', block, re.M)
        msgid = re.search(r'^msgid "(.*)"((?:\n".*")*)', block, re.M)
        entries.append({
            "msgid": msgid.group(1) + "".join(re.findall(r'"(.*)"', msgid.group(2))),
            "refs": refs,
            "fuzzy": "fuzzy" in flags,
            "translated": all(first or rest.strip() for first, rest in strings),
        })
    return entries


def test_catalogue_is_english_with_thai_sources():
    text = PO.read_text(encoding="utf-8")
    assert '"Language: en\\n"' in text
    assert 'msgid "สมาชิก"\nmsgstr "Members"' in text


def test_every_string_of_the_shell_is_translated():
    ours = [e for e in _entries() if any(r.startswith(OURS) for r in e["refs"])]
    assert len(ours) > 80
    untranslated = [e["msgid"] for e in ours if e["fuzzy"] or not e["translated"]]
    assert not untranslated, f"translate these in {PO}: {untranslated}"
