import datetime as dt

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

ELDERLY_AGE = 60


# The placeholder ID of an anonymised member (members.services.members_anonymise): "*" + row id.
ANONYMISED_ID_PREFIX = "*"

class Member(models.Model):
    """A member (สมาชิก) of one group."""

    class Sex(models.TextChoices):
        MALE = "M", _("ชาย")
        FEMALE = "F", _("หญิง")

    class Status(models.TextChoices):
        APPLIED = "applied", _("สมัคร")
        ACTIVE = "active", _("ปกติ")
        RESIGNED = "resigned", _("ลาออก")
        DECEASED = "deceased", _("เสียชีวิต")
        EXPELLED = "expelled", _("พ้นสภาพ")

    organisation = models.ForeignKey("orgs.Organisation", on_delete=models.PROTECT, related_name="members")
    number = models.CharField(max_length=16)
    title = models.CharField(max_length=32, blank=True)
    first_name = models.CharField(max_length=100)
    last_name = models.CharField(max_length=100)
    sex = models.CharField(max_length=1, choices=Sex.choices)
    national_id = models.CharField(max_length=13)
    id_hash = models.CharField(max_length=64, db_index=True, editable=False, default="")
    birth_date = models.DateField()
    join_date = models.DateField()
    phone = models.CharField(max_length=20, blank=True)
    house_no = models.CharField(max_length=32, blank=True)
    moo = models.PositiveSmallIntegerField(null=True, blank=True)
    street = models.CharField(max_length=100, blank=True)
    subdistrict_code = models.CharField(max_length=6, blank=True)
    district_code = models.CharField(max_length=4, blank=True)
    province_code = models.CharField(max_length=2, blank=True)
    postcode = models.CharField(max_length=5, blank=True)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.ACTIVE)
    status_date = models.DateField(null=True, blank=True)
    # Vulnerable groups (กลุ่มเปราะบาง) for welfare and reports; "elderly" comes from the age.
    disabled = models.BooleanField(default=False)
    chronically_ill = models.BooleanField(default=False)
    low_income = models.BooleanField(default=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="member_records"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["organisation_id", "number"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "number"], name="member_number_unique"),
            models.UniqueConstraint(fields=["organisation", "national_id"], name="member_id_unique"),
        ]
        indexes = [
            models.Index(fields=["organisation", "status"]),
            models.Index(fields=["organisation", "last_name", "first_name"]),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.full_name}"

    @property
    def is_anonymised(self) -> bool:
        """Erased, or withdrawn from a network's server: the ID is a placeholder (``*`` + id)."""
        return self.national_id.startswith(ANONYMISED_ID_PREFIX)

    @property
    def full_name(self) -> str:
        return f"{self.title}{self.first_name} {self.last_name}".strip()

    def age_on(self, day: dt.date) -> int:
        born = self.birth_date
        return day.year - born.year - ((day.month, day.day) < (born.month, born.day))

    def is_elderly(self, day: dt.date | None = None) -> bool:
        """60 or older (ผู้สูงอายุ): derived from the birth date, never stored."""
        return self.age_on(day or dt.date.today()) >= ELDERLY_AGE


# A member who has left: resigned, died or was expelled (in the order reports list them). The
# one list every app asks "has this member left?" of.
LEFT_STATUSES = (Member.Status.RESIGNED, Member.Status.DECEASED, Member.Status.EXPELLED)


class Beneficiary(models.Model):
    """Who receives a member's death benefit (ผู้รับผลประโยชน์), with a share in percent."""

    organisation = models.ForeignKey("orgs.Organisation", on_delete=models.PROTECT,
                                     related_name="beneficiaries")
    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="beneficiaries")
    position = models.PositiveSmallIntegerField(default=1)
    name = models.CharField(max_length=200)
    relation = models.CharField(max_length=64, blank=True)
    share_percent = models.PositiveSmallIntegerField()
    phone = models.CharField(max_length=20, blank=True)

    class Meta:
        ordering = ["member_id", "position"]

    def __str__(self) -> str:
        return f"{self.name} {self.share_percent}%"


class MemberStatusChange(models.Model):
    """One change of a member's status, kept for good (the member row holds only the latest)."""

    organisation = models.ForeignKey("orgs.Organisation", on_delete=models.PROTECT,
                                     related_name="member_status_changes")
    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="status_changes")
    from_status = models.CharField(max_length=16, choices=Member.Status.choices)
    to_status = models.CharField(max_length=16, choices=Member.Status.choices)
    date = models.DateField()
    reason = models.CharField(max_length=255, blank=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                              on_delete=models.SET_NULL, related_name="+")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["member_id", "date", "at", "pk"]
