"""Loan products (versioned terms), loans with the terms agreed at approval, guarantors and
repayments. Data only: ``services`` writes them, money moves only through the ledger (a
loan's disbursement and each repayment are journal entries whose source is the loan)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from omboon.orgs.maker_checker import LoanRequested


class LoanProduct(models.Model):
    organisation = models.ForeignKey("orgs.Organisation", on_delete=models.PROTECT, related_name="+")
    code = models.CharField(max_length=16)
    name_th = models.CharField(max_length=120)
    name_en = models.CharField(max_length=120, blank=True)
    is_active = models.BooleanField(default=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["organisation", "code"], name="loans_product_code_unique")]

    def __str__(self) -> str:
        return f"{self.code} {self.name_th}"


class LoanProductVersion(models.Model):
    """A product's terms from a date on. A later version never changes a running loan: the
    terms agreed at approval are copied onto the loan."""

    product = models.ForeignKey(LoanProduct, on_delete=models.PROTECT, related_name="versions")
    effective_from = models.DateField()
    terms = models.JSONField()  # schedule.Terms.as_dict(); its ``term`` is the default an application takes
    # The terms an application may ask for (instalments, term_min ≤ the terms' term ≤ term_max;
    # ``rules.product_term_limits``): the terms agreed at approval are the product's with the chosen term.
    term_min = models.PositiveSmallIntegerField()
    term_max = models.PositiveSmallIntegerField()
    max_amount = models.BigIntegerField()  # satang
    # Guarantors required by amount band: [[up_to satang, count], …, [None, count]] ascending, the
    # last band open-ended; [] none required (``rules.guarantors_needed``).
    guarantor_bands = models.JSONField(default=list)
    # The most a member may borrow as a multiple of their own savings (``savings_balance`` hook); 0: no such limit
    savings_multiple = models.DecimalField(max_digits=5, decimal_places=2, default=0)
    # A repayment above what is owed: the surplus goes to the member's voluntary savings (else refused)
    overpayment_to_savings = models.BooleanField(default=False)
    # satang: the most one guarantor may stand for, this loan and the others they guarantee (0: no cap)
    guarantor_cap = models.BigIntegerField(default=0)
    refuse_in_arrears = models.BooleanField(default=True)  # no new loan while the borrower is in arrears
    # "กู้โดยใช้เงินฝากค้ำประกัน": liens on the borrower's own savings/shares covering the whole
    # principal stand in for the guarantors the bands ask (``rules.guarantors_enough``)
    lien_replaces_guarantors = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["product_id", "effective_from"]
        constraints = [models.UniqueConstraint(fields=["product", "effective_from"],
                                               name="loans_version_date_unique"),
                       models.CheckConstraint(condition=models.Q(term_min__gte=1, term_min__lte=models.F("term_max")),
                                              name="loans_version_term_limits")]


class Loan(models.Model):
    class Status(models.TextChoices):
        APPLIED = "applied", pgettext_lazy("loan status", "ยื่นคำขอ")  # a welfare claim's "ยื่นคำขอ" is "New claim"
        APPROVED = "approved", _("อนุมัติแล้ว")
        REJECTED = "rejected", _("ไม่อนุมัติ")
        WITHDRAWN = "withdrawn", _("ถอนคำขอ")
        DISBURSED = "disbursed", _("จ่ายเงินกู้แล้ว")
        CLOSED = "closed", _("ปิดบัญชีแล้ว")
        WRITTEN_OFF = "written_off", _("ตัดเป็นหนี้สูญแล้ว")

    organisation = models.ForeignKey("orgs.Organisation", on_delete=models.PROTECT, related_name="+")
    number = models.PositiveIntegerField()
    member = models.ForeignKey("members.Member", on_delete=models.PROTECT, related_name="loans")
    product_version = models.ForeignKey(LoanProductVersion, on_delete=models.PROTECT, related_name="loans")
    principal = models.BigIntegerField()  # satang
    # The instalments asked for at application, within the version's term_min–term_max (None: the
    # product's term, as before terms were chosen); approval copies the product's terms with it.
    term = models.PositiveSmallIntegerField(null=True)
    purpose = models.CharField(max_length=255)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.APPLIED)
    applied_on = models.DateField()
    applied_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(null=True)
    reason = models.CharField(max_length=255, blank=True)  # of a rejection or a withdrawal
    terms = models.JSONField(null=True)  # the product's terms agreed at approval (schedule.Terms.as_dict())
    disbursed_on = models.DateField(null=True)
    first_due = models.DateField(null=True)
    disbursed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT,
                                     related_name="+")
    disbursement = models.ForeignKey("ledger.JournalEntry", null=True, on_delete=models.PROTECT, related_name="+")
    # The borrower's savings account the loan was credited to ('' : paid out in cash), by its
    # number: savings owns the account, loans keeps what the voucher names.
    disbursed_into = models.CharField(max_length=32, blank=True, default="")
    closed_on = models.DateField(null=True)
    # The date of the latest reschedule that stands (None: the loan follows its first schedule);
    # set and cleared by the reschedule's services, so reading a schedule asks for reschedules
    # only of the loans that have one.
    rescheduled_on = models.DateField(null=True)

    class Meta:
        ordering = ["organisation_id", "number"]
        constraints = [models.UniqueConstraint(fields=["organisation", "number"], name="loans_loan_number_unique")]

    def __str__(self) -> str:
        return f"loan {self.number}"


class LoanApproval(models.Model):
    """One committee member's approval of an application. The loan is approved when the
    bylaws' quorum of different people (``loan_quorum``, default 1) have approved it."""

    loan = models.ForeignKey(Loan, on_delete=models.CASCADE, related_name="approvals")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField()

    class Meta:
        ordering = ["loan_id", "at", "pk"]
        constraints = [models.UniqueConstraint(fields=["loan", "user"], name="loans_approval_once_a_person")]


