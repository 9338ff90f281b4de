"""The audit trail reads in words: every action the code records has a Thai and an English name,
and the details a person reads are labelled, in baht and พ.ศ."""

import ast
import pathlib

import pytest

from omboon.loans.models import Adjustment
from omboon.web import audit_labels

SRC = pathlib.Path(audit_labels.__file__).resolve().parents[1]


def _functions_taking_action(tree: ast.Module) -> dict[str, int]:
    """Each function of a module with an ``action`` parameter, and that parameter's position."""
    found = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef):
            names = [a.arg for a in node.args.posonlyargs + node.args.args]
            if "action" in names:
                found[node.name] = names.index("action")
    return found


def _recorded_actions() -> set[str]:
    """The actions the code passes to ``audit.record``: ``action="x"``, ``action = "x"``, an
    ``action`` argument of a helper, and the loans adjustments' ``f"loans.{kind}_verb"``."""
    actions = set()
    for path in SRC.rglob("*.py"):
        if "tests" in path.parts or "migrations" in path.parts:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        helpers = _functions_taking_action(tree)
        for node in ast.walk(tree):
            values = []
            if isinstance(node, ast.Call):
                values += [k.value for k in node.keywords if k.arg == "action"]
                name = getattr(node.func, "id", None)
                if name in helpers and len(node.args) > helpers[name]:
                    values.append(node.args[helpers[name]])
            elif isinstance(node, ast.Assign) and any(getattr(t, "id", None) == "action" for t in node.targets):
                values.append(node.value)
            for value in values:
                if isinstance(value, ast.Constant) and isinstance(value.value, str) and "." in value.value:
                    actions.add(value.value)
                elif isinstance(value, ast.JoinedStr):
                    template = "".join(p.value if isinstance(p, ast.Constant) else "{}" for p in value.values)
                    assert template.startswith("loans.{}_"), f"{path}: an f-string action this test cannot read"
                    actions |= {template.format(kind) for kind in Adjustment.Kind.values}
    return actions


def test_every_recorded_action_has_a_thai_and_an_english_name():
    actions = _recorded_actions()
    assert {"savings.deposit", "loans.loan_repay", "loans.write_off_approve", "auth.login_failed"} <= actions
    missing = sorted(a for a in actions if a not in audit_labels.ACTIONS)
    assert missing == [], f"add these to web/audit_labels.ACTIONS: {missing}"


@pytest.mark.parametrize(("lang", "expected"), [("th", "รับฝากเงิน"), ("en", "deposit")])
def test_an_action_reads_in_the_page_language(lang, expected):
    assert audit_labels.action_label("savings.deposit", lang) == expected


def test_an_unknown_action_is_shown_as_its_code():
    assert audit_labels.action_label("nobody.knows", "th") == "nobody.knows"


def test_money_reads_in_baht_and_a_year_in_buddhist_era():
    assert audit_labels.shown("amount", 1_234_550, "th") == "12,345.50 บาท"
    assert audit_labels.shown("amount", 1_234_550, "en") == "12,345.50 baht"
    assert audit_labels.shown("year", 2026, "th") == "2569"


@pytest.mark.parametrize(("key", "value", "th", "en"), [
    ("status", "posted", "ลงบัญชีแล้ว", "posted"),
    ("loan_status", "written_off", "ตัดเป็นหนี้สูญแล้ว", "written off"),
    ("how", "savings", "เข้าบัญชีเงินฝาก", "into savings"),
    ("principal", 4_200_000, "42,000.00 บาท", "42,000.00 baht"),
    ("net_income", 2_504_087, "25,040.87 บาท", "25,040.87 baht"),
    ("replaced", False, "ไม่", "no"),
    ("order", ["penalty", "fee", "interest", "principal"], "ค่าปรับ, ค่าธรรมเนียม, ดอกเบี้ย, เงินต้น",
     "penalty, fee, interest, principal"),
    ("guarantors", ["0017", "0007"], "0017, 0007", "0017, 0007"),
    ("guarantor_bands", [[2_000_000, 0], [None, 2]], "ถึง 20,000.00 บาท: 0 · เกินนั้น: 2",
     "up to 20,000.00 baht: 0 · above: 2"),
    ("parts", {"reserve": 626_025, "refund": 876_429}, "เงินเฉลี่ยคืน: 8,764.29 บาท · ทุนสำรอง: 6,260.25 บาท",
     "refunds: 8,764.29 baht · reserve: 6,260.25 baht"),
    ("model", {"kind": "pool", "reserve": "25"}, "ประเภท: แบ่งตามสัดส่วนของกำไรสุทธิ · ทุนสำรอง: 25",
     "kind: pool · reserve: 25"),
    ("terms", {"method": "declining", "per": "year", "every": "month"},
     "ผ่อนทุก: เดือน · วิธีคิดดอกเบี้ย: ลดต้นลดดอก งวดเท่ากัน · อัตราต่อ: ปี",
     "every: month · interest method: declining balance, equal instalments · rate per: year"),
])
def test_the_loans_and_the_year_end_details_read_in_words(key, value, th, en):
    """A worked example of each kind of detail the loans record: codes by their names, satang in
    baht, a list joined, the allocation's parts in baht and its percentages as they are."""
    assert audit_labels.shown(key, value, "th") == th
    assert audit_labels.shown(key, value, "en") == en
    assert audit_labels.key_label(key, "th") != key and audit_labels.key_label(key, "en")
