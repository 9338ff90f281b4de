"""A collection day in pieces: the draft day (``CollectionDraft``, one open per group and date;
its lines, one per member; its pieces, each by its idempotency key). The treasurer saves the
rows as she goes (``collection_draft_save``), and the whole day is posted once, through
``services.collection_day_post``, only with the count and total she confirmed
(``collection_draft_post``). The draft never touches the books."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass, field

from django.db import IntegrityError, transaction
from django.utils import timezone

from omboon.contributions import rules, selectors
from omboon.contributions.models import (
    CollectionDay,
    CollectionDraft,
    CollectionDraftLine,
    CollectionDraftPiece,
)
from omboon.contributions.services import collection_day_post, row_amount, row_takes
from omboon.core import audit
from omboon.core.errors import Problem, problems_of, raise_if
from omboon.core.money import format_baht
from omboon.ledger import collection
from omboon.members.models import Member


@dataclass
class PieceResult:
    """What saving one piece did, and where the draft day stands after it."""

    draft: CollectionDraft
    saved: list[int]  # member ids set in the draft
    removed: list[int]  # member ids taken out of it (unticked)
    problems: dict[int, list[Problem]]  # member id → what kept that row out (the rest was saved)
    count: int  # the whole draft day after this piece
    total: int
    repeated: bool = False  # the key was seen before: nothing changed
    # member id → what a saved row will do beyond what it names (a loan's surplus into savings)
    notices: dict[int, list[collection.Notice]] = field(default_factory=dict)

    @property
    def all_problems(self) -> list[Problem]:
        return [p for found in self.problems.values() for p in found]

    def as_dict(self) -> dict:
        return {"saved": self.saved, "removed": self.removed, "count": self.count, "total": self.total,
                "problems": {str(k): [p.as_dict() for p in v] for k, v in self.problems.items()},
                "notices": {str(k): [notice_dict(n) for n in v] for k, v in self.notices.items()}}


def notice_dict(n: collection.Notice) -> dict:
    """A notice as the API and a piece's stored result give it: the part and target, the
    surplus (satang) and the account it goes into, and what it says in each language."""
    return {"part": n.part, "ref": n.take.ref, "amount": n.amount,
            "into": n.into, "message_th": n.message_th, "message_en": n.message_en}


def _open_draft(*, actor, organisation, date: dt.date) -> CollectionDraft:
    found = CollectionDraft.objects.select_for_update().filter(
        organisation=organisation, date=date, status=CollectionDraft.Status.OPEN).first()
    if found is not None:
        return found
    try:
        with transaction.atomic():
            return CollectionDraft.objects.create(organisation=organisation, date=date, key=uuid.uuid4().hex,
                                                  created_by=audit.person(actor))
    except IntegrityError:  # a second treasurer opened the same day a moment before
        return CollectionDraft.objects.select_for_update().get(
            organisation=organisation, date=date, status=CollectionDraft.Status.OPEN)


@transaction.atomic
def collection_draft_save(*, actor, organisation, date: dt.date, rows: list[dict], key: str,
                          today: dt.date | None = None) -> PieceResult:
    """Save one piece of a collection day into the day's draft (opened on its first piece).

    A row is ``{"member": id, "paid": bool, "amount": satang or text as typed, "parts": {part
    code: {target ref: satang or text}}}`` (the savings deposits and loan repayments of the row,
    checked by their parts of ``ledger.collection``; the contribution may then be blank): a
    ticked row sets the member's amounts in the draft (Thai digits and thousands commas are read by
    ``core.money.parse_baht``), an unticked row takes the member out of it. A row that cannot be
    saved — a bad amount, a member who left since the page was opened — is named in
    ``problems`` and the rest of the piece is saved all the same. The same ``key`` twice saves
    once and answers as the first time. Nothing here touches the books."""
    raise_if(problems_of(rules.DRAFT_PIECE, rules.Day(organisation, date, today or timezone.localdate(), key=key)))
    key = key.strip()[:128]
    # A key already seen on this date — even in a draft posted since (a stale page sent again
    # after the final save) — records nothing again.
    done = (CollectionDraftPiece.objects.filter(organisation=organisation, draft__date=date, key=key)
            .select_related("draft").first())
    if done is None:
        draft = _open_draft(actor=actor, organisation=organisation, date=date)
        done = CollectionDraftPiece.objects.filter(draft=draft, key=key).first()
    else:
        draft = done.draft
    if done is not None:
        count, total = selectors.draft_totals(draft)
        stored = done.result or {}
        return PieceResult(draft=draft, saved=stored.get("saved", []), removed=stored.get("removed", []),
                           problems={}, count=count, total=total, repeated=True)
    ids = {int(r["member"]) for r in rows if str(r.get("member", "")).isdigit()}
    members = {m.pk: m for m in Member.objects.filter(organisation=organisation, pk__in=ids).only(
        "id", "organisation_id", "number", "title", "first_name", "last_name", "join_date", "status",
        "status_date")}
    existing = {ln.member_id: ln for ln in CollectionDraftLine.objects.filter(draft=draft, member_id__in=ids)}
    found: dict[int, list[Problem]] = {}
    notices: dict[int, list[collection.Notice]] = {}
    create, update, remove, saved, removed = [], [], [], [], []
    seen: set[int] = set()
    wanted = []  # (member, line, amount, takes, problems) of the ticked rows, the parts checked together below
    for raw in rows:
        ref = raw.get("member")
        member = members.get(int(ref)) if str(ref).isdigit() else None
        if member is None:
            mid = int(ref) if str(ref).isdigit() else 0
            found.setdefault(mid, []).extend(rules.unsaved_unknown_member(ref, mid))
            continue
        if member.pk in seen:
            continue
        seen.add(member.pk)
        line = existing.get(member.pk)
        if not raw.get("paid"):
            if line is not None:
                remove.append(line.pk)
                removed.append(member.pk)
            continue
        takes, bad = row_takes(raw, member, member.pk)
        if takes and raw.get("amount") in (None, "", 0, "0"):
            amount = 0
        else:
            amount, found_amount = row_amount(raw.get("amount"), None)
            bad += found_amount
        wanted.append((member, line, amount, takes, bad or rules.check_member_may_pay(organisation, member, date)))
    by_part: dict[str, list] = {}
    for _m, _l, _a, takes, bad in wanted:
        if not bad:
            for code, ts in takes.items():
                by_part.setdefault(code, []).extend(ts)
    part_problems: dict[int, list[Problem]] = {}
    for code, ts in by_part.items():  # each part's checks once for the piece (a query or two, not one a row)
        for p in collection.part(code).check(organisation, date, actor, ts):
            part_problems.setdefault(p.row, []).append(p)
    for member, line, amount, takes, bad in wanted:
        bad = bad or part_problems.get(member.pk, [])
        if bad:
            found[member.pk] = rules.unsaved_row(member, bad)
            continue
        saved.append(member.pk)
        for code, ts in takes.items():  # what the row will do beyond what it names, from the checks just run
            for n in collection.part(code).notices(organisation, date, actor, ts, checked=True):
                notices.setdefault(member.pk, []).append(n)
        parts = {code: {t.ref: t.amount for t in ts} for code, ts in takes.items()}
        parts_total = sum(t.amount for ts in takes.values() for t in ts)
        if line is None:
            create.append(CollectionDraftLine(organisation=organisation, draft=draft, member=member,
                                              amount=amount, parts=parts, parts_total=parts_total, piece_key=key))
        elif line.amount != amount or line.parts != parts:
            line.amount, line.parts, line.parts_total, line.piece_key = amount, parts, parts_total, key
            update.append(line)
    if remove:
        CollectionDraftLine.objects.filter(pk__in=remove).delete()
    if update:
        CollectionDraftLine.objects.bulk_update(update, ["amount", "parts", "parts_total", "piece_key", "updated_at"])
    if create:
        CollectionDraftLine.objects.bulk_create(create)
    count, total = selectors.draft_totals(draft)
    result = PieceResult(draft=draft, saved=saved, removed=removed, problems=found, count=count, total=total,
                         notices=notices)
    CollectionDraftPiece.objects.create(organisation=organisation, draft=draft, key=key, result=result.as_dict(),
                                        created_by=audit.person(actor))
    CollectionDraft.objects.filter(pk=draft.pk).update(updated_at=timezone.now())
    audit.record(actor=actor, action="contributions.collection_draft_save", organisation=organisation, obj=draft,
                 summary=(f"วันเก็บเงิน (ร่าง)/collection day draft {date}: +{len(saved)} −{len(removed)}, "
                          f"รวม/total {count} คน/members {format_baht(total)}"),
                 after={"key": key, "saved": len(saved), "removed": len(removed), "refused": len(found),
                        "count": count, "total": total})
    return result


def draft_notices(*, actor, organisation, draft: CollectionDraft | None,
                  member_ids: list[int] | None = None) -> list[collection.Notice]:
    """What the draft's rows (or those of ``member_ids``: a page of the collect page) will do
    beyond what they name — a loan's overpayment deposited into savings — before the final save:
    each part's own ``notices`` on the draft's takes (the final save checks them all again), by
    member number."""
    if draft is None:
        return []
    takes: dict[str, list[collection.Take]] = {}
    lines = selectors.draft_lines(draft).exclude(parts_total=0)
    if member_ids is not None:
        lines = lines.filter(member_id__in=member_ids)
    for line in lines:
        for code, refs in (line.parts or {}).items():
            takes.setdefault(code, []).extend(collection.Take(member=line.member, ref=str(ref), amount=amount,
                                                              row=line.member.number)
                                              for ref, amount in (refs or {}).items() if amount)
    found = [n for part in collection.parts() if takes.get(part.code)
             for n in part.notices(organisation, draft.date, actor, takes[part.code])]
    return sorted(found, key=lambda n: n.take.member.number)


def _may_not_pay(organisation, draft: CollectionDraft) -> list[Problem]:
    lines = selectors.draft_unpayable(draft)
    out: list[Problem] = []
    for ln in lines:
        bad = rules.check_member_may_pay(organisation, ln.member, draft.date)
        if bad:
            out += rules.unsaved_row(ln.member, bad)
    return out


@transaction.atomic
def collection_draft_post(*, actor, organisation, draft: CollectionDraft, count: int | None = None,
                          total: int | None = None, paid_into: str = "cash",
                          today: dt.date | None = None) -> CollectionDay:
    """The final save: the whole draft day posted as one collection day (``collection_day_post``:
    a receipt per member in the group's gapless series, one journal entry). ``count`` and
    ``total`` are what the treasurer confirmed; a draft that changed since is refused, to be
    confirmed again. Saving twice (a double tap) returns the same day."""
    draft = CollectionDraft.objects.select_for_update().get(pk=draft.pk, organisation=organisation)
    if draft.status == CollectionDraft.Status.POSTED and draft.collection_day_id:
        return draft.collection_day
    raise_if(problems_of(rules.DRAFT_POST, rules.DraftPost(draft, count, total, selectors.draft_totals(draft))))
    raise_if(_may_not_pay(organisation, draft))
    rows = [{"member": m, "amount": a, "parts": p} if p else {"member": m, "amount": a}
            for m, a, p in CollectionDraftLine.objects.filter(draft=draft)
            .order_by("member__number").values_list("member_id", "amount", "parts")]
    day = collection_day_post(actor=actor, organisation=organisation, date=draft.date, rows=rows,
                              idempotency_key=f"draft:{draft.key}", paid_into=paid_into, today=today)
    draft.status = CollectionDraft.Status.POSTED
    draft.collection_day = day
    draft.save(update_fields=["status", "collection_day", "updated_at"])
    return day


@transaction.atomic
def collection_draft_discard(*, actor, organisation, draft: CollectionDraft) -> CollectionDraft:
    """Throw away a draft day that was never posted (nothing of it is in the books)."""
    draft = CollectionDraft.objects.select_for_update().get(pk=draft.pk, organisation=organisation)
    raise_if(rules.draft_discardable(draft))
    count, total = selectors.draft_totals(draft)
    draft.status = CollectionDraft.Status.DISCARDED
    draft.save(update_fields=["status", "updated_at"])
    audit.record(actor=actor, action="contributions.collection_draft_discard", organisation=organisation, obj=draft,
                 summary=f"ยกเลิกร่างวันเก็บเงิน/discarded draft {draft.date}: {count} คน/members {format_baht(total)}",
                 after={"count": count, "total": total})
    return draft
