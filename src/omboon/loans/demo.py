"""Demo lending: a village fund (กองทุนหมู่บ้าน) and a savings group lend to their members for the
years of the demo, through the loans services — apply (the treasurer), approve (the chair),
disburse, repay — so the pages, reports and network facts show a real portfolio: most
borrowers pay on time, some skip an instalment and catch up, or pay the last one months late
(arrears at the end), a few stop paying,
and the one longest overdue is written off (asked by the treasurer, approved by the chair). The
first borrower who would pay the last instalment months late (and before the demo's end)
asks, 45 days behind, for more time instead and is rescheduled (ปรับโครงสร้างหนี้: asked by the
treasurer, approved by the chair): what is left lent anew over the product's whole term from
that day — a savings group's six months again, a village fund's yearly payment a year later —
and repaid on time after it (so the arrears at the end are as they were).

Each fiscal year is closed with its year-end allocation (``after_close``, which the demo's
generator calls after the ledger closes each month): once the year's last month is closed and
it made a net income, the treasurer drafts the split of the group's bylaws, the general
meeting 40–75 days after the year's end decides it (recorded by the chair, approved by a
committee member), the treasurer posts it on the meeting's day and pays the members' dividends
and refunds one to three weeks later — a savings group into each member's savings, a village
fund in cash (withdrawn from the bank that day). A meeting after the demo's end leaves the
year's draft waiting for it.

- a village fund: its government capital of 1,000,000 baht in the founding month (Dr 1100,
  Cr 3110, the fund's capital: equity, not the year's income), then each March loans of
  10,000–50,000 baht (two guarantors above 20,000) repaid in one yearly payment at 6% a year,
  flat; its year-end: reserve 25%, refunds in proportion to the interest paid 35%, welfare 20%,
  committee 10%, public benefit 10%;
- a savings group: every quarter loans "for production" of 3,000–30,000 baht (two guarantors
  above 10,000) at 1% a month on the declining balance, six monthly instalments rounded to
  10 baht — lent from the members' savings; its year-end: reserve 15%, dividends on the
  time-weighted savings and shares 50%, refunds 15%, welfare 10%, committee 5%, public 5%.

The group's first loan is secured also by a land title (โฉนดที่ดิน) and its second by a vehicle
(collateral: described, with its document number and appraised value; no random draw). The loans
of ``populate`` carry no lien on savings: they are made before the savings demo writes the
members' savings (apps populate in the order installed). Once the ledger has closed the month
before the demo's end (``after_close``), the savings are there: a member with savings and no loan
applies on the last day for the product's smallest loan secured by a lien on half of what is free
in their own savings account, and the chair approves it (not yet paid out), so the loan's page
and the account's page show what the lien holds.

Other groups lend nothing. Everything happens in date order (one queue of events), each
repayment the amount due by its day (``collection.due_by``), so receipts are numbered in the
order they were paid. Random draws come from ``rng`` only.
"""

from __future__ import annotations

import datetime as dt
import heapq
import random
from dataclasses import dataclass
from decimal import Decimal

from omboon.core import months
from omboon.core.thaidate import to_be
from omboon.ledger import chart, collection, holdings
from omboon.ledger import services as ledger
from omboon.ledger.demo import history_approval, history_user
from omboon.ledger.models import DocumentType
from omboon.loans import rules, schedule, selectors, services
from omboon.loans.collection import due_by
from omboon.loans.models import Loan, LoanProduct, LoanSecurity, YearEndAllocation
from omboon.loans.schedule import Terms
from omboon.loans.year_end import compute
from omboon.loans.year_end import selectors as year_end_selectors
from omboon.loans.year_end import services as year_end
from omboon.members.models import Member
from omboon.orgs.models import Organisation, Role

CAPITAL = 1_000_000_00  # a village fund's government capital
CAPITAL_ACCOUNT = "3110"  # the fund's capital, under the funds (3100): equity
RESCHEDULE_AFTER = dt.timedelta(days=45)  # how far behind the borrower is when rescheduled


