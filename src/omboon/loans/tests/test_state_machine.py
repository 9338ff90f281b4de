"""Random loans of one village fund under two products (one refuses an overpayment; the other
credits it to the borrower's voluntary savings and pays the penalty last): disbursements,
repayments (part of an instalment, several, everything, more than is owed), back-dated ones,
penalties charged and waivers of interest or penalty, write-offs (as an expense or against the
allowance) and recoveries after them, reschedules (approved or rejected, and reversed), each
approved by a second person, and reversals. After every step: each loan's outstanding principal
equals its lines on 1300 and is never negative, the loans add up to 1300, the money received
equals the parts it was shared into (none lost), the books balance, and what went to savings
is on the savings accounts (2110), to the satang; and the set-based aging of the loans equals the
walk over each one's instalments. Some loans are secured by a lien on the borrower's own
voluntary savings; a withdrawal is refused exactly when it would take the account below what the
lien holds, and no pledged account's balance is ever below it, the hold following the loan
(at most its outstanding principal, or what is still to recover once written off).

Months close among the steps, in order (``ledger.services.period_close``), and are reopened
(``period_reopen``) and closed again; in some runs the bylaws keep an allowance for doubtful
loans, and in some the fiscal year ends in January. After a close, 1320 holds the allowance the
aging buckets require at the month's end (``loans.allowance``); a closed month never changes
afterwards (its lines, per account, as at the close); a repayment, reversal or waiver dated in a
closed month is refused with the ledger's message and writes nothing; a month reopened and
closed again posts only the difference (nothing, when nothing changed)."""

from __future__ import annotations

import contextlib
import datetime as dt
from dataclasses import replace
from decimal import Decimal

import pytest
from django.db import transaction
from django.db.models import Count, Q, Sum
from hypothesis import HealthCheck, event, settings
from hypothesis import strategies as st
from hypothesis.stateful import Bundle, RuleBasedStateMachine, initialize, invariant, multiple, rule

from omboon.contributions import services as contributions
from omboon.contributions.models import Receipt
from omboon.core.errors import RuleViolation
from omboon.core.models import AuditEvent
from omboon.ledger import chart, holdings
from omboon.ledger import services as ledger
from omboon.ledger.models import DocumentType, JournalLine, Period
from omboon.ledger.services import Line, entry_post
from omboon.loans import allowance, rules, selectors, services
from omboon.loans.allocation import Parts
from omboon.loans.models import Adjustment, Loan, Repayment, Reschedule
from omboon.loans.tests.conftest import TERMS, make_member
from omboon.loans.tests.test_arrears import walked
from omboon.orgs import services as org_services
from omboon.orgs.models import Organisation, Role
from omboon.savings import selectors as savings_selectors
from omboon.savings import services as savings
from omboon.savings.models import Account as SavingsAccount
from omboon.testing.factories import make_group, make_user
from omboon.testing.properties import examples

