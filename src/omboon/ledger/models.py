"""The books: accounts, funds, journal entries and lines, periods and their stored balances.

Money is integer satang. A posted entry and its lines are never updated or deleted — the
model refuses it here, and the database refuses it again with triggers (see migration 0002).
Only ``omboon.ledger.services.entry_post`` creates entries.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from omboon.core import months
from omboon.core.errors import RuleViolation


class Immutable(RuleViolation):
    """A posted entry or line was asked to change: correct it with a reversing entry."""

    @classmethod
    def refuse(cls, what: str) -> Immutable:
        return cls.single(
            what,
            "รายการที่ลงบัญชีแล้วแก้ไขหรือลบไม่ได้ ให้บันทึกรายการกลับบัญชีแทน",
            "a posted entry cannot be changed or deleted; post a reversing entry instead",
        )


class AccountType(models.TextChoices):
    ASSET = "asset", _("สินทรัพย์")
    LIABILITY = "liability", _("หนี้สิน")
    EQUITY = "equity", _("ทุน")
    INCOME = "income", _("รายได้")
    EXPENSE = "expense", _("ค่าใช้จ่าย")


DEBIT_NORMAL = {AccountType.ASSET, AccountType.EXPENSE}


class Account(models.Model):
    """One account of a group's chart; ``standard_code`` maps it to the shared template so a
    network adds groups' books up by standard code."""

    organisation = models.ForeignKey("orgs.Organisation", on_delete=models.PROTECT, related_name="accounts")
    code = models.CharField(max_length=16)
    name_th = models.CharField(max_length=200)
    name_en = models.CharField(max_length=200, blank=True)
    type = models.CharField(max_length=16, choices=AccountType.choices)
    standard_code = models.CharField(max_length=16)
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="children")
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["organisation_id", "code"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "code"], name="ledger_account_code_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name_th}"

    def name(self, lang: str = "th") -> str:
        return self.name_en if lang == "en" and self.name_en else self.name_th

    @property
    def debit_normal(self) -> bool:
        return self.type in DEBIT_NORMAL


class Fund(models.Model):
    """A fund (กองทุน) — a dimension of every line. A group has exactly one default fund."""

    organisation = models.ForeignKey("orgs.Organisation", on_delete=models.PROTECT, related_name="funds")
    code = models.CharField(max_length=16)
    name_th = models.CharField(max_length=200)
    name_en = models.CharField(max_length=200, blank=True)
    is_default = models.BooleanField(default=False)

    class Meta:
        ordering = ["organisation_id", "code"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "code"], name="ledger_fund_code_unique"),
            models.UniqueConstraint(fields=["organisation"], condition=models.Q(is_default=True),
                                    name="ledger_one_default_fund"),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name_th}"

    def name(self, lang: str = "th") -> str:
        return self.name_en if lang == "en" and self.name_en else self.name_th


class SubAccount(models.Model):
    """A member's account under one of the chart's per-member accounts (``chart.SUB_ACCOUNTED``:
    savings 2100/2110/2120, shares 3400): the member-account dimension of journal lines.

    It holds no balance: a sub-account's balance is the sum of its lines
    (``selectors.sub_account_balance``). ``kind`` says who keeps it (``savings:voluntary``...);
    ``number`` is the group's account number, unique in the group. Opened only by
    ``services.sub_account_open`` (savings calls it)."""

    organisation = models.ForeignKey("orgs.Organisation", on_delete=models.PROTECT, related_name="+",
                                     db_index=False)  # the unique (organisation, number) leads with it
    account = models.ForeignKey(Account, on_delete=models.PROTECT, related_name="sub_accounts")
    member = models.ForeignKey("members.Member", on_delete=models.PROTECT, related_name="sub_accounts")
    number = models.CharField(max_length=32)
    kind = models.CharField(max_length=32, blank=True)
    name = models.CharField(max_length=200, blank=True)
    opened_on = models.DateField()

    class Meta:
        ordering = ["organisation_id", "number"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "number"], name="ledger_subaccount_number_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.name}".strip()


class Period(models.Model):
    """One month of a group's books. Closed months are a prefix: closing goes in order and
    reopening a month reopens every later one."""

    class Status(models.TextChoices):
        OPEN = "open", _("เปิด")
        CLOSED = "closed", _("ปิดแล้ว")

    organisation = models.ForeignKey("orgs.Organisation", on_delete=models.PROTECT, related_name="periods")
    year = models.PositiveSmallIntegerField()
    month = models.PositiveSmallIntegerField()
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.OPEN)
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                  related_name="+")

    class Meta:
        ordering = ["organisation_id", "year", "month"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "year", "month"], name="ledger_period_unique"),
            models.CheckConstraint(condition=models.Q(month__gte=1, month__lte=12), name="ledger_period_month"),
        ]

    def __str__(self) -> str:
        return f"{self.year}-{self.month:02d} {self.status}"

    @property
    def start(self) -> dt.date:
        return dt.date(self.year, self.month, 1)

    @property
    def end(self) -> dt.date:
        return months.end(self.year, self.month)

    @property
    def is_closed(self) -> bool:
        return self.status == self.Status.CLOSED