@dataclass(frozen=True)
class Plan:
    code: str
    name_th: str
    name_en: str
    terms: Terms
    max_amount: int
    guarantors_above: int
    lo: int  # the smallest loan, in thousands of baht
    hi: int
    lending_months: tuple[int, ...]
    share: float  # of the active members who borrow in a round
    cap: int  # at most this many loans a round
    purposes: tuple[str, ...]


PLANS = {
    Organisation.GroupType.VILLAGE_FUND: Plan(
        "VF", "เงินกู้กองทุนหมู่บ้าน", "Village fund loan",
        Terms(method="flat", rate=Decimal(6), per="year", every="year", term=1), 50_000_00, 20_000_00, 10, 50,
        (3,), 0.06, 30, ("ลงทุนปลูกข้าว", "เลี้ยงสุกร", "ซื้อปุ๋ยและเมล็ดพันธุ์", "ค้าขายของชำ", "ซ่อมรถไถ")),
    Organisation.GroupType.SAVINGS_GROUP: Plan(
        "PROD", "เงินกู้เพื่อการผลิต", "Loan for production",
        Terms(method="declining", rate=Decimal(1), per="month", every="month", term=6, rounding=1000), 30_000_00,
        10_000_00, 3, 30, (1, 4, 7, 10), 0.02, 6, ("ซื้อปุ๋ย", "เลี้ยงไก่ไข่", "ทำสวนลำไย", "ทอผ้าขาย", "ซื้อจักรเย็บผ้า")),
}
ON_TIME, LATE, DEFAULTS = "on_time", "late", "defaults"


@dataclass(frozen=True)
class YearEnd:
    model: compute.Model
    paid_how: str


YEAR_ENDS = {
    Organisation.GroupType.VILLAGE_FUND: YearEnd(compute.Model(
        reserve=Decimal(25), refund=Decimal(35), welfare=Decimal(20), committee=Decimal(10), public=Decimal(10)),
        YearEndAllocation.PaidHow.CASH),
    Organisation.GroupType.SAVINGS_GROUP: YearEnd(compute.Model(
        reserve=Decimal(15), dividend=Decimal(50), refund=Decimal(15), welfare=Decimal(10), committee=Decimal(5),
        public=Decimal(5)), YearEndAllocation.PaidHow.SAVINGS),
}


def _rounds(plan: Plan, start: dt.date, end: dt.date) -> list[dt.date]:
    days, (y, m) = [], (start.year, start.month)
    while True:
        day = dt.date(y, m, 10)
        if day > end:
            return days
        if day > start and m in plan.lending_months:
            days.append(day)
        y, m = months.add(y, m, 1)


