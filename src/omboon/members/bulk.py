"""Members written many at a time, from the group's own records elsewhere: a group's laptop
sends its members through ``network.sync`` and the network's server keeps them here. (An import
of members goes through ``services.members_bulk_create``: its rows are checked as new members.)

The caller holds the transaction and writes the audit event (the sync's ``network.apply_batch``).
"""

from __future__ import annotations

from omboon.core import national_id
from omboon.members.models import Beneficiary, Member

BATCH_SIZE = 500


def members_receive(*, organisation, members: list[dict], beneficiaries: dict[str, list[tuple]]) -> int:
    """Members as the group's own books hold them, matched by member number: new ones added,
    known ones changed to these values (``members`` are Member field values, with ``number``);
    each member's beneficiaries replaced by ``beneficiaries[number]`` (position, name, relation,
    share percent, phone). Returns how many members."""
    numbers = [m["number"] for m in members]
    existing = {m.number: m for m in Member.objects.filter(organisation=organisation, number__in=numbers)}
    fields = sorted({k for m in members for k in m} - {"number"})
    new, changed = [], []
    for values in members:
        member = existing.get(values["number"])
        id_hash = national_id.keyed_hash(values["national_id"])
        if member is None:
            new.append(Member(organisation=organisation, id_hash=id_hash, **values))
        else:
            for key, value in values.items():
                setattr(member, key, value)
            member.id_hash = id_hash
            changed.append(member)
    Member.objects.bulk_create(new, batch_size=BATCH_SIZE)
    if changed:
        Member.objects.bulk_update(changed, [*fields, "id_hash"], batch_size=BATCH_SIZE)
    ids = dict(Member.objects.filter(organisation=organisation, number__in=numbers).values_list("number", "pk"))
    Beneficiary.objects.filter(member_id__in=ids.values()).delete()
    Beneficiary.objects.bulk_create([
        Beneficiary(organisation=organisation, member_id=ids[number], position=pos, name=name, relation=relation,
                    share_percent=share, phone=phone)
        for number, rows in beneficiaries.items() for pos, name, relation, share, phone in rows], batch_size=1000)
    return len(members)
