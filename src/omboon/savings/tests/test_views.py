"""The savings pages as the treasurer, the chair and a member use them: open an account,
deposit (checked, then confirmed in baht and Thai words), ask for a withdrawal and have a
second person approve it, reverse, post interest from a preview, and a member reading only
their own accounts."""

from __future__ import annotations

import datetime as dt

import pytest

from omboon.ledger import services as ledger_services
from omboon.orgs.models import Role
from omboon.savings import passbook, selectors, services
from omboon.savings.models import Account, InterestRun, PassbookPrint, Withdrawal
from omboon.savings.tests.conftest import START
from omboon.testing.factories import make_user

pytestmark = pytest.mark.django_db

DAY = dt.date(2024, 2, 10)


def _open(sg, product="VOL", member=0):
    return services.account_open(actor=sg.treasurer, organisation=sg.group, member=sg.members[member],
                                 product=sg.products[product], opened_on=START)


def url(sg, tail=""):
    return f"/o/{sg.group.code}/savings/{tail}"


def test_the_treasurer_opens_an_account_and_finds_it_in_the_list(sg, client):
    client.force_login(sg.treasurer)
    member = sg.members[0]
    r = client.post(url(sg, "accounts/new/"), {"member": member.number, "product": sg.products["VOL"].pk,
                                               "opened_on": "01/01/2567"})
    account = Account.objects.get(member=member)
    assert r.status_code == 302 and r.url == url(sg, f"accounts/{account.pk}/")
    page = client.get(url(sg, f"?q={member.number}")).content.decode()
    assert account.number in page and "/savings/accounts/new/" in page
    assert client.get(url(sg, "?status=closed")).content.decode().count(account.number) == 0

    again = client.post(url(sg, "accounts/new/"), {"member": member.number, "product": sg.products["VOL"].pk})
    assert again.status_code == 422 and Account.objects.filter(member=member).count() == 1


def test_a_deposit_is_confirmed_in_baht_and_words_then_posted_once(sg, client):
    account = _open(sg)
    client.force_login(sg.treasurer)
    deposit = url(sg, f"accounts/{account.pk}/deposit/")
    check = client.post(deposit, {"amount": "1,250.50", "date": "10/02/2567", "paid": "cash"})
    assert check.status_code == 200 and "หนึ่งพันสองร้อยห้าสิบบาทห้าสิบสตางค์" in check.content.decode()
    assert selectors.balance(account) == 0  # nothing moved yet
    token = check.context["token"]
    form = {"amount": "1,250.50", "date": "10/02/2567", "paid": "cash", "action": "confirm", "token": token}
    done = client.post(deposit, form, follow=True)
    assert selectors.balance(account) == 125_050
    assert "ใบเสร็จ RV" in done.content.decode() or "ใบเสร็จ" in done.content.decode()
    client.post(deposit, form)  # the same confirmation twice: one deposit
    assert selectors.balance(account) == 125_050


@pytest.mark.parametrize("amount, field", [("0", "amount"), ("-5", "amount"), ("abc", "amount")])
def test_a_bad_amount_is_a_problem_and_nothing_moves(sg, client, amount, field):
    account = _open(sg)
    client.force_login(sg.treasurer)
    r = client.post(url(sg, f"accounts/{account.pk}/deposit/"), {"amount": amount, "action": "confirm"})
    assert r.status_code == 422 and field in [p.field for p in r.context["problems"]]
    assert selectors.balance(account) == 0


def test_no_deposit_to_a_closed_account_nor_for_a_member_who_left(sg, client):
    account = _open(sg)
    services.account_close(actor=sg.treasurer, account=account, reason="ย้ายออก")
    client.force_login(sg.treasurer)
    r = client.post(url(sg, f"accounts/{account.pk}/deposit/"), {"amount": "100", "action": "confirm"})
    assert r.status_code == 422 and "ปิดแล้ว" in r.content.decode()

    other = _open(sg, member=1)
    member = sg.members[1]
    member.status = "resigned"
    member.save(update_fields=["status"])
    r = client.post(url(sg, f"accounts/{other.pk}/deposit/"), {"amount": "100", "action": "confirm"})
    assert r.status_code == 422 and "พ้นสภาพ" in r.content.decode()
    assert selectors.balance(other) == 0