def populate(*, organisation, rng: random.Random, start: dt.date, end: dt.date, actor=None) -> dict:
    plan = PLANS.get(organisation.group_type)
    if plan is None:
        return {}
    approval = history_approval(organisation)
    treasurer, chair = approval.maker, approval.approver
    product = services.product_create(
        actor=chair, organisation=organisation, code=plan.code, name_th=plan.name_th, name_en=plan.name_en,
        terms=plan.terms, max_amount=plan.max_amount, effective_from=start, guarantors_above=plan.guarantors_above,
        guarantors_required=2)
    if organisation.group_type == Organisation.GroupType.VILLAGE_FUND:
        ledger.account_create(actor=chair, organisation=organisation, code=CAPITAL_ACCOUNT,
                              name_th="ทุนกองทุนหมู่บ้านจากรัฐบาล", name_en="Village fund capital from the government",
                              standard_code=chart.WELFARE_FUND)
        ledger.entry_post(actor=treasurer, organisation=organisation, date=start, doc_type="receipt",
                          memo="เงินทุนกองทุนหมู่บ้านจากรัฐบาล / the village fund's government capital",
                          lines=[ledger.Line(account=chart.CASH, debit=CAPITAL),
                                 ledger.Line(account=CAPITAL_ACCOUNT, credit=CAPITAL)],
                          idempotency_key="demo.loans:capital")
    members = list(Member.objects.filter(organisation=organisation, status=Member.Status.ACTIVE).order_by("number"))
    queue: list[tuple] = []  # (day, order, kind, loan pk)
    order = 0
    for day in _rounds(plan, start, end):
        heapq.heappush(queue, (day, order, "round", 0))
        order += 1
    habit: dict[int, str] = {}  # loan → on time, late now and then, or stops paying
    busy: set[int] = set()  # members with a loan running (or behind for good)
    loans: dict[int, Loan] = {}
    counts = {"loans": 0, "repayments": 0, "written_off": 0, "rescheduled": 0}
    rescheduling = False  # one loan's reschedule planned (its last payment's place in the queue)
    while queue:
        day, _, kind, pk = heapq.heappop(queue)
        if kind == "round":
            free = [m for m in members if m.pk not in busy and m.join_date < day]
            for m in rng.sample(free, min(len(free), plan.cap, max(1, int(len(members) * plan.share)))):
                principal = rng.randint(plan.lo, plan.hi) * 1000_00
                others = [g for g in members if g.pk != m.pk and g.join_date < day]
                guarantors = rng.sample(others, 2) if principal > plan.guarantors_above and len(others) >= 2 else []
                loan = services.loan_apply(actor=treasurer, organisation=organisation, member=m, product=product,
                                           principal=principal, purpose=rng.choice(plan.purposes),
                                           guarantors=guarantors, applied_on=max(start, day - dt.timedelta(days=7)),
                                           consented=guarantors,  # the signed forms come with the application
                                           securities=_collateral(counts["loans"], principal, m))
                services.loan_approve(actor=chair, loan=loan)
                loan = services.loan_disburse(actor=treasurer, loan=loan, date=day)
                loans[loan.pk], busy = loan, busy | {m.pk}
                habit[loan.pk] = rng.choices((ON_TIME, LATE, DEFAULTS), weights=(80, 14, 6))[0]
                stop = rng.randint(0, plan.terms.term - 1) if habit[loan.pk] == DEFAULTS else None
                for n, instalment in enumerate(selectors.schedule_of(loan)):
                    if stop is not None and n >= stop:
                        break
                    last = n == plan.terms.term - 1
                    if habit[loan.pk] == LATE and not last and rng.random() < 0.4:
                        continue  # skipped: the next payment catches up
                    late = habit[loan.pk] == LATE and last and rng.random() < 0.6
                    paid_on = instalment.due + dt.timedelta(days=rng.randint(35, 400) if late else rng.randint(0, 5))
                    asks_on = instalment.due + RESCHEDULE_AFTER
                    if late and not rescheduling and asks_on < paid_on <= end:  # asks for more time instead
                        heapq.heappush(queue, (asks_on, order, "reschedule", loan.pk))
                        order, rescheduling = order + 1, True
                    elif paid_on <= end:
                        heapq.heappush(queue, (paid_on, order, "repay", loan.pk))
                        order += 1
                counts["loans"] += 1
            continue
        loan = loans[pk]
        if kind == "reschedule":
            order = _reschedule(loan, plan, day, end, treasurer, chair, queue, order)
            counts["rescheduled"] += 1
            continue
        amount = due_by(selectors.schedule_of(loan), selectors.settled(loan), day)
        if amount <= 0:
            continue
        services.loan_repay(actor=treasurer, loan=loan, amount=amount, date=day)
        counts["repayments"] += 1
        loan.refresh_from_db(fields=["status", "closed_on"])
        if loan.status == Loan.Status.CLOSED:
            busy.discard(loan.member_id)
    # the loan longest overdue at the end, more than a year behind, is written off
    behind = [(row.days_overdue, row.loan.number, row.loan) for row in selectors.loan_rows(
        [loan for loan in loans.values() if loan.status == Loan.Status.DISBURSED], end) if row.days_overdue > 365]
    if behind:
        _days, _n, worst = max(behind)
        write_off = services.write_off_request(actor=treasurer, loan=worst, date=end,
                                               reason="ผู้กู้ย้ายถิ่นฐาน ติดตามไม่ได้เกินหนึ่งปี")
        services.adjustment_approve(actor=chair, adjustment=write_off)
        counts["written_off"] = 1
    # the last application waits for its second guarantor's consent (the loan page and the
    # guarantor's own page ask for it)
    free = [m for m in members if m.pk not in busy and m.join_date < end]
    if free and len(members) >= 3:
        borrower = free[0]
        guarantors = [g for g in members if g.pk != borrower.pk][:2]
        services.loan_apply(actor=treasurer, organisation=organisation, member=borrower, product=product,
                            principal=plan.hi * 1000_00, purpose=plan.purposes[0], guarantors=guarantors,
                            applied_on=end, consented=guarantors[:1])
        counts["loans"] += 1
        counts["waiting_consent"] = 1
    return counts


