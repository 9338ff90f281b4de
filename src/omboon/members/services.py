"""Writes to members: one transaction and one audit event each.

- ``member_create``       one member; the member number is automatic when not given
- ``member_update``       registry fields, audited before/after (changed fields only)
- ``members_bulk_create`` a whole list (an import, the demo): every row checked first, every
                          problem reported with its row number, nothing written if any; then
                          written in batches with one audit event
- ``members_bulk_check``  the same checks without writing (an import's --dry-run)
- ``member_status_change`` applied → active → resigned / deceased / expelled, with a date
- ``member_reveal_id``    the full national ID for one look, audited every time
- ``member_id_searched``  the audit event of a search by a whole national ID
- ``beneficiaries_set``   replace a member's beneficiaries (shares add up to 100)
- ``member_link_user``    the login of a member who reads their own passbook
- ``member_data_exported`` the audit event of a member's personal-data download (PDPA access)
- ``member_erase``        a member who left, past the bylaws' retention years: personal fields
                          erased, money lines kept (``members_anonymise``, which sync uses too)

Values may come typed (dates, ints) or as text from a form or a spreadsheet: dates in พ.ศ. or
ค.ศ. (``omboon.core.thaidate.parse_date``), Thai digits, "ชาย"/"หญิง" for sex. National IDs
never appear in full in the audit trail (masked there; ``id_hash`` matches across groups).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from functools import partial

from django.db import connection, transaction
from django.db.models import (
    BigIntegerField,
    BooleanField,
    CharField,
    DateField,
    DateTimeField,
    ForeignKey,
    IntegerField,
    Max,
    TextField,
)
from django.db.models.functions import Cast, Length

from omboon.core import audit, national_id, thaidate
from omboon.core.errors import Problem, problems_of, raise_if
from omboon.members import rules
from omboon.members.models import ANONYMISED_ID_PREFIX, Beneficiary, Member, MemberStatusChange
from omboon.members.signals import member_erased, member_joined
from omboon.orgs.models import Organisation

NUMBER_WIDTH = 4
BATCH_SIZE = 1000  # rows per INSERT batch
PLAIN_FIELDS = (CharField, TextField, IntegerField, BooleanField, ForeignKey)

TEXT_FIELDS = ("title", "first_name", "last_name", "phone", "house_no", "street",
               "subdistrict_code", "district_code", "province_code", "postcode", "number")
DATE_FIELDS = ("birth_date", "join_date", "status_date")
FLAG_FIELDS = ("disabled", "chronically_ill", "low_income")
FIELDS = frozenset({*TEXT_FIELDS, *DATE_FIELDS, *FLAG_FIELDS, "sex", "national_id", "moo", "status"})
YES_WORDS = frozenset({"1", "true", "yes", "y", "on", "ใช่", "มี", "x", "✓"})
# The status has its own lifecycle service, so every change of status carries its date.
UPDATABLE = FIELDS - {"status", "status_date"}
AUDIT_FIELDS = sorted(FIELDS | {"user_id"})

SEX_WORDS = {
    "m": Member.Sex.MALE, "male": Member.Sex.MALE, "ชาย": Member.Sex.MALE, "ช": Member.Sex.MALE,
    "f": Member.Sex.FEMALE, "female": Member.Sex.FEMALE, "หญิง": Member.Sex.FEMALE,
    "ญ": Member.Sex.FEMALE,
}


# --- cleaning input -----------------------------------------------------------------------

def _clean(raw: Mapping, *, row: int | None = None, allowed=FIELDS) -> tuple[dict, list[Problem]]:
    """Typed values from typed or typed-in input, and the problems found on the way."""
    data: dict = {}
    problems: list[Problem] = []
    for name, value in raw.items():
        if name not in allowed:
            problems += rules.unknown_field(name, row)
            continue
        if name in TEXT_FIELDS:
            text = "" if value is None else str(value).strip()
            if name in ("number", "phone", "postcode", "subdistrict_code", "district_code",
                        "province_code"):
                text = thaidate.arabic_digits(text)
            data[name] = text
        elif name == "national_id":
            data[name] = national_id.clean(thaidate.arabic_digits("" if value is None else str(value)))
        elif name == "sex":
            text = "" if value is None else str(value).strip()
            data[name] = SEX_WORDS.get(text.lower(), text)
        elif name == "status":
            data[name] = (str(value).strip() if value else "") or Member.Status.ACTIVE
        elif name == "moo":
            if value is None or (isinstance(value, str) and not value.strip()):
                data[name] = None
            elif isinstance(value, int) and not isinstance(value, bool):
                data[name] = value
            else:
                text = thaidate.arabic_digits(str(value)).strip()
                for prefix in ("หมู่ที่", "หมู่", "ม.", "moo"):
                    text = text.removeprefix(prefix).strip()
                if text.isdigit():
                    data[name] = int(text)
                else:
                    problems += rules.moo_not_a_number(value, row)
        elif name in FLAG_FIELDS:
            data[name] = value if isinstance(value, bool) else str(value or "").strip().lower() in YES_WORDS
        elif name in DATE_FIELDS:
            if value is None or value == "":
                data[name] = None
            else:
                try:
                    data[name] = thaidate.parse_date(value)
                except ValueError as exc:
                    problems.append(Problem.from_error(name, exc, row=row, value=value))
    return data, problems


def _audit_view(member: Member, fields=AUDIT_FIELDS) -> dict:
    """Audit values of a member with the national ID masked."""
    values = audit.snapshot(member, list(fields))
    if "national_id" in values:
        values["national_id"] = national_id.masked(member.national_id)
    return values


def _lock(organisation: Organisation) -> None:
    """Serialise member writes per group (PostgreSQL); SQLite's IMMEDIATE transactions already do."""
    Organisation.objects.select_for_update().filter(pk=organisation.pk).values_list("pk").first()