class Guarantor(models.Model):
    """A member standing guarantor for a loan, and their consent (หนังสือยินยอมค้ำประกัน): pending
    until it is recorded — by staff from the signed paper form, or by the guarantor themself
    signed in — given or declined. An application is approved only when every guarantor has
    given it (``rules.guarantors_consented``)."""

    class Consent(models.TextChoices):
        PENDING = "pending", _("รอการยินยอม")
        GIVEN = "given", _("ยินยอมแล้ว")
        DECLINED = "declined", _("ไม่ยินยอม")

    loan = models.ForeignKey(Loan, on_delete=models.CASCADE, related_name="guarantors")
    member = models.ForeignKey("members.Member", on_delete=models.PROTECT, related_name="guarantees")
    consent = models.CharField(max_length=8, choices=Consent.choices, default=Consent.PENDING)
    consent_on = models.DateField(null=True)  # the day it was given or declined (None: pending, or brought forward)
    # who recorded it: staff from the signed form, or the guarantor's own login (None: pending, brought forward)
    consent_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["loan", "member"], name="loans_guarantor_unique")]

    @property
    def consented(self) -> bool:
        return self.consent == self.Consent.GIVEN

    @property
    def by_self(self) -> bool:
        """Recorded by the guarantor themself, signed in (else by staff, from the signed form)."""
        return self.consent_by_id is not None and self.consent_by_id == self.member.user_id


class LoanSecurity(models.Model):
    """What secures a loan beside its guarantors (หลักประกัน): a lien on the borrower's own
    savings or shares (อายัดเงินฝาก/หุ้นค้ำประกัน: ``amount`` satang of account
    ``savings_account``, which savings owns — an id and its number, read through
    ``ledger.holdings``, not a key into savings' tables), or collateral such as a land title
    (its description, document number and appraised ``value``). What a lien holds now is
    derived from the loan's state (``selectors.liens_held``), never stored, so it cannot drift."""

    class Kind(models.TextChoices):
        SAVINGS_LIEN = "savings_lien", _("อายัดเงินฝากค้ำประกัน")
        SHARES_LIEN = "shares_lien", _("อายัดหุ้นค้ำประกัน")
        COLLATERAL = "collateral", _("หลักทรัพย์ค้ำประกัน")

    class Collateral(models.TextChoices):
        LAND_TITLE = "land_title", _("โฉนดที่ดิน")
        VEHICLE = "vehicle", _("ยานพาหนะ")
        OTHER = "other", _("อื่น ๆ")

    loan = models.ForeignKey(Loan, on_delete=models.CASCADE, related_name="securities")
    position = models.PositiveSmallIntegerField()  # its row on the application, from 1
    kind = models.CharField(max_length=16, choices=Kind.choices)
    savings_account = models.BigIntegerField(null=True)  # a lien's account (savings' id)
    account_number = models.CharField(max_length=32, blank=True)  # a lien's account, as savings numbers it
    amount = models.BigIntegerField(default=0)  # satang: what a lien pledges
    collateral = models.CharField(max_length=16, choices=Collateral.choices, blank=True)
    description = models.CharField(max_length=255, blank=True)
    document_no = models.CharField(max_length=64, blank=True)  # the title deed's or registration's number
    value = models.BigIntegerField(default=0)  # satang: collateral's appraised value

    class Meta:
        ordering = ["loan_id", "position"]
        constraints = [
            models.UniqueConstraint(fields=["loan", "position"], name="loans_security_position_unique"),
            models.CheckConstraint(condition=models.Q(kind="collateral", value__gt=0, amount=0)
                                   | (~models.Q(kind="collateral") & models.Q(amount__gt=0,
                                                                              savings_account__isnull=False)),
                                   name="loans_security_lien_or_collateral"),
        ]

    @property
    def is_lien(self) -> bool:
        return self.kind != self.Kind.COLLATERAL


