"""Random posts, reversals, closes and reopens across two groups. After every step: each
group's trial balance sums to zero, every stored balance equals the sum of its lines, a closed
month's stored balances never change while it stays closed, and no line crosses groups."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import transaction
from django.db.models import F, Q, Sum
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule

from omboon.core.errors import RuleViolation
from omboon.ledger import chart, selectors, services
from omboon.ledger.models import JournalEntry, JournalLine, Period, PeriodBalance
from omboon.ledger.services import Line
from omboon.orgs.models import Role
from omboon.testing.factories import committee_approval, make_group, make_user
from omboon.testing.properties import examples

# (no per-member account here: 2100/2110/2120/3400 lines name a sub-account, test_sub_accounts)
CODES = ["1100", "1200", "2300", "3100", "4100", "4300", "4600", "5130", "5200"]
FUNDS = ["WEL", "RES", "SAV"]
MONTHS = [(2023, m) for m in range(9, 13)] + [(2024, m) for m in range(1, 5)]

amounts = st.integers(min_value=1, max_value=5_000_000)
legs = st.lists(st.tuples(st.sampled_from(CODES), st.sampled_from(FUNDS), amounts), min_size=1, max_size=3)


class Books(RuleBasedStateMachine):
    def __init__(self):
        super().__init__()
        self._atomic = transaction.atomic()
        self._atomic.__enter__()
        self.snapshots: dict[int, dict] = {}  # period id → its stored balances when closed

    def teardown(self):
        transaction.set_rollback(True)
        self._atomic.__exit__(None, None, None)

    @initialize()
    def groups(self):
        self.groups = [make_group("SMA", "กลุ่มเอ", founded_on=dt.date(2023, 9, 1)),
                       make_group("SMB", "กลุ่มบี", founded_on=dt.date(2023, 9, 1), fiscal_year_start_month=10)]
        self.chair = {g.pk: make_user(g, Role.CHAIR) for g in self.groups}
        self.approval = {g.pk: committee_approval(g) for g in self.groups}

    @rule(g=st.integers(0, 1), month=st.sampled_from(MONTHS), day=st.integers(1, 28), debits=legs,
          credit_code=st.sampled_from(CODES), credit_fund=st.sampled_from(FUNDS))
    def post(self, g, month, day, debits, credit_code, credit_fund):
        lines = [Line(code, fund=fund, debit=amount) for code, fund, amount in debits]
        lines.append(Line(credit_code, fund=credit_fund, credit=sum(a for *_, a in debits)))
        try:
            services.entry_post(actor=None, organisation=self.groups[g], date=dt.date(*month, day),
                                doc_type="journal", lines=lines, approval=self.approval[self.groups[g].pk])
        except RuleViolation as exc:
            assert {p.field for p in exc.problems} == {"date"}  # only a closed month refuses these

    @rule(g=st.integers(0, 1), month=st.sampled_from(MONTHS), day=st.integers(1, 28), amount=amounts,
          cash=st.sampled_from(["1100", "1200"]), by_maker=st.booleans())
    def pay_without_a_second_person(self, g, month, day, amount, cash, by_maker):
        """Money out with no approval, or approved by its own maker, is refused and writes nothing."""
        group = self.groups[g]
        before = JournalEntry.objects.filter(organisation=group).count()
        maker = self.approval[group.pk].maker
        approval = services.Approval(maker=maker, approver=maker) if by_maker else None
        with pytest.raises(RuleViolation) as exc:
            services.entry_post(actor=maker, organisation=group, date=dt.date(*month, day), doc_type="payment",
                                lines=[Line("5200", fund="WEL", debit=amount), Line(cash, fund="WEL", credit=amount)],
                                approval=approval)
        assert "approval" in {p.field for p in exc.value.problems}
        assert JournalEntry.objects.filter(organisation=group).count() == before

    @rule(g=st.integers(0, 1), pick=st.integers(0, 10_000), later=st.integers(0, 40))
    def reverse(self, g, pick, later):
        open_entries = list(JournalEntry.objects.filter(organisation=self.groups[g], reversed_by__isnull=True)
                            .exclude(doc_type="closing").order_by("id"))
        if not open_entries:
            return
        entry = open_entries[pick % len(open_entries)]
        try:
            services.entry_reverse(actor=None, entry=entry, date=entry.date + dt.timedelta(days=later),
                                   reason="ทดสอบ")
        except RuleViolation as exc:
            assert {p.field for p in exc.problems} == {"date"}

    @rule(g=st.integers(0, 1))
    def close_next(self, g):
        group = self.groups[g]
        nxt = services.next_period(group)
        if nxt is None or nxt > MONTHS[-1]:
            return
        period = services.period_close(actor=None, organisation=group, year=nxt[0], month=nxt[1])
        self.snapshots[period.pk] = self._stored(period)

    @rule(g=st.integers(0, 1), back=st.integers(0, 3))
    def reopen(self, g, back):
        group = self.groups[g]
        closed = list(Period.objects.filter(organisation=group, status="closed").order_by("-year", "-month"))
        if not closed:
            return
        target = closed[min(back, len(closed) - 1)]
        for p in services.period_reopen(actor=self.chair[group.pk], organisation=group, year=target.year,
                                        month=target.month, reason="ทดสอบ"):
            self.snapshots.pop(p.pk)

    @staticmethod
    def _stored(period) -> dict:
        return {(b.account_id, b.fund_id): (b.debit_total, b.credit_total, b.balance)
                for b in PeriodBalance.objects.filter(period=period)}

    @staticmethod
    def _sums(group, as_of) -> dict:
        return {(a, f): d - c for a, f, d, c in
                JournalLine.objects.filter(organisation=group, date__lte=as_of)
                .values_list("account_id", "fund_id").annotate(Sum("debit"), Sum("credit")).order_by()
                if d - c}

    @invariant()
    def books_hold(self):
        """Trial balances sum to zero; balances (stored snapshot + later lines) equal the sums of
        the lines; the latest closed month's stored balances equal the sums of its lines (each
        month is checked so when it closes, and ``closed_months_never_change`` keeps it so)."""
        if not hasattr(self, "groups"):
            return
        for group in self.groups:
            tb = selectors.trial_balance(group, dt.date(2024, 6, 30))
            assert tb.total_debit == tb.total_credit
            assert {r.account.code for r in tb.rows} <= {*CODES, chart.ACCUMULATED_SURPLUS}
            mid = selectors.balances(group, dt.date(2023, 12, 15))
            assert sum(mid.values()) == 0
            assert mid == self._sums(group, dt.date(2023, 12, 15))
            last = Period.objects.filter(organisation=group, status="closed").order_by("-year", "-month").first()
            if last is not None:
                stored = {k: b for k, (_d, _c, b) in self._stored(last).items() if b}
                assert stored == self._sums(group, last.end)

    @invariant()
    def closed_months_never_change(self):
        if not self.snapshots:
            return
        now: dict[int, dict] = {}
        for b in PeriodBalance.objects.filter(period_id__in=list(self.snapshots)):
            now.setdefault(b.period_id, {})[(b.account_id, b.fund_id)] = (b.debit_total, b.credit_total, b.balance)
        assert {pk: now.get(pk, {}) for pk in self.snapshots} == self.snapshots

    @invariant()
    def no_line_crosses_groups(self):
        org = F("organisation")
        assert not JournalLine.objects.filter(
            ~Q(account__organisation=org) | ~Q(fund__organisation=org) | ~Q(entry__organisation=org)).exists()


# 20 runs of 20 steps: each step writes, then three invariants read both groups' books. Twenty
# steps among the four rules close some of the eight months and post, reverse and reopen
# around them; the 20 runs vary which group and month each rule hits.
Books.TestCase.settings = settings(max_examples=examples(20), stateful_step_count=20, deadline=None,
                                   suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


@pytest.mark.django_db
def test_books_state_machine():
    from hypothesis.stateful import run_state_machine_as_test

    run_state_machine_as_test(Books, settings=Books.TestCase.settings)
