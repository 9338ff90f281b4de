"""Liens on a borrower's own savings or shares, and collateral, on a loan application (issue 17
item 3): a worked example of a village fund whose member Somchai pledges 5,000 baht of his
voluntary savings (อายัดเงินฝากค้ำประกัน) for a loan of 20,000 baht.

The lien holds from the application on: savings refuses a withdrawal, a close, a share
transfer, a reversal or a payout that would take the account below it (``ledger.holdings``,
which loans fills). It follows the loan: an application or an approved loan holds the whole
pledge; once disbursed, at most the outstanding principal; a written-off loan what is still
to recover; nothing once the loan is rejected, withdrawn or closed."""

from __future__ import annotations

import datetime as dt

import pytest

from omboon.core.errors import RuleViolation
from omboon.ledger import holdings
from omboon.loans import rules, selectors, services
from omboon.loans.models import LoanSecurity
from omboon.loans.tests.conftest import APPLIED_ON, TERMS, apply, disbursed
from omboon.savings import selectors as savings_selectors
from omboon.savings import services as savings
from omboon.savings.tests.conftest import make_products

D = dt.date


@pytest.fixture
def pledged(fund):
    """Somchai (the fund's first member) with 8,000 baht of voluntary savings and 50 shares of 10 baht."""
    products = make_products(fund.group, fund.chair)
    somchai = fund.members[0]
    vol = savings.account_open(actor=fund.treasurer, organisation=fund.group, member=somchai,
                               product=products["VOL"], opened_on=D(2025, 1, 2))
    savings.deposit(actor=fund.treasurer, account=vol, amount=8_000_00, date=D(2025, 1, 2))
    sh = savings.account_open(actor=fund.treasurer, organisation=fund.group, member=somchai,
                              product=products["SH"], opened_on=D(2025, 1, 2))
    savings.deposit(actor=fund.treasurer, account=sh, amount=500_00, date=D(2025, 1, 2))
    return fund, vol, sh, products


def lien(account, amount, kind=rules.SECURITY_KINDS[0]):
    return rules.Security(kind, account=account.number, amount=amount)


def land_title(value=200_000_00):
    return rules.Security("collateral", collateral="land_title", description="ที่นา 5 ไร่ ต.บ้านทดสอบ",
                          document_no="12345", value=value)


FEBRUARY = D(2026, 2, 1)


def withdraw(fund, account, amount, on=FEBRUARY):
    return savings.withdrawal_request(actor=fund.treasurer, account=account, amount=amount, date=on)


def held(account) -> int:
    return holdings.held([account.pk])[account.pk]


def test_a_lien_and_a_land_title_are_kept_with_the_application(pledged):
    fund, vol, _, _ = pledged
    loan = apply(fund, guarantors=fund.members[1:3], securities=[lien(vol, 5_000_00), land_title()])
    rows = selectors.securities_of(loan)
    assert [(r.security.kind, r.security.account_number, r.security.amount, r.held) for r in rows] == [
        (LoanSecurity.Kind.SAVINGS_LIEN, vol.number, 5_000_00, 5_000_00),
        (LoanSecurity.Kind.COLLATERAL, "", 0, 0)]
    assert selectors.security_text(rows[1].security) == ("โฉนดที่ดิน: ที่นา 5 ไร่ ต.บ้านทดสอบ (เลขที่ 12345) "
                                                          "ราคาประเมิน 200,000.00 บาท")
    assert selectors.security_text(rows[0].security, "en") == f"lien on savings {vol.number}: 5,000.00 baht"
    assert held(vol) == 5_000_00


def test_a_lien_blocks_a_withdrawal_below_it_and_allows_one_above(pledged):
    fund, vol, _, _ = pledged
    loan = apply(fund, guarantors=fund.members[1:3], securities=[lien(vol, 5_000_00)])
    # 8,000 on the account, 5,000 held, a 10-baht fee: at most 2,990 baht can be withdrawn
    with pytest.raises(RuleViolation) as e:
        withdraw(fund, vol, 3_000_00)
    (p,) = e.value.problems
    assert (p.field, p.code) == ("amount", "held")
    assert p.message_th == (f"เงินฝากถูกอายัดค้ำประกันเงินกู้สัญญา {loan.number} จำนวน 5,000.00 บาท "
                            "ถอนได้ไม่เกิน 2,990.00 บาท")
    assert p.message_en == (f"the account is pledged as security for loan {loan.number} (5,000.00 baht): "
                            "at most 2,990.00 baht can be withdrawn")
    w = withdraw(fund, vol, 2_990_00)
    savings.withdrawal_approve(actor=fund.chair, withdrawal=w)
    assert savings_selectors.balance(vol) == 5_000_00