def test_a_withdrawal_waits_for_a_second_person_who_approves_it(sg, client):
    account = _open(sg)
    services.deposit(actor=sg.treasurer, account=account, amount=1_000_00, date=DAY)
    client.force_login(sg.treasurer)
    withdraw = url(sg, f"accounts/{account.pk}/withdraw/")
    over = client.post(withdraw, {"amount": "2000", "date": "11/02/2567", "action": "confirm"})
    assert over.status_code == 422 and not Withdrawal.objects.exists()
    check = client.post(withdraw, {"amount": "300", "date": "11/02/2567"})
    assert "สามร้อยบาทถ้วน" in check.content.decode() and not Withdrawal.objects.exists()
    client.post(withdraw, {"amount": "300", "date": "11/02/2567", "action": "confirm"})
    w = Withdrawal.objects.get()
    assert w.status == "requested" and selectors.balance(account) == 1_000_00

    # The one who entered it is offered no approve button, and cannot approve it by hand.
    page = client.get(url(sg, "withdrawals/")).content.decode()
    assert f"/withdrawals/{w.pk}/approve/" not in page
    assert client.post(url(sg, f"withdrawals/{w.pk}/approve/")).status_code == 422

    client.force_login(sg.chair)
    assert f"/withdrawals/{w.pk}/approve/" in client.get(url(sg, "withdrawals/")).content.decode()
    done = client.post(url(sg, f"withdrawals/{w.pk}/approve/"), follow=True)
    w.refresh_from_db()
    assert w.status == "paid" and w.entry.document_number in done.content.decode()
    assert selectors.balance(account) == 1_000_00 - 300_00 - 10_00  # the voluntary product's fee


def test_a_fixed_deposit_withdrawn_early_shows_its_early_interest_before_the_confirmation(sg, client):
    account = _open(sg, "FIX")  # 12 months at 3%, 1% if withdrawn early
    services.deposit(actor=sg.treasurer, account=account, amount=1_000_00, date=START)
    client.force_login(sg.treasurer)
    # 1% of 1,000 baht for 182 of 366 days (1 January–30 June 2024): 497.26… satang → 4.97 baht
    check = client.post(url(sg, f"accounts/{account.pk}/withdraw/"), {"amount": "1000", "date": "01/07/2567"})
    page = check.content.decode()
    assert "พร้อมดอกเบี้ยเงินฝากประจำ 4.97 บาท" in page and "ถอนก่อนครบกำหนด" in page
    client.post(url(sg, f"accounts/{account.pk}/withdraw/"),
                {"amount": "1000", "date": "01/07/2567", "action": "confirm"})
    assert Withdrawal.objects.get().interest == 4_97
    assert "ดอกเบี้ย 4.97" in client.get(url(sg, "withdrawals/")).content.decode()


def test_a_rejection_needs_a_reason(sg, client):
    account = _open(sg)
    services.deposit(actor=sg.treasurer, account=account, amount=1_000_00, date=DAY)
    w = services.withdrawal_request(actor=sg.treasurer, account=account, amount=100_00, date=DAY)
    client.force_login(sg.chair)
    assert client.post(url(sg, f"withdrawals/{w.pk}/reject/"), {"reason": ""}).status_code == 422
    client.post(url(sg, f"withdrawals/{w.pk}/reject/"), {"reason": "ไม่ครบเงื่อนไข"})
    w.refresh_from_db()
    assert w.status == "rejected"


def test_a_deposit_is_undone_by_a_reversal_unless_the_money_is_gone(sg, client):
    account = _open(sg)
    first = services.deposit(actor=sg.treasurer, account=account, amount=500_00, date=DAY)
    client.force_login(sg.chair)
    page = client.get(url(sg, f"accounts/{account.pk}/")).content.decode()
    assert first.document_number in page and 'id="reverse-form"' in page
    r = client.post(url(sg, f"accounts/{account.pk}/reverse/"), {"entry": first.pk, "reason": "ลงผิดบัญชี"},
                    follow=True)
    assert selectors.balance(account) == 0 and "กลับรายการแล้ว" in r.content.decode()
    again = client.post(url(sg, f"accounts/{account.pk}/reverse/"), {"entry": first.pk, "reason": "ซ้ำ"})
    assert again.status_code == 422 and selectors.balance(account) == 0

    second = services.deposit(actor=sg.treasurer, account=account, amount=500_00, date=DAY)
    w = services.withdrawal_request(actor=sg.treasurer, account=account, amount=300_00, date=DAY)
    services.withdrawal_approve(actor=sg.chair, withdrawal=w)
    refused = client.post(url(sg, f"accounts/{account.pk}/reverse/"), {"entry": second.pk, "reason": "ผิด"})
    assert refused.status_code == 422 and "ติดลบ" in refused.content.decode()