class Repayment(models.Model):
    """Money received for a loan and how it was allocated (the parts add up to ``amount``). A
    reversal leaves the row and names the reversing entry."""

    organisation = models.ForeignKey("orgs.Organisation", on_delete=models.PROTECT, related_name="+")
    loan = models.ForeignKey(Loan, on_delete=models.PROTECT, related_name="repayments")
    date = models.DateField()
    amount = models.BigIntegerField()
    penalty = models.BigIntegerField(default=0)
    fee = models.BigIntegerField(default=0)
    interest = models.BigIntegerField(default=0)
    principal = models.BigIntegerField(default=0)
    # paid above what was owed and credited to the member's voluntary savings on the same receipt (not in ``amount``)
    to_savings = models.BigIntegerField(default=0)
    entry = models.ForeignKey("ledger.JournalEntry", on_delete=models.PROTECT, related_name="+")
    received_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    reversal = models.ForeignKey("ledger.JournalEntry", null=True, on_delete=models.PROTECT, related_name="+")
    reversal_reason = models.CharField(max_length=255, blank=True)

    class Meta:
        ordering = ["loan_id", "date", "pk"]
        constraints = [models.CheckConstraint(condition=models.Q(amount=models.F("penalty") + models.F("fee")
                                                                 + models.F("interest") + models.F("principal")),
                                              name="loans_repayment_parts_add_up")]


class Adjustment(LoanRequested):
    """A write-off, a recovery after it, a penalty charged or a waiver of interest or penalty.
    A write-off, a recovery and a waiver are entered by one person and take effect only when a
    second approves (maker-checker); a penalty is computed from the terms and charged at once.
    A write-off takes the whole outstanding principal off 1300 (Dr 5500 loans written off, or
    Dr 1320 the allowance); a recovery is money received after it (Dr 1100, Cr 4800 other
    income); these two are corrected by the ledger's reversal. A penalty and a waiver post
    nothing (interest and penalties are income when paid: 4710, 4720); they are corrected by
    a reversal that stands beside them (``reversed_on``)."""

    class Kind(models.TextChoices):
        WRITE_OFF = "write_off", _("ตัดหนี้สูญ")
        RECOVER = "recover", _("รับชำระหนี้สูญ")
        PENALTY = "penalty", _("ค่าปรับ")
        WAIVE_INTEREST = "waive_interest", _("ยกเว้นดอกเบี้ย")
        WAIVE_PENALTY = "waive_penalty", _("ยกเว้นค่าปรับ")

    class Status(models.TextChoices):
        PENDING = "pending", _("รออนุมัติ")
        APPROVED = "approved", _("อนุมัติแล้ว")
        REJECTED = "rejected", _("ไม่อนุมัติ")

    class Against(models.TextChoices):
        EXPENSE = "expense", _("ค่าใช้จ่ายหนี้สูญ (5500)")
        ALLOWANCE = "allowance", _("ค่าเผื่อหนี้สงสัยจะสูญ (1320)")

    organisation = models.ForeignKey("orgs.Organisation", on_delete=models.PROTECT, related_name="+")
    loan = models.ForeignKey(Loan, on_delete=models.PROTECT, related_name="adjustments")
    kind = models.CharField(max_length=16, choices=Kind.choices)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PENDING)
    amount = models.BigIntegerField()  # satang
    date = models.DateField()
    against = models.CharField(max_length=16, choices=Against.choices, blank=True)  # a write-off's debit
    reason = models.CharField(max_length=255)
    entry = models.ForeignKey("ledger.JournalEntry", null=True, on_delete=models.PROTECT, related_name="+")
    reversal = models.ForeignKey("ledger.JournalEntry", null=True, on_delete=models.PROTECT, related_name="+")
    reversal_reason = models.CharField(max_length=255, blank=True)
    reversed_on = models.DateField(null=True)  # a penalty's or waiver's reversal (no entry of its own)
    reversed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["loan_id", "date", "pk"]
        constraints = [models.CheckConstraint(condition=models.Q(amount__gt=0), name="loans_adjustment_positive")]

    @property
    def posts(self) -> bool:
        """Whether approving it posts an entry (a write-off, a recovery)."""
        return self.kind in (self.Kind.WRITE_OFF, self.Kind.RECOVER)

    @property
    def is_reversed(self) -> bool:
        return self.reversal_id is not None or self.reversed_on is not None


