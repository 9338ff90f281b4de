"""Loan repayments on the collection day: the loans part of ``ledger.collection``, registered by
``LoansConfig.ready()``. Contributions' collection day calls it without importing loans.

Each member's running (disbursed, not closed) loans are the targets, pre-filled with what is due
on the day: every instalment due by then, less what was paid, oldest first. A take is checked by
``rules.LOAN_REPAY`` (the list the single repayment runs: a disbursed loan not closed, a writer, not
before the disbursement, never more than is owed — an overpayment is refused, never lost), shared
out by ``allocation.allocate`` (oldest instalment first, penalty → fee → interest → principal) and
credited to 1300 (principal), 4710 (interest) and 4720 (penalty and fee); the loan's ``Repayment``
rows are written in the collection day's transaction, and a loan repaid in full closes."""

from __future__ import annotations

import datetime as dt

from omboon.core import audit
from omboon.core.errors import Problem, raise_if
from omboon.core.money import format_baht
from omboon.ledger import chart, collection
from omboon.ledger.services import Line
from omboon.loans import allocation, rules, selectors
from omboon.loans.allocation import Parts
from omboon.loans.models import Loan, Repayment
from omboon.loans.services import INTEREST_ACCOUNT

PENALTY_ACCOUNT = chart.FINES_AND_PENALTIES


def _label(loan: Loan) -> tuple[str, str]:
    return f"เงินกู้สัญญา {loan.number}", f"Loan {loan.number}"


def due_by(instalments, paid: Parts, on: dt.date) -> int:
    """What is due on ``on``: the instalments due by then, less what was paid (oldest first)."""
    return sum(left.total for i, left in zip(instalments, allocation.remaining(instalments, paid)) if i.due <= on)


