"""Reads of members, shared by views, reports and the API. Every one goes through
``omboon.orgs.scoping.in_scope``: for a group its own members, for a network the members of
every group below it.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from django.db.models import Count, Q, QuerySet

from omboon.core import national_id
from omboon.core.thaidate import arabic_digits
from omboon.members.models import Beneficiary, Member
from omboon.orgs import scoping
from omboon.orgs.models import Organisation

# "หมู่ 5", "หมู่ที่ 5", "ม.5", "ม 5", "moo 5": a village number inside a search.
MOO_RE = re.compile(r"(?:หมู่ที่|หมู่|ม\.|ม(?=\s*\d)|moo)\s*(\d{1,2})\b", re.IGNORECASE)


def members_of(organisation: Organisation) -> QuerySet[Member]:
    return scoping.in_scope(Member.objects.all(), organisation)


def member_list(
    *,
    organisation: Organisation,
    query: str = "",
    status: str | None = None,
) -> QuerySet[Member]:
    """Members of a group (or of every group below a network), searched and filtered.

    ``query`` matches, all terms together: names (any part of first or last name), a member
    number ("12" finds 0012), a national ID (only all 13 digits of a valid one, with or without
    dashes, matched exactly by its keyed hash — a fragment matches no ID, so search is no way
    to rebuild one; the view audits an ID search), a village ("หมู่ 5", "ม.5"). Thai digits are
    read as digits.
    """
    qs = members_of(organisation)
    if status:
        qs = qs.filter(status=status)
    text = arabic_digits(query or "").strip()
    if not text:
        return qs
    for moo in MOO_RE.findall(text):
        qs = qs.filter(moo=int(moo))
    text = MOO_RE.sub(" ", text)
    for term in text.split():
        qs = qs.filter(_term(term))
    return qs


HASH_TERM = re.compile(r"^id:([0-9a-f]{64})$")


def hashed_query(query: str) -> str:
    """The query with each whole ID replaced by ``id:<its keyed hash>``, which finds the same."""
    return " ".join(f"id:{national_id.keyed_hash(national_id.clean(t))}"
                    if national_id.is_valid(national_id.clean(t)) else t
                    for t in arabic_digits(query or "").split())


def _term(term: str) -> Q:
    hashed = HASH_TERM.match(term)
    if hashed:
        return Q(id_hash=hashed.group(1))
    digits = national_id.clean(term)
    if digits.isdigit():
        if len(digits) == 13:
            return Q(id_hash=national_id.keyed_hash(digits)) if national_id.is_valid(digits) else Q(pk__in=[])
        return Q(number=term) | Q(number__in=[digits.zfill(w) for w in range(len(digits), 9)])
    return Q(first_name__icontains=term) | Q(last_name__icontains=term) | Q(number__iexact=term)


def visible_member(access: scoping.Access, user, member_id: int):
    """The member a page is about: any of the organisation's with ``records``, else only the
    user's own (a member-role login); 404 for any other."""
    qs = Member.objects.select_related("organisation", "user")
    if not access.can(scoping.RECORDS):
        qs = qs.filter(user=user)
    return scoping.get_in_scope(qs, access.organisation, member_id)


MEMBER_NUMBER_DIGITS = 8


def id_terms(query: str) -> tuple[list[str], list[str]]:
    """(whole valid IDs, ID-like fragments) among the terms of a search: a digit term longer
    than a member number is taken for an ID, whole or in part."""
    whole, fragments = [], []
    for term in arabic_digits(query or "").split():
        digits = national_id.clean(term)
        if digits.isdigit() and len(digits) > MEMBER_NUMBER_DIGITS:
            (whole if len(digits) == 13 and national_id.is_valid(digits) else fragments).append(digits)
    return whole, fragments


@dataclass(frozen=True)
class MemberCounts:
    """Members by status and sex (and joined this calendar year), from one aggregate query."""

    total: int = 0
    applied: int = 0
    active: int = 0
    resigned: int = 0
    deceased: int = 0
    expelled: int = 0
    male: int = 0
    female: int = 0
    active_male: int = 0
    active_female: int = 0
    joined_this_year: int = 0
    by_status: dict[str, int] = field(default_factory=dict)
    by_sex: dict[str, int] = field(default_factory=dict)