class Reschedule(LoanRequested):
    """A new schedule for what a loan still owes (``reschedule.continued``): asked by one person
    (the new term, rate, first due date and a reason), in force when a second approves. The
    schedule before it is kept (rebuilt from the loan's terms and the earlier reschedules) and
    shown beside it. Nothing is posted: the outstanding principal stays on 1300 and unpaid
    interest due by then is kept, due with the first new instalment (not capitalised). At the
    approval the parts settled so far are recorded (the new schedule starts after them); it is
    undone by a reversal that stands beside it while nothing was settled on the new schedule."""

    class Status(models.TextChoices):
        PENDING = "pending", _("รออนุมัติ")
        APPROVED = "approved", _("อนุมัติแล้ว")
        REJECTED = "rejected", _("ไม่อนุมัติ")

    organisation = models.ForeignKey("orgs.Organisation", on_delete=models.PROTECT, related_name="+")
    loan = models.ForeignKey(Loan, on_delete=models.PROTECT, related_name="reschedules")
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PENDING)
    date = models.DateField()  # the new schedule is lent anew on this day
    terms = models.JSONField()  # the new schedule's terms (schedule.Terms.as_dict())
    first_due = models.DateField()
    principal = models.BigIntegerField()  # satang: the outstanding principal asked for (the new schedule's)
    reason = models.CharField(max_length=255)
    created_at = models.DateTimeField(auto_now_add=True)
    # Recorded at the approval: the parts settled then (the new schedule starts after them), the
    # unpaid interest kept, and the last repayment counted in them (0: none).
    settled_interest = models.BigIntegerField(default=0)
    settled_principal = models.BigIntegerField(default=0)
    kept_interest = models.BigIntegerField(default=0)
    repayments_to = models.BigIntegerField(default=0)
    reversed_on = models.DateField(null=True)
    reversed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    reversal_reason = models.CharField(max_length=255, blank=True)

    class Meta:
        ordering = ["loan_id", "date", "pk"]
        constraints = [models.CheckConstraint(condition=models.Q(principal__gt=0), name="loans_reschedule_positive")]

    @property
    def is_reversed(self) -> bool:
        return self.reversed_on is not None

    @property
    def standing(self) -> bool:
        return self.status == self.Status.APPROVED and self.reversed_on is None


class LoanSequence(models.Model):
    """The last loan number of a group (``core.sequence``: gapless)."""

    organisation = models.ForeignKey("orgs.Organisation", on_delete=models.PROTECT, related_name="+")
    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["organisation"], name="loans_sequence_unique")]


