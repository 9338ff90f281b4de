"""Welfare benefits: schemes, their versioned rules, claims and the people a claim pays.

Data only. Money is integer satang. A claim is judged by the rule version in force on its
event date and keeps that version for ever; the rule itself is JSON validated into the
dataclasses of ``omboon.welfare.schema``. Payouts are journal entries posted by
``omboon.welfare.services`` through ``omboon.ledger.services.entry_post``.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from omboon.welfare.schema import rule_from_json


class Category(models.TextChoices):
    CHILDBIRTH = "childbirth", _("ค่าทำขวัญบุตร")
    SICKNESS = "sickness", _("ค่าเยี่ยมไข้/นอนโรงพยาบาล")
    DEATH = "death", _("ค่าจัดการศพ")
    DISABILITY = "disability", _("ผู้พิการ/ด้อยโอกาส")
    EDUCATION = "education", _("ทุนการศึกษา")
    ELDERLY = "elderly", _("ผู้สูงอายุ")
    DISASTER = "disaster", _("ภัยพิบัติ")
    COMMUNITY_ENTERPRISE = "community_enterprise", _("ทุนวิสาหกิจชุมชน")
    OTHER = "other", _("อื่น ๆ")


CATEGORY_EN = {
    Category.CHILDBIRTH: "Childbirth",
    Category.SICKNESS: "Sickness / hospital visit",
    Category.DEATH: "Death",
    Category.DISABILITY: "Disability",
    Category.EDUCATION: "Education",
    Category.ELDERLY: "Elderly",
    Category.DISASTER: "Disaster",
    Category.COMMUNITY_ENTERPRISE: "Community enterprise",
    Category.OTHER: "Other",
}

CATEGORY_TH = {
    Category.CHILDBIRTH: "ค่าทำขวัญบุตร",
    Category.SICKNESS: "ค่าเยี่ยมไข้/นอนโรงพยาบาล",
    Category.DEATH: "ค่าจัดการศพ",
    Category.DISABILITY: "ผู้พิการ/ด้อยโอกาส",
    Category.EDUCATION: "ทุนการศึกษา",
    Category.ELDERLY: "ผู้สูงอายุ",
    Category.DISASTER: "ภัยพิบัติ",
    Category.COMMUNITY_ENTERPRISE: "ทุนวิสาหกิจชุมชน",
    Category.OTHER: "อื่น ๆ",
}


def category_label(category: str, lang: str = "th") -> str:
    return (CATEGORY_EN if lang == "en" else CATEGORY_TH).get(category, category)


class BenefitScheme(models.Model):
    """One benefit a group pays (สวัสดิการ), in one category; ``custom_label`` names an
    ``other`` category ("ค่ารักษาพยาบาลสัตว์เลี้ยง")."""

    organisation = models.ForeignKey("orgs.Organisation", on_delete=models.PROTECT, related_name="+")
    category = models.CharField(max_length=32, choices=Category.choices)
    custom_label = models.CharField(max_length=100, blank=True)
    name_th = models.CharField(max_length=200)
    name_en = models.CharField(max_length=200, blank=True)
    expense_account = models.ForeignKey("ledger.Account", on_delete=models.PROTECT, related_name="+")
    is_active = models.BooleanField(default=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["organisation_id", "category", "name_th"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "name_th"], name="welfare_scheme_name_unique"),
        ]

    def __str__(self) -> str:
        return self.name_th

    def name(self, lang: str = "th") -> str:
        return self.name_en if lang == "en" and self.name_en else self.name_th

    def category_name(self, lang: str = "th") -> str:
        if self.category == Category.OTHER and self.custom_label:
            return self.custom_label
        return category_label(self.category, lang)


class RuleVersion(models.Model):
    """The rule of a scheme from ``effective_from`` until the next version's date."""

    organisation = models.ForeignKey("orgs.Organisation", on_delete=models.PROTECT, related_name="+")
    scheme = models.ForeignKey(BenefitScheme, on_delete=models.PROTECT, related_name="versions")
    effective_from = models.DateField()
    rule = models.JSONField()
    note = models.CharField(max_length=255, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["scheme_id", "effective_from"]
        constraints = [
            models.UniqueConstraint(fields=["scheme", "effective_from"], name="welfare_version_date_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.scheme} {self.effective_from}"

    @property
    def parsed(self):
        cached = getattr(self, "_parsed", None)
        if cached is None:
            cached = self._parsed = rule_from_json(self.rule)
        return cached


class Claim(models.Model):
    """A claim for a benefit: submitted → approved / rejected; approved → paid → reversed."""

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("รออนุมัติ")
        APPROVED = "approved", _("อนุมัติแล้ว รอจ่าย")
        REJECTED = "rejected", _("ไม่อนุมัติ")
        PAID = "paid", _("จ่ายแล้ว")
        REVERSED = "reversed", _("กลับรายการแล้ว")

    LIVE = ("submitted", "approved", "paid")  # count against limits and "same event"

    organisation = models.ForeignKey("orgs.Organisation", on_delete=models.PROTECT, related_name="+")
    member = models.ForeignKey("members.Member", on_delete=models.PROTECT, related_name="welfare_claims")
    scheme = models.ForeignKey(BenefitScheme, on_delete=models.PROTECT, related_name="claims")
    rule_version = models.ForeignKey(RuleVersion, on_delete=models.PROTECT, related_name="claims")
    event_date = models.DateField()
    event_key = models.CharField(max_length=100)
    nights = models.PositiveSmallIntegerField(default=0)
    cost = models.BigIntegerField(default=0)
    details = models.TextField(blank=True)
    documents = models.JSONField(default=list, blank=True)  # codes of the documents checked off
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.SUBMITTED)
    amount = models.BigIntegerField(default=0)
    eligibility = models.JSONField(default=dict, blank=True)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    submitted_at = models.DateTimeField()
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    reject_reason = models.CharField(max_length=255, blank=True)
    paid_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                related_name="+")
    paid_on = models.DateField(null=True, blank=True)
    entry = models.OneToOneField("ledger.JournalEntry", null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="welfare_claim")
    reversal = models.OneToOneField("ledger.JournalEntry", null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="welfare_claim_reversed")
    reverse_reason = models.CharField(max_length=255, blank=True)

    class Meta:
        ordering = ["-event_date", "-id"]
        indexes = [
            models.Index(fields=["organisation", "status"]),
            models.Index(fields=["member", "scheme", "event_date"]),
            models.Index(fields=["organisation", "paid_on"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(approved_by__isnull=True) | ~models.Q(approved_by=models.F("submitted_by")),
                name="welfare_claim_maker_not_checker",
            ),
            models.CheckConstraint(condition=models.Q(amount__gte=0, cost__gte=0), name="welfare_claim_amounts"),
            models.UniqueConstraint(
                fields=["member", "scheme", "event_key"],
                condition=models.Q(status__in=["submitted", "approved", "paid"]),
                name="welfare_claim_one_per_event",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.scheme} {self.member} {self.event_date}"

    @property
    def is_pending(self) -> bool:
        return self.status in (self.Status.SUBMITTED, self.Status.APPROVED)


class ClaimPayee(models.Model):
    """Who receives a claim's money when it is not the member: a death benefit goes to the
    beneficiaries by their shares (``share`` percent; a claim's shares add up to 100)."""

    organisation = models.ForeignKey("orgs.Organisation", on_delete=models.PROTECT, related_name="+")
    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="payees")
    name = models.CharField(max_length=200)
    relation = models.CharField(max_length=100, blank=True)
    share = models.PositiveSmallIntegerField()
    amount = models.BigIntegerField(default=0)

    class Meta:
        ordering = ["claim_id", "id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(share__gte=1, share__lte=100), name="welfare_payee_share"),
        ]

    def __str__(self) -> str:
        return f"{self.name} {self.share}%"
