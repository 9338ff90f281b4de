"""Savings as worked examples: a savings group opens its members' accounts, takes deposits on
the collection day, pays withdrawals a second person approved, and refuses what the bylaws or
the balance do not allow — with a Thai and an English message, and nothing half-written."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from omboon.core.errors import RuleViolation
from omboon.ledger import selectors as ledger_selectors
from omboon.ledger import services as ledger
from omboon.ledger.models import JournalEntry, JournalLine
from omboon.members import services as members
from omboon.savings import selectors, services
from omboon.savings.models import Account, StatusChange, Withdrawal

from .conftest import START

D = dt.date


def problems(excinfo) -> str:
    return " | ".join(f"{p.message_th} / {p.message_en}" for p in excinfo.value.problems)


def opened(sg, code="VOL", member=0, on=START):
    return services.account_open(actor=sg.treasurer, organisation=sg.group, member=sg.members[member],
                                 product=sg.products[code], opened_on=on)


def test_accounts_are_numbered_per_group_one_per_member_and_product(sg):
    first = opened(sg, "VOL", 0)
    second = opened(sg, "SAJ", 0)
    third = opened(sg, "VOL", 1)
    assert [first.number, second.number, third.number] == ["VOL-00001", "SAJ-00002", "VOL-00003"]
    assert first.sub_account.account.code == "2110" and second.sub_account.account.code == "2100"
    assert first.sub_account.member == sg.members[0]
    assert list(first.history.values_list("status", flat=True)) == ["open"]
    with pytest.raises(RuleViolation) as excinfo:
        opened(sg, "VOL", 0)
    assert "one per member and product" in problems(excinfo)
    assert Account.objects.filter(organisation=sg.group).count() == 3


def test_a_deposit_is_a_receipt_to_the_members_account_and_the_balance_its_lines(sg):
    account = opened(sg)
    entry = services.deposit(actor=sg.treasurer, account=account, amount=500_00, date=D(2024, 1, 10))
    services.deposit(actor=sg.treasurer, account=account, amount=250_00, date=D(2024, 2, 10), paid_into="bank")
    assert entry.doc_type == "receipt" and entry.document_number.startswith("RV")
    assert sorted(entry.lines.values_list("account__code", "debit", "credit")) == [("1100", 500_00, 0),
                                                                                   ("2110", 0, 500_00)]
    assert selectors.balance(account) == 750_00
    assert selectors.balance(account, as_of=D(2024, 1, 31)) == 500_00
    assert selectors.balances(sg.group) == {account.pk: 750_00}
    opening, lines = selectors.statement(account, start=D(2024, 2, 1))
    assert opening == 500_00 and [(ln.deposit, ln.balance) for ln in lines] == [(250_00, 750_00)]
    # the books: 2110 holds exactly what the accounts hold
    tb = ledger_selectors.trial_balance(sg.group, D(2024, 12, 31))
    assert {r.account.code: r.credit for r in tb.rows}["2110"] == 750_00


def test_a_deposit_twice_with_one_key_posts_once(sg):
    account = opened(sg)
    for _ in range(2):
        services.deposit(actor=sg.treasurer, account=account, amount=100_00, date=START, idempotency_key="cd-1")
    assert selectors.balance(account) == 100_00


def test_bad_deposits_are_refused_with_every_reason(sg):
    account = opened(sg, "SH")
    with pytest.raises(RuleViolation) as excinfo:
        services.deposit(actor=sg.treasurer, account=account, amount=-5, date=START, paid_into="gold")
    text = problems(excinfo)
    assert "above zero" in text and "cash or bank" in text and "มากกว่าศูนย์" in text
    with pytest.raises(RuleViolation) as excinfo:
        services.deposit(actor=sg.treasurer, account=account, amount=15_00, date=START)
    assert "shares are bought whole" in problems(excinfo)
    with pytest.raises(RuleViolation) as excinfo:
        services.deposit(actor=sg.treasurer, account=account, amount=1001 * 10_00, date=START)
    assert "at most 1000 shares" in problems(excinfo)
    assert not JournalEntry.objects.filter(organisation=sg.group).exists()


def test_no_deposit_to_a_closed_account_or_for_a_member_who_left(sg):
    account = opened(sg)
    services.account_close(actor=sg.treasurer, account=account, reason="ย้ายไปบัญชีใหม่", date=START)
    with pytest.raises(RuleViolation) as excinfo:
        services.deposit(actor=sg.treasurer, account=account, amount=100_00, date=START)
    assert "is closed" in problems(excinfo)
    other = opened(sg, "VOL", 1)
    members.member_status_change(actor=None, member=sg.members[1], status="resigned", on=D(2024, 2, 1))
    with pytest.raises(RuleViolation) as excinfo:
        services.deposit(actor=sg.treasurer, account=other, amount=100_00, date=D(2024, 2, 2))
    assert "has left" in problems(excinfo)
    assert list(account.history.values_list("status", flat=True)) == ["open", "closed"]


def test_a_withdrawal_is_paid_when_a_second_person_approves_it(sg):
    account = opened(sg)
    services.deposit(actor=sg.treasurer, account=account, amount=1_000_00, date=START)
    w = services.withdrawal_request(actor=sg.treasurer, account=account, amount=300_00, date=D(2024, 1, 20))
    assert w.fee == 10_00 and w.status == "requested" and selectors.balance(account) == 1_000_00
    with pytest.raises(RuleViolation) as excinfo:
        services.withdrawal_approve(actor=sg.treasurer, withdrawal=w)
    assert "cannot be the person who asked" in problems(excinfo)
    w = services.withdrawal_approve(actor=sg.chair, withdrawal=w)
    assert w.status == "paid" and w.entry.doc_type == "payment"
    assert sorted(w.entry.lines.values_list("account__code", "debit", "credit")) == [
        ("1100", 0, 300_00), ("2110", 310_00, 0), ("4800", 0, 10_00)]
    assert selectors.balance(account) == 690_00


def test_withdrawals_refused_below_the_minimum_or_beyond_the_balance(sg):
    account = opened(sg)
    services.deposit(actor=sg.treasurer, account=account, amount=500_00, date=START)
    with pytest.raises(RuleViolation) as excinfo:
        services.withdrawal_request(actor=sg.treasurer, account=account, amount=450_00, date=START)
    assert "must keep at least 100.00 baht" in problems(excinfo)
    with pytest.raises(RuleViolation) as excinfo:
        services.withdrawal_request(actor=sg.treasurer, account=account, amount=600_00, date=START)
    assert "not enough money" in problems(excinfo) and "ยอดเงินไม่พอ" in problems(excinfo)
    # what is already waiting for approval counts: 390 + 10 fee leaves the 100-baht minimum
    services.withdrawal_request(actor=sg.treasurer, account=account, amount=390_00, date=START)
    with pytest.raises(RuleViolation) as excinfo:
        services.withdrawal_request(actor=sg.treasurer, account=account, amount=1_00, date=START)
    assert "must keep at least 100.00 baht" in problems(excinfo)
    assert Withdrawal.objects.filter(account=account).count() == 1


def test_compulsory_savings_as_the_bylaws_allow_and_all_of_it_on_leaving(sg):
    account = opened(sg, "SAJ")
    for month in range(1, 11):
        services.deposit(actor=sg.treasurer, account=account, amount=100_00, date=D(2024, month, 5))
    with pytest.raises(RuleViolation) as excinfo:
        services.withdrawal_request(actor=sg.treasurer, account=account, amount=600_00, date=D(2024, 11, 1))
    assert "at most 50% of the balance (500.00 baht)" in problems(excinfo)
    w = services.withdrawal_request(actor=sg.treasurer, account=account, amount=500_00, date=D(2024, 11, 1))
    services.withdrawal_approve(actor=sg.chair, withdrawal=w)
    with pytest.raises(RuleViolation) as excinfo:
        services.withdrawal_request(actor=sg.treasurer, account=account, amount=100_00, date=D(2024, 12, 1))
    assert "none is left this year" in problems(excinfo)
    members.member_status_change(actor=None, member=sg.members[0], status="resigned", on=D(2024, 12, 1))
    w = services.withdrawal_request(actor=sg.treasurer, account=account, amount=500_00, date=D(2024, 12, 2))
    services.withdrawal_approve(actor=sg.chair, withdrawal=w)
    assert selectors.balance(account) == 0
    services.account_close(actor=sg.treasurer, account=account, reason="ลาออก", date=D(2024, 12, 2))
    assert Account.objects.get(pk=account.pk).status == "closed"


def test_a_reversed_withdrawal_does_not_use_up_the_years_withdrawal(sg):
    account = opened(sg, "SAJ")
    services.deposit(actor=sg.treasurer, account=account, amount=1_000_00, date=START)
    w = services.withdrawal_request(actor=sg.treasurer, account=account, amount=100_00, date=D(2024, 3, 1))
    services.withdrawal_approve(actor=sg.chair, withdrawal=w)
    assert selectors.withdrawals_paid_in_year(account, 2024) == 1
    w.refresh_from_db()
    services.movement_reverse(actor=sg.chair, account=account, entry_id=w.entry_id, reason="จ่ายผิดคน",
                              date=D(2024, 3, 2))
    # the money came back, so the bylaws' one withdrawal a year is still there
    assert selectors.withdrawals_paid_in_year(account, 2024) == 0
    again = services.withdrawal_request(actor=sg.treasurer, account=account, amount=100_00, date=D(2024, 4, 1))
    services.withdrawal_approve(actor=sg.chair, withdrawal=again)
    with pytest.raises(RuleViolation) as excinfo:
        services.withdrawal_request(actor=sg.treasurer, account=account, amount=10_00, date=D(2024, 5, 1))
    assert "none is left this year" in problems(excinfo)


def test_a_bylaw_without_yearly_withdrawals_pays_compulsory_savings_only_on_leaving(sg):
    services.product_version_create(actor=sg.chair, product=sg.products["SAJ"], effective_from=D(2024, 6, 1),
                                    monthly_amount=100_00)
    account = opened(sg, "SAJ")
    services.deposit(actor=sg.treasurer, account=account, amount=100_00, date=START)
    with pytest.raises(RuleViolation) as excinfo:
        services.withdrawal_request(actor=sg.treasurer, account=account, amount=10_00, date=D(2024, 6, 1))
    assert "only when the member leaves" in problems(excinfo)
    # before the new version, the old terms held
    w = services.withdrawal_request(actor=sg.treasurer, account=account, amount=10_00, date=D(2024, 5, 31))
    assert w.amount == 10_00


def test_fixed_deposits_are_withdrawn_whole_and_shares_keep_their_minimum(sg):
    fixed = opened(sg, "FIX")
    assert fixed.matures_on == D(2025, 1, 1)
    services.deposit(actor=sg.treasurer, account=fixed, amount=10_000_00, date=START)
    with pytest.raises(RuleViolation) as excinfo:
        services.withdrawal_request(actor=sg.treasurer, account=fixed, amount=5_000_00, date=D(2024, 3, 1))
    assert "withdrawn whole" in problems(excinfo)
    shares = opened(sg, "SH")
    services.deposit(actor=sg.treasurer, account=shares, amount=20 * 10_00, date=START)
    with pytest.raises(RuleViolation) as excinfo:
        services.withdrawal_request(actor=sg.treasurer, account=shares, amount=11 * 10_00, date=START)
    assert "at least 10 shares" in problems(excinfo)
    assert shares.sub_account.account.code == "3400"


def _on_5400(entry) -> int:
    return sum(ln.debit - ln.credit for ln in entry.lines.filter(account__code="5400"))


def test_a_fixed_deposit_withdrawn_before_it_matures_earns_the_early_rate_over_all_its_days(sg):
    fixed = opened(sg, "FIX", on=D(2024, 3, 1))  # 12 months at 3%, 1% if withdrawn early
    assert fixed.matures_on == D(2025, 3, 1)
    services.deposit(actor=sg.treasurer, account=fixed, amount=10_000_00, date=D(2024, 3, 1))
    services.interest_post(actor=sg.chair, organisation=sg.group, through=D(2024, 12, 31))
    # 3% for 1 March–31 December 2024: 30,000 satang a year × 306/366 days = 25,081.96… → 25,081
    assert selectors.balance(fixed) == 10_000_00 + 250_81
    w = services.withdrawal_request(actor=sg.treasurer, account=fixed, amount=10_250_81, date=D(2025, 2, 1))
    # 1% on the 10,000 baht deposited, 1 March 2024–31 January 2025:
    # 10,000 satang × 306/366 + 10,000 × 31/365 = 8,360.65… + 849.31… = 9,209.97… → 9,209;
    # the 25,081 credited at 3% is taken back
    assert w.interest == 92_09 - 250_81
    services.withdrawal_approve(actor=sg.chair, withdrawal=w)
    w.refresh_from_db()
    cash = w.entry.lines.get(account__code="1100")
    assert cash.credit == 10_000_00 + 92_09  # the deposit and its early interest
    assert _on_5400(w.entry) == -(250_81 - 92_09)
    assert selectors.balance(fixed) == 0
    # the next year's run pays it nothing more
    services.interest_post(actor=sg.chair, organisation=sg.group, through=D(2025, 12, 31))
    assert fixed.sub_account.lines.filter(date__gt=D(2025, 2, 1)).count() == 0


def test_a_fixed_deposit_withdrawn_at_or_after_maturity_earns_the_product_rate_to_the_day(sg):
    fixed = opened(sg, "FIX")  # 1 January 2024, matures 1 January 2025
    services.deposit(actor=sg.treasurer, account=fixed, amount=10_000_00, date=START)
    services.interest_post(actor=sg.chair, organisation=sg.group, through=D(2024, 12, 31))
    assert selectors.balance(fixed) == 10_300_00  # 3% for the whole of 2024
    w = services.withdrawal_request(actor=sg.treasurer, account=fixed, amount=10_300_00, date=D(2025, 3, 1))
    # 3% on 10,300 baht, 1 January–28 February 2025: 30,900 satang × 59/365 = 4,994.79… → 4,994
    assert w.interest == 49_94
    services.withdrawal_approve(actor=sg.chair, withdrawal=w)
    w.refresh_from_db()
    assert w.entry.lines.get(account__code="1100").credit == 10_300_00 + 49_94
    assert _on_5400(w.entry) == 49_94 and selectors.balance(fixed) == 0
    services.interest_post(actor=sg.chair, organisation=sg.group, through=D(2025, 12, 31))
    assert fixed.sub_account.lines.filter(date__gt=D(2025, 3, 1)).count() == 0


def test_reversing_a_fixed_deposits_withdrawal_gives_back_its_interest_too(sg):
    fixed = opened(sg, "FIX")
    services.deposit(actor=sg.treasurer, account=fixed, amount=1_000_00, date=START)
    w = services.withdrawal_request(actor=sg.treasurer, account=fixed, amount=1_000_00, date=D(2024, 7, 1))
    services.withdrawal_approve(actor=sg.chair, withdrawal=w)
    w.refresh_from_db()
    assert w.interest == 4_97  # 1% of 1,000 baht for 182 of 366 days: 497.26… → 497 satang
    services.movement_reverse(actor=sg.chair, account=fixed, entry_id=w.entry_id, reason="ผิดบัญชี",
                              date=D(2024, 7, 2))
    assert selectors.balance(fixed) == 1_000_00
    assert services.fixed_settlement(fixed, D(2024, 7, 1)) == 4_97  # not settled any more


def test_a_rejected_or_cancelled_withdrawal_moves_no_money(sg):
    account = opened(sg)
    services.deposit(actor=sg.treasurer, account=account, amount=500_00, date=START)
    w1 = services.withdrawal_request(actor=sg.treasurer, account=account, amount=100_00, date=START)
    w2 = services.withdrawal_request(actor=sg.treasurer, account=account, amount=100_00, date=START)
    with pytest.raises(RuleViolation, match="reason"):
        services.withdrawal_reject(actor=sg.chair, withdrawal=w1, reason=" ")
    services.withdrawal_reject(actor=sg.chair, withdrawal=w1, reason="ไม่มีเอกสาร")
    services.withdrawal_cancel(actor=sg.treasurer, withdrawal=w2, reason="สมาชิกเปลี่ยนใจ")
    with pytest.raises(RuleViolation) as excinfo:
        services.withdrawal_approve(actor=sg.chair, withdrawal=w1)
    assert "already been decided" in problems(excinfo)
    assert selectors.balance(account) == 500_00 and selectors.pending(account) == 0


def test_accounts_without_movement_become_dormant_and_a_deposit_opens_them(sg):
    quiet, busy = opened(sg, "VOL", 0), opened(sg, "VOL", 1)
    services.deposit(actor=sg.treasurer, account=quiet, amount=100_00, date=START)
    services.deposit(actor=sg.treasurer, account=busy, amount=100_00, date=D(2024, 11, 1))
    assert services.accounts_mark_dormant(actor=sg.chair, organisation=sg.group, as_of=D(2025, 3, 1)) == 1
    quiet.refresh_from_db()
    assert quiet.status == "dormant"
    services.deposit(actor=sg.treasurer, account=quiet, amount=100_00, date=D(2025, 3, 2))
    quiet.refresh_from_db()
    assert quiet.status == "open"
    assert list(StatusChange.objects.filter(account=quiet).values_list("status", flat=True)) == [
        "open", "dormant", "open"]


def test_product_terms_are_checked_and_never_back_dated_into_a_closed_month(sg):
    with pytest.raises(RuleViolation) as excinfo:
        services.product_create(actor=sg.chair, organisation=sg.group, code="SH", kind="shares", name_th="หุ้น",
                                effective_from=START, share_price=0, annual_rate=Decimal(101))
    text = problems(excinfo)
    assert "product code SH exists" in text and "price per share" in text and "0 to 100 percent" in text
    account = opened(sg)
    services.deposit(actor=sg.treasurer, account=account, amount=100_00, date=START)
    ledger.period_close(actor=sg.chair, organisation=sg.group, year=2024, month=1, today=D(2024, 2, 1))
    with pytest.raises(RuleViolation) as excinfo:
        services.product_version_create(actor=sg.chair, product=sg.products["VOL"], effective_from=D(2024, 1, 15),
                                        min_balance=0)
    assert "books are closed" in problems(excinfo)


def test_a_withdrawal_leaves_the_books_balanced_and_2110_equal_to_the_accounts(sg):
    a, b = opened(sg, "VOL", 0), opened(sg, "VOL", 1)
    services.deposit(actor=sg.treasurer, account=a, amount=800_00, date=START)
    services.deposit(actor=sg.treasurer, account=b, amount=300_00, date=START)
    services.withdrawal_approve(actor=sg.chair, withdrawal=services.withdrawal_request(
        actor=sg.treasurer, account=a, amount=200_00, date=START))
    lines = JournalLine.objects.filter(organisation=sg.group, account__code="2110")
    on_2110 = sum(ln.credit - ln.debit for ln in lines)
    assert on_2110 == sum(selectors.balances(sg.group).values()) == 890_00
