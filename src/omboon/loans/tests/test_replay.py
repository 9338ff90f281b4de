"""A back-dated correction replays nothing after it: allocation fills one fixed sequence
(penalty, then each instalment's interest and principal oldest first) from what was settled
in total, so it is additive — the order the money came in does not change the totals. A
back-dated repayment allocated on today's totals, the later repayments left as they stand,
gives the same penalty, interest and principal on the books (1300, 4710, 4720) as replaying
every repayment from the start in date order (issue 17, item 3). (Each later repayment's own
split can differ from a full replay's; the books' totals cannot.)"""

import datetime as dt
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from omboon.loans.allocation import Parts, allocate, owed
from omboon.loans.reschedule import continued
from omboon.loans.schedule import Terms, build
from omboon.testing.properties import examples

TERMS = Terms(method="declining", rate=Decimal(12), per="year", every="month", term=12, rounding=500)
SCHEDULE = build(TERMS, 20_000_00, dt.date(2026, 1, 15))


def replay(amounts: list[int], penalty: int) -> Parts:
    """Every repayment from the start, each allocated on what the ones before it settled."""
    settled = Parts()
    for amount in amounts:
        settled = settled + allocate(SCHEDULE, settled, amount, penalty=penalty - settled.penalty)
    return settled


@settings(max_examples=examples(60), deadline=None)
@given(amounts=st.lists(st.integers(1, 3_000_00), min_size=1, max_size=8), penalty=st.integers(0, 500_00),
       back=st.integers(0, 7), data=st.data())
def test_a_back_dated_repayment_replays_only_from_its_date(amounts, penalty, back, data):
    total = sum(amounts)
    if total > owed(SCHEDULE, Parts(), penalty=penalty):
        amounts = amounts[:1]
    late = data.draw(st.integers(1, 2_000_00))
    back = min(back, len(amounts))
    # The books as kept: the repayments as they came, then a back-dated one allocated on the
    # total settled (nothing after its date is touched) ...
    kept = replay(amounts, penalty)
    if late > owed(SCHEDULE, kept, penalty=penalty - kept.penalty):
        return
    kept = kept + allocate(SCHEDULE, kept, late, penalty=penalty - kept.penalty)
    # ... equals a full replay with the back-dated one in its place by date.
    full = replay([*amounts[:back], late, *amounts[back:]], penalty)
    assert kept == full
    assert min(kept.penalty, kept.interest, kept.principal) >= 0 and kept.penalty <= penalty


RESCHEDULED_ON, NEW_TERMS = dt.date(2026, 6, 1), Terms(method="declining", rate=Decimal(6), per="year",
                                                       every="month", term=18, rounding=100)


def replay_on(schedule, amounts: list[int], settled: Parts) -> Parts:
    """Repayments in date order, each allocated on what the ones before it settled."""
    for amount in amounts:
        settled = settled + allocate(schedule, settled, amount)
    return settled


@settings(max_examples=examples(40), deadline=None)
@given(before=st.lists(st.integers(1, 3_000_00), max_size=4), after=st.lists(st.integers(1, 3_000_00), max_size=6),
       late=st.integers(1, 2_000_00), back=st.integers(0, 6))
def test_after_a_reschedule_a_back_dated_repayment_still_equals_a_full_replay(before, after, late, back):
    """A reschedule on 1 June puts what is still owed on a new schedule (``reschedule.continued``
    of the parts settled by then); a repayment back-dated among those after it, allocated on
    today's totals, gives the same parts as replaying every repayment from the start — the
    ones before the reschedule on the old schedule, the rest on the new one."""
    if sum(before) >= owed(SCHEDULE, Parts()):
        before = before[:1]
    settled = replay_on(SCHEDULE, before, Parts())
    current = continued(SCHEDULE, settled, RESCHEDULED_ON, NEW_TERMS, dt.date(2026, 7, 1))
    assert sum(i.principal for i in current) == 20_000_00
    if sum(after) + late > owed(current, settled):
        return
    kept = replay_on(current, after, settled)
    kept = kept + allocate(current, kept, late)
    back = min(back, len(after))
    full = replay_on(current, [*after[:back], late, *after[back:]], replay_on(SCHEDULE, before, Parts()))
    assert kept == full
    assert min(kept.interest, kept.principal) >= 0 and kept.principal <= 20_000_00
