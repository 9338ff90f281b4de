"""A member's own savings as the other domains of the savings layer see it without importing
savings (the layers forbid it): savings registers the function in its ``AppConfig.ready()``
(``register_savings_balance``), as it registers its collection-day part; loans asks it for the
limit "at most N times the member's own savings".

Liens (อายัดเงินฝาก/หุ้น): loans registers ``register_account_holds`` (what its live loans hold
on each pledged account, derived from the loans' state) and savings' rules refuse what would
take an account below it; savings registers ``register_savings_accounts``, through which loans
reads a pledged account (owner, kind, balance, what is free) when it checks an application.

Money into a member's savings from another domain (a loan's overpayment) goes through the
savings part of the collection day (``collection.part("savings")``): its ``targets`` (the
voluntary account, ``Target.kind``), ``check``, ``lines`` and ``after_post``."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

_SAVINGS_BALANCE: list[Callable] = []


def register_savings_balance(fn: Callable) -> None:
    """``fn(organisation, member, as_of) -> satang``: the member's savings (not shares)."""
    _SAVINGS_BALANCE[:] = [fn]


def savings_balance(organisation, member, as_of: dt.date) -> int | None:
    """The member's own savings on ``as_of``; None where no savings app is installed."""
    return _SAVINGS_BALANCE[0](organisation, member, as_of) if _SAVINGS_BALANCE else None


# --- liens: money on a savings account another domain holds --------------------------------------

@dataclass(frozen=True)
class Hold:
    """Part of a savings (or share) account another domain holds: ``amount`` satang the
    account may not go below, for ``th``/``en`` (e.g. "เงินกู้สัญญา 12" / "loan 12")."""

    account_id: int
    amount: int
    th: str
    en: str


@dataclass(frozen=True)
class SavingsAccount:
    """A member's savings or share account as another domain reads it (``savings_accounts``):
    ``kind`` is savings' product kind ("compulsory", "voluntary", "fixed", "shares"); ``free`` is
    what may still be taken or pledged: the balance less withdrawals waiting and what is held."""

    id: int
    number: str
    member_id: int
    kind: str
    open: bool
    balance: int
    pending: int
    held: int

    @property
    def free(self) -> int:
        return self.balance - self.pending - self.held


_HOLDS: list[Callable] = []
_ACCOUNTS: list[Callable] = []


def register_account_holds(fn: Callable) -> None:
    """``fn(account_ids) -> list[Hold]``: loans registers the liens of its live loans (``LoansConfig.ready``)."""
    _HOLDS[:] = [fn]


def holds(account_ids) -> dict[int, list[Hold]]:
    """{account id: the holds on it}, each account of ``account_ids`` (none held: an empty list)."""
    ids = list(account_ids)
    out: dict[int, list[Hold]] = {pk: [] for pk in ids}
    for h in (_HOLDS[0](ids) if _HOLDS and ids else []):
        out.setdefault(h.account_id, []).append(h)
    return out


def held(account_ids) -> dict[int, int]:
    """{account id: satang held on it} (0 where nothing is)."""
    return {pk: sum(h.amount for h in hs) for pk, hs in holds(account_ids).items()}


def register_savings_accounts(fn: Callable) -> None:
    """``fn(organisation, numbers) -> {number: SavingsAccount}``: savings registers it, so loans
    reads a pledged account without importing savings."""
    _ACCOUNTS[:] = [fn]


def savings_accounts(organisation, numbers) -> dict[str, SavingsAccount]:
    """The group's accounts of ``numbers`` that exist (none where no savings app is installed)."""
    numbers = [n for n in numbers if n]
    return _ACCOUNTS[0](organisation, numbers) if _ACCOUNTS and numbers else {}
