"""The standard chart of accounts (DESIGN.md) and the funds every new group starts with.

Codes are stable: networks add groups' books up by ``standard_code``. Other domains name
accounts by these constants instead of literal strings.
"""

from __future__ import annotations

import datetime as dt

from omboon.core import months
from omboon.ledger.models import AccountType as T

CASH, BANK, LOANS, INTEREST_RECEIVABLE = "1100", "1200", "1300", "1310"
SAVINGS_DEPOSITS, BENEFITS_PAYABLE, OTHER_PAYABLES = "2100", "2200", "2300"
WELFARE_FUND, RESERVE_FUND, ACCUMULATED_SURPLUS = "3100", "3200", "3300"
ENTRY_FEES, YEARLY_CONTRIBUTIONS, DAILY_SAVINGS = "4100", "4200", "4300"
STATE_MATCHING, LOCAL_MATCHING, DONATIONS, INTEREST_INCOME, OTHER_INCOME = "4400", "4500", "4600", "4700", "4800"
BENEFITS_PAID, ADMINISTRATION, COMMITTEE_REMUNERATION, INTEREST_ON_SAVINGS = "5100", "5200", "5300", "5400"
# Added for savings, loans and the year-end (DESIGN.md "Savings, loans and the year-end").
LOAN_ALLOWANCE = "1320"
VOLUNTARY_SAVINGS, FIXED_DEPOSITS, DIVIDENDS_PAYABLE, REFUNDS_PAYABLE = "2110", "2120", "2400", "2410"
SHARE_CAPITAL = "3400"
# The year-end allocation's public-benefit part (ทุนสาธารณประโยชน์); its committee
# remuneration is owed until paid, under other payables (2300).
PUBLIC_BENEFIT_FUND = "3500"
LOAN_INTEREST_INCOME, FINES_AND_PENALTIES = "4710", "4720"
LOANS_WRITTEN_OFF = "5500"  # (5190, grants to community enterprises, welfare opens as a benefit account)
# The expense of the allowance for doubtful loans (1320) set at month-end by aging bucket
# (``loans.allowance``); a fall of the allowance is credited back to it.
DOUBTFUL_LOANS = "5510"
# A savings withdrawal fee or any other fee on a member's account: the chart has no fee account
# of its own (4710 is loan interest), so it is other income.
SAVINGS_FEES = OTHER_INCOME

# Accounts kept per member: every line on them names a member's sub-account
# (``ledger.SubAccount``), and their balance is the sum of the sub-accounts' (by standard code,
# so a group's own account mapped to one of these is kept per member too).
SUB_ACCOUNTED = frozenset({SAVINGS_DEPOSITS, VOLUNTARY_SAVINGS, FIXED_DEPOSITS, SHARE_CAPITAL})

# One benefits-paid sub-account per welfare category (DESIGN.md glossary).
BENEFIT_ACCOUNTS = {
    "childbirth": "5110",
    "sickness": "5120",
    "death": "5130",
    "disability": "5140",
    "education": "5150",
    "elderly": "5160",
    "disaster": "5170",
    "other": "5180",
}

