"""The committee's approvals of a loan application (reads): how many the bylaws ask
(``loan_quorum``, default 1), who has approved and when, and who may still approve — the
group's people who may approve loans (``scoping.may_approve``), never the one who entered the
application, each once (the same rules ``rules.LOAN_APPROVE`` runs)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.contrib.auth import get_user_model

from omboon.loans.models import Loan, LoanApproval
from omboon.orgs import scoping
from omboon.orgs import selectors as org_selectors
from omboon.orgs.models import RoleAssignment


def loan_quorum(organisation, day: dt.date | None = None) -> int:
    """The committee approvals a loan needs under the bylaws in force (default 1)."""
    return org_selectors.bylaws_on(organisation, day).get("loan_quorum") or 1


def approvals_of(loan: Loan) -> list[LoanApproval]:
    """The loan's approvals, the first first."""
    return list(loan.approvals.select_related("user").order_by("at", "pk"))


@dataclass(frozen=True)
class Progress:
    needed: int  # the bylaws' quorum
    approvals: list  # LoanApproval, the first first
    waiting: list  # users who may still approve (not the maker, not one who approved), by name

    @property
    def given(self) -> int:
        return len(self.approvals)

    @property
    def approver_ids(self) -> frozenset:
        return frozenset(a.user_id for a in self.approvals)


def progress(loan: Loan) -> Progress:
    """Where the application stands against the quorum. ``waiting`` lists the people who hold a
    role in the group and may approve loans there (a system or network admin above the group
    may too, but is not listed)."""
    approvals = approvals_of(loan)
    done = {a.user_id for a in approvals} | {loan.applied_by_id}
    users = (get_user_model().objects.filter(is_active=True, pk__in=RoleAssignment.objects.filter(
        organisation=loan.organisation).values("user")).exclude(pk__in=done)
        .order_by("first_name", "last_name", "username"))
    waiting = [u for u in users if scoping.may_approve(u, loan.organisation, "loans")]
    return Progress(loan_quorum(loan.organisation), approvals, waiting)
