"""The group reports against the books and the register, computed here independently: plain
sums over journal lines (closing entries left out), entries counted one by one, members
counted in Python from their dates."""

from __future__ import annotations

import datetime as dt
import io

import openpyxl
import pytest
from django.core.management import call_command
from django.db.models import Sum

from omboon.core import reporting
from omboon.ledger import selectors as ledger_selectors
from omboon.ledger.models import JournalEntry, JournalLine
from omboon.members.models import Member
from omboon.reports import membership, render
from omboon.reports import selectors as sel
from omboon.reports.tests import scenario

pytestmark = pytest.mark.django_db

LEFT = ("resigned", "deceased", "expelled")


@pytest.fixture
def built(tree):
    return scenario.build(tree, None)


# --- independent figures --------------------------------------------------------------------

def groups(tree, org):
    return {"BDC": [tree.group_a], "LP-S": [tree.group_a, tree.group_b]}[org.code]


def income(orgs, code, start, end):
    qs = JournalLine.objects.filter(organisation__in=orgs, account__standard_code=code, date__lte=end) \
        .exclude(entry__doc_type="closing")
    if start:
        qs = qs.filter(date__gte=start)
    s = qs.aggregate(d=Sum("debit"), c=Sum("credit"))
    return (s["c"] or 0) - (s["d"] or 0)


def expense(orgs, code, start, end):
    return -income(orgs, code, start, end)


def cases(orgs, code, start, end):
    n = 0
    for entry in JournalEntry.objects.filter(organisation__in=orgs, date__lte=end).prefetch_related("lines__account"):
        if start and entry.date < start:
            continue
        if entry.doc_type == "closing" or entry.reverses_id or JournalEntry.objects.filter(reverses=entry).exists():
            continue
        if any(ln.account.standard_code == code and ln.debit > 0 for ln in entry.lines.all()):
            n += 1
    return n


def left_on(m):
    return (m.status_date or m.join_date) if m.status in LEFT else None


def on_register(orgs, day):
    return sum(1 for m in Member.objects.filter(organisation__in=orgs)
               if m.status != "applied" and m.join_date <= day and (left_on(m) is None or left_on(m) > day))


def founders(orgs):
    return sum(on_register([g], g.founded_on) for g in orgs)


def table(result, title_th):
    return next(t for t in result.tables if t.title_th == title_th)


def by_item(t, key="item"):
    return {r[key]: r for r in t.rows}


# --- group status ---------------------------------------------------------------------------