def test_a_withdrawal_waiting_is_checked_again_at_approval(pledged):
    """Asked before the application, approved after it: the approval finds the money held."""
    fund, vol, _, _ = pledged
    w = withdraw(fund, vol, 5_000_00, on=D(2026, 1, 2))
    with pytest.raises(RuleViolation):  # the 5,010 waiting leaves 2,990 free: too little to pledge 5,000
        apply(fund, guarantors=fund.members[1:3], securities=[lien(vol, 5_000_00)])
    apply(fund, guarantors=fund.members[1:3], securities=[lien(vol, 2_000_00)])
    savings.withdrawal_approve(actor=fund.chair, withdrawal=w)  # 8,000 − 5,010 = 2,990 ≥ 2,000 held
    with pytest.raises(RuleViolation) as e:
        withdraw(fund, vol, 1_000_00)
    assert e.value.problems[0].code == "held"


@pytest.mark.parametrize("end", ["reject", "withdraw"])
def test_released_when_the_application_is_rejected_or_withdrawn(pledged, end):
    fund, vol, _, _ = pledged
    loan = apply(fund, guarantors=fund.members[1:3], securities=[lien(vol, 5_000_00)])
    getattr(services, f"loan_{end}")(actor=fund.chair, loan=loan, reason="ไม่ผ่านมติ")
    assert held(vol) == 0
    withdraw(fund, vol, 7_000_00)


def test_once_disbursed_it_holds_at_most_the_outstanding_principal_and_ends_when_the_loan_closes(pledged):
    fund, vol, _, _ = pledged
    loan = disbursed(fund, 10_000_00, securities=[lien(vol, 8_000_00)])
    assert held(vol) == 8_000_00
    services.loan_repay(actor=fund.treasurer, loan=loan, amount=3_000_00, date=D(2026, 2, 15))
    outstanding = selectors.outstanding_principal(loan)
    assert outstanding < 8_000_00
    assert held(vol) == outstanding  # the member frees savings as they repay
    services.loan_repay(actor=fund.treasurer, loan=loan, amount=selectors.still_owed(loan), date=D(2026, 3, 15))
    loan.refresh_from_db()
    assert loan.status == "closed"
    assert held(vol) == 0
    withdraw(fund, vol, 7_000_00, on=D(2026, 3, 20))


def test_a_savings_account_is_not_closed_while_a_lien_holds_it(pledged):
    fund, vol, _, _ = pledged
    loan = apply(fund, guarantors=fund.members[1:3], securities=[lien(vol, 5_000_00)])
    with pytest.raises(RuleViolation) as e:
        savings.account_close(actor=fund.treasurer, account=vol, reason="ปิด")
    (p,) = e.value.problems
    assert (p.field, p.code) == ("account", "held")
    assert p.message_th == (f"บัญชี {vol.number} ถูกอายัดค้ำประกันเงินกู้สัญญา {loan.number} จำนวน 5,000.00 บาท "
                            "ปิดบัญชีไม่ได้จนกว่าจะพ้นภาระ")


def test_a_share_transfer_keeps_the_pledged_shares(pledged):
    fund, _, sh, products = pledged
    apply(fund, guarantors=fund.members[1:3], securities=[lien(sh, 300_00, "shares_lien")])
    other = savings.account_open(actor=fund.treasurer, organisation=fund.group, member=fund.members[1],
                                 product=products["SH"], opened_on=D(2025, 1, 2))
    with pytest.raises(RuleViolation) as e:  # 50 shares, 30 pledged: 20 free
        savings.share_transfer_request(actor=fund.treasurer, holder=sh, receiver=other, shares=21, date=D(2026, 2, 1))
    assert (e.value.problems[0].field, e.value.problems[0].code) == ("shares", "held")
    savings.share_transfer_request(actor=fund.treasurer, holder=sh, receiver=other, shares=20, date=D(2026, 2, 1))


