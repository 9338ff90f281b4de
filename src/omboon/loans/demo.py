"""Demo lending: a village fund (กองทุนหมู่บ้าน) and a savings group lend to their members for the
years of the demo, through the loans services — apply (the treasurer), approve (the chair),
disburse, repay — so the pages, reports and network facts show a real portfolio: most
borrowers pay on time, some skip an instalment and catch up, or pay the last one months late
(arrears at the end), a few stop paying,
and the one longest overdue is written off (asked by the treasurer, approved by the chair).

- a village fund: its government capital of 1,000,000 baht in the founding month (Dr 1100,
  Cr 4400), then each March loans of 10,000–50,000 baht (two guarantors above 20,000) repaid in
  one yearly payment at 6% a year, flat;
- a savings group: every quarter loans "for production" of 3,000–30,000 baht (two guarantors
  above 10,000) at 1% a month on the declining balance, six monthly instalments rounded to
  10 baht — lent from the members' savings.

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
from omboon.ledger import chart
from omboon.ledger import services as ledger
from omboon.ledger.demo import history_approval
from omboon.loans import selectors, services
from omboon.loans.collection import due_by
from omboon.loans.models import Loan
from omboon.loans.schedule import Terms
from omboon.members.models import Member
from omboon.orgs.models import Organisation

CAPITAL = 1_000_000_00  # a village fund's government capital


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
        ledger.entry_post(actor=treasurer, organisation=organisation, date=start, doc_type="receipt",
                          memo="เงินทุนกองทุนหมู่บ้านจากรัฐบาล / the village fund's government capital",
                          lines=[ledger.Line(account=chart.CASH, debit=CAPITAL),
                                 ledger.Line(account=chart.STATE_MATCHING, credit=CAPITAL)],
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
    counts = {"loans": 0, "repayments": 0, "written_off": 0}
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
                                           guarantors=guarantors, applied_on=max(start, day - dt.timedelta(days=7)))
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
                    if paid_on <= end:
                        heapq.heappush(queue, (paid_on, order, "repay", loan.pk))
                        order += 1
                counts["loans"] += 1
            continue
        loan = loans[pk]
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
    return counts
