import datetime as dt

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Organisation(models.Model):
    """A network (เครือข่าย) or a group (กลุ่ม/กองทุน) in one tree of any depth.

    ``path`` is a materialised path of zero-padded ids ("00000001/00000007/"), so a subtree is
    one indexed prefix query, whatever its depth.
    """

    class Kind(models.TextChoices):
        NETWORK = "network", _("เครือข่าย")
        GROUP = "group", _("กลุ่ม")

    class GroupType(models.TextChoices):
        WELFARE_FUND = "welfare_fund", _("กองทุนสวัสดิการชุมชน")
        SAVINGS_GROUP = "savings_group", _("กลุ่มออมทรัพย์/สัจจะสะสมทรัพย์")
        VILLAGE_FUND = "village_fund", _("กองทุนหมู่บ้าน")
        CFI = "cfi", _("สถาบันการเงินชุมชน")

    code = models.CharField(max_length=32, unique=True)
    kind = models.CharField(max_length=16, choices=Kind.choices)
    group_type = models.CharField(max_length=16, choices=GroupType.choices, blank=True)
    name_th = models.CharField(max_length=200)
    name_en = models.CharField(max_length=200, blank=True)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    path = models.CharField(max_length=255, db_index=True, editable=False, default="")
    depth = models.PositiveSmallIntegerField(default=0, editable=False)
    founded_on = models.DateField(null=True, blank=True)
    house_no = models.CharField(max_length=32, blank=True)
    moo = models.PositiveSmallIntegerField(null=True, blank=True)
    street = models.CharField(max_length=100, blank=True)
    province_code = models.CharField(max_length=2, blank=True, db_index=True)
    district_code = models.CharField(max_length=4, blank=True, db_index=True)
    subdistrict_code = models.CharField(max_length=6, blank=True, db_index=True)
    postcode = models.CharField(max_length=5, blank=True)
    fiscal_year_start_month = models.PositiveSmallIntegerField(default=1)
    bylaws = models.JSONField(default=dict, blank=True)
    is_active = models.BooleanField(default=True)
    # A group that keeps its books on its own laptop and syncs them here (omboon.network):
    # on this server its records are read-only, written only by the sync.
    is_remote_node = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["path"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(fiscal_year_start_month__gte=1, fiscal_year_start_month__lte=12),
                name="org_fiscal_month_1_12",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name_th}"

    @property
    def is_group(self) -> bool:
        return self.kind == self.Kind.GROUP

    @property
    def is_network(self) -> bool:
        return self.kind == self.Kind.NETWORK

    def name(self, lang: str = "th") -> str:
        return self.name_en if lang == "en" and self.name_en else self.name_th

    def ancestor_ids(self) -> list[int]:
        return [int(part) for part in self.path.split("/") if part][:-1]


class Role(models.TextChoices):
    CHAIR = "chair", _("ประธาน")
    TREASURER = "treasurer", _("เหรัญญิก")
    SECRETARY = "secretary", _("เลขานุการ")
    COMMITTEE = "committee", _("กรรมการ")
    AUDITOR = "auditor", _("ผู้ตรวจสอบ")
    MEMBER = "member", _("สมาชิก")
    COORDINATOR = "coordinator", _("ผู้ประสานงานเครือข่าย")
    ADMIN = "admin", _("ผู้ดูแลระบบ")


class RoleAssignment(models.Model):
    """A user holds a role in one organisation. The scoping module reads these."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="roles")
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="roles")
    role = models.CharField(max_length=16, choices=Role.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "organisation", "role"], name="one_role_once"),
        ]

    def __str__(self) -> str:
        return f"{self.user} {self.role}@{self.organisation.code}"


class BylawVersion(models.Model):
    """The group's bylaw settings from ``effective_from`` until the next version: the history of
    what its rules read (``orgs.selectors.bylaws_on``). ``bylaws`` holds ``retention_years``,
    ``journal_single_person``, ``admin_cap_percent`` and ``approvers`` (``orgs.rules.check_bylaws``).
    Written only by ``orgs.services.bylaws_set``; never changed, a later version follows it."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="bylaw_versions")
    effective_from = models.DateField()
    bylaws = models.JSONField(default=dict)
    note = models.CharField(max_length=255, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["organisation_id", "-effective_from"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "effective_from"], name="one_bylaw_version_a_day"),
        ]

    def __str__(self) -> str:
        return f"{self.organisation.code} bylaws from {self.effective_from}"


class UserContact(models.Model):
    """How the group reaches a user: their phone number (Django's user has none). One row per
    user, made when the number is first given; written only by ``orgs.services``."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="contact")
    phone = models.CharField(max_length=20, blank=True)

    def __str__(self) -> str:
        return f"{self.user} {self.phone}"


class ServiceUser(models.Model):
    """A user for a script of one organisation (a nightly export, a backup job): it holds roles
    like a person, but has no password, so it never signs in — it acts only through its API
    tokens (``ApiToken``)."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="service_account")
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="service_users")
    name = models.CharField(max_length=64)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organisation", "name"], name="one_service_user_name_per_org"),
        ]

    def __str__(self) -> str:
        return f"{self.name}@{self.organisation.code}"


class ApiToken(models.Model):
    """A personal API token (``Authorization: Bearer omb_…``). Only its SHA-256 digest is kept;
    the token itself is shown once, when made. It acts as its user, narrowed to its
    organisations (and the groups below them) and its capabilities (``orgs.scoping.TokenScope``):
    never more than the user's own roles give."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=100)
    prefix = models.CharField(max_length=16)  # the first characters, shown in lists
    digest = models.CharField(max_length=64, unique=True)  # sha256 of the token, hex
    organisations = models.ManyToManyField(Organisation, related_name="api_tokens")
    capabilities = models.JSONField(default=list)
    expires_on = models.DateField()
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.prefix}… {self.name}"

    def has_expired(self, today: dt.date) -> bool:
        """``expires_on`` is the last day the token works (inclusive): it is refused from the
        day after."""
        return self.expires_on < today
