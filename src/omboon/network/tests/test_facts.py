"""Monthly facts: computed from raw records, written at close, forgotten at reopen."""

from __future__ import annotations

import calendar
import datetime as dt
from collections import Counter

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from omboon.ledger import services as ledger
from omboon.ledger.models import Period
from omboon.members.models import LEFT_STATUSES, Member
from omboon.network import facts, services
from omboon.network.models import FactMonth, MonthlyFact, year_month, ym_of
from omboon.network.tests.conftest import make_member

JAN, FEB, MAR = ym_of(2025, 1), ym_of(2025, 2), ym_of(2025, 3)


def _facts(org, ym, kind):
    return {f.key: (f.count, f.amount) for f in MonthlyFact.objects.filter(organisation=org, ym=ym, kind=kind)}


def _books(org, post):
    post(org, dt.date(2025, 1, 5), "Dr 1100 50\nCr 4100 50")
    post(org, dt.date(2025, 1, 5), "Dr 1100 365\nCr 4300 365")
    post(org, dt.date(2025, 1, 9), "Dr 1200 10000\nCr 4400 10000")
    post(org, dt.date(2025, 2, 3), "Dr 5130 3000\nCr 1100 300\nCr 1200 2700", doc_type="payment")
    post(org, dt.date(2025, 2, 4), "Dr 5120 500\nCr 1100 500", doc_type="payment")
    post(org, dt.date(2025, 2, 20), "Dr 1100 50\nCr 4200 50")


def test_members_by_status_sex_and_age_band_with_joins_and_leavers(group):
    make_member(group, sex="F", birth_date=dt.date(1964, 3, 10), join_date=dt.date(2024, 6, 1))
    make_member(group, sex="M", birth_date=dt.date(2005, 2, 15), join_date=dt.date(2025, 1, 20))
    make_member(group, sex="M", birth_date=dt.date(1940, 1, 1), join_date=dt.date(2010, 1, 1),
                status=Member.Status.DECEASED, status_date=dt.date(2025, 2, 11))
    make_member(group, join_date=dt.date(2025, 4, 1))  # joins after the range
    computed = facts.compute(group, JAN, FEB)
    by = {(f.ym, f.kind, f.key): f.count for f in computed}
    assert by[(JAN, "members", "active|F|60-69")] == 1
    assert by[(JAN, "members", "active|M|0-19")] == 1  # 19 until February's birthday
    assert by[(FEB, "members", "active|M|20-39")] == 1
    assert by[(JAN, "members", "active|M|80+")] == 1
    assert by[(FEB, "members", "deceased|M|80+")] == 1
    assert by[(JAN, "joins", "")] == 1 and (FEB, "joins", "") not in by
    assert by[(FEB, "leavers", "deceased")] == 1
    assert sum(n for (ym, kind, _), n in by.items() if ym == FEB and kind == "members") == 3


def _month_by_month(members, first: int, last: int) -> Counter:
    """The definition, member by member and month by month: status and completed years of
    age at each month's end, from the month the member joined."""
    out = Counter()
    for m in members:
        for ym in range(first, last + 1):
            year, month = year_month(ym)
            month_end = dt.date(year, month, calendar.monthrange(year, month)[1])
            if m.join_date > month_end:
                continue
            left = m.status in LEFT_STATUSES and m.status_date is not None
            status = m.status if (not left or m.status_date <= month_end) else Member.Status.ACTIVE
            age = month_end.year - m.birth_date.year - ((month_end.month, month_end.day)
                                                        < (m.birth_date.month, m.birth_date.day))
            out[(ym, f"{status}|{m.sex}|{facts.age_band(age)}")] += 1
    return out


people = st.lists(st.tuples(
    st.sampled_from([Member.Sex.FEMALE, Member.Sex.MALE]),
    st.sampled_from([Member.Status.ACTIVE, Member.Status.RESIGNED, Member.Status.DECEASED]),
    st.dates(min_value=dt.date(1935, 1, 1), max_value=dt.date(2024, 12, 31)),
    st.integers(min_value=0, max_value=12_000),  # days from birth to joining
    st.integers(min_value=1, max_value=3_000),  # days from joining to leaving
), min_size=1, max_size=12)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(people)
def test_members_by_month_agree_with_counting_month_by_month(group, rows):
    Member.objects.filter(organisation=group).delete()
    members = []
    for sex, status, born, to_join, to_leave in rows:
        joined = min(born + dt.timedelta(days=to_join), dt.date(2025, 12, 31))
        left = joined + dt.timedelta(days=to_leave) if status != Member.Status.ACTIVE else None
        members.append(make_member(group, sex=sex, status=status, birth_date=born, join_date=joined,
                                   status_date=left))
    first, last = ym_of(2020, 1), ym_of(2025, 12)
    computed = Counter({(f.ym, f.key): f.count for f in facts.compute(group, first, last) if f.kind == "members"})
    assert computed == _month_by_month(members, first, last)


def test_receipts_count_each_receipts_line_even_when_a_collection_day_shares_one_entry(group, post):
    # a collection day: three members' one-baht-a-day receipts in one entry of the books,
    # and one entry fee; then one of the receipts is voided (its line reversed)
    post(group, dt.date(2025, 1, 5), "Dr 1100 143\nCr 4300 31\nCr 4300 31\nCr 4300 31\nCr 4100 50")
    post(group, dt.date(2025, 1, 7), "Dr 4300 31\nCr 1100 31", doc_type="journal")
    computed = {(f.kind, f.key): (f.count, f.amount) for f in facts.compute(group, JAN, JAN)}
    assert computed[("receipt_type", "daily_saving")] == (2, 6_200)
    assert computed[("receipt_type", "entry_fee")] == (1, 5_000)


