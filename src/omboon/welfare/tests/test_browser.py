"""A sickness claim in a real browser (Debian's Chromium through Playwright): the treasurer
submits it, the chair approves it, the treasurer pays it and prints the payment voucher."""

from __future__ import annotations

import datetime as dt

import pytest

from omboon.orgs.models import Role
from omboon.testing.factories import make_user
from omboon.welfare.models import Claim
from omboon.welfare.tests.conftest import fund_cash, make_member, make_schemes

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_treasurer_submits_chair_approves_treasurer_pays_and_prints(tree, page, login, live_server):
    group = tree.group_a
    make_user(group, Role.TREASURER, username="treasurer-a")
    make_user(group, Role.CHAIR, username="chair-a")
    fund_cash(group, 50_000_00)
    schemes = make_schemes(group)
    member = make_member(group, first_name="บุญมี", last_name="ศรีสุข")
    event = dt.date.today() - dt.timedelta(days=3)
    base = f"{live_server.url}/o/{group.code}/welfare"

    # the treasurer: choose the scheme, fill in the claim, tick the documents, submit
    login(page, "treasurer-a")
    page.goto(f"{base}/claims/new/")
    page.select_option("#c-scheme", str(schemes["sickness"].pk))
    page.click("#choose-scheme")
    page.fill("#c-member", member.number)
    page.fill("#c-date", f"{event.day:02d}/{event.month:02d}/{event.year + 543}")
    page.fill("#c-nights", "2")
    page.check("input[name=documents][value=id_card]")
    page.check("input[name=documents][value=hospital_certificate]")
    page.click("#submit-claim")
    page.wait_for_load_state("domcontentloaded")
    main = page.locator("main").inner_text()
    assert "600.00" in main and "หกร้อยบาทถ้วน" in main
    assert "✓ ผ่าน: สถานะสมาชิก ณ วันที่เกิดเหตุ: ปกติ" in main
    assert page.locator("#approve").count() == 0  # not their own claim
    claim_url = page.url
    claim = Claim.objects.get()
    assert claim.status == Claim.Status.SUBMITTED

    # the chair approves
    page.context.clear_cookies()
    login(page, "chair-a")
    page.goto(f"{base}/claims/?status=pending")
    page.click(f"a[href$='/claims/{claim.pk}/']")
    page.click("#approve")
    page.wait_for_load_state("domcontentloaded")
    assert "หกร้อยบาทถ้วน" in page.locator("#confirm").inner_text()  # asked first, in baht and words
    page.click("#confirm-submit")
    page.wait_for_load_state("domcontentloaded")
    assert f"อนุมัติคำขอเลขที่ {claim.pk} แล้ว" in page.locator("main").inner_text()

    # the treasurer pays and prints the voucher
    page.context.clear_cookies()
    login(page, "treasurer-a")
    page.goto(claim_url)
    page.click("#pay")
    page.wait_for_load_state("domcontentloaded")
    page.click("#confirm-submit")
    page.wait_for_load_state("domcontentloaded")
    assert f"จ่ายเงินคำขอเลขที่ {claim.pk} แล้ว ใบสำคัญจ่าย PV" in page.locator("main").inner_text()
    page.click("#voucher-link")
    page.wait_for_load_state("domcontentloaded")
    voucher = page.locator("article.voucher").inner_text()
    claim.refresh_from_db()
    assert claim.status == Claim.Status.PAID
    assert "ใบสำคัญจ่าย" in voucher and claim.entry.document_number in voucher
    assert "(หกร้อยบาทถ้วน)" in voucher and "ผู้รับเงิน" in voucher and "ผู้อนุมัติ" in voucher
    page.emulate_media(media="print")
    assert not page.locator("#print-now").is_visible()
    pdf = page.pdf(format="A5")
    assert pdf.startswith(b"%PDF")
