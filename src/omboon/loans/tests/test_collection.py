"""The loans part of the collection day (``loans/collection.py``) when a borrower hands over more
than the loan owes (issue 17: "an overpayment is refused or credited to savings, never lost").

Worked examples on the savings group of ``savings/tests/conftest.py`` (SAJ compulsory สัจจะ, VOL
voluntary savings) lending 12,000 baht on 15 January 2024 (12 monthly instalments at 12% a
year); the day is 5 March 2024. The product OVER credits an overpayment to the borrower's
voluntary account; GEN refuses it."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db.models import Sum

from omboon.contributions import drafts, pdf, services
from omboon.contributions.models import Receipt
from omboon.core.errors import RuleViolation
from omboon.ledger import collection
from omboon.ledger.models import JournalLine
from omboon.ledger.services import Line, entry_post
from omboon.loans import selectors
from omboon.loans import services as loans
from omboon.loans.models import LoanProduct, Repayment
from omboon.loans.tests.conftest import TERMS
from omboon.savings import selectors as savings_selectors
from omboon.savings import services as savings
from omboon.savings.tests.conftest import START, make_savings_group
from omboon.testing.i18n import in_english

D = dt.date
LENT_ON, DAY = D(2024, 1, 15), D(2024, 3, 5)


@pytest.fixture
def sg(db):
    sg = make_savings_group()
    entry_post(actor=None, organisation=sg.group, date=D(2024, 1, 2), doc_type="receipt",
               lines=[Line(account="1100", debit=1_000_000_00), Line(account="4400", credit=1_000_000_00)])
    for code, over in (("GEN", False), ("OVER", True)):
        loans.product_create(actor=sg.chair, organisation=sg.group, code=code, name_th=f"เงินกู้ {code}", terms=TERMS,
                             max_amount=50_000_00, effective_from=D(2024, 1, 1), overpayment_to_savings=over)
    return sg


def lend(sg, code: str, i: int = 0, principal: int = 12_000_00):
    product = LoanProduct.objects.get(organisation=sg.group, code=code)
    loan = loans.loan_apply(actor=sg.treasurer, organisation=sg.group, member=sg.members[i], product=product,
                            principal=principal, purpose="ซื้อปุ๋ย", applied_on=LENT_ON)
    loans.loan_approve(actor=sg.chair, loan=loan)
    return loans.loan_disburse(actor=sg.treasurer, loan=loan, date=LENT_ON)


def open_accounts(sg, i: int = 0):
    return [savings.account_open(actor=sg.treasurer, organisation=sg.group, member=sg.members[i],
                                 product=sg.products[code], opened_on=START) for code in ("SAJ", "VOL")]


def post(sg, rows):
    return services.collection_day_post(actor=sg.treasurer, organisation=sg.group, date=DAY, rows=rows, today=DAY)


def net(qs) -> int:
    sums = qs.aggregate(d=Sum("debit"), c=Sum("credit"))
    return (sums["d"] or 0) - (sums["c"] or 0)


def test_an_overpayment_repays_the_loan_and_the_surplus_is_a_deposit_on_the_same_receipt(sg):
    """Somchai owes the whole loan and hands over 250 baht more, with his สัจจะ (100) and a
    deposit of his own (50) in the same row: the loan is repaid and closed, the 250 is deposited
    into his voluntary account beside his own 50, one receipt lists every part, one entry
    balances. Voided, every part of it stands no more — once."""
    saj, vol = open_accounts(sg)
    loan = lend(sg, "OVER")
    owed = selectors.still_owed(loan)
    handed = 31_00 + 100_00 + 50_00 + owed + 250_00
    day = post(sg, [{"member": sg.members[0].pk, "amount": "31", "parts": {
        "savings": {str(saj.pk): "100", str(vol.pk): "50"}, "loans": {str(loan.pk): owed + 250_00}}}])
    receipt = day.receipts.get()
    assert receipt.total == day.total == handed
    assert [(p.part, p.label_th, p.amount) for p in receipt.parts.all()] == [
        ("savings", f"ฝากเงินสัจจะ {saj.number}", 100_00),
        ("savings", f"ฝากเงินฝากออมทรัพย์ {vol.number}", 50_00),
        ("loans", f"ชำระเงินกู้สัญญา {loan.number}", owed),
        ("savings", f"ฝากเงินฝากออมทรัพย์ {vol.number} (ส่วนเกินชำระสัญญา {loan.number})", 250_00)]
    repayment = Repayment.objects.get(loan=loan)
    assert (repayment.amount, repayment.to_savings, repayment.principal) == (owed, 250_00, 12_000_00)
    loan.refresh_from_db()
    assert (loan.status, loan.closed_on) == ("closed", DAY)
    # the books: cash in is everything handed over; 1300 holds nothing of the loan; the account both deposits
    entry = receipt.entry
    assert net(entry.lines.filter(account__code="1100")) == handed
    assert net(entry.lines.all()) == 0
    assert net(JournalLine.objects.filter(organisation=sg.group, account__code="1300")) == 0
    assert savings_selectors.balance(vol) == 300_00 and savings_selectors.balance(saj) == 100_00
    assert net(JournalLine.objects.filter(sub_account=vol.sub_account)) == -300_00
    # the printed receipt lists the surplus as a deposit
    html = pdf.receipt_html(receipt, size="a5", for_pdf=False)
    assert f"ส่วนเกินชำระสัญญา {loan.number}" in html and "250.00" in html
    # voided: the loan owes everything again, and neither deposit stands (each line reversed once)
    services.receipt_void(actor=sg.treasurer, receipt=receipt, reason="ผิดคน", date=DAY)
    repayment.refresh_from_db()
    loan.refresh_from_db()
    assert repayment.reversal_id is not None and loan.status == "disbursed"
    assert selectors.outstanding_principal(loan) == 12_000_00 and selectors.still_owed(loan) == owed
    assert savings_selectors.balance(vol) == 0 and savings_selectors.balance(saj) == 0
    assert net(JournalLine.objects.filter(sub_account=vol.sub_account)) == 0
    assert net(JournalLine.objects.filter(organisation=sg.group, account__code="1300")) == 12_000_00
    assert net(JournalLine.objects.filter(organisation=sg.group)) == 0


def test_a_part_of_what_is_owed_and_an_overpayment_of_two_borrowers_in_one_sitting(sg):
    """One borrower pays an instalment, another 80 baht more than everything: each loan gets what
    it is owed, the surplus alone goes to savings, the day's total is what was handed over."""
    _saj, vol = open_accounts(sg)
    _saj1, vol1 = open_accounts(sg, 1)
    first, second = lend(sg, "OVER"), lend(sg, "OVER", 1, principal=3_000_00)
    instalment = selectors.schedule_of(first)[0].total
    owed = selectors.still_owed(second)
    day = post(sg, [{"member": sg.members[0].pk, "amount": "", "parts": {"loans": {str(first.pk): instalment}}},
                    {"member": sg.members[1].pk, "amount": "", "parts": {"loans": {str(second.pk): owed + 80_00}}}])
    assert day.total == instalment + owed + 80_00
    assert [(r.loan_id, r.amount, r.to_savings) for r in Repayment.objects.order_by("loan_id")] == [
        (first.pk, instalment, 0), (second.pk, owed, 80_00)]
    assert savings_selectors.balance(vol) == 0 and savings_selectors.balance(vol1) == 80_00
    assert net(JournalLine.objects.filter(organisation=sg.group, account__code="1300")) == (
        selectors.outstanding_principal(first) + selectors.outstanding_principal(second))


