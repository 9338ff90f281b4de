"""The audit trail as a person reads it: each action by its name in Thai or English, each
detail by its label, money in baht (the events store satang), dates in พ.ศ.

The events keep their codes (``ledger.voucher_post``, ``{"total": 17900}``); only the page
translates them. An action or key with no label here is shown as its code.
"""

from __future__ import annotations

import datetime as dt
import re

from omboon.core import thaidate
from omboon.core.money import format_baht

ACTIONS: dict[str, tuple[str, str]] = {
    "auth.locked_out": ("ล็อกการเข้าสู่ระบบ", "sign-in locked"),
    "auth.login_failed": ("รหัสผ่านผิด", "wrong password"),
    "auth.login_refused": ("ปฏิเสธการเข้าสู่ระบบ (ถูกล็อก)", "sign-in refused (locked)"),
    "auth.unlock": ("ปลดล็อกการเข้าสู่ระบบ", "sign-in unlocked"),
    "contributions.collection_day_post": ("บันทึกวันเก็บเงิน", "collection day saved"),
    "contributions.collection_draft_discard": ("ทิ้งร่างวันเก็บเงิน", "collection day draft discarded"),
    "contributions.collection_draft_save": ("บันทึกร่างวันเก็บเงิน", "collection day draft saved"),
    "contributions.grant_record": ("บันทึกเงินสมทบ", "grant recorded"),
    "contributions.plan_set": ("ตั้งอัตราเงินสมทบ", "contribution plan set"),
    "contributions.receipt_issue": ("ออกใบเสร็จ", "receipt issued"),
    "contributions.receipt_void": ("ยกเลิกใบเสร็จ", "receipt voided"),
    "demo.group_fill": ("สร้างข้อมูลตัวอย่าง", "demo data built"),
    "imports.import_job_run": ("นำเข้าหนึ่งชุด", "import batch"),
    "imports.import_job_approve": ("อนุมัติการนำเข้า", "import approved"),
    "imports.import_job_create": ("สร้างงานนำเข้า", "import created"),
    "imports.import_job_start": ("เริ่มนำเข้า", "import started"),
    "imports.mapping_save": ("จำการจับคู่คอลัมน์", "column mapping saved"),
    "imports.values_save": ("จำการจับคู่คำกับรหัส", "value mapping saved"),
    "ledger.account_create": ("เพิ่มบัญชี", "account added"),
    "ledger.chart_create": ("สร้างผังบัญชี", "chart of accounts created"),
    "ledger.entry_post": ("ลงบัญชี", "entry posted"),
    "ledger.entry_reverse": ("กลับรายการ", "entry reversed"),
    "ledger.period_close": ("ปิดบัญชีสิ้นเดือน", "month closed"),
    "ledger.period_reopen": ("เปิดงวดบัญชีอีกครั้ง", "month reopened"),
    "ledger.voucher_approve": ("อนุมัติใบสำคัญ", "voucher approved"),
    "ledger.voucher_cancel": ("ยกเลิกใบสำคัญ", "voucher cancelled"),
    "ledger.voucher_create": ("ทำใบสำคัญ", "voucher made"),
    "ledger.voucher_post": ("ลงบัญชีใบสำคัญ", "voucher posted"),
    "loans.allowance_adjust": ("ปรับค่าเผื่อหนี้สงสัยจะสูญสิ้นเดือน", "allowance for doubtful loans adjusted at month-end"),
    "loans.loan_apply": ("ยื่นคำขอกู้", "loan applied for"),
    "loans.guarantor_consent": ("ผู้ค้ำยินยอมค้ำประกัน", "guarantor consented"),
    "loans.guarantor_decline": ("ผู้ค้ำไม่ยินยอมค้ำประกัน", "guarantor declined"),
    "loans.guarantor_replace": ("เปลี่ยนผู้ค้ำประกัน", "guarantor replaced"),
    "loans.loan_approve": ("อนุมัติเงินกู้", "loan approved"),
    "loans.loan_disburse": ("จ่ายเงินกู้", "loan disbursed"),
    "loans.loan_reject": ("ไม่อนุมัติเงินกู้", "loan rejected"),
    "loans.loan_repay": ("รับชำระเงินกู้", "loan repayment"),
    "loans.loan_withdraw": ("ถอนคำขอกู้", "loan application withdrawn"),
    "loans.loans_bring_forward": ("นำเข้าเงินกู้คงค้างยกมา", "running loans brought forward"),
    "loans.product_create": ("สร้างประเภทเงินกู้", "loan product created"),
    "loans.product_version_create": ("เปลี่ยนเงื่อนไขประเภทเงินกู้", "loan product terms changed"),
    "loans.repayment_reverse": ("กลับรายการรับชำระเงินกู้", "loan repayment reversed"),
    "loans.write_off_request": ("ขอตัดหนี้สูญ", "write-off requested"),
    "loans.write_off_approve": ("อนุมัติตัดหนี้สูญ", "write-off approved"),
    "loans.write_off_reject": ("ไม่อนุมัติตัดหนี้สูญ", "write-off rejected"),
    "loans.write_off_reverse": ("กลับรายการตัดหนี้สูญ", "write-off reversed"),
    "loans.recover_request": ("ขอรับชำระหนี้สูญ", "recovery after write-off requested"),
    "loans.recover_approve": ("อนุมัติรับชำระหนี้สูญ", "recovery after write-off approved"),
    "loans.recover_reject": ("ไม่อนุมัติรับชำระหนี้สูญ", "recovery after write-off rejected"),
    "loans.recover_reverse": ("กลับรายการรับชำระหนี้สูญ", "recovery after write-off reversed"),
    "loans.penalty_request": ("ขอค่าปรับเงินกู้", "loan penalty requested"),
    "loans.penalty_approve": ("อนุมัติค่าปรับเงินกู้", "loan penalty approved"),
    "loans.penalty_reject": ("ไม่อนุมัติค่าปรับเงินกู้", "loan penalty rejected"),
    "loans.penalty_reverse": ("กลับรายการค่าปรับเงินกู้", "loan penalty reversed"),
    "loans.waive_interest_request": ("ขอยกเว้นดอกเบี้ยเงินกู้", "interest waiver requested"),
    "loans.waive_interest_approve": ("อนุมัติยกเว้นดอกเบี้ยเงินกู้", "interest waiver approved"),
    "loans.waive_interest_reject": ("ไม่อนุมัติยกเว้นดอกเบี้ยเงินกู้", "interest waiver rejected"),
    "loans.waive_interest_reverse": ("กลับรายการยกเว้นดอกเบี้ยเงินกู้", "interest waiver reversed"),
    "loans.waive_penalty_request": ("ขอยกเว้นค่าปรับเงินกู้", "penalty waiver requested"),
    "loans.waive_penalty_approve": ("อนุมัติยกเว้นค่าปรับเงินกู้", "penalty waiver approved"),
    "loans.waive_penalty_reject": ("ไม่อนุมัติยกเว้นค่าปรับเงินกู้", "penalty waiver rejected"),
    "loans.waive_penalty_reverse": ("กลับรายการยกเว้นค่าปรับเงินกู้", "penalty waiver reversed"),
    "loans.year_end_draft": ("ร่างการจัดสรรกำไรสุทธิ", "year-end allocation drafted"),
    "loans.year_end_approve": ("อนุมัติการจัดสรรกำไรสุทธิ", "year-end allocation approved"),
    "loans.year_end_post": ("ลงบัญชีการจัดสรรกำไรสุทธิ", "year-end allocation posted"),
    "loans.year_end_pay": ("จ่ายเงินปันผลและเฉลี่ยคืน", "dividends and refunds paid"),
    "loans.year_end_reverse": ("กลับรายการจัดสรรกำไรสุทธิ", "year-end allocation reversed"),
    "loans.reschedule_request": ("ขอปรับโครงสร้างหนี้", "reschedule requested"),
    "loans.reschedule_approve": ("อนุมัติการปรับโครงสร้างหนี้", "reschedule approved"),
    "loans.reschedule_reject": ("ไม่อนุมัติการปรับโครงสร้างหนี้", "reschedule rejected"),
    "loans.reschedule_reverse": ("กลับรายการปรับโครงสร้างหนี้", "reschedule reversed"),
    "members.beneficiaries_set": ("บันทึกผู้รับผลประโยชน์", "beneficiaries saved"),
    "members.members_bulk_create": ("เพิ่มสมาชิกหลายคน", "members added"),
    "members.member_create": ("เพิ่มสมาชิก", "member added"),
    "members.member_data_exported": ("ดาวน์โหลดข้อมูลส่วนบุคคล", "personal data downloaded"),
    "members.member_erase": ("ลบข้อมูลส่วนบุคคล", "personal data erased"),
    "imports.members_export_ids": ("ส่งออกทะเบียนพร้อมเลขประจำตัว", "members exported with IDs"),
    "members.member_link_user": ("ผูกผู้ใช้กับสมาชิก", "login linked to member"),
    "members.member_reveal_id": ("เปิดดูเลขประจำตัวประชาชน", "national ID shown"),
    "members.member_id_searched": ("ค้นหาด้วยเลขประจำตัวประชาชน", "search by national ID"),
    "members.member_status_change": ("เปลี่ยนสถานะสมาชิก", "member status changed"),
    "members.member_update": ("แก้ไขข้อมูลสมาชิก", "member edited"),
    "network.enrolment_create": ("ออกรหัสลงทะเบียนเครื่อง", "enrolment code issued"),
    "network.facts_delete": ("ลบข้อเท็จจริงรายเดือน", "monthly facts deleted"),
    "network.facts_recompute": ("คำนวณข้อเท็จจริงใหม่", "monthly facts recomputed"),
    "network.facts_write": ("บันทึกข้อเท็จจริงรายเดือน", "monthly facts written"),
    "network.enrol": ("ลงทะเบียนเครื่องของกลุ่ม", "group's laptop enrolled"),
    "network.enrolment_redeem": ("เครื่องของกลุ่มลงทะเบียนแล้ว", "group's laptop enrolled"),
    "network.withdraw_personal_data": ("ถอนข้อมูลส่วนบุคคลจากเครือข่าย", "personal data withdrawn"),
    "network.sharing_set": ("ตั้งการแบ่งปันข้อมูล", "sharing set"),
    "network.apply_batch": ("รับข้อมูลที่ซิงก์", "sync applied"),
    "network.stage": ("เตรียมข้อมูลซิงก์", "sync staged"),
    "network.token_revoke": ("ยกเลิกสิทธิ์เครื่อง", "laptop token revoked"),
    "orgs.organisation_create": ("สร้างองค์กร", "organisation created"),
    "orgs.organisation_update": ("แก้ไของค์กร", "organisation edited"),
    "orgs.bylaws_set": ("บันทึกข้อบังคับฉบับใหม่", "bylaws version saved"),
    "orgs.organisation_mark_remote": ("บันทึกบนเครื่องของกลุ่ม", "records kept on the group's laptop"),
    "reports.logo_remove": ("ลบตราสัญลักษณ์", "logo removed"),
    "reports.logo_set": ("ตั้งตราสัญลักษณ์", "logo set"),
    "orgs.role_grant": ("ให้บทบาท", "role granted"),
    "orgs.role_revoke": ("ถอนบทบาท", "role revoked"),
    "orgs.user_create": ("เพิ่มผู้ใช้", "user added"),
    "orgs.user_update": ("แก้ไขข้อมูลผู้ใช้", "user details changed"),
    "orgs.service_user_create": ("เพิ่มผู้ใช้สำหรับสคริปต์", "service user added"),
    "orgs.token_create": ("สร้างโทเคน API", "API token created"),
    "orgs.token_revoke": ("ยกเลิกโทเคน API", "API token revoked"),
    "orgs.token_authenticate": ("ใช้โทเคน API (ครั้งแรกของวัน)", "API token used (first use of the day)"),
    "ledger.sub_account_open": ("เปิดบัญชีย่อย", "sub-account opened"),
    "ledger.sub_accounts_open_bulk": ("เปิดบัญชีย่อยหลายบัญชี", "sub-accounts opened"),
    "loans.collection_repayments": ("รับชำระเงินกู้ในวันเก็บเงิน", "loan repayments on the collection day"),
    "loans.penalty_charge": ("คิดค่าปรับเงินกู้", "loan penalty charged"),
    "orgs.user_deactivate": ("ปิดการใช้งานผู้ใช้", "user deactivated"),
    "orgs.user_password_reset": ("ตั้งรหัสผ่านใหม่ให้ผู้ใช้", "user's password reset"),
    "savings.account_close": ("ปิดบัญชีเงินฝาก", "savings account closed"),
    "savings.account_open": ("เปิดบัญชีเงินฝาก", "savings account opened"),
    "savings.accounts_mark_dormant": ("ตั้งบัญชีเงินฝากที่ไม่เคลื่อนไหว", "savings accounts marked dormant"),
    "savings.accounts_open_bulk": ("เปิดบัญชีเงินฝากหลายบัญชี", "savings accounts opened"),
    "savings.deposit": ("รับฝากเงิน", "deposit"),
    "savings.interest_post": ("ลงดอกเบี้ยเงินฝาก", "savings interest posted"),
    "savings.member_payout": ("จ่ายคืนเงินฝากเมื่อพ้นสมาชิกภาพ", "savings paid out on leaving"),
    "savings.movement_reverse": ("กลับรายการเงินฝาก", "savings movement reversed"),
    "savings.passbook_print": ("พิมพ์สมุดคู่ฝาก", "passbook printed"),
    "savings.product_create": ("สร้างประเภทเงินฝาก", "savings product created"),
    "savings.product_set_opening": ("ตั้งการเปิดบัญชีอัตโนมัติ", "automatic opening set"),
    "savings.product_version_create": ("เปลี่ยนเงื่อนไขประเภทเงินฝาก", "savings product terms changed"),
    "savings.share_transfer_approve": ("อนุมัติการโอนหุ้น", "share transfer approved"),
    "savings.share_transfer_reject": ("ไม่อนุมัติการโอนหุ้น", "share transfer rejected"),
    "savings.share_transfer_request": ("ขอโอนหุ้น", "share transfer requested"),
    "savings.withdrawal_approve": ("อนุมัติการถอนเงินฝาก", "withdrawal approved"),
    "savings.withdrawal_cancel": ("ยกเลิกคำขอถอนเงินฝาก", "withdrawal cancelled"),
    "savings.withdrawal_reject": ("ไม่อนุมัติการถอนเงินฝาก", "withdrawal rejected"),
    "savings.withdrawal_request": ("ขอถอนเงินฝาก", "withdrawal requested"),
    "welfare.claim_approve": ("อนุมัติคำขอสวัสดิการ", "claim approved"),
    "welfare.claim_pay": ("จ่ายสวัสดิการ", "benefit paid"),
    "welfare.claim_record_paid": ("บันทึกสวัสดิการที่จ่ายแล้ว (นำเข้า)", "past benefit recorded (imported)"),
    "welfare.claim_reject": ("ไม่อนุมัติคำขอสวัสดิการ", "claim rejected"),
    "welfare.claim_reverse": ("กลับรายการจ่ายสวัสดิการ", "benefit payment reversed"),
    "welfare.claim_submit": ("ยื่นคำขอสวัสดิการ", "claim submitted"),
    "welfare.rule_version_create": ("ออกกติกาสวัสดิการฉบับใหม่", "benefit rule version added"),
    "welfare.scheme_set_active": ("เปิด/ปิดสวัสดิการ", "benefit scheme switched"),
    "welfare.scheme_create": ("สร้างสวัสดิการ", "benefit scheme created"),
}

