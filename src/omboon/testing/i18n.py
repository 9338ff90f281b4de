"""Pages in English, for the apps' i18n tests: the compiled English catalogue (a session
fixture every test gets), a client that asked for English, and the Thai left in a page's
chrome (headings, labels, buttons — ours to translate; data cells are not)."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import translation
from django.utils.translation import trans_real

THAI = re.compile(r"[\u0E00-\u0E7F]")


@pytest.fixture(scope="session", autouse=True)
def english_catalogue():
    """Builds the English .mo from its .po when it is missing or older (``make install`` does
    the same with ``omboon compilemessages``). Written beside it and renamed into place, so a
    parallel test worker never reads a half-written catalogue."""
    po = Path(settings.BASE_DIR) / "locale" / "en" / "LC_MESSAGES" / "django.po"
    mo = po.with_suffix(".mo")
    if po.exists() and (not mo.exists() or mo.stat().st_mtime < po.stat().st_mtime):
        part = mo.with_name(f"{mo.name}.{os.getpid()}.part")
        subprocess.run([shutil.which("msgfmt") or "msgfmt", "--check-format", "-o", str(part), str(po)],
                       check=True)
        os.replace(part, mo)

        trans_real._translations = {}
        trans_real._default = None


@pytest.fixture(autouse=True)
def thai_to_begin_with():
    """Each test starts in the project's language, whatever the last one left active: a page
    asked for in English activates English for the rest of the thread, so a command or a
    service called after it would otherwise speak English (an order-dependent failure)."""
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.deactivate()


def in_english(client, user):
    """``client`` logged in as ``user`` with the language cookie the Thai-first middleware reads."""
    client.force_login(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


class _Chrome(HTMLParser):
    """The text inside headings, table headers, labels, buttons and the like: the page's
    chrome, which is ours to translate (cells hold data). An element marked ``lang="th"`` is
    Thai on purpose (the language switch's "ไทย") and left out, as are charts (an SVG's
    titles and labels come with the report's data)."""

    TAGS = {"title", "h1", "h2", "h3", "th", "label", "legend", "button", "dt", "caption", "summary"}

    def __init__(self):
        super().__init__()
        self.depth, self.parts, self.thai_tag = 0, [], None

    def handle_starttag(self, tag, attrs):
        if tag in self.TAGS:
            self.depth += 1
        if self.thai_tag is None and (tag == "svg" or (tag != "html" and ("lang", "th") in attrs)):
            self.thai_tag = tag

    def handle_endtag(self, tag):
        if tag in self.TAGS and self.depth:
            self.depth -= 1
        if tag == self.thai_tag:
            self.thai_tag = None

    def handle_data(self, data):
        if self.depth and self.thai_tag is None and data.strip():
            self.parts.append(data.strip())


def chrome(html: str) -> list[str]:
    parser = _Chrome()
    parser.feed(html)
    return parser.parts


def thai_in_chrome(html: str) -> list[str]:
    return [text for text in chrome(html) if THAI.search(text)]
