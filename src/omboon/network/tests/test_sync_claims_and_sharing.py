"""Claims travel with the sync, and the sharing switch is honoured on the server.

The server here is a second group in the same test database (``mirror``, flagged as a
remote node): staged items are applied to it exactly as ``apply_batch`` applies them for
the laptop's group, by natural keys (member numbers, scheme names, document numbers), so the
two groups' records can be compared side by side.
"""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.contrib.auth import get_user_model
from django.db import transaction

from omboon.ledger.models import JournalEntry, JournalLine
from omboon.members import services as member_services
from omboon.members.models import Beneficiary, Member
from omboon.network import receivers, services
from omboon.network.models import OutboxItem
from omboon.network.sync import protocol, server
from omboon.network.sync.laptop import stage
from omboon.orgs.models import Organisation, Role
from omboon.testing.factories import make_group, make_user
from omboon.welfare import services as welfare
from omboon.welfare.models import Claim, ClaimPayee
from omboon.welfare.tests.conftest import ID_DOCS, fund_cash, make_member, make_schemes

D = dt.date


@pytest.fixture
def laptop(tree):
    """BDC on its laptop: four members, the usual schemes, and claims in every state."""
    group = tree.group_a
    treasurer = make_user(group, Role.TREASURER, username="somsri")
    chair = make_user(group, Role.CHAIR, username="prasert")
    fund_cash(group, 100_000_00)
    schemes = make_schemes(group, treasurer)
    people = [make_member(group, first_name=name, phone=f"08100000{i:02d}", house_no=f"{i + 1}/1")
              for i, name in enumerate(["บุญมี", "บุญมา", "บุญเรือง", "บุญยืน"])]
    member_services.beneficiaries_set(actor=treasurer, member=people[0], rows=[
        {"name": "นางบัวผัน ใจดี", "relation": "ลูกสาว", "share_percent": 60},
        {"name": "นายบุญส่ง ใจดี", "relation": "ลูกชาย", "share_percent": 40}])

    def submit(category, member, **kw):
        kw.setdefault("payees", [{"name": "นายบุญส่ง ใจดี", "relation": "บุตร", "share": 100}]
                      if category == "death" else [])
        return welfare.claim_submit(actor=treasurer, organisation=group, member=member, scheme=schemes[category],
                                    event_date=D(2025, 6, 10), documents=ID_DOCS[category], today=D(2025, 12, 31),
                                    details="นอนโรงพยาบาลลำปาง 3 คืน", **kw)

    paid = welfare.claim_pay(actor=treasurer, claim=welfare.claim_approve(actor=chair, claim=submit(
        "sickness", people[1], nights=3)), date=D(2025, 7, 1))
    welfare.claim_reject(actor=chair, claim=submit("childbirth", people[2]), reason="เอกสารไม่ครบ")
    reversed_ = welfare.claim_pay(actor=treasurer, claim=welfare.claim_approve(actor=chair, claim=submit(
        "death", people[3])), date=D(2025, 7, 2))
    welfare.claim_reverse(actor=chair, claim=reversed_, reason="จ่ายผิดคน", date=D(2025, 7, 3))
    pending = submit("sickness", people[0], nights=1, event_key="ครั้งที่สอง")
    return type("Laptop", (), {"group": group, "treasurer": treasurer, "chair": chair, "paid": paid,
                               "pending": pending, "people": people})


@pytest.fixture
def mirror(tree):
    group = make_group("SRV", "BDC บนเซิร์ฟเวอร์เครือข่าย", parent=tree.zone)
    Organisation.objects.filter(pk=group.pk).update(is_remote_node=True)
    return Organisation.objects.get(pk=group.pk)