OBJECTS: dict[str, tuple[str, str]] = {
    "members.member": ("สมาชิก", "member"), "ledger.voucher": ("ใบสำคัญ", "voucher"),
    "ledger.journalentry": ("รายการบัญชี", "entry"), "ledger.period": ("งวดบัญชี", "period"),
    "ledger.account": ("บัญชี", "account"), "welfare.claim": ("คำขอสวัสดิการ", "claim"),
    "welfare.benefitscheme": ("สวัสดิการ", "benefit scheme"), "welfare.ruleversion": ("กติกาสวัสดิการ", "rule"),
    "contributions.receipt": ("ใบเสร็จ", "receipt"), "contributions.collectionday": ("วันเก็บเงิน", "collection day"),
    "contributions.contributionplan": ("อัตราเงินสมทบ", "contribution plan"),
    "imports.importjob": ("งานนำเข้า", "import job"), "orgs.organisation": ("องค์กร", "organisation"),
    "orgs.roleassignment": ("บทบาท", "role"), "auth.user": ("ผู้ใช้", "user"),
    "orgs.apitoken": ("โทเคน API", "API token"),
    "loans.loan": ("สัญญาเงินกู้", "loan"), "loans.loanproduct": ("ประเภทเงินกู้", "loan product"),
    "loans.repayment": ("รับชำระเงินกู้", "loan repayment"),
    "loans.adjustment": ("ตัดหนี้สูญ รับชำระหนี้สูญ ยกเว้น หรือค่าปรับ", "write-off, recovery, waiver or penalty"),
    "loans.reschedule": ("ปรับโครงสร้างหนี้", "reschedule"),
    "loans.yearendallocation": ("การจัดสรรกำไรสุทธิ", "year-end allocation"),
    "savings.product": ("ประเภทเงินฝาก", "savings product"),
    "savings.interestrun": ("ลงดอกเบี้ยเงินฝาก", "savings interest run"),
}