def next_number(organisation: Organisation) -> str:
    """The next automatic member number: one more than the largest numeric number, padded
    like the group's numbers (at least 4 digits: "0001")."""
    start, width = _number_base(organisation)
    return f"{start:0{width}d}"


def _number_base(organisation: Organisation) -> tuple[int, int]:
    found = (
        Member.objects.filter(organisation=organisation, number__regex=r"^[0-9]{1,15}$")
        .aggregate(top=Max(Cast("number", BigIntegerField())), width=Max(Length("number")))
    )
    return (found["top"] or 0) + 1, max(NUMBER_WIDTH, found["width"] or 0)


# --- one member ---------------------------------------------------------------------------

@transaction.atomic
def member_create(*, actor, organisation: Organisation, **fields) -> Member:
    """A member of a group. Without ``number`` the next free number is given ("0001", ...)."""
    raise_if(rules.check_organisation(organisation))
    data, problems = _clean(fields)
    data.setdefault("status", Member.Status.ACTIVE)
    _lock(organisation)
    problems += rules.check_member(data)
    id_value = data.get("national_id", "")
    problems += rules.check_unique(
        organisation, number=data.get("number", ""),
        national_id_value=id_value if rules.id_is_valid(id_value) else "",
    )
    raise_if(problems)
    if not data.get("number"):
        data["number"] = next_number(organisation)
    member = Member(organisation=organisation, id_hash=national_id.keyed_hash(id_value), **data)
    member.save()
    audit.record(actor=actor, action="members.member_create", organisation=organisation, obj=member,
                 summary=f"{member.number} {member.full_name}", after=_audit_view(member))
    member_joined.send(sender=Member, member=member, actor=actor)
    return member


