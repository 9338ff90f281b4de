"""What each kind of import expects: its fields (Thai header, English name, example), how
headers are matched to fields, and the result of checking a file (``Checked``).

Columns are found by header, Thai or English, in any order; extra columns are ignored. A
header matches a field when, ignoring case, spaces and punctuation, it equals the field's
key, its English name, its Thai header, the template's "Thai (English)" header, or one of its
aliases. A group whose own spreadsheets say something else maps its headers once (a
``ColumnMapping``; ``--mapping FILE`` on the command line) and the mapping is remembered.
"""

from __future__ import annotations

import json
import pickle
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from omboon.contributions.models import kind_label
from omboon.core.errors import Problem
from omboon.core.money import format_baht
from omboon.core.thaidate import arabic_digits
from omboon.imports.privacy import mask_text


@dataclass(frozen=True)
class Field:
    key: str
    th: str
    en: str
    required: bool = False
    aliases: tuple[str, ...] = ()
    example: Any = ""
    note_th: str = ""
    note_en: str = ""

    @property
    def header(self) -> str:
        """The template's header: Thai first, the English name in brackets."""
        return f"{self.th} ({self.en})"


@dataclass
class Checked:
    """A file checked against a group: rows that will be created and every problem.

    ``accepted`` holds (row number, cleaned values); ``problems`` every problem, each with its
    row (None: the whole file); ``rejected`` the row numbers refused.
    """

    kind: str
    headers: list[str]
    mapping: dict[str, str]
    accepted: list[tuple[int, dict]] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    raw: dict[int, list] = field(default_factory=dict)
    total_rows: int = 0
    summary: dict[str, Any] = field(default_factory=dict)
    values: list = field(default_factory=list)  # the coded fields' words and their codes (imports.values)

    def __getstate__(self) -> dict:
        """Pickled (the check kept beside the upload) with the accepted rows in chunks: one
        pickler's memo over 500,000 rows' values would cost more memory than the rows."""

        state = dict(self.__dict__)
        rows = state.pop("accepted")
        state["accepted_chunks"] = [pickle.dumps(rows[i:i + 4096], protocol=5) for i in range(0, len(rows), 4096)]
        return state

    def __setstate__(self, state: dict) -> None:
        chunks = state.pop("accepted_chunks", None)
        self.__dict__.update(state)
        if chunks is not None:
            self.accepted = [row for chunk in chunks for row in pickle.loads(chunk)]
        self.__dict__.setdefault("values", [])

    @property
    def rejected(self) -> set[int]:
        return {p.row for p in self.problems if p.row is not None}

    @property
    def file_problems(self) -> list[Problem]:
        return [p for p in self.problems if p.row is None]

    @property
    def ok(self) -> bool:
        return not self.problems

    def column_of(self, field_key: str) -> str:
        """The file's header for a field (for messages), else the field's own name; shown, so a
        header that reads as a national ID is masked."""

        for header, key in self.mapping.items():
            if key == field_key:
                return mask_text(header)
        return field_key

    @property
    def shown_headers(self) -> list[str]:
        return [mask_text(h) for h in self.headers]


@dataclass(frozen=True)
class KindSpec:
    key: str
    title_th: str
    title_en: str
    fields: tuple[Field, ...]
    check: Callable  # (organisation, rows, *, context) -> Checked parts
    commit_batch: Callable  # (job, organisation, actor, rows) -> int
    instructions_th: tuple[str, ...] = ()
    instructions_en: tuple[str, ...] = ()
    one_batch: bool = False  # all rows in one transaction (an opening balance must balance)
    alternatives: tuple[tuple[str, ...], ...] = ()  # any one of these field groups will do
    pays_out: bool = False  # money leaves the group: a second person approves the job before it posts
    coded: tuple = ()  # the coded fields (``imports.values.Coded``): the file's words mapped to codes

    def field(self, key: str) -> Field:
        return next(f for f in self.fields if f.key == key)

    @property
    def keys(self) -> set[str]:
        return {f.key for f in self.fields}

    def coded_field(self, key: str):
        return next((c for c in self.coded if c.field == key), None)


def normalise(header: Any) -> str:
    text = arabic_digits(str(header or "")).lower()
    return re.sub(r"[\s_\-.()/:*#\[\]'\"]+", "", text)


def auto_mapping(spec: KindSpec, headers: list[str], saved: dict[str, str] | None = None) -> dict[str, str]:
    """Source header → field for every header recognised (a saved mapping wins)."""
    names: dict[str, str] = {}
    for f in spec.fields:
        for name in (f.key, f.en, f.th, f.header, f"{f.th}/{f.en}", *f.aliases):
            names.setdefault(normalise(name), f.key)
    saved = {normalise(k): v for k, v in (saved or {}).items() if v in spec.keys or v == ""}
    mapping: dict[str, str] = {}
    taken: set[str] = set()
    for header in headers:
        if not header:
            continue
        key = normalise(header)
        target = saved[key] if key in saved else names.get(key)
        if target and target not in taken:
            mapping[header] = target
            taken.add(target)
    return mapping