# (code, Thai, English, type, parent code)
STANDARD_CHART: list[tuple[str, str, str, str, str | None]] = [
    (CASH, "เงินสด", "Cash", T.ASSET, None),
    (BANK, "เงินฝากธนาคาร", "Bank deposits", T.ASSET, None),
    (LOANS, "ลูกหนี้เงินกู้", "Loans to members", T.ASSET, None),
    (INTEREST_RECEIVABLE, "ดอกเบี้ยค้างรับ", "Interest receivable", T.ASSET, LOANS),
    (LOAN_ALLOWANCE, "ค่าเผื่อหนี้สงสัยจะสูญ", "Allowance for doubtful loans", T.ASSET, LOANS),
    (SAVINGS_DEPOSITS, "เงินฝากสัจจะ", "Member savings deposits", T.LIABILITY, None),
    (BENEFITS_PAYABLE, "สวัสดิการค้างจ่าย", "Benefits payable", T.LIABILITY, None),
    (VOLUNTARY_SAVINGS, "เงินฝากออมทรัพย์", "Voluntary savings", T.LIABILITY, None),
    (FIXED_DEPOSITS, "เงินฝากประจำ", "Fixed-term deposits", T.LIABILITY, None),
    (OTHER_PAYABLES, "เจ้าหนี้อื่น", "Other payables", T.LIABILITY, None),
    (DIVIDENDS_PAYABLE, "เงินปันผลค้างจ่าย", "Dividends payable", T.LIABILITY, None),
    (REFUNDS_PAYABLE, "เงินเฉลี่ยคืนค้างจ่าย", "Refunds payable", T.LIABILITY, None),
    (WELFARE_FUND, "กองทุนสวัสดิการ", "Welfare fund", T.EQUITY, None),
    (RESERVE_FUND, "ทุนสำรอง", "Reserve fund", T.EQUITY, None),
    (ACCUMULATED_SURPLUS, "รายได้สูงกว่ารายจ่ายสะสม", "Accumulated surplus", T.EQUITY, None),
    (SHARE_CAPITAL, "ทุนเรือนหุ้น", "Share capital", T.EQUITY, None),
    (PUBLIC_BENEFIT_FUND, "ทุนสาธารณประโยชน์", "Public benefit fund", T.EQUITY, None),
    (ENTRY_FEES, "ค่าธรรมเนียมแรกเข้า", "Entry fees", T.INCOME, None),
    (YEARLY_CONTRIBUTIONS, "ค่าสมทบรายปี", "Yearly contributions", T.INCOME, None),
    (DAILY_SAVINGS, "เงินออมวันละบาท", "One-baht-a-day savings", T.INCOME, None),
    (STATE_MATCHING, "เงินสมทบจากรัฐ/พอช.", "State/CODI matching", T.INCOME, None),
    (LOCAL_MATCHING, "เงินสมทบจาก อปท.", "Local government matching", T.INCOME, None),
    (DONATIONS, "เงินบริจาค", "Donations", T.INCOME, None),
    (INTEREST_INCOME, "รายได้ดอกเบี้ย", "Interest income", T.INCOME, None),
    (LOAN_INTEREST_INCOME, "ดอกเบี้ยรับจากเงินกู้", "Loan interest income", T.INCOME, None),
    (FINES_AND_PENALTIES, "ค่าปรับ", "Fines and penalties", T.INCOME, None),
    (OTHER_INCOME, "รายได้อื่น", "Other income", T.INCOME, None),
    (BENEFITS_PAID, "ค่าสวัสดิการ", "Benefits paid", T.EXPENSE, None),
    ("5110", "ค่าทำขวัญบุตร", "Childbirth benefits", T.EXPENSE, BENEFITS_PAID),
    ("5120", "ค่าเยี่ยมไข้/นอนโรงพยาบาล", "Sickness and hospital benefits", T.EXPENSE, BENEFITS_PAID),
    ("5130", "ค่าจัดการศพ", "Death benefits", T.EXPENSE, BENEFITS_PAID),
    ("5140", "สวัสดิการผู้พิการ/ด้อยโอกาส", "Disability benefits", T.EXPENSE, BENEFITS_PAID),
    ("5150", "ทุนการศึกษา", "Education grants", T.EXPENSE, BENEFITS_PAID),
    ("5160", "สวัสดิการผู้สูงอายุ", "Elderly benefits", T.EXPENSE, BENEFITS_PAID),
    ("5170", "สวัสดิการภัยพิบัติ", "Disaster relief", T.EXPENSE, BENEFITS_PAID),
    ("5180", "สวัสดิการอื่น", "Other benefits", T.EXPENSE, BENEFITS_PAID),
    (ADMINISTRATION, "ค่าใช้จ่ายในการบริหาร", "Administration", T.EXPENSE, None),
    (COMMITTEE_REMUNERATION, "ค่าตอบแทนกรรมการ", "Committee remuneration", T.EXPENSE, None),
    (INTEREST_ON_SAVINGS, "ดอกเบี้ยเงินฝากสัจจะ", "Interest on savings", T.EXPENSE, None),
    (LOANS_WRITTEN_OFF, "หนี้สูญ", "Loans written off", T.EXPENSE, None),
    (DOUBTFUL_LOANS, "หนี้สงสัยจะสูญ", "Doubtful loans expense", T.EXPENSE, None),
]
STANDARD_CODES = {code for code, *_ in STANDARD_CHART}
STANDARD_NAMES = {code: (th, en) for code, th, en, *_ in STANDARD_CHART}
STANDARD_TYPES = {code: t for code, _th, _en, t, _p in STANDARD_CHART}

DEFAULT_FUND = "WEL"
STANDARD_FUNDS = [
    (DEFAULT_FUND, "กองทุนสวัสดิการ", "Welfare fund", True),
    ("RES", "ทุนสำรอง", "Reserve fund", False),
    ("SAV", "กองทุนสัจจะออมทรัพย์", "Savings fund", False),
]


# --- fiscal years ---------------------------------------------------------------------------
# A fiscal year is named by the Gregorian year it ends in (as Thai government fiscal years
# are): with a start month of October, Oct 2024 – Sep 2025 is fiscal year 2025 (พ.ศ. 2568).

def fiscal_year_of(start_month: int, day: dt.date) -> int:
    if start_month == 1:
        return day.year
    return day.year + 1 if day.month >= start_month else day.year


def fiscal_year_bounds(start_month: int, fiscal_year: int) -> tuple[dt.date, dt.date]:
    if start_month == 1:
        return dt.date(fiscal_year, 1, 1), dt.date(fiscal_year, 12, 31)
    end_month = start_month - 1
    end = months.end(fiscal_year, end_month)
    return dt.date(fiscal_year - 1, start_month, 1), end


def is_fiscal_year_end(start_month: int, month: int) -> bool:
    return month == (start_month - 2) % 12 + 1


def month_end(year: int, month: int) -> dt.date:
    return months.end(year, month)


def next_month(year: int, month: int) -> tuple[int, int]:
    return months.add(year, month, 1)
