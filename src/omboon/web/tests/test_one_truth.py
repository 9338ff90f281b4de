"""One truth: every figure the app reports in more than one place agrees — on the demo and on a
group whose history came in from files.

The same figure is read where a person reads it: the group's home page and dashboard (as the
chair sees them), the registry's reports (group-status, fund-status, contributions,
benefits-by-category, income-expenditure, trial-balance, financial-position) and the monthly
facts the network's pages add up. Sizes: the demo's two groups of about 20 members over a
year; the imported group 20 members and half a year of payments.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict

import pytest
from django.test import Client

from omboon.contributions.models import KIND_ACCOUNT, MEMBER_KINDS, kind_label
from omboon.core import reporting
from omboon.demo import generator
from omboon.imports import services as import_services
from omboon.imports.tests.helpers import (
    PAYMENT_HEADERS,
    csv_bytes,
    member_rows,
    national_id,
    payment_rows,
    run_import,
)
from omboon.ledger import chart
from omboon.ledger import services as ledger
from omboon.members.models import LEFT_STATUSES, Member
from omboon.network import services as network
from omboon.network.facts import BENEFIT_CATEGORIES, RECEIPT_SOURCES, RECEIPT_TYPES
from omboon.network.models import MonthlyFact, ym_of
from omboon.orgs.models import Organisation, Role
from omboon.testing.factories import make_user
from omboon.welfare.models import category_label

pytestmark = pytest.mark.django_db

END = dt.date(2025, 6, 30)
YEAR_START = dt.date(2025, 1, 1)  # the groups' fiscal year starts in January
MEMBER_CODES = [KIND_ACCOUNT[k] for k in MEMBER_KINDS]  # 4100 entry fees, 4200 yearly, 4300 one baht a day
GRANT_CODES = list(RECEIPT_SOURCES)  # 4400 state/CODI, 4500 local government, 4600 donations


def _report(code: str, group, start, end=END):
    return reporting.get(code).build(organisation=group, start=start, end=end, lang="en")


def _table(result, title_en: str):
    return next(t for t in result.tables if t.title_en == title_en)


def _facts(group, ym: int | None = None, kinds=("members", "receipt_type", "receipt_source", "benefit", "balance")):
    """The group's monthly facts: stocks (members, balances) of month ``ym``, flows summed over
    the fiscal year to END."""
    out: dict[str, Counter] = defaultdict(Counter)
    first, last = ym_of(YEAR_START.year, YEAR_START.month), ym_of(END.year, END.month)
    for f in MonthlyFact.objects.filter(organisation=group, kind__in=kinds, ym__gte=first, ym__lte=last):
        if f.kind in ("members", "balance"):
            if f.ym == last:
                out[f.kind][f.key] += f.count if f.kind == "members" else f.amount
        else:
            out[f.kind][f.key] += f.amount
            out[f.kind + "_count"][f.key] += f.count
    return out


def _pages(group):
    """What the chair sees on the group's home page and dashboard, as of END."""
    chair = make_user(group, Role.CHAIR)
    client = Client()
    client.force_login(chair)
    home = client.get(f"/o/{group.code}/")
    dashboard = client.get(f"/o/{group.code}/dashboard/", {"to": END.isoformat()})
    assert home.status_code == dashboard.status_code == 200
    return home.context, dashboard.context


