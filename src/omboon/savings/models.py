"""Savings products and their versions, members' accounts and their status history,
withdrawals waiting for a second person. Data only: ``services`` writes them; money moves only
through the ledger (every deposit, withdrawal and interest is a journal entry on the account's
sub-account), and no balance is stored here."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from omboon.ledger import chart
from omboon.orgs.maker_checker import Requested


class Kind(models.TextChoices):
    COMPULSORY = "compulsory", _("เงินสัจจะ")
    VOLUNTARY = "voluntary", _("เงินฝากออมทรัพย์")
    FIXED = "fixed", _("เงินฝากประจำ")
    SHARES = "shares", _("หุ้น")


# The ledger account each kind's money sits in (per member: its sub-account).
KIND_ACCOUNT = {
    Kind.COMPULSORY: chart.SAVINGS_DEPOSITS,
    Kind.VOLUNTARY: chart.VOLUNTARY_SAVINGS,
    Kind.FIXED: chart.FIXED_DEPOSITS,
    Kind.SHARES: chart.SHARE_CAPITAL,
}


class InterestPeriod(models.TextChoices):
    NONE = "none", _("ไม่จ่ายดอกเบี้ย")
    MONTHLY = "monthly", _("รายเดือน")
    QUARTERLY = "quarterly", _("รายไตรมาส")
    HALF_YEARLY = "half-yearly", _("รายครึ่งปี")
    YEARLY = "yearly", _("รายปี")


class Product(models.Model):
    organisation = models.ForeignKey("orgs.Organisation", on_delete=models.PROTECT, related_name="+")
    code = models.CharField(max_length=16)
    kind = models.CharField(max_length=16, choices=Kind.choices)
    name_th = models.CharField(max_length=120)
    name_en = models.CharField(max_length=120, blank=True)
    is_active = models.BooleanField(default=True)
    # The bylaws open an account of it for every member who joins (``receivers``).
    opens_on_joining = models.BooleanField(default=False)

    class Meta:
        ordering = ["organisation_id", "code"]
        constraints = [models.UniqueConstraint(fields=["organisation", "code"], name="savings_product_code_unique")]

    def __str__(self) -> str:
        return f"{self.code} {self.name_th}"

    def name(self, lang: str = "th") -> str:
        return self.name_en if lang == "en" and self.name_en else self.name_th


class ProductVersion(models.Model):
    """A product's terms from a date on (the bylaws as data). Amounts in satang, rates in
    percent a year. Each kind reads the terms that concern it; the others stay 0."""

    product = models.ForeignKey(Product, on_delete=models.PROTECT, related_name="versions")
    effective_from = models.DateField()
    # every kind
    min_balance = models.BigIntegerField(default=0)  # interest only above it; voluntary: kept after withdrawals
    annual_rate = models.DecimalField(max_digits=6, decimal_places=3, default=0)  # percent a year
    interest_period = models.CharField(max_length=16, choices=InterestPeriod.choices, default=InterestPeriod.NONE)
    # compulsory สัจจะ
    monthly_amount = models.BigIntegerField(default=0)
    withdrawals_a_year = models.PositiveSmallIntegerField(default=0)  # 0: only on leaving the group
    withdrawal_max_percent = models.PositiveSmallIntegerField(default=0)  # of the balance, per withdrawal
    # voluntary
    withdrawal_fee = models.BigIntegerField(default=0)
    # fixed-term deposits
    term_months = models.PositiveSmallIntegerField(default=0)
    early_rate = models.DecimalField(max_digits=6, decimal_places=3, default=0)  # percent a year if withdrawn early
    # shares
    share_price = models.BigIntegerField(default=0)
    min_shares = models.PositiveIntegerField(default=0)
    max_shares = models.PositiveIntegerField(default=0)  # 0: no maximum
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["product_id", "effective_from"]
        constraints = [models.UniqueConstraint(fields=["product", "effective_from"],
                                               name="savings_version_date_unique")]


class Account(models.Model):
    """A member's account of one product: its money is the lines of ``sub_account``."""

    class Status(models.TextChoices):
        OPEN = "open", _("ปกติ")
        DORMANT = "dormant", _("ไม่เคลื่อนไหว")
        CLOSED = "closed", _("ปิดบัญชี")

    organisation = models.ForeignKey("orgs.Organisation", on_delete=models.PROTECT, related_name="+")
    number = models.CharField(max_length=32)  # as the sub-account's: product code and running number
    product = models.ForeignKey(Product, on_delete=models.PROTECT, related_name="accounts")
    member = models.ForeignKey("members.Member", on_delete=models.PROTECT, related_name="savings_accounts")
    sub_account = models.OneToOneField("ledger.SubAccount", on_delete=models.PROTECT, related_name="savings_account")
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.OPEN)
    opened_on = models.DateField()
    matures_on = models.DateField(null=True, blank=True)  # fixed-term deposits
    closed_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["organisation_id", "number"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "number"], name="savings_account_number_unique"),
            models.UniqueConstraint(fields=["product", "member"], condition=~models.Q(status="closed"),
                                    name="savings_one_account_per_member_product"),
        ]

    def __str__(self) -> str:
        return self.number


class StatusChange(models.Model):
    """An account's history: every status it had, from when, by whom and why."""

    account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="history")
    status = models.CharField(max_length=16, choices=Account.Status.choices)
    date = models.DateField()
    reason = models.CharField(max_length=255, blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                           related_name="+")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["account_id", "at", "id"]