class PeriodBalance(models.Model):
    """An account's and fund's movement in a closed month and its closing balance.

    ``balance`` is signed debit-minus-credit, cumulative from the first entry; readers flip
    the sign for credit-normal accounts. Written by ``period_close``, deleted by reopening.
    """

    organisation = models.ForeignKey("orgs.Organisation", on_delete=models.PROTECT, related_name="+")
    period = models.ForeignKey(Period, on_delete=models.CASCADE, related_name="balances")
    account = models.ForeignKey(Account, on_delete=models.PROTECT, related_name="+")
    fund = models.ForeignKey(Fund, on_delete=models.PROTECT, related_name="+")
    debit_total = models.BigIntegerField(default=0)
    credit_total = models.BigIntegerField(default=0)
    balance = models.BigIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["period", "account", "fund"], name="ledger_period_balance_unique"),
        ]


class DocumentType(models.TextChoices):
    RECEIPT = "receipt", _("ใบเสร็จรับเงิน")
    PAYMENT = "payment", _("ใบสำคัญจ่าย")
    JOURNAL = "journal", _("ใบสำคัญทั่วไป")
    OPENING = "opening", _("ยอดยกมา")
    CLOSING = "closing", _("ปิดบัญชีสิ้นปี")


DOC_PREFIX = {
    DocumentType.RECEIPT: "RV",
    DocumentType.PAYMENT: "PV",
    DocumentType.JOURNAL: "JV",
    DocumentType.OPENING: "OB",
    DocumentType.CLOSING: "CL",
}


class DocumentSequence(models.Model):
    """The last running number of a document type in a fiscal year; taken with
    ``select_for_update`` inside the posting transaction, so numbers have no gaps."""

    organisation = models.ForeignKey("orgs.Organisation", on_delete=models.PROTECT, related_name="+")
    doc_type = models.CharField(max_length=16, choices=DocumentType.choices)
    fiscal_year = models.PositiveSmallIntegerField()
    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organisation", "doc_type", "fiscal_year"],
                                    name="ledger_docseq_unique"),
        ]


class ImmutableQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise Immutable.refuse(self.model._meta.model_name)

    def delete(self):
        raise Immutable.refuse(self.model._meta.model_name)

    def bulk_update(self, objs, fields, batch_size=None):
        raise Immutable.refuse(self.model._meta.model_name)


class JournalEntry(models.Model):
    # (organisation, date) and the unique keys lead with it: no index of its own
    organisation = models.ForeignKey("orgs.Organisation", on_delete=models.PROTECT, related_name="+",
                                     db_index=False)
    date = models.DateField()
    doc_type = models.CharField(max_length=16, choices=DocumentType.choices)
    number = models.PositiveIntegerField()
    fiscal_year = models.PositiveSmallIntegerField()
    memo = models.CharField(max_length=255, blank=True)
    total = models.BigIntegerField()  # sum of debits = sum of credits, satang
    source_type = models.CharField(max_length=64, blank=True)
    source_id = models.CharField(max_length=64, blank=True)
    idempotency_key = models.CharField(max_length=128, null=True, blank=True)  # noqa: DJ001 — NULL: unique only when given
    reverses = models.OneToOneField("self", null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="reversed_by")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+", db_index=False)  # never looked up by
    posted_at = models.DateTimeField()

    objects = ImmutableQuerySet.as_manager()

    class Meta:
        ordering = ["organisation_id", "date", "id"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "doc_type", "fiscal_year", "number"],
                                    name="ledger_entry_number_unique"),
            models.UniqueConstraint(fields=["organisation", "idempotency_key"],
                                    condition=models.Q(idempotency_key__isnull=False),
                                    name="ledger_entry_idempotency_unique"),
            models.CheckConstraint(condition=models.Q(total__gt=0), name="ledger_entry_total_positive"),
        ]
        indexes = [
            models.Index(fields=["organisation", "date"]),
            models.Index(fields=["source_type", "source_id"]),
        ]

    def __str__(self) -> str:
        return f"{self.document_number} {self.date} {self.memo}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise Immutable.refuse("entry")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise Immutable.refuse("entry")

    @property
    def document_number(self) -> str:
        """e.g. RV2568/00012 — prefix, Buddhist-era fiscal year, running number."""
        return f"{DOC_PREFIX.get(self.doc_type, 'XX')}{self.fiscal_year + 543}/{self.number:05d}"


