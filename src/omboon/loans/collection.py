"""Loan repayments on the collection day: the loans part of ``ledger.collection``, registered by
``LoansConfig.ready()``. Contributions' collection day calls it without importing loans.

Each member's running (disbursed, not closed) loans are the targets, pre-filled with what is due
on the day: every instalment due by then, less what was paid, oldest first. A take is checked by
``rules.LOAN_REPAY`` (the list the single repayment runs: a disbursed loan not closed, a writer, not
before the disbursement, never more than is owed unless the surplus goes to savings — an
overpayment is refused or credited, never lost), shared
out by ``allocation.allocate`` (oldest instalment first, penalty → fee → interest → principal) and
credited to 1300 (principal), 4710 (interest) and 4720 (penalty and fee); the loan's ``Repayment``
rows are written in the collection day's transaction, and a loan repaid in full closes.

Where the product credits an overpayment to savings (``overpayment_to_savings``) and the
borrower has a voluntary account, more than is owed is taken as the single repayment takes it
(``services.surplus_target``, ``services.surplus_take``): what is owed repays the loan, and the
surplus is a deposit the savings part checks by its own rules and writes (Cr the account, on
the same receipt, listed as savings: ``PartLine.part``); the repayment row keeps it as
``to_savings``. A voided receipt reverses both lines; savings has no rows of its own to mark."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace

from omboon.core import audit
from omboon.core.errors import Problem, problems_of, raise_if
from omboon.core.money import format_baht, is_whole
from omboon.ledger import chart, collection
from omboon.ledger.services import Line
from omboon.loans import allocation, rules, selectors
from omboon.loans.allocation import Parts
from omboon.loans.models import Loan, Repayment
from omboon.loans.services import INTEREST_ACCOUNT, surplus_take, surplus_target

PENALTY_ACCOUNT = chart.FINES_AND_PENALTIES


def _label(loan: Loan) -> tuple[str, str]:
    return f"เงินกู้สัญญา {loan.number}", f"Loan {loan.number}"


@dataclass
class Checked:
    """A take as ``LoanPart.check`` found it (``Take.target``): the loan, its schedule, what it
    had settled and its penalty owed, what it owes in all, and — where an overpayment goes to
    savings — the surplus as a take of the savings part."""

    loan: Loan
    instalments: list
    paid: Parts
    penalty: int
    owed: int
    surplus: collection.Take | None = None


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
        # due by the day, less everything settled whatever its date (as ``check`` reads it): a day
        # entered late, after a repayment at the office, does not ask for that instalment again
        standing = self._standing(loans, dt.date.max)
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
        # what each loan owes now — everything settled and charged, whatever its date, as the single
        # repayment reads it: a day dated before a later repayment must not take that instalment again
        standing = self._standing(live, dt.date.max)
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
            checked = t.target = Checked(loan, instalments, paid, penalty, owed)
            checks = [c for c in rules.LOAN_REPAY if c is not rules.actor_writes or not writer_checked]
            writer_checked = True
            # more than is owed: the borrower's voluntary account, where the product credits it there
            savings = surplus_target(loan, date) if is_whole(t.amount) and t.amount > owed else None
            act = rules.LoanAct(loan, actor, date=date, amount=t.amount, owed=owed, savings_target=savings)
            found = [p for c in checks for p in c(act)]
            if not found and savings is not None:
                surplus = t.amount - owed
                checked.surplus, refused = surplus_take(loan, actor, date, surplus, savings, row=t.row)
                found = [Problem(p.field, f"ส่วนเกิน {format_baht(surplus)} บาท เข้าบัญชี {savings.number}: "
                                 f"{p.message_th}", f"the surplus of {format_baht(surplus)} baht into account "
                                 f"{savings.number}: {p.message_en}", value=p.value, code=p.code) for p in refused]
            named = [Problem(p.field, f"สัญญา {loan.number}: {p.message_th}", f"loan {loan.number}: {p.message_en}",
                             value=p.value, code=p.code) for p in found]
            problems += collection.at_row(named, t, f"loans:{loan.number}")
        return problems

    def notices(self, organisation, date: dt.date, actor, takes: list[collection.Take],
                checked: bool = False) -> list[collection.Notice]:
        """Each overpayment the day would credit to savings — how much above what is owed, into
        which account — before the final save (the takes are checked here, unless ``checked``;
        a refused one says nothing: its problems name it)."""
        if not checked:
            self.check(organisation, date, actor, takes)
        out = []
        for t in takes:
            checked = t.target
            if not isinstance(checked, Checked) or checked.surplus is None:
                continue
            account = checked.surplus.target.number if checked.surplus.target is not None else checked.surplus.ref
            amount, number = format_baht(checked.surplus.amount), checked.loan.number
            out.append(collection.Notice(
                take=t, message_th=f"ชำระสัญญา {number} เกินยอดค้าง {amount} บาท เข้าบัญชีออมทรัพย์ {account}",
                message_en=f"{amount} baht above what loan {number} owes goes to savings account {account}",
                part=self.code, amount=checked.surplus.amount, into=str(account)))
        return out

    def lines(self, organisation, date: dt.date, takes: list[collection.Take]) -> list[collection.PartLine]:
        """The loan's lines for what is owed; a surplus's line comes from the savings part (Cr
        the account, tagged with the same receipt's number) and is listed as savings."""
        out = []
        for t in takes:
            checked: Checked = t.target
            loan, surplus = checked.loan, checked.surplus
            repaid = t if surplus is None else replace(t, amount=t.amount - surplus.amount)
            parts = allocation.allocate(checked.instalments, checked.paid, repaid.amount, penalty=checked.penalty,
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
            out.append(collection.PartLine(take=repaid, label_th=f"ชำระ{th}", label_en=f"Repayment, {en.lower()}",
                                           lines=lines, detail=detail))
            if surplus is not None:
                surplus.document = t.document
                for pl in collection.part("savings").lines(organisation, date, [surplus]):
                    pl.part = "savings"
                    pl.label_th = f"{pl.label_th} (ส่วนเกินชำระสัญญา {loan.number})"
                    pl.label_en = f"{pl.label_en} (surplus of loan {loan.number})"
                    pl.detail = {**pl.detail, "surplus_of": loan.number}
                    out.append(pl)
        return out

    def after_post(self, *, actor, organisation, date: dt.date, entry, part_lines) -> None:
        """The loans' repayment rows (the money is the collection day's entry), each with what it
        credited to savings (``to_savings``: the deposit's line and after_post are the savings
        part's); a loan repaid in full is closed."""
        rows, closed = [], []
        received_by = audit.person(actor)
        for pl in part_lines:
            checked: Checked = pl.take.target
            loan, d = checked.loan, pl.detail
            rows.append(Repayment(organisation=organisation, loan=loan, date=date, amount=pl.take.amount,
                                  penalty=d.get("penalty", 0), fee=d.get("fee", 0), interest=d.get("interest", 0),
                                  principal=d.get("principal", 0),
                                  to_savings=checked.surplus.amount if checked.surplus is not None else 0,
                                  entry=entry, received_by=received_by))
            if pl.take.amount == checked.owed:
                closed.append(loan.pk)
        Repayment.objects.bulk_create(rows)
        to_savings = sum(r.to_savings for r in rows)
        if closed:
            Loan.objects.filter(pk__in=closed).update(status=Loan.Status.CLOSED, closed_on=date)
        audit.record(actor=actor, action="loans.collection_repayments", organisation=organisation,
                     summary=(f"รับชำระเงินกู้วันเก็บเงิน/collection-day repayments {entry.document_number}: "
                              f"{len(rows)} สัญญา/loans {format_baht(sum(r.amount for r in rows))}"),
                     after={"entry": entry.document_number, "date": date, "loans": len(rows),
                            "amount": sum(r.amount for r in rows), "closed": len(closed),
                            **({"to_savings": to_savings} if to_savings else {})})

    def void(self, *, actor, organisation, entry, reversal, refs: list[str]) -> None:
        """A voided receipt's repayments stand no more: each names the reversing entry, and a loan
        they had closed is open again. ``rules.REPAYMENT_VOID`` runs on each first, as a single
        reversal runs ``REPAYMENT_REVERSE``: a loan's later repayment that stands, a write-off or a
        standing reschedule refuses the void (reverse those first), naming the loan."""
        ids = [int(r) for r in refs if str(r).isdigit()]
        standing = list(Repayment.objects.filter(entry=entry, loan_id__in=ids, reversal__isnull=True)
                        .select_related("loan", "organisation"))
        others = Repayment.objects.filter(loan_id__in=ids, reversal__isnull=True, date__gte=entry.date).exclude(
            entry=entry).values_list("loan_id", "date", "pk")
        later = {loan_id for r in standing for loan_id, date, pk in others
                 if loan_id == r.loan_id and (date, pk) > (r.date, r.pk)}
        raise_if([replace(p, message_th=f"สัญญา {r.loan.number}: {p.message_th}",
                          message_en=f"loan {r.loan.number}: {p.message_en}")
                  for r in standing
                  for p in problems_of(rules.REPAYMENT_VOID, rules.RepaymentAct(
                      r, actor, "", newest=r.loan_id not in later,
                      rescheduled=selectors.counted_in_reschedule(r)))])
        Repayment.objects.filter(entry=entry, loan_id__in=ids, reversal__isnull=True).update(
            reversal=reversal, reversal_reason=f"ยกเลิกใบเสร็จ / receipt voided ({reversal.document_number})"[:255])
        Loan.objects.filter(pk__in=ids, status=Loan.Status.CLOSED).update(status=Loan.Status.DISBURSED, closed_on=None)