def assert_one_truth(group, *, claims_are_claims: bool = True) -> None:
    network.facts_recompute(actor=None, organisation=group)
    facts = _facts(group)
    home, dashboard = _pages(group)

    # --- members by status: home, group-status, fund-status, the network's facts -------------
    by_status = home["counts"].by_status
    status_rows = {row["item"]: row["n"] for row in _table(_report("group-status", group, None), "Members").rows}
    left_rows = {"resigned": status_rows["Left: resigned"], "deceased": status_rows["Left: died"],
                 "expelled": status_rows["Left: expelled"]}
    fund_status = _report("fund-status", group, None)
    members_now = {
        "home": by_status.get(Member.Status.ACTIVE, 0),
        "group-status": status_rows[f"Members on {END.day} Jun {END.year}"],
        "fund-status": next(r["value"] for r in _table(fund_status, "General").rows if r["item"] == "Members"),
        "dashboard": dashboard["data"].members_now,
        "network facts": sum(n for key, n in facts["members"].items() if key.startswith("active|")),
    }
    assert len(set(members_now.values())) == 1, members_now
    for status in LEFT_STATUSES:
        left = {"home": by_status.get(status, 0), "group-status": left_rows[status],
                "network facts": sum(n for key, n in facts["members"].items() if key.startswith(f"{status}|"))}
        assert len(set(left.values())) == 1, (status, left)
    assert members_now["home"] + sum(by_status.get(s, 0) for s in LEFT_STATUSES) == \
        status_rows["Members at founding"] + status_rows["Joined"]

    # --- contributions and grants by type, this fiscal year ----------------------------------
    year = _report("group-status", group, YEAR_START)
    contributions = {r["code"]: r["amount"] for r in _table(year, "Members' contributions").rows}
    received = {r["kind"]: r["amount"] for r in _report("contributions", group, YEAR_START).tables[0].rows}
    income = {r["code"]: r["year_to_date"] for r in _report("income-expenditure", group, None).tables[0].rows
              if r.get("code")}
    trial = {r["code"]: (r["debit"], r["credit"]) for r in _report("trial-balance", group, None).tables[0].rows}
    capital = {r["codes"]: r["amount"] for r in _table(_report("fund-status", group, YEAR_START),
                                                       "Fund capital by source").rows}
    for code in MEMBER_CODES + GRANT_CODES:
        kind = next(k for k, c in KIND_ACCOUNT.items() if c == code)
        seen = {"contributions": received[kind_label(kind, "en")], "income-expenditure": income.get(code, 0),
                "trial balance": trial.get(code, (0, 0))[1] - trial.get(code, (0, 0))[0],
                "network facts": facts["receipt_type"].get(RECEIPT_TYPES.get(code), 0)
                if code in RECEIPT_TYPES else facts["receipt_source"].get(RECEIPT_SOURCES[code], 0)}
        if code in MEMBER_CODES:
            seen["group-status"] = contributions[code]
        elif code != chart.DONATIONS:  # fund-status adds donations and other income (4600 4800) up
            seen["fund-status"] = capital[code]
        assert len(set(seen.values())) == 1, (code, seen)
    assert capital["4100 4200 4300"] == sum(contributions.values())

    # --- benefits by category, this fiscal year ----------------------------------------------
    names = {en: code for code, (_th, en) in chart.STANDARD_NAMES.items()}
    in_group_status = {names[r["item"]]: (r["cases"], r["amount"])
                       for r in _table(year, "Benefits paid by category").rows}
    in_fund_status = {names[r["item"]]: (r["cases"], r["amount"])
                      for r in _table(_report("fund-status", group, YEAR_START), "Benefits paid by category").rows}
    codes = {category_label(c, "en"): chart.BENEFIT_ACCOUNTS[c] for c in chart.BENEFIT_ACCOUNTS}
    by_category = {codes[r["category"]]: (r["cases"], r["amount"])
                   for r in _report("benefits-by-category", group, YEAR_START).tables[0].rows}
    in_books = {code: debit - credit for code, (debit, credit) in trial.items() if code.startswith("51")}
    in_facts = {code: (facts["benefit_count"][category], facts["benefit"][category])
                for code, category in BENEFIT_CATEGORIES.items() if facts["benefit"].get(category)}
    assert in_group_status == in_fund_status == in_facts, (in_group_status, in_fund_status, in_facts)
    assert {code: amount for code, (_cases, amount) in in_group_status.items()} == in_books
    if claims_are_claims:
        assert by_category == in_group_status, (by_category, in_group_status)
    assert sum(amount for _cases, amount in in_group_status.values()) == \
        next(r["amount"] for r in _table(year, "Fund summary").rows if r["item"] == "Benefits paid")

    # --- the fund balance: home, dashboard, group-status, fund-status, financial position, network
    position = {r["name"]: r.get("amount") for r in _report("financial-position", group, None).tables[0].rows}
    balances = {
        "home": sum(f.amount for f in home["balances"].funds),
        "dashboard": dashboard["data"].fund_now,
        "group-status": next(r["amount"] for r in _table(year, "Fund summary").rows
                             if r["item"].startswith("Fund balance")),
        "fund-status": _table(fund_status, "Fund balance").rows[0]["amount"],
        "financial position": position["Total assets"] - position["Total liabilities"],
        "network facts": sum(v for key, v in facts["balance"].items()
                             if key.split("|")[1][0] in "12"),  # assets and liabilities, debit − credit
    }
    assert len(set(balances.values())) == 1, balances
    assert position["Total equity"] == balances["financial position"]


