"""Imported history is the same as history typed in (issue 14, item 6): each row of a past
claims file becomes a real claim, paid — with its scheme, the entry that paid it and the second
person who approved the import — so the welfare reports count what the books count."""

from __future__ import annotations

import datetime as dt

import pytest

from omboon.core.errors import RuleViolation
from omboon.imports.tests.helpers import csv_bytes, run_import
from omboon.imports.tests.test_payout_approval import funded  # noqa: F401  (a fixture)
from omboon.ledger.models import JournalLine
from omboon.members.models import Member
from omboon.orgs import services as org_services
from omboon.orgs.models import Role
from omboon.testing.factories import make_user
from omboon.welfare import selectors, services
from omboon.welfare.models import Claim

pytestmark = pytest.mark.django_db

HEADERS = ["เลขที่สมาชิก", "ประเภทสวัสดิการ", "วันที่เกิดเหตุ", "วันที่จ่าย", "จำนวนเงิน", "หมายเหตุ"]
# the group's own words for its categories
ROWS = [["0001", "นอนโรงพยาบาล", "3/2/2563", "10/2/2563", "500", "3 คืน"],
        ["0002", "เยี่ยมไข้", "4/3/2563", "6/3/2563", "300", ""],
        ["0002", "เงินสงเคราะห์ (ตาย)", "1/5/2563", "5/5/2563", "3,000", "ฌาปนกิจ"],
        ["0003", "วิสาหกิจชุมชน", "1/6/2563", "1/6/2563", "2,000", "กลุ่มทอผ้า"]]


@pytest.fixture
def committee(tree):
    return make_user(tree.group_a, Role.COMMITTEE, username="committee-a")


def test_imported_claims_are_paid_claims_every_report_counts(funded, treasurer, committee):  # noqa: F811
    group = funded
    # the group already keeps a sickness scheme; it has none for death or community enterprise
    sickness = services.scheme_create(actor=treasurer, organisation=group, category="sickness",
                                      name_th="ค่าเยี่ยมไข้", rule={"amount": {"kind": "fixed", "amount": 50_000}},
                                      effective_from=dt.date(2019, 1, 1))
    checked, job = run_import(group, "claims", csv_bytes(HEADERS, ROWS), actor=treasurer, approver=committee)
    assert checked.problems == [] and job.status == "done"

    claims = list(Claim.objects.filter(organisation=group).select_related("scheme", "member", "entry")
                  .order_by("paid_on"))
    assert [(c.member.number, c.scheme.category, c.amount, c.status) for c in claims] == [
        ("0001", "sickness", 50_000, "paid"), ("0002", "sickness", 30_000, "paid"),
        ("0002", "death", 300_000, "paid"), ("0003", "community_enterprise", 200_000, "paid")]
    # the group's own scheme where it has one of the category, else an inactive "imported history" one
    assert claims[0].scheme == sickness and claims[1].scheme == sickness
    assert claims[2].scheme.name_th == "ค่าจัดการศพ (ประวัติที่นำเข้า)" and not claims[2].scheme.is_active
    assert claims[3].scheme.expense_account.code == "5190"  # not "unspecified benefit"
    # maker and checker, the entry that paid each, its payout line
    for c in claims:
        assert (c.submitted_by, c.approved_by, c.paid_by) == (treasurer, committee, treasurer)
        assert c.entry is not None and c.paid_on == c.entry.date
        assert JournalLine.objects.get(entry=c.entry, debit__gt=0).debit == c.amount
    assert claims[0].details == "3 คืน"
    assert Member.objects.get(organisation=group, number="0002").status == Member.Status.DECEASED

    # every report agrees with the file: the welfare report by claims, the books by account
    by_claims = {t.category: (t.cases, t.amount) for t in selectors.benefits_by_category(group, None, None)}
    assert by_claims == {"sickness": (2, 80_000), "death": (1, 300_000), "community_enterprise": (1, 200_000)}
    assert selectors.ledger_benefits_by_category(group) == {k: a for k, (_, a) in by_claims.items()}
    assert sum(a for _, a in by_claims.values()) == checked.summary["total"] == job.payout_total


def test_a_past_claim_needs_a_second_person(funded, treasurer):  # noqa: F811
    group = funded
    member = Member.objects.get(organisation=group, number="0001")
    with pytest.raises(RuleViolation):
        services.claim_record_paid(actor=treasurer, approver=treasurer, organisation=group, member=member,
                                   category="sickness", event_date=dt.date(2020, 2, 3), paid_on=dt.date(2020, 2, 10),
                                   amount=50_000, idempotency_key="t:1", source=("test", "1"))
    assert not Claim.objects.filter(organisation=group).exists()  # nothing half-written


def test_two_death_rows_for_one_member_are_a_row_problem_and_nothing_is_written(funded, treasurer):  # noqa: F811
    group = funded
    rows = [["0001", "นอนโรงพยาบาล", "3/2/2563", "10/2/2563", "500", ""],
            ["0002", "ฌาปนกิจ", "1/5/2563", "5/5/2563", "3,000", ""],
            ["0002", "เสียชีวิต", "2/5/2563", "6/5/2563", "3,000", "จ่ายซ้ำ"]]  # another date, still one death
    with pytest.raises(RuleViolation) as refused:  # the job is not started: the file has a row problem
        run_import(group, "claims", csv_bytes(HEADERS, rows), actor=treasurer)
    [problem] = refused.value.problems
    assert (problem.row, problem.field, problem.code) == (4, "category", "duplicate")
    assert "แถว 3" in problem.message("th") and "row 3" in problem.message("en")
    assert not Claim.objects.filter(organisation=group).exists()
    assert not JournalLine.objects.filter(organisation=group, account__code__startswith="51").exists()


def test_a_death_already_claimed_is_refused_by_row(funded, treasurer, committee):  # noqa: F811
    group = funded
    first = [["0002", "ฌาปนกิจ", "1/5/2563", "5/5/2563", "3,000", ""]]
    run_import(group, "claims", csv_bytes(HEADERS, first), actor=treasurer, approver=committee)
    again = [["0002", "ค่าจัดการศพ", "1/5/2563", "7/5/2563", "2,000", ""]]
    with pytest.raises(RuleViolation) as refused:
        run_import(group, "claims", csv_bytes(HEADERS, again), actor=treasurer, filename="b.csv")
    assert [(p.row, p.code) for p in refused.value.problems] == [(2, "duplicate")]
    assert Claim.objects.filter(organisation=group).count() == 1


def test_who_approves_a_past_claims_file_is_who_the_bylaws_say_approves_claims(funded, treasurer, committee):  # noqa: F811
    group = funded
    org_services.bylaws_set(actor=None, organisation=group, effective_from=dt.date(2020, 1, 1),
                            settings={"approvers": {"claims": ["chair"]}})
    rows = [["0001", "นอนโรงพยาบาล", "3/2/2563", "10/2/2563", "500", ""]]
    with pytest.raises(RuleViolation) as refused:  # a committee member may approve, but not claims here
        run_import(group, "claims", csv_bytes(HEADERS, rows), actor=treasurer, approver=committee)
    assert refused.value.problems[0].code == "approver"
    assert not Claim.objects.filter(organisation=group).exists()
