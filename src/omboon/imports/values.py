"""A group's own words: the values of coded fields mapped to the app's codes.

Hand-kept files say things their own way — "ช"/"ญ" for sex, "เงินออมวันหนึ่งบาท" for the
daily saving, "เงินสงเคราะห์ (ตาย)" for the death benefit. Each kind names its coded fields
(``KindSpec.coded``: a ``Coded`` each, with its codes and the words Thai funds write for them).
For every coded field of a file the distinct values are listed with their count and the code
each one matched, and how:

- ``answered``    the job's own answer (the web's value step, ``--values FILE``)
- ``remembered``  the group's answer from an earlier file of the same kind
- ``exact``       the code itself, or its Thai or English label
- ``synonym``     one of the known words for the code
- ``close``       a close spelling (the score says how close): uncertain, must be answered
- ``kept``        a field whose values are open (titles): a word nothing matches is kept as written
- ``unknown``     nothing matched: must be answered

Words are compared without case, spaces or punctuation, Thai digits read as Arabic. A row
whose value is uncertain or unknown is refused with a Problem that names the column, the word,
how many rows hold it and the three closest codes; every other row gets the code in place of
the word (``translate``), so a kind's check sees codes only. Rows are never added or dropped
here: the kind's check decides which rows are accepted, and the refused rows stay refused.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from dataclasses import dataclass, field
from difflib import SequenceMatcher

from omboon.core.errors import Problem
from omboon.core.thaidate import arabic_digits
from omboon.imports import cells

ANSWERED, REMEMBERED, EXACT, SYNONYM, CLOSE, KEPT, UNKNOWN = (
    "answered", "remembered", "exact", "synonym", "close", "kept", "unknown")
CERTAIN = {ANSWERED, REMEMBERED, EXACT, SYNONYM, KEPT}
CLOSE_ENOUGH = 0.75  # a close spelling is suggested from this score up (still to be answered)
SHOWN_ROWS = 10  # row numbers listed with a value

HOW_TEXT = {
    ANSWERED: ("ตามที่ตอบ", "answered"), REMEMBERED: ("ตามที่กลุ่มเคยตอบ", "remembered"),
    EXACT: ("ตรงกับรหัส", "exact"), SYNONYM: ("คำที่รู้จัก", "known synonym"),
    CLOSE: ("สะกดใกล้เคียง", "close spelling"), KEPT: ("ใช้ตามที่เขียน", "kept as written"),
    UNKNOWN: ("ไม่รู้จัก", "unknown"),
}


def norm(value) -> str:
    """A word as compared: no case, spaces or punctuation; Thai digits as Arabic."""
    return re.sub(r"[\s_\-.,()/:;*#\[\]'\"]+", "", arabic_digits(cells.text(value)).lower())


@dataclass(frozen=True)
class Choice:
    code: str
    th: str
    en: str

    def label(self, lang: str = "th") -> str:
        return self.en if lang == "en" else self.th


@dataclass(frozen=True)
class Coded:
    """A coded field of a kind: its codes (``choices``) and the words that mean each one.

    ``open``: any value is allowed (a title): a word nothing matches is kept as written,
    and an answer may be any text; otherwise an answer must be one of the codes."""

    field: str
    choices: tuple[Choice, ...]
    synonyms: dict[str, str]
    open: bool = False
    max_length: int = 100

    @property
    def codes(self) -> set[str]:
        return {c.code for c in self.choices}

    def choice(self, code: str) -> Choice | None:
        return next((c for c in self.choices if c.code == code), None)

    def label(self, code: str, lang: str = "th") -> str:
        found = self.choice(code)
        return found.label(lang) if found else code

    def exact_words(self) -> dict[str, str]:
        words: dict[str, str] = {}
        for c in self.choices:
            for name in (c.code, c.th, c.en):
                if norm(name):
                    words.setdefault(norm(name), c.code)
        return words

    def all_words(self) -> dict[str, str]:
        """Every known word → its code: the codes and labels, then the synonyms."""
        words = self.exact_words()
        for word, code in self.synonyms.items():
            words.setdefault(norm(word), code)
        return words

    def code_of(self, value) -> str | None:
        """The code a cell means by the known words alone (exact or synonym), else None."""
        return _known(self).get(norm(value))

    def closest(self, word: str, n: int = 3) -> list[tuple[str, float]]:
        """The ``n`` codes whose words are spelled most like ``word``, with the best score."""
        key = norm(word)
        best: dict[str, float] = {}
        for known, code in _known(self).items():
            score = SequenceMatcher(None, key, known).ratio()
            if score > best.get(code, -1.0):
                best[code] = score
        return sorted(best.items(), key=lambda item: (-item[1], item[0]))[:n]


_KNOWN: dict[int, dict[str, str]] = {}


def _known(coded: Coded) -> dict[str, str]:
    found = _KNOWN.get(id(coded))
    if found is None:
        found = _KNOWN[id(coded)] = coded.all_words()
    return found


@dataclass(frozen=True)
class Match:
    code: str | None
    how: str
    score: float = 1.0

    @property
    def certain(self) -> bool:
        return self.how in CERTAIN


def match(coded: Coded, word: str, *, answers: dict[str, str] | None = None,
          remembered: dict[str, str] | None = None) -> Match:
    """The code ``word`` means for this field: the job's answer, the group's remembered answer,
    an exact code or label, a known synonym, a close spelling (uncertain), else unknown (or,
    for an open field, the word as written)."""
    key = norm(word)
    for given, how in ((answers, ANSWERED), (remembered, REMEMBERED)):
        if given and key in given:
            return Match(given[key], how)
    exact = coded.exact_words()
    if key in exact:
        return Match(exact[key], EXACT)
    known = _known(coded)
    if key in known:
        return Match(known[key], SYNONYM)
    if coded.open:
        return Match(" ".join(cells.text(word).split())[:coded.max_length], KEPT)
    near = coded.closest(word, 1)
    if near and near[0][1] >= CLOSE_ENOUGH:
        return Match(near[0][0], CLOSE, round(near[0][1], 2))
    return Match(None, UNKNOWN, round(near[0][1], 2) if near else 0.0)


@dataclass
class Value:
    """One distinct word of a field in a file: how many rows hold it, the first few of them,
    and what it was matched to."""

    word: str
    count: int
    rows: list[int]
    match: Match
    closest: list[tuple[str, float]] = field(default_factory=list)


@dataclass
class FieldValues:
    coded: Coded
    column: str  # the file's header
    values: list[Value]

    @property
    def field(self) -> str:
        return self.coded.field

    @property
    def open_questions(self) -> int:
        return sum(1 for v in self.values if not v.match.certain)


def normalised(answers: dict[str, dict[str, str]] | None) -> dict[str, dict[str, str]]:
    """Answers with their words as compared (``norm``)."""
    return {f: {norm(w): c for w, c in (words or {}).items() if norm(w)} for f, words in (answers or {}).items()}


def survey(coded_fields, rows: list[tuple[int, dict]], *, columns: dict[str, str] | None = None,
           answers=None, remembered=None) -> list[FieldValues]:
    """The distinct values of each coded field the file has (a column mapped to it), most
    frequent first, each matched. A blank cell is no value (the kind decides what blank means)."""
    answers, remembered = normalised(answers), normalised(remembered)
    present = set(rows[0][1]) if rows else set()
    out = []
    for coded in coded_fields:
        if coded.field not in present:
            continue
        counts: Counter = Counter()
        where: dict[str, list[int]] = {}
        shown: dict[str, str] = {}
        for row, data in rows:
            value = data.get(coded.field)
            if cells.is_blank(value):
                continue
            word = cells.text(value)
            key = norm(word)
            if not key:
                continue
            counts[key] += 1
            shown.setdefault(key, word)
            listed = where.setdefault(key, [])
            if len(listed) < SHOWN_ROWS:
                listed.append(row)
        values = []
        for key, count in sorted(counts.items(), key=lambda item: (-item[1], item[0])):
            word = shown[key]
            found = match(coded, word, answers=answers.get(coded.field), remembered=remembered.get(coded.field))
            near = [] if found.certain else coded.closest(word)
            values.append(Value(word, count, where[key], found, near))
        column = next((h for h, f in (columns or {}).items() if f == coded.field), coded.field)
        out.append(FieldValues(coded, column, values))
    return out


def _problem(fv: FieldValues, value: Value, row: int) -> Problem:
    choices_th = ", ".join(fv.coded.label(c) for c, _ in value.closest)
    choices_en = ", ".join(f"{fv.coded.label(c, 'en')} ({c})" for c, _ in value.closest)
    rows = f"{value.count:,}"
    if value.match.how == CLOSE:
        label_th, label_en = fv.coded.label(value.match.code), fv.coded.label(value.match.code, "en")
        return Problem(fv.field,
                       f"ค่า \"{value.word}\" ในคอลัมน์ {fv.column} ({rows} แถว) สะกดใกล้กับ \"{label_th}\" "
                       f"({value.match.score:.0%}) ยืนยันหรือเลือกรหัสอื่น — ใกล้เคียง: {choices_th}",
                       f"the value \"{value.word}\" in column {fv.column} ({rows} rows) is spelled like "
                       f"\"{label_en}\" ({value.match.score:.0%}); confirm it or choose another code — "
                       f"closest: {choices_en}",
                       row=row, value=value.word[:100], code="value_uncertain")
    return Problem(fv.field,
                   f"ไม่รู้จักค่า \"{value.word}\" ในคอลัมน์ {fv.column} ({rows} แถว) จับคู่กับรหัสของระบบก่อน "
                   f"— ใกล้เคียงที่สุด: {choices_th}",
                   f"unknown value \"{value.word}\" in column {fv.column} ({rows} rows); map it to one of "
                   f"the app's codes — closest: {choices_en}",
                   row=row, value=value.word[:100], code="value_unknown")


def translate(coded_fields, rows: list[tuple[int, dict]], *, columns: dict[str, str] | None = None,
              answers=None, remembered=None) -> tuple[list[tuple[int, dict]], list[Problem], list[FieldValues]]:
    """Every row with each coded cell's word replaced by its code (a blank cell stays blank),
    the problems of the rows whose word is uncertain or unknown (one per row and field; the
    cell keeps its word), and the survey. The rows are the same rows, in the same order."""
    found = survey(coded_fields, rows, columns=columns, answers=answers, remembered=remembered)
    if not found:
        return rows, [], found
    table = {fv.field: ({norm(v.word): v for v in fv.values}, fv) for fv in found}
    problems: list[Problem] = []
    out = []
    for row, data in rows:
        data = dict(data)
        for name, (by_key, fv) in table.items():
            value = data.get(name)
            if cells.is_blank(value):
                continue
            entry = by_key.get(norm(value))
            if entry is None:  # only punctuation: nothing to match
                continue
            if entry.match.certain:
                data[name] = entry.match.code
            else:
                problems.append(_problem(fv, entry, row))
        out.append((row, data))
    return out, problems, found


def answers_used(found: list[FieldValues]) -> dict[str, dict[str, str]]:
    """{field: {word: code}} of every value matched with certainty (for ``--save-values`` and
    to remember): what the next file of the group will be read with."""
    return {fv.field: {v.word: v.match.code for v in fv.values if v.match.certain and v.match.how != KEPT}
            for fv in found}


# --- values files ---------------------------------------------------------------------------------

def values_to_json(kind: str, answers: dict[str, dict[str, str]]) -> str:
    return json.dumps({"kind": kind, "values": answers}, ensure_ascii=False, indent=2)


def values_from_json(text: str, kind: str) -> dict[str, dict[str, str]]:
    """A values file: {"field": {"their word": "code"}}, or {"kind": K, "values": {...}}.
    Its shape is checked here; its fields and codes by ``rules.check_values``."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ValueError(f"ไฟล์จับคู่ค่าไม่ใช่ JSON / the values file is not JSON: {exc}") from None
    if not isinstance(data, dict):
        raise ValueError("ไฟล์จับคู่ค่าต้องเป็น JSON object / the values file must be a JSON object")
    if "values" in data and isinstance(data.get("values"), dict):
        if data.get("kind") not in (None, kind):
            raise ValueError(f"ไฟล์จับคู่ค่านี้สำหรับ {data.get('kind')} ไม่ใช่ {kind} / "
                             f"this values file is for {data.get('kind')}, not {kind}")
        data = data["values"]
    if not all(isinstance(words, dict) and all(isinstance(w, str) and isinstance(c, str) for w, c in words.items())
               for words in data.values()):
        raise ValueError('ไฟล์จับคู่ค่าต้องเป็น {"ช่อง": {"คำของกลุ่ม": "รหัส"}} / '
                         'the values file must read {"field": {"their word": "code"}}')
    return {str(f): dict(words) for f, words in data.items()}
