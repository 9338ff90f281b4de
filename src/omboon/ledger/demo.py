"""Demo books: a realistic history of vouchers (administration, bank deposits, donations,
matching grants, bank interest) with maker-checker approval, and month-end closes.

``omboon demo`` calls ``populate`` for each app that has one. The ledger closes months, so it
should run after every app that posts into those months (contributions, welfare, loans).
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable

from django.contrib.auth import get_user_model

from omboon.ledger import chart, rules, selectors, services
from omboon.ledger.models import Voucher
from omboon.ledger.services import Line
from omboon.orgs import scoping
from omboon.orgs import services as org_services
from omboon.orgs.models import Role, RoleAssignment

DONORS = ["วัดบ้านดอนไชย", "ร้านค้าชุมชน", "ผู้ใหญ่บ้าน", "คุณสมศรี ใจดี", "สหกรณ์การเกษตร", "ผ้าป่าสามัคคี"]
ADMIN = [("ค่าเครื่องเขียนและถ่ายเอกสาร", 150, 900), ("ค่าอาหารว่างประชุมกรรมการ", 300, 1200),
         ("ค่าไปรษณีย์และโทรศัพท์", 100, 400), ("ค่าเดินทางไปประชุมเครือข่าย", 200, 1500)]


def _months(start: dt.date, end: dt.date):
    y, m = start.year, start.month
    while (y, m) <= (end.year, end.month):
        yield y, m
        y, m = chart.next_month(y, m)


def _checker(organisation, actor):
    """Someone other than the maker who may approve in this group, if there is one."""
    if actor is None:
        return None
    for assignment in (RoleAssignment.objects.filter(organisation=organisation,
                                                     role__in=[Role.CHAIR, Role.COMMITTEE, Role.SECRETARY])
                       .exclude(user=actor).select_related("user").order_by("id")):
        if scoping.resolve(assignment.user, organisation).can(scoping.APPROVE):
            return assignment.user
    return None


def history_user(organisation, role):
    """The group's demo login of ``role`` without a password (``<role>-<code>.demo``), for a
    group whose history is built without its real people (the province-scale demo, a node)."""
    user, created = get_user_model().objects.get_or_create(username=f"{role}-{organisation.code.lower()}.demo")
    if created:  # named by role, as the audit trail and the vouchers show people by name
        user.set_unusable_password()
        user.first_name, user.last_name = str(role.label), "(ตัวอย่าง)"
        user.save(update_fields=["password", "first_name", "last_name"])
    org_services.role_grant(actor=None, user=user, organisation=organisation, role=role)
    return user


def history_approval(organisation) -> rules.Approval:
    """The demo's past payments were made by its treasurer and approved by its chair — two demo
    logins of the group (``history_user``)."""
    return rules.Approval(maker=history_user(organisation, Role.TREASURER),
                          approver=history_user(organisation, Role.CHAIR), what="demo.history")


class _Poster:
    def __init__(self, organisation, actor):
        self.organisation = organisation
        self.actor = actor
        self.checker = _checker(organisation, actor)
        self.can_vouch = (actor is not None and self.checker is not None
                          and scoping.resolve(actor, organisation).can(scoping.WRITE))

    def voucher(self, kind: str, day: dt.date, memo: str, lines: list[Line], counterparty: str = ""):
        if self.can_vouch:
            v = services.voucher_create(actor=self.actor, organisation=self.organisation, kind=kind, date=day,
                                        memo=memo, counterparty=counterparty, lines=lines)
            services.voucher_approve(actor=self.checker, voucher=v)
            return services.voucher_post(actor=self.actor, voucher=v).entry
        return services.entry_post(actor=self.actor, organisation=self.organisation, date=day, doc_type=kind,
                                   lines=lines, memo=memo, approval=history_approval(self.organisation))


def close_finished_months(*, organisation, actor, until: dt.date,
                          after_close: Callable[[int, int], object] | None = None) -> int:
    """Close every month, in order, that ended before ``until``; ``after_close(year, month)``
    once each is closed, before the next (what it posts lands in a month still open)."""
    closed = 0
    while True:
        nxt = services.next_period(organisation)
        if nxt is None or chart.month_end(*nxt) >= until:
            return closed
        services.period_close(actor=actor, organisation=organisation, year=nxt[0], month=nxt[1])
        closed += 1
        if after_close is not None:
            after_close(*nxt)


def populate(*, organisation, rng: random.Random, start: dt.date, end: dt.date, actor,
             after_close: Callable[[int, int], object] | None = None) -> dict:
    """A history of vouchers, then every finished month closed (``after_close`` as
    ``close_finished_months`` calls it: the demo's other apps' steps after a close)."""
    if not organisation.is_group:
        return {}
    poster = _Poster(organisation, actor)
    today = dt.date.today()
    posted = 0
    for year, month in _months(start, end):
        last = min(chart.month_end(year, month), end)
        first = max(dt.date(year, month, 1), start)
        if first > last:
            continue

        def day(first=first, last=last):
            return first + dt.timedelta(days=rng.randint(0, (last - first).days))

        cash_id = selectors.account_by_code(organisation, chart.CASH).pk
        cash = sum(v for (a, _f), v in selectors.balances(organisation, last).items() if a == cash_id)
        for memo, low, high in rng.sample(ADMIN, k=rng.randint(1, 2)):
            amount = rng.randint(low, high) * 100
            paid_from = chart.CASH if cash >= amount else chart.BANK  # a cheque when the cash box is short
            cash -= amount if paid_from == chart.CASH else 0
            poster.voucher(Voucher.Kind.PAYMENT, day(), memo,
                           [Line(chart.ADMINISTRATION, debit=amount), Line(paid_from, credit=amount)])
            posted += 1
        if rng.random() < 0.35:
            amount = rng.choice([500, 1000, 2000, 3000, 5000]) * 100
            donor = rng.choice(DONORS)
            poster.voucher(Voucher.Kind.RECEIPT, day(), f"เงินบริจาคจาก{donor}",
                           [Line(chart.CASH, debit=amount), Line(chart.DONATIONS, credit=amount)], donor)
            posted += 1
        if month == 3:
            amount = rng.randint(200, 1000) * 10000
            poster.voucher(Voucher.Kind.RECEIPT, day(), "เงินสมทบจากรัฐผ่าน พอช.",
                           [Line(chart.BANK, debit=amount), Line(chart.STATE_MATCHING, credit=amount)], "พอช.")
            posted += 1
        if month == 7 and rng.random() < 0.8:
            amount = rng.randint(50, 300) * 10000
            poster.voucher(Voucher.Kind.RECEIPT, day(), "เงินสมทบจากองค์การบริหารส่วนตำบล",
                           [Line(chart.BANK, debit=amount), Line(chart.LOCAL_MATCHING, credit=amount)], "อบต.")
            posted += 1
        if month in (6, 12):
            bank = sum(v for (a, _f), v in selectors.balances(organisation, last).items()
                       if a == selectors.account_by_code(organisation, chart.BANK).pk)
            interest = bank * 25 // 10000 // 2  # about 0.25 % a year, paid twice a year
            if interest > 0:
                poster.voucher(Voucher.Kind.RECEIPT, last, "ดอกเบี้ยเงินฝากธนาคาร",
                               [Line(chart.BANK, debit=interest), Line(chart.INTEREST_INCOME, credit=interest)],
                               "ธนาคาร")
                posted += 1
        if month in (3, 6, 9, 12):
            amount = rng.choice([1500, 2000, 3000]) * 100
            poster.voucher(Voucher.Kind.PAYMENT, last, "ค่าตอบแทนกรรมการรายไตรมาส",
                           [Line(chart.COMMITTEE_REMUNERATION, debit=amount), Line(chart.BANK, credit=amount)],
                           "คณะกรรมการ")
            posted += 1
        # Keep a float of 5,000 baht in the cash box; deposit the rest at the bank.
        cash = sum(v for (a, _f), v in selectors.balances(organisation, last).items() if a == cash_id)
        if cash > 500000:
            deposit = (cash - 500000) // 10000 * 10000
            if deposit:
                poster.voucher(Voucher.Kind.JOURNAL, last, "นำเงินสดฝากธนาคาร",
                               [Line(chart.BANK, debit=deposit), Line(chart.CASH, credit=deposit)], "ธนาคาร")
                posted += 1
    closed = close_finished_months(organisation=organisation, actor=actor, until=min(today, end + dt.timedelta(days=1)),
                                   after_close=after_close)
    return {"entries": posted, "months_closed": closed}