# Detail keys whose integer values are satang.
MONEY_KEYS = frozenset({"total", "amount", "debit", "credit", "payout_total", "cost", "fund_size", "paid",
                        "receipts_total", "benefits_total",
                        # loans and the year-end allocation
                        "principal", "interest", "penalty", "penalty_fine", "to_savings", "max_amount",
                        "guarantor_cap", "kept_interest", "settled_interest", "settled_principal", "net_income",
                        "rounding"})
# Detail keys whose value is a dict of satang amounts (the year-end allocation's parts).
MONEY_DICT_KEYS = frozenset({"parts"})
KEYS: dict[str, tuple[str, str]] = {
    "total": ("ยอดรวม", "total"), "amount": ("จำนวนเงิน", "amount"), "debit": ("เดบิต", "debit"),
    "credit": ("เครดิต", "credit"), "date": ("วันที่", "date"), "status": ("สถานะ", "status"),
    "memo": ("รายละเอียด", "description"), "reason": ("เหตุผล", "reason"), "lines": ("รายการบัญชี", "lines"),
    "document": ("เลขที่เอกสาร", "document"), "entry": ("รายการบัญชี", "entry"), "kind": ("ประเภท", "kind"),
    "format": ("รูปแบบ", "format"), "found": ("พบ", "found"), "until": ("ถึง", "until"),
    "username": ("ชื่อผู้ใช้", "username"), "user": ("ผู้ใช้", "user"), "role": ("บทบาท", "role"),
    "address_failures": ("ผิดจากที่อยู่นี้ (ครั้ง)", "failures from this address"),
    "user_failures": ("ผิดของผู้ใช้นี้ (ครั้ง)", "failures of this user"),
    "payout_count": ("รายการจ่าย", "payouts"), "payout_total": ("ยอดจ่ายรวม", "payout total"),
    "retention_years": ("ปีที่เก็บข้อมูล", "retention years"), "count": ("จำนวน", "count"),
    "approval": ("การอนุมัติ", "approval"), "approver": ("ผู้อนุมัติ", "approver"), "maker": ("ผู้บันทึก", "maker"),
    "of": ("ของ", "of"), "balances": ("ยอดคงเหลือ", "balances"), "closing_entry": ("รายการปิดบัญชี", "closing entry"),
    "doc_type": ("ประเภทเอกสาร", "document type"), "facts": ("ข้อเท็จจริง", "facts"), "month": ("เดือน", "month"),
    "year": ("ปี", "year"), "closed": ("ปิดแล้ว", "closed"), "reverses": ("กลับรายการของ", "reverses"),
    # loans: the application, the terms, a repayment, a reschedule, a write-off
    "member": ("สมาชิก", "member"), "loan": ("สัญญาเงินกู้", "loan"), "product": ("ประเภท", "product"),
    "applied_on": ("วันที่ยื่นคำขอ", "applied on"), "guarantors": ("ผู้ค้ำประกัน", "guarantors"),
    "consented": ("ผู้ค้ำที่ลงนามยินยอมแล้ว", "guarantors who signed their consent"),
    "guarantor": ("ผู้ค้ำประกัน", "guarantor"), "consent": ("ความยินยอมของผู้ค้ำ", "guarantor's consent"),
    "on": ("วันที่", "on"), "by_self": ("ผู้ค้ำบันทึกเอง", "recorded by the guarantor"),
    "lien_replaces_guarantors": ("อายัดเงินฝากแทนผู้ค้ำได้", "a lien replaces guarantors"),
    "securities": ("หลักประกัน", "securities"),
    "principal": ("เงินต้น", "principal"), "interest": ("ดอกเบี้ย", "interest"), "penalty": ("ค่าปรับ", "penalty"),
    "to_savings": ("เข้าเงินฝาก", "to savings"), "savings_account": ("บัญชีเงินฝาก", "savings account"),
    "terms": ("เงื่อนไข", "terms"), "method": ("วิธีคิดดอกเบี้ย", "interest method"),
    "rate": ("อัตราดอกเบี้ย (ร้อยละ)", "rate (%)"), "per": ("อัตราต่อ", "rate per"), "every": ("ผ่อนทุก", "every"),
    "term": ("จำนวนงวด", "instalments"), "term_min": ("ผ่อนได้ต่ำสุด (งวด)", "shortest term"),
    "term_max": ("ผ่อนได้สูงสุด (งวด)", "longest term"), "grace_principal": ("งวดปลอดเงินต้น", "grace on principal"),
    "grace_interest": ("งวดปลอดดอกเบี้ย", "grace on interest"), "rounding": ("ปัดยอดงวดเป็นทวีคูณของ", "rounded to"),
    "penalty_rate": ("ค่าปรับร้อยละต่อเดือน", "penalty % a month"),
    "penalty_fine": ("ค่าปรับต่องวด", "fine per overdue instalment"), "order": ("ลำดับการตัดชำระ", "allocation order"),
    "effective_from": ("เริ่มใช้", "in force from"), "max_amount": ("วงเงินสูงสุด", "maximum"),
    "savings_multiple": ("ไม่เกินกี่เท่าของเงินออม", "times own savings"),
    "guarantor_bands": ("ผู้ค้ำตามวงเงิน", "guarantors by amount"), "guarantor_cap": ("วงเงินค้ำต่อคน", "guarantor cap"),
    "refuse_in_arrears": ("ไม่ให้กู้ขณะค้างชำระ", "no loan while in arrears"),
    "overpayment_to_savings": ("ส่วนเกินเข้าเงินฝาก", "surplus to savings"),
    "liens": ("อายัดเงินฝาก/หุ้นค้ำประกัน", "liens on savings or shares"),
    "collateral": ("หลักทรัพย์ค้ำประกัน", "collateral"), "first_due": ("ครบกำหนดงวดแรก", "first due"),
    "against": ("ตัดกับ", "against"), "loan_status": ("สถานะสัญญา", "loan status"),
    "rescheduled_on": ("วันที่ปรับโครงสร้างหนี้", "rescheduled on"),
    "kept_interest": ("ดอกเบี้ยค้างที่ยกไปงวดแรกใหม่", "unpaid interest kept"),
    "settled_principal": ("เงินต้นที่ชำระแล้ว", "principal settled"),
    "settled_interest": ("ดอกเบี้ยที่ชำระแล้ว", "interest settled"),
    # the year-end allocation
    "net_income": ("กำไรสุทธิ", "net income"), "model": ("การจัดสรร (ร้อยละ)", "allocation (%)"),
    "parts": ("ส่วนที่จัดสรร", "parts"), "base": ("ปันผลตามยอดของ", "dividend on"),
    "members": ("จำนวนสมาชิก", "members"), "replaced": ("แทนร่างเดิม", "replaced a draft"),
    "meeting_on": ("วันประชุมใหญ่", "general meeting"), "resolution": ("มติที่ประชุม", "resolution"),
    "how": ("จ่ายเป็น", "paid"), "reserve": ("ทุนสำรอง", "reserve"), "dividend": ("เงินปันผล", "dividends"),
    "refund": ("เงินเฉลี่ยคืน", "refunds"), "welfare": ("กองทุนสวัสดิการ", "welfare fund"),
    "committee": ("ค่าตอบแทนกรรมการ", "committee remuneration"), "public": ("ทุนสาธารณประโยชน์", "public benefit fund"),
    # a group's set-up: the organisation as created or edited, its chart, its bylaws
    "id": ("เลขที่ในระบบ", "id"), "code": ("รหัส", "code"), "group_type": ("ประเภทกลุ่ม", "type of group"),
    "name_th": ("ชื่อ (ภาษาไทย)", "name (Thai)"), "name_en": ("ชื่อ (ภาษาอังกฤษ)", "name (English)"),
    "parent_id": ("สังกัด (เลขที่ในระบบ)", "under (id)"), "path": ("ตำแหน่งในผังองค์กร", "place in the tree"),
    "depth": ("ชั้นในผังองค์กร", "level in the tree"), "founded_on": ("วันที่ก่อตั้ง", "founded on"),
    "house_no": ("บ้านเลขที่", "house no."), "moo": ("หมู่ที่", "moo"), "street": ("ถนน", "street"),
    "province_code": ("รหัสจังหวัด", "province code"), "district_code": ("รหัสอำเภอ", "district code"),
    "subdistrict_code": ("รหัสตำบล", "subdistrict code"), "postcode": ("รหัสไปรษณีย์", "postcode"),
    "fiscal_year_start_month": ("เดือนเริ่มปีบัญชี", "fiscal year starts in"), "bylaws": ("ข้อบังคับ", "bylaws"),
    "is_active": ("ใช้งานอยู่", "active"), "is_remote_node": ("บันทึกบนเครื่องของกลุ่ม", "kept on the group's laptop"),
    "created_at": ("สร้างเมื่อ", "created at"), "accounts": ("บัญชี", "accounts"), "funds": ("กองทุน", "funds"),
    "admin_cap_percent": ("เพดานค่าบริหาร (ร้อยละของเงินสมทบในปี)", "administration cap (% of the year's contributions)"),
    "journal_single_person": ("ให้คนเดียวลงรายการปรับปรุงที่ไม่มีเงินสดเข้าออกได้",
                              "one person may post a journal voucher that moves no cash"),
    "savings_dormant_months": ("เดือนที่ไม่เคลื่อนไหวก่อนเป็นบัญชีพัก", "months without movement before dormant"),
    "loan_quorum": ("จำนวนกรรมการที่ต้องอนุมัติเงินกู้ (คน)", "committee approvals a loan needs"),
    "loan_spouse_not_guarantor": ("คู่สมรสของผู้กู้ค้ำประกันไม่ได้", "a borrower's spouse may not guarantee"),
    "loan_allowance": ("ค่าเผื่อหนี้สงสัยจะสูญ (ร้อยละตามวันที่ค้าง)", "allowance for doubtful loans (% by days overdue)"),
    "approvers": ("บทบาทที่อนุมัติ", "who approves"), "claims": ("คำขอสวัสดิการ", "welfare claims"),
    "vouchers": ("ใบสำคัญจ่าย", "payment vouchers"), "withdrawals": ("การถอนเงินออม", "savings withdrawals"),
    "loans": ("เงินกู้", "loans"),
    # people and their roles, API tokens
    "first_name": ("ชื่อ", "first name"), "last_name": ("นามสกุล", "last name"), "email": ("อีเมล", "e-mail"),
    "phone": ("โทรศัพท์", "phone"), "roles": ("บทบาท", "roles"), "token": ("โทเคน", "token"),
    "name": ("ชื่อ", "name"), "capabilities": ("สิทธิ์", "capabilities"), "expires_on": ("หมดอายุ", "expires on"),
    "organisations": ("องค์กร", "organisations"),
}
# Values that are codes: shown by their names.
VALUES: dict[str, tuple[str, str]] = {
    "payment": ("จ่าย", "payment"), "receipt": ("รับ", "receipt"), "journal": ("ทั่วไป", "journal"),
    "demo.history": ("ข้อมูลตัวอย่าง", "demo data"),
}
# Values that are codes of one detail key: shown by their names.
KEY_VALUES: dict[tuple[str, str], tuple[str, str]] = {
    **{(key, status): names for key in ("status", "loan_status") for status, names in {
        "applied": ("ยื่นคำขอ", "applied"), "approved": ("อนุมัติแล้ว", "approved"),
        "rejected": ("ไม่อนุมัติ", "rejected"), "withdrawn": ("ถอนคำขอ", "withdrawn"),
        "disbursed": ("จ่ายเงินกู้แล้ว", "disbursed"), "closed": ("ปิดแล้ว", "closed"),
        "written_off": ("ตัดเป็นหนี้สูญแล้ว", "written off"), "pending": ("รออนุมัติ", "pending"),
        "draft": ("ร่าง", "draft"), "decided": ("บันทึกมติแล้ว", "decided"), "posted": ("ลงบัญชีแล้ว", "posted"),
        "paid": ("จ่ายแล้ว", "paid"), "reversed": ("กลับรายการแล้ว", "reversed"),
    }.items()},
    ("method", "flat"): ("ดอกเบี้ยคงที่", "flat"),
    ("method", "declining"): ("ลดต้นลดดอก งวดเท่ากัน", "declining balance, equal instalments"),
    ("method", "equal-principal"): ("ลดต้นลดดอก เงินต้นเท่ากัน", "declining balance, equal principal"),
    **{(key, every): names for key in ("per", "every") for every, names in {
        "week": ("สัปดาห์", "week"), "month": ("เดือน", "month"), "year": ("ปี", "year")}.items()},
    **{("order", part): names for part, names in {
        "penalty": ("ค่าปรับ", "penalty"), "fee": ("ค่าธรรมเนียม", "fee"), "interest": ("ดอกเบี้ย", "interest"),
        "principal": ("เงินต้น", "principal")}.items()},
    ("kind", "pool"): ("แบ่งตามสัดส่วนของกำไรสุทธิ", "pool"), ("kind", "rate"): ("ตามอัตรา", "rates"),
    ("base", "all"): ("หุ้นและเงินฝาก", "shares and savings"), ("base", "shares"): ("หุ้น", "shares"),
    ("base", "savings"): ("เงินฝาก", "savings"),
    ("how", "cash"): ("เงินสด", "cash"), ("how", "savings"): ("เข้าบัญชีเงินฝาก", "into savings"),
    ("consent", "pending"): ("รอการยินยอม", "pending"), ("consent", "given"): ("ยินยอมแล้ว", "given"),
    ("consent", "declined"): ("ไม่ยินยอม", "declined"),
    ("against", "expense"): ("หนี้สูญ (5500)", "bad debts (5500)"),
    ("against", "allowance"): ("ค่าเผื่อหนี้สงสัยจะสูญ (1320)", "the allowance (1320)"),
    # a role, and the roles the bylaws let approve (``approvers``: claims, vouchers, withdrawals, loans)
    **{(key, role): names for key in ("role", "roles", "claims", "vouchers", "withdrawals", "loans")
       for role, names in {
        "chair": ("ประธาน", "chair"), "treasurer": ("เหรัญญิก", "treasurer"), "secretary": ("เลขานุการ", "secretary"),
        "committee": ("กรรมการ", "committee member"), "auditor": ("ผู้ตรวจสอบ", "auditor"),
        "member": ("สมาชิก", "member"), "coordinator": ("ผู้ประสานงานเครือข่าย", "network coordinator"),
        "admin": ("ผู้ดูแลระบบ", "system administrator")}.items()},
    ("kind", "network"): ("เครือข่าย", "network"), ("kind", "group"): ("กลุ่ม", "group"),
    ("group_type", "welfare_fund"): ("กองทุนสวัสดิการชุมชน", "community welfare fund"),
    ("group_type", "savings_group"): ("กลุ่มออมทรัพย์/สัจจะสะสมทรัพย์", "savings group"),
    ("group_type", "village_fund"): ("กองทุนหมู่บ้าน", "village fund"),
    ("group_type", "cfi"): ("สถาบันการเงินชุมชน", "community finance institution"),
}
# The aging buckets of the bylaws' ``loan_allowance`` (orgs.rules.ALLOWANCE_BUCKETS), in days overdue.
ALLOWANCE_BUCKETS = ("1–30", "31–60", "61–90", "91–180", "181–365", "> 365")
# Detail keys whose values are logins: shown as the person's name.
PEOPLE_KEYS = frozenset({"maker", "approver"})


