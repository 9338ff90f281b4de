"""The network's data: monthly facts per group, sharing choices, and the node ↔ server sync.

Facts are figures, never people: a network (and the public page) adds them up without
reading any group's records. ``ym`` numbers months (year * 12 + month - 1) so a range of
months is one indexed comparison.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from omboon.core import months


def ym_of(year: int, month: int) -> int:
    return months.index(year, month)


def year_month(ym: int) -> tuple[int, int]:
    return months.from_index(ym)


class FactMonth(models.Model):
    """One group-month whose facts are stored: when its books were closed (for the reporting
    rate), when the facts were computed, and how."""

    class Source(models.TextChoices):
        CLOSE = "close", _("ปิดบัญชีสิ้นเดือน")
        RECOMPUTE = "recompute", _("คำนวณใหม่")
        SYNC = "sync", _("รับจากกลุ่ม")

    organisation = models.ForeignKey("orgs.Organisation", on_delete=models.CASCADE, related_name="+")
    ym = models.IntegerField()
    closed_at = models.DateTimeField(null=True, blank=True)
    computed_at = models.DateTimeField()
    source = models.CharField(max_length=16, choices=Source.choices)

    class Meta:
        ordering = ["organisation_id", "ym"]
        constraints = [models.UniqueConstraint(fields=["organisation", "ym"], name="network_factmonth_unique")]
        indexes = [models.Index(fields=["ym", "organisation"], name="network_factmonth_ym")]

    @property
    def year(self) -> int:
        return year_month(self.ym)[0]

    @property
    def month(self) -> int:
        return year_month(self.ym)[1]


class MonthlyFact(models.Model):
    """One figure of one group-month. ``kind`` and ``key`` (see ``omboon.network.facts``):

    members   status|sex|age band → count at month end
    joins     "" → count;  leavers  status → count
    receipt_type  entry_fee|annual_fee|daily_saving → count (lines), amount (satang)
    receipt_source  state|local|donation → count, amount
    benefit   category → count (cases), amount (satang)
    flow      standard code → amount (debit − credit in the month, year-end close excluded)
    balance   fund code|standard code → amount (debit − credit, cumulative at month end)
    savings   "" → count (members with money in savings or shares), amount (what they hold) at month end
    loans     "" → count (loans outstanding), amount (their principal) at month end
    par30     "" → count (loans more than 30 days overdue), amount (their outstanding principal) at month end
    borrowers "" → count (members with a loan outstanding) at month end
    write_off "" → count (write-offs), amount (principal written off) in the month
    """

    organisation = models.ForeignKey("orgs.Organisation", on_delete=models.CASCADE, related_name="+")
    ym = models.IntegerField()
    kind = models.CharField(max_length=16)
    key = models.CharField(max_length=64, blank=True)
    count = models.BigIntegerField(default=0)
    amount = models.BigIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["organisation", "ym", "kind", "key"],
                                               name="network_fact_unique")]
        indexes = [models.Index(fields=["ym", "kind"], name="network_fact_ym_kind")]


class SharingPolicy(models.Model):
    """What a group shares with its network: full records, or monthly aggregates only.
    No row means full records. Changed only by ``services.sharing_set`` (audited)."""

    class Sharing(models.TextChoices):
        FULL = "full", _("ข้อมูลทั้งหมด")
        AGGREGATES = "aggregates", _("เฉพาะตัวเลขสรุปรายเดือน")

    organisation = models.OneToOneField("orgs.Organisation", on_delete=models.CASCADE, related_name="sharing")
    sharing = models.CharField(max_length=16, choices=Sharing.choices, default=Sharing.FULL)
    changed_at = models.DateTimeField(auto_now=True)
    changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")


# --- sync: on the network's server --------------------------------------------------------

class Enrolment(models.Model):
    """A one-time code a network gives a group to enrol its laptop (stored hashed)."""

    organisation = models.ForeignKey("orgs.Organisation", on_delete=models.CASCADE, related_name="+")
    code_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)


class NodeToken(models.Model):
    """A group's sync token (only its sha256 is kept) and how far its changes were applied."""

    organisation = models.ForeignKey("orgs.Organisation", on_delete=models.CASCADE, related_name="+")
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    last_applied_seq = models.BigIntegerField(default=0)
    last_sync_at = models.DateTimeField(null=True, blank=True)


# --- sync: on the group's laptop ----------------------------------------------------------

class NodeConfig(models.Model):
    """This laptop's enrolment: where its network's server is and the token it was given."""

    organisation = models.OneToOneField("orgs.Organisation", on_delete=models.CASCADE, related_name="+")
    server_url = models.URLField()
    token = models.CharField(max_length=128)
    acked_seq = models.BigIntegerField(default=0)
    enrolled_at = models.DateTimeField(auto_now_add=True)
    last_sync_at = models.DateTimeField(null=True, blank=True)


class OutboxItem(models.Model):
    """One change batch to send, numbered without gaps per group (``seq``), in order."""

    organisation = models.ForeignKey("orgs.Organisation", on_delete=models.CASCADE, related_name="+")
    seq = models.BigIntegerField()
    kind = models.CharField(max_length=16)
    payload = models.TextField()  # JSON
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["organisation_id", "seq"]
        constraints = [models.UniqueConstraint(fields=["organisation", "seq"], name="network_outbox_seq_unique")]


class StagedState(models.Model):
    """What the outbox already holds of one object (a digest), so staging adds only changes."""

    organisation = models.ForeignKey("orgs.Organisation", on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=16)
    key = models.CharField(max_length=64)
    digest = models.CharField(max_length=64)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["organisation", "kind", "key"],
                                               name="network_staged_unique")]
