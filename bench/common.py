"""The set-up several benchmarks share: a group with its people (made through the services, as
real data), the demo's group at a given size, and users of given roles.

Django is imported inside each function: a benchmark module is imported by the runner before
Django is set up."""

from __future__ import annotations

import datetime as dt
import random

FIRST = ("สมศรี", "สมชาย", "บุญมี", "มาลี", "ประยุทธ", "สุดา", "วิชัย", "อำไพ")
LAST = ("ใจดี", "รักษ์ดี", "ศรีสุข", "ทองคำ", "บุญมา", "แก้วใส")


def new_group(code: str, name_th: str, group_type: str, *, since: dt.date, members: int, rng: random.Random,
              id_prefix: str) -> tuple:
    """(group, treasurer, chair, members): a group of ``group_type`` founded ``since``, with a
    treasurer and a chair (``<code>-treasurer``, ``<code>-chair``) and ``members`` members who
    joined then, their names, sexes and birth dates (1940–2000) drawn from ``rng``, their
    national IDs ``<id_prefix>0000000001``… (two digits: two benchmarks' IDs never clash)."""
    from omboon.core import national_id
    from omboon.members.services import members_bulk_create
    from omboon.orgs import services as org_services
    from omboon.orgs.models import Organisation, Role

    group = org_services.organisation_create(actor=None, code=code, kind=Organisation.Kind.GROUP, name_th=name_th,
                                             province_code="52", group_type=group_type, founded_on=since)
    treasurer, chair = (org_services.user_create(actor=None, username=f"{code.lower()}-{role}", password=None,
                                                 organisation=group, role=role)
                        for role in (Role.TREASURER, Role.CHAIR))
    rows = [{"first_name": rng.choice(FIRST), "last_name": rng.choice(LAST), "sex": rng.choice("MF"),
             "national_id": national_id.with_check_digit(f"{id_prefix}{i:010d}"),
             "birth_date": dt.date(rng.randint(1940, 2000), rng.randint(1, 12), rng.randint(1, 28)),
             "join_date": since} for i in range(members)]
    return group, treasurer, chair, members_bulk_create(actor=None, organisation=group, rows=rows)


def demo_group(ctx, members: int, *, today: dt.date, drawn: float = 1.5):
    """The demo's one group, five years to ``today`` without its collection history, of
    ``members`` × ``drawn`` members drawn (some of whom leave or die), so that ``members`` are
    still active."""
    from omboon.demo import generator
    from omboon.orgs.models import Organisation

    ctx.step(f"สร้างกลุ่มสมาชิก {members:,} คน / one group of {members:,} active members")
    generator.build(seed=1, groups=1, members=int(members * drawn), years=5, end=today, vary_sizes=False,
                    populate=False)
    return Organisation.objects.get(kind=Organisation.Kind.GROUP)


def bench_users(group, *roles: str) -> list:
    """One user of each role in the group, named ``bench-<role>``."""
    from omboon.testing.factories import make_user

    return [make_user(group, role, username=f"bench-{role}") for role in roles]
