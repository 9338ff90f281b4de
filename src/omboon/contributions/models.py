"""Contribution plans, receipts and collection days.

Money is integer satang. A receipt's money is in the books (``Receipt.entry``, posted by
``omboon.ledger.services.entry_post``); the receipt and its items say what the money was for,
so coverage (paid-through dates, arrears) is derived from the items of receipts that are not
void — never stored on a member as a number that can drift.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from omboon.ledger import chart


class Kind(models.TextChoices):
    ENTRY_FEE = "entry_fee", _("ค่าธรรมเนียมแรกเข้า")
    ANNUAL_FEE = "annual_fee", _("ค่าสมทบรายปี")
    DAILY_SAVING = "daily_saving", _("ออมวันละบาท")
    STATE_MATCHING = "state_matching", _("เงินสมทบจากรัฐ/พอช.")
    LOCAL_MATCHING = "local_matching", _("เงินสมทบจาก อปท.")
    DONATION = "donation", _("เงินบริจาค")


MEMBER_KINDS = (Kind.ENTRY_FEE, Kind.ANNUAL_FEE, Kind.DAILY_SAVING)
GRANT_KINDS = (Kind.STATE_MATCHING, Kind.LOCAL_MATCHING, Kind.DONATION)
KIND_ACCOUNT = {
    Kind.ENTRY_FEE: chart.ENTRY_FEES,
    Kind.ANNUAL_FEE: chart.YEARLY_CONTRIBUTIONS,
    Kind.DAILY_SAVING: chart.DAILY_SAVINGS,
    Kind.STATE_MATCHING: chart.STATE_MATCHING,
    Kind.LOCAL_MATCHING: chart.LOCAL_MATCHING,
    Kind.DONATION: chart.DONATIONS,
}
KIND_EN = {
    Kind.ENTRY_FEE: "Entry fee",
    Kind.ANNUAL_FEE: "Yearly contribution",
    Kind.DAILY_SAVING: "One baht a day",
    Kind.STATE_MATCHING: "State/CODI matching",
    Kind.LOCAL_MATCHING: "Local government matching",
    Kind.DONATION: "Donation",
}


def kind_label(kind: str, lang: str = "th") -> str:
    if lang == "en":
        return KIND_EN.get(kind, kind)
    return str(Kind(kind).label) if kind in Kind.values else kind


class Frequency(models.TextChoices):
    ONCE = "once", _("ครั้งเดียว")
    MONTHLY = "monthly", _("รายเดือน")
    QUARTERLY = "quarterly", _("รายไตรมาส")
    YEARLY = "yearly", _("รายปี")


class ContributionPlan(models.Model):
    """What a group's members pay for one kind, from ``effective_from`` until the next plan
    of the same kind. ``amount``: the entry fee once; the yearly contribution per fiscal year;
    the daily saving per day (100 satang = one baht a day). ``frequency``: how it is billed."""

    organisation = models.ForeignKey("orgs.Organisation", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=16, choices=[(k.value, k.label) for k in MEMBER_KINDS])
    amount = models.BigIntegerField()
    frequency = models.CharField(max_length=16, choices=Frequency.choices, default=Frequency.MONTHLY)
    effective_from = models.DateField()
    fund_code = models.CharField(max_length=16, blank=True)  # blank: the group's default fund
    note = models.CharField(max_length=255, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["organisation_id", "kind", "effective_from"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "kind", "effective_from"],
                                    name="contrib_plan_unique_start"),
            models.CheckConstraint(condition=models.Q(amount__gte=0), name="contrib_plan_amount_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.amount} {self.frequency} from {self.effective_from}"


class CollectionDay(models.Model):
    """One submission of a collection day: many receipts, one transaction."""

    organisation = models.ForeignKey("orgs.Organisation", on_delete=models.PROTECT, related_name="+")
    date = models.DateField()
    count = models.PositiveIntegerField(default=0)
    total = models.BigIntegerField(default=0)
    idempotency_key = models.CharField(max_length=128, null=True, blank=True)  # noqa: DJ001 — NULL: unique only when given
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-date", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "idempotency_key"],
                                    condition=models.Q(idempotency_key__isnull=False),
                                    name="contrib_collection_idempotency_unique"),
        ]


class CollectionDraft(models.Model):
    """A collection day being recorded (วันเก็บเงินที่ยังไม่บันทึกบัญชี): the treasurer saves the
    rows she ticked in pieces, page by page or as she goes; nothing is in the books until the
    final save posts the whole day through ``drafts.collection_draft_post`` (one journal
    entry, one ``CollectionDay``). One open draft per group and date; a dropped connection
    loses nothing that was saved."""

    class Status(models.TextChoices):
        OPEN = "open", _("ยังไม่บันทึกบัญชี")
        POSTED = "posted", _("บันทึกบัญชีแล้ว")
        DISCARDED = "discarded", _("ยกเลิก")

    organisation = models.ForeignKey("orgs.Organisation", on_delete=models.PROTECT, related_name="+")
    date = models.DateField()
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.OPEN)
    key = models.CharField(max_length=64)  # the final save's idempotency key
    collection_day = models.OneToOneField(CollectionDay, null=True, blank=True, on_delete=models.PROTECT,
                                          related_name="draft")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+", db_index=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-date", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "date"], condition=models.Q(status="open"),
                                    name="contrib_draft_one_open_per_day"),
        ]


class CollectionDraftLine(models.Model):
    """One member's payment in a draft day: the amount as last saved (a piece sets it, never
    adds to it, so a piece sent twice records it once)."""

    organisation = models.ForeignKey("orgs.Organisation", on_delete=models.PROTECT, related_name="+",
                                     db_index=False)
    draft = models.ForeignKey(CollectionDraft, on_delete=models.CASCADE, related_name="lines")
    member = models.ForeignKey("members.Member", on_delete=models.PROTECT, related_name="+")
    amount = models.BigIntegerField()  # the contribution (0: the member pays only other parts)
    # the other parts of the row (``ledger.collection``): {part code: {target ref: satang}}
    parts = models.JSONField(default=dict, blank=True)
    parts_total = models.BigIntegerField(default=0)
    piece_key = models.CharField(max_length=128)  # the piece that last set it
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["draft_id", "id"]
        constraints = [
            models.UniqueConstraint(fields=["draft", "member"], name="contrib_draft_line_once_per_member"),
            models.CheckConstraint(condition=models.Q(amount__gte=0, parts_total__gte=0)
                                   & (models.Q(amount__gt=0) | models.Q(parts_total__gt=0)),
                                   name="contrib_draft_line_something_paid"),
        ]

    @property
    def total(self) -> int:
        return self.amount + self.parts_total


class CollectionDraftPiece(models.Model):
    """A piece of a draft day as it was saved, by its idempotency key: the same key again (a
    double tap, a resend after a dropped connection) changes nothing and answers the same."""

    organisation = models.ForeignKey("orgs.Organisation", on_delete=models.PROTECT, related_name="+",
                                     db_index=False)
    draft = models.ForeignKey(CollectionDraft, on_delete=models.CASCADE, related_name="pieces")
    key = models.CharField(max_length=128)
    result = models.JSONField(default=dict)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+", db_index=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["draft", "key"], name="contrib_draft_piece_key_unique"),
        ]


class ReceiptSequence(models.Model):
    """The last receipt number of a group in a fiscal year. Taken with ``select_for_update``
    inside the issuing transaction (on SQLite the IMMEDIATE transaction holds the write lock),
    so numbers are unique and have no gaps, whoever issues them at the same time."""

    organisation = models.ForeignKey("orgs.Organisation", on_delete=models.PROTECT, related_name="+")
    fiscal_year = models.PositiveSmallIntegerField()
    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organisation", "fiscal_year"], name="contrib_receipt_sequence_unique"),
        ]


def receipt_document_number(fiscal_year: int, number: int) -> str:
    """e.g. RC2568/00012 — Buddhist-era fiscal year and the running number."""
    return f"RC{fiscal_year + 543}/{number:05d}"


class Receipt(models.Model):
    """ใบเสร็จรับเงิน, numbered per group per fiscal year (``ReceiptSequence``). A receipt
    issued on its own posts its own journal entry; the receipts of one collection day post
    together as one entry of the books (one cash line and one income line per receipt, the
    member on each), as a cash book records a day's receipt book. Voiding keeps the number
    and posts a reversing entry of the receipt's lines."""

    class Status(models.TextChoices):
        ISSUED = "issued", _("ออกแล้ว")
        VOID = "void", _("ยกเลิก")

    # Indexes: (organisation, fiscal_year, number), (organisation, date) and (member, date) lead
    # with these keys, so their own single-column indexes would only cost every insert.
    organisation = models.ForeignKey("orgs.Organisation", on_delete=models.PROTECT, related_name="+",
                                     db_index=False)
    fiscal_year = models.PositiveSmallIntegerField()
    number = models.PositiveIntegerField()
    document_number = models.CharField(max_length=32)
    date = models.DateField()
    member = models.ForeignKey("members.Member", null=True, blank=True, on_delete=models.PROTECT,
                               related_name="receipts", db_index=False)
    payer_name = models.CharField(max_length=200)
    total = models.BigIntegerField()
    paid_into = models.CharField(max_length=16, default="cash")  # cash | bank
    memo = models.CharField(max_length=255, blank=True)
    entry = models.ForeignKey("ledger.JournalEntry", on_delete=models.PROTECT, related_name="receipts")
    collection_day = models.ForeignKey(CollectionDay, null=True, blank=True, on_delete=models.PROTECT,
                                       related_name="receipts")
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.ISSUED)
    void_reason = models.CharField(max_length=255, blank=True)
    void_entry = models.OneToOneField("ledger.JournalEntry", null=True, blank=True, on_delete=models.PROTECT,
                                      related_name="voided_receipt")
    voided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                  related_name="+", db_index=False)  # never looked up by
    voided_at = models.DateTimeField(null=True, blank=True)
    idempotency_key = models.CharField(max_length=128, null=True, blank=True)  # noqa: DJ001 — NULL: unique only when given
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+", db_index=False)  # never looked up by
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-date", "-fiscal_year", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "fiscal_year", "number"],
                                    name="contrib_receipt_number_unique"),
            models.UniqueConstraint(fields=["organisation", "idempotency_key"],
                                    condition=models.Q(idempotency_key__isnull=False),
                                    name="contrib_receipt_idempotency_unique"),
            models.CheckConstraint(condition=models.Q(total__gt=0), name="contrib_receipt_total_positive"),
        ]
        indexes = [
            models.Index(fields=["organisation", "date"]),
            models.Index(fields=["member", "date"]),
        ]

    def __str__(self) -> str:
        return f"{self.document_number} {self.payer_name} {self.total}"

    @property
    def is_void(self) -> bool:
        return self.status == self.Status.VOID