@pytest.mark.parametrize("org_code, start, end", [
    ("BDC", None, scenario.END),
    ("BDC", dt.date(2023, 7, 15), dt.date(2024, 5, 10)),  # partial months across a year-end close
    ("BDC", dt.date(2010, 1, 1), scenario.END),  # from the founding date: "members at founding", not 0
    ("LP-S", None, scenario.END),  # a network: groups A and B added up, C left out
    ("LP-S", dt.date(2023, 2, 1), dt.date(2024, 3, 31)),
])
def test_group_status_equals_the_books_and_the_register(tree, built, org_code, start, end):
    org = {"BDC": tree.group_a, "LP-S": tree.zone}[org_code]
    orgs = groups(tree, org)
    result = reporting.get("group-status").build(organisation=org, start=start, end=end)
    assert result.title_th == "รายงานสถานะกลุ่ม สมาชิก เงินสมทบ และสวัสดิการ"

    members = table(result, "สมาชิก").rows
    since_founding = start is None or start <= min(g.founded_on for g in orgs)
    first = founders(orgs) if since_founding else on_register(orgs, start - dt.timedelta(days=1))
    assert (members[0]["item"] == "สมาชิกเมื่อเริ่มก่อตั้ง") == since_founding
    everyone = list(Member.objects.filter(organisation__in=orgs))
    lo = (lambda m, d: d > m.organisation.founded_on) if since_founding else (lambda m, d: d >= start)
    joined = sum(1 for m in everyone if lo(m, m.join_date) and m.join_date <= end)
    left = {s: sum(1 for m in everyone if m.status == s and lo(m, left_on(m)) and left_on(m) <= end) for s in LEFT}
    assert [r["n"] for r in members] == [first, joined, left["resigned"], left["deceased"], left["expelled"],
                                         on_register(orgs, end)]
    assert first + joined - sum(left.values()) == on_register(orgs, end)
    assert sum(left.values()) > 0 and joined > 0

    contributions = table(result, "เงินสมทบจากสมาชิก")
    expected = {code: income(orgs, code, start, end) for code in ("4100", "4200", "4300")}
    assert {r["code"]: r["amount"] for r in contributions.rows} == expected
    assert contributions.totals()["amount"] == sum(expected.values()) > 0

    benefits = table(result, "สวัสดิการที่จ่ายตามประเภท")
    codes = ["5110", "5120", "5130", "5140", "5150", "5160", "5170", "5180"]
    expected = {c: (cases(orgs, c, start, end), expense(orgs, c, start, end)) for c in codes}
    expected = {c: v for c, v in expected.items() if v != (0, 0)}
    names = {"5110": "ค่าทำขวัญบุตร", "5120": "ค่าเยี่ยมไข้/นอนโรงพยาบาล", "5130": "ค่าจัดการศพ",
             "5150": "ทุนการศึกษา"}
    assert {r["item"]: (r["cases"], r["amount"]) for r in benefits.rows} == {names[c]: v for c, v in expected.items()}
    assert benefits.totals()["cases"] == sum(v[0] for v in expected.values())

    summary = by_item(table(result, "สรุปเงินกองทุน"))
    balance = sum(ledger_selectors.financial_position(g, end).total_assets
                  - sum(r.amount for r in ledger_selectors.financial_position(g, end).liabilities) for g in orgs)
    assert summary[f"เงินกองทุนคงเหลือ ณ วันที่ {render.format_cell(end, 'date')}"]["amount"] == balance
    assert summary["สวัสดิการที่จ่าย"]["amount"] == sum(v[1] for v in expected.values())
    assert len(result.charts) == 3


def test_the_reversed_benefit_counts_neither_as_a_case_nor_as_money(tree, built):
    result = reporting.get("group-status").build(organisation=tree.group_a, start=dt.date(2023, 6, 1),
                                                end=dt.date(2023, 6, 30))
    rows = by_item(table(result, "สวัสดิการที่จ่ายตามประเภท"))
    assert "ค่าจัดการศพ" not in rows  # June's only death benefit was paid in error and reversed
    assert built.reversed_entry.reversed_by is not None


def test_stored_month_figures_and_lines_agree(tree, built):
    """Movements read from closed months equal the same movements summed from the lines."""
    for org in (tree.group_a, tree.zone, tree.province):
        orgs = [tree.group_a] if org.is_group else (
            [tree.group_a, tree.group_b] if org == tree.zone else [tree.group_a, tree.group_b, tree.group_c])
        moves = sel.movements(org, dt.date(2023, 1, 1), scenario.END)
        for code in ("4100", "4200", "4300", "4400", "5120", "5200"):
            assert moves.income([code]) == income(orgs, code, dt.date(2023, 1, 1), scenario.END)
        months = list(scenario.months())
        series = sel.balance_series(org, months)
        for m, value in zip(months, series):
            day = sel.month_end(m)
            assert value == sum(v for g in orgs for (a, _f), v in ledger_selectors.balances(g, day).items()
                                if g.accounts.get(pk=a).type in ("asset", "liability")), m


def test_membership_series_matches_the_register(tree, built):
    facts = membership.member_facts(tree.zone)
    months = list(scenario.months())
    assert facts.series(months) == [on_register([tree.group_a, tree.group_b], sel.month_end(m)) for m in months]