@transaction.atomic
def member_update(*, actor, member: Member, **changes) -> Member:
    """Change registry fields of a member; the audit event holds the changed values."""
    data, problems = _clean(changes, allowed=UPDATABLE)
    raise_if(problems)
    current = Member.objects.select_for_update().select_related("organisation").get(pk=member.pk)
    raise_if(rules.check_number_given(data))
    before = _audit_view(current)
    old_values = {name: getattr(current, name) for name in data}
    for name, value in data.items():
        setattr(current, name, value)
    changed = [name for name in data if getattr(current, name) != old_values[name]]
    if not changed:
        return current
    id_changed = "national_id" in changed
    problems = rules.check_member({name: getattr(current, name) for name in FIELDS})
    problems += rules.check_unique(
        current.organisation,
        number=current.number if "number" in changed else "",
        national_id_value=(current.national_id
                           if id_changed and rules.id_is_valid(current.national_id) else ""),
        exclude_pk=current.pk,
    )
    raise_if(problems)
    if id_changed:
        current.id_hash = national_id.keyed_hash(current.national_id)
    current.save(update_fields=[*changed, *(["id_hash"] if id_changed else [])])
    after = _audit_view(current)
    audit.record(actor=actor, action="members.member_update", organisation=current.organisation, obj=current,
                 summary=f"{current.number} {current.full_name}",
                 before={k: before[k] for k in changed}, after={k: after[k] for k in changed})
    return current


@transaction.atomic
def member_status_change(*, actor, member: Member, status: str, on: dt.date | str,
                         reason: str = "") -> Member:
    """Move a member along applied → active → resigned / deceased / expelled, with the date."""
    current = Member.objects.select_for_update().select_related("organisation").get(pk=member.pk)
    data, problems = _clean({"status": status, "status_date": on})
    raise_if(problems)
    new_status, on_date = data["status"], data["status_date"]
    raise_if(problems_of(rules.STATUS_CHANGE, rules.StatusChange(current, new_status, on_date)))
    before = {"status": current.status, "status_date": current.status_date}
    MemberStatusChange.objects.create(
        organisation=current.organisation, member=current, from_status=current.status,
        to_status=new_status, date=on_date, reason=reason.strip(),
        actor=audit.person(actor),
    )
    current.status, current.status_date = new_status, on_date
    current.save(update_fields=["status", "status_date"])
    audit.record(actor=actor, action="members.member_status_change", organisation=current.organisation, obj=current,
                 summary=f"{current.number} {before['status']} → {new_status} {reason}".strip(),
                 before=before, after={"status": new_status, "status_date": on_date,
                                       "reason": reason})
    return current


@transaction.atomic
def member_link_user(*, actor, member: Member, user) -> Member:
    """Give a member a login of their own (the ``member`` role reads only this record)."""
    current = Member.objects.select_for_update().select_related("organisation").get(pk=member.pk)
    other = (Member.objects.filter(organisation=current.organisation, user=user)
             .exclude(pk=current.pk).values_list("number", flat=True).first())
    raise_if(rules.check_login_free(other, user.username))
    before = {"user": current.user.username if current.user_id else None}
    current.user = user
    current.save(update_fields=["user"])
    audit.record(actor=actor, action="members.member_link_user", organisation=current.organisation,
                 obj=current, summary=f"{current.number} → {user.username}",
                 before=before, after={"user": user.username})
    return current


@transaction.atomic
def member_reveal_id(*, actor, member: Member, reason: str = "") -> str:
    """The member's full national ID, for someone who may write; every reveal is audited."""
    audit.record(actor=actor, action="members.member_reveal_id", organisation=member.organisation, obj=member,
                 summary=f"{member.number} เปิดดูเลขประจำตัวประชาชน / national ID shown",
                 after={"reason": reason.strip()[:200]})
    return member.national_id


@transaction.atomic
def member_id_searched(*, actor, organisation: Organisation, found: int) -> None:
    """A search by a whole national ID is audited (who, where, how many it found); the ID itself
    is not written, not even masked: the audit trail is no index of who was looked up."""
    audit.record(actor=actor, action="members.member_id_searched", organisation=organisation,
                 summary=f"ค้นหาด้วยเลขประจำตัวประชาชน พบ {found} คน / searched by national ID: {found} found",
                 after={"found": found})


