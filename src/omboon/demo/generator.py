"""Builds the demo network deterministically from a seed, through the domain services.

Layout (``groups=8``, the default)::

    LP    เครือข่ายกองทุนสวัสดิการชุมชนจังหวัดลำปาง             province network
    ├─ LP-S  เครือข่ายกองทุนสวัสดิการชุมชนลำปางใต้              zone network
    │   ├─ BDC บ้านดอนไชย (ต.ล้อมแรด อ.เถิน)
    │   ├─ MPA แม่ปะ (ต.แม่ปะ อ.เถิน)
    │   ├─ MTH แม่ถอด (ต.แม่ถอด อ.เถิน)
    │   ├─ TNB เถินบุรี (ต.เถินบุรี อ.เถิน)
    │   ├─ MYO เมืองยาว (ต.เมืองยาว อ.ห้างฉัตร)
    │   ├─ MWA กลุ่มสัจจะสะสมทรัพย์แม่วะ (ต.แม่วะ อ.เถิน)    a savings group (it lends too)
    │   └─ MMK กองทุนหมู่บ้านบ้านแม่มอก (ต.แม่มอก อ.เถิน)    a village fund (it lends: loans/demo.py)
    └─ LP-N  เครือข่ายกองทุนสวัสดิการชุมชนลำปางเหนือ            a second zone, so that
        └─ LNU หลวงเหนือ (ต.หลวงเหนือ อ.งาว)                    scoping is visible

More groups (``groups > 8``) take the other subdistricts of Lampang (DOPA codes from
geothai), each in the zone of its district. Members, users and everything the other apps'
``omboon.<app>.demo.populate`` add come from random generators seeded from ``seed`` only,
so the same seed (and the same ``end`` date) gives the same data.

One group, ``OFFLINE_NODE`` (MYO), keeps its books on its own laptop (README, "Running a group
offline"): on the network's server ``omboon demo`` registers its members but posts none of its
history and flags it as a remote node (``build(offline_node="MYO")``); ``build(node_only="MYO")`` builds that
group's full
books (same members, same history) into the laptop's empty database, to be synced up.
"""

from __future__ import annotations

import datetime as dt
import importlib
import importlib.util
import random
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import transaction

from omboon.core import national_id
from omboon.demo import names
from omboon.demo.accounts import DEMO_PASSWORD, DEMO_USERS
from omboon.members import services as member_services
from omboon.members.models import Member
from omboon.orgs import geography
from omboon.orgs import services as org_services
from omboon.orgs.models import Organisation, Role

PROVINCE = "52"  # ลำปาง / Lampang
PROVINCE_CODE = "LP"
OFFLINE_NODE = "MYO"  # the group that runs as a standalone node in the README's walkthrough
SOUTH, NORTH = "LP-S", "LP-N"
# Districts of Lampang by zone (DOPA codes, geothai.districts("52")).
SOUTH_DISTRICTS = {"5203", "5204", "5208", "5209", "5210", "5211", "5212"}


@dataclass(frozen=True)
class NetworkSpec:
    code: str
    name_th: str
    name_en: str
    parent: str | None


@dataclass(frozen=True)
class GroupSpec:
    code: str
    name_th: str
    name_en: str
    zone: str
    subdistrict_code: str
    group_type: str = Organisation.GroupType.WELFARE_FUND
    moo: int | None = None


NETWORKS = (
    NetworkSpec(PROVINCE_CODE, "เครือข่ายกองทุนสวัสดิการชุมชนจังหวัดลำปาง",
                "Lampang provincial welfare fund network", None),
    NetworkSpec(SOUTH, "เครือข่ายกองทุนสวัสดิการชุมชนลำปางใต้",
                "Southern Lampang zone network", PROVINCE_CODE),
    NetworkSpec(NORTH, "เครือข่ายกองทุนสวัสดิการชุมชนลำปางเหนือ",
                "Northern Lampang zone network", PROVINCE_CODE),
)

