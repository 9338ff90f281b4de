"""Random loans of one village fund under two products (one refuses an overpayment; the other
credits it to the borrower's voluntary savings and pays the penalty last): disbursements,
repayments (part of an instalment, several, everything, more than is owed), back-dated ones,
penalties charged and waivers of interest or penalty, write-offs (as an expense or against the
allowance) and recoveries after them, reschedules (approved or rejected, and reversed), each
approved by a second person, and reversals. After every step: each loan's outstanding principal
equals its lines on 1300 and is never negative, the loans add up to 1300, the money received
equals the parts it was shared into (none lost), the books balance, and what went to savings
is on the savings accounts (2110), to the satang; and the set-based aging of the loans equals the
walk over each one's instalments."""

from __future__ import annotations

import contextlib
import datetime as dt
from dataclasses import replace
from decimal import Decimal

import pytest
from django.db import transaction
from django.db.models import Q, Sum
from hypothesis import HealthCheck, event, settings
from hypothesis import strategies as st
from hypothesis.stateful import Bundle, RuleBasedStateMachine, initialize, invariant, rule

from omboon.contributions import services as contributions
from omboon.contributions.models import Receipt
from omboon.core.errors import RuleViolation
from omboon.ledger.models import JournalLine
from omboon.ledger.services import Line, entry_post
from omboon.loans import selectors, services
from omboon.loans.allocation import Parts
from omboon.loans.models import Adjustment, Loan, Repayment, Reschedule
from omboon.loans.tests.conftest import TERMS, make_member
from omboon.loans.tests.test_arrears import walked
from omboon.orgs.models import Organisation, Role
from omboon.savings import selectors as savings_selectors
from omboon.savings import services as savings
from omboon.savings.models import Account as SavingsAccount
from omboon.testing.factories import make_group, make_user
from omboon.testing.properties import examples

START = dt.date(2026, 1, 5)


def _net(qs) -> int:
    sums = qs.aggregate(d=Sum("debit"), c=Sum("credit"))
    return (sums["d"] or 0) - (sums["c"] or 0)


