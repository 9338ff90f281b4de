"""Claims through their lifecycle, with the books, and every refusal the issue lists."""

from __future__ import annotations

import datetime as dt

import pytest

from omboon.core.errors import RuleViolation
from omboon.core.models import AuditEvent
from omboon.ledger import selectors as ledger_selectors
from omboon.ledger.models import Account, JournalEntry
from omboon.members.models import Member
from omboon.orgs.models import Role
from omboon.testing.factories import make_user
from omboon.welfare import selectors, services
from omboon.welfare.models import Claim, RuleVersion
from omboon.welfare.tests.conftest import ID_DOCS, fund_cash, make_member

D = dt.date
pytestmark = pytest.mark.django_db


def fields(exc) -> set[str]:
    return {p.field for p in exc.value.problems}


def balances(group) -> dict:
    return ledger_selectors.balances(group, D(2030, 1, 1))


def test_sickness_claim_submitted_approved_paid_posts_the_books(fund):
    claim = fund.submit("sickness", nights=3, event_key="admit-2025-06-10")
    assert claim.status == Claim.Status.SUBMITTED and claim.amount == 900_00
    assert claim.eligibility["eligible"] and claim.eligibility["facts"]["join_date"] == "2015-03-01"
    assert claim.rule_version == RuleVersion.objects.get(scheme=fund.schemes["sickness"])
    claim = fund.approve(claim)
    assert claim.status == Claim.Status.APPROVED and claim.approved_by == fund.chair
    claim = fund.pay(claim)
    assert claim.status == Claim.Status.PAID and claim.paid_on == D(2025, 7, 1)
    lines = {(ln.account.code, ln.debit, ln.credit) for ln in claim.entry.lines.select_related("account")}
    assert lines == {("5120", 900_00, 0), ("1100", 0, 900_00)}
    assert claim.entry.doc_type == "payment" and claim.entry.document_number.startswith("PV2568/")
    assert all(ln.member_id == fund.member.pk for ln in claim.entry.lines.all())
    assert selectors.welfare_cash(fund.group) == 100_000_00 - 900_00
    actions = list(AuditEvent.objects.filter(action__startswith="welfare.claim").order_by("id")
                   .values_list("action", flat=True))
    assert actions == ["welfare.claim_submit", "welfare.claim_approve", "welfare.claim_pay"]


def test_paying_twice_pays_once(fund):
    claim = fund.paid("childbirth", event_key="baby-1")
    again = services.claim_pay(actor=fund.treasurer, claim=claim, date=D(2025, 8, 1))
    assert again.entry_id == claim.entry_id
    assert JournalEntry.objects.filter(doc_type="payment").count() == 1


def test_a_non_member_cannot_claim(fund, tree):
    outsider = make_member(tree.group_b)
    with pytest.raises(RuleViolation) as exc:
        fund.submit("childbirth", member=outsider)
    assert "member" in fields(exc)
    assert "ขอสวัสดิการได้เฉพาะสมาชิก" in exc.value.problems[0].message_th


def test_an_ineligible_member_is_refused_with_the_reasons(fund):
    newcomer = make_member(fund.group, join_date=D(2025, 3, 1))
    with pytest.raises(RuleViolation) as exc:
        fund.submit("childbirth", member=newcomer)
    assert fields(exc) == {"membership"}
    assert exc.value.problems[0].message_th.startswith("ไม่ผ่านเงื่อนไข: เป็นสมาชิกมาแล้ว 3 เดือน")
    assert not Claim.objects.exists()
    resigned = make_member(fund.group, status=Member.Status.RESIGNED, status_date=D(2024, 1, 1))
    with pytest.raises(RuleViolation) as exc:
        fund.submit("childbirth", member=resigned)
    assert fields(exc) == {"status"}


def test_missing_documents_are_refused(fund):
    with pytest.raises(RuleViolation) as exc:
        fund.submit("childbirth", documents=["id_card"])
    assert fields(exc) == {"documents"}


def test_a_second_claim_for_the_same_event_is_refused(fund):
    fund.submit("childbirth", event_key="baby-1")
    with pytest.raises(RuleViolation) as exc:
        fund.submit("childbirth", event_key="baby-1")
    assert "same_event" in fields(exc)
    # a rejected claim frees the event again
    services.claim_reject(actor=fund.chair, claim=Claim.objects.get(), reason="เอกสารไม่ชัด")
    assert fund.submit("childbirth", event_key="baby-1").status == Claim.Status.SUBMITTED