# Subdistrict codes looked up in geothai: 520801 ล้อมแรด (Ban Don Chai lies in it), 520803
# แม่ปะ, 520807 แม่ถอด, 520808 เถินบุรี (all อ.เถิน 5208), 521203 เมืองยาว (อ.ห้างฉัตร 5212),
# 520501 หลวงเหนือ (อ.งาว 5205).
NAMED_GROUPS = (
    GroupSpec("BDC", "กองทุนสวัสดิการชุมชนบ้านดอนไชย", "Ban Don Chai community welfare fund",
              SOUTH, "520801", moo=3),
    GroupSpec("MPA", "กองทุนสวัสดิการชุมชนตำบลแม่ปะ", "Mae Pa community welfare fund",
              SOUTH, "520803"),
    GroupSpec("MTH", "กองทุนสวัสดิการชุมชนตำบลแม่ถอด", "Mae Thot community welfare fund",
              SOUTH, "520807"),
    GroupSpec("TNB", "กองทุนสวัสดิการชุมชนตำบลเถินบุรี", "Thoen Buri community welfare fund",
              SOUTH, "520808"),
    GroupSpec("MYO", "กองทุนสวัสดิการชุมชนตำบลเมืองยาว", "Mueang Yao community welfare fund",
              SOUTH, "521203"),
    GroupSpec("LNU", "กองทุนสวัสดิการชุมชนตำบลหลวงเหนือ", "Luang Nuea community welfare fund",
              NORTH, "520501"),
    # 520802 แม่วะ (อ.เถิน): members' savings, shares and interest (``omboon.savings.demo``)
    GroupSpec("MWA", "กลุ่มสัจจะสะสมทรัพย์ตำบลแม่วะ", "Mae Wa savings group",
              SOUTH, "520802", Organisation.GroupType.SAVINGS_GROUP),
    # 520804 แม่มอก (อ.เถิน): a village fund lending its government capital (``omboon.loans.demo``)
    GroupSpec("MMK", "กองทุนหมู่บ้านบ้านแม่มอก", "Ban Mae Mok village fund",
              SOUTH, "520804", Organisation.GroupType.VILLAGE_FUND, moo=4),
)

GENERATED_TYPES = (
    (Organisation.GroupType.WELFARE_FUND, "กองทุนสวัสดิการชุมชนตำบล", "community welfare fund", 6),
    (Organisation.GroupType.SAVINGS_GROUP, "กลุ่มออมทรัพย์เพื่อการผลิตตำบล", "savings group", 2),
    (Organisation.GroupType.VILLAGE_FUND, "กองทุนหมู่บ้านตำบล", "village fund", 1),
    (Organisation.GroupType.CFI, "สถาบันการเงินชุมชนตำบล", "community finance institution", 1),
)

# Age (in whole years at the end date) buckets and their weights: a welfare fund takes
# members from birth, and most are of working age or elderly.
AGE_BUCKETS = ((0, 14, 9), (15, 29, 14), (30, 44, 21), (45, 59, 28), (60, 74, 20), (75, 92, 8))
MOBILE_PREFIXES = ("081", "082", "083", "084", "085", "086", "087", "088", "089",
                   "061", "062", "063", "064", "065", "091", "092", "093", "094", "095", "098")


@dataclass
class DemoResult:
    seed: int
    end: dt.date
    organisations: list[Organisation] = field(default_factory=list)
    member_counts: dict[str, int] = field(default_factory=dict)
    users: list[str] = field(default_factory=list)
    populated: list[str] = field(default_factory=list)
    timings: dict[str, float] = field(default_factory=dict)

    @property
    def groups(self) -> list[Organisation]:
        return [o for o in self.organisations if o.is_group]

    @property
    def total_members(self) -> int:
        return sum(self.member_counts.values())


class DatabaseNotEmpty(Exception):
    """The demo only builds into an empty database (``--fresh`` flushes it first)."""


def database_is_empty() -> bool:
    return not (Organisation.objects.exists() or get_user_model().objects.exists()
                or Member.objects.exists())


def group_rng(seed: int, code: str, purpose: str) -> random.Random:
    """A generator for one purpose in one group: independent of every other group's draws."""
    return random.Random(f"omboon-demo:{seed}:{code}:{purpose}")


# --- the organisation tree ----------------------------------------------------------------

