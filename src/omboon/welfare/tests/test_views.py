"""The welfare pages: thin over the services, Thai first, every refusal shown."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from omboon.welfare import forms, presets, schema
from omboon.welfare.models import BenefitScheme, Claim, RuleVersion

D = dt.date
pytestmark = pytest.mark.django_db


def url(org, tail=""):
    return f"/o/{org.code}/welfare/{tail}"


def test_index_lists_schemes_with_their_current_rule(fund, client):
    client.force_login(fund.treasurer)
    page = client.get(url(fund.group)).content.decode()
    assert "ค่าเยี่ยมไข้/นอนโรงพยาบาล" in page
    assert "คืนละ 300.00 บาท ไม่เกิน 5 คืน" in page
    assert "ตามอายุสมาชิก: 0+ ปี 3,000.00" in page


def test_the_network_sees_its_groups_schemes_and_claims(fund, client, coordinator):
    fund.submit("childbirth")
    client.force_login(coordinator)
    assert "ค่าทำขวัญบุตร" in client.get(url(fund.group.parent)).content.decode()
    page = client.get(url(fund.group.parent, "claims/?status=pending")).content.decode()
    assert fund.member.full_name in page
    assert client.get(url(fund.group.parent, "claims/new/")).status_code == 404


def test_treasurer_submits_a_claim_through_the_form(fund, client):
    client.force_login(fund.treasurer)
    scheme = fund.schemes["sickness"]
    form = client.get(url(fund.group, f"claims/new/?scheme={scheme.pk}")).content.decode()
    assert "ใบรับรองแพทย์/ใบนอนโรงพยาบาล" in form and 'name="nights"' in form
    data = {"scheme": scheme.pk, "member": fund.member.number, "event_date": "10/06/2568", "nights": "2",
            "documents": ["id_card", "hospital_certificate"]}
    check = client.post(url(fund.group, "claims/new/"), {**data, "action": "check"})
    assert check.status_code == 200 and "มีสิทธิ์ 600.00 บาท" in check.content.decode()
    assert not Claim.objects.exists()
    response = client.post(url(fund.group, "claims/new/"), {**data, "action": "submit"})
    claim = Claim.objects.get()
    assert response.status_code == 302 and response["Location"] == url(fund.group, f"claims/{claim.pk}/")
    assert claim.event_date == D(2025, 6, 10) and claim.amount == 600_00
    detail = client.get(response["Location"]).content.decode()
    assert "✓ ผ่าน: สถานะสมาชิก ณ วันที่เกิดเหตุ: ปกติ" in detail
    assert "2 คืน × 300.00 บาท = 600.00 บาท" in detail
    assert 'id="approve"' not in detail and "ผู้บันทึกคำขออนุมัติเองไม่ได้" in detail


def test_form_shows_every_problem(fund, client):
    client.force_login(fund.treasurer)
    scheme = fund.schemes["childbirth"]
    response = client.post(url(fund.group, "claims/new/"), {"scheme": scheme.pk, "member": "9999",
                                                            "event_date": "31/02/2568", "action": "submit"})
    page = response.content.decode()
    assert response.status_code == 422
    assert "ไม่พบสมาชิกเลขที่นี้ในกลุ่ม" in page and 'data-field="event_date"' in page
    newcomer = fund.member.__class__.objects.filter(pk=fund.member.pk)
    assert newcomer.exists()
    response = client.post(url(fund.group, "claims/new/"), {"scheme": scheme.pk, "member": fund.member.number,
                                                            "event_date": "10/06/2568", "action": "submit"})
    assert response.status_code == 422 and "ขาดเอกสาร: สำเนาบัตรประชาชนของสมาชิก" in response.content.decode()


OK = {"confirmed": "1"}  # the confirmation's own button (a first press asks, ``test_money_actions``)


def test_chair_approves_treasurer_pays_and_prints_the_voucher(fund, client):
    claim = fund.submit("death", event_date=D(2025, 6, 1), payees=[
        {"name": "นายหนึ่ง ใจดี", "relation": "บุตร", "share": 60}, {"name": "นางสอง ใจดี", "relation": "บุตร", "share": 40}])
    client.force_login(fund.treasurer)
    assert client.post(url(fund.group, f"claims/{claim.pk}/approve/"), OK).status_code == 422  # own claim
    client.force_login(fund.chair)
    assert 'id="approve"' in client.get(url(fund.group, f"claims/{claim.pk}/")).content.decode()
    assert client.post(url(fund.group, f"claims/{claim.pk}/approve/"), OK).status_code == 302
    client.force_login(fund.treasurer)
    response = client.post(url(fund.group, f"claims/{claim.pk}/pay/"), {"date": "01/07/2568", **OK})
    assert response.status_code == 302
    claim.refresh_from_db()
    assert claim.status == Claim.Status.PAID and claim.paid_on == D(2025, 7, 1)
    voucher = client.get(url(fund.group, f"claims/{claim.pk}/voucher/")).content.decode()
    assert "ใบสำคัญจ่าย" in voucher and claim.entry.document_number in voucher
    assert "(หนึ่งหมื่นสองพันบาทถ้วน)" in voucher
    assert "นายหนึ่ง ใจดี ร้อยละ 60" in voucher and "7,200.00" in voucher
    assert "ผู้รับเงิน" in voucher and "ผู้อนุมัติ" in voucher and "w-chair" in voucher


def test_reject_and_reverse_from_the_page(fund, client):
    claim = fund.submit("childbirth")
    client.force_login(fund.chair)
    response = client.post(url(fund.group, f"claims/{claim.pk}/reject/"), {"reason": ""})
    assert response.status_code == 422 and "ต้องระบุเหตุผลที่ไม่อนุมัติ" in response.content.decode()
    client.post(url(fund.group, f"claims/{claim.pk}/reject/"), {"reason": "ไม่ใช่บุตรของสมาชิก", **OK})
    assert Claim.objects.get(pk=claim.pk).status == Claim.Status.REJECTED
    paid = fund.paid("sickness", nights=1)
    response = client.post(url(fund.group, f"claims/{paid.pk}/reverse/"),
                           {"reason": "จ่ายซ้ำ", "date": "02/07/2568", **OK})
    assert response.status_code == 302 and Claim.objects.get(pk=paid.pk).status == Claim.Status.REVERSED


def test_a_payout_larger_than_the_cash_shows_why(fund, client):
    from omboon.ledger.services import Line, entry_post

    entry_post(actor=None, organisation=fund.group, date=D(2020, 1, 2), doc_type="payment",
               lines=[Line(account="1200", debit=99_500_00), Line(account="1100", credit=99_500_00)])
    claim = fund.approve(fund.submit("sickness", nights=2))
    client.force_login(fund.treasurer)
    response = client.post(url(fund.group, f"claims/{claim.pk}/pay/"), {"date": "01/07/2568", **OK})
    assert response.status_code == 422
    assert "ไม่พอจ่าย 600.00 บาท" in response.content.decode()
    assert Claim.objects.get(pk=claim.pk).status == Claim.Status.APPROVED


def test_chair_adds_a_rule_version_from_the_form(fund, client):
    scheme = fund.schemes["death"]
    client.force_login(fund.chair)
    page = client.get(url(fund.group, f"schemes/{scheme.pk}/")).content.decode()
    assert "0 3,000.00\n1 5,000.00" in page  # the current tiers, ready to edit
    response = client.post(url(fund.group, f"schemes/{scheme.pk}/"), {
        "effective_from": "01/01/2569", "note": "มติที่ประชุมใหญ่ 2568", "amount_kind": "tiered",
        "tiers": "0 2,000\n5 10,000\n10 20,000", "min_membership_months": "6", "statuses": ["active"],
        "documents": "id_card | สำเนาบัตรประชาชน | ID card"})
    assert response.status_code == 302
    version = RuleVersion.objects.filter(scheme=scheme).latest("effective_from")
    assert version.effective_from == D(2026, 1, 1)
    assert version.parsed.amount.tiers[-1].amount == 20000_00
    bad = client.post(url(fund.group, f"schemes/{scheme.pk}/"), {"effective_from": "01/02/2569",
                                                                 "amount_kind": "tiered", "tiers": "x"})
    assert bad.status_code == 422
    client.force_login(fund.treasurer)  # the treasurer reads the rules but does not change them
    assert client.get(url(fund.group, f"schemes/{scheme.pk}/")).status_code == 200
    assert client.post(url(fund.group, f"schemes/{scheme.pk}/"), {}).status_code == 403


def test_chair_creates_a_scheme(fund, client):
    client.force_login(fund.chair)
    response = client.post(url(fund.group, "schemes/new/"), {
        "category": "other", "custom_label": "ค่ารักษาพยาบาลฟัน", "name_th": "ทำฟัน", "effective_from": "01/01/2568",
        "amount_kind": "percent", "percent": "50", "cap": "1,000", "statuses": ["active"], "claims_per_year": "2"})
    assert response.status_code == 302
    scheme = BenefitScheme.objects.get(name_th="ทำฟัน")
    assert scheme.expense_account.code == "5180" and scheme.category_name() == "ค่ารักษาพยาบาลฟัน"


def test_what_if_page_replays_a_proposal(fund, client):
    fund.paid("death", event_date=D(2025, 3, 1))
    client.force_login(fund.treasurer)
    scheme = fund.schemes["death"]
    first = client.get(url(fund.group, f"what-if/?scheme={scheme.pk}")).content.decode()
    assert "0 3,000.00" in first and "what-if-result" not in first
    response = client.get(url(fund.group, "what-if/"), {
        "scheme": scheme.pk, "start": "01/01/2568", "end": "31/12/2568", "amount_kind": "fixed", "amount": "15,000",
        "min_membership_months": "6", "statuses": "active"})
    page = response.content.decode()
    assert response.status_code == 200 and "what-if-result" in page
    assert "+3,000.00" in page  # 12,000 paid, 15,000 proposed


def test_projection_page_draws_and_prints_its_assumptions(fund, client):
    fund.paid("death", event_date=D(2025, 3, 1))
    client.force_login(fund.treasurer)
    page = client.get(url(fund.group, "projection/"), {"years": "10"}).content.decode()
    assert "<svg" in page and "สมมติฐานที่ใช้" in page and "ยอดกองทุนสวัสดิการตั้งต้น" in page
    response = client.get(url(fund.group, "projection/"), {"years": "30"})
    assert response.status_code == 422 and "ประมาณการได้ 5–20 ปี" in response.content.decode()
    scheme = fund.schemes["death"]
    page = client.get(url(fund.group, "projection/"), {
        "years": "5", "scheme": scheme.pk, "propose": "1", "amount_kind": "fixed", "amount": "20,000",
        "statuses": "active"}).content.decode()
    assert "กติกาที่เสนอ" in page and "ยอดกองทุน (เสนอ)" in page


def test_claim_list_filters(fund, client):
    pending = fund.submit("childbirth")
    paid = fund.paid("sickness", nights=1)
    client.force_login(fund.treasurer)
    page = client.get(url(fund.group, "claims/")).content.decode()
    assert f"claims/{pending.pk}/" in page and f"claims/{paid.pk}/" not in page
    page = client.get(url(fund.group, "claims/?status=paid")).content.decode()
    assert f"claims/{paid.pk}/" in page and f"claims/{pending.pk}/" not in page


def test_a_scheme_from_a_preset_fills_the_form_and_saves_as_typed(fund, client):
    client.force_login(fund.chair)
    page = client.get(url(fund.group, "schemes/new/?preset=elderly")).content.decode()
    assert 'value="สวัสดิการผู้สูงอายุ"' in page and 'name="min_age"' in page and 'value="70"' in page
    preset = next(p for p in presets.presets(paid_up=True) if p.category == "elderly")
    shown = dataclasses.asdict(forms.RuleForm.from_rule(schema.rule_from_json(preset.rule)))
    shown = {k: v for k, v in shown.items() if v not in ("", False)}
    answer = client.post(url(fund.group, "schemes/new/"), {
        **shown, "amount": "700", "category": "elderly", "name_th": "สวัสดิการผู้สูงอายุ 70 ปี",
        "effective_from": "01/01/2569"})  # the group changes the amount, keeps the rest
    assert answer.status_code == 302
    scheme = BenefitScheme.objects.get(name_th="สวัสดิการผู้สูงอายุ 70 ปี")
    rule = scheme.versions.get().parsed
    assert (rule.amount.amount, rule.eligibility.min_age, rule.eligibility.min_membership_months,
            rule.limits.claims_per_year) == (700_00, 70, 24, 1)