def test_the_demo_reports_one_truth():
    generator.build(seed=1, groups=2, members=20, years=1, end=END)
    groups = Organisation.objects.filter(kind=Organisation.Kind.GROUP).order_by("code")
    for group in groups:
        assert_one_truth(group)
    # not agreeing on nothing: the demo has leavers, benefits and grants to compare
    assert Member.objects.filter(organisation__in=groups, status__in=LEFT_STATUSES).exists()
    assert MonthlyFact.objects.filter(organisation__in=groups, kind="benefit").exists()
    assert MonthlyFact.objects.filter(organisation__in=groups, kind="receipt_source").exists()


def test_a_group_from_imported_files_reports_one_truth(tree):
    """Members (two of whom left), half a year of payments and a cut-over opening balance,
    imported; the months closed as the treasurer would."""
    group, actor = tree.group_a, make_user(tree.group_a, Role.TREASURER)
    group.founded_on = dt.date(2017, 1, 1)
    group.save(update_fields=["founded_on"])
    headers = ["เลขที่สมาชิก", "คำนำหน้า", "ชื่อ", "นามสกุล", "เพศ", "เลขประจำตัวประชาชน", "วันเกิด",
               "วันที่เข้าเป็นสมาชิก", "โทรศัพท์", "หมู่", "สถานะ", "วันที่ลาออก/เสียชีวิต"]
    rows = [[*r, "", ""] for r in member_rows(20)]
    rows[3][-2:] = ["ลาออก", "30/06/2567"]
    rows[4][-2:] = ["เสียชีวิต", "01/02/2567"]
    for kind, data in (("members", csv_bytes(headers, rows)),
                       ("opening-balances", csv_bytes(
                           ["รหัสบัญชี", "กองทุน", "เดบิต", "เครดิต", "วันที่ยอดยกมา"],
                           [["1100", "", "12,000.00", "", "31/12/2567"], ["1200", "", "50,000.00", "", "31/12/2567"],
                            ["3300", "", "", "62,000.00", "31/12/2567"]])),
                       ("payments", csv_bytes(PAYMENT_HEADERS, [
                           r for r in payment_rows(20, 6, start=dt.date(2025, 1, 5))
                           if r[0] not in ("0004", "0005")] + [["0001", "05/01/2568", "ค่าธรรมเนียมแรกเข้า", "50"],
                                                               ["0002", "06/01/2568", "ค่าสมทบรายปี", "1,200"]]))):
        checked, _job = run_import(group, kind, data, actor=actor)
        assert checked.problems == [], (kind, checked.problems[:3])
    while (month := ledger.next_period(group)) <= (END.year, END.month):  # the treasurer closes each month
        ledger.period_close(actor=actor, organisation=group, year=month[0], month=month[1],
                            today=END + dt.timedelta(days=1))
    # the books have the opening balance and the receipts; benefits paid as imported past
    # claims are entries, not yet welfare claims (issue 14), so they are left out here
    assert_one_truth(group, claims_are_claims=False)