class JournalLine(models.Model):
    """One leg of an entry: exactly one of debit and credit is positive. ``date`` repeats the
    entry's date (the database checks it) so month aggregates read one table."""

    # ledger_line_org_date and ledger_line_account_date lead with these two: no index of their own.
    # On PostgreSQL these foreign keys have no database constraint: the ledger's statement trigger
    # checks them per COPY and a delete trigger keeps their rows (migration 0005 says why).
    organisation = models.ForeignKey("orgs.Organisation", on_delete=models.PROTECT, related_name="+",
                                     db_index=False)
    entry = models.ForeignKey(JournalEntry, on_delete=models.PROTECT, related_name="lines")
    date = models.DateField()
    account = models.ForeignKey(Account, on_delete=models.PROTECT, related_name="lines", db_index=False)
    fund = models.ForeignKey(Fund, on_delete=models.PROTECT, related_name="lines")
    member = models.ForeignKey("members.Member", null=True, blank=True, on_delete=models.PROTECT,
                               related_name="journal_lines")
    # A member's account under a per-member account (chart.SUB_ACCOUNTED); indexed only where set.
    sub_account = models.ForeignKey(SubAccount, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="lines", db_index=False)
    debit = models.BigIntegerField(default=0)
    credit = models.BigIntegerField(default=0)
    memo = models.CharField(max_length=255, blank=True)

    objects = ImmutableQuerySet.as_manager()

    class Meta:
        ordering = ["entry_id", "id"]
        constraints = [
            models.CheckConstraint(
                condition=(models.Q(debit__gt=0, credit=0) | models.Q(debit=0, credit__gt=0)),
                name="ledger_line_one_side_positive",
            ),
        ]
        indexes = [
            models.Index(fields=["organisation", "date", "account", "fund"], name="ledger_line_org_date"),
            models.Index(fields=["account", "date"], name="ledger_line_account_date"),
            models.Index(fields=["sub_account", "date"], name="ledger_line_sub_account_date",
                         condition=models.Q(sub_account__isnull=False)),
        ]

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise Immutable.refuse("line")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise Immutable.refuse("line")

    @property
    def amount(self) -> int:
        return self.debit - self.credit


class Voucher(models.Model):
    """A voucher entered by hand (ใบสำคัญรับ/จ่าย/ทั่วไป): draft → approved → posted.
    The approver is never its maker; posting creates the journal entry."""

    class Kind(models.TextChoices):
        RECEIPT = "receipt", _("ใบสำคัญรับ")
        PAYMENT = "payment", _("ใบสำคัญจ่าย")
        JOURNAL = "journal", _("ใบสำคัญทั่วไป")

    class Status(models.TextChoices):
        DRAFT = "draft", _("ร่าง")
        APPROVED = "approved", _("อนุมัติแล้ว")
        POSTED = "posted", _("ลงบัญชีแล้ว")
        CANCELLED = "cancelled", _("ยกเลิก")

    organisation = models.ForeignKey("orgs.Organisation", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=16, choices=Kind.choices)
    date = models.DateField()
    counterparty = models.CharField(max_length=200, blank=True)
    memo = models.CharField(max_length=255)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.DRAFT)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+")
    approved_at = models.DateTimeField(null=True, blank=True)
    entry = models.OneToOneField(JournalEntry, null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="voucher")

    class Meta:
        ordering = ["-date", "-id"]
        indexes = [models.Index(fields=["organisation", "status", "date"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(approved_by__isnull=True) | ~models.Q(approved_by=models.F("created_by")),
                name="ledger_voucher_maker_not_checker",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.date} {self.memo}"

    @property
    def total(self) -> int:
        return sum(line.debit for line in self.lines.all())


class VoucherLine(models.Model):
    organisation = models.ForeignKey("orgs.Organisation", on_delete=models.PROTECT, related_name="+")
    voucher = models.ForeignKey(Voucher, on_delete=models.CASCADE, related_name="lines")
    account = models.ForeignKey(Account, on_delete=models.PROTECT, related_name="+")
    fund = models.ForeignKey(Fund, on_delete=models.PROTECT, related_name="+")
    member = models.ForeignKey("members.Member", null=True, blank=True, on_delete=models.PROTECT,
                               related_name="+")
    sub_account = models.ForeignKey(SubAccount, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    description = models.CharField(max_length=255, blank=True)
    debit = models.BigIntegerField(default=0)
    credit = models.BigIntegerField(default=0)

    class Meta:
        ordering = ["voucher_id", "id"]
        constraints = [
            models.CheckConstraint(
                condition=(models.Q(debit__gt=0, credit=0) | models.Q(debit=0, credit__gt=0)),
                name="ledger_voucherline_one_side",
            ),
        ]


def member_model():
    """The members' model as the ledger's lines name it ("members.Member"): the ledger reads
    member ids and numbers through its own foreign key, never by importing its sibling domain
    (DESIGN.md "Layers": members and ledger are one layer, independent)."""
    return JournalLine._meta.get_field("member").related_model