def _initials(name_en: str) -> str:
    words = [w for w in name_en.replace("-", " ").split() if w.isalpha()]
    if len(words) == 1:
        return words[0][:3].upper()
    return "".join(w[0] for w in words)[:3].upper().ljust(2, "X")


def group_specs(count: int, seed: int) -> list[GroupSpec]:
    """The first ``count`` groups: the named ones, then generated ones from geothai."""
    specs = list(NAMED_GROUPS[:count])
    if count <= len(NAMED_GROUPS):
        return specs
    rng = random.Random(f"omboon-demo:{seed}:generated-groups")
    used = {s.subdistrict_code for s in NAMED_GROUPS}
    pool = [s for d in geography.districts(PROVINCE) for s in geography.subdistricts(d.code)
            if s.code not in used]
    rng.shuffle(pool)
    codes = {s.code for s in NAMED_GROUPS} | {n.code for n in NETWORKS}
    weights = [w for *_, w in GENERATED_TYPES]
    round_no = 0
    while len(specs) < count:
        round_no += 1
        for sub in pool:
            if len(specs) >= count:
                break
            group_type, prefix_th, kind_en, _ = rng.choices(GENERATED_TYPES, weights)[0]
            moo = None if round_no == 1 else round_no - 1
            base = _initials(sub.name_en)
            code, n = base, 2
            while code in codes:
                code, n = f"{base}{n}", n + 1
            codes.add(code)
            name_th = f"{prefix_th}{sub.name_th}"
            name_en = f"{sub.name_en} {kind_en}"
            if moo:
                name_th = f"{prefix_th.replace('ตำบล', '')}หมู่ {moo} ตำบล{sub.name_th}"
                name_en = f"{sub.name_en} village {moo} {kind_en}"
            zone = SOUTH if sub.district_code in SOUTH_DISTRICTS else NORTH
            specs.append(GroupSpec(code, name_th, name_en, zone, sub.code, group_type, moo))
    return specs


def _founded_on(seed: int, code: str, end: dt.date, years: int) -> dt.date:
    rng = group_rng(seed, code, "founded")
    founded = end.replace(year=end.year - years) if not (end.month == 2 and end.day == 29) \
        else dt.date(end.year - years, 2, 28)
    return (founded - dt.timedelta(days=rng.randint(0, 300))).replace(day=1)


# --- members --------------------------------------------------------------------------------

def _years_between(born: dt.date, on: dt.date) -> int:
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


def _random_date(rng: random.Random, start: dt.date, end: dt.date) -> dt.date:
    if end <= start:
        return start
    return start + dt.timedelta(days=rng.randint(0, (end - start).days))


def _national_id(rng: random.Random, born: dt.date, district_code: str, taken: set[str]) -> str:
    """A valid, unused 13-digit ID: 3 for people registered in the 1984 census, 1 after;
    then the registering district (mostly the group's own), a book and a sequence number."""
    first = "1" if born.year >= 1984 else "3"
    while True:
        district = district_code if rng.random() < 0.85 else f"52{rng.randint(1, 13):02d}"
        value = national_id.with_check_digit(f"{first}{district}{rng.randint(0, 9_999_999):07d}")
        if value not in taken:
            taken.add(value)
            return value