def member_counts(organisation: Organisation, *, today: dt.date | None = None) -> MemberCounts:
    """Counts of a group's members (or a network's, over every group below) in ONE query."""
    today = today or dt.date.today()
    active = Q(status=Member.Status.ACTIVE)
    aggregates = {"total": Count("pk")}
    for value in Member.Status.values:
        aggregates[value] = Count("pk", filter=Q(status=value))
    aggregates["male"] = Count("pk", filter=Q(sex=Member.Sex.MALE))
    aggregates["female"] = Count("pk", filter=Q(sex=Member.Sex.FEMALE))
    aggregates["active_male"] = Count("pk", filter=active & Q(sex=Member.Sex.MALE))
    aggregates["active_female"] = Count("pk", filter=active & Q(sex=Member.Sex.FEMALE))
    aggregates["joined_this_year"] = Count("pk", filter=Q(join_date__gte=dt.date(today.year, 1, 1),
                                                          join_date__lte=today))
    row = members_of(organisation).order_by().aggregate(**aggregates)
    row = {key: value or 0 for key, value in row.items()}
    return MemberCounts(
        **row,
        by_status={value: row[value] for value in Member.Status.values},
        by_sex={Member.Sex.MALE.value: row["male"], Member.Sex.FEMALE.value: row["female"]},
    )


@dataclass(frozen=True)
class DuplicateMember:
    group_code: str
    group_name: str
    number: str
    full_name: str
    status: str
    member_id: int

    @property
    def status_label(self) -> str:
        return Member.Status(self.status).label


def duplicates_in_network(network: Organisation) -> list[list[DuplicateMember]]:
    """People registered in more than one group below a network, matched by ``id_hash`` (the
    keyed hash of the national ID), in ONE query. Each inner list is one person's
    registrations, by group code; the ID itself is never read. Groups that share aggregates
    only are left out (``scoping.in_scope``)."""
    scope = members_of(network).exclude(id_hash="")
    shared = (scope.order_by().values("id_hash")
              .annotate(groups=Count("organisation", distinct=True))
              .filter(groups__gt=1).values("id_hash"))
    rows = (scope.filter(id_hash__in=shared)
            .order_by("id_hash", "organisation__code", "number")
            .values_list("id_hash", "organisation__code", "organisation__name_th", "number",
                         "title", "first_name", "last_name", "status", "pk"))
    found: dict[str, list[DuplicateMember]] = {}
    for key, code, name, number, title, first, last, status, pk in rows:
        found.setdefault(key, []).append(DuplicateMember(
            code, name, number, f"{title}{first} {last}".strip(), status, pk))
    return sorted(found.values(), key=lambda group: (group[0].full_name, group[0].group_code))


# How a spouse is recorded: a beneficiary whose relation says so (the members' records have no
# other link between two people).
SPOUSE_RELATIONS = ("คู่สมรส", "สามี", "ภรรยา", "ภริยา", "spouse", "husband", "wife")
TITLES = ("นางสาว", "น.ส.", "นาง", "นาย", "mrs.", "mrs", "miss", "ms.", "ms", "mr.", "mr")


def person_key(name: str) -> str:
    """A person's name compared without title, spaces or case: "นาง สมศรี  ใจดี" → "สมศรีใจดี"."""
    text = (name or "").strip().lower()
    for title in TITLES:
        if text.startswith(title):
            text = text[len(title):]
            break
    return re.sub(r"\s+", "", text)


def _is_spouse_relation(relation: str) -> bool:
    text = (relation or "").strip().lower()
    return any(r in text for r in SPOUSE_RELATIONS)


def spouses_among(member: Member, others) -> set[int]:
    """The ids of ``others`` (members) recorded as ``member``'s spouse: a beneficiary of either
    one with a spouse relation (คู่สมรส, สามี, ภรรยา) whose name is the other's."""
    others = [o for o in others if o is not None and o.pk != member.pk]
    if not others:
        return set()
    keys = {person_key(f"{o.first_name}{o.last_name}"): o.pk for o in others}
    mine = person_key(f"{member.first_name}{member.last_name}")
    found = set()
    for b in Beneficiary.objects.filter(member_id__in=[member.pk, *[o.pk for o in others]]).only(
            "member_id", "name", "relation"):
        if not _is_spouse_relation(b.relation):
            continue
        if b.member_id == member.pk and person_key(b.name) in keys:
            found.add(keys[person_key(b.name)])
        elif b.member_id != member.pk and person_key(b.name) == mine:
            found.add(b.member_id)
    return found
