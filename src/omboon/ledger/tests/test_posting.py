"""Worked examples of posting: one bookkeeping scenario per test."""

import datetime as dt

import pytest

from omboon.core.errors import RuleViolation
from omboon.core.models import AuditEvent
from omboon.ledger import services
from omboon.ledger.models import Account, Fund, Immutable, JournalEntry, JournalLine
from omboon.ledger.services import Line

D = dt.date(2024, 3, 5)


def test_new_group_gets_the_standard_chart_and_a_default_fund(group, tree):
    codes = set(Account.objects.filter(organisation=group).values_list("code", flat=True))
    assert {"1100", "1200", "2100", "3300", "4300", "5130", "5200"} <= codes
    assert Fund.objects.get(organisation=group, is_default=True).code == "WEL"
    assert not Account.objects.filter(organisation=tree.zone).exists()  # networks keep no books


def test_collection_day_receipt(post, group):
    """Somchai pays his entry fee of 50 baht and 30 baht of one-baht-a-day savings."""
    entry = post(D, """
        Dr 1100 80
        Cr 4100 50
        Cr 4300 30
    """, doc_type="receipt", memo="ค่าสมัครและออมวันละบาท")
    assert entry.document_number == "RV2567/00001"
    assert entry.total == 8000
    assert [(ln.account.code, ln.debit, ln.credit) for ln in entry.lines.all()] == [
        ("1100", 8000, 0), ("4100", 0, 5000), ("4300", 0, 3000)]
    assert AuditEvent.objects.filter(action="ledger.entry_post", object_id=str(entry.pk)).count() == 1


def test_running_numbers_per_type_and_fiscal_year(post):
    r1 = post(D, "Dr 1100 10\nCr 4100 10", doc_type="receipt")
    p1 = post(D, "Dr 5200 5\nCr 1100 5", doc_type="payment")
    r2 = post(D, "Dr 1100 10\nCr 4100 10", doc_type="receipt")
    r3 = post(dt.date(2025, 1, 2), "Dr 1100 10\nCr 4100 10", doc_type="receipt")
    assert [r1.number, r2.number, p1.number, r3.number] == [1, 2, 1, 1]
    assert r3.document_number == "RV2568/00001"


def test_fiscal_year_named_by_the_year_it_ends(tree, treasurer):
    from omboon.testing.factories import make_group
    oct_group = make_group("OCT", "กลุ่มปีงบตุลาคม", fiscal_year_start_month=10)
    e = services.entry_post(actor=treasurer, organisation=oct_group, date=dt.date(2024, 10, 1),
                            doc_type="receipt", lines=[Line("1100", debit=100), Line("4100", credit=100)])
    assert e.fiscal_year == 2025 and e.document_number == "RV2568/00001"


def test_same_idempotency_key_posts_once(post):
    first = post(D, "Dr 1100 50\nCr 4100 50", key="receipt-77")
    again = post(D, "Dr 1100 50\nCr 4100 50", key="receipt-77")
    assert first.pk == again.pk
    assert JournalEntry.objects.count() == 1


@pytest.mark.parametrize(("text", "field"), [
    ("Dr 1100 50\nCr 4100 40", "lines"),   # unbalanced
    ("Dr 1100 50", "lines"),               # one line
    ("Dr 1100 0\nCr 4100 0", "amount"),    # zero lines
    ("Dr 9999 50\nCr 4100 50", "account"), # no such account
    ("Dr 1100 50\nCr 4100 50 NOPE", "fund"),
])
def test_refused_entries_name_the_problem_and_save_nothing(post, text, field):
    with pytest.raises(RuleViolation) as caught:
        post(D, text)
    assert field in {p.field for p in caught.value.problems}
    assert all(p.message_th and p.message_en for p in caught.value.problems)
    assert not JournalEntry.objects.exists()


def test_inactive_account_and_another_groups_account_are_refused(group, tree, treasurer):
    other_cash = Account.objects.get(organisation=tree.group_b, code="1100")
    with pytest.raises(RuleViolation) as caught:
        services.entry_post(actor=treasurer, organisation=group, date=D, doc_type="journal",
                            lines=[Line(other_cash, debit=100), Line("4100", credit=100)])
    assert "another group" in caught.value.problems[0].message_en
    services.account_create(actor=treasurer, organisation=group, code="5210", name_th="ค่าเครื่องเขียน",
                            standard_code="5200")
    Account.objects.filter(organisation=group, code="5210").update(is_active=False)
    with pytest.raises(RuleViolation) as caught:
        services.entry_post(actor=treasurer, organisation=group, date=D, doc_type="journal",
                            lines=[Line("5210", debit=100), Line("1100", credit=100)])
    assert "inactive" in caught.value.problems[0].message_en


def test_floats_are_refused(post, group, treasurer):
    with pytest.raises(RuleViolation):
        services.entry_post(actor=treasurer, organisation=group, date=D, doc_type="journal",
                            lines=[Line("1100", debit=10.5), Line("4100", credit=10.5)])


def test_mistake_is_corrected_by_a_reversing_entry_linked_both_ways(post, treasurer):
    wrong = post(D, "Dr 5200 500\nCr 1100 500", doc_type="payment", memo="ค่าถ่ายเอกสาร")
    reversal = services.entry_reverse(actor=treasurer, entry=wrong, date=dt.date(2024, 3, 6),
                                      reason="บันทึกผิดบัญชี")
    wrong = JournalEntry.objects.get(pk=wrong.pk)
    assert reversal.reverses == wrong and wrong.reversed_by == reversal
    assert [(ln.account.code, ln.debit, ln.credit) for ln in reversal.lines.all()] == [
        ("5200", 0, 50000), ("1100", 50000, 0)]
    with pytest.raises(RuleViolation):
        services.entry_reverse(actor=treasurer, entry=wrong, date=dt.date(2024, 3, 7), reason="อีกครั้ง")


def test_the_orm_refuses_to_change_a_posted_entry(post):
    entry = post(D, "Dr 1100 50\nCr 4100 50")
    entry.memo = "changed"
    with pytest.raises(Immutable):
        entry.save()
    with pytest.raises(Immutable):
        entry.delete()
    line = entry.lines.first()
    with pytest.raises(Immutable):
        line.save()
    with pytest.raises(Immutable):
        JournalLine.objects.filter(entry=entry).update(debit=1)
    with pytest.raises(Immutable):
        JournalEntry.objects.all().delete()