class ReceiptItem(models.Model):
    """One line of a receipt: what kind of money, how much, and for which period."""

    organisation = models.ForeignKey("orgs.Organisation", on_delete=models.PROTECT, related_name="+",
                                     db_index=False)  # (organisation, member, kind) leads with it
    receipt = models.ForeignKey(Receipt, on_delete=models.PROTECT, related_name="items")
    member = models.ForeignKey("members.Member", null=True, blank=True, on_delete=models.PROTECT,
                               related_name="receipt_items")
    kind = models.CharField(max_length=16, choices=Kind.choices)
    amount = models.BigIntegerField()
    period_from = models.DateField(null=True, blank=True)
    period_to = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["receipt_id", "id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(amount__gt=0), name="contrib_item_amount_positive"),
        ]
        indexes = [models.Index(fields=["organisation", "member", "kind"])]

    def kind_label(self, lang: str = "th") -> str:
        return kind_label(self.kind, lang)


class ReceiptPart(models.Model):
    """A part of a collection-day receipt that is not a contribution (``ledger.collection``): a
    savings deposit to one account, a loan repayment split into its parts. The money is in the
    receipt's entry (lines tagged with the receipt's number); the domain that took it keeps its
    own rows (a loan's repayment); this row is what the receipt prints."""

    organisation = models.ForeignKey("orgs.Organisation", on_delete=models.PROTECT, related_name="+",
                                     db_index=False)
    receipt = models.ForeignKey(Receipt, on_delete=models.PROTECT, related_name="parts")
    part = models.CharField(max_length=16)  # the part's code: savings, loans
    ref = models.CharField(max_length=32)  # the part's target (an account id, a loan id)
    label_th = models.CharField(max_length=200)
    label_en = models.CharField(max_length=200, blank=True)
    amount = models.BigIntegerField()
    detail = models.JSONField(default=dict, blank=True)  # e.g. {"interest": satang, "principal": satang}

    class Meta:
        ordering = ["receipt_id", "id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(amount__gt=0), name="contrib_receipt_part_positive"),
        ]

    def label(self, lang: str = "th") -> str:
        return self.label_en if lang == "en" and self.label_en else self.label_th
