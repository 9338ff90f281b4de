"""The member registry over time, for reports: each member's (group, sex, birth, joined, left)
read once (``member_facts``), from which the members at any date, those who joined and left in
a period and the age bands are counted without another query."""

from __future__ import annotations

import bisect
import datetime as dt
from dataclasses import dataclass

from django.db.models.functions import Coalesce

from omboon.members.models import LEFT_STATUSES, Member
from omboon.orgs import scoping
from omboon.orgs.models import Organisation
from omboon.reports.selectors import EARLIEST, Month, groups_of, month_end

MEMBER_STATUSES = (Member.Status.ACTIVE, *LEFT_STATUSES)  # "applied" is not yet a member
AGE_BANDS = [  # CODI's bands: (key, Thai, English, from age, to age inclusive)
    ("children", "เด็กและเยาวชน (0–17 ปี)", "Children (0–17)", 0, 17),
    ("working", "วัยทำงาน (18–59 ปี)", "Working age (18–59)", 18, 59),
    ("elderly", "ผู้สูงอายุ (60 ปีขึ้นไป)", "Elderly (60+)", 60, 200),
]


@dataclass
class MemberFacts:
    """Each member's (group, sex, birth, joined, left) in scope, from one query; counts at any
    date are computed from it. "Applied" members are not yet members and are left out."""

    rows: list[tuple[int, str, dt.date, dt.date, dt.date | None, str]]
    founding: dict[int, dt.date]  # group id → founding date

    def __post_init__(self) -> None:
        self._joins = sorted(joined for _o, _s, _b, joined, _l, _st in self.rows)
        self._lefts = sorted(max(left, joined) for _o, _s, _b, joined, left, _st in self.rows
                             if left is not None)

    def at(self, day: dt.date) -> int:
        """Members on the register at the end of ``day`` (one who left on ``day`` is gone)."""
        return bisect.bisect_right(self._joins, day) - bisect.bisect_right(self._lefts, day)

    def at_founding(self) -> int:
        """Each group's members at its own founding, added up."""
        return sum(1 for org, _s, _b, joined, left, _st in self.rows
                   if org in self.founding and joined <= self.founding[org]
                   and (left is None or left > self.founding[org]))

    def joined(self, start: dt.date | None, end: dt.date) -> int:
        return sum(1 for org, _s, _b, joined, _l, _st in self.rows
                   if joined <= end and (joined > self.founding.get(org, EARLIEST) if start is None
                                         else joined >= start))

    def left(self, start: dt.date | None, end: dt.date) -> dict[str, int]:
        out = {s.value if hasattr(s, "value") else s: 0 for s in LEFT_STATUSES}
        for org, _s, _b, _j, left, status in self.rows:
            if left is None or left > end:
                continue
            if (start is None and left > self.founding.get(org, EARLIEST)) or (start and left >= start):
                out[status] += 1
        return out

    def series(self, months: list[Month]) -> list[int]:
        """Members at each month's end."""
        return [self.at(month_end(m)) for m in months]

    def by_age_and_sex(self, day: dt.date) -> dict[str, dict[str, int]]:
        """Members at ``day`` by CODI's age band and sex."""
        out = {key: {"M": 0, "F": 0} for key, *_ in AGE_BANDS}
        for _o, sex, born, joined, left, _st in self.rows:
            if joined > day or (left is not None and left <= day):
                continue
            age = day.year - born.year - ((day.month, day.day) < (born.month, born.day))
            for key, _th, _en, lo, hi in AGE_BANDS:
                if lo <= age <= hi:
                    out[key][sex] = out[key].get(sex, 0) + 1
                    break
        return out


def member_facts(organisation: Organisation) -> MemberFacts:
    rows = (scoping.in_scope(Member.objects.all(), organisation)
            .filter(status__in=MEMBER_STATUSES)
            .annotate(left_on=Coalesce("status_date", "join_date"))
            .values_list("organisation_id", "sex", "birth_date", "join_date", "left_on", "status")
            .order_by())
    facts = []
    for org, sex, born, joined, left_on, status in rows:
        facts.append((org, sex, born, joined, left_on if status in LEFT_STATUSES else None, status))
    founding = {}
    for g in groups_of(organisation):
        day = g.founded_on or min((j for o, _s, _b, j, _l, _st in facts if o == g.pk), default=None)
        if day:
            founding[g.pk] = day
    return MemberFacts(facts, founding)


def joined_and_left(organisation: Organisation, start: dt.date, end: dt.date) -> tuple[list[Member], list[Member]]:
    """The members who joined, and who left, in [start, end] (for the meeting's minutes)."""
    base = scoping.in_scope(Member.objects.all(), organisation).select_related("organisation")
    joined = base.filter(status__in=MEMBER_STATUSES, join_date__gte=start, join_date__lte=end)
    left = base.filter(status__in=LEFT_STATUSES).annotate(left_on=Coalesce("status_date", "join_date")).filter(
        left_on__gte=start, left_on__lte=end)
    return list(joined.order_by("organisation__path", "join_date", "number")), \
        list(left.order_by("organisation__path", "left_on", "number"))