def ship(laptop_group, mirror) -> list[str]:
    """Stage on the laptop and apply the new items to the mirror, in order; their kinds."""
    after = OutboxItem.objects.filter(organisation=laptop_group).order_by("-seq").values_list("seq", flat=True)
    after = after[0] if after else 0
    stage(actor=None, organisation=laptop_group)
    kinds = []
    for item in OutboxItem.objects.filter(organisation=laptop_group, seq__gt=after).order_by("seq"):
        with receivers.applying_sync():
            server.APPLY[item.kind](mirror, json.loads(item.payload))
        kinds.append(item.kind)
    return kinds


def claims_of(group) -> list[tuple]:
    """Each claim as the group's bookkeeper would describe it, without database ids."""
    def who(user):
        return user.username.split("@")[0] if user else None

    def doc(entry):
        return (entry.doc_type, entry.fiscal_year, entry.number, entry.total) if entry else None

    return sorted(
        (c.member.number, c.scheme.name_th, c.event_key, c.status, c.amount, c.details, who(c.submitted_by),
         who(c.approved_by), who(c.paid_by), c.paid_on, c.reject_reason, c.reverse_reason, doc(c.entry),
         doc(c.reversal), c.submitted_at, tuple(c.payees.values_list("name", "relation", "share", "amount")))
        for c in Claim.objects.filter(organisation=group).select_related(
            "member", "scheme", "submitted_by", "approved_by", "paid_by", "entry", "reversal"))


def people_of(group) -> list[tuple]:
    return sorted(Member.objects.filter(organisation=group).values_list(
        "number", "first_name", "last_name", "national_id", "phone", "house_no", "birth_date", "status"))


def beneficiaries_of(group) -> list[tuple]:
    return sorted(Beneficiary.objects.filter(organisation=group).values_list("member__number", "name",
                                                                            "share_percent"))


def test_claims_arrive_with_decisions_payees_and_the_entries_that_paid_them(laptop, mirror):
    ship(laptop.group, mirror)
    assert claims_of(mirror) == claims_of(laptop.group)
    assert sorted(c[3] for c in claims_of(mirror)) == ["paid", "rejected", "reversed", "submitted"]
    paid = Claim.objects.get(organisation=mirror, status="paid")
    assert paid.entry.lines.filter(member__number=laptop.paid.member.number).exists()
    # who decided stays two different people on the server, and neither can log in
    assert paid.submitted_by != paid.approved_by
    assert not paid.submitted_by.is_active and not paid.submitted_by.has_usable_password()
    assert people_of(mirror) == people_of(laptop.group) and beneficiaries_of(mirror) == beneficiaries_of(laptop.group)


def test_a_claim_decided_later_is_sent_again_and_updated_in_place(laptop, mirror):
    ship(laptop.group, mirror)
    claims_before = Claim.objects.filter(organisation=mirror).count()
    welfare.claim_pay(actor=laptop.treasurer, claim=welfare.claim_approve(actor=laptop.chair, claim=laptop.pending),
                      date=D(2025, 8, 1))
    assert ship(laptop.group, mirror) == ["entries", "claims"]
    assert Claim.objects.filter(organisation=mirror).count() == claims_before
    assert claims_of(mirror) == claims_of(laptop.group)
    assert ship(laptop.group, mirror) == []  # nothing changed, nothing staged


def test_applying_the_same_items_twice_changes_nothing(laptop, mirror):
    ship(laptop.group, mirror)
    before = (claims_of(mirror), people_of(mirror), JournalLine.objects.filter(organisation=mirror).count(),
              ClaimPayee.objects.filter(organisation=mirror).count())
    for item in OutboxItem.objects.filter(organisation=laptop.group).order_by("seq"):
        with receivers.applying_sync():
            server.APPLY[item.kind](mirror, json.loads(item.payload))
    assert (claims_of(mirror), people_of(mirror), JournalLine.objects.filter(organisation=mirror).count(),
            ClaimPayee.objects.filter(organisation=mirror).count()) == before