def test_a_member_dies_once(fund):
    fund.submit("death", event_date=D(2025, 6, 1))
    with pytest.raises(RuleViolation) as exc:
        fund.submit("death", event_date=D(2025, 6, 2))
    assert "same_event" in fields(exc)


def test_over_the_limit_is_refused_and_pending_claims_count(fund):
    first = fund.submit("sickness", nights=4, event_key="a", event_date=D(2025, 2, 1))
    second = fund.submit("sickness", nights=4, event_key="b", event_date=D(2025, 3, 1))
    assert (first.amount, second.amount) == (1200_00, 300_00)  # five nights a year
    with pytest.raises(RuleViolation) as exc:
        fund.submit("sickness", nights=1, event_key="c", event_date=D(2025, 4, 1))
    assert "nights_per_year" in fields(exc)
    fund.submit("sickness", nights=1, event_key="d", event_date=D(2026, 1, 2), today=D(2026, 1, 2))  # a new year


def test_the_submitter_cannot_approve_their_own_claim(fund):
    claim = fund.submit("childbirth")
    with pytest.raises(RuleViolation) as exc:
        services.claim_approve(actor=fund.treasurer, claim=claim)
    assert "ผู้อนุมัติต้องไม่ใช่ผู้บันทึกคำขอ" in exc.value.problems[0].message_th
    auditor = make_user(fund.group, Role.AUDITOR)
    with pytest.raises(RuleViolation):
        services.claim_approve(actor=auditor, claim=claim)
    # the chair may submit and the treasurer approve: maker and checker only need to differ
    by_chair = services.claim_submit(actor=fund.chair, organisation=fund.group, member=fund.member,
                                     scheme=fund.schemes["sickness"], event_date=D(2025, 5, 1), nights=1,
                                     documents=ID_DOCS["sickness"], today=D(2025, 12, 31))
    assert services.claim_approve(actor=fund.treasurer, claim=by_chair).status == Claim.Status.APPROVED


def test_unapproved_claims_are_not_paid(fund):
    claim = fund.submit("childbirth")
    with pytest.raises(RuleViolation) as exc:
        fund.pay(claim)
    assert fields(exc) == {"status"}
    rejected = services.claim_reject(actor=fund.chair, claim=claim, reason="ซ้ำ")
    with pytest.raises(RuleViolation):
        fund.pay(rejected)
    with pytest.raises(RuleViolation) as exc:
        services.claim_reject(actor=fund.chair, claim=fund.submit("childbirth", event_key="x"), reason=" ")
    assert fields(exc) == {"reason"}


def test_a_payout_larger_than_the_cash_is_refused(fund, tree):
    group = tree.group_b
    treasurer = make_user(group, Role.TREASURER)
    chair = make_user(group, Role.CHAIR)
    from omboon.welfare.tests.conftest import make_schemes

    schemes = make_schemes(group, treasurer)
    fund_cash(group, 1000_00)
    member = make_member(group)
    claim = services.claim_submit(actor=treasurer, organisation=group, member=member, scheme=schemes["death"],
                                  event_date=D(2025, 6, 1), documents=ID_DOCS["death"], today=D(2025, 12, 31),
                                  payees=[{"name": "ลูก", "share": 100}])
    claim = services.claim_approve(actor=chair, claim=claim)
    with pytest.raises(RuleViolation) as exc:
        services.claim_pay(actor=treasurer, claim=claim, date=D(2025, 7, 1))
    assert "ไม่พอจ่าย 12,000.00 บาท" in exc.value.problems[0].message_th
    assert Claim.objects.get(pk=claim.pk).status == Claim.Status.APPROVED
    assert not JournalEntry.objects.filter(organisation=group, doc_type="payment").exists()
    # cash received after the payment date does not pay a back-dated payout either
    fund_cash(group, 20000_00, date=D(2025, 8, 1))
    with pytest.raises(RuleViolation):
        services.claim_pay(actor=treasurer, claim=claim, date=D(2025, 7, 1))
    assert services.claim_pay(actor=treasurer, claim=claim, date=D(2025, 8, 1)).status == Claim.Status.PAID