@transaction.atomic
def beneficiaries_set(*, actor, member: Member, rows: list[Mapping]) -> list[Beneficiary]:
    """Replace a member's beneficiaries with ``rows`` (name, relation, share_percent, phone).

    The shares add up to exactly 100; an empty list clears them. Problems name the row
    (1 = the first beneficiary); nothing changes if there is any.
    """
    current = Member.objects.select_for_update().select_related("organisation").get(pk=member.pk)
    cleaned, problems = rules.clean_beneficiaries(rows)
    raise_if(problems)
    before = list(current.beneficiaries.values("name", "relation", "share_percent", "phone"))
    current.beneficiaries.all().delete()
    made = Beneficiary.objects.bulk_create([
        Beneficiary(organisation=current.organisation, member=current, position=i, **data)
        for i, data in enumerate(cleaned, start=1)
    ])
    audit.record(actor=actor, action="members.beneficiaries_set", organisation=current.organisation,
                 obj=current, summary=f"{current.number} ผู้รับผลประโยชน์ {len(made)} คน / beneficiaries",
                 before={"beneficiaries": before}, after={"beneficiaries": cleaned})
    return list(current.beneficiaries.all())


# --- many members -------------------------------------------------------------------------

def _prepare(organisation: Organisation, rows: list[Mapping], start_row: int
             ) -> tuple[list[Member], list[Problem]]:
    """Unsaved members for ``rows`` and every problem of every row (none may be written)."""
    problems = list(rules.check_organisation(organisation))
    if problems:
        return [], problems
    today = dt.date.today()
    cleaned: list[tuple[int, dict]] = []
    for index, raw in enumerate(rows):
        row = start_row + index
        data, found = _clean(raw, row=row)
        data.setdefault("status", Member.Status.ACTIVE)
        problems += found
        problems += rules.check_member(data, today=today, row=row)
        cleaned.append((row, data))
    problems += rules.check_unique_in_batch(organisation, cleaned)
    if problems:
        problems.sort(key=lambda p: (p.row or 0))
        return [], problems

    start, width = _number_base(organisation)
    given = [int(d["number"]) for _, d in cleaned if d.get("number", "").isdigit()]
    following = max([start, *(n + 1 for n in given)])
    members = []
    for _, data in cleaned:
        if not data.get("number"):
            data["number"] = f"{following:0{width}d}"
            following += 1
        members.append(Member(organisation=organisation,
                              id_hash=national_id.keyed_hash(data["national_id"]), **data))
    return members, []


def _insert(organisation: Organisation, members: list[Member]) -> None:
    """Bulk insert of validated members, in batches, then their ids read back.

    This is ``Member.objects.bulk_create`` without its per-value field machinery: Django
    prepares each of the ~66,000 values of 3,000 members one by one and SQLite caps a
    statement at 999 parameters (45 members), which made a 3,000-member list take over a
    second. One prepared INSERT run with executemany (SQLite) or COPY (PostgreSQL) writes
    the same rows several times faster. The values were checked by the rules above.
    """
    fields = [f for f in Member._meta.concrete_fields if not f.primary_key]
    ops = connection.ops
    adapters = []
    for f in fields:
        if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
            stamp = f.pre_save(members[0], add=True)
            for member in members:
                setattr(member, f.attname, stamp)
        if isinstance(f, DateTimeField):
            adapters.append(ops.adapt_datetimefield_value)
        elif isinstance(f, DateField):
            adapters.append(ops.adapt_datefield_value)
        elif isinstance(f, PLAIN_FIELDS):
            adapters.append(None)  # str, int and bool go to the driver as they are
        else:
            adapters.append(partial(f.get_db_prep_save, connection=connection))
    attnames = [f.attname for f in fields]
    columns = ", ".join(ops.quote_name(f.column) for f in fields)
    one_row = "(" + ", ".join(["%s"] * len(fields)) + ")"
    table = ops.quote_name(Member._meta.db_table)
    with connection.cursor() as cursor:
        for start in range(0, len(members), BATCH_SIZE):
            params = [
                tuple(adapt(v) if adapt and v is not None else v
                      for adapt, v in zip(adapters, (m.__dict__[a] for a in attnames)))
                for m in members[start:start + BATCH_SIZE]
            ]
            if connection.vendor == "postgresql":
                with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                    for values in params:
                        copy.write_row(values)
            else:
                cursor.executemany(f"INSERT INTO {table} ({columns}) VALUES {one_row}", params)
    ids = dict(Member.objects.filter(organisation=organisation).values_list("number", "pk"))
    for member in members:
        member.pk = ids[member.number]
        member._state.adding = False
        member._state.db = connection.alias