def test_a_deposit_is_not_reversed_below_the_lien(pledged):
    fund, vol, _, _ = pledged
    entry = savings.deposit(actor=fund.treasurer, account=vol, amount=1_000_00, date=D(2026, 1, 3))
    apply(fund, guarantors=fund.members[1:3], securities=[lien(vol, 8_500_00)])
    with pytest.raises(RuleViolation) as e:
        savings.movement_reverse(actor=fund.chair, account=vol, entry_id=entry.pk, reason="ลงผิด", date=D(2026, 1, 6))
    assert (e.value.problems[0].field, e.value.problems[0].code) == ("entry", "held")


def test_a_leaving_members_payout_keeps_what_the_lien_holds(pledged, client):
    fund, vol, sh, _ = pledged
    loan = disbursed(fund, 10_000_00, securities=[lien(vol, 5_000_00)])
    somchai = fund.members[0]
    somchai.status = "resigned"
    somchai.save(update_fields=["status"])
    plan, problems = savings.payout_plan(somchai, D(2026, 2, 1))
    assert problems == []
    assert {p.account.number: (p.amount, p.held) for p in plan} == {vol.number: (3_000_00, 5_000_00),
                                                                    sh.number: (500_00, 0)}
    assert selectors.outstanding_principal(loan) == 10_000_00
    client.force_login(fund.treasurer)
    page = client.get(f"/o/{fund.group.code}/savings/members/{somchai.pk}/payout/").content.decode()
    assert "อายัดค้ำประกันเงินกู้ 5,000.00 บาท คงไว้ในบัญชี" in page


def test_a_written_off_loan_keeps_its_lien_until_recovered(pledged):
    fund, vol, _, _ = pledged
    loan = disbursed(fund, 10_000_00, securities=[lien(vol, 5_000_00)])
    adj = services.write_off_request(actor=fund.treasurer, loan=loan, date=D(2026, 6, 30), reason="ผู้กู้หนี")
    services.adjustment_approve(actor=fund.chair, adjustment=adj)
    assert held(vol) == 5_000_00
    rec = services.recovery_request(actor=fund.treasurer, loan=loan, amount=7_000_00, date=D(2026, 7, 15),
                                    reason="ได้รับคืนบางส่วน")
    services.adjustment_approve(actor=fund.chair, adjustment=rec)
    assert held(vol) == 3_000_00  # 10,000 written off, 7,000 recovered


def application(fund, **kw):
    return services.application_of(actor=fund.treasurer, organisation=fund.group, member=fund.members[0],
                                   product=fund.product, principal=20_000_00, purpose="ซื้อปุ๋ย",
                                   guarantors=fund.members[1:3], applied_on=APPLIED_ON, **kw)


def messages(fund, securities):
    return [(p.row, p.message_en) for p in rules.securities_sound(application(fund, securities=securities))]


def test_a_lien_must_be_on_the_borrowers_own_open_account_within_what_is_free(pledged):
    fund, vol, sh, products = pledged
    other = savings.account_open(actor=fund.treasurer, organisation=fund.group, member=fund.members[1],
                                 product=products["VOL"], opened_on=D(2025, 1, 2))
    assert messages(fund, [lien(vol, 8_000_00), lien(sh, 500_00)]) == []
    assert messages(fund, [rules.Security("lien", account="NOPE", amount=1_00)]) == [
        (1, "security row 1: no savings or share account NOPE in this group")]
    assert messages(fund, [lien(other, 1_00)]) == [
        (1, (f"security row 1: account {other.number} is not the borrower's; a lien is on the borrower's own "
             "savings or shares"))]
    assert messages(fund, [lien(vol, 0)]) == [(1, "security row 1: the amount pledged must be above zero")]
    assert messages(fund, [lien(vol, 5_000_00), lien(vol, 3_000_01)]) == [
        (2, (f"security row 2: at most 8,000.00 baht of account {vol.number} can be pledged (its balance of "
             "8,000.00 baht less withdrawals waiting and what is already held)"))]
    assert messages(fund, [lien(vol, 1_00, "shares_lien")]) == [
        (1, f"security row 1: account {vol.number} is not a share account")]