def _personal_strings(group) -> set[str]:
    strings = set()
    for m in Member.objects.filter(organisation=group):
        strings |= {m.first_name, m.last_name, m.national_id, m.phone, m.house_no}
    strings |= set(Beneficiary.objects.filter(organisation=group).values_list("name", flat=True))
    strings |= set(ClaimPayee.objects.filter(organisation=group).values_list("name", flat=True))
    strings |= set(Claim.objects.filter(organisation=group).values_list("details", flat=True))
    return {s for s in strings if s}


def test_switching_to_aggregates_leaves_no_personal_data_on_the_server(laptop, mirror):
    ship(laptop.group, mirror)
    secrets = _personal_strings(laptop.group)
    assert secrets <= _personal_strings(mirror)
    entries, lines = JournalEntry.objects.filter(organisation=mirror).count(), JournalLine.objects.filter(
        organisation=mirror).count()
    services.sharing_set(actor=laptop.chair, organisation=laptop.group, sharing="aggregates")
    assert ship(laptop.group, mirror) == ["sharing"]  # and facts when months are closed; no records
    assert _personal_strings(mirror).isdisjoint(secrets)
    assert not Claim.objects.filter(organisation=mirror).exists()
    assert not ClaimPayee.objects.filter(organisation=mirror).exists()
    assert not Beneficiary.objects.filter(organisation=mirror).exists()
    assert not get_user_model().objects.filter(username__in=["somsri@srv.node", "prasert@srv.node"]).exists()
    # the money stays, its lines still point at the (anonymised) member numbers
    assert (JournalEntry.objects.filter(organisation=mirror).count(),
            JournalLine.objects.filter(organisation=mirror).count()) == (entries, lines)
    kept = Member.objects.get(organisation=mirror, number=laptop.people[1].number)
    assert (kept.sex, kept.status, kept.join_date, kept.birth_date) == (
        laptop.people[1].sex, laptop.people[1].status, laptop.people[1].join_date, D(1960, 7, 1))
    assert kept.first_name == kept.last_name == kept.phone == kept.id_hash == ""
    # the laptop keeps sending nothing personal while it shares aggregates only
    member_services.member_update(actor=laptop.treasurer, member=laptop.people[2], phone="0899999999")
    assert ship(laptop.group, mirror) == []
    assert not Member.objects.filter(organisation=mirror, phone="0899999999").exists()


def test_switching_back_to_full_sends_everything_again(laptop, mirror):
    ship(laptop.group, mirror)
    services.sharing_set(actor=laptop.chair, organisation=laptop.group, sharing="aggregates")
    ship(laptop.group, mirror)
    member_services.member_update(actor=laptop.treasurer, member=laptop.people[2], phone="0899999999")
    services.sharing_set(actor=laptop.chair, organisation=laptop.group, sharing="full")
    kinds = ship(laptop.group, mirror)
    assert kinds[0] == "sharing" and {"chart", "members", "schemes", "claims"} <= set(kinds)
    assert "entries" not in kinds  # the server kept the money; nothing new was posted
    assert people_of(mirror) == people_of(laptop.group)
    assert beneficiaries_of(mirror) == beneficiaries_of(laptop.group)
    assert claims_of(mirror) == claims_of(laptop.group)


def test_a_claim_whose_paying_entry_never_arrived_is_refused_and_changes_nothing(laptop, mirror):
    stage(actor=None, organisation=laptop.group)
    items = list(OutboxItem.objects.filter(organisation=laptop.group).order_by("seq"))
    for item in items:
        if item.kind not in ("entries", "claims"):
            with receivers.applying_sync():
                server.APPLY[item.kind](mirror, json.loads(item.payload))
    claims = next(item for item in items if item.kind == "claims")
    with pytest.raises(protocol.SyncRefused) as refused, transaction.atomic(), receivers.applying_sync():
        server.APPLY["claims"](mirror, json.loads(claims.payload))
    assert refused.value.status == 400 and "entry" in refused.value.problems[0].message_en
    assert not Claim.objects.filter(organisation=mirror).exists()