def test_an_overpayment_is_refused_by_row_and_field_where_the_product_or_the_borrower_cannot_take_it(sg):
    """GEN refuses any overpayment; OVER needs the borrower's voluntary account (the second member
    has only สัจจะ). Nothing is written."""
    open_accounts(sg)
    savings.account_open(actor=sg.treasurer, organisation=sg.group, member=sg.members[1], product=sg.products["SAJ"],
                         opened_on=START)
    general, over = lend(sg, "GEN"), lend(sg, "OVER", 1)
    with pytest.raises(RuleViolation) as refused:
        post(sg, [{"member": sg.members[0].pk, "amount": "",
                   "parts": {"loans": {str(general.pk): selectors.still_owed(general) + 1_00}}},
                  {"member": sg.members[1].pk, "amount": "",
                   "parts": {"loans": {str(over.pk): selectors.still_owed(over) + 1_00}}}])
    found = [(p.row, p.field, p.message_en) for p in refused.value.problems]
    assert [(row, field) for row, field, _ in found] == [(1, f"loans:{general.number}"), (2, f"loans:{over.number}")]
    assert "an overpayment is refused" in found[0][2]
    assert "no voluntary savings account for the surplus" in found[1][2]
    assert not Receipt.objects.exists() and not Repayment.objects.exists()