class Lending(RuleBasedStateMachine):
    loans = Bundle("loans")

    def __init__(self):
        super().__init__()
        self._atomic = transaction.atomic()
        self._atomic.__enter__()

    def teardown(self):
        transaction.set_rollback(True)
        self._atomic.__exit__(None, None, None)

    @initialize()
    def fund(self):
        self.group = make_group("SMVF", "กองทุนหมู่บ้าน", group_type=Organisation.GroupType.VILLAGE_FUND)
        self.treasurer, self.chair = make_user(self.group, Role.TREASURER), make_user(self.group, Role.CHAIR)
        entry_post(actor=None, organisation=self.group, date=dt.date(2025, 1, 2), doc_type="receipt",
                   lines=[Line(account="1100", debit=10_000_000_00), Line(account="4400", credit=10_000_000_00)])
        self.product = services.product_create(actor=self.chair, organisation=self.group, code="GEN",
                                               name_th="เงินกู้สามัญ", max_amount=50_000_00,
                                               terms=replace(TERMS, penalty_rate=Decimal(2), penalty_fine=10_00),
                                               effective_from=dt.date(2025, 1, 1))
        self.over = services.product_create(
            actor=self.chair, organisation=self.group, code="OVER", name_th="เงินกู้ ส่วนเกินเข้าเงินฝาก",
            max_amount=50_000_00, overpayment_to_savings=True, effective_from=dt.date(2025, 1, 1),
            terms=replace(TERMS, penalty_rate=Decimal(2), order=("fee", "interest", "principal", "penalty")))
        self.voluntary = savings.product_create(actor=self.chair, organisation=self.group, code="VOL",
                                                kind="voluntary", name_th="เงินฝากออมทรัพย์",
                                                effective_from=dt.date(2025, 1, 1))
        self.received = self.to_savings = self.deposited = 0

    @rule(target=loans, principal=st.integers(1_000, 50_000).map(lambda b: b * 100), day=st.integers(0, 60),
          credits_savings=st.booleans())
    def disburse(self, principal, day, credits_savings):
        member = make_member(self.group)
        if credits_savings:
            savings.account_open(actor=self.treasurer, organisation=self.group, member=member,
                                 product=self.voluntary, opened_on=START)
        loan = services.loan_apply(actor=self.treasurer, organisation=self.group, member=member,
                                   product=self.over if credits_savings else self.product,
                                   principal=principal, purpose="ทุนประกอบอาชีพ", applied_on=START)
        services.loan_approve(actor=self.chair, loan=loan)
        return services.loan_disburse(actor=self.treasurer, loan=loan, date=START + dt.timedelta(days=day))

    @rule(loan=loans, share=st.sampled_from(["part", "instalment", "three", "all", "over"]), back=st.booleans(),
          day=st.integers(1, 400))
    def repay(self, loan, share, back, day):
        loan.refresh_from_db()
        owed = selectors.still_owed(loan)
        first = selectors.schedule_of(loan)[0].total
        amount = {"part": max(first // 3, 1), "instalment": first, "three": 3 * first, "all": owed,
                  "over": owed + 1}[share]
        date = loan.disbursed_on + dt.timedelta(days=1 if back else day)  # back-dated: the day after disbursing
        credits = loan.product_version.overpayment_to_savings
        try:
            r = services.loan_repay(actor=self.treasurer, loan=loan, amount=amount, date=date)
        except RuleViolation as exc:
            assert (amount > owed and not credits) or loan.status in (Loan.Status.CLOSED, Loan.Status.WRITTEN_OFF) or (
                loan.rescheduled_on is not None and date < loan.rescheduled_on), exc.problems
            return
        assert r.amount == min(amount, owed) and r.to_savings == max(amount - owed, 0)
        if r.to_savings:
            loan.refresh_from_db()
            assert loan.status == Loan.Status.CLOSED and selectors.still_owed(loan) == 0
        self.received += r.amount
        self.to_savings += r.to_savings

    @rule(loan=loans, share=st.sampled_from(["instalment", "all", "over"]), deposit=st.sampled_from([0, 50_00]),
          day=st.integers(1, 400))
    def collect(self, loan, share, deposit, day):
        """The repayment on the collection day, with the borrower's own deposit into the voluntary
        account the surplus goes to (where he has one) in the same row: one receipt, one entry."""
        loan.refresh_from_db()
        owed = selectors.still_owed(loan)
        amount = {"instalment": selectors.schedule_of(loan)[0].total, "all": owed, "over": owed + 7_00}[share]
        if amount == 0:  # a closed loan owes nothing: a blank in its row, no take
            return
        date = loan.disbursed_on + dt.timedelta(days=day)
        account = SavingsAccount.objects.filter(member=loan.member).first()
        parts = {"loans": {str(loan.pk): amount}}
        if deposit and account is not None:
            parts["savings"] = {str(account.pk): deposit}
        try:
            day_ = contributions.collection_day_post(actor=self.treasurer, organisation=self.group, date=date,
                                                     today=date, rows=[{"member": loan.member, "parts": parts}])
        except RuleViolation as exc:
            assert (amount > owed and not (loan.product_version.overpayment_to_savings and account)) or \
                loan.status in (Loan.Status.CLOSED, Loan.Status.WRITTEN_OFF) or (
                    loan.rescheduled_on is not None and date < loan.rescheduled_on), exc.problems
            return
        event(f"collection day: {share}")
        r = Repayment.objects.get(entry=day_.receipts.get().entry, loan=loan)
        assert r.amount == min(amount, owed) and r.to_savings == max(amount - owed, 0)
        assert day_.total == amount + (deposit if "savings" in parts else 0)
        self.received += r.amount
        self.to_savings += r.to_savings
        self.deposited += deposit if "savings" in parts else 0

    @rule(loan=loans)
    def void_receipt(self, loan):
        """A collection-day receipt voided: its repayment, its surplus and the deposit beside it stand no more."""
        latest = Repayment.objects.filter(loan=loan, reversal__isnull=True).order_by("-date", "-pk").first()
        receipt = Receipt.objects.filter(member=loan.member, status=Receipt.Status.ISSUED,
                                         entry_id=getattr(latest, "entry_id", None)).first()
        if receipt is None:  # the latest standing repayment is not a collection day's (voided latest first)
            return
        repayment = latest
        deposit = receipt.parts.filter(part="savings").aggregate(s=Sum("amount"))["s"] or 0
        try:
            contributions.receipt_void(actor=self.treasurer, receipt=receipt, reason="ผิดคน",
                                       date=selectors.last_transaction_date(loan) or receipt.date)
        except RuleViolation as refused:
            # refused only for what a single reversal is refused for: a write-off, a reschedule, or a
            # later repayment of another loan on the same receipt (rules.REPAYMENT_VOID)
            loan.refresh_from_db()
            assert (loan.status == Loan.Status.WRITTEN_OFF or selectors.counted_in_reschedule(repayment)
                    or all("reverse the latest repayment first" in p.message_en for p in refused.value.problems))
            return
        event("collection-day receipt voided")
        self.received -= repayment.amount
        self.to_savings -= repayment.to_savings
        self.deposited -= deposit - repayment.to_savings

    @rule(loan=loans)
    def reverse_latest(self, loan):
        latest = Repayment.objects.filter(loan=loan, reversal__isnull=True).order_by("-date", "-pk").first()
        if latest is None:
            return
        loan.refresh_from_db()
        try:
            services.repayment_reverse(actor=self.chair, repayment=latest, reason="บันทึกผิด")
        except RuleViolation as exc:
            assert loan.status == Loan.Status.WRITTEN_OFF or selectors.counted_in_reschedule(latest) or \
                "collection_day" in {p.code for p in exc.problems}
            return
        self.received -= latest.amount
        self.to_savings -= latest.to_savings

    def _day_after_last(self, loan) -> dt.date:
        last = selectors.last_transaction_date(loan) or loan.disbursed_on
        return last + dt.timedelta(days=1)

    @rule(loan=loans, against=st.sampled_from(["expense", "allowance"]), approve=st.booleans())
    def write_off(self, loan, against, approve):
        loan.refresh_from_db()
        try:
            asked = services.write_off_request(actor=self.treasurer, loan=loan, reason="ย้ายออก", against=against,
                                               date=self._day_after_last(loan))
        except RuleViolation:
            assert loan.status != Loan.Status.DISBURSED or selectors.pending_adjustment(loan) is not None
            return
        assert asked.amount == selectors.outstanding_principal(loan) > 0
        if approve:
            services.adjustment_approve(actor=self.chair, adjustment=asked)
        else:
            services.adjustment_reject(actor=self.chair, adjustment=asked, reason="ยังติดตามได้")

    @rule(loan=loans, share=st.sampled_from([1, 2, 3]))
    def recover(self, loan, share):
        loan.refresh_from_db()
        left = selectors.recoverable(loan)
        try:
            asked = services.recovery_request(actor=self.treasurer, loan=loan, amount=max(left // share, 1),
                                              reason="ญาติชำระแทน", date=self._day_after_last(loan))
        except RuleViolation:
            assert loan.status != Loan.Status.WRITTEN_OFF or left == 0
            return
        services.adjustment_approve(actor=self.chair, adjustment=asked)

    @rule(loan=loans, late=st.integers(1, 200))
    def penalty(self, loan, late):
        loan.refresh_from_db()
        with contextlib.suppress(RuleViolation):  # refused: nothing overdue, or not repaying
            services.penalty_charge(actor=self.treasurer, loan=loan,
                                    date=self._day_after_last(loan) + dt.timedelta(days=late))

    @rule(loan=loans, part=st.sampled_from(["interest", "penalty"]), share=st.sampled_from([1, 2]))
    def waive(self, loan, part, share):
        loan.refresh_from_db()
        most = selectors.interest_waivable(loan) if part == "interest" else selectors.penalty_owed(loan)
        try:
            asked = services.waive_request(actor=self.treasurer, loan=loan, part=part, amount=max(most // share, 1),
                                           reason="ภัยแล้ง", date=self._day_after_last(loan))
        except RuleViolation:
            assert loan.status != Loan.Status.DISBURSED or most == 0 or selectors.pending_adjustment(loan)
            return
        services.adjustment_approve(actor=self.chair, adjustment=asked)

    @rule(loan=loans)
    def reverse_adjustment(self, loan):
        latest = Adjustment.objects.filter(selectors.STANDING, loan=loan).order_by("-date", "-pk").first()
        if latest is not None:
            try:
                services.adjustment_reverse(actor=self.chair, adjustment=latest, reason="บันทึกผิด")
            except RuleViolation:
                assert latest.kind == "penalty" or Loan.objects.get(pk=loan.pk).status == Loan.Status.WRITTEN_OFF \
                    or selectors.waiver_counted_in_reschedule(latest)

    @rule(loan=loans, term=st.integers(1, 14), rate=st.sampled_from([0, 6, 12]), approve=st.booleans(),
          late=st.integers(0, 90))
    def reschedule(self, loan, term, rate, approve, late):
        loan.refresh_from_db()
        on = self._day_after_last(loan) + dt.timedelta(days=late)
        try:
            asked = services.reschedule_request(actor=self.treasurer, loan=loan, term=term, rate=Decimal(rate),
                                                first_due=on + dt.timedelta(days=30), reason="น้ำท่วม", date=on)
        except RuleViolation as exc:
            assert (loan.status != Loan.Status.DISBURSED or term > TERMS.term
                    or selectors.pending_reschedule(loan) is not None
                    # reopened by a waiver's reversal after the principal was repaid: interest alone is owed
                    or selectors.outstanding_principal(loan) == 0
                    or {p.field for p in exc.problems} == {"principal"}), exc.problems  # too small for the term
            return
        entries = JournalLine.objects.filter(organisation=self.group).count()
        if approve:
            services.reschedule_approve(actor=self.chair, reschedule=asked)
            event("reschedule approved")
            loan.refresh_from_db()
            assert loan.rescheduled_on == on and selectors.schedule_of(loan)[-1].balance == 0
        else:
            services.reschedule_reject(actor=self.chair, reschedule=asked, reason="ยังชำระได้")
        assert JournalLine.objects.filter(organisation=self.group).count() == entries  # the ledger moves nothing

    @rule(loan=loans)
    def reverse_reschedule(self, loan):
        latest = Reschedule.objects.filter(selectors.STANDING_RESCHEDULE, loan=loan).order_by("-date", "-pk").first()
        if latest is None:
            return
        try:
            services.reschedule_reverse(actor=self.chair, reschedule=latest, reason="ตกลงกันใหม่")
        except RuleViolation:
            assert selectors.settled_since(latest) or Loan.objects.get(pk=loan.pk).status != Loan.Status.DISBURSED
            return
        event("reschedule reversed")
        loan.refresh_from_db()
        assert loan.rescheduled_on == (selectors.reschedules_standing(loan)[-1].date
                                       if selectors.reschedules_standing(loan) else None)

    @invariant()
    def principal_matches_the_books(self):
        if not hasattr(self, "group"):
            return
        total = 0
        for loan in Loan.objects.filter(organisation=self.group):
            outstanding = selectors.outstanding_principal(loan)
            assert outstanding >= 0
            assert outstanding == _net(JournalLine.objects.filter(account__code="1300", member=loan.member))
            if loan.status in selectors.LIVE:
                assert (loan.status == Loan.Status.CLOSED) == (selectors.still_owed(loan) == 0)
                current = selectors.schedule_of(loan)  # the first schedule, or its latest reschedule's
                assert sum(i.principal for i in current) == loan.principal
                assert min(min(i.principal, i.interest) for i in current) >= 0
            total += outstanding
        assert total == _net(JournalLine.objects.filter(organisation=self.group, account__code="1300"))

    @invariant()
    def aging_read_from_the_terms_is_the_walk(self):
        """The set-based aging (``standings``: each plan read straight from its terms, or of a
        rescheduled loan its current schedule) gives each loan what walking its instalments gives."""
        if not hasattr(self, "group"):
            return
        on = START + dt.timedelta(days=120)
        got = {held.pk: s for held, s in selectors.standings(self.group, on)}
        loans = list(Loan.objects.filter(organisation=self.group, status__in=selectors.LIVE, disbursed_on__lte=on))
        paid = selectors._paid_by_loan(loans, on)
        for loan in loans:
            s = walked(selectors.schedule_of(loan), paid.get(loan.pk, Parts()), loan.principal, on)
            assert got.get(loan.pk) == (s if s.outstanding > 0 else None)

    @invariant()
    def money_conserved_and_books_balance(self):
        if not hasattr(self, "group"):
            return
        lines = JournalLine.objects.filter(organisation=self.group)
        assert _net(lines) == 0
        standing = Repayment.objects.filter(loan__organisation=self.group, reversal__isnull=True).aggregate(
            a=Sum("amount"), i=Sum("interest"), p=Sum("principal"), pen=Sum("penalty"))
        assert (standing["a"] or 0) == self.received == (standing["i"] or 0) + (standing["p"] or 0) + (
            standing["pen"] or 0)
        assert -_net(lines.filter(account__code="4710")) == (standing["i"] or 0)
        assert -_net(lines.filter(account__code="4720")) == (standing["pen"] or 0)
        credited = Repayment.objects.filter(loan__organisation=self.group, reversal__isnull=True)
        assert (credited.aggregate(s=Sum("to_savings"))["s"] or 0) == self.to_savings
        # the surplus is on savings, beside the borrowers' own deposits, and each account is its lines
        assert -_net(lines.filter(account__code="2110")) == self.to_savings + self.deposited
        for account, balance in savings_selectors.balances(self.group).items():
            assert balance == -_net(lines.filter(sub_account__savings_account=account)) >= 0
        negative = Q(penalty__lt=0) | Q(fee__lt=0) | Q(interest__lt=0) | Q(principal__lt=0)
        assert not Repayment.objects.filter(negative).exists()  # allocations never negative

    @invariant()
    def write_offs_and_recoveries_match_the_books(self):
        if not hasattr(self, "group"):
            return
        lines = JournalLine.objects.filter(organisation=self.group)
        approved = Adjustment.objects.filter(organisation=self.group, status="approved", reversal__isnull=True)
        off = approved.filter(kind="write_off").aggregate(s=Sum("amount"))["s"] or 0
        back = approved.filter(kind="recover").aggregate(s=Sum("amount"))["s"] or 0
        assert _net(lines.filter(account__code__in=["5500", "1320"])) == off
        assert -_net(lines.filter(account__code="4800")) == back
        for loan in Loan.objects.filter(organisation=self.group, status=Loan.Status.WRITTEN_OFF):
            assert selectors.recoverable(loan) >= 0 and selectors.outstanding_principal(loan) == 0
        for loan in Loan.objects.filter(organisation=self.group, status=Loan.Status.DISBURSED):
            assert selectors.penalty_owed(loan) >= 0 and selectors.interest_waivable(loan) >= 0


# 15 runs of 20 steps: each run disburses a few loans and repays, over-pays, back-dates and
# reverses among them; each step is checked against the books.
Lending.TestCase.settings = settings(max_examples=examples(15), stateful_step_count=20, deadline=None,
                                     suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


@pytest.mark.django_db
def test_lending_state_machine():
    from hypothesis.stateful import run_state_machine_as_test

    run_state_machine_as_test(Lending, settings=Lending.TestCase.settings)
