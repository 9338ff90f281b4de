"""A worked example for the group reports: three groups' members and eighteen months of books,
written through the members and ledger services, some months closed (so figures come from
stored month-end balances as well as from lines), a year-end close, a reversed benefit.

Groups A (BDC) and B (MPA) sit in the southern zone, C (NGA) in the northern one, so the zone's
reports must add A and B up and leave C out.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from omboon.ledger import services as ledger
from omboon.ledger.services import Line
from omboon.members import services as members
from omboon.members.tests.helpers import row
from omboon.testing.factories import committee_approval

FIRST, LAST = (2023, 1), (2024, 6)
END = dt.date(2024, 6, 30)
CLOSED_THROUGH = {"BDC": (2024, 2), "MPA": (2023, 6), "NGA": None}
SIZES = {"BDC": 14, "MPA": 9, "NGA": 6}


def months(first=FIRST, last=LAST):
    y, m = first
    while (y, m) <= last:
        yield y, m
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)


@dataclass
class Built:
    members: dict[str, list] = field(default_factory=dict)
    reversed_entry: object = None


def build(tree, actor) -> Built:
    built = Built()
    offset = {"BDC": 0, "MPA": 100, "NGA": 200}
    for group in (tree.group_a, tree.group_b, tree.group_c):
        code = group.code
        people = []
        for i in range(SIZES[code]):
            n = offset[code] + i + 1
            # founders join at founding (2010-01-01); the rest through 2023 and 2024
            joined = dt.date(2010, 1, 1) if i < 4 else dt.date(2023, 1 + (i * 2) % 12, 1 + i) \
                if i < 10 else dt.date(2024, 1 + i % 5, 10)
            born = dt.date(1950 + (i * 7) % 60, 1 + i % 12, 1 + i)  # ages from about 5 to 74
            people.append(members.member_create(actor=actor, organisation=group,
                                                **row(n, join_date=joined, birth_date=born)))
        members.member_status_change(actor=actor, member=people[1], status="resigned", on=dt.date(2023, 8, 15))
        members.member_status_change(actor=actor, member=people[2], status="deceased", on=dt.date(2024, 3, 2))
        if len(people) > 12:
            members.member_status_change(actor=actor, member=people[12], status="expelled",
                                         on=dt.date(2024, 5, 31))
        built.members[code] = people

        k = offset[code] // 100 + 1
        approval = committee_approval(group, maker=actor)  # benefits paid as from approved vouchers
        for y, m in months():
            day = dt.date(y, m, 5)
            lines = [Line(account="1100", debit=0), Line(account="4300", credit=30_00 * SIZES[code] * k)]
            if m == 1:
                lines.append(Line(account="4200", credit=50_00 * SIZES[code]))
            if (y, m) in ((2023, 1), (2023, 5), (2024, 2), (2024, 4)):
                lines.append(Line(account="4100", credit=50_00 * (m + k)))
            lines[0].debit = sum(ln.credit for ln in lines[1:])
            ledger.entry_post(actor=actor, organisation=group, date=day, doc_type="receipt", lines=lines,
                              memo=f"เก็บเงิน {y}-{m:02d}")
            # benefits: one case of a rotating category most months; two in some
            for j, (account, amount) in enumerate(_benefits_of(y, m, k)):
                ledger.entry_post(actor=actor, organisation=group, date=dt.date(y, m, 10 + j), doc_type="payment",
                                  approval=approval,
                                  lines=[Line(account=account, debit=amount), Line(account="1100", credit=amount)],
                                  memo=f"จ่ายสวัสดิการ {account}")
            if m in (3, 9):
                ledger.entry_post(actor=actor, organisation=group, date=dt.date(y, m, 20), doc_type="payment",
                                  approval=approval,
                                  lines=[Line(account="5200", debit=120_00), Line(account="1100", credit=120_00)])
        ledger.entry_post(actor=actor, organisation=group, date=dt.date(2023, 4, 1), doc_type="receipt",
                          lines=[Line(account="1200", debit=20_000_00 * k), Line(account="4400", credit=15_000_00 * k),
                                 Line(account="4500", credit=4_000_00 * k), Line(account="4600", credit=1_000_00 * k)])
        ledger.entry_post(actor=actor, organisation=group, date=dt.date(2024, 4, 1), doc_type="receipt",
                          lines=[Line(account="1200", debit=123_45), Line(account="4700", credit=100_00),
                                 Line(account="4800", credit=23_45)])
        wrong = ledger.entry_post(actor=actor, organisation=group, date=dt.date(2023, 6, 25), doc_type="payment",
                                  approval=approval,
                                  lines=[Line(account="5130", debit=3_000_00), Line(account="1100", credit=3_000_00)],
                                  memo="จ่ายผิดราย")
        ledger.entry_reverse(actor=actor, entry=wrong, date=dt.date(2023, 6, 28), reason="จ่ายซ้ำ")
        if code == "BDC":
            built.reversed_entry = wrong
        last = CLOSED_THROUGH[code]
        if last:
            for y, m in months(FIRST, last):
                ledger.period_close(actor=actor, organisation=group, year=y, month=m, today=dt.date(2025, 1, 1))
    return built


def _benefits_of(y: int, m: int, k: int) -> list[tuple[str, int]]:
    rotation = ["5110", "5120", "5120", "5130", "5150", "5120"]
    out = [(rotation[(y * 12 + m) % len(rotation)], (500_00 if m % 2 else 400_00) * k)]
    if m in (2, 7, 11):
        out.append(("5120", 300_00))
    return out