class LoanPart:
    code = "loans"
    order = 30
    title_th = "ชำระเงินกู้"
    title_en = "Loan repayment"

    def in_use(self, organisation) -> bool:
        return Loan.objects.filter(organisation=organisation, status=Loan.Status.DISBURSED).exists()

    def _standing(self, loans: list[Loan], on: dt.date) -> dict[int, tuple[list, Parts, int]]:
        """Each loan's schedule, what it had settled by ``on`` and its penalty owed (paid first)."""
        paid = selectors._paid_by_loan(loans, on)
        penalty = selectors.penalty_owed_by_loan(loans, paid, on)
        return {loan.pk: (selectors.schedule_of(loan), paid.get(loan.pk, Parts()), penalty[loan.pk]) for loan in loans}

    def targets(self, organisation, member_ids, date: dt.date) -> dict[int, list[collection.Target]]:
        loans = list(Loan.objects.filter(organisation=organisation, member_id__in=list(member_ids),
                                         status=Loan.Status.DISBURSED, disbursed_on__lte=date).order_by("number"))
        standing = self._standing(loans, date)
        out: dict[int, list[collection.Target]] = {}
        for loan in loans:
            instalments, paid, penalty = standing[loan.pk]
            th, en = _label(loan)
            owed = allocation.owed(instalments, paid, penalty=penalty)
            out.setdefault(loan.member_id, []).append(collection.Target(
                member_id=loan.member_id, ref=str(loan.pk), label_th=th, label_en=en, number=str(loan.number),
                due=min(due_by(instalments, paid, date) + max(penalty, 0), owed), required=True,
                note_th=f"ค้างทั้งสัญญา {format_baht(owed)} บาท", note_en=f"{format_baht(owed)} baht owed in all"))
        return out

    def _loans(self, organisation, takes) -> dict[str, Loan]:
        refs = [int(t.ref) for t in takes if str(t.ref).isdigit()]
        found = {str(loan.pk): loan for loan in Loan.objects.filter(organisation=organisation, pk__in=refs)}
        for t in takes:
            loan = found.get(str(t.ref))
            if loan is not None and loan.member_id == t.member.pk:
                loan.member, loan.organisation = t.member, organisation
        return found

    def check(self, organisation, date: dt.date, actor, takes: list[collection.Take]) -> list[Problem]:
        loans = self._loans(organisation, takes)
        live = [loan for loan in loans.values() if loan.status in selectors.LIVE]
        standing = self._standing(live, date)
        problems: list[Problem] = []
        writer_checked = False
        for t in takes:
            loan = loans.get(str(t.ref))
            if loan is None or loan.member_id != t.member.pk:
                problems.append(Problem(f"loans:{t.ref}", "ไม่พบสัญญาเงินกู้นี้ของสมาชิก",
                                        "no such loan of this member", row=t.row, value=t.ref, code="no_loan"))
                continue
            instalments, paid, penalty = standing.get(loan.pk, ([], Parts(), 0))
            owed = allocation.owed(instalments, paid, penalty=penalty) if instalments else 0
            t.target = (loan, instalments, paid, penalty, owed)
            checks = [c for c in rules.LOAN_REPAY if c is not rules.actor_writes or not writer_checked]
            writer_checked = True
            act = rules.LoanAct(loan, actor, date=date, amount=t.amount, owed=owed)
            where = f"loans:{loan.number}"
            named = [Problem(p.field, f"สัญญา {loan.number}: {p.message_th}", f"loan {loan.number}: {p.message_en}",
                             value=p.value, code=p.code) for c in checks for p in c(act)]
            problems += collection.at_row(named, t, where)
        return problems

    def lines(self, organisation, date: dt.date, takes: list[collection.Take]) -> list[collection.PartLine]:
        out = []
        for t in takes:
            loan, instalments, paid, penalty, _owed = t.target
            parts = allocation.allocate(instalments, paid, t.amount, penalty=penalty,
                                        order=selectors.allocation_order(loan))
            memo = f"{t.document} สัญญา {loan.number}"
            lines = []
            if parts.principal:
                lines.append(Line(account=chart.LOANS, credit=parts.principal, member=t.member,
                                  memo=f"{memo} เงินต้น"[:255]))
            if parts.interest:
                lines.append(Line(account=INTEREST_ACCOUNT, credit=parts.interest, member=t.member,
                                  memo=f"{memo} ดอกเบี้ย"[:255]))
            if parts.penalty + parts.fee:
                lines.append(Line(account=PENALTY_ACCOUNT, credit=parts.penalty + parts.fee, member=t.member,
                                  memo=f"{memo} ค่าปรับ"[:255]))
            th, en = _label(loan)
            detail = {k: getattr(parts, k) for k in ("penalty", "fee", "interest", "principal") if getattr(parts, k)}
            out.append(collection.PartLine(take=t, label_th=f"ชำระ{th}", label_en=f"Repayment, {en.lower()}",
                                           lines=lines, detail=detail))
        return out

    def after_post(self, *, actor, organisation, date: dt.date, entry, part_lines) -> None:
        """The loans' repayment rows (the money is the collection day's entry); a loan repaid in
        full is closed."""
        rows, closed = [], []
        received_by = audit.person(actor)
        for pl in part_lines:
            loan, _instalments, _paid, _penalty, owed = pl.take.target
            d = pl.detail
            rows.append(Repayment(organisation=organisation, loan=loan, date=date, amount=pl.take.amount,
                                  penalty=d.get("penalty", 0), fee=d.get("fee", 0), interest=d.get("interest", 0),
                                  principal=d.get("principal", 0), entry=entry, received_by=received_by))
            if pl.take.amount == owed:
                closed.append(loan.pk)
        Repayment.objects.bulk_create(rows)
        if closed:
            Loan.objects.filter(pk__in=closed).update(status=Loan.Status.CLOSED, closed_on=date)
        audit.record(actor=actor, action="loans.collection_repayments", organisation=organisation,
                     summary=(f"รับชำระเงินกู้วันเก็บเงิน/collection-day repayments {entry.document_number}: "
                              f"{len(rows)} สัญญา/loans {format_baht(sum(r.amount for r in rows))}"),
                     after={"entry": entry.document_number, "date": date, "loans": len(rows),
                            "amount": sum(r.amount for r in rows), "closed": len(closed)})

    def void(self, *, actor, organisation, entry, reversal, refs: list[str]) -> None:
        """A voided receipt's repayments stand no more: each names the reversing entry, and a loan
        they had closed is open again. A repayment that a standing reschedule counted among the
        parts settled before it refuses the void (the reschedule is reversed first)."""
        ids = [int(r) for r in refs if str(r).isdigit()]
        standing = Repayment.objects.filter(entry=entry, loan_id__in=ids, reversal__isnull=True)
        raise_if([p for r in standing if selectors.counted_in_reschedule(r)
                  for p in rules.repayment_not_before_a_reschedule(rules.RepaymentAct(r, actor, "", True, True))])
        Repayment.objects.filter(entry=entry, loan_id__in=ids, reversal__isnull=True).update(
            reversal=reversal, reversal_reason=f"ยกเลิกใบเสร็จ / receipt voided ({reversal.document_number})"[:255])
        Loan.objects.filter(pk__in=ids, status=Loan.Status.CLOSED).update(status=Loan.Status.DISBURSED, closed_on=None)