def missing_fields(spec: KindSpec, mapping: dict[str, str]) -> list[Field]:
    """Required fields no column is mapped to (an alternative group counts if one is)."""
    mapped = set(mapping.values())
    missing = []
    for f in spec.fields:
        if not f.required or f.key in mapped:
            continue
        group = next((g for g in spec.alternatives if f.key in g), None)
        if group and mapped & set(group):
            continue
        missing.append(f)
    return missing


def mapping_problems(spec: KindSpec, mapping: dict[str, str]) -> list[Problem]:
    return [Problem(f.key, f"ไม่พบคอลัมน์ {f.th} — ต้องมีคอลัมน์นี้ หรือจับคู่หัวคอลัมน์ของไฟล์กับช่องนี้",
                    f"no column for {f.en} — the file needs it, or map one of its headers to it",
                    code="missing_column")
            for f in missing_fields(spec, mapping)]


def rows_as_dicts(mapping: dict[str, str], headers: list[str], rows: list[tuple[int, list]]
                  ) -> list[tuple[int, dict]]:
    index = [(i, mapping[h]) for i, h in enumerate(headers) if h in mapping]
    out = []
    for number, cells in rows:
        out.append((number, {key: (cells[i] if i < len(cells) else None) for i, key in index}))
    return out


# --- mapping files ------------------------------------------------------------------------------

def mapping_to_json(kind: str, mapping: dict[str, str]) -> str:
    return json.dumps({"kind": kind, "columns": mapping}, ensure_ascii=False, indent=2)


def mapping_from_json(text: str, spec: KindSpec) -> dict[str, str]:
    """A mapping file: {"kind": "members", "columns": {"source header": "field", ...}}; a plain
    {"source header": "field"} object is read too. Unknown fields are a ValueError."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ValueError(f"ไฟล์จับคู่คอลัมน์ไม่ใช่ JSON / the mapping file is not JSON: {exc}") from None
    if not isinstance(data, dict):
        raise ValueError("ไฟล์จับคู่คอลัมน์ต้องเป็น JSON object / the mapping file must be a JSON object")
    if "columns" in data:
        if data.get("kind") not in (None, spec.key):
            raise ValueError(f"ไฟล์จับคู่นี้สำหรับ {data.get('kind')} ไม่ใช่ {spec.key} / "
                             f"this mapping is for {data.get('kind')}, not {spec.key}")
        data = data["columns"]
    bad = [v for v in data.values() if v not in spec.keys and v != ""]
    if bad or not all(isinstance(k, str) for k in data):
        raise ValueError(f"ไม่รู้จักช่อง {bad} / unknown fields {bad}; "
                         f"known: {', '.join(sorted(spec.keys))}")
    return {str(k): str(v) for k, v in data.items()}


# What a check's summary counts, as a person reads it: a label in each language, and whether
# the figure is money (satang, shown in baht with the one formatter) or a count.
COUNT, MONEY = "count", "money"
SUMMARY_LABELS: dict[str, tuple[str, str, str]] = {
    "members": ("สมาชิก (คน)", "members", COUNT),
    "payments": ("รายการชำระ", "payments", COUNT),
    "total": ("ยอดเงินรวม", "total", MONEY),
    "lines": ("บรรทัดยอดยกมา", "opening lines", COUNT),
    "debit": ("เดบิตรวม", "total debit", MONEY),
    "credit": ("เครดิตรวม", "total credit", MONEY),
    "claims": ("รายการจ่ายสวัสดิการ", "benefit payments", COUNT),
    "beneficiaries": ("ผู้รับผลประโยชน์", "beneficiaries", COUNT),
    "accounts": ("บัญชีเงินฝาก", "savings accounts", COUNT),
    "transactions": ("รายการเงินฝาก", "savings transactions", COUNT),
    "deposits": ("ฝากรวม", "deposits", MONEY),
    "withdrawals": ("ถอนรวม", "withdrawals", MONEY),
    "interest": ("ดอกเบี้ยรวม", "interest", MONEY),
    "loans": ("สัญญาเงินกู้", "loans", COUNT),
    "outstanding": ("เงินต้นคงเหลือรวม", "outstanding principal", MONEY),
    "paid": ("ชำระแล้วรวม", "paid so far", MONEY),
    "repayments": ("รายการชำระเงินกู้", "loan repayments", COUNT),
}


def summary_lines(summary: dict[str, Any], lang: str = "th") -> list[tuple[str, str]]:
    """(label, figure) of each summary entry in the page's language: money in baht with
    separators ("2,720,364.00 บาท"), counts with separators; ``total_<kind>`` of payments by
    contribution type (the type's own label)."""

    baht = "baht" if lang == "en" else "บาท"
    lines = []
    for key, value in summary.items():
        if key.startswith("total_"):
            kind = key.removeprefix("total_")
            label = f"ยอด{kind_label(kind)}" if lang != "en" else f"total {kind_label(kind, 'en')}"
            shown = MONEY
        else:
            th, en, shown = SUMMARY_LABELS.get(key, (key, key, COUNT))
            label = en if lang == "en" else th
        figure = f"{format_baht(int(value))} {baht}" if shown == MONEY else f"{int(value):,}"
        lines.append((label, figure))
    return lines
