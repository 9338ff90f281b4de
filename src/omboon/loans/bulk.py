"""Bulk writes of loans, siblings of ``services`` for the imports (the layer above calls them;
only this app writes loans).

``loans_bring_forward`` takes the loans running at a group's cut-over date onto the books at
once: each loan is created disbursed, with the terms it runs on and its guarantors, and ONE
opening entry (OB) moves 1300 brought forward in total — the opening-balances import's line,
no member's — onto the borrowers: Cr 1300 the total, Dr 1300 each borrower their loan's
outstanding principal. 1300 in the books is then the sum of the loans' outstanding balances.
What each loan had paid before the cut-over (principal − balance, and interest: the rest of
``paid``) is one ``Repayment`` dated the cut-over date on that entry, so the schedule shows
the instalments already paid, oldest first, as ``loan_repay`` would have shared them out; such
a repayment cannot be reversed (``rules.repayment_not_brought_forward``).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

from django.db import transaction

from omboon.core import audit, sequence
from omboon.core.errors import problems_of, raise_if
from omboon.core.money import format_baht
from omboon.ledger import chart
from omboon.ledger import services as ledger
from omboon.ledger.models import DocumentType
from omboon.loans import rules
from omboon.loans.models import Guarantor, Loan, LoanSequence, Repayment

BROUGHT_FORWARD_PURPOSE = "ยอดยกมา ณ วันเริ่มใช้ระบบ"


@transaction.atomic
def loans_bring_forward(*, actor, organisation, as_of: dt.date, loans: list[rules.BroughtForward],
                        purposes: list[str] | None = None, idempotency_key: str | None = None, source=None,
                        memo: str = "") -> list[Loan]:
    """Create the running loans ``loans`` (each checked by ``rules.BRING_FORWARD``) and post
    their opening entry on ``as_of``; all or nothing. ``purposes``: each loan's purpose as the
    file gives it (blank: brought forward)."""
    problems = []
    for i, b in enumerate(loans, start=1):
        problems += [replace(p, row=i) for p in problems_of(rules.BRING_FORWARD, b)]
    raise_if(problems)
    if not loans:
        return []
    purposes = purposes or [""] * len(loans)
    total = sum(b.balance for b in loans)
    lines = [ledger.Line(account=chart.LOANS, debit=b.balance, member=b.member,
                         memo=f"เงินกู้ยกมา {b.member.number}") for b in loans]
    lines.append(ledger.Line(account=chart.LOANS, credit=total, memo="ยอดยกมาแยกตามสัญญาเงินกู้"))
    entry = ledger.entry_post(actor=actor, organisation=organisation, date=as_of, doc_type=DocumentType.OPENING,
                              lines=lines, idempotency_key=idempotency_key, source=source,
                              memo=(memo or "ยอดยกมาเงินกู้สมาชิก / members' loans brought forward")[:255])
    first = sequence.take_next(LoanSequence, count=len(loans), organisation=organisation)
    person = audit.person(actor)
    made = Loan.objects.bulk_create([
        Loan(organisation=organisation, number=first + i, member=b.member, product_version=b.version,
             principal=b.principal, purpose=(purposes[i] or BROUGHT_FORWARD_PURPOSE).strip()[:255],
             status=Loan.Status.DISBURSED, applied_on=b.disbursed_on, applied_by=person, terms=b.terms.as_dict(),
             disbursed_on=b.disbursed_on, first_due=b.first_due or rules.bf_instalments(b)[0][0].due,
             disbursed_by=person, disbursement=entry)
        for i, b in enumerate(loans)])
    if any(m.pk is None for m in made):  # a backend that does not return the keys of a bulk insert
        made = list(Loan.objects.filter(organisation=organisation, number__gte=first,
                                        number__lt=first + len(loans)).order_by("number"))
    Guarantor.objects.bulk_create([Guarantor(loan=loan, member=g) for loan, b in zip(made, loans)
                                   for g in b.guarantors])
    Repayment.objects.bulk_create([
        Repayment(organisation=organisation, loan=loan, date=as_of, amount=b.paid, interest=b.interest_paid,
                  principal=b.principal_paid, entry=entry, received_by=person)
        for loan, b in zip(made, loans) if b.paid])
    audit.record(actor=actor, action="loans.loans_bring_forward", organisation=organisation, obj=entry,
                 summary=f"{entry.document_number} เงินกู้ยกมา {len(made):,} สัญญา {format_baht(total)} บาท"[:255],
                 after={"entry": entry.document_number, "as_of": as_of, "loans": len(made), "outstanding": total,
                        "numbers": [made[0].number, made[-1].number]})
    return made