def _collateral(n: int, principal: int, member) -> list[rules.Security]:
    """The group's first loan: a land title; its second: a vehicle; the others none."""
    if n == 0:
        return [rules.Security("collateral", collateral="land_title", value=principal * 4,
                               description=f"ที่นา 3 ไร่ หมู่ {member.moo or 1} ของผู้กู้",
                               document_no=f"12{member.number}")]
    if n == 1:
        return [rules.Security("collateral", collateral="vehicle", value=principal * 2,
                               description="รถไถเดินตามของผู้กู้", document_no=f"กข {member.number}")]
    return []


def _reschedule(loan: Loan, plan: Plan, day: dt.date, end: dt.date, treasurer, chair, queue: list, order: int) -> int:
    """The borrower behind since their missed instalment asks for more time: what is left lent
    anew from ``day`` over the product's whole term (asked by the treasurer, approved by the
    chair), each new instalment then paid two days after it falls due. Returns the queue's next
    order number."""
    r = services.reschedule_request(
        actor=treasurer, loan=loan, term=plan.terms.term, date=day,
        first_due=schedule.default_first_due(plan.terms.every, day),
        reason="ผู้กู้ค้างชำระเพราะผลผลิตเสียหายจากภัยแล้ง ขอขยายระยะเวลาชำระตามมติคณะกรรมการ")
    services.reschedule_approve(actor=chair, reschedule=r)
    loan.refresh_from_db(fields=["rescheduled_on"])
    for instalment in selectors.schedule_of(loan):
        paid_on = instalment.due + dt.timedelta(days=2)
        if instalment.due > day and paid_on <= end:
            heapq.heappush(queue, (paid_on, order, "repay", loan.pk))
            order += 1
    return order