def test_a_second_loan_pledges_only_what_the_first_leaves_free(pledged):
    fund, vol, _, _ = pledged
    apply(fund, guarantors=fund.members[1:3], securities=[lien(vol, 5_000_00)])
    assert messages(fund, [lien(vol, 3_000_01)])[0][1].startswith("security row 1: at most 3,000.00 baht")


def test_collateral_is_described_and_valued(pledged):
    fund, *_ = pledged
    assert messages(fund, [land_title()]) == []
    bad = rules.Security("collateral", collateral="boat", description=" ", value=0)
    assert [p.message_th for p in rules.securities_sound(application(fund, securities=[bad]))] == [
        "หลักประกันแถว 1: ประเภทหลักทรัพย์ต้องเป็นโฉนดที่ดิน ยานพาหนะ หรืออื่น ๆ",
        "หลักประกันแถว 1: ต้องระบุรายละเอียดหลักทรัพย์ (เช่น โฉนดเลขที่ ที่ตั้ง)",
        "หลักประกันแถว 1: ราคาประเมินต้องมากกว่าศูนย์"]


def test_at_most_five_securities(pledged):
    fund, *_ = pledged
    problems = rules.securities_few(application(fund, securities=[land_title()] * 6))
    assert [p.message_en for p in problems] == ["at most 5 securities on one loan"]


@pytest.mark.parametrize("replaces", [False, True])
def test_a_lien_covering_the_whole_loan_stands_in_for_guarantors_only_where_the_product_says(pledged, replaces):
    """"กู้โดยใช้เงินฝากค้ำประกัน": 30,000 baht asks two guarantors; a product that lets liens stand in
    for them takes a lien of the whole 30,000 instead (a lien short of it never does)."""
    fund, vol, _, _ = pledged
    savings.deposit(actor=fund.treasurer, account=vol, amount=22_000_00, date=D(2025, 6, 1))
    product = services.product_create(actor=fund.chair, organisation=fund.group, code="DEP", name_th="กู้ใช้เงินฝากค้ำ",
                                      terms=TERMS, max_amount=50_000_00, effective_from=D(2020, 1, 1),
                                      guarantors_above=20_000_00, guarantors_required=2,
                                      lien_replaces_guarantors=replaces)

    def needs_guarantors(pledge):
        return bool(rules.guarantors_enough(services.application_of(
            actor=fund.treasurer, organisation=fund.group, member=fund.members[0], product=product,
            principal=30_000_00, purpose="ซื้อปุ๋ย", applied_on=APPLIED_ON, securities=[lien(vol, pledge)])))

    assert needs_guarantors(30_000_00) is not replaces
    assert needs_guarantors(29_999_00)


# --- over the API ----------------------------------------------------------------------------------

def test_the_api_takes_securities_and_shows_them_and_the_account_shows_what_is_held(pledged):
    from django.test import Client

    fund, vol, _, _ = pledged
    c = Client()
    c.force_login(fund.treasurer)
    body = {"product": "GEN", "member": fund.members[0].number, "principal": 30_000_00, "purpose": "ซื้อรถไถ",
            "guarantors": [m.number for m in fund.members[1:3]], "applied_on": "2026-01-05",
            "securities": [{"kind": "lien", "account": vol.number, "amount": 5_000_00},
                           {"kind": "collateral", "collateral": "land_title", "description": "ที่นา 5 ไร่",
                            "document_no": "12345", "value": 200_000_00}]}
    r = c.post(f"/api/v1/loans/{fund.group.code}", body, content_type="application/json")
    assert r.status_code == 201, r.content
    loan = r.json()
    assert [(s["position"], s["kind"], s["account"], s["amount"], s["held"], s["collateral"], s["value"])
            for s in loan["securities"]] == [(1, "savings_lien", vol.number, 5_000_00, 5_000_00, "", 0),
                                             (2, "collateral", "", 0, 0, "land_title", 200_000_00)]
    account = c.get(f"/api/v1/savings/{fund.group.code}/accounts/{vol.number}").json()
    assert account["held"] == 5_000_00
    assert account["holds"] == [{"amount": 5_000_00, "held_for_th": f"เงินกู้สัญญา {loan['number']}",
                                 "held_for_en": f"loan {loan['number']}"}]
    # more than is free: refused, naming the row, and nothing written
    body["securities"] = [{"kind": "lien", "account": vol.number, "amount": 3_000_01}]
    r = c.post(f"/api/v1/loans/{fund.group.code}", body, content_type="application/json")
    assert r.status_code == 422
    (e,) = r.json()["errors"]
    assert (e["field"], e["row"]) == ("securities", 1) and "at most 3,000.00 baht" in e["message_en"]
    body["securities"] = [{"kind": "collateral"}] * 6
    r = c.post(f"/api/v1/loans/{fund.group.code}", body, content_type="application/json")
    assert r.status_code == 422
    assert LoanSecurity.objects.count() == 2