def test_interest_is_previewed_then_posted_once_and_not_in_a_closed_month(sg, client):
    account = _open(sg)
    services.deposit(actor=sg.treasurer, account=account, amount=10_000_00, date=START)
    client.force_login(sg.treasurer)
    preview = client.get(url(sg, "interest/?through=30/06/2567"))
    assert preview.status_code == 200
    (period,) = preview.context["pending"]
    assert period.total > 0 and len(period.due) == 1 and 'id="interest-confirm"' in preview.content.decode()
    assert not InterestRun.objects.exists()
    done = client.post(url(sg, "interest/"), {"through": "30/06/2567"}, follow=True)
    run = InterestRun.objects.get()
    assert run.total == period.total and run.entry.document_number in done.content.decode()
    client.post(url(sg, "interest/"), {"through": "30/06/2567"})
    assert InterestRun.objects.count() == 1

    for year, month in [(2024, m) for m in range(1, 13)]:
        ledger_services.period_close(actor=sg.chair, organisation=sg.group, year=year, month=month)
    closed = client.get(url(sg, "interest/?through=31/12/2567"))
    assert closed.context["blocked"] and 'id="interest-confirm"' not in closed.content.decode()
    assert client.post(url(sg, "interest/"), {"through": "31/12/2567"}).status_code == 422


def test_a_member_sees_only_their_own_accounts(sg, client):
    mine, theirs = _open(sg, member=0), _open(sg, member=1)
    user = make_user(sg.group, Role.MEMBER)
    member = sg.members[0]
    member.user = user
    member.save(update_fields=["user"])
    client.force_login(user)
    page = client.get(url(sg)).content.decode()
    assert mine.number in page and theirs.number not in page
    assert client.get(url(sg, f"accounts/{mine.pk}/")).status_code == 200
    assert client.get(url(sg, f"accounts/{theirs.pk}/")).status_code == 404
    assert 'id="deposit-form"' not in client.get(url(sg, f"accounts/{mine.pk}/")).content.decode()
    assert client.get(url(sg, "withdrawals/")).status_code == 403


def test_products_show_their_versions(sg, client):
    product = sg.products["SAJ"]
    services.product_version_create(actor=sg.chair, product=product, effective_from=dt.date(2025, 1, 1),
                                    monthly_amount=200_00, withdrawals_a_year=1, withdrawal_max_percent=50)
    client.force_login(sg.treasurer)
    assert "SAJ" in client.get(url(sg, "products/")).content.decode()
    page = client.get(url(sg, f"products/{product.pk}/")).content.decode()
    assert "200.00" in page and "100.00" in page


def test_the_passbook_prints_only_new_lines_on_the_next_free_line(sg, client):
    account = _open(sg)
    for amount in (100_00, 200_00, 300_00):
        services.deposit(actor=sg.treasurer, account=account, amount=amount, date=DAY)
    client.force_login(sg.treasurer)
    page = client.get(url(sg, f"accounts/{account.pk}/passbook/"))
    assert page.context["new"] == 3 and 'id="print-new"' in page.content.decode()

    first = client.post(url(sg, f"accounts/{account.pk}/passbook/print/"))
    assert first["Content-Type"] == "application/pdf" and first.content[:5] == b"%PDF-"
    assert account.passbook_print.lines_printed == 3

    services.deposit(actor=sg.treasurer, account=account, amount=50_00, date=DAY)
    book = passbook.book(account)
    assert [r.deposit for r in book.new_rows] == [50_00] and book.next_position == 4
    client.post(url(sg, f"accounts/{account.pk}/passbook/print/"))
    printed = PassbookPrint.objects.get(account=account)
    assert printed.lines_printed == 4 and printed.last_line_id == book.rows[-1].line_id
    nothing = client.post(url(sg, f"accounts/{account.pk}/passbook/print/"), follow=True)
    assert "ไม่มีรายการใหม่" in nothing.content.decode()
    assert client.get(url(sg, f"accounts/{account.pk}/passbook.pdf")).content[:5] == b"%PDF-"


def test_a_full_page_turns_to_the_next(sg):
    rows = passbook.placed([passbook.Row(1, i, DAY, "deposit", 1, 0, i, "", "") for i in range(1, 4)],
                           passbook.LINES_PER_PAGE - 1)
    assert [(r.page, r.line) for r in rows] == [(1, passbook.LINES_PER_PAGE - 1), (1, passbook.LINES_PER_PAGE),
                                                (2, 1)]