def members_bulk_check(*, organisation: Organisation, rows: list[Mapping], start_row: int = 1
                       ) -> list[Problem]:
    """Every problem of a list of members, with row numbers, without writing anything."""
    return _prepare(organisation, rows, start_row)[1]


@transaction.atomic
def members_bulk_create(*, actor, organisation: Organisation, rows: list[Mapping],
                        start_row: int = 1) -> list[Member]:
    """Create many members of a group at once: all or nothing, one audit event.

    ``start_row`` is the number of the first row in the messages (2 for a spreadsheet whose
    first row is its header). Raises RuleViolation listing every problem of every row.
    """
    raise_if(rules.check_organisation(organisation))
    _lock(organisation)
    members, problems = _prepare(organisation, rows, start_row)
    raise_if(problems)
    if not members:
        return []
    _insert(organisation, members)
    audit.record(
        actor=actor, action="members.members_bulk_create", organisation=organisation,
        summary=f"{len(members):,} สมาชิก / members",
        after={"count": len(members), "first_number": members[0].number,
               "last_number": members[-1].number},
    )
    return members


@transaction.atomic
def member_data_exported(*, actor, member: Member, fmt: str) -> None:
    """Every download of everything held about a member is audited (the member's own or the chair's)."""
    audit.record(actor=actor, action="members.member_data_exported", organisation=member.organisation, obj=member,
                 summary=f"{member.number} ดาวน์โหลดข้อมูลส่วนบุคคล ({fmt}) / personal data downloaded",
                 after={"format": fmt})


# What anonymising a member blanks; the member number, sex, status and its dates and the join
# date stay (the books and the network's figures need them), the birth date keeps its year.
ANONYMOUS = {"title": "", "first_name": "", "last_name": "", "id_hash": "", "phone": "", "house_no": "",
             "moo": None, "street": "", "subdistrict_code": "", "district_code": "", "province_code": "",
             "postcode": "", "disabled": False, "chronically_ill": False, "low_income": False}


def members_anonymise(members) -> int:
    """Blank the personal fields of ``members`` (a queryset) in place; journal lines keep pointing
    at them. The national ID becomes a placeholder (``*`` and the row id) that keeps the per-group
    uniqueness; beneficiaries are deleted and status-change reasons blanked. The caller holds the
    transaction and writes the audit event."""
    rows = list(members.only("pk", "birth_date"))
    for m in rows:
        for key, value in ANONYMOUS.items():
            setattr(m, key, value)
        m.national_id = f"{ANONYMISED_ID_PREFIX}{m.pk}"[:13]
        m.birth_date = dt.date(m.birth_date.year, 7, 1)
    Member.objects.bulk_update(rows, [*ANONYMOUS, "national_id", "birth_date"], batch_size=BATCH_SIZE)
    ids = [m.pk for m in rows]
    Beneficiary.objects.filter(member_id__in=ids).delete()
    MemberStatusChange.objects.filter(member_id__in=ids).update(reason="")
    return len(rows)


@transaction.atomic
def member_erase(*, actor, member: Member, today: dt.date | None = None) -> Member:
    """Erase the personal data of a member who left, once the bylaws' retention years have passed
    (PDPA มาตรา 33). Their money stays in the books, under their member number; other domains
    blank what they hold of the person on ``members.signals.member_erased``."""

    current = Member.objects.select_for_update().select_related("organisation").get(pk=member.pk)
    raise_if([problem for rule in rules.ERASE_RULES for problem in rule(current, today or dt.date.today())])
    number = current.number
    members_anonymise(Member.objects.filter(pk=current.pk))
    member_erased.send(sender=Member, member=current)
    audit.record(actor=actor, action="members.member_erase", organisation=current.organisation, obj=current,
                 summary=f"{number} ลบข้อมูลส่วนบุคคลตามระเบียบ / personal data erased",
                 after={"retention_years": rules.retention_years(current.organisation)})
    current.refresh_from_db()
    return current
