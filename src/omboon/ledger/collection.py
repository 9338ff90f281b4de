"""The collection day's parts: how money for several domains of one layer (contributions,
savings deposits, loan repayments) is taken in one sitting without any of them importing
another.

The protocol lives here, in the ledger (the layer below them all, which every one of them
already posts through). A domain that takes money on the collection day registers one
``CollectionPart`` in its ``AppConfig.ready()`` (``register_part``); contributions' collection
day (its page, its draft, ``collection_day_post``) asks ``parts()`` for them and:

1. shows, per member, the part's ``targets`` (a savings account, a running loan) with the
   amount due pre-filled;
2. runs every part's ``check`` on every row it was given (all problems at once, each naming the
   row and the field);
3. takes the receipts' numbers, asks each part for its ``lines`` (the credit side, each tagged
   with the receipt's number) and posts the whole day as one journal entry (one cash line per
   fund);
4. lets each part write its own rows in the same transaction (``after_post``: a loan's
   repayment rows, an account's status), and lists every part on each member's receipt.

All of it runs in the collection day's one transaction: a problem anywhere posts nothing.
A part's ``void`` is called when a receipt that holds it is voided (the reversal of its lines
is posted by the caller), so the domain can mark its own rows.

A part may hand a line of its own take to another part (``PartLine.part``): a loan's
overpayment, where the product credits it to savings, is a deposit the savings part checked and
wrote — the receipt lists it as savings, and savings' ``after_post`` and ``void`` take it.
``notices`` says what a take does beyond what it names, before the final save: as each row is
saved into the day's draft (the page's row, the API's piece), on the confirmation, and in
``omboon collection-day`` before it posts."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any, Protocol

from omboon.core.errors import Problem


@dataclass(frozen=True)
class Target:
    """One place a member's money can go in a part: a savings account, a running loan.
    ``ref`` is the part's own key for it (a string, unique within the group); ``due`` what the
    page pre-fills (0: optional); ``closed`` a reason the target takes nothing now (still
    shown, so a row names it)."""

    member_id: int
    ref: str
    label_th: str
    label_en: str
    due: int = 0
    number: str = ""  # what people call it: the account's or the loan's number (a file's column)
    required: bool = False  # the bylaws ask it each time (compulsory savings): pre-filled
    note_th: str = ""
    note_en: str = ""
    kind: str = ""  # the part's own kind of target (savings: "compulsory", "voluntary")


@dataclass
class Take:
    """An amount one member hands over for one target of a part. ``row`` names the row in
    problems (a member number on the page, a row number in a file); ``document`` is the
    receipt's number once it is taken."""

    member: Any
    ref: str
    amount: int
    row: Any = None
    document: str = ""
    target: Any = None  # the part's own object for ``ref``, as its ``check`` found it (``lines`` reuses it)


@dataclass
class PartLine:
    """What one take adds to the receipt: a label, the amount and its split (a loan's
    interest, principal, penalty), and the entry lines that credit it."""

    take: Take
    label_th: str
    label_en: str
    lines: list = field(default_factory=list)  # ledger.services.Line, credits only
    detail: dict = field(default_factory=dict)  # e.g. {"interest": satang, "principal": satang}
    # The part this line belongs to when another part made it (a loan's surplus, a deposit the
    # savings part wrote): the receipt lists it, and that part's after_post and void take it.
    part: str = ""


@dataclass(frozen=True)
class Notice:
    """What a take will do beyond what it names, for the person to read before the final save
    (a loan's surplus deposited into savings): ``part`` the part that says it, ``amount`` the
    money it concerns (the surplus), ``into`` where it goes (the savings account's number)."""

    take: Take
    message_th: str
    message_en: str
    part: str = ""
    amount: int = 0
    into: str = ""


class CollectionPart(Protocol):
    code: str  # "savings", "loans"
    order: int  # the column's place on the page and the receipt
    title_th: str
    title_en: str

    def in_use(self, organisation) -> bool: ...  # the group has targets at all (the page's size)

    def targets(self, organisation, member_ids, date: dt.date) -> dict[int, list[Target]]: ...

    def check(self, organisation, date: dt.date, actor, takes: list[Take]) -> list[Problem]: ...

    def lines(self, organisation, date: dt.date, takes: list[Take]) -> list[PartLine]: ...

    def after_post(self, *, actor, organisation, date: dt.date, entry, part_lines: list[PartLine]) -> None: ...

    def void(self, *, actor, organisation, entry, reversal, refs: list[str]) -> None: ...

    # ``checked``: the takes have just been through ``check`` (their ``target`` set), so the
    # notices read them without checking again (a collection day's piece, as the rows are saved)
    def notices(self, organisation, date: dt.date, actor, takes: list[Take], checked: bool = False) -> list[Notice]: ...


_PARTS: dict[str, CollectionPart] = {}


def register_part(part: CollectionPart) -> None:
    """Called by a domain's ``AppConfig.ready()``; registering a code again replaces it."""
    _PARTS[part.code] = part


def parts() -> list[CollectionPart]:
    """The registered parts in their order on the page."""
    return sorted(_PARTS.values(), key=lambda p: (p.order, p.code))


def part(code: str) -> CollectionPart | None:
    return _PARTS.get(code)


def at_row(problems: list[Problem], take: Take, field_name: str) -> list[Problem]:
    """The problems of one take, naming its row and the field (``<part>:<ref>``)."""
    out = []
    for p in problems:
        out.append(Problem(field_name, p.message_th, p.message_en, row=take.row, value=p.value,
                           code=p.code))
    return out