# --- from the command line -------------------------------------------------------------------------

def test_the_command_line_applies_with_a_lien_and_a_land_title_and_shows_them(pledged):
    import io

    from django.core.management import CommandError, call_command

    def run(*args) -> str:
        out = io.StringIO()
        call_command("loans", *args, stdout=out)
        return out.getvalue()

    fund, vol, _, _ = pledged
    org, t, c = fund.group.code, fund.treasurer.username, fund.chair.username
    guarantors = [x for m in fund.members[1:3] for x in ("--guarantor", m.number)]
    run("apply", "--org", org, "--by", t, "--member", fund.members[0].number, "--product", "GEN", "--amount",
        "30,000", "--purpose", "ซื้อรถไถ", "--date", "2026-01-05", *guarantors, "--lien", f"{vol.number}:5,000",
        "--collateral", "land_title:200,000:ที่นา 5 ไร่ ต.บ้านทดสอบ:12345")
    loan = selectors.loans_of(fund.group).get()
    shown = run("show", "--org", org, "--loan", str(loan.number))
    assert (f"1. อายัดเงินฝาก {vol.number} จำนวน 5,000.00 บาท / lien on savings {vol.number}: 5,000.00 baht"
            " — อายัดอยู่ 5,000.00 บาท / holds 5,000.00 baht") in shown
    assert "2. โฉนดที่ดิน: ที่นา 5 ไร่ ต.บ้านทดสอบ (เลขที่ 12345) ราคาประเมิน 200,000.00 บาท" in shown
    run("reject", "--org", org, "--by", c, "--loan", str(loan.number), "--reason", "ไม่ผ่านมติ")
    assert "พ้นภาระแล้ว / released" in run("show", "--org", org, "--loan", str(loan.number))
    with pytest.raises(CommandError, match=r"security row 1: at most 8,000\.00 baht"):
        run("apply", "--org", org, "--by", t, "--member", fund.members[0].number, "--product", "GEN", "--amount",
            "10,000", "--purpose", "ซื้อปุ๋ย", "--date", "2026-01-05", "--lien", f"{vol.number}:9,000")
    with pytest.raises(CommandError, match="write ACCOUNT:BAHT"):
        run("apply", "--org", org, "--by", t, "--member", fund.members[0].number, "--product", "GEN", "--amount",
            "10,000", "--purpose", "ซื้อปุ๋ย", "--lien", vol.number)


# --- on the pages ----------------------------------------------------------------------------------

