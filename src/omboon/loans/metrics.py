"""Group metrics (DESIGN.md "Savings, loans and the year-end"), pure: each a ratio of a few
figures that a group's books and registers give (``reports.metrics``) or that a network adds up
from its groups' monthly facts (``network.selectors.Figures``), so both read the same definitions.
Money is integer satang; a share is a percentage rounded to 2 decimals, None when its whole is 0.

- savings per member: members' savings and shares (what their accounts on 2100, 2110, 2120 and
  3400 hold) at the end ÷ active members at the end.
- loans outstanding: the gross outstanding principal at the end (1300).
- loan-fund utilisation: loans outstanding ÷ (loans outstanding + lendable cash). **Lendable
  cash** is the balance of cash (1100) and bank deposits (1200), with their sub-accounts, of
  every fund at the end: the money on hand that could be lent. Nothing is deducted for savings
  owed to members, as a savings group lends its members' savings.
- PAR30: outstanding principal of loans with an instalment more than 30 days overdue ÷ loans
  outstanding (the arrears rate is another figure, in the loan reports).
- write-off ratio: principal written off over the period ÷ loans outstanding at the end.
- return on savings: net income over the period (income less expenses, the year-end closing
  left out) ÷ members' savings and shares at the end.
- members with a loan: members with a loan outstanding at the end, and their share of active
  members.

The period is the 12 months to the day on a group's dashboard, and the months chosen on a
network's pages.
"""

from __future__ import annotations

from dataclasses import dataclass

MONEY, PCT, COUNT = "money", "pct", "count"


@dataclass(frozen=True, slots=True)
class Inputs:
    active_members: int
    savings: int  # members' savings and shares at the end
    loans: int  # gross outstanding principal at the end
    lendable_cash: int  # 1100 + 1200 at the end
    par30: int  # outstanding principal of loans more than 30 days overdue
    written_off: int  # principal written off over the period
    net_income: int  # income − expenses over the period
    borrowers: int  # members with a loan outstanding at the end


@dataclass(frozen=True, slots=True)
class Metric:
    key: str
    kind: str  # MONEY (satang), PCT or COUNT
    value: int | float | None
    label_th: str
    label_en: str
    help_th: str
    help_en: str
    share: float | None = None  # a count's share of active members (%)

    def label(self, lang: str = "th") -> str:
        return self.label_en if lang == "en" else self.label_th

    def help(self, lang: str = "th") -> str:
        return self.help_en if lang == "en" else self.help_th


def pct(part: int, whole: int) -> float | None:
    return round(part * 100 / whole, 2) if whole else None


def metrics(i: Inputs) -> list[Metric]:
    """The seven metrics of ``i``, in DESIGN.md's order, each with its label and definition."""
    return [
        Metric("savings_per_member", MONEY, i.savings // i.active_members if i.active_members else None,
               "เงินออมเฉลี่ยต่อสมาชิก", "Savings per member",
               "เงินฝากและหุ้นของสมาชิก (2100 2110 2120 3400) ณ วันสิ้นงวด ÷ สมาชิกปกติ",
               "members' savings and shares (2100, 2110, 2120, 3400) at the end ÷ active members"),
        Metric("loans_outstanding", MONEY, i.loans, "เงินกู้คงค้าง", "Loans outstanding",
               "เงินต้นคงค้างของเงินกู้ทั้งหมด (1300) ณ วันสิ้นงวด",
               "gross outstanding principal (1300) at the end"),
        Metric("utilisation", PCT, pct(i.loans, i.loans + i.lendable_cash), "อัตราการใช้เงินกองทุนให้กู้",
               "Loan-fund utilisation",
               "เงินกู้คงค้าง ÷ (เงินกู้คงค้าง + เงินที่ให้กู้ได้); เงินที่ให้กู้ได้คือเงินสด (1100) และเงินฝากธนาคาร (1200) "
               "ทุกกองทุน ณ วันสิ้นงวด",
               "loans outstanding ÷ (loans outstanding + lendable cash); lendable cash is cash (1100) and "
               "bank deposits (1200) of every fund at the end"),
        Metric("par30", PCT, pct(i.par30, i.loans), "PAR30", "PAR30",
               "เงินต้นคงค้างของสัญญาที่มีงวดค้างชำระเกิน 30 วัน ÷ เงินกู้คงค้าง (ไม่ใช่อัตราเงินต้นค้างชำระ)",
               "outstanding principal of loans with an instalment over 30 days overdue ÷ loans outstanding "
               "(not the arrears rate)"),
        Metric("write_off_ratio", PCT, pct(i.written_off, i.loans), "อัตราหนี้สูญ", "Write-off ratio",
               "เงินต้นที่ตัดเป็นหนี้สูญในงวด ÷ เงินกู้คงค้าง ณ วันสิ้นงวด",
               "principal written off over the period ÷ loans outstanding at the end"),
        Metric("return_on_savings", PCT, pct(i.net_income, i.savings), "ผลตอบแทนต่อเงินออม", "Return on savings",
               "รายได้สูงกว่ารายจ่ายในงวด (ไม่นับรายการปิดบัญชีสิ้นปี) ÷ เงินฝากและหุ้นของสมาชิก ณ วันสิ้นงวด",
               "net income over the period (the year-end closing left out) ÷ members' savings and shares at "
               "the end"),
        Metric("members_with_loan", COUNT, i.borrowers, "สมาชิกที่มีเงินกู้", "Members with a loan",
               "สมาชิกที่มีเงินกู้คงค้าง ณ วันสิ้นงวด และร้อยละของสมาชิกปกติ",
               "members with a loan outstanding at the end, and their share of active members",
               share=pct(i.borrowers, i.active_members)),
    ]
