"""``omboon loans``: the lifecycle from the command line, refused as the pages refuse."""

from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

from omboon.loans.models import Loan
from omboon.loans.tests.conftest import apply

pytestmark = pytest.mark.django_db


def run(*args) -> str:
    out = io.StringIO()
    call_command("loans", *args, stdout=out)
    return out.getvalue()


def test_the_lifecycle_from_the_command_line(fund):
    org, t, c = fund.group.code, fund.treasurer.username, fund.chair.username
    borrower = fund.members[0]
    assert "ยื่นคำขอแล้ว" in run("apply", "--org", org, "--by", t, "--member", borrower.number, "--product", "GEN",
                                 "--amount", "12,000", "--purpose", "ซื้อปุ๋ย", "--date", "05/01/2569")
    loan = Loan.objects.get()
    with pytest.raises(CommandError, match="cannot be the person who entered"):
        run("approve", "--org", org, "--by", t, "--loan", str(loan.number))
    run("approve", "--org", org, "--by", c, "--loan", str(loan.number))
    assert "paid out" in run("disburse", "--org", org, "--by", t, "--loan", str(loan.number), "--date", "2026-01-15")
    out = run("repay", "--org", org, "--by", t, "--loan", str(loan.number), "--amount", "1000", "--date", "2026-02-15")
    assert "ดอกเบี้ย 120.00 เงินต้น 880.00" in out
    listing = run("list", "--org", org)
    assert borrower.full_name in listing and "11,120.00" in listing and "disbursed" in listing


def test_the_list_names_its_columns_and_statuses_in_thai_then_english(fund):
    """As ``omboon savings`` and ``omboon year-end-allocation`` do: a heading in Thai with its
    English, a status in words with the code ``--status`` takes."""
    org, t = fund.group.code, fund.treasurer.username
    run("apply", "--org", org, "--by", t, "--member", fund.members[0].number, "--product", "GEN",
        "--amount", "12,000", "--purpose", "ซื้อปุ๋ย", "--date", "05/01/2569")
    heading, row = run("list", "--org", org, "--status", "all").splitlines()[:2]
    for words in ("เลขที่ / no.", "สมาชิก / member", "เงินต้น / principal", "คงค้าง / outstanding",
                  "ค้าง (วัน) / days overdue", "สถานะ / status"):
        assert words in heading
    assert row.rstrip().endswith("ยื่นคำขอ / applied")


def test_refusals_exit_with_the_problems(fund):
    org, t = fund.group.code, fund.treasurer.username
    with pytest.raises(CommandError, match="above the product's maximum"):
        run("apply", "--org", org, "--by", t, "--member", fund.members[0].number, "--product", "GEN",
            "--amount", "60000", "--purpose", "x")
    with pytest.raises(CommandError, match="--by"):
        run("approve", "--org", org, "--loan", "1")
    with pytest.raises(CommandError, match="no group"):
        run("list", "--org", "NOPE")
    assert not Loan.objects.exists()


def test_write_off_and_recovery_from_the_command_line(fund):
    from omboon.loans.models import Adjustment
    from omboon.loans.tests.conftest import disbursed

    org, t, c = fund.group.code, fund.treasurer.username, fund.chair.username
    loan = disbursed(fund)
    out = run("write-off", "--org", org, "--by", t, "--loan", str(loan.number), "--reason", "ย้ายออก",
              "--date", "2026-09-30")
    asked = Adjustment.objects.get()
    assert f"รายการ {asked.pk}" in out and "20,000.00" in out
    with pytest.raises(CommandError, match="second person approves"):
        run("approve-adjustment", "--org", org, "--by", t, "--loan", str(loan.number), "--adjustment", str(asked.pk))
    assert "approved and posted" in run("approve-adjustment", "--org", org, "--by", c, "--loan", str(loan.number),
                                        "--adjustment", str(asked.pk))
    with pytest.raises(CommandError, match="recovery instead"):
        run("repay", "--org", org, "--by", t, "--loan", str(loan.number), "--amount", "100", "--date", "2026-10-01")
    run("recover", "--org", org, "--by", t, "--loan", str(loan.number), "--amount", "500", "--reason", "คืน",
        "--date", "2026-10-01")
    rec = Adjustment.objects.get(kind="recover")
    assert "rejected" in run("reject-adjustment", "--org", org, "--by", c, "--loan", str(loan.number),
                             "--adjustment", str(rec.pk), "--reason", "ยังไม่ได้รับเงิน")
    assert "reversed" in run("reverse-adjustment", "--org", org, "--by", c, "--loan", str(loan.number),
                             "--adjustment", str(asked.pk), "--reason", "ผิด")