def test_the_apply_form_takes_a_lien_and_a_land_title_and_both_pages_show_them(pledged, client):
    from omboon.testing.i18n import in_english, thai_in_chrome

    fund, vol, _, _ = pledged
    client.force_login(fund.treasurer)
    form = client.get(f"/o/{fund.group.code}/loans/new/").content.decode()
    assert 'name="lien_1_account"' in form and "โฉนดที่ดิน" in form
    g1, g2 = fund.members[1:3]
    typed = {"product": fund.product.pk, "member": fund.members[0].number, "principal": "30,000",
             "purpose": "ซื้อรถไถ", "applied_on": "05/01/2569", "guarantor_1": g1.number, "guarantor_2": g2.number,
             "lien_1_account": vol.number, "lien_1_amount": "9,000", "collateral_1_kind": "land_title",
             "collateral_1_description": "ที่นา 5 ไร่", "collateral_1_document": "12345",
             "collateral_1_value": "200,000"}
    refused = client.post(f"/o/{fund.group.code}/loans/new/", typed)
    assert refused.status_code == 422
    text = refused.content.decode()
    assert f"หลักประกันแถว 1: บัญชี {vol.number} อายัดได้ไม่เกิน 8,000.00 บาท" in text
    assert 'value="9,000"' in text and 'value="ที่นา 5 ไร่"' in text  # typed again, nothing lost
    response = client.post(f"/o/{fund.group.code}/loans/new/", {**typed, "lien_1_amount": "5,000"})
    assert response.status_code == 302
    loan = selectors.loans_of(fund.group).get()
    detail = client.get(response["Location"]).content.decode()
    assert f"อายัดเงินฝาก {vol.number} จำนวน 5,000.00 บาท — อายัดอยู่ 5,000.00 บาท" in detail
    assert "โฉนดที่ดิน: ที่นา 5 ไร่ (เลขที่ 12345) ราคาประเมิน 200,000.00 บาท" in detail
    account = client.get(f"/o/{fund.group.code}/savings/accounts/{vol.pk}/").content.decode()
    assert "อายัดค้ำประกันเงินกู้" in account and f"เงินกู้สัญญา {loan.number} 5,000.00" in account
    assert 'data-figure="free">3,000.00' in account
    english = in_english(client, fund.treasurer)
    for where in (response["Location"], f"/o/{fund.group.code}/loans/new/",
                  f"/o/{fund.group.code}/savings/accounts/{vol.pk}/"):
        shown = english.get(where).content.decode()
        assert [t for t in thai_in_chrome(shown) if fund.group.name_th not in t] == [], where
    detail_en = english.get(response["Location"]).content.decode()
    assert f"lien on savings {vol.number}: 5,000.00 baht — holds 5,000.00 baht" in detail_en
    assert "land title: ที่นา 5 ไร่ (No. 12345), appraised at 200,000.00 baht" in detail_en
    account_en = english.get(f"/o/{fund.group.code}/savings/accounts/{vol.pk}/").content.decode()
    assert "Held as a loan's security" in account_en and f"loan {loan.number} 5,000.00" in account_en


def test_the_application_s_audit_event_names_its_securities_in_thai(pledged, client):
    import re

    from omboon.web.tests.crawl import foreign_words

    fund, vol, _, _ = pledged
    apply(fund, guarantors=fund.members[1:3], securities=[lien(vol, 5_000_00), land_title()])
    client.force_login(fund.chair)
    text = client.get(f"/o/{fund.group.code}/audit/", {"action": "loans.loan_apply"}).content.decode()
    assert "อายัดเงินฝาก/หุ้นค้ำประกัน" in text and f"{vol.number} 5,000.00" in text
    assert "หลักทรัพย์ค้ำประกัน" in text and "12345 200,000.00" in text
    shown = re.sub(r"<[^>]+>", " ", re.sub(r"(?s)<(script|style)\b.*?</\1>", "", text))
    for login in (fund.treasurer.username, fund.chair.username):  # logins are data
        shown = shown.replace(login, " ")
    assert sorted(set(foreign_words([shown], "th"))) == []


def test_the_network_copy_carries_the_securities_a_lien_by_its_account_number(pledged):
    """Savings' ids differ from one copy to the other: a lien travels by its account's number."""
    from django.contrib.auth import get_user_model

    from omboon.ledger.models import JournalEntry
    from omboon.loans import bulk

    fund, vol, _, _ = pledged
    loan = disbursed(fund, 10_000_00, securities=[lien(vol, 5_000_00), land_title()])
    rows = bulk.loans_rows(fund.group)
    (row,) = [r for r in rows if r["loan"]["number"] == loan.number]
    assert [(s["kind"], s["account_number"], s["amount"], s["value"]) for s in row["securities"]] == [
        ("savings_lien", vol.number, 5_000_00, 0), ("collateral", "", 0, 200_000_00)]
    assert all("savings_account" not in s for s in row["securities"])
    LoanSecurity.objects.all().delete()
    entries = {(e.doc_type, e.fiscal_year, e.number): e.pk for e in JournalEntry.objects.filter(
        organisation=fund.group)}
    users = get_user_model().objects
    bulk.loans_receive(organisation=fund.group, rows=rows, users=lambda name: users.filter(username=name).first(),
                       entries=entries)
    assert [(r.security.savings_account, r.security.account_number, r.held) for r in selectors.securities_of(loan)] \
        == [(vol.pk, vol.number, 5_000_00), (None, "", 0)]
    assert held(vol) == 5_000_00