# --- monthly, annual, fund status -------------------------------------------------------------

def test_monthly_report_compares_with_last_month(tree, built):
    result = reporting.get("monthly").build(organisation=tree.group_a, start=None, end=dt.date(2024, 5, 20))
    assert (result.start, result.end) == (dt.date(2024, 5, 1), dt.date(2024, 5, 31))
    receipts = by_item(table(result, "รายรับประจำเดือน"), "code")
    may, april = (dt.date(2024, 5, 1), dt.date(2024, 5, 31)), (dt.date(2024, 4, 1), dt.date(2024, 4, 30))
    for code in ("4100", "4300", "4700"):
        assert receipts[code]["now"] == income([tree.group_a], code, *may)
        assert receipts[code]["then"] == income([tree.group_a], code, *april)
    payouts = table(result, "รายจ่ายประจำเดือน")
    assert payouts.totals()["now"] == sum(expense([tree.group_a], c, *may) for c in ("5110", "5120", "5130", "5150"))
    members = table(result, "ความเคลื่อนไหวของสมาชิก").rows
    assert members[0]["now"] == on_register([tree.group_a], dt.date(2024, 4, 30))
    assert members[-1]["now"] == on_register([tree.group_a], dt.date(2024, 5, 31))
    assert members[-1]["then"] == on_register([tree.group_a], dt.date(2024, 4, 30))
    gone = table(result, "สมาชิกพ้นสภาพ").rows
    assert [(r["number"], r["reason"], r["date"]) for r in gone] == [
        (built.members["BDC"][12].number, "พ้นสภาพ", dt.date(2024, 5, 31))]
    new = table(result, "สมาชิกเข้าใหม่").rows
    assert {r["number"] for r in new} == {m.number for m in built.members["BDC"]
                                          if dt.date(2024, 5, 1) <= m.join_date <= dt.date(2024, 5, 31)}
    position = by_item(table(result, "เงินกองทุน ณ สิ้นเดือน"), "code")
    fp = ledger_selectors.financial_position(tree.group_a, dt.date(2024, 5, 31))
    assert position[""]["now"] == fp.total_assets - sum(r.amount for r in fp.liabilities)
    if sel.arrears_available():
        assert any(t.title_en.startswith("Contributions in arrears") for t in result.tables)
    else:
        assert any("no arrears table" in n for n in result.notes)
    if sel.claims_available():
        assert table(result, "คำขอรับสวัสดิการรอดำเนินการ").totals()["n"] == 0
    else:
        assert any("no pending claims table" in n for n in result.notes)


def test_annual_report_reuses_the_ledger_statements_and_adds_up_a_network(tree, built):
    result = reporting.get("annual").build(organisation=tree.group_a, start=None, end=dt.date(2023, 12, 31))
    assert (result.start, result.end) == (dt.date(2023, 1, 1), dt.date(2023, 12, 31))
    titles = [t.title_th for t in result.tables]
    assert titles[0].startswith("งบรายรับ-รายจ่าย") and titles[1].startswith("งบแสดงฐานะการเงิน")
    statement = reporting.get("income-expenditure").build(organisation=tree.group_a, start=dt.date(2023, 1, 1),
                                                         end=dt.date(2023, 12, 31))
    assert result.tables[0].rows == statement.tables[0].rows
    membership = table(result, "ความเคลื่อนไหวของสมาชิก").rows
    assert membership[-1]["now"] == on_register([tree.group_a], dt.date(2023, 12, 31))
    assert membership[-1]["then"] == on_register([tree.group_a], dt.date(2022, 12, 31))
    benefits = table(result, "สวัสดิการที่จ่ายเทียบกับปีก่อน")
    assert benefits.totals()["amount"] == sum(expense([tree.group_a], c, dt.date(2023, 1, 1), dt.date(2023, 12, 31))
                                              for c in ("5110", "5120", "5130", "5150"))
    assert benefits.totals()["amount_then"] == 0

    network = reporting.get("annual").build(organisation=tree.zone, start=None, end=dt.date(2024, 6, 30))
    income_table = network.tables[0]
    both = [tree.group_a, tree.group_b]
    year, last = (dt.date(2024, 1, 1), dt.date(2024, 6, 30)), (dt.date(2023, 1, 1), dt.date(2023, 6, 30))
    assert {r["code"]: (r["now"], r["then"]) for r in income_table.rows} == {
        code: (income(both, code, *year), income(both, code, *last))
        for code in ("4100", "4200", "4300", "4400", "4500", "4600", "4700", "4800")}


