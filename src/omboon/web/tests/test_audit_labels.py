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


@pytest.mark.parametrize(("key", "value", "th", "en"), [
    ("role", "committee", "กรรมการ", "committee member"),
    ("roles", ["chair", "member"], "ประธาน, สมาชิก", "chair, member"),
    ("kind", "group", "กลุ่ม", "group"),
    ("group_type", "savings_group", "กลุ่มออมทรัพย์/สัจจะสะสมทรัพย์", "savings group"),
    ("fiscal_year_start_month", 10, "ตุลาคม", "October"),
    ("is_remote_node", True, "ใช่", "yes"),
    ("approvers", {"claims": ["chair", "treasurer"]}, "คำขอสวัสดิการ: ประธาน, เหรัญญิก",
     "welfare claims: chair, treasurer"),
    ("loan_allowance", [0, 0, 10, 25, 50, 100],
     "1–30 วัน 0%, 31–60 วัน 0%, 61–90 วัน 10%, 91–180 วัน 25%, 181–365 วัน 50%, > 365 วัน 100%",
     "1–30 days 0%, 31–60 days 0%, 61–90 days 10%, 91–180 days 25%, 181–365 days 50%, > 365 days 100%"),
    ("bylaws", {"loan_quorum": 2, "loan_spouse_not_guarantor": True},
     "จำนวนกรรมการที่ต้องอนุมัติเงินกู้ (คน): 2 · คู่สมรสของผู้กู้ค้ำประกันไม่ได้: ใช่",
     "committee approvals a loan needs: 2 · a borrower's spouse may not guarantee: yes"),
])
def test_a_groups_set_up_and_its_roles_read_in_words(key, value, th, en):
    """A worked example of each kind of detail a group's set-up and its people record: a role by
    its name, the kind of group, the month the fiscal year starts, the bylaws each by its label."""
    assert audit_labels.shown(key, value, "th") == th
    assert audit_labels.shown(key, value, "en") == en
    assert audit_labels.key_label(key, "th") != key and audit_labels.key_label(key, "en")


def test_the_names_of_roles_kinds_and_buckets_are_the_models():
    """The labels are literals (this module is read without Django set up): they say what the
    models and the bylaws' rules say."""
    from omboon.orgs import rules
    from omboon.orgs.models import Organisation, Role

    for role in Role:
        assert audit_labels.shown("role", role.value, "th") == str(role.label)
    for kind in [*Organisation.Kind, *Organisation.GroupType]:
        key = "kind" if kind in Organisation.Kind else "group_type"
        assert audit_labels.shown(key, kind.value, "th") == str(kind.label)
    assert audit_labels.ALLOWANCE_BUCKETS == rules.ALLOWANCE_BUCKETS


def _keys(details, found: set[str]) -> set[str]:
    if isinstance(details, dict):
        for key, value in details.items():
            found.add(key)
            _keys(value, found)
    return found


@pytest.mark.django_db
def test_a_groups_set_up_and_role_events_have_no_raw_key_on_the_audit_trail(tree, client):
    """The group made, its chart, its people given and taken roles, a person's details changed,
    the bylaws set and the group edited: every key of those events is labelled in both languages,
    and the Thai audit trail shows the words, not the keys."""
    import datetime as dt

    from django.db.models import Q

    from omboon.core.models import AuditEvent
    from omboon.orgs import services
    from omboon.orgs.models import Role
    from omboon.testing.factories import make_user

    group = tree.group_a
    chair = make_user(group, Role.CHAIR, username="somchai")
    clerk = make_user(group, Role.SECRETARY, username="malee")
    services.role_grant(actor=chair, user=clerk, organisation=group, role=Role.COMMITTEE)
    services.role_revoke(actor=chair, user=clerk, organisation=group, role=Role.COMMITTEE)
    services.user_update(actor=chair, user=clerk, organisation=group, first_name="มาลี", last_name="ใจดี",
                         email="", phone="0812345678")
    services.bylaws_set(actor=chair, organisation=group, effective_from=dt.date.today(), settings={
        "retention_years": 10, "loan_quorum": 2, "journal_single_person": True,
        "approvers": {"claims": ["chair", "treasurer"]}, "loan_allowance": [0, 0, 10, 25, 50, 100]})
    services.organisation_update(actor=chair, organisation=group, fiscal_year_start_month=10, moo=3)
    events = AuditEvent.objects.filter(organisation=group).filter(
        Q(action__startswith="orgs.") | Q(action="ledger.chart_create"))
    actions = set(events.values_list("action", flat=True))
    assert {"orgs.organisation_create", "ledger.chart_create", "orgs.user_create", "orgs.role_grant",
            "orgs.role_revoke", "orgs.user_update", "orgs.bylaws_set", "orgs.organisation_update"} <= actions
    keys: set[str] = set()
    for event in events:
        _keys(event.before, keys)
        _keys(event.after, keys)
    assert sorted(k for k in keys if k not in audit_labels.KEYS) == []

    client.force_login(chair)
    text = ""
    for action in sorted(actions):
        response = client.get(f"/o/{group.code}/audit/", {"action": action})
        assert response.status_code == 200
        text += response.content.decode()
    for key in keys - {"name", "code", "id", "path", "moo"}:  # words as well as keys
        assert f">{key}<" not in text and f"{key}:" not in text, key
    for words in ("ประเภทกลุ่ม", "เดือนเริ่มปีบัญชี", "ตุลาคม", "บทบาท", "กรรมการ", "เลขานุการ",
                  "จำนวนกรรมการที่ต้องอนุมัติเงินกู้ (คน)", "คำขอสวัสดิการ: ประธาน, เหรัญญิก", "61–90 วัน 10%"):
        assert words in text, words
