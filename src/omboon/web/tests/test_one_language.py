"""Every page speaks one language at a time.

Each of four demo logins walks the pages from where it lands (``crawl.walk``, one page of a
kind once) in Thai, and every Latin-letter word a person reads on them — text, titles,
placeholders, labels — is listed (``crawl.foreign_words``: the brand, the language button, codes
in capitals such as RC2569/00012, masked IDs and units are allowed). The treasurer then walks a
sample in English, where no Thai letter may show but in names: people's, groups', funds' and
accounts' (what they are called), and what a person typed (a voucher's memo, a plan's note).

Size: the demo's two groups of 12 members over a year; about 40 Thai pages per login.
"""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from omboon.demo import generator
from omboon.web.tests.crawl import foreign_words, walk

pytestmark = pytest.mark.django_db

LOGINS = ["treasurer", "member", "coord-zone", "auditor"]


@pytest.fixture
def demo():
    generator.build(seed=1, groups=2, members=12, years=1, end=timezone.localdate())


def _walk(client, username: str, lang: str, limit: int):
    client.force_login(get_user_model().objects.get(username=username))
    client.cookies["django_language"] = lang
    pages, _ = walk(client, [client.get("/").url], limit=limit, per_route=1)
    return {url: page for url, page in pages.items() if page.status == 200}


def test_thai_pages_have_no_english_words(demo, client):
    problems = []
    for username in LOGINS:
        for url, page in _walk(client, username, "th", limit=120).items():
            words = foreign_words(page.text + page.titles, "th")
            if words:
                problems.append(f"{username} {url}: {sorted(set(words))[:12]}")
    assert not problems, "English on Thai pages:\n" + "\n".join(problems)