def _person(username: str, people: dict[str, str] | None = None) -> str:
    if people is not None:
        return people.get(username, username)
    return people_names([username]).get(username, username)


def _logins(details, found: set[str]) -> set[str]:
    """The logins that ``details`` (an event's before or after, nested details too) name."""
    if isinstance(details, dict):
        for key, value in details.items():
            if key in PEOPLE_KEYS and isinstance(value, str):
                found.add(value)
            else:
                _logins(value, found)
    return found


def people_names(logins) -> dict[str, str]:
    """Login → the person's name (the login where the user has none), in one query; a login of
    no user is left out (shown as it is)."""
    from django.contrib.auth import get_user_model  # noqa: PLC0415 — the labels stay importable without Django set up

    logins = set(logins)
    if not logins:
        return {}
    return {user.get_username(): user.get_full_name() or user.get_username()
            for user in get_user_model().objects.filter(username__in=logins)}


def people_of(events) -> dict[str, str]:
    """The names of everyone the events' details name by login, for a page of events at once."""
    found: set[str] = set()
    for event in events:
        _logins(event.before, found)
        _logins(event.after, found)
    return people_names(found)


_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_ISO_TIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}")


def action_label(action: str, lang: str = "th") -> str:
    th, en = ACTIONS.get(action, (action, action))
    return en if lang == "en" else th