def test_a_statement_of_any_period_brings_the_balance_forward(sg, client):
    account = _open(sg)
    services.deposit(actor=sg.treasurer, account=account, amount=100_00, date=DAY)
    services.deposit(actor=sg.treasurer, account=account, amount=40_00, date=dt.date(2024, 3, 5))
    client.force_login(sg.treasurer)
    r = client.get(url(sg, f"accounts/{account.pk}/statement/?start=01/03/2567&end=31/03/2567"))
    assert r.context["brought"] == 100_00 and r.context["closing"] == 140_00 and len(r.context["lines"]) == 1
    pdf = client.get(url(sg, f"accounts/{account.pk}/statement.pdf?start=01/03/2567&end=31/03/2567"))
    assert pdf.content[:5] == b"%PDF-"
    bad = client.get(url(sg, f"accounts/{account.pk}/statement/?start=31/03/2567&end=01/03/2567"))
    assert bad.status_code == 422


def test_a_member_reads_their_own_passbook_but_does_not_print_it(sg, client):
    account = _open(sg)
    services.deposit(actor=sg.treasurer, account=account, amount=100_00, date=DAY)
    user = make_user(sg.group, Role.MEMBER)
    member = sg.members[0]
    member.user = user
    member.save(update_fields=["user"])
    client.force_login(user)
    page = client.get(url(sg, f"accounts/{account.pk}/passbook/")).content.decode()
    assert "100.00" in page and 'id="print-new"' not in page
    assert client.post(url(sg, f"accounts/{account.pk}/passbook/print/")).status_code == 403


def test_the_preview_of_two_periods_is_what_gets_posted(sg):
    """The second half-year earns on the first one's interest too, in the preview as when posted."""
    account = _open(sg)
    services.deposit(actor=sg.treasurer, account=account, amount=10_000_00, date=START)
    preview = [p.total for p in services.interest_pending(sg.group, dt.date(2024, 12, 31))]
    runs = services.interest_post(actor=sg.chair, organisation=sg.group, through=dt.date(2024, 12, 31))
    assert preview == [r.total for r in runs] and preview[1] > preview[0]


def test_a_deposit_back_dated_into_a_closed_month_is_refused(sg, client):
    account = _open(sg)
    services.deposit(actor=sg.treasurer, account=account, amount=100_00, date=START)
    ledger_services.period_close(actor=sg.chair, organisation=sg.group, year=2024, month=1)
    client.force_login(sg.treasurer)
    r = client.post(url(sg, f"accounts/{account.pk}/deposit/"), {"amount": "50", "date": "15/01/2567"})
    assert r.status_code == 422 and "date" in [p.field for p in r.context["problems"]]
    assert selectors.balance(account) == 100_00


def test_the_member_page_leads_to_the_members_savings(sg, client):
    account = _open(sg)
    client.force_login(sg.treasurer)
    page = client.get(f"/o/{sg.group.code}/members/{sg.members[0].pk}/").content.decode()
    assert f"/o/{sg.group.code}/savings/?member={sg.members[0].pk}" in page
    assert account.number in client.get(url(sg, f"?member={sg.members[0].pk}&status=all")).content.decode()


def test_a_shared_entry_of_a_collection_day_is_not_reversed_from_the_account(sg, client):
    """The day's one receipt holds other members' money: the member's receipt is voided instead."""
    from omboon.ledger import chart

    account = _open(sg)
    day = ledger_services.entry_post(
        actor=sg.treasurer, organisation=sg.group, date=DAY, doc_type="receipt", memo="วันเก็บเงิน",
        source=("contributions.collectionday", 1),
        lines=[ledger_services.Line(account=chart.CASH, debit=150_00),
               ledger_services.Line(account=account.sub_account.account, credit=100_00,
                                    sub_account=account.sub_account),
               ledger_services.Line(account=chart.SAVINGS_FEES, credit=50_00)])
    assert services.movements_reversible(account) == []
    client.force_login(sg.chair)
    r = client.post(url(sg, f"accounts/{account.pk}/reverse/"), {"entry": day.pk, "reason": "ผิด"})
    assert r.status_code == 422 and "ยกเลิกใบเสร็จของสมาชิกแทน" in r.content.decode()
    assert selectors.balance(account) == 100_00