def member_rows(
    *, seed: int, spec: GroupSpec, size: int, founded: dt.date, end: dt.date, taken_ids: set[str],
) -> list[dict]:
    """The member rows of one group, in joining order (the service numbers them 0001, ...)."""
    rng = group_rng(seed, spec.code, "members")
    sub = geography.subdistrict(spec.subdistrict_code)
    villages = rng.randint(6, 15)
    initial = max(1, int(size * rng.uniform(0.08, 0.2)))  # the founding members
    span = max(0, (end - founded).days)
    buckets = [(lo, hi) for lo, hi, _ in AGE_BUCKETS]
    bucket_weights = [w for *_, w in AGE_BUCKETS]
    rows = []
    for i in range(size):
        sex = "F" if rng.random() < 0.52 else "M"
        lo, hi = rng.choices(buckets, bucket_weights)[0]
        age = rng.randint(lo, hi)
        born = end - dt.timedelta(days=age * 365 + rng.randint(0, 364) + age // 4)
        if i < initial:
            joined = founded + dt.timedelta(days=rng.randint(0, 30))
        else:
            # Growth accelerates as word spreads: later dates are likelier.
            joined = founded + dt.timedelta(days=int(span * rng.random() ** 0.7))
        if joined < born:  # a baby joins within weeks of birth (the childbirth benefit)
            joined = born + dt.timedelta(days=rng.randint(7, 60))
        joined = min(joined, end)
        age_now = _years_between(born, end)
        married = sex == "F" and age_now >= 20 and rng.random() < (0.8 if age_now >= 30 else 0.35)
        first = rng.choice(names.FEMALE_FIRST_NAMES if sex == "F" else names.MALE_FIRST_NAMES)
        status, status_date = Member.Status.ACTIVE, None
        roll = rng.random()
        death_risk = 0.01 + (0.06 if age_now >= 60 else 0) + (0.12 if age_now >= 75 else 0)
        if roll < death_risk and joined < end:
            status, status_date = Member.Status.DECEASED, _random_date(rng, joined + dt.timedelta(days=1), end)
        elif roll < death_risk + 0.04 and age_now >= 15 and joined < end:
            status, status_date = Member.Status.RESIGNED, _random_date(rng, joined + dt.timedelta(days=1), end)
        phone = ""
        if age_now >= 15 and rng.random() < 0.88:
            phone = f"{rng.choice(MOBILE_PREFIXES)}{rng.randint(0, 9_999_999):07d}"
        house = str(rng.randint(1, 260))
        if rng.random() < 0.12:
            house += f"/{rng.randint(1, 9)}"
        rows.append({
            "title": names.title_for(sex, age_now, married),
            "first_name": first,
            "last_name": rng.choice(names.SURNAMES),
            "sex": sex,
            "national_id": _national_id(rng, born, sub.district_code, taken_ids),
            "birth_date": born,
            "join_date": joined,
            "phone": phone,
            "house_no": house,
            "moo": spec.moo or rng.randint(1, villages),
            "subdistrict_code": sub.code,
            "district_code": sub.district_code,
            "province_code": sub.province_code,
            "postcode": sub.postal_codes[0] if sub.postal_codes else "",
            "status": status,
            "status_date": status_date,
        })
    rows.sort(key=lambda r: (r["join_date"], r["national_id"]))
    return rows


def group_sizes(seed: int, specs: list[GroupSpec], members: int, *, vary: bool = True) -> list[int]:
    """Sizes around ``members``: from half to one and a half times it, per group."""
    if not vary:
        return [members for _ in specs]
    return [max(1, round(members * group_rng(seed, s.code, "size").uniform(0.5, 1.5))) for s in specs]


def _members_bulk_create(*, organisation: Organisation, rows: list[dict]) -> None:
    member_services.members_bulk_create(actor=None, organisation=organisation, rows=rows)


# --- other apps ---------------------------------------------------------------------------

def _demo_functions(name: str) -> list[tuple[str, Callable]]:
    """``omboon.<app>.demo.<name>`` of every installed Omboon app that has one."""
    found = []
    for app in settings.INSTALLED_APPS:
        if not app.startswith("omboon.") or app == __package__:
            continue
        module_name = f"{app}.demo"
        if module_name == __package__ or importlib.util.find_spec(module_name) is None:
            continue
        fn = getattr(importlib.import_module(module_name), name, None)
        if callable(fn):
            found.append((app, fn))
    return found


def populate_modules() -> list[tuple[str, Callable]]:
    """``omboon.<app>.demo.populate`` of every installed Omboon app that has one."""
    found = _demo_functions("populate")
    # The ledger's history ends by closing every finished month; what the other domains post
    # is back-dated, so it must come first or a closed month would refuse it.
    found.sort(key=lambda pair: pair[0] == "omboon.ledger")
    return found


def after_close_modules() -> list[tuple[str, Callable]]:
    """``omboon.<app>.demo.after_close(organisation, year, month, rng, end, actor)`` of every app
    that has one: what it does once a month of a group is closed — the loans' year-end
    allocation once a fiscal year's last month is. The ledger's ``populate`` calls them as it
    closes each month, so what they post lands in the months after it, still open."""
    return _demo_functions("after_close")


def _after_close(hooks: list[tuple[str, Callable]], group: Organisation, seed: int, end: dt.date,
                 timings: dict[str, float]):
    """``after_close(year, month)`` for the ledger's closes of ``group``: each app's hook, with
    a generator of its own (drawing from it changes no other draw of the demo); the seconds
    each takes added up in ``timings`` under ``<app>.after_close``."""
    rngs = {app: group_rng(seed, group.code, f"{app}:after_close") for app, _ in hooks}

    def after_close(year: int, month: int) -> None:
        for app, hook in hooks:
            t0 = time.perf_counter()
            hook(organisation=group, year=year, month=month, rng=rngs[app], end=end, actor=None)
            key = f"{app}.after_close"
            timings[key] = timings.get(key, 0.0) + time.perf_counter() - t0

    return after_close


# --- users --------------------------------------------------------------------------------

def _create_users(orgs: dict[str, Organisation], member_user_member: Member | None,
                  password: str) -> list[str]:
    User = get_user_model()
    # One hash for the one published password: hashing it nine times (argon2) would take
    # longer than building thousands of members.
    hashed = make_password(password)
    created = []
    for spec in DEMO_USERS:
        org = orgs[spec.organisation]
        first, last = spec.first_name, spec.last_name
        if spec.role == Role.MEMBER and member_user_member is not None:
            first, last = member_user_member.first_name, member_user_member.last_name
        user = org_services.user_create(
            actor=None, username=spec.username, password=None, organisation=org,
            role=spec.role, first_name=first, last_name=last,
        )
        User.objects.filter(pk=user.pk).update(password=hashed, is_staff=spec.superuser,
                                               is_superuser=spec.superuser)
        if spec.role == Role.MEMBER and member_user_member is not None:
            _link_member_user(member_user_member, user)
        created.append(spec.username)
    return created


def _create_node_users(group: Organisation, password: str) -> list[str]:
    """The offline node's laptop: the demo's treasurer and chair logins, for this group."""
    hashed = make_password(password)
    created = []
    for spec in DEMO_USERS:
        if spec.role in (Role.TREASURER, Role.CHAIR):
            user = org_services.user_create(actor=None, username=spec.username, password=None, organisation=group,
                                            role=spec.role, first_name=spec.first_name, last_name=spec.last_name)
            get_user_model().objects.filter(pk=user.pk).update(password=hashed)
            created.append(spec.username)
    return created


def _link_member_user(member: Member, user) -> None:
    member_services.member_link_user(actor=None, member=member, user=user)


# --- the build ----------------------------------------------------------------------------

def build(
    *,
    seed: int = 1,
    groups: int = 8,
    members: int = 600,
    years: int = 5,
    end: dt.date | None = None,
    vary_sizes: bool = True,
    populate: bool = True,
    password: str = DEMO_PASSWORD,
    log: Callable[[str], None] = lambda line: None,
    offline_node: str | None = None,
    node_only: str | None = None,
) -> DemoResult:
    """Build the demo network into an empty database. Raises DatabaseNotEmpty otherwise.

    ``offline_node``: the group whose history is left to its laptop (members only, flagged as
    a remote node); ``omboon demo`` passes ``OFFLINE_NODE``. ``node_only``: build that one group (and its
    networks) with its full
    history and its treasurer and chair logins — the laptop's database."""
    if not database_is_empty():
        raise DatabaseNotEmpty()
    end = end or dt.date.today()
    result = DemoResult(seed=seed, end=end)
    t0 = time.perf_counter()
    specs = group_specs(max(1, groups), seed)
    sizes = group_sizes(seed, specs, max(1, members), vary=vary_sizes)
    if node_only and node_only not in {s.code for s in specs}:
        raise ValueError(f"no demo group {node_only} among {groups} groups")
    zones_used = {s.zone for s in specs if not node_only or s.code == node_only}
    with transaction.atomic():
        orgs: dict[str, Organisation] = {}
        for net in NETWORKS:
            if net.parent is not None and net.code not in zones_used:
                continue
            orgs[net.code] = org_services.organisation_create(
                actor=None, code=net.code, kind=Organisation.Kind.NETWORK, name_th=net.name_th,
                name_en=net.name_en, parent=orgs.get(net.parent) if net.parent else None,
                province_code=PROVINCE,
                founded_on=_founded_on(seed, net.code, end, years + 1),
            )
            result.organisations.append(orgs[net.code])
            log(f"เครือข่าย / network  {net.code:<6} {net.name_th}")
        taken_ids: set[str] = set()
        for spec, size in zip(specs, sizes):
            if node_only and spec.code != node_only:  # the same national IDs as the whole network's
                member_rows(seed=seed, spec=spec, size=size, founded=_founded_on(seed, spec.code, end, years),
                            end=end, taken_ids=taken_ids)
                continue
            g0 = time.perf_counter()
            sub = geography.subdistrict(spec.subdistrict_code)
            founded = _founded_on(seed, spec.code, end, years)
            group = org_services.organisation_create(
                actor=None, code=spec.code, kind=Organisation.Kind.GROUP, name_th=spec.name_th,
                name_en=spec.name_en, parent=orgs[spec.zone], group_type=spec.group_type,
                founded_on=founded, province_code=sub.province_code,
                district_code=sub.district_code, subdistrict_code=sub.code,
                postcode=sub.postal_codes[0] if sub.postal_codes else "", moo=spec.moo,
            )
            orgs[spec.code] = group
            result.organisations.append(group)
            rows = member_rows(seed=seed, spec=spec, size=size, founded=founded, end=end,
                               taken_ids=taken_ids)
            _members_bulk_create(organisation=group, rows=rows)
            result.member_counts[spec.code] = len(rows)
            log(f"กลุ่ม / group        {spec.code:<6} {spec.name_th}: "
                f"{len(rows):,} สมาชิก / members ({time.perf_counter() - g0:.2f} s)")
        result.timings["members"] = time.perf_counter() - t0

        bdc = orgs.get(NAMED_GROUPS[0].code)
        member_for_user = None
        if bdc is not None:
            adults = Member.objects.filter(
                organisation=bdc, status=Member.Status.ACTIVE,
                birth_date__lte=end.replace(year=end.year - 25),
            ).order_by("number")
            member_for_user = adults.first()
        u0 = time.perf_counter()
        result.users = _create_users(orgs, member_for_user, password) if bdc is not None else []
        if node_only and bdc is None:
            result.users = _create_node_users(orgs[node_only], password)
        result.timings["users"] = time.perf_counter() - u0
        log(f"ผู้ใช้ตัวอย่าง / demo users: {', '.join(result.users) or '-'}")

        if populate:
            hooks = after_close_modules()
            for app, fn in populate_modules():
                p0 = time.perf_counter()
                for group in result.groups:
                    if group.code == offline_node and not node_only:
                        continue  # its books are on its laptop
                    start = group.founded_on or end
                    extra = {"after_close": _after_close(hooks, group, seed, end, result.timings)} \
                        if app == "omboon.ledger" and hooks else {}
                    fn(organisation=group, rng=group_rng(seed, group.code, app), start=start,
                       end=end, actor=None, **extra)
                result.populated.append(app)
                result.timings[app] = time.perf_counter() - p0
                log(f"ข้อมูล / data        {app}: {time.perf_counter() - p0:.2f} s")
            for key in sorted(k for k in result.timings if k.endswith(".after_close")):
                log(f"ข้อมูล / data        {key} (หลังปิดเดือน / after a month's close, in the ledger's time): "
                    f"{result.timings[key]:.2f} s")
        if offline_node in orgs and not node_only:
            org_services.organisation_mark_remote(actor=None, organisation=orgs[offline_node])
    result.timings["total"] = time.perf_counter() - t0
    return result


def member_fingerprint(codes: Iterable[str] | None = None) -> list[tuple]:
    """Every member as a tuple of its data (no database ids): two builds compare equal."""
    qs = Member.objects.select_related("organisation").order_by("organisation__code", "number")
    if codes is not None:
        qs = qs.filter(organisation__code__in=list(codes))
    return list(qs.values_list(
        "organisation__code", "number", "title", "first_name", "last_name", "sex", "national_id",
        "birth_date", "join_date", "phone", "house_no", "moo", "subdistrict_code", "status",
        "status_date",
    ))