def test_the_confirmation_says_what_goes_to_savings_before_the_final_save(sg, client):
    """Saved in the draft, the overpayment is on the confirmation page — how much above what is
    owed, into which account — and nothing is in the books until the final save."""
    _saj, vol = open_accounts(sg)
    loan = lend(sg, "OVER")
    owed = selectors.still_owed(loan)
    client.force_login(sg.treasurer)
    url = f"/o/{sg.group.code}/contributions/collect/"
    m = sg.members[0].pk
    saved = client.post(url, {"date": "2024-03-05", "token": "k1", "m": [str(m)], f"paid-{m}": "1", f"amt-{m}": "",
                              f"pt-{m}-loans-{loan.pk}": f"{(owed + 120_00) / 100:.2f}"},
                        headers={"Accept": "application/json"}).json()
    assert (saved["count"], saved["total"], saved["problems"]) == (1, owed + 120_00, {})
    page = client.get(url + "confirm/?date=2024-03-05").content.decode()
    assert 'id="confirm-notices"' in page
    assert f"ชำระสัญญา {loan.number} เกินยอดค้าง 120.00 บาท เข้าบัญชีออมทรัพย์ {vol.number}" in page
    english = in_english(client, sg.treasurer).get(url + "confirm/?date=2024-03-05").content.decode()
    assert "Before you save, note:" in english
    assert f"120.00 baht above what loan {loan.number} owes goes to savings account {vol.number}" in english
    assert not Repayment.objects.exists()
    draft = drafts.selectors.open_draft(sg.group, DAY)
    drafts.collection_draft_post(actor=sg.treasurer, organisation=sg.group, draft=draft, count=1,
                                 total=owed + 120_00, today=DAY)
    assert savings_selectors.balance(vol) == 120_00 and Repayment.objects.get().to_savings == 120_00


def test_a_day_dated_before_a_later_repayment_takes_only_what_is_owed_now(sg):
    """The first instalment was repaid at the office on 1 March; a collection day dated 20
    February (entered late) asks for nothing of it and may take what the loan owes now, not that
    instalment again: the
    amount owed on 20 February is an overpayment — refused under GEN, the surplus credited under
    OVER. (The loans state machine found it: the loan had been repaid twice over.)"""
    _saj, vol = open_accounts(sg)
    general, over = lend(sg, "GEN"), lend(sg, "OVER")
    first = selectors.schedule_of(general)[0].total
    for loan in (general, over):
        loans.loan_repay(actor=sg.treasurer, loan=loan, amount=first, date=D(2024, 3, 1))
    as_then = selectors.still_owed(general) + first  # what was owed on 20 February

    def late_day(loan):
        row = {"member": sg.members[0].pk, "parts": {"loans": {str(loan.pk): as_then}}}
        return services.collection_day_post(actor=sg.treasurer, organisation=sg.group, date=D(2024, 2, 20), today=DAY,
                                            rows=[row])

    # the late day's list asks for nothing of the instalment already repaid (it is due by then, and settled)
    targets = collection.part("loans").targets(sg.group, [sg.members[0].pk], D(2024, 2, 20))[sg.members[0].pk]
    assert [t.due for t in targets] == [0, 0]
    with pytest.raises(RuleViolation, match="overpayment is refused"):
        late_day(general)
    late_day(over)
    repayment = Repayment.objects.filter(loan=over).latest("pk")
    assert (repayment.amount, repayment.to_savings) == (as_then - first, first)
    assert selectors.outstanding_principal(over) == 0 and savings_selectors.balance(vol) == first
    assert net(JournalLine.objects.filter(organisation=sg.group, account__code="1300")) == (
        selectors.outstanding_principal(general))