class Withdrawal(Requested):
    """Money asked out of an account: requested by one person, approved (and so paid, a
    payment entry) by a second one who may approve, or rejected or cancelled."""

    class Status(models.TextChoices):
        REQUESTED = "requested", _("รออนุมัติ")
        PAID = "paid", _("จ่ายแล้ว")
        REJECTED = "rejected", _("ไม่อนุมัติ")
        CANCELLED = "cancelled", _("ยกเลิก")

    organisation = models.ForeignKey("orgs.Organisation", on_delete=models.PROTECT, related_name="+")
    account = models.ForeignKey(Account, on_delete=models.PROTECT, related_name="withdrawals")
    date = models.DateField()
    amount = models.BigIntegerField()  # paid to the member, satang
    fee = models.BigIntegerField(default=0)  # kept by the group (other income)
    # A fixed-term deposit's interest settled with it (``services.fixed_settlement``): paid on
    # top of ``amount`` (+), or interest credited at the product rate taken back (−), 5400.
    interest = models.BigIntegerField(default=0)
    paid_from = models.CharField(max_length=8, default="cash")  # cash or bank
    # Paid to someone else than the member: a beneficiary of a member who died (their share).
    payee = models.CharField(max_length=200, blank=True)
    payee_relation = models.CharField(max_length=64, blank=True)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.REQUESTED)
    entry = models.OneToOneField("ledger.JournalEntry", null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="+")

    class Meta:
        ordering = ["-date", "-id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(amount__gt=0, fee__gte=0), name="savings_withdrawal_positive"),
            models.CheckConstraint(
                condition=~models.Q(status="paid") | ~models.Q(decided_by=models.F("requested_by")),
                name="savings_withdrawal_maker_not_checker"),
        ]


class AccountSequence(models.Model):
    """The last account number of a group (``core.sequence``: gapless)."""

    organisation = models.ForeignKey("orgs.Organisation", on_delete=models.PROTECT, related_name="+")
    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["organisation"], name="savings_sequence_unique")]


class InterestRun(models.Model):
    """Interest posted for one product and period: one entry, never twice."""

    organisation = models.ForeignKey("orgs.Organisation", on_delete=models.PROTECT, related_name="+")
    product = models.ForeignKey(Product, on_delete=models.PROTECT, related_name="interest_runs")
    period_start = models.DateField()
    period_end = models.DateField()
    total = models.BigIntegerField(default=0)
    accounts = models.PositiveIntegerField(default=0)
    entry = models.OneToOneField("ledger.JournalEntry", null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="+")
    posted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                  related_name="+")
    posted_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["organisation_id", "period_end", "product_id"]
        constraints = [models.UniqueConstraint(fields=["product", "period_end"], name="savings_interest_once")]


class MonthEndBalance(models.Model):
    """A member account's balance at the end of a closed month: a copy of what its lines add up
    to, made by the month's close (``services.snapshots_write``, the receiver of the ledger's
    ``period_closed``) and forgotten when the month is reopened, so reports read the last
    snapshot and only the lines since. Keyed by the ledger's sub-account, so a group's synced
    lines are counted even before its accounts arrive. Zero balances are not stored."""

    organisation = models.ForeignKey("orgs.Organisation", on_delete=models.CASCADE, related_name="+",
                                     db_index=False)  # the index below leads with it
    sub_account = models.ForeignKey("ledger.SubAccount", on_delete=models.CASCADE, related_name="+")
    month_end = models.DateField()
    balance = models.BigIntegerField()  # on the account's normal side (credit − debit for savings and shares)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["sub_account", "month_end"],
                                               name="savings_month_end_unique")]
        indexes = [models.Index(fields=["organisation", "month_end"], name="savings_month_end_org")]


class PassbookPrint(models.Model):
    """Where an account's paper passbook (สมุดคู่ฝาก) stands: the last journal line printed in
    it and how many lines are printed, so the next print continues on the next free line."""

    account = models.OneToOneField(Account, on_delete=models.CASCADE, related_name="passbook_print")
    last_line_id = models.BigIntegerField(default=0)  # the ledger line printed last
    lines_printed = models.PositiveIntegerField(default=0)  # lines used in the book so far
    printed_at = models.DateTimeField(null=True, blank=True)
    printed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")


class ShareTransfer(Requested):
    """Whole shares moved from one member's share account to another's (a journal between the
    two sub-accounts of 3400): asked by one person, done when a second one approves."""

    class Status(models.TextChoices):
        REQUESTED = "requested", _("รออนุมัติ")
        DONE = "done", _("โอนแล้ว")
        REJECTED = "rejected", _("ไม่อนุมัติ")

    organisation = models.ForeignKey("orgs.Organisation", on_delete=models.PROTECT, related_name="+")
    from_account = models.ForeignKey(Account, on_delete=models.PROTECT, related_name="transfers_out")
    to_account = models.ForeignKey(Account, on_delete=models.PROTECT, related_name="transfers_in")
    date = models.DateField()
    shares = models.PositiveIntegerField()
    amount = models.BigIntegerField()  # shares × the price in force on the date, satang
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.REQUESTED)
    entry = models.OneToOneField("ledger.JournalEntry", null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="+")

    class Meta:
        ordering = ["-date", "-id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(shares__gt=0, amount__gt=0), name="savings_transfer_positive"),
            models.CheckConstraint(
                condition=~models.Q(status="done") | ~models.Q(decided_by=models.F("requested_by")),
                name="savings_transfer_maker_not_checker"),
        ]
