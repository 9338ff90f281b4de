"""The kinds of import: members, historical payments, opening balances, past benefit claims.

Each kind is a ``KindSpec``: its fields (the template's columns), ``check`` — every rule on
every row, returning cleaned rows and Problems, writing nothing — and ``commit_batch``, which
writes one batch of cleaned rows inside the caller's transaction:

- members           ``omboon.members.services.members_bulk_create`` (the members' own rules)
- beneficiaries     one row per beneficiary (member number, names, relationship, share %), added
                    after a member's recorded ones through ``members.services.beneficiaries_set``;
                    a member's shares — the file's and the database's — add up to 100, and a
                    member's rows go in together or not at all (the whole file is one batch)
- payments          a receipt per row (``omboon.contributions.bulk.payments_post_bulk``): numbered
                    in the group's receipt series, an item per type with the period it covers
                    (so paid-through dates, arrears and the passbook count it), and one receipt
                    entry per day and up to 25 receipts in the books: a credit to 4100, 4200 or
                    4300 per item, the member on it, and one debit to 1100 cash for the entry's
                    total (the day's cash, as a cash book records it)
- opening-balances  one opening entry (OB) through ``ledger.services.entry_post``; must balance
- claims            Dr 51xx benefits paid by category / Cr 1100 cash through ``entry_post``,
                    one entry per claim paid; money out, so the job waits for a second
                    person's approval (``KindSpec.pays_out``) before any batch commits
- savings-accounts  each member's account opened and its balance brought forward by one opening
                    entry that moves the books' opening 21xx/3400 totals onto the members'
                    accounts; refused whole when a kind's total differs from the books'
- savings-transactions  past deposits, withdrawals and interest of open accounts, one entry per
                    day and type; withdrawals are money out (``pays_out``)
- loans             the loans running at the cut-over, brought forward by one opening entry that moves
                    the books' opening 1300 onto the borrowers (``loans.bulk.loans_bring_forward``);
                    refused whole when the outstanding balances differ from the books'
- loan-repayments   repayments of those (or any running) loans since, each ``loans.services.loan_repay``

Idempotency keys are "import:<first 24 hex of the file's SHA-256>:<kind>:<row>", so a file
imported twice — or a job resumed after a crash — never posts a row twice.
"""

from __future__ import annotations

from omboon.imports.kinds import balances, beneficiaries, claims, loans, members, payments, savings
from omboon.imports.kinds.members import split_full_name
from omboon.imports.kinds.payments import PAYMENT_TYPES
from omboon.imports.spec import KindSpec

KINDS: dict[str, KindSpec] = {spec.key: spec for spec in (
    members.SPEC, beneficiaries.SPEC, payments.SPEC, balances.SPEC, claims.SPEC, savings.ACCOUNTS_SPEC,
    savings.TRANSACTIONS_SPEC, loans.LOANS_SPEC, loans.REPAYMENTS_SPEC)}

__all__ = ["KINDS", "PAYMENT_TYPES", "get", "split_full_name"]


def get(kind: str) -> KindSpec:
    try:
        return KINDS[kind]
    except KeyError:
        raise ValueError(f"ไม่รู้จักชนิดการนำเข้า {kind!r} / unknown import kind {kind!r}; "
                         f"known: {', '.join(KINDS)}") from None
