"""A person's walk through the pages: start at a page, follow every link and read every form,
as the test client of one logged-in user.

``walk`` returns the pages it opened (their HTML and visible text) and every *door* it saw —
a link (GET) or a form, an htmx ``hx-get``/``hx-post`` (the method and URL it would use, and
the values the form would send as it stands). The tests built on it check what the doors
answer (``test_what_each_role_sees``) and what language the pages speak
(``test_one_language``).
"""

from __future__ import annotations

import re
from collections import deque
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import parse_qsl, urldefrag, urljoin, urlsplit

from django.urls import Resolver404, resolve

# Not pages: switching language or signing out changes the session under the walk.
NOT_WALKED = ("/i18n/", "/logout/", "/accounts/logout/", "/static/", "/media/", "/admin/", "/api/")
# Downloads (read, but not parsed as pages).
DOWNLOAD_FORMATS = {"pdf", "xlsx", "csv", "json", "beancount", "txt"}


@dataclass
class Door:
    method: str  # "get" or "post"
    url: str  # the path with its query
    page: str  # the page it was seen on
    data: dict[str, str] = field(default_factory=dict)
    kind: str = "link"  # "link", "form", "htmx"

    def __str__(self) -> str:
        return f"{self.kind} {self.method.upper()} {self.url} (on {self.page})"


@dataclass
class Page:
    url: str
    status: int
    html: str
    text: list[str]  # the text a person reads, piece by piece (not scripts, styles or attributes)
    titles: list[str]  # attributes a person reads: title, placeholder, aria-label, alt, value of buttons


class _Reader(HTMLParser):
    SKIP = {"script", "style", "template"}

    def __init__(self, base: str):
        super().__init__(convert_charrefs=True)
        self.base = base
        self.doors: list[Door] = []
        self.text: list[str] = []
        self.titles: list[str] = []
        self._skip = 0
        self._form: Door | None = None
        self._select: str | None = None
        self._select_first: str | None = None
        self._textarea: str | None = None

    def _url(self, href: str) -> str | None:
        href = (href or "").strip()
        if not href or href.startswith(("#", "mailto:", "tel:", "javascript:", "data:")):
            return None
        url = urldefrag(urljoin(self.base, href))[0]
        parts = urlsplit(url)
        if parts.netloc and parts.netloc not in ("testserver", "localhost"):
            return None
        return parts.path + (f"?{parts.query}" if parts.query else "")

    def handle_starttag(self, tag, attrs):
        a = {k: (v if v is not None else "") for k, v in attrs}
        if tag in self.SKIP:
            self._skip += 1
        for name in ("title", "placeholder", "aria-label", "alt"):
            if a.get(name):
                self.titles.append(a[name])
        if tag == "a" and a.get("href"):
            url = self._url(a["href"])
            if url:
                self.doors.append(Door("get", url, self.base))
        for attr, method in (("hx-get", "get"), ("hx-post", "post")):
            if a.get(attr):
                url = self._url(a[attr])
                if url:
                    self.doors.append(Door(method, url, self.base, kind="htmx"))
        if tag == "form":
            method = (a.get("method") or "get").lower()
            url = self._url(a.get("action") or self.base) or self.base
            self._form = Door(method, url, self.base, kind="form")
            self.doors.append(self._form)
        elif self._form is not None:
            name = a.get("name")
            if tag == "input" and name:
                kind = a.get("type", "text").lower()
                if kind in ("checkbox", "radio"):
                    if "checked" in a:
                        self._form.data.setdefault(name, a.get("value", "on"))
                elif kind not in ("submit", "button", "image", "file", "reset"):
                    self._form.data.setdefault(name, a.get("value", ""))
            elif tag == "select" and name:
                self._select, self._select_first = name, None
            elif tag == "option" and self._select:
                value = a.get("value", "")
                if self._select_first is None:
                    self._select_first = value
                if "selected" in a:
                    self._form.data[self._select] = value
            elif tag == "textarea" and name:
                self._textarea = name
                self._form.data.setdefault(name, "")
        if tag == "input" and a.get("type", "").lower() in ("submit", "button") and a.get("value"):
            self.titles.append(a["value"])

    def handle_endtag(self, tag):
        if tag in self.SKIP and self._skip:
            self._skip -= 1
        elif tag == "form":
            self._form = None
        elif tag == "select" and self._select:
            if self._form is not None and self._select not in self._form.data and self._select_first is not None:
                self._form.data[self._select] = self._select_first
            self._select = None
        elif tag == "textarea":
            self._textarea = None

    def handle_data(self, data):
        if self._skip:
            return
        if self._textarea and self._form is not None:
            self._form.data[self._textarea] += data
            return  # a field's value, the person's to edit, not the page's own words
        if data.strip():
            self.text.append(data.strip())


