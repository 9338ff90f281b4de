"""Writes of the year-end allocation, one transaction and one audit event each:
draft (again, while nobody has approved it) → approve twice (the first records the general
meeting's decision) → post → pay in cash or into savings; or reverse once posted, before it is
paid. Money moves only through the ledger: the posting is one journal entry, the payment one
more (a payment voucher's entry for cash, approved by the allocation's second approver; a
journal into the members' savings accounts through the savings part of ``ledger.collection``,
so loans never imports savings)."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from omboon.core import audit
from omboon.core.errors import problems_of, raise_if
from omboon.core.money import format_baht
from omboon.core.thaidate import to_be
from omboon.ledger import bulk as ledger_bulk
from omboon.ledger import chart, collection
from omboon.ledger import selectors as ledger_selectors
from omboon.ledger import services as ledger
from omboon.ledger.models import DocumentType
from omboon.ledger.rules import Approval
from omboon.loans.models import YearEndAllocation, YearEndShare
from omboon.loans.year_end import compute, rules, selectors

# The account each part is credited to when posted (DESIGN.md's chart; ledger.chart).
PART_ACCOUNTS = {
    compute.RESERVE: chart.RESERVE_FUND,  # 3200
    compute.WELFARE: chart.WELFARE_FUND,  # 3100
    compute.COMMITTEE: chart.OTHER_PAYABLES,  # 2300: owed to the committee until paid
    compute.PUBLIC: chart.PUBLIC_BENEFIT_FUND,  # 3500
    compute.DIVIDEND: chart.DIVIDENDS_PAYABLE,  # 2400
    compute.REFUND: chart.REFUNDS_PAYABLE,  # 2410
}


def _today() -> dt.date:
    return timezone.localdate()


def _locked(allocation: YearEndAllocation) -> YearEndAllocation:
    return (YearEndAllocation.objects.select_for_update(of=("self",)).select_related("organisation", "entry")
            .get(pk=allocation.pk))


# The audit summaries are Thai (an English page does not show them): the model and how it was paid by name.
MODEL_NAMES = {"pool": "แบ่งตามสัดส่วน", "rate": "ตามอัตรา"}
PAID_AS = {"cash": "เงินสด", "savings": "เข้าบัญชีเงินฝาก"}


def _label(allocation) -> str:
    return f"จัดสรรกำไรสุทธิปี {to_be(allocation.fiscal_year)}"


@transaction.atomic
def allocation_draft(*, actor, organisation, fiscal_year: int, model: compute.Model,
                     base: str = YearEndAllocation.Base.ALL) -> YearEndAllocation:
    """Compute the year's split from the books and keep it as a draft with its per-member list
    (a draft of the same year is replaced)."""
    year = selectors.fiscal_year(organisation, fiscal_year)
    existing = selectors.current(organisation, fiscal_year)
    if existing is not None:
        existing = YearEndAllocation.objects.select_for_update().get(pk=existing.pk)
    raise_if(problems_of(rules.DRAFT, rules.Draft(organisation, actor, year, existing, base)))
    net_income = sum(selectors.net_income_by_fund(organisation, year).values())
    result = compute.allocate(net_income, model, selectors.inputs(organisation, year, base))
    fields = dict(status=YearEndAllocation.Status.DRAFT, start=year.start, end=year.end, model=model.kind, base=base,
                  net_income=net_income, drafted_by=audit.person(actor), drafted_at=timezone.now(),
                  **{f"{p}_pct": model.percent(p) for p in compute.PARTS}, **result.parts)
    if existing is None:
        allocation = YearEndAllocation.objects.create(organisation=organisation, fiscal_year=fiscal_year, **fields)
    else:
        allocation = existing
        for name, value in fields.items():
            setattr(allocation, name, value)
        allocation.save()
        allocation.shares.all().delete()
    YearEndShare.objects.bulk_create([
        YearEndShare(allocation=allocation, member_id=s.member_id, balance_months=s.balance_months,
                     interest_paid=s.interest_paid, dividend=s.dividend, refund=s.refund)
        for s in result.members], batch_size=1000)
    audit.record(actor=actor, action="loans.year_end_draft", organisation=organisation, obj=allocation,
                 summary=f"{_label(allocation)} {format_baht(net_income)} ({MODEL_NAMES.get(model.kind, model.kind)})",
                 after={"model": model.as_dict(), "base": base, "net_income": net_income, "parts": result.parts,
                        "members": len(result.members), "replaced": existing is not None})
    return allocation


@transaction.atomic
def allocation_approve(*, actor, allocation: YearEndAllocation, meeting_on: dt.date | None = None,
                       resolution: str = "", today: dt.date | None = None) -> YearEndAllocation:
    """The first committee member records the general meeting's decision (its date and
    resolution); a second one, neither of them the drafter, approves it."""
    allocation = _locked(allocation)
    raise_if(problems_of(rules.APPROVE, rules.Act(allocation, actor, date=today or _today(), meeting_on=meeting_on,
                                                  resolution=resolution)))
    before = allocation.status
    if allocation.status == YearEndAllocation.Status.DRAFT:
        allocation.meeting_on, allocation.resolution = meeting_on, resolution.strip()
        allocation.decided_by, allocation.decided_at = audit.person(actor), timezone.now()
        allocation.status = YearEndAllocation.Status.DECIDED
    else:
        allocation.approved_by, allocation.approved_at = audit.person(actor), timezone.now()
        allocation.status = YearEndAllocation.Status.APPROVED
    allocation.save()
    audit.record(actor=actor, action="loans.year_end_approve", organisation=allocation.organisation, obj=allocation,
                 summary=f"{_label(allocation)}: {allocation.get_status_display()}",
                 before={"status": before},
                 after={"status": allocation.status, "meeting_on": allocation.meeting_on,
                        "resolution": allocation.resolution})
    return allocation


def _ensure_accounts(actor, organisation, parts: dict[str, int]) -> None:
    """The public benefit fund (3500) for a group whose chart predates it, through the ledger."""
    if not parts.get(compute.PUBLIC):
        return
    if not ledger_selectors.accounts(organisation).filter(code=chart.PUBLIC_BENEFIT_FUND).exists():
        ledger.account_create(actor=actor, organisation=organisation, code=chart.PUBLIC_BENEFIT_FUND,
                              name_th="ทุนสาธารณประโยชน์", name_en="Public benefit fund",
                              standard_code=chart.PUBLIC_BENEFIT_FUND)


def posting_lines(allocation: YearEndAllocation, by_fund: dict[int, int]) -> list[ledger.Line]:
    """Dr accumulated surplus (3300) by fund, as the close carried the year's net income there;
    Cr each part's account (the group's default fund)."""
    funds = ledger_selectors.funds(allocation.organisation).in_bulk(list(by_fund))
    lines = [ledger.Line(account=chart.ACCUMULATED_SURPLUS, fund=funds[f], debit=max(v, 0), credit=max(-v, 0),
                         memo=_label(allocation)) for f, v in sorted(by_fund.items())]
    for part in compute.PARTS:
        amount = getattr(allocation, part)
        if amount:
            lines.append(ledger.Line(account=PART_ACCOUNTS[part], credit=amount,
                                     memo=compute.PART_NAMES[part][0]))
    return lines


@transaction.atomic
def allocation_post(*, actor, allocation: YearEndAllocation, date: dt.date | None = None) -> YearEndAllocation:
    """Post the approved split as one entry (``posting_lines``), once."""
    allocation = _locked(allocation)
    date = date or _today()
    organisation = allocation.organisation
    year = selectors.fiscal_year(organisation, allocation.fiscal_year)
    by_fund = selectors.net_income_by_fund(organisation, year)
    raise_if(problems_of(rules.POST, rules.Act(allocation, actor, date=date, net_income_now=sum(by_fund.values()),
                                               year_closed=year.closed)))
    _ensure_accounts(actor, organisation, selectors.parts_of(allocation))
    entry = ledger.entry_post(actor=actor, organisation=organisation, date=date, doc_type=DocumentType.JOURNAL,
                              lines=posting_lines(allocation, by_fund),
                              memo=f"{_label(allocation)} ตามมติที่ประชุมใหญ่ {allocation.meeting_on:%Y-%m-%d}",
                              idempotency_key=f"loans-yearend:{allocation.pk}:post", source=allocation)
    allocation.entry, allocation.status = entry, YearEndAllocation.Status.POSTED
    allocation.save(update_fields=["entry", "status"])
    audit.record(actor=actor, action="loans.year_end_post", organisation=organisation, obj=allocation,
                 summary=f"{entry.document_number} {_label(allocation)} {format_baht(allocation.net_income)}",
                 before={"status": YearEndAllocation.Status.APPROVED},
                 after={"status": allocation.status, "entry": entry.document_number, "date": date})
    return allocation


def _savings_takes(organisation, shares: list[YearEndShare], date: dt.date) -> tuple[list, list]:
    """(takes, problems): each member's voluntary savings account, else their compulsory one,
    from the savings part of the collection day; a member with neither is a problem."""
    part = collection.part("savings")
    if part is None:
        return [], [rules.Problem("how", "ระบบเงินฝากไม่พร้อมใช้: จ่ายเป็นเงินสด",
                                  "savings are not available: pay in cash", code="how")]
    targets = part.targets(organisation, [s.member_id for s in shares], date)
    takes, problems = [], []
    for s in shares:
        options = sorted(targets.get(s.member_id, []), key=lambda t: (t.required, t.number))
        if not options:
            problems.append(rules.Problem(
                "how", f"สมาชิก {s.member.number} {s.member.full_name} ไม่มีบัญชีเงินฝากที่เปิดอยู่: จ่ายเป็นเงินสด",
                f"member {s.member.number} has no open savings account: pay in cash", row=s.member.number,
                code="no_account"))
            continue
        takes.append(collection.Take(member=s.member, ref=options[0].ref, amount=s.dividend + s.refund,
                                     row=s.member.number, document=_label(s.allocation)))
    return takes, problems


def _bulk_lines(organisation, lines: list[ledger.Line]) -> list[ledger_bulk.BulkLine]:
    codes = {ln.account for ln in lines if isinstance(ln.account, str)}
    accounts = {a.code: a for a in ledger_selectors.accounts(organisation).filter(code__in=codes)}
    fund = ledger_selectors.funds(organisation).get(is_default=True)
    return [ledger_bulk.BulkLine(account=accounts[ln.account] if isinstance(ln.account, str) else ln.account,
                                 fund=fund, debit=ln.debit, credit=ln.credit, memo=ln.memo,
                                 member_id=getattr(ln.member, "pk", ln.member), sub_account=ln.sub_account)
            for ln in lines]


@transaction.atomic
def allocation_pay(*, actor, allocation: YearEndAllocation, how: str, date: dt.date | None = None
                   ) -> YearEndAllocation:
    """Pay every member's dividend and refund, once: in cash (a payment entry, Dr 2400 and 2410,
    Cr 1100, approved by the allocation's second approver) or into each member's savings (Dr
    2400 and 2410, Cr their account, one journal entry of a line a member)."""
    allocation = _locked(allocation)
    date = date or _today()
    organisation = allocation.organisation
    raise_if(problems_of(rules.PAY, rules.Act(allocation, actor, date=date, how=how)))
    total = allocation.dividend + allocation.refund
    debits = [ledger.Line(account=PART_ACCOUNTS[p], debit=getattr(allocation, p), memo=compute.PART_NAMES[p][0])
              for p in (compute.DIVIDEND, compute.REFUND) if getattr(allocation, p)]
    key = f"loans-yearend:{allocation.pk}:pay"
    memo = f"จ่ายเงินปันผลและเงินเฉลี่ยคืนปี {to_be(allocation.fiscal_year)}"
    entry = None
    if total and how == YearEndAllocation.PaidHow.CASH:
        entry = ledger.entry_post(
            actor=actor, organisation=organisation, date=date, doc_type=DocumentType.PAYMENT, memo=memo,
            lines=[*debits, ledger.Line(account=chart.CASH, credit=total, memo=_label(allocation))],
            idempotency_key=key, source=allocation,
            approval=Approval(maker=allocation.drafted_by, approver=allocation.approved_by,
                              what=f"loans.yearendallocation:{allocation.pk}"))
    elif total:
        shares = [s for s in selectors.shares(allocation).select_related("allocation") if s.dividend + s.refund]
        takes, problems = _savings_takes(organisation, shares, date)
        part = collection.part("savings")
        raise_if(problems or part.check(organisation, date, actor, takes))
        part_lines = part.lines(organisation, date, takes)
        credits = [ln for pl in part_lines for ln in pl.lines]
        ledger_bulk.entries_post_bulk(
            actor=actor, organisation=organisation, source=("loans.yearendallocation", str(allocation.pk)),
            entries=[ledger_bulk.BulkEntry(date=date, doc_type=DocumentType.JOURNAL, memo=memo, idempotency_key=key,
                                           lines=_bulk_lines(organisation, [*debits, *credits]))])
        entry = ledger_selectors.entries(organisation).get(idempotency_key=key)
        part.after_post(actor=actor, organisation=organisation, date=date, entry=entry, part_lines=part_lines)
    allocation.payment, allocation.paid_how = entry, how
    allocation.status = YearEndAllocation.Status.PAID
    allocation.save(update_fields=["payment", "paid_how", "status"])
    audit.record(actor=actor, action="loans.year_end_pay", organisation=organisation, obj=allocation,
                 summary=(f"{entry.document_number if entry else '-'} {memo} {format_baht(total)} "
                          f"({PAID_AS.get(how, how)})"),
                 before={"status": YearEndAllocation.Status.POSTED},
                 after={"status": allocation.status, "how": how, "date": date, "total": total,
                        "entry": entry.document_number if entry else None})
    return allocation


@transaction.atomic
def allocation_reverse(*, actor, allocation: YearEndAllocation, reason: str, date: dt.date | None = None
                       ) -> YearEndAllocation:
    """Undo a posted allocation before it is paid: the ledger's reversal of its entry. The year
    can then be drafted again."""
    allocation = _locked(allocation)
    date = date or _today()
    raise_if(problems_of(rules.REVERSE, rules.Act(allocation, actor, date=date, reason=reason)))
    reversal = ledger.entry_reverse(actor=actor, entry=allocation.entry, date=date, reason=reason)
    allocation.reversal, allocation.reversal_reason = reversal, reason.strip()[:255]
    allocation.status = YearEndAllocation.Status.REVERSED
    allocation.save(update_fields=["reversal", "reversal_reason", "status"])
    audit.record(actor=actor, action="loans.year_end_reverse", organisation=allocation.organisation, obj=allocation,
                 summary=f"{reversal.document_number} กลับรายการ{_label(allocation)}",
                 before={"status": YearEndAllocation.Status.POSTED},
                 after={"status": allocation.status, "reversal": reversal.document_number, "reason": reason})
    return allocation