def test_a_receipt_is_voided_only_while_no_later_repayment_of_its_loans_stands(sg):
    """Somchai pays his first instalment on the collection day of 5 March and the second at the
    office on 10 April. Voiding the March receipt would leave April's payment allocated on top of
    a payment that no longer stands, so it is refused, naming the loan, as a single reversal is
    ("the latest first"), and nothing is written; once April's repayment is reversed the receipt
    is voided and the loan owes both instalments again."""
    open_accounts(sg)
    loan = lend(sg, "GEN")
    first, second = selectors.schedule_of(loan)[:2]
    post(sg, [{"member": sg.members[0].pk, "amount": "", "parts": {"loans": {str(loan.pk): first.total}}}])
    receipt = Receipt.objects.get()
    april = loans.loan_repay(actor=sg.treasurer, loan=loan, amount=second.total, date=D(2024, 4, 10))
    with pytest.raises(RuleViolation) as refused:
        services.receipt_void(actor=sg.chair, receipt=receipt, reason="ผิดคน", date=DAY)
    assert [(p.field, p.message_th, p.message_en) for p in refused.value.problems] == [
        ("repayment", f"สัญญา {loan.number}: กลับรายการชำระครั้งหลังสุดก่อน",
         f"loan {loan.number}: reverse the latest repayment first")]
    receipt.refresh_from_db()
    assert receipt.status == "issued" and Repayment.objects.filter(reversal__isnull=True).count() == 2
    loans.repayment_reverse(actor=sg.chair, repayment=april, reason="ผิดคน", date=D(2024, 4, 10))
    services.receipt_void(actor=sg.chair, receipt=receipt, reason="ผิดคน", date=DAY)
    assert not Repayment.objects.filter(reversal__isnull=True).exists()
    assert selectors.outstanding_principal(loan) == 12_000_00
    assert net(JournalLine.objects.filter(organisation=sg.group, account__code="1300")) == 12_000_00


def test_a_receipt_of_a_loan_written_off_since_is_not_voided_until_the_write_off_is_reversed(sg):
    """Somchai pays his first instalment on the collection day (5 March); in September what he
    still owes is written off. Voiding the March receipt now would put the instalment back on 1300
    of a loan the books no longer hold: refused, as reversing a single repayment is, nothing
    written. With the write-off reversed, the receipt is voided. (Before, the void went through and
    1300 held 1,000 baht of a loan written off.)"""
    loan = lend(sg, "GEN")
    first = selectors.schedule_of(loan)[0].total
    receipt = post(sg, [{"member": sg.members[0].pk, "parts": {"loans": {str(loan.pk): first}}}]).receipts.get()
    asked = loans.write_off_request(actor=sg.treasurer, loan=loan, reason="ย้ายออก", date=D(2024, 9, 30))
    write_off = loans.adjustment_approve(actor=sg.chair, adjustment=asked)
    lines = JournalLine.objects.filter(organisation=sg.group).count()
    with pytest.raises(RuleViolation) as refused:
        services.receipt_void(actor=sg.treasurer, receipt=receipt, reason="ผิดคน", date=D(2024, 10, 1))
    assert refused.value.problems[0].message("en") == (
        f"loan {loan.number}: the loan is written off: reverse the write-off first")
    receipt.refresh_from_db()
    assert receipt.status == Receipt.Status.ISSUED
    assert JournalLine.objects.filter(organisation=sg.group).count() == lines
    assert net(JournalLine.objects.filter(organisation=sg.group, account__code="1300")) == 0
    loans.adjustment_reverse(actor=sg.chair, adjustment=write_off, reason="ยังติดตามได้")
    services.receipt_void(actor=sg.treasurer, receipt=receipt, reason="ผิดคน", date=D(2024, 10, 1))
    assert selectors.outstanding_principal(loan) == 12_000_00 == net(
        JournalLine.objects.filter(organisation=sg.group, account__code="1300"))


