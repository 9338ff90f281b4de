"""Import jobs and remembered column mappings.

An ``ImportJob`` is one file brought into one group: its kind, the file's SHA-256, where it
stands, and how many batches are committed. Each batch is written together with the job's
progress in ONE transaction, so a killed process leaves complete batches only and running
the same file again carries on from the next batch; a finished job makes a second import of
the same file a no-op. A job that pays money out (past benefit claims) stops at "waiting for
approval" until a second person approves it (``services.import_job_approve``).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Kind(models.TextChoices):
    MEMBERS = "members", _("สมาชิก")
    BENEFICIARIES = "beneficiaries", _("ผู้รับผลประโยชน์")
    PAYMENTS = "payments", _("การชำระเงินย้อนหลัง")
    OPENING_BALANCES = "opening-balances", _("ยอดยกมา")
    CLAIMS = "claims", _("การจ่ายสวัสดิการย้อนหลัง")
    SAVINGS_ACCOUNTS = "savings-accounts", _("บัญชีเงินฝากและยอดยกมา")
    SAVINGS_TRANSACTIONS = "savings-transactions", _("รายการเงินฝากย้อนหลัง")
    LOANS = "loans", _("เงินกู้คงค้างยกมา")
    LOAN_REPAYMENTS = "loan-repayments", _("รับชำระเงินกู้ย้อนหลัง")


class ImportJob(models.Model):
    class Status(models.TextChoices):
        PREVIEW = "preview", _("รอตรวจสอบ")
        APPROVAL = "approval", _("รออนุมัติ")  # money out: a second person approves before it posts
        QUEUED = "queued", _("รอนำเข้า")
        RUNNING = "running", _("กำลังนำเข้า")
        DONE = "done", _("นำเข้าแล้ว")
        FAILED = "failed", _("ไม่สำเร็จ")

    organisation = models.ForeignKey("orgs.Organisation", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    file_name = models.CharField(max_length=255)
    file_sha256 = models.CharField(max_length=64)
    file_path = models.CharField(max_length=500, blank=True)  # the stored upload (web)
    mapping = models.JSONField(default=dict, blank=True)  # source header → field
    values = models.JSONField(default=dict, blank=True)  # field → {the file's word: code} (imports.values)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PREVIEW)
    total_rows = models.PositiveIntegerField(default=0)
    rejected_rows = models.PositiveIntegerField(default=0)
    batch_size = models.PositiveIntegerField(default=5000)
    total_batches = models.PositiveIntegerField(default=0)
    committed_batches = models.PositiveIntegerField(default=0)
    committed_rows = models.PositiveIntegerField(default=0)
    skip_rejected = models.BooleanField(default=False)
    message = models.TextField(blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    # a kind that pays money out (claims) waits for a second person: what was submitted, by whom,
    # and who approved it (never the uploader nor the submitter)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="+")
    payout_count = models.PositiveIntegerField(default=0)
    payout_total = models.BigIntegerField(default=0)  # satang
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+")
    approved_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["organisation", "kind", "file_sha256"])]
        constraints = [
            # a file is imported into a group once: a second finished job of it cannot exist
            models.UniqueConstraint(fields=["organisation", "kind", "file_sha256"],
                                    condition=models.Q(status="done"), name="imports_job_done_once"),
            # maker-checker in the database too: the approver is neither the uploader nor the submitter
            models.CheckConstraint(
                condition=models.Q(approved_by__isnull=True)
                | (~models.Q(approved_by=models.F("created_by")) & ~models.Q(approved_by=models.F("submitted_by"))),
                name="imports_job_maker_not_checker"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.file_name} {self.status}"

    @property
    def percent(self) -> int:
        if not self.total_batches:
            return 100 if self.status == self.Status.DONE else 0
        return min(100, round(100 * self.committed_batches / self.total_batches))

    @property
    def is_active(self) -> bool:
        return self.status in (self.Status.QUEUED, self.Status.RUNNING)


class ColumnMapping(models.Model):
    """How a group's own spreadsheets name the columns of one kind (source header → field), and
    the words they write in its coded fields (field → {word: code}, ``imports.values``)."""

    organisation = models.ForeignKey("orgs.Organisation", on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    columns = models.JSONField(default=dict)
    values = models.JSONField(default=dict, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organisation", "kind"], name="imports_mapping_once"),
        ]
