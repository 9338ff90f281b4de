"""Reads behind the shell's pages (home per role, audit trail). Set-based: a network of 500
groups is listed with one aggregate query, never a query per group."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet

from omboon.contributions import selectors as contribution_selectors
from omboon.core.models import AuditEvent
from omboon.ledger import chart
from omboon.ledger import selectors as ledger_selectors
from omboon.ledger.models import AccountType, Fund
from omboon.loans import selectors as loan_selectors
from omboon.members import selectors as member_selectors
from omboon.members.models import Member
from omboon.orgs import scoping
from omboon.orgs import selectors as org_selectors
from omboon.orgs.models import Organisation
from omboon.welfare import selectors as welfare_selectors


def group_figures(org: Organisation, *, today=None) -> member_selectors.MemberCounts:
    """Membership figures of one group (counts by status and sex, new this year)."""
    return member_selectors.member_counts(org, today=today)


@dataclass
class FundBalance:
    fund: Fund
    amount: int  # satang: the fund's net assets (its assets less its liabilities)


@dataclass
class GroupBalances:
    as_of: dt.date
    cash: int  # satang, accounts under standard code 1100
    bank: int  # satang, accounts under standard code 1200
    funds: list[FundBalance]

    @property
    def cash_and_bank(self) -> int:
        return self.cash + self.bank


def group_balances(org: Organisation, *, as_of: dt.date) -> GroupBalances | None:
    """Cash, bank and each fund's balance from the ledger's balances (latest closed month's
    snapshot plus the lines after it); None for a group whose books hold no account yet."""
    accounts = {a.pk: a for a in ledger_selectors.accounts(org)}
    if not accounts:
        return None
    per_key = ledger_selectors.balances(org, as_of)
    cash = bank = 0
    by_fund: dict[int, int] = {}
    for (account_id, fund_id), amount in per_key.items():
        account = accounts.get(account_id)
        if account is None:
            continue
        if account.standard_code == chart.CASH:
            cash += amount
        elif account.standard_code == chart.BANK:
            bank += amount
        if account.type in (AccountType.ASSET, AccountType.LIABILITY):
            by_fund[fund_id] = by_fund.get(fund_id, 0) + amount
    funds = [FundBalance(f, by_fund.get(f.pk, 0)) for f in ledger_selectors.funds(org)]
    return GroupBalances(as_of, cash, bank, funds)


@dataclass
class NetworkTotals:
    groups: int = 0
    members: int = 0
    active: int = 0


def network_groups(org: Organisation) -> tuple[list[Organisation], NetworkTotals]:
    """Every group below a network with its member counts: one query, whatever the size."""
    active = Member.Status.ACTIVE
    rows = list(
        org_selectors.groups_below(org)
        .select_related("parent")
        .annotate(
            members_total=Count("members"),
            members_active=Count("members", filter=Q(members__status=active)),
        )
        .order_by("path")
    )
    totals = NetworkTotals(
        groups=len(rows),
        members=sum(r.members_total for r in rows),
        active=sum(r.members_active for r in rows),
    )
    return rows, totals


def own_members(*, user, organisation: Organisation) -> list[Member]:
    """A member-role user's own member record(s) in this organisation, and nothing else."""
    qs = Member.objects.filter(user=user).select_related("organisation")
    return list(scoping.in_scope(qs, organisation).order_by("organisation__path", "number"))


@dataclass
class OwnRecord:
    """What a member reads on landing: their passbook's figures, their benefit claims, their loans,
    the loans they stand guarantor for and the applications that ask for their consent."""

    member: Member
    passbook: contribution_selectors.Passbook
    claims: list
    loans: list[loan_selectors.LoanRow]
    guarantees: list[loan_selectors.LoanRow]
    asked: list  # the applications they are named guarantor on (``Guarantor`` rows): their consent asked


def own_records(*, user, organisation: Organisation, today: dt.date) -> list[OwnRecord]:
    return [OwnRecord(m, contribution_selectors.passbook(m, as_of=today),
                      list(welfare_selectors.member_history(m).order_by("-event_date", "-id")),
                      loan_selectors.member_loans(m, today), loan_selectors.guaranteed_by(m, today),
                      loan_selectors.consent_asked(m))
            for m in own_members(user=user, organisation=organisation)]


def _audit_scope(org: Organisation) -> QuerySet[AuditEvent]:
    return scoping.in_scope(AuditEvent.objects.all(), org)


def audit_actions(org: Organisation) -> list[str]:
    return list(_audit_scope(org).order_by("action").values_list("action", flat=True).distinct())


def audit_events(org: Organisation, *, action: str = "") -> QuerySet[AuditEvent]:
    qs = _audit_scope(org).select_related("actor", "organisation").order_by("-at", "-id")
    if action:
        qs = qs.filter(action=action)
    return qs
