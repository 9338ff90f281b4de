"""The collection day as the treasurer's one sitting (issues 16 and 17): each member's row takes
the contribution, savings deposits and loan repayments, one receipt per member lists every part,
and the day posts as one journal entry — all or nothing, once.

Worked examples on the savings group of ``savings/tests/conftest.py`` (SAJ compulsory สัจจะ 100
baht a month, VOL voluntary savings); the parts come in through ``ledger.collection``, which
savings (and loans) register in their ``ready()``."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db.models import Sum
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from omboon.contributions import drafts, pdf, services
from omboon.contributions.models import CollectionDay, Receipt, ReceiptPart
from omboon.core.errors import RuleViolation
from omboon.ledger import collection
from omboon.ledger.models import JournalEntry, JournalLine
from omboon.members import services as member_services
from omboon.savings import selectors as savings_selectors
from omboon.savings import services as savings
from omboon.savings.tests.conftest import START, make_savings_group

D = dt.date
DAY = D(2024, 3, 5)


@pytest.fixture
def sg(db):
    return make_savings_group()


def accounts_of(sg, i=0):
    m = sg.members[i]
    saj = savings.account_open(actor=sg.treasurer, organisation=sg.group, member=m, product=sg.products["SAJ"],
                               opened_on=START)
    vol = savings.account_open(actor=sg.treasurer, organisation=sg.group, member=m, product=sg.products["VOL"],
                               opened_on=START)
    return saj, vol


def post(sg, rows, key=None, today=DAY):
    return services.collection_day_post(actor=sg.treasurer, organisation=sg.group, date=DAY, rows=rows,
                                        idempotency_key=key, today=today)


def texts(excinfo) -> list[str]:
    return [f"{p.row}|{p.field}|{p.message_th} / {p.message_en}" for p in excinfo.value.problems]


def test_savings_registers_its_part_of_the_collection_day(db):
    assert "savings" in [p.code for p in collection.parts()]


def test_the_compulsory_amount_of_the_month_is_pre_filled_and_voluntary_savings_left_blank(sg):
    saj, vol = accounts_of(sg)
    part = collection.part("savings")
    found = part.targets(sg.group, [sg.members[0].pk], DAY)[sg.members[0].pk]
    assert [(t.label_th, t.due, t.required) for t in found] == [
        (f"เงินสัจจะ {saj.number}", 100_00, True), (f"เงินฝากออมทรัพย์ {vol.number}", 0, False)]
    # 40 baht already deposited this month: 60 still due
    savings.deposit(actor=sg.treasurer, account=saj, amount=40_00, date=D(2024, 3, 1))
    assert part.targets(sg.group, [sg.members[0].pk], DAY)[sg.members[0].pk][0].due == 60_00


def test_one_receipt_lists_the_contribution_and_each_deposit_and_the_day_is_one_entry(sg):
    saj, vol = accounts_of(sg)
    saj2, _ = accounts_of(sg, 1)
    day = post(sg, [
        {"member": sg.members[0].pk, "amount": "31", "parts": {"savings": {str(saj.pk): "100", str(vol.pk): "50"}}},
        {"member": sg.members[1].pk, "amount": "", "parts": {"savings": {str(saj2.pk): "100"}}},
    ], key="day-1")
    first, second = Receipt.objects.filter(collection_day=day).order_by("number")
    assert (first.total, second.total, day.total, day.count) == (181_00, 100_00, 281_00, 2)
    assert [(p.label_th, p.amount) for p in first.parts.all()] == [
        (f"ฝากเงินสัจจะ {saj.number}", 100_00), (f"ฝากเงินฝากออมทรัพย์ {vol.number}", 50_00)]
    assert [(i.kind, i.amount) for i in first.items.all()] == [("daily_saving", 31_00)]
    assert not second.items.exists()  # a row of savings only
    entry = first.entry
    assert second.entry == entry and entry.total == 281_00
    by_account = dict(entry.lines.values("account__code").annotate(c=Sum("credit"), d=Sum("debit"))
                      .values_list("account__code", "c"))
    assert by_account == {"1100": 0, "4300": 31_00, "2100": 200_00, "2110": 50_00}
    assert savings_selectors.balances(sg.group) == {saj.pk: 100_00, vol.pk: 50_00, saj2.pk: 100_00,
                                                    _.pk: 0}
    # the printed receipt names every part, the total in Thai words and who took the money
    html = pdf.receipt_html(first, size="a5", for_pdf=False)
    assert saj.number in html and vol.number in html and "หนึ่งร้อยแปดสิบเอ็ดบาทถ้วน" in html
    assert "เหรัญญิก" in html and (sg.treasurer.get_full_name() or sg.treasurer.username) in html
    # the same day sent again (a double tap, a dropped connection): nothing twice
    assert post(sg, [{"member": sg.members[0].pk, "amount": "31"}], key="day-1") == day
    assert CollectionDay.objects.count() == 1 and savings_selectors.balance(saj) == 100_00


def test_bad_rows_name_the_row_and_the_field_and_nothing_is_written(sg):
    saj, vol = accounts_of(sg)
    saj1, _vol1 = accounts_of(sg, 1)
    saj2, _vol2 = accounts_of(sg, 2)
    savings.account_close(actor=sg.chair, account=vol, reason="ปิดตามคำขอ")
    member_services.member_status_change(actor=sg.chair, member=sg.members[2], status="resigned",
                                         on=D(2024, 2, 1))
    with pytest.raises(RuleViolation) as excinfo:
        post(sg, [
            {"member": sg.members[0].pk, "amount": "31", "parts": {"savings": {str(vol.pk): "50"}}},
            {"member": sg.members[1].pk, "amount": "", "parts": {"savings": {str(saj.pk): "100",
                                                                             str(saj1.pk): "สิบ"}}},
            {"member": sg.members[2].pk, "amount": "", "parts": {"savings": {str(saj2.pk): "100"}}},
        ])
    found = texts(excinfo)
    assert any(t.startswith(f"1|savings:{vol.number}|บัญชี {vol.number} ปิดแล้ว") for t in found), found
    assert any(t.startswith(f"2|savings:{saj.pk}|ไม่พบบัญชีเงินฝากนี้ของสมาชิก") for t in found), found
    assert any(t.startswith(f"2|savings:{saj1.pk}|") for t in found), found
    assert any(t.startswith("3|") and "has left" in t for t in found), found
    assert not JournalEntry.objects.filter(organisation=sg.group, doc_type="receipt").exists()
    assert not Receipt.objects.exists() and not ReceiptPart.objects.exists()


def test_the_draft_keeps_each_rows_parts_and_the_final_save_posts_them(sg):
    saj, vol = accounts_of(sg)
    rows = [{"member": sg.members[0].pk, "paid": True, "amount": "",
             "parts": {"savings": {str(saj.pk): "100", str(vol.pk): "20"}}}]
    piece = drafts.collection_draft_save(actor=sg.treasurer, organisation=sg.group, date=DAY, rows=rows,
                                         key="p1", today=DAY)
    assert (piece.count, piece.total, piece.problems) == (1, 120_00, {})
    again = drafts.collection_draft_save(actor=sg.treasurer, organisation=sg.group, date=DAY, rows=rows,
                                         key="p1", today=DAY)
    assert again.repeated and again.total == 120_00
    # a row that cannot be saved is named; the rest of the piece is kept
    savings.account_close(actor=sg.chair, account=vol, reason="ปิด")
    bad = drafts.collection_draft_save(actor=sg.treasurer, organisation=sg.group, date=DAY, key="p2", today=DAY,
                                       rows=[{**rows[0], "parts": {"savings": {str(vol.pk): "5"}}}])
    assert [p.message_en for p in bad.problems[sg.members[0].pk]] == [
        f"{sg.members[0].number} {sg.members[0].full_name}: account {vol.number} is closed (this row was not saved)"]
    assert bad.total == 120_00
    with pytest.raises(RuleViolation):  # the account closed since the row was saved: refused at the final save
        drafts.collection_draft_post(actor=sg.treasurer, organisation=sg.group, draft=piece.draft, count=1,
                                     total=120_00, today=DAY)
    assert not Receipt.objects.exists()
    drafts.collection_draft_save(actor=sg.treasurer, organisation=sg.group, date=DAY, key="p3", today=DAY,
                                 rows=[{**rows[0], "parts": {"savings": {str(saj.pk): "100"}}}])
    day = drafts.collection_draft_post(actor=sg.treasurer, organisation=sg.group, draft=piece.draft, count=1,
                                       total=100_00, today=DAY)
    assert day.total == 100_00 and savings_selectors.balance(saj) == 100_00
    assert drafts.collection_draft_post(actor=sg.treasurer, organisation=sg.group, draft=piece.draft, count=1,
                                        total=100_00, today=DAY) == day  # saved twice: once


def test_voiding_a_receipt_takes_back_its_deposits(sg):
    saj, _vol = accounts_of(sg)
    saj1, _ = accounts_of(sg, 1)
    day = post(sg, [{"member": sg.members[0].pk, "amount": "10", "parts": {"savings": {str(saj.pk): "100"}}},
                    {"member": sg.members[1].pk, "amount": "", "parts": {"savings": {str(saj1.pk): "100"}}}])
    first = day.receipts.order_by("number").first()
    services.receipt_void(actor=sg.treasurer, receipt=first, reason="รับผิดคน", date=DAY)
    assert savings_selectors.balance(saj) == 0 and savings_selectors.balance(saj1) == 100_00


def _ledger_balances(group) -> bool:
    agg = JournalLine.objects.filter(organisation=group).aggregate(d=Sum("debit"), c=Sum("credit"))
    return agg["d"] == agg["c"]


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=st.lists(st.tuples(st.integers(0, 500_00), st.integers(0, 300_00), st.integers(0, 300_00)),
                     min_size=1, max_size=3))
def test_the_days_receipts_are_the_sum_of_their_parts_and_the_ledger_balances(db, rows):
    grp = make_savings_group()
    given_rows, expected = [], {}
    for i, (contribution, to_saj, to_vol) in enumerate(rows):
        if not (contribution or to_saj or to_vol):
            continue
        saj, vol = accounts_of(grp, i)
        given_rows.append({"member": grp.members[i].pk, "amount": contribution,
                           "parts": {"savings": {str(saj.pk): to_saj, str(vol.pk): to_vol}}})
        expected[saj.pk], expected[vol.pk] = to_saj, to_vol
    if not given_rows:
        return
    day = post(grp, given_rows)
    receipts = list(Receipt.objects.filter(collection_day=day).prefetch_related("items", "parts"))
    for r in receipts:
        assert r.total == sum(i.amount for i in r.items.all()) + sum(p.amount for p in r.parts.all())
    assert day.total == sum(r.total for r in receipts) == sum(sum(r) for r in rows)
    cash = JournalLine.objects.filter(entry=receipts[0].entry, account__code="1100").aggregate(d=Sum("debit"))["d"]
    assert cash == day.total and _ledger_balances(grp.group)
    balances = savings_selectors.balances(grp.group)
    assert balances == expected


def test_the_page_shows_each_rows_parts_pre_filled_and_saves_a_piece_with_them(sg, client):
    saj, vol = accounts_of(sg)
    client.force_login(sg.treasurer)
    url = f"/o/{sg.group.code}/contributions/collect/"
    page = client.get(url + "?date=2024-03-05").content.decode()
    m = sg.members[0].pk
    assert f'name="pt-{m}-savings-{saj.pk}" id="pt-{m}-savings-{saj.pk}" value="100.00"' in page
    assert f'name="pt-{m}-savings-{vol.pk}" id="pt-{m}-savings-{vol.pk}" value=""' in page
    answer = client.post(url, {"date": "2024-03-05", "token": "k1", "m": [str(m)], f"paid-{m}": "1",
                               f"amt-{m}": "", f"pt-{m}-savings-{saj.pk}": "100", f"pt-{m}-savings-{vol.pk}": "๒๐"},
                         headers={"Accept": "application/json"}).json()
    assert (answer["count"], answer["total"], answer["problems"]) == (1, 120_00, {})
    page = client.get(url + "?date=2024-03-05").content.decode()
    assert 'value="20.00"' in page and "รวม <span>120.00</span> บาท" in page


# --- loan repayments ------------------------------------------------------------------------------

LOAN_DAY = D(2024, 1, 15)


def running_loan(sg, member_index=0, principal=12_000_00, on=LOAN_DAY):
    """A loan of 12 monthly instalments at 12% a year (declining balance, rounded to 5 baht),
    disbursed on 15 January 2024: the first instalment is due on 15 February."""
    from omboon.ledger.services import Line, entry_post
    from omboon.loans import services as loans
    from omboon.loans.tests.conftest import TERMS

    if not hasattr(sg, "loan_product"):
        entry_post(actor=None, organisation=sg.group, date=D(2024, 1, 2), doc_type="receipt",
                   lines=[Line(account="1100", debit=1_000_000_00), Line(account="4400", credit=1_000_000_00)])
        sg.loan_product = loans.product_create(actor=sg.chair, organisation=sg.group, code="GEN",
                                               name_th="เงินกู้สามัญ", terms=TERMS, max_amount=50_000_00,
                                               effective_from=D(2024, 1, 1))
    loan = loans.loan_apply(actor=sg.treasurer, organisation=sg.group, member=sg.members[member_index],
                            product=sg.loan_product, principal=principal, purpose="ซื้อปุ๋ย", applied_on=on)
    loans.loan_approve(actor=sg.chair, loan=loan)
    return loans.loan_disburse(actor=sg.treasurer, loan=loan, date=on)


def test_loans_pre_fill_what_is_due_on_the_day_and_one_receipt_splits_the_repayment(sg):
    from omboon.loans import selectors as loan_selectors
    from omboon.loans.models import Repayment

    saj, _vol = accounts_of(sg)
    loan = running_loan(sg)
    instalments = loan_selectors.schedule_of(loan)
    first = instalments[0]
    assert first.due == D(2024, 2, 15) and first.interest == 120_00  # 12,000 × 1% a month
    [target] = collection.part("loans").targets(sg.group, [sg.members[0].pk], DAY)[sg.members[0].pk]
    assert (target.label_th, target.due) == (f"เงินกู้สัญญา {loan.number}", first.total)  # one instalment due by 5 March
    day = post(sg, [{"member": sg.members[0].pk, "amount": "31",
                     "parts": {"savings": {str(saj.pk): "100"}, "loans": {str(loan.pk): target.due}}}], key="d")
    receipt = day.receipts.get()
    assert receipt.total == 31_00 + 100_00 + first.total
    part = receipt.parts.get(part="loans")
    assert part.detail == {"interest": 120_00, "principal": first.principal}
    [repayment] = Repayment.objects.filter(loan=loan)
    assert (repayment.entry_id, repayment.interest, repayment.principal) == (receipt.entry_id, 120_00, first.principal)
    assert loan_selectors.outstanding_principal(loan) == 12_000_00 - first.principal
    lines = dict(receipt.entry.lines.exclude(account__code="1100").values_list("account__code", "credit"))
    assert lines == {"4300": 31_00, "2100": 100_00, "1300": first.principal, "4710": 120_00}
    html = pdf.receipt_html(receipt, size="a5", for_pdf=False)
    assert "ดอกเบี้ย 120.00" in html and f"เงินต้น {first.principal / 100:,.2f}" in html
    # voided: the repayment stands no more, and the loan owes it again
    services.receipt_void(actor=sg.treasurer, receipt=receipt, reason="ผิดคน", date=DAY)
    repayment.refresh_from_db()
    assert repayment.reversal_id is not None
    assert loan_selectors.outstanding_principal(loan) == 12_000_00


def test_a_penalty_charged_is_owed_on_the_collection_day_and_paid_first(sg):
    """A fine of 50 baht for the instalment of 15 February, unpaid on 5 March: the day pre-fills
    the instalment and the fine, and paying everything owed pays the fine first (4720) and closes
    the loan with nothing left — the penalty never vanishes with a loan repaid "in full"."""
    from decimal import Decimal

    from omboon.loans import selectors as loan_selectors
    from omboon.loans import services as loans
    from omboon.loans.schedule import Terms
    from omboon.loans.tests.conftest import TERMS

    running_loan(sg, member_index=1)  # the fund and the product GEN
    loans.product_version_create(actor=sg.chair, product=sg.loan_product, effective_from=D(2024, 1, 10),
                                 terms=Terms(**{**TERMS.as_dict(), "rate": TERMS.rate, "penalty_rate": Decimal(0),
                                                "penalty_fine": 50_00}),
                                 max_amount=50_000_00)
    loan = running_loan(sg)
    first = loan_selectors.schedule_of(loan)[0]
    assert loans.penalty_charge(actor=sg.treasurer, loan=loan, date=DAY).amount == 50_00
    [target] = collection.part("loans").targets(sg.group, [sg.members[0].pk], DAY)[sg.members[0].pk]
    assert target.due == first.total + 50_00
    owed = loan_selectors.still_owed(loan)
    receipt = post(sg, [{"member": sg.members[0].pk, "amount": "", "parts": {"loans": {str(loan.pk): owed}}}]
                   ).receipts.get()
    assert receipt.parts.get(part="loans").detail["penalty"] == 50_00
    assert receipt.entry.lines.get(account__code="4720").credit == 50_00
    loan.refresh_from_db()
    assert (loan.status, loan_selectors.penalty_owed(loan), loan_selectors.outstanding_principal(loan)) == (
        "closed", 0, 0)


def test_an_overpayment_a_closed_loan_and_another_members_loan_are_refused_by_row_and_field(sg):
    from omboon.loans import selectors as loan_selectors

    loan = running_loan(sg)
    other = running_loan(sg, member_index=1, principal=1_000_00)
    owed = loan_selectors.still_owed(other)
    post(sg, [{"member": sg.members[1].pk, "amount": "", "parts": {"loans": {str(other.pk): owed}}}])
    other.refresh_from_db()
    assert other.status == "closed"  # repaid in full on the collection day
    with pytest.raises(RuleViolation) as excinfo:
        services.collection_day_post(actor=sg.treasurer, organisation=sg.group, date=D(2024, 3, 6), today=D(2024, 3, 6),
                                     rows=[{"member": sg.members[0].pk, "amount": "",
                                            "parts": {"loans": {str(loan.pk): 99_999_00}}},
                                           {"member": sg.members[1].pk, "amount": "",
                                            "parts": {"loans": {str(other.pk): 10_00, str(loan.pk): 10_00}}}])
    found = texts(excinfo)
    assert any(t.startswith(f"1|loans:{loan.number}|สัญญา {loan.number}: ชำระเกินยอดค้าง") and "overpayment is refused"
               in t for t in found), found
    assert any(t.startswith(f"2|loans:{other.number}|") and "status now: closed" in t for t in found), found
    assert any(t.startswith(f"2|loans:{loan.pk}|ไม่พบสัญญาเงินกู้นี้ของสมาชิก") for t in found), found
    assert Receipt.objects.filter(date=D(2024, 3, 6)).count() == 0
    assert loan_selectors.outstanding_principal(loan) == 12_000_00


def test_the_command_writes_the_days_list_pre_filled_and_posts_it_edited(sg, tmp_path):
    import csv

    from django.core.management import call_command
    from django.core.management.base import CommandError

    saj, vol = accounts_of(sg)
    path = tmp_path / "day.csv"
    call_command("collection-day", org=sg.group.code, date="05/03/2567", template=True, output=str(path))
    lines = list(csv.DictReader(path.open(encoding="utf-8-sig")))
    mine = [(ln["part"], ln["number"], ln["amount"]) for ln in lines if ln["member"] == sg.members[0].number]
    assert mine[1:] == [("savings", saj.number, "100.00"), ("savings", vol.number, "")]
    for ln in lines:  # only the first member pays: the contribution and the compulsory savings
        if ln["member"] != sg.members[0].number or ln["part"] == "contribution":
            ln["amount"] = "31" if ln["member"] == sg.members[0].number else ""
    with path.open("w", encoding="utf-8-sig", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=list(lines[0]))
        writer.writeheader()
        writer.writerows(lines)
    call_command("collection-day", str(path), org=sg.group.code, date="2024-03-05", user=sg.treasurer.username,
                 dry_run=True)
    assert not Receipt.objects.exists()
    call_command("collection-day", str(path), org=sg.group.code, date="2024-03-05", user=sg.treasurer.username,
                 key="cli-1")
    receipt = Receipt.objects.get()
    assert receipt.total == 131_00 and savings_selectors.balance(saj) == 100_00
    savings.account_close(actor=sg.chair, account=vol, reason="ปิด")
    lines[2]["amount"] = "5"  # the voluntary account, closed since
    with path.open("w", encoding="utf-8-sig", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=list(lines[0]))
        writer.writeheader()
        writer.writerows(lines)
    with pytest.raises(CommandError, match=f"line 4, savings:{vol.number}"):
        call_command("collection-day", str(path), org=sg.group.code, date="2024-03-05", user=sg.treasurer.username)


@settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(shares=st.lists(st.tuples(st.integers(0, 100_00), st.floats(0, 1)), min_size=1, max_size=2))
def test_with_loans_each_receipt_is_its_parts_and_each_loan_owes_what_it_did_less_its_principal(db, shares):
    from omboon.loans import selectors as loan_selectors
    from omboon.loans.models import Repayment

    grp = make_savings_group()
    rows, loans = [], []
    for i, (contribution, fraction) in enumerate(shares):
        loan = running_loan(grp, i, principal=3_000_00)
        owed = loan_selectors.still_owed(loan)
        repay = int(owed * fraction)
        loans.append((loan, repay))
        if contribution or repay:
            rows.append({"member": grp.members[i].pk, "amount": contribution,
                         "parts": {"loans": {str(loan.pk): repay}}})
    if not rows:
        return
    day = post(grp, rows)
    receipts = list(Receipt.objects.filter(collection_day=day).prefetch_related("items", "parts"))
    for r in receipts:
        assert r.total == sum(i.amount for i in r.items.all()) + sum(p.amount for p in r.parts.all())
        for p in r.parts.all():
            assert p.amount == sum(p.detail.values())
    assert day.total == sum(r.total for r in receipts) and _ledger_balances(grp.group)
    for loan, repay in loans:
        paid = Repayment.objects.filter(loan=loan).aggregate(p=Sum("principal"), a=Sum("amount"))
        assert (paid["a"] or 0) == repay
        assert loan_selectors.outstanding_principal(loan) == 3_000_00 - (paid["p"] or 0)
    lent = JournalLine.objects.filter(organisation=grp.group, account__code="1300").aggregate(
        d=Sum("debit"), c=Sum("credit"))
    assert lent["d"] - lent["c"] == sum(loan_selectors.outstanding_principal(loan) for loan, _ in loans)


def test_the_api_takes_a_rows_parts_and_the_receipt_lists_them(sg, client):
    saj, _vol = accounts_of(sg)
    loan = running_loan(sg)
    client.force_login(sg.treasurer)
    answer = client.post(f"/api/v1/contributions/{sg.group.code}/collection-days", content_type="application/json",
                         data={"date": "2024-03-05", "idempotency_key": "api-1", "rows": [
                             {"member_id": sg.members[0].pk, "amount": 31_00, "parts": [
                                 {"part": "savings", "ref": str(saj.pk), "amount": 100_00},
                                 {"part": "loans", "ref": str(loan.pk), "amount": 1_000_00}]}]})
    assert answer.status_code == 201, answer.content
    receipt = client.get(f"/api/v1/contributions/{sg.group.code}/receipts").json()["items"][0]
    assert [(p["part"], p["amount"]) for p in receipt["parts"]] == [("savings", 100_00), ("loans", 1_000_00)]
    assert receipt["total"] == 1_131_00
    refused = client.post(f"/api/v1/contributions/{sg.group.code}/collection-days", content_type="application/json",
                          data={"date": "2024-03-05", "rows": [{"member_id": sg.members[0].pk, "parts": [
                              {"part": "loans", "ref": str(loan.pk), "amount": 99_999_00}]}]})
    assert refused.status_code == 422 and refused.json()["errors"][0]["field"] == f"loans:{loan.number}"


def test_a_repayment_of_the_collection_day_is_undone_by_its_receipt_not_alone(sg):
    from omboon.loans import services as loans
    from omboon.loans.models import Repayment

    loan = running_loan(sg)
    post(sg, [{"member": sg.members[0].pk, "amount": "", "parts": {"loans": {str(loan.pk): 500_00}}}])
    with pytest.raises(RuleViolation, match="void the member's receipt instead"):
        loans.repayment_reverse(actor=sg.chair, repayment=Repayment.objects.get(loan=loan), reason="ผิด")


def test_a_written_off_loan_takes_no_repayment_on_the_collection_day(sg):
    from omboon.loans import services as loans

    loan = running_loan(sg)
    adjustment = loans.write_off_request(actor=sg.treasurer, loan=loan, reason="ย้ายถิ่น ติดต่อไม่ได้")
    loans.adjustment_approve(actor=sg.chair, adjustment=adjustment)
    loan.refresh_from_db()
    assert loan.status == "written_off"
    with pytest.raises(RuleViolation) as excinfo:
        post(sg, [{"member": sg.members[0].pk, "amount": "", "parts": {"loans": {str(loan.pk): 100_00}}}])
    found = texts(excinfo)
    assert any(t.startswith(f"1|loans:{loan.number}|") and "written" in t for t in found), found


def test_the_days_page_lists_each_receipts_parts(sg, client):
    saj, _vol = accounts_of(sg)
    day = post(sg, [{"member": sg.members[0].pk, "amount": "31", "parts": {"savings": {str(saj.pk): "100"}}}])
    client.force_login(sg.treasurer)
    page = client.get(f"/o/{sg.group.code}/contributions/collect/{day.pk}/").content.decode()
    assert f"ฝากเงินสัจจะ {saj.number} 100.00" in page


def test_after_a_reschedule_the_day_pre_fills_the_new_schedule_and_a_counted_receipt_stays(sg):
    """Rescheduled on 20 February (12 new instalments from 1 March), the loan owes on 5 March
    the new first instalment — with February's unpaid interest (120 baht) kept in it. A receipt
    whose repayment the next reschedule counted is not voided until that reschedule is reversed."""
    from omboon.loans import selectors as loan_selectors
    from omboon.loans import services as loans
    from omboon.loans.models import Repayment

    loan = running_loan(sg)
    r = loans.reschedule_request(actor=sg.treasurer, loan=loan, term=12, first_due=D(2024, 3, 1), reason="น้ำท่วม",
                                 date=D(2024, 2, 20))
    loans.reschedule_approve(actor=sg.chair, reschedule=r)
    loan.refresh_from_db()
    new_first = loan_selectors.schedule_of(loan)[0]
    assert new_first.due == D(2024, 3, 1) and new_first.interest == 120_00 + 120_00
    [target] = collection.part("loans").targets(sg.group, [sg.members[0].pk], DAY)[sg.members[0].pk]
    assert target.due == new_first.total
    receipt = post(sg, [{"member": sg.members[0].pk, "amount": "",
                         "parts": {"loans": {str(loan.pk): target.due}}}]).receipts.get()
    again = loans.reschedule_request(actor=sg.treasurer, loan=loan, term=6, first_due=D(2024, 4, 6), reason="แล้งต่อ",
                                     date=D(2024, 3, 6))
    loans.reschedule_approve(actor=sg.chair, reschedule=again)
    with pytest.raises(RuleViolation) as refused:
        services.receipt_void(actor=sg.treasurer, receipt=receipt, reason="ผิดคน", date=D(2024, 3, 6))
    assert "reverse the reschedule first" in refused.value.problems[0].message_en
    receipt.refresh_from_db()
    assert receipt.status != Receipt.Status.VOID and Repayment.objects.get(loan=loan).reversal_id is None
    loans.reschedule_reverse(actor=sg.chair, reschedule=again, reason="ตกลงกันใหม่")
    services.receipt_void(actor=sg.treasurer, receipt=receipt, reason="ผิดคน", date=D(2024, 3, 6))
    assert Repayment.objects.get(loan=loan).reversal_id is not None
