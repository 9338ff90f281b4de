"""A hypothesis state machine over two savings groups, two members' accounts in each: deposits,
withdrawals (asked, then approved by the chair, or refused), interest posted for the half-year
(once), reversals of deposits in the
ledger, reversals of deposits and paid withdrawals through the account page's service
(``movement_reverse``), a member leaving and being paid out (``member_payout``, approved),
month closes, fixed-term deposits put in and withdrawn whole before they mature (with their
early interest settled on 5400), whole shares transferred between two members (approved or
rejected). After every step: each account's balance is the sum of its lines, no balance is
below zero, every group's books balance, and 2110 holds exactly what its accounts hold."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import transaction
from django.db.models import Sum
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule

from omboon.core.errors import RuleViolation
from omboon.ledger import selectors as ledger_selectors
from omboon.ledger import services as ledger
from omboon.ledger.models import JournalEntry, JournalLine
from omboon.members import services as members
from omboon.savings import selectors, services
from omboon.testing.properties import examples

from .conftest import make_savings_group

DAYS = [dt.date(2024, 1, 1) + dt.timedelta(days=n) for n in range(0, 120, 3)]
INTEREST_THROUGH = dt.date(2024, 6, 30)  # the first half-year's end: interest is dated after every DAY
amounts = st.integers(min_value=1, max_value=200_000)


class Savings(RuleBasedStateMachine):
    def __init__(self):
        super().__init__()
        self._atomic = transaction.atomic()
        self._atomic.__enter__()

    def teardown(self):
        transaction.set_rollback(True)
        self._atomic.__exit__(None, None, None)

    @initialize()
    def groups(self):
        self.sgs = [make_savings_group(), make_savings_group()]
        self.accounts = [[services.account_open(actor=sg.treasurer, organisation=sg.group, member=sg.members[i],
                                                product=sg.products["VOL"], opened_on=DAYS[0]) for i in (0, 1)]
                         for sg in self.sgs]
        self.shares = []
        for sg in self.sgs:
            pair = [services.account_open(actor=sg.treasurer, organisation=sg.group, member=sg.members[i],
                                          product=sg.products["SH"], opened_on=DAYS[0]) for i in (0, 1)]
            for account in pair:
                services.deposit(actor=sg.treasurer, account=account, amount=100 * 10_00, date=DAYS[0])
            self.shares.append(pair)
        self.fixed = [services.account_open(actor=sg.treasurer, organisation=sg.group, member=sg.members[0],
                                            product=sg.products["FIX"], opened_on=DAYS[0]) for sg in self.sgs]

    def _day(self, g, i):
        """A day of an open month, on or after ``DAYS[i]``."""
        last = ledger.next_period(self.sgs[g].group)
        day = DAYS[i]
        if last is not None and (day.year, day.month) < last:
            day = dt.date(*last, 1)
        return day

    @rule(g=st.integers(0, 1), a=st.integers(0, 1), amount=amounts, i=st.integers(0, len(DAYS) - 1))
    def deposit(self, g, a, amount, i):
        sg, account = self.sgs[g], self.accounts[g][a]
        try:
            services.deposit(actor=sg.treasurer, account=account, amount=amount, date=self._day(g, i))
        except RuleViolation as exc:  # only a member who has left is refused
            assert account.member.status == "resigned" and {p.code for p in exc.problems} == {"left"}

    @rule(g=st.integers(0, 1), a=st.integers(0, 1), amount=amounts, i=st.integers(0, len(DAYS) - 1),
          approve=st.booleans())
    def withdraw(self, g, a, amount, i, approve):
        sg, account = self.sgs[g], self.accounts[g][a]
        before = selectors.balance(account)
        left = account.member.status == "resigned"
        fee, keep = (0, 0) if left else (10_00, 100_00)  # who has left takes everything, with no fee
        try:
            w = services.withdrawal_request(actor=sg.treasurer, account=account, amount=amount,
                                            date=self._day(g, i))
        except RuleViolation as exc:
            assert {p.field for p in exc.problems} == {"amount"}
            assert amount + fee > before - keep  # refused only beyond what the account may give
            return
        if approve:
            services.withdrawal_approve(actor=sg.chair, withdrawal=w)
            assert selectors.balance(account) == before - amount - fee
        else:
            services.withdrawal_reject(actor=sg.chair, withdrawal=w, reason="ทดสอบ")
            assert selectors.balance(account) == before

    @rule(g=st.integers(0, 1), amount=amounts, i=st.integers(0, len(DAYS) - 1))
    def deposit_fixed(self, g, amount, i):
        sg, account = self.sgs[g], self.fixed[g]
        try:
            services.deposit(actor=sg.treasurer, account=account, amount=amount, date=self._day(g, i))
        except RuleViolation as exc:
            assert account.member.status == "resigned" and {p.code for p in exc.problems} == {"left"}

    @rule(g=st.integers(0, 1), i=st.integers(0, len(DAYS) - 1))
    def withdraw_fixed_early(self, g, i):
        """Whole, before it matures: the money deposited and its interest at the early rate."""
        sg, account = self.sgs[g], self.fixed[g]
        before = selectors.balance(account)
        if before <= 0 or selectors.pending(account):
            return
        day = self._day(g, i)
        try:
            w = services.withdrawal_request(actor=sg.treasurer, account=account, amount=before, date=day)
        except RuleViolation as exc:
            assert {p.field for p in exc.problems} <= {"date", "amount"}
            return
        services.withdrawal_approve(actor=sg.chair, withdrawal=w)
        w.refresh_from_db()
        assert w.interest >= 0  # no interest run credited it yet within the term
        assert selectors.balance(account) == 0
        assert w.entry.lines.filter(account__code="1100").aggregate(c=Sum("credit"))["c"] == before + w.interest

    @rule(g=st.integers(0, 1), way=st.integers(0, 1), n=st.integers(1, 120), i=st.integers(0, len(DAYS) - 1),
          approve=st.booleans())
    def transfer_shares(self, g, way, n, i, approve):
        """Whole shares (10 baht each; at least 10 kept, at most 1,000 held) from one member to the other."""
        sg = self.sgs[g]
        holder, receiver = self.shares[g][way], self.shares[g][1 - way]
        before = (selectors.balance(holder), selectors.balance(receiver))
        try:
            t = services.share_transfer_request(actor=sg.treasurer, holder=holder, receiver=receiver, shares=n,
                                                date=self._day(g, i))
        except RuleViolation as exc:
            assert {p.field for p in exc.problems} <= {"shares", "to", "date"}
            return
        if approve:
            services.share_transfer_approve(actor=sg.chair, transfer=t)
            assert (selectors.balance(holder), selectors.balance(receiver)) == (before[0] - n * 10_00,
                                                                                before[1] + n * 10_00)
        else:
            services.share_transfer_reject(actor=sg.chair, transfer=t, reason="ทดสอบ")
            assert (selectors.balance(holder), selectors.balance(receiver)) == before

    @rule(g=st.integers(0, 1), pick=st.integers(0, 1000))
    def reverse_a_deposit(self, g, pick):
        group = self.sgs[g].group
        receipts = list(JournalEntry.objects.filter(organisation=group, doc_type="receipt",
                                                    reversed_by__isnull=True).order_by("id"))
        if not receipts:
            return
        entry = receipts[pick % len(receipts)]
        try:
            ledger.entry_reverse(actor=None, entry=entry, date=self._day(g, DAYS.index(DAYS[-1])), reason="ผิด")
        except RuleViolation as exc:
            assert {p.field for p in exc.problems} <= {"sub_account", "date"}

    @rule(g=st.integers(0, 1), a=st.integers(0, 1), pick=st.integers(0, 1000))
    def reverse_a_movement(self, g, a, pick):
        """The account page's reversal: a deposit or a paid withdrawal, never below zero."""
        sg, account = self.sgs[g], self.accounts[g][a]
        standing = services.movements_reversible(account)
        if not standing:
            return
        entry = standing[pick % len(standing)]
        before = selectors.balance(account)
        try:
            services.movement_reverse(actor=sg.chair, account=account, entry_id=entry.pk, reason="ผิด",
                                      date=self._day(g, len(DAYS) - 1))
        except RuleViolation as exc:
            assert {p.field for p in exc.problems} <= {"entry", "date"}
            assert selectors.balance(account) == before
            return
        line = JournalLine.objects.get(entry=entry, sub_account=account.sub_account)
        assert selectors.balance(account) == before - (line.credit - line.debit)

    @rule(g=st.integers(0, 1), a=st.integers(0, 1))
    def leave_and_be_paid_out(self, g, a):
        sg, account = self.sgs[g], self.accounts[g][a]
        member = account.member
        day = self._day(g, len(DAYS) - 1)
        if member.status != "resigned":
            members.member_status_change(actor=None, member=member, status="resigned", on=day.isoformat(),
                                         reason="ลาออก")
            member.refresh_from_db()
            account.member = member
        try:
            made = services.member_payout(actor=sg.treasurer, member=member, date=day)
        except RuleViolation as exc:
            assert {p.code for p in exc.problems} == {"empty"} and selectors.balance(account) == 0
            return
        for w in made:
            services.withdrawal_approve(actor=sg.chair, withdrawal=w)
        assert selectors.balance(account) == 0

    @rule(g=st.integers(0, 1))
    def post_interest(self, g):
        """The half-year's interest (voluntary savings: 2% a year above the 100-baht minimum),
        posted on 30 June 2024: never taking from an account, and once — a second run finds
        nothing left to post."""
        sg = self.sgs[g]
        before = {a.pk: selectors.balance(a) for a in self.accounts[g]}
        services.interest_post(actor=sg.chair, organisation=sg.group, through=INTEREST_THROUGH)
        assert services.interest_post(actor=sg.chair, organisation=sg.group, through=INTEREST_THROUGH) == []
        for account in self.accounts[g]:
            assert selectors.balance(account) >= before[account.pk]

    @rule(g=st.integers(0, 1))
    def close_a_month(self, g):
        group = self.sgs[g].group
        nxt = ledger.next_period(group)
        if nxt is None or nxt >= (DAYS[-1].year, DAYS[-1].month):
            return
        ledger.period_close(actor=None, organisation=group, year=nxt[0], month=nxt[1], today=dt.date(2030, 1, 1))

    @invariant()
    def balances_are_the_lines_never_negative_and_the_books_hold(self):
        if not hasattr(self, "sgs"):
            return
        for sg, accounts in zip(self.sgs, self.accounts):
            held = selectors.balances(sg.group)
            for account in accounts:
                sums = JournalLine.objects.filter(sub_account=account.sub_account).aggregate(
                    d=Sum("debit"), c=Sum("credit"))
                assert held[account.pk] == (sums["c"] or 0) - (sums["d"] or 0) >= 0
        for account in self.fixed:
            sums = JournalLine.objects.filter(sub_account=account.sub_account).aggregate(
                d=Sum("debit"), c=Sum("credit"))
            assert selectors.balance(account) == (sums["c"] or 0) - (sums["d"] or 0) >= 0
        for pair in self.shares:
            for account in pair:
                sums = JournalLine.objects.filter(sub_account=account.sub_account).aggregate(
                    d=Sum("debit"), c=Sum("credit"))
                assert selectors.balance(account) == (sums["c"] or 0) - (sums["d"] or 0) >= 0
        for sg, accounts, fixed, pair in zip(self.sgs, self.accounts, self.fixed, self.shares):
            held = selectors.balances(sg.group)
            tb = ledger_selectors.trial_balance(sg.group, INTEREST_THROUGH)
            assert tb.total_debit == tb.total_credit
            on = {r.account.code: r.credit - r.debit for r in tb.rows}
            assert on.get("2110", 0) == sum(held[a.pk] for a in accounts)
            assert on.get(fixed.sub_account.account.code, 0) == held[fixed.pk]
            assert on.get("3400", 0) == sum(held[a.pk] for a in pair)


# 15 runs of 15 steps: each step writes and the invariant reads both groups' accounts and books.
Savings.TestCase.settings = settings(max_examples=examples(15), stateful_step_count=15, deadline=None,
                                     suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


@pytest.mark.django_db
def test_savings_state_machine():
    from hypothesis.stateful import run_state_machine_as_test

    run_state_machine_as_test(Savings, settings=Savings.TestCase.settings)