def test_the_collect_page_row_says_what_goes_to_savings_as_soon_as_it_is_saved(sg, client):
    """Somchai's row: his loan (OVER) owes ``owed``; the treasurer types 120 baht more. The row's
    own save (the page's script, answered in JSON) says at once where the 120 goes, and so does
    the row when the page is shown again (from the draft) — in Thai on a Thai page, in English on
    an English one. A row that owes exactly what is typed says nothing."""
    _saj, vol = open_accounts(sg)
    loan, other = lend(sg, "OVER"), lend(sg, "OVER", 1)
    owed = selectors.still_owed(loan)
    client.force_login(sg.treasurer)
    url = f"/o/{sg.group.code}/contributions/collect/"
    m, n = sg.members[0].pk, sg.members[1].pk
    said = f"ชำระสัญญา {loan.number} เกินยอดค้าง 120.00 บาท เข้าบัญชีออมทรัพย์ {vol.number}"
    saved = client.post(url, {"date": "2024-03-05", "token": "k1", "m": [str(m), str(n)], f"paid-{m}": "1",
                              f"pt-{m}-loans-{loan.pk}": f"{(owed + 120_00) / 100:.2f}", f"paid-{n}": "1",
                              f"pt-{n}-loans-{other.pk}": f"{selectors.still_owed(other) / 100:.2f}"},
                        headers={"Accept": "application/json"}).json()
    assert saved["problems"] == {} and saved["notices"] == {str(m): [said]}
    page = client.get(url + "?date=2024-03-05").content.decode()
    assert 'class="row-notices note"' in page and said in page
    english = in_english(client, sg.treasurer).get(url + "?date=2024-03-05").content.decode()
    assert f"120.00 baht above what loan {loan.number} owes goes to savings account {vol.number}" in english
    assert said not in english and not Repayment.objects.exists()


def test_the_api_piece_and_draft_report_each_rows_surplus_and_where_it_goes(sg, client):
    """Over the API: the piece that saves Somchai's row answers with the surplus (satang) and
    the account it goes into, and the draft day says it again until it is posted."""
    _saj, vol = open_accounts(sg)
    loan = lend(sg, "OVER")
    owed = selectors.still_owed(loan)
    client.force_login(sg.treasurer)
    base = f"/api/v1/contributions/{sg.group.code}/collection-drafts/2024-03-05"
    piece = {"key": "api-1", "rows": [{"member_id": sg.members[0].pk, "amount": 0,
                                       "parts": [{"part": "loans", "ref": str(loan.pk), "amount": owed + 120_00}]}]}
    answer = client.post(base + "/pieces", piece, content_type="application/json")
    assert answer.status_code == 200, answer.content
    expected = {"part": "loans", "ref": str(loan.pk), "amount": 120_00, "into": vol.number,
                "message_th": f"ชำระสัญญา {loan.number} เกินยอดค้าง 120.00 บาท เข้าบัญชีออมทรัพย์ {vol.number}",
                "message_en": f"120.00 baht above what loan {loan.number} owes goes to savings account {vol.number}"}
    assert answer.json()["notices"] == {str(sg.members[0].pk): [expected]}
    assert client.get(base).json()["notices"] == {str(sg.members[0].pk): [expected]}


def test_the_command_prints_the_surplus_before_posting_and_in_its_dry_run(sg, tmp_path):
    """``omboon collection-day FILE``: a line repaying 120 baht more than the loan owes is named,
    with where the surplus goes, before anything is posted — in the dry run too."""
    import io

    from django.core.management import call_command

    _saj, vol = open_accounts(sg)
    loan = lend(sg, "OVER")
    owed = selectors.still_owed(loan)
    path = tmp_path / "day.csv"
    path.write_text("member,name,part,number,label,amount\n"
                    f"{sg.members[0].number},,loans,{loan.number},,{(owed + 120_00) / 100:.2f}\n", encoding="utf-8")
    out = io.StringIO()
    call_command("collection-day", str(path), org=sg.group.code, date="2024-03-05", user=sg.treasurer.username,
                 dry_run=True, stdout=out)
    said = (f"บรรทัด/line 2, {sg.members[0].number}: ชำระสัญญา {loan.number} เกินยอดค้าง 120.00 บาท "
            f"เข้าบัญชีออมทรัพย์ {vol.number} / 120.00 baht above what loan {loan.number} owes goes to savings "
            f"account {vol.number}")
    assert out.getvalue().splitlines()[0] == said and not Repayment.objects.exists()
    out = io.StringIO()
    call_command("collection-day", str(path), org=sg.group.code, date="2024-03-05", user=sg.treasurer.username,
                 stdout=out)
    assert out.getvalue().splitlines()[0] == said and Repayment.objects.get().to_savings == 120_00