def test_fund_status_in_codis_shape(tree, built):
    result = reporting.get("fund-status").build(organisation=tree.zone, start=None, end=scenario.END)
    both = [tree.group_a, tree.group_b]
    capital = {r["item"]: r["amount"] for r in table(result, "ทุนของกองทุนตามแหล่งที่มา").rows}
    assert capital == {
        "เงินสมทบจากสมาชิก": sum(income(both, c, None, scenario.END) for c in ("4100", "4200", "4300")),
        "เงินสมทบจากรัฐ/พอช.": income(both, "4400", None, scenario.END),
        "เงินสมทบจากองค์กรปกครองส่วนท้องถิ่น": income(both, "4500", None, scenario.END),
        "เงินบริจาคและรายได้อื่น": income(both, "4600", None, scenario.END) + income(both, "4800", None, scenario.END),
        "ดอกเบี้ยรับ": income(both, "4700", None, scenario.END),
    }
    ages = table(result, "สมาชิกตามช่วงอายุ ณ วันที่ 30 มิ.ย. 2567")
    on = scenario.END
    alive = [m for m in Member.objects.filter(organisation__in=both)
             if m.join_date <= on and (left_on(m) is None or left_on(m) > on)]

    def age(m):
        return on.year - m.birth_date.year - ((on.month, on.day) < (m.birth_date.month, m.birth_date.day))

    assert [r["total"] for r in ages.rows] == [
        sum(1 for m in alive if age(m) < 18), sum(1 for m in alive if 18 <= age(m) < 60),
        sum(1 for m in alive if age(m) >= 60)]
    assert all(r["total"] > 0 for r in ages.rows)
    assert ages.totals()["female"] == sum(1 for m in alive if m.sex == "F")
    assert by_item(table(result, "ข้อมูลทั่วไป"))["จำนวนกลุ่ม/กองทุน"]["value"] == 2


# --- exports --------------------------------------------------------------------------------

def test_xlsx_keeps_numbers_and_totals_as_formulas(tree, built):
    result = reporting.get("group-status").build(organisation=tree.group_a, start=None, end=scenario.END)
    wb = openpyxl.load_workbook(io.BytesIO(render.to_xlsx(result)))
    ws = wb.active
    cells = {(c.row, c.column): c.value for row in ws.iter_rows() for c in row if c.value is not None}
    formulas = [v for v in cells.values() if isinstance(v, str) and v.startswith("=SUM(")]
    assert len(formulas) == 3  # contributions, benefit cases, benefit amounts
    numbers = [v for v in cells.values() if isinstance(v, (int, float)) and not isinstance(v, bool)]
    expected = income([tree.group_a], "4300", None, scenario.END) / 100
    assert expected in numbers


def test_command_writes_a_network_report(tree, built, tmp_path, capsys):
    out = tmp_path / "zone.json"
    call_command("report", "group-status", "--org", "LP-S", "--to", "30/06/2567", "--format", "json",
                 "-o", str(out))
    import json

    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["organisation"]["code"] == "LP-S"
    totals = data["tables"][1]["totals"]["amount"]
    assert totals == sum(income([tree.group_a, tree.group_b], c, None, scenario.END) for c in ("4100", "4200", "4300"))