def read(url: str, html: str) -> tuple[list[Door], list[str], list[str]]:
    reader = _Reader(url)
    reader.feed(html)
    reader.close()
    return reader.doors, reader.text, reader.titles


def is_download(url: str) -> bool:
    query = dict(parse_qsl(urlsplit(url).query))
    path = urlsplit(url).path
    return query.get("format") in DOWNLOAD_FORMATS or path.rsplit(".", 1)[-1] in DOWNLOAD_FORMATS


def _route(path: str) -> str:
    try:
        return resolve(path).route
    except Resolver404:
        return path


def walk(client, start: list[str], *, within: tuple[str, ...] = ("/o/",), limit: int = 400,
         per_route: int = 2, skip=lambda url: False) -> tuple[dict[str, Page], list[Door]]:
    """Open ``start`` and every page linked from it under ``within`` (at most ``limit`` pages,
    breadth first). A page of a list is opened once whatever its query, but for its first
    one page per URL pattern is opened at most ``per_route`` times (a member's page, a filter);
    downloads are not opened. Returns the pages and every door seen."""
    pages: dict[str, Page] = {}
    doors: list[Door] = []
    queue = deque(start)
    seen_routes: dict[str, int] = {}
    while queue and len(pages) < limit:
        url = queue.popleft()
        path = urlsplit(url).path
        if url in pages or skip(url) or path.startswith(NOT_WALKED) or is_download(url):
            continue
        route = _route(path)
        if seen_routes.get(route, 0) >= per_route:  # another member's page, another filter: enough
            continue
        seen_routes[route] = seen_routes.get(route, 0) + 1
        response = client.get(url)
        content_type = response.get("Content-Type", "")
        if response.status_code != 200 or not content_type.startswith("text/html"):
            pages[url] = Page(url, response.status_code, "", [], [])
            continue
        html = response.content.decode()
        found, text, titles = read(url, html)
        pages[url] = Page(url, response.status_code, html, text, titles)
        for door in found:
            doors.append(door)
            if door.method == "get" and door.kind != "htmx" and urlsplit(door.url).path.startswith(within):
                queue.append(door.url)
    return pages, doors


# What a Thai page may hold in Latin letters: the brand, the language button, codes in capitals
# (BDC, RC2569/00012, PDF), and units of measure.
LATIN_WORD = re.compile(r"[A-Za-z][A-Za-z'’-]*[A-Za-z]|[A-Za-z]")
LATIN_ALLOWED = {"Omboon", "English", "xlsx", "csv", "json", "pdf", "Excel", "px",
                 "x-xxxx-xxxxx", "xxx", "xx"}  # masked national IDs, account groups (51xx)
THAI_LETTER = re.compile(r"[\u0E01-\u0E4F]")
COMMAND = re.compile(r"\bomboon [a-z][a-z-]*")  # a command's name ("omboon savings") is code, not English


def foreign_words(texts: list[str], lang: str) -> list[str]:
    """The pieces of a page's text in the other language: Latin-letter words on a Thai page
    (but for codes in capitals and ``LATIN_ALLOWED``), Thai letters on an English page."""
    found = []
    for text in texts:
        if lang == "th":
            found += [w for w in LATIN_WORD.findall(COMMAND.sub("", text))
                      if w not in LATIN_ALLOWED and not (w.isupper() and len(w) <= 5)]
        elif THAI_LETTER.search(text):
            found.append(text)
    return found