def test_a_reschedule_from_the_command_line(fund):
    from omboon.loans import services
    from omboon.loans.models import Reschedule
    from omboon.loans.tests.conftest import D, disbursed

    org, t, c = fund.group.code, fund.treasurer.username, fund.chair.username
    loan = disbursed(fund)
    services.loan_repay(actor=fund.treasurer, loan=loan, amount=1_775_00, date=D(2026, 2, 15))
    ask = ("reschedule", "--org", org, "--by", t, "--loan", str(loan.number), "--first-due", "2026-06-01",
           "--reason", "น้ำท่วม", "--date", "2026-05-01")
    with pytest.raises(CommandError, match="as the loan product allows"):
        run(*ask, "--term", "13")
    assert "18,425.00" in run(*ask, "--term", "12", "--rate", "6")
    r = Reschedule.objects.get()
    with pytest.raises(CommandError, match="cannot be the person who entered"):
        run("approve-reschedule", "--org", org, "--by", t, "--loan", str(loan.number), "--reschedule", str(r.pk))
    assert "nothing posted" in run("approve-reschedule", "--org", org, "--by", c, "--loan", str(loan.number),
                                   "--reschedule", str(r.pk))
    printed = run("schedules", "--org", org, "--loan", str(loan.number))
    assert "first schedule" in printed and "2026-03-15" in printed and "2026-06-01" in printed
    assert "follows its schedule before it" in run("reverse-reschedule", "--org", org, "--by", c, "--loan",
                                                   str(loan.number), "--reschedule", str(r.pk), "--reason", "ผิด")


def test_a_reschedule_with_new_terms_from_the_command_line(fund):
    """The terms a reschedule may change, as on the page and in the API: here a monthly loan goes
    weekly at a monthly rate, with two weeks' grace on principal, rounded to 5 baht."""
    from omboon.loans.models import Reschedule
    from omboon.loans.tests.conftest import disbursed

    loan = disbursed(fund)
    run("reschedule", "--org", fund.group.code, "--by", fund.treasurer.username, "--loan", str(loan.number),
        "--term", "12", "--rate", "1", "--per", "month", "--method", "declining", "--every", "week",
        "--grace-principal", "2", "--round", "5", "--first-due", "2026-06-08", "--reason", "ขายผลผลิตรายสัปดาห์",
        "--date", "2026-05-01")
    terms = Reschedule.objects.get().terms
    assert (terms["per"], terms["method"], terms["every"]) == ("month", "declining", "week")
    assert (terms["grace_principal"], terms["rounding"], terms["term"]) == (2, 500, 12)


def test_the_help_names_the_reschedule(capsys):
    with pytest.raises(SystemExit):
        call_command("loans", "--help")
    assert "reschedule (ปรับโครงสร้างหนี้) --loan N --term N" in " ".join(capsys.readouterr().out.split())


def test_an_application_reads_applied_in_english_not_a_welfare_claim(fund):
    """The loan's status and a welfare claim share the Thai word ยื่นคำขอ; in English a loan is
    "Applied" (its own context), never the claims' "New claim"."""
    loan = apply(fund)
    with translation.override("en"):
        assert loan.get_status_display() == "Applied"
    assert loan.get_status_display() == "ยื่นคำขอ"