class YearEndAllocation(models.Model):
    """A fiscal year's net income split by the bylaws (``year_end.compute``): a draft with its
    per-member list, the general meeting's decision recorded and approved by two committee
    members (never the person who drafted it), then posted as one entry (Dr 3300 accumulated
    surplus; Cr reserve 3200, welfare fund 3100, committee remuneration payable 2300, public
    benefit fund 3500, dividends payable 2400, refunds payable 2410) and paid in cash or into
    savings. Reversed (the ledger's reversal) only before it is paid."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("ร่าง")
        DECIDED = "decided", _("บันทึกมติแล้ว รออนุมัติคนที่สอง")
        APPROVED = "approved", _("อนุมัติแล้ว")
        POSTED = "posted", _("ลงบัญชีแล้ว")
        PAID = "paid", _("จ่ายแล้ว")
        REVERSED = "reversed", _("กลับรายการแล้ว")

    class Base(models.TextChoices):
        ALL = "all", _("หุ้นและเงินฝาก")
        SHARES = "shares", _("หุ้น")
        SAVINGS = "savings", _("เงินฝาก")

    class PaidHow(models.TextChoices):
        CASH = "cash", _("เงินสด")
        SAVINGS = "savings", _("เข้าบัญชีเงินฝาก")

    organisation = models.ForeignKey("orgs.Organisation", on_delete=models.PROTECT, related_name="+")
    fiscal_year = models.PositiveSmallIntegerField()  # the year the fiscal year ends in (Gregorian)
    start = models.DateField()
    end = models.DateField()
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.DRAFT)
    model = models.CharField(max_length=8)  # compute.POOL or compute.RATE
    base = models.CharField(max_length=8, choices=Base.choices, default=Base.ALL)  # the dividend's balances
    reserve_pct = models.DecimalField(max_digits=5, decimal_places=2)
    dividend_pct = models.DecimalField(max_digits=5, decimal_places=2)
    refund_pct = models.DecimalField(max_digits=5, decimal_places=2)
    welfare_pct = models.DecimalField(max_digits=5, decimal_places=2)
    committee_pct = models.DecimalField(max_digits=5, decimal_places=2)
    public_pct = models.DecimalField(max_digits=5, decimal_places=2)
    net_income = models.BigIntegerField()  # satang
    reserve = models.BigIntegerField()
    dividend = models.BigIntegerField()
    refund = models.BigIntegerField()
    welfare = models.BigIntegerField()
    committee = models.BigIntegerField()
    public = models.BigIntegerField()
    drafted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    drafted_at = models.DateTimeField()
    meeting_on = models.DateField(null=True)  # the general meeting that decided it
    resolution = models.TextField(blank=True)  # its resolution, as recorded
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(null=True)
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT,
                                    related_name="+")
    approved_at = models.DateTimeField(null=True)
    entry = models.ForeignKey("ledger.JournalEntry", null=True, on_delete=models.PROTECT, related_name="+")
    paid_how = models.CharField(max_length=8, choices=PaidHow.choices, blank=True)
    payment = models.ForeignKey("ledger.JournalEntry", null=True, on_delete=models.PROTECT, related_name="+")
    reversal = models.ForeignKey("ledger.JournalEntry", null=True, on_delete=models.PROTECT, related_name="+")
    reversal_reason = models.CharField(max_length=255, blank=True)

    class Meta:
        ordering = ["organisation_id", "-fiscal_year", "-pk"]
        constraints = [
            # one allocation of a year at a time; a reversed one stays beside the next
            models.UniqueConstraint(fields=["organisation", "fiscal_year"], condition=~models.Q(status="reversed"),
                                    name="loans_year_end_one_a_year"),
            models.CheckConstraint(condition=models.Q(net_income=models.F("reserve") + models.F("dividend")
                                                      + models.F("refund") + models.F("welfare")
                                                      + models.F("committee") + models.F("public")),
                                   name="loans_year_end_parts_add_up"),
        ]

    def __str__(self) -> str:
        return f"year-end {self.fiscal_year}"


class YearEndShare(models.Model):
    """One member's line of an allocation: what it was computed from and what they receive."""

    allocation = models.ForeignKey(YearEndAllocation, on_delete=models.CASCADE, related_name="shares")
    member = models.ForeignKey("members.Member", on_delete=models.PROTECT, related_name="+")
    balance_months = models.BigIntegerField()  # the twelve month-end balances added up (satang)
    interest_paid = models.BigIntegerField()  # loan interest paid in the fiscal year (satang)
    dividend = models.BigIntegerField()
    refund = models.BigIntegerField()

    class Meta:
        ordering = ["allocation_id", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["allocation", "member"], name="loans_year_end_share_unique"),
            models.CheckConstraint(condition=models.Q(dividend__gte=0, refund__gte=0, balance_months__gte=0,
                                                      interest_paid__gte=0),
                                   name="loans_year_end_share_not_negative"),
        ]
