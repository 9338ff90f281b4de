"""Every page speaks one language at a time.

Each of four demo logins walks the pages from where it lands (``crawl.walk``, one page of a
kind once) in Thai, and every Latin-letter word a person reads on them — text, titles,
placeholders, labels — is listed (``crawl.foreign_words``: the brand, the language button, codes
in capitals such as RC2569/00012, masked IDs and units are allowed). The treasurer then walks a
sample in English, where no Thai letter may show but what the database holds as it was
recorded — people's, groups', funds' and accounts' names, what a person typed (a voucher's memo,
a plan's note) — and what is marked ``lang="th"`` on purpose (a receipt's amount in Thai words,
as the law asks, beside the English ones).

Size: the demo's two groups of 12 members over a year; about 40 Thai pages per login.
"""

from __future__ import annotations

import re

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from omboon.demo import generator
from omboon.web.tests.crawl import THAI_LETTER, foreign_words, walk

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


# Thai on purpose, marked lang="th": the language button's "ไทย", a receipt's amount in Thai words.
LANG_TH = re.compile(r'<(\w+)[^>]*\slang="th"[^>]*>(.*?)</\1>', re.S)


def _recorded_thai() -> list[str]:
    """Every Thai text the database holds — names, places, what a person (or the books) wrote — the
    longest first: an English page may show these as they were recorded, and nothing else in Thai.
    The audit trail's summaries are left out: an English page does not show them."""
    from django.apps import apps
    from django.db import models

    found = set()
    for model in apps.get_models():
        if model._meta.label == "core.AuditEvent" or not (model.__module__.startswith("omboon.")
                                                           or model._meta.label == "auth.User"):
            continue
        fields = [f.name for f in model._meta.concrete_fields if isinstance(f, (models.CharField, models.TextField))]
        for row in model.objects.values_list(*fields) if fields else []:
            found.update(v for v in row if v and THAI_LETTER.search(v))
    return sorted(found, key=len, reverse=True)


def test_english_pages_show_thai_only_as_it_was_recorded(demo, client):
    recorded, problems = _recorded_thai(), []
    for url, page in _walk(client, "treasurer", "en", limit=60).items():
        on_purpose = [re.sub(r"<[^>]+>", "", inner) for _tag, inner in LANG_TH.findall(page.html)]
        for text in foreign_words(page.text + page.titles, "en"):
            for value in on_purpose + recorded:
                text = text.replace(value, " ")
            if THAI_LETTER.search(text):
                problems.append(f"{url}: {text.strip()[:80]}")
    assert not problems, "Thai on English pages:\n" + "\n".join(sorted(set(problems)))