def test_a_group_in_its_own_words_round_trips_to_reports_that_agree(tree):
    """Issue 14's round trip: a group's members, payments and claims files written its own way —
    its own headings, its own words for statuses, contribution types and benefits — imported
    with the answers it gave once and the app remembered; the reports equal the files' totals
    and agree with one another (group-status, benefits-by-category, fund-status, trial balance)."""
    group, actor = tree.group_a, make_user(tree.group_a, Role.TREASURER)
    approver = make_user(tree.group_a, Role.COMMITTEE)
    group.founded_on = dt.date(2017, 1, 1)
    group.save(update_fields=["founded_on"])
    names = ["สมศรี", "สมชาย", "บุญมี", "มาลี", "ประยุทธ", "สุดา", "วิชัย", "อำไพ", "ทองดี", "จันทร์", "แก้ว", "บัวผัน"]
    people = [[f"{i:04d}", "นาง" if i % 2 else "นาย", names[i - 1], "ใจดี", "ญ" if i % 2 else "ช",
               national_id(2000 + i), "01/03/2510", "01/01/2560", "อยู่" if i != 4 else "ออกแล้ว",
               "" if i != 4 else "30/06/2567"] for i in range(1, 13)]
    members = csv_bytes(["ทะเบียน", "คำนำหน้า", "ชื่อตัว", "สกุล", "ช/ญ", "บัตร ปชช.", "เกิด", "วันสมัคร",
                         "สภาพ", "วันออก"], people)
    member_columns = {"ทะเบียน": "number", "ชื่อตัว": "first_name", "สกุล": "last_name", "ช/ญ": "sex",
                      "บัตร ปชช.": "national_id", "เกิด": "birth_date", "วันสมัคร": "join_date",
                      "สภาพ": "status", "วันออก": "status_date"}
    paid = [[f"{i:04d}", f"05/{m:02d}/2568", "ฝากสัจจะ", "30"] for m in range(1, 7) for i in range(1, 13) if i != 4]
    paid += [["0001", "05/01/2568", "ค่าแรกเข้า", "50"], ["0002", "06/01/2568", "บำรุงปี", "1,200"]]
    payments = csv_bytes(["ทะเบียน", "วันที่", "รายการ", "บาท"], paid)
    payment_columns = {"ทะเบียน": "member", "วันที่": "date", "รายการ": "type", "บาท": "amount"}
    benefits = [["0001", "ค่านอน รพ.", "03/02/2568", "10/02/2568", "900"],
                ["0003", "ค่านอน รพ.", "04/03/2568", "06/03/2568", "600"],
                ["0005", "ช่วยงานศพ", "01/05/2568", "05/05/2568", "5,000"],
                ["0007", "ทุนเรียนลูก", "15/05/2568", "20/05/2568", "1,000"]]
    claims = csv_bytes(["ทะเบียน", "สวัสดิการ", "วันเกิดเหตุ", "วันจ่าย", "บาท"], benefits)
    claim_columns = {"ทะเบียน": "member", "สวัสดิการ": "category", "วันเกิดเหตุ": "event_date",
                     "วันจ่าย": "paid_date", "บาท": "amount"}
    # the group's words the app does not know: asked once, answered, remembered for the group
    answers = {"members": {"status": {"อยู่": "active", "ออกแล้ว": "resigned"}},
               "payments": {"type": {"ฝากสัจจะ": "daily_saving", "บำรุงปี": "annual_fee"}},
               "claims": {"category": {"ค่านอน รพ.": "sickness", "ทุนเรียนลูก": "education"}}}
    files = (("members", members, member_columns), ("opening-balances", csv_bytes(
        ["รหัสบัญชี", "กองทุน", "เดบิต", "เครดิต", "วันที่ยอดยกมา"],
        [["1100", "", "20,000.00", "", "31/12/2567"], ["3300", "", "", "20,000.00", "31/12/2567"]]), None),
        ("payments", payments, payment_columns), ("claims", claims, claim_columns))
    for kind, data, columns in files:
        if kind in answers:
            asked = import_services.import_check(organisation=group, kind=kind, data=data, filename="f.csv",
                                                 mapping=columns)
            assert {p.field for p in asked.problems} == set(answers[kind]), (kind, asked.problems[:3])
            import_services.values_save(actor=actor, organisation=group, kind=kind, answers=answers[kind])
        checked, job = run_import(group, kind, data, actor=actor, mapping=columns, approver=approver)
        assert checked.problems == [] and job.status == "done", (kind, checked.problems[:3])
    while (month := ledger.next_period(group)) <= (END.year, END.month):
        ledger.period_close(actor=actor, organisation=group, year=month[0], month=month[1],
                            today=END + dt.timedelta(days=1))

    # the reports equal the files' own totals
    year = _report("group-status", group, YEAR_START)
    contributions = {r["code"]: r["amount"] for r in _table(year, "Members' contributions").rows}
    assert contributions == {"4100": 50_00, "4200": 1_200_00, "4300": 11 * 6 * 30_00}
    by_category = {r["category"]: (r["cases"], r["amount"])
                   for r in _report("benefits-by-category", group, YEAR_START).tables[0].rows}
    assert by_category == {category_label("sickness", "en"): (2, 1_500_00),
                           category_label("death", "en"): (1, 5_000_00),
                           category_label("education", "en"): (1, 1_000_00)}
    members_rows = {r["item"]: r["n"] for r in _table(_report("group-status", group, None), "Members").rows}
    assert members_rows["Members at founding"] + members_rows["Joined"] == 12
    assert members_rows["Left: resigned"] == 1 and members_rows["Left: died"] == 1  # 0005's funeral
    # and every report agrees with every other
    assert_one_truth(group)