def test_receipts_benefits_flows_and_balances_from_standard_codes(group, post):
    _books(group, post)
    computed = {(f.ym, f.kind, f.key): (f.count, f.amount) for f in facts.compute(group, JAN, FEB)}
    assert computed[(JAN, "receipt_type", "entry_fee")] == (1, 5_000)
    assert computed[(JAN, "receipt_type", "daily_saving")] == (1, 36_500)
    assert computed[(JAN, "receipt_source", "state")] == (1, 1_000_000)
    assert computed[(FEB, "receipt_type", "annual_fee")] == (1, 5_000)
    assert computed[(FEB, "benefit", "death")] == (1, 300_000)
    assert computed[(FEB, "benefit", "sickness")] == (1, 50_000)
    assert computed[(JAN, "balance", "WEL|1100")] == (0, 41_500)
    assert computed[(FEB, "balance", "WEL|1100")] == (0, 41_500 - 30_000 - 50_000 + 5_000)
    assert computed[(FEB, "balance", "WEL|1200")] == (0, 1_000_000 - 270_000)
    assert computed[(FEB, "flow", "5130")] == (0, 300_000)


def test_a_reversed_benefit_is_no_case(group, post, treasurer):
    entry = post(group, dt.date(2025, 1, 10), "Dr 5110 500\nCr 1100 500", doc_type="payment")
    ledger.entry_reverse(actor=treasurer, entry=entry, date=dt.date(2025, 1, 12), reason="ซ้ำ")
    computed = {(f.kind, f.key): (f.count, f.amount) for f in facts.compute(group, JAN, JAN)}
    assert ("benefit", "childbirth") not in computed


def test_close_writes_facts_and_reopen_forgets_them(group, post, treasurer, chair_a):
    _books(group, post)
    ledger.period_close(actor=treasurer, organisation=group, year=2025, month=1,
                                 today=dt.date(2025, 3, 1))
    # The ledger announces the close inside its own transaction; the facts follow from it.
    assert _facts(group, JAN, "receipt_type")["entry_fee"] == (1, 5_000)
    month = FactMonth.objects.get(organisation=group, ym=JAN)
    assert month.closed_at == Period.objects.get(organisation=group, year=2025, month=1).closed_at
    ledger.period_close(actor=treasurer, organisation=group, year=2025, month=2, today=dt.date(2025, 3, 20))
    assert FactMonth.objects.filter(organisation=group).count() == 2
    ledger.period_reopen(actor=chair_a, organisation=group, year=2025, month=2, reason="แก้ไข")
    assert list(FactMonth.objects.filter(organisation=group).values_list("ym", flat=True)) == [JAN]
    assert not MonthlyFact.objects.filter(organisation=group, ym=FEB).exists()


def test_recompute_equals_facts_written_at_close(group, post, treasurer):
    _books(group, post)
    make_member(group)
    for month in (1, 2):
        ledger.period_close(actor=treasurer, organisation=group, year=2025, month=month, today=dt.date(2025, 4, 1))
        services.facts_write(actor=treasurer, organisation=group, year=2025, month=month)
    at_close = sorted(MonthlyFact.objects.filter(organisation=group)
                      .values_list("ym", "kind", "key", "count", "amount"))
    MonthlyFact.objects.all().delete()
    services.facts_recompute(actor=None, organisation=group)
    again = sorted(MonthlyFact.objects.filter(organisation=group).values_list("ym", "kind", "key", "count", "amount"))
    assert again == at_close and at_close
    assert set(FactMonth.objects.filter(organisation=group).values_list("source", flat=True)) == {"recompute"}


def _reads(captured) -> int:
    """Queries other than the batched inserts of the facts themselves."""
    return sum(1 for q in captured.captured_queries if not q["sql"].lstrip().upper().startswith("INSERT"))


def test_recompute_reads_with_a_constant_number_of_queries(group, post):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for i in range(30):
        make_member(group, join_date=dt.date(2024, 1 + i % 12, 1))
    _books(group, post)
    services.facts_recompute(actor=None, organisation=group, through=FEB)
    with CaptureQueriesContext(connection) as few:
        services.facts_recompute(actor=None, organisation=group, through=FEB)
    for i in range(200):
        make_member(group, join_date=dt.date(2023, 1 + i % 12, 2), sex="M")
    for day in range(1, 28):
        post(group, dt.date(2025, 1, day), "Dr 1100 1\nCr 4300 1")
    with CaptureQueriesContext(connection) as many:
        services.facts_recompute(actor=None, organisation=group, through=FEB)
    assert _reads(many) == _reads(few) <= 15


def test_recompute_command_reports_progress(tree, post, capsys):
    from django.core.management import call_command

    _books(tree.group_a, post)
    call_command("recompute_facts", "--org", "LP", "--from", "2025-01", "--through", "2025-02")
    out = capsys.readouterr().out
    assert "[1/3] BDC" in out and "[3/3]" in out and "done" in out
    assert FactMonth.objects.filter(organisation=tree.group_a, closed_at__isnull=True).count() == 2