def test_a_paid_death_claim_pays_the_beneficiaries_and_ends_the_membership(fund):
    claim = fund.submit("death", event_date=D(2025, 6, 1), payees=[
        {"name": "นายหนึ่ง ใจดี", "relation": "บุตร", "share": 50},
        {"name": "นางสอง ใจดี", "relation": "บุตร", "share": 30},
        {"name": "นายสาม ใจดี", "relation": "หลาน", "share": 20}])
    assert claim.amount == 12000_00  # ten years a member
    assert [p.amount for p in claim.payees.all()] == [6000_00, 3600_00, 2400_00]
    claim = fund.pay(fund.approve(claim))
    credits = sorted(ln.credit for ln in claim.entry.lines.filter(account__code="1100"))
    assert credits == [2400_00, 3600_00, 6000_00]
    member = Member.objects.get(pk=fund.member.pk)
    assert member.status == Member.Status.DECEASED and member.status_date == D(2025, 6, 1)
    # the member's other benefits end with them
    with pytest.raises(RuleViolation) as exc:
        fund.submit("sickness", nights=1, event_date=D(2025, 6, 20))
    assert "status" in fields(exc)


def test_payee_shares_must_add_up_to_100(fund):
    with pytest.raises(RuleViolation) as exc:
        fund.submit("death", payees=[{"name": "ก", "share": 60}, {"name": "ข", "share": 30}])
    assert "สัดส่วนของผู้รับเงินรวมกันได้ร้อยละ 90 ต้องเป็น 100" in exc.value.problems[0].message_th
    with pytest.raises(RuleViolation):
        fund.submit("death", payees=[])


def test_reversing_a_payout_restores_every_balance(fund):
    before = balances(fund.group)
    claim = fund.paid("sickness", nights=2)
    assert balances(fund.group) != before
    claim = services.claim_reverse(actor=fund.chair, claim=claim, reason="จ่ายผิดคน", date=D(2025, 7, 2))
    assert claim.status == Claim.Status.REVERSED and claim.reversal.reverses_id == claim.entry_id
    assert balances(fund.group) == before
    # the claim no longer counts: the same event may be claimed again
    assert fund.submit("sickness", nights=2).amount == 600_00
    with pytest.raises(RuleViolation):
        services.claim_reverse(actor=fund.chair, claim=claim, reason="again")


def test_a_claim_is_judged_by_the_rule_in_force_on_the_event_date(fund):
    scheme = fund.schemes["childbirth"]
    old = fund.submit("childbirth", event_key="a", event_date=D(2025, 3, 1))
    new_rule = {**RuleVersion.objects.get(scheme=scheme).rule, "amount": {"kind": "fixed", "amount": 800_00}}
    version = services.rule_version_create(actor=fund.chair, scheme=scheme, effective_from=D(2025, 4, 1),
                                           rule=new_rule, note="มติที่ประชุมใหญ่")
    later = fund.submit("childbirth", event_key="b", event_date=D(2025, 4, 1))
    earlier = fund.submit("childbirth", event_key="c", event_date=D(2025, 3, 31))
    assert (later.amount, later.rule_version) == (800_00, version)
    assert earlier.amount == 500_00 and earlier.rule_version != version
    assert Claim.objects.get(pk=old.pk).rule_version == earlier.rule_version
    with pytest.raises(RuleViolation) as exc:
        services.rule_version_create(actor=fund.chair, scheme=scheme, effective_from=D(2025, 4, 1), rule=new_rule)
    assert fields(exc) == {"effective_from"}


def test_a_bad_rule_is_refused_with_every_problem(fund):
    with pytest.raises(RuleViolation) as exc:
        services.rule_version_create(actor=fund.chair, scheme=fund.schemes["sickness"],
                                     effective_from=D(2025, 1, 1),
                                     rule={"amount": {"kind": "per_night"}, "limits": {"per_year": 0}})
    assert {"amount.per_night", "limits.per_year"} <= fields(exc)