START = dt.date(2026, 1, 5)
LATEST_CLOSE = (2027, 6)  # the last month the machine closes: past every date its rules use
ALLOWANCES = [None, [1, 5, 20, 50, 100, 100], [0, 10, 25, 50, 75, 100]]  # the bylaws' loan_allowance


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

    @initialize(percents=st.sampled_from(ALLOWANCES), fiscal_start=st.sampled_from([1, 2]))
    def fund(self, percents, fiscal_start):
        """The fund's books begin on 2 January 2026 (its first month to close is January); its
        fiscal year ends in December, or in January (``fiscal_start`` 2: the first close ends a year)."""
        self.group = make_group("SMVF", "กองทุนหมู่บ้าน", group_type=Organisation.GroupType.VILLAGE_FUND,
                                fiscal_year_start_month=fiscal_start)
        self.treasurer, self.chair = make_user(self.group, Role.TREASURER), make_user(self.group, Role.CHAIR)
        if percents:
            org_services.bylaws_set(actor=None, organisation=self.group, effective_from=dt.date(2026, 1, 1),
                                    settings={"loan_allowance": percents})
            event("allowance for doubtful loans kept")
        self.closed: dict[tuple[int, int], tuple] = {}  # each closed month: its books at the close
        # each month reopened: its books when it was closed, and the group's count of lines when reopened
        self.reopened: dict[tuple[int, int], tuple[tuple, int]] = {}
        entry_post(actor=None, organisation=self.group, date=dt.date(2026, 1, 2), doc_type="receipt",
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
        self.pledged: list[tuple[SavingsAccount, Loan, int]] = []  # (account, loan, amount pledged)

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
        date = START + dt.timedelta(days=day)
        if self._closed(date):
            self._refused_in_closed_month(date, lambda: services.loan_disburse(actor=self.treasurer, loan=loan,
                                                                                 date=date))
            return multiple()
        return services.loan_disburse(actor=self.treasurer, loan=loan, date=date)

    @rule(target=loans, saved=st.integers(1_000, 30_000).map(lambda b: b * 100), part=st.sampled_from([1, 2, 4]),
          principal=st.integers(1_000, 50_000).map(lambda b: b * 100))
    def disburse_on_a_lien(self, saved, part, principal):
        """A borrower pledges all, half or a quarter of their voluntary savings (อายัดเงินฝาก)."""
        if self._closed(START):  # the savings and the loan are of START's month
            return multiple()
        member = make_member(self.group)
        account = savings.account_open(actor=self.treasurer, organisation=self.group, member=member,
                                       product=self.voluntary, opened_on=START)
        savings.deposit(actor=self.treasurer, account=account, amount=saved, date=START)
        self.deposited += saved
        loan = services.loan_apply(actor=self.treasurer, organisation=self.group, member=member, product=self.product,
                                   principal=principal, purpose="ทุนประกอบอาชีพ", applied_on=START,
                                   securities=[rules.Security("lien", account=account.number, amount=saved // part)])
        self.pledged.append((account, loan, saved // part))
        services.loan_approve(actor=self.chair, loan=loan)
        return services.loan_disburse(actor=self.treasurer, loan=loan, date=START)

    @rule(which=st.integers(0, 50), take=st.sampled_from(["free", "over", "all"]))
    def withdraw_pledged(self, which, take):
        """Refused exactly when it would go below what the lien holds (no fee, no minimum here) —
        for want of money first, then for the lien. An account already below its lien (a receipt
        voided since: a correction may take away money the lien stood on) lets nothing out."""
        day = START + dt.timedelta(days=1)
        if not self.pledged or self._closed(day):
            return
        account = self.pledged[which % len(self.pledged)][0]
        balance, held = savings_selectors.balance(account), holdings.held([account.pk])[account.pk]
        free = balance - held
        amount = {"free": free, "over": free + 100, "all": balance}[take]
        if amount <= 0:
            amount = 100  # nothing is free: even one baht is refused
        try:
            w = savings.withdrawal_request(actor=self.treasurer, account=account, amount=amount, date=day)
        except RuleViolation as exc:
            assert amount > free and exc.problems[0].code == ("balance" if amount > balance else "held"), \
                exc.problems
            event("a withdrawal below a lien refused")
            return
        assert amount <= free
        savings.withdrawal_approve(actor=self.chair, withdrawal=w)
        self.deposited -= amount
        # a withdrawal never takes a pledged account below what its liens hold
        assert savings_selectors.balance(account) >= holdings.held([account.pk])[account.pk]

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
                loan.rescheduled_on is not None and date < loan.rescheduled_on) or self._closed_refusal(exc, date), \
                exc.problems
            return
        assert not self._closed(date)
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
                    loan.rescheduled_on is not None and date < loan.rescheduled_on) or \
                self._closed_refusal(exc, date), exc.problems
            return
        assert not self._closed(date)
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
        date = selectors.last_transaction_date(loan) or receipt.date
        try:
            contributions.receipt_void(actor=self.treasurer, receipt=receipt, reason="ผิดคน", date=date)
        except RuleViolation as refused:
            # refused only for what a single reversal is refused for: a write-off, a reschedule, or a
            # later repayment of another loan on the same receipt (rules.REPAYMENT_VOID); or a date
            # in a closed month
            loan.refresh_from_db()
            assert (loan.status == Loan.Status.WRITTEN_OFF or selectors.counted_in_reschedule(repayment)
                    or all("reverse the latest repayment first" in p.message_en for p in refused.problems)
                    or self._closed_refusal(refused, date)), refused.problems
            return
        assert not self._closed(date)
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
                "collection_day" in {p.code for p in exc.problems} or self._closed_refusal(exc, latest.date), \
                exc.problems
            return
        assert not self._closed(latest.date)
        self.received -= latest.amount
        self.to_savings -= latest.to_savings

    def _day_after_last(self, loan) -> dt.date:
        last = selectors.last_transaction_date(loan) or loan.disbursed_on
        return last + dt.timedelta(days=1)

    @rule(loan=loans, against=st.sampled_from(["expense", "allowance"]), approve=st.booleans())
    def write_off(self, loan, against, approve):
        loan.refresh_from_db()
        date = self._day_after_last(loan)
        try:
            asked = services.write_off_request(actor=self.treasurer, loan=loan, reason="ย้ายออก", against=against,
                                               date=date)
        except RuleViolation as exc:
            assert loan.status != Loan.Status.DISBURSED or selectors.pending_adjustment(loan) is not None or \
                self._closed_refusal(exc, date), exc.problems
            return
        assert not self._closed(date)
        assert asked.amount == selectors.outstanding_principal(loan) > 0
        if approve:
            services.adjustment_approve(actor=self.chair, adjustment=asked)
        else:
            services.adjustment_reject(actor=self.chair, adjustment=asked, reason="ยังติดตามได้")

    @rule(loan=loans, share=st.sampled_from([1, 2, 3]))
    def recover(self, loan, share):
        loan.refresh_from_db()
        left = selectors.recoverable(loan)
        date = self._day_after_last(loan)
        try:
            asked = services.recovery_request(actor=self.treasurer, loan=loan, amount=max(left // share, 1),
                                              reason="ญาติชำระแทน", date=date)
        except RuleViolation as exc:
            assert loan.status != Loan.Status.WRITTEN_OFF or left == 0 or self._closed_refusal(exc, date), \
                exc.problems
            return
        assert not self._closed(date)
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
        date = self._day_after_last(loan)
        try:
            asked = services.waive_request(actor=self.treasurer, loan=loan, part=part, amount=max(most // share, 1),
                                           reason="ภัยแล้ง", date=date)
        except RuleViolation as exc:
            assert loan.status != Loan.Status.DISBURSED or most == 0 or selectors.pending_adjustment(loan) or \
                self._closed_refusal(exc, date), exc.problems
            return
        assert not self._closed(date)
        services.adjustment_approve(actor=self.chair, adjustment=asked)

    @rule(loan=loans)
    def reverse_adjustment(self, loan):
        latest = Adjustment.objects.filter(selectors.STANDING, loan=loan).order_by("-date", "-pk").first()
        if latest is not None:
            try:
                services.adjustment_reverse(actor=self.chair, adjustment=latest, reason="บันทึกผิด")
            except RuleViolation as exc:
                assert latest.kind == "penalty" or Loan.objects.get(pk=loan.pk).status == Loan.Status.WRITTEN_OFF \
                    or selectors.waiver_counted_in_reschedule(latest) or self._closed_refusal(exc, latest.date), \
                    exc.problems

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
                    or {p.field for p in exc.problems} == {"principal"}  # too small for the term
                    or self._closed_refusal(exc, on)), exc.problems  # it changes a closed month-end's aging
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
        except RuleViolation as exc:
            assert selectors.settled_since(latest) or Loan.objects.get(pk=loan.pk).status != Loan.Status.DISBURSED \
                or self._closed_refusal(exc, latest.date), exc.problems
            return
        event("reschedule reversed")
        loan.refresh_from_db()
        assert loan.rescheduled_on == (selectors.reschedules_standing(loan)[-1].date
                                       if selectors.reschedules_standing(loan) else None)

    # --- month closes ------------------------------------------------------------------------

    def _closed(self, date: dt.date) -> bool:
        """``date`` falls in a month the books have closed."""
        return any((date.year, date.month) <= ym for ym in self.closed)

    def _closed_refusal(self, exc: RuleViolation, date: dt.date) -> bool:
        """The refusal is the ledger's, of a date in a closed month, in both languages."""
        closed = [p for p in exc.problems if p.code == "closed"]
        if not closed:
            return False
        assert self._closed(date), exc.problems
        assert "ปิดบัญชีถึงเดือน" in closed[0].message("th") and "the books are closed" in closed[0].message("en")
        event("refused: a date in a closed month")
        return True

    def _footprint(self) -> tuple:
        """What a write leaves behind: the group's lines, loans' rows and audit events."""
        return (JournalLine.objects.filter(organisation=self.group).count(),
                Repayment.objects.filter(loan__organisation=self.group).count(),
                Repayment.objects.filter(loan__organisation=self.group, reversal__isnull=False).count(),
                Adjustment.objects.filter(organisation=self.group).count(),
                Receipt.objects.filter(organisation=self.group).count(),
                AuditEvent.objects.filter(organisation=self.group).count(),
                sorted(Loan.objects.filter(organisation=self.group).values_list("pk", "status", "disbursed_on")))

    def _refused_in_closed_month(self, date: dt.date, write) -> None:
        """``write`` (dated ``date``, in a closed month) is refused with the ledger's message, and
        nothing of it is written."""
        before = self._footprint()
        with pytest.raises(RuleViolation) as caught:
            write()
        assert self._closed_refusal(caught.value, date), caught.value.problems
        assert self._footprint() == before

    def _books_at(self, end: dt.date) -> tuple:
        """The books as at ``end``: per account, the lines dated up to it, their count and totals."""
        rows = (JournalLine.objects.filter(organisation=self.group, date__lte=end).values("account__code")
                .annotate(n=Count("pk"), d=Sum("debit"), c=Sum("credit")).order_by("account__code"))
        return tuple((r["account__code"], r["n"], r["d"], r["c"]) for r in rows)

    @rule()
    def close_month(self):
        """Close the next month (up to ``LATEST_CLOSE``) through the ledger: the loans' month-end
        adjustment brings 1320 to the allowance the aging requires at its end, posting only the
        change; at the fiscal year's end the closing entry empties income and expense."""
        year, month = ledger.next_period(self.group)
        if (year, month) > LATEST_CLOSE:
            return
        end = chart.month_end(year, month)
        held = allowance.balance_in_books(self.group, end)
        asked = allowance.allowance_on(self.group, end)
        lines_before = JournalLine.objects.filter(organisation=self.group).count()
        ledger.period_close(actor=self.chair, organisation=self.group, year=year, month=month,
                            today=dt.date(2030, 1, 1))
        event("month closed")
        now = allowance.allowance_on(self.group, end)
        if asked is None:  # no allowance in the bylaws: nothing on 1320 but write-offs against it
            assert now is None and allowance.balance_in_books(self.group, end) == held
        else:
            assert now.required == asked.required  # the close changed no loan
            assert now.balance == now.required  # 1320 is what the aging buckets require at the month's end
            assert now.balance - held == asked.change  # and the close posted only the change
            if asked.change:
                event("allowance adjusted at a close")
        if chart.is_fiscal_year_end(self.group.fiscal_year_start_month, month):
            event("fiscal year closed")
            income_expense = JournalLine.objects.filter(organisation=self.group, date__lte=end,
                                                        account__type__in=["income", "expense"])
            assert _net(income_expense) == 0 and not income_expense.values("account").annotate(
                n=Sum("debit") - Sum("credit")).exclude(n=0).exists()
        books = self._books_at(end)
        if (year, month) in self.reopened:
            before, lines_at_reopen = self.reopened.pop((year, month))
            if lines_before == lines_at_reopen:  # nothing posted since the reopen: the close adds nothing
                event("reopened and closed again unchanged")
                assert books == before
        self.closed[(year, month)] = books

    @rule(back=st.integers(0, 3))
    def reopen_month(self, back):
        """The chair reopens a closed month (and every later one): they may be posted into again."""
        if not self.closed:
            return
        months = sorted(self.closed)
        year, month = months[max(len(months) - 1 - back, 0)]
        reopened = ledger.period_reopen(actor=self.chair, organisation=self.group, year=year, month=month,
                                        reason="แก้ไขรายการ")
        assert [(p.year, p.month) for p in reopened] == [ym for ym in months if ym >= (year, month)]
        event("month reopened")
        lines = JournalLine.objects.filter(organisation=self.group).count()
        for ym in [ym for ym in months if ym >= (year, month)]:
            self.reopened[ym] = (self.closed.pop(ym), lines)

    @rule(loan=loans, what=st.sampled_from(["repay", "collect", "reverse", "waive"]))
    def back_date_into_a_closed_month(self, loan, what):
        """A repayment (single or on the collection day), a reversal or a waiver dated in a closed
        month: refused with the ledger's message, nothing half-written."""
        loan.refresh_from_db()
        if not self.closed or loan.status != Loan.Status.DISBURSED:
            return
        date = chart.month_end(*max(self.closed))
        if date < loan.disbursed_on or (loan.rescheduled_on and date < loan.rescheduled_on):
            return
        if what == "repay":
            self._refused_in_closed_month(date, lambda: services.loan_repay(
                actor=self.treasurer, loan=loan, amount=selectors.schedule_of(loan)[0].total, date=date))
        elif what == "collect":
            rows = [{"member": loan.member, "parts": {"loans": {str(loan.pk): min(selectors.still_owed(loan),
                                                                                  selectors.schedule_of(loan)[0].total)}}}]
            self._refused_in_closed_month(date, lambda: contributions.collection_day_post(
                actor=self.treasurer, organisation=self.group, date=date, today=date, rows=rows))
        elif what == "reverse":
            latest = Repayment.objects.filter(loan=loan, reversal__isnull=True).order_by("-date", "-pk").first()
            if latest is None or not self._closed(latest.date) or Receipt.objects.filter(entry=latest.entry).exists() \
                    or selectors.counted_in_reschedule(latest):
                return
            self._refused_in_closed_month(latest.date, lambda: services.repayment_reverse(
                actor=self.chair, repayment=latest, reason="บันทึกผิด"))
        else:
            most = selectors.interest_waivable(loan)
            last = selectors.last_transaction_date(loan) or date
            if most == 0 or selectors.pending_adjustment(loan) or last > date:
                return
            self._refused_in_closed_month(date, lambda: services.waive_request(
                actor=self.treasurer, loan=loan, part="interest", amount=most, reason="ภัยแล้ง", date=date))
        event(f"back-dated into a closed month: {what}")

    @invariant()
    def closed_months_never_change(self):
        if not hasattr(self, "group"):
            return
        closed = set(Period.objects.filter(organisation=self.group, status=Period.Status.CLOSED)
                     .values_list("year", "month"))
        assert closed == set(self.closed)
        for (year, month), books in self.closed.items():
            assert self._books_at(chart.month_end(year, month)) == books

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
        lines = lines.exclude(entry__doc_type=DocumentType.CLOSING)  # a fiscal year's close empties 4710 and 4720
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
    def liens_follow_their_loans(self):
        """What a lien holds follows its loan (no savings movement takes the account below it:
        ``withdraw_pledged``; a receipt voided may, and then nothing leaves the account)."""
        for account, loan, amount in getattr(self, "pledged", []):
            loan.refresh_from_db()
            held = holdings.held([account.pk])[account.pk]
            claim = {Loan.Status.DISBURSED: selectors.outstanding_principal(loan),
                     Loan.Status.WRITTEN_OFF: selectors.recoverable(loan)}.get(loan.status, 0)
            assert held == min(amount, max(claim, 0))

    @invariant()
    def write_offs_and_recoveries_match_the_books(self):
        if not hasattr(self, "group"):
            return
        lines = JournalLine.objects.filter(organisation=self.group).exclude(entry__doc_type=DocumentType.CLOSING)
        approved = Adjustment.objects.filter(organisation=self.group, status="approved", reversal__isnull=True)
        off = approved.filter(kind="write_off").aggregate(s=Sum("amount"))["s"] or 0
        back = approved.filter(kind="recover").aggregate(s=Sum("amount"))["s"] or 0
        # the month-end allowance entries (Dr 5510 Cr 1320, or back) add nothing to 1320 and 5510 together
        assert _net(lines.filter(account__code__in=["5500", "1320", "5510"])) == off
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