def object_label(object_type: str, lang: str = "th") -> str:
    th, en = OBJECTS.get(object_type, (object_type, object_type))
    return en if lang == "en" else th


def key_label(key: str, lang: str = "th") -> str:
    th, en = KEYS.get(key, (key, key))
    return en if lang == "en" else th


def _baht(satang: int, lang: str) -> str:
    return f"{format_baht(satang)} {'baht' if lang == 'en' else 'บาท'}"


def _line(line: list, lang: str) -> str:
    """A journal line as stored by the ledger's events: [account, fund, (member,) debit, credit]."""
    if len(line) in (4, 5) and all(isinstance(v, int) for v in line[-2:]):
        account, fund, debit, credit = line[0], line[1], line[-2], line[-1]
        side = ("Dr" if lang == "en" else "เดบิต", debit) if debit else ("Cr" if lang == "en" else "เครดิต", credit)
        return f"{account} {fund} {side[0]} {_baht(side[1], lang)}"
    return str(line)


def shown(key: str, value, lang: str = "th", people: dict[str, str] | None = None):
    """One detail's value as a person reads it; ``people``: the names of the logins it may
    name (``people_of``), else each is looked up."""
    if value is None:
        return value
    if isinstance(value, bool):
        return ("yes" if value else "no") if lang == "en" else ("ใช่" if value else "ไม่")
    if key == "year" and isinstance(value, int) and 1900 < value < 2400:
        return thaidate.year_shown(value, lang) if lang != "en" else value
    if isinstance(value, str) and (key, value) in KEY_VALUES:
        th, en = KEY_VALUES[(key, value)]
        return en if lang == "en" else th
    if isinstance(value, str) and value in VALUES:
        th, en = VALUES[value]
        return en if lang == "en" else th
    if key in PEOPLE_KEYS and isinstance(value, str):
        return _person(value, people)
    if key == "of" and isinstance(value, str):  # what an approval was for: "ledger.voucher:12"
        kind, _, pk = value.partition(":")
        if pk:
            return f"{object_label(kind, lang)} #{pk}"
        return VALUES["demo.history"][lang == "en"] if "demo" in value else value
    if key in MONEY_DICT_KEYS and isinstance(value, dict):
        return " · ".join(f"{key_label(k, lang)}: {_baht(v, lang) if isinstance(v, int) else v}"
                          for k, v in sorted(value.items()))
    if key == "fiscal_year_start_month" and isinstance(value, int) and 1 <= value <= 12:
        return (thaidate.MONTHS_EN if lang == "en" else thaidate.MONTHS_TH)[value - 1]
    if key == "loan_allowance" and isinstance(value, list) and len(value) == len(ALLOWANCE_BUCKETS):
        days = "days" if lang == "en" else "วัน"
        return ", ".join(f"{bucket} {days} {pct}%" for bucket, pct in zip(ALLOWANCE_BUCKETS, value))
    if key == "guarantor_bands" and isinstance(value, list):  # [[up to satang or None, guarantors], …]
        return " · ".join(
            (f"{'up to' if lang == 'en' else 'ถึง'} {_baht(upto, lang)}" if upto is not None
             else ("above" if lang == "en" else "เกินนั้น")) + f": {n}"
            for upto, n in value)
    if isinstance(value, list) and all(isinstance(v, str) for v in value):  # member numbers, an order
        return ", ".join(str(shown(key, v, lang, people)) for v in value)
    if isinstance(value, dict):  # a nested detail: each key by its label, each value as shown
        return " · ".join(f"{key_label(k, lang)}: {shown(k, v, lang, people)}" for k, v in sorted(value.items()))
    if key in MONEY_KEYS and isinstance(value, int):
        return _baht(value, lang)
    if key == "lines" and isinstance(value, list):
        return "; ".join(_line(ln, lang) if isinstance(ln, list) else str(ln) for ln in value)
    if isinstance(value, str) and _ISO_TIME.match(value):
        try:
            moment = dt.datetime.fromisoformat(value)
        except ValueError:
            return value
        return f"{thaidate.format_date(moment.date(), lang=lang)} {moment:%H:%M}"
    if isinstance(value, str) and _ISO_DATE.match(value):
        try:
            return thaidate.format_date(dt.date.fromisoformat(value), lang=lang)
        except ValueError:
            return value
    return value