def _pledged_application(organisation, end: dt.date) -> dict:
    """The demo's lien: a member with savings and no loan asks on ``end`` for the product's
    smallest loan, secured by a lien on half of what is free in their own savings account
    (through ``ledger.holdings``: loans does not import savings); the chair approves it."""
    plan = PLANS.get(organisation.group_type)
    part = collection.part("savings")
    product = LoanProduct.objects.filter(organisation=organisation, code=plan.code if plan else "").first()
    if plan is None or part is None or product is None:
        return {}
    borrowing = set(Loan.objects.filter(organisation=organisation, status__in=selectors.LIEN_HOLDS)
                    .values_list("member_id", flat=True))
    free = list(Member.objects.filter(organisation=organisation, status=Member.Status.ACTIVE, join_date__lt=end)
                .exclude(pk__in=borrowing).order_by("number").values_list("pk", flat=True)[:200])
    targets = [t for rows in part.targets(organisation, free, end).values() for t in rows]
    accounts = holdings.savings_accounts(organisation, [t.number for t in targets])
    principal = plan.lo * 1000_00
    pledge = next(((a, a.free // 2 // 100_00 * 100_00) for a in sorted(accounts.values(), key=lambda a: a.number)
                   if a.kind != "shares" and a.free // 2 >= 100_00), None)
    if pledge is None:
        return {}
    account, amount = pledge
    approval = history_approval(organisation)
    member = Member.objects.get(pk=account.member_id)
    loan = services.loan_apply(actor=approval.maker, organisation=organisation, member=member, product=product,
                               principal=principal, purpose=plan.purposes[-1], applied_on=end,
                               securities=[rules.Security(LoanSecurity.Kind.SAVINGS_LIEN, account=account.number,
                                                          amount=min(amount, principal))])
    services.loan_approve(actor=approval.approver, loan=loan)
    return {"pledged": loan.number}


def after_close(*, organisation, year: int, month: int, rng: random.Random, end: dt.date, actor=None) -> dict:
    """Once a lending group's fiscal year's last month is closed, the year's allocation (the
    module's story): drafted, decided at the general meeting and approved, posted, paid — as
    far as the demo's ``end`` reaches. Nothing for other groups and months, or a year without
    a net income or a loan. Once the month before ``end``'s is closed, the demo's lien
    (``_pledged_application``)."""
    pledged = _pledged_application(organisation, end) \
        if (year, month) == months.add(end.year, end.month, -1) else {}
    return {**pledged, **_year_end(organisation, year, month, rng, end)}


def _year_end(organisation, year: int, month: int, rng: random.Random, end: dt.date) -> dict:
    plan = YEAR_ENDS.get(organisation.group_type)
    if plan is None or not chart.is_fiscal_year_end(organisation.fiscal_year_start_month, month):
        return {}
    fiscal_year = chart.fiscal_year_of(organisation.fiscal_year_start_month, dt.date(year, month, 1))
    books = year_end_selectors.fiscal_year(organisation, fiscal_year)
    if not Loan.objects.filter(organisation=organisation, disbursed_on__lte=books.end).exists() \
            or sum(year_end_selectors.net_income_by_fund(organisation, books).values()) <= 0:
        return {}
    approval = history_approval(organisation)
    treasurer, chair = approval.maker, approval.approver
    allocation = year_end.allocation_draft(actor=treasurer, organisation=organisation, fiscal_year=fiscal_year,
                                           model=plan.model)
    meeting = books.end + dt.timedelta(days=rng.randint(40, 75))
    if meeting > end:
        return {"allocation": allocation.status}  # the general meeting is still to come
    year_end.allocation_approve(
        actor=chair, allocation=allocation, meeting_on=meeting, today=meeting,
        resolution=f"ที่ประชุมใหญ่สามัญประจำปี {to_be(fiscal_year)} อนุมัติการจัดสรรกำไรสุทธิตามที่คณะกรรมการเสนอ")
    year_end.allocation_approve(actor=history_user(organisation, Role.COMMITTEE), allocation=allocation,
                                today=meeting)
    allocation = year_end.allocation_post(actor=treasurer, allocation=allocation, date=meeting)
    paid_on = meeting + dt.timedelta(days=rng.randint(7, 21))
    if paid_on > end:
        return {"allocation": allocation.status}
    total = allocation.dividend + allocation.refund
    if plan.paid_how == YearEndAllocation.PaidHow.CASH and total:
        ledger.entry_post(actor=treasurer, organisation=organisation, date=paid_on, doc_type=DocumentType.JOURNAL,
                          memo=f"ถอนเงินฝากธนาคารจ่ายเงินปันผลและเงินเฉลี่ยคืนปี {to_be(fiscal_year)}",
                          lines=[ledger.Line(account=chart.CASH, debit=total),
                                 ledger.Line(account=chart.BANK, credit=total)], approval=approval)
    allocation = year_end.allocation_pay(actor=treasurer, allocation=allocation, how=plan.paid_how, date=paid_on)
    return {"allocation": allocation.status}
