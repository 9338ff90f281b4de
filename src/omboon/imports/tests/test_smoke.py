from omboon.imports.tests.helpers import (
    MEMBER_HEADERS,
    PAYMENT_HEADERS,
    csv_bytes,
    member_rows,
    payment_rows,
    run_import,
)
from omboon.ledger.models import JournalLine
from omboon.members.models import Member


def test_members_then_payments(group, actor):
    checked, job = run_import(group, "members", csv_bytes(MEMBER_HEADERS, member_rows(30)), actor=actor)
    assert checked.problems == []
    assert Member.objects.filter(organisation=group).count() == 30
    checked, job = run_import(group, "payments", csv_bytes(PAYMENT_HEADERS, payment_rows(30, 3)), actor=actor,
                              batch_size=40)
    assert checked.problems == [], checked.problems[:3]
    assert job.status == "done" and job.committed_batches == 3
    assert JournalLine.objects.filter(organisation=group, account__code="4300").count() == 90