def test_schemes_use_the_category_accounts_and_create_missing_ones(fund):
    codes = {c: s.expense_account.code for c, s in fund.schemes.items()}
    assert codes["childbirth"] == "5110" and codes["death"] == "5130"
    enterprise = Account.objects.get(organisation=fund.group, code="5190")
    assert codes["community_enterprise"] == "5190" and enterprise.standard_code == "5100"
    assert enterprise.parent.code == "5100"
    with pytest.raises(RuleViolation) as exc:
        services.scheme_create(actor=None, organisation=fund.group, category="other", name_th="อื่น",
                               rule={"amount": {"kind": "fixed", "amount": 1}}, effective_from=D(2020, 1, 1))
    assert fields(exc) == {"custom_label"}


def test_schemes_belong_to_groups(tree):
    with pytest.raises(RuleViolation) as exc:
        services.scheme_create(actor=None, organisation=tree.zone, category="childbirth", name_th="ทำขวัญ",
                               rule={"amount": {"kind": "fixed", "amount": 1}}, effective_from=D(2020, 1, 1))
    assert "organisation" in fields(exc)


def test_paid_up_condition_and_the_ledger_paid_through(fund, monkeypatch):
    scheme = services.scheme_create(
        actor=fund.treasurer, organisation=fund.group, category="sickness", name_th="เยี่ยมไข้ (ส่งครบ)",
        rule={"eligibility": {"paid_up": True, "grace_months": 1}, "amount": {"kind": "fixed", "amount": 100_00}},
        effective_from=D(2020, 1, 1))
    member = make_member(fund.group, join_date=D(2025, 1, 1))
    monkeypatch.setattr(selectors, "_contributions_selectors", lambda: None)  # read the ledger
    with pytest.raises(RuleViolation) as exc:
        services.claim_submit(actor=fund.treasurer, organisation=fund.group, member=member, scheme=scheme,
                              event_date=D(2025, 6, 10), today=D(2025, 12, 31))
    assert fields(exc) == {"paid_up"}
    from omboon.ledger.services import Line, entry_post

    # 120 baht of one-baht-a-day savings from 1 January: covered to 30 April (grace of a month)
    entry_post(actor=None, organisation=fund.group, date=D(2025, 5, 5), doc_type="receipt",
               lines=[Line(account="1100", debit=120_00, member=member),
                      Line(account="4300", credit=120_00, member=member)])
    assert selectors.ledger_paid_through(member, D(2025, 6, 10)) == D(2025, 4, 30)
    assert selectors.ledger_paid_through(member, D(2025, 5, 4)) is None  # not paid yet then
    claim = services.claim_submit(actor=fund.treasurer, organisation=fund.group, member=member, scheme=scheme,
                                  event_date=D(2025, 6, 10), today=D(2025, 12, 31))
    assert claim.eligibility["facts"]["paid_through"] == "2025-04-30"


def test_paid_through_follows_the_contributions_coverage_when_installed(fund, monkeypatch):
    from types import SimpleNamespace

    def coverage(member, *, as_of):
        return SimpleNamespace(kinds={
            "entry_fee": SimpleNamespace(kind="entry_fee", owed=True, paid_through=None),
            "daily_saving": SimpleNamespace(kind="daily_saving", owed=True, paid_through=D(2025, 3, 31)),
            "annual_fee": SimpleNamespace(kind="annual_fee", owed=True, paid_through=D(2025, 12, 31)),
        })

    monkeypatch.setattr(selectors, "_contributions_selectors", lambda: SimpleNamespace(member_coverage=coverage))
    assert selectors.member_paid_through(fund.member, D(2025, 6, 1)) == D(2025, 3, 31)
    direct = SimpleNamespace(member_paid_through=lambda member, as_of: D(2024, 1, 31))
    monkeypatch.setattr(selectors, "_contributions_selectors", lambda: direct)
    assert selectors.member_paid_through(fund.member, D(2025, 6, 1)) == D(2024, 1, 31)


def test_future_events_and_bad_numbers_are_refused(fund):
    with pytest.raises(RuleViolation) as exc:
        fund.submit("sickness", event_date=D(2026, 6, 1), nights=-1)
    assert {"event_date", "nights"} <= fields(exc)


def test_pending_claims_selector(fund):
    a = fund.submit("childbirth", event_key="a")
    b = fund.approve(fund.submit("childbirth", event_key="b"))
    fund.paid("sickness", nights=1)
    assert {c.pk for c in selectors.pending_claims(fund.group)} == {a.pk, b.pk}
    assert set(selectors.pending_claims(fund.group.parent)) == {a, b}  # the zone sees below
