"""The committee's approvals against the bylaws' quorum, as the loan page shows them: "approved
by k of N" with each approver's name and date, who may still approve (never the person who
entered the application, never one who approved already), and the approve button offered only
to them — the service refusing the others too."""

from __future__ import annotations

import datetime as dt

import pytest

from omboon.loans import quorum, services
from omboon.loans.models import Loan
from omboon.loans.tests.conftest import apply
from omboon.orgs import services as org_services
from omboon.orgs.models import Role
from omboon.testing.factories import make_user
from omboon.testing.i18n import in_english, thai_in_chrome

pytestmark = pytest.mark.django_db


def set_quorum(fund, n):
    org_services.bylaws_set(actor=None, organisation=fund.group, effective_from=dt.date(2020, 1, 1),
                            settings={"loan_quorum": n})


def detail(client, fund, loan) -> str:
    return client.get(f"/o/{fund.group.code}/loans/{loan.pk}/").content.decode()


def test_progress_names_who_approved_and_who_still_may(fund):
    set_quorum(fund, 2)
    secretary = make_user(fund.group, Role.SECRETARY)
    make_user(fund.group, Role.MEMBER)  # holds no approve right: never listed
    loan = apply(fund)  # entered by the treasurer
    votes = quorum.progress(loan)
    assert (votes.needed, votes.given) == (2, 0)
    assert set(votes.waiting) == {fund.chair, secretary}  # the treasurer entered it
    services.loan_approve(actor=fund.chair, loan=loan)
    votes = quorum.progress(loan)
    assert votes.given == 1 and [a.user for a in votes.approvals] == [fund.chair]
    assert votes.waiting == [secretary] and votes.approver_ids == frozenset({fund.chair.pk})


def test_the_page_shows_k_of_n_and_offers_approve_only_to_who_still_may(fund, client):
    set_quorum(fund, 2)
    secretary = make_user(fund.group, Role.SECRETARY, username="somsri")
    loan = apply(fund)
    client.force_login(fund.treasurer)  # who entered it
    text = detail(client, fund, loan)
    assert "อนุมัติแล้ว 0 จาก 2" in text and "somsri" in text and 'id="approve"' not in text
    client.force_login(fund.chair)
    assert 'id="approve"' in detail(client, fund, loan)
    assert client.post(f"/o/{fund.group.code}/loans/{loan.pk}/approve/").status_code == 302
    text = detail(client, fund, loan)
    assert "อนุมัติแล้ว 1 จาก 2" in text and 'id="approve"' not in text and 'id="approved-already"' in text
    # the chair again: refused by the service, nothing recorded twice
    assert client.post(f"/o/{fund.group.code}/loans/{loan.pk}/approve/").status_code == 422
    assert loan.approvals.count() == 1
    client.force_login(secretary)
    text = detail(client, fund, loan)
    assert 'id="approve"' in text and 'id="approved-already"' not in text
    assert client.post(f"/o/{fund.group.code}/loans/{loan.pk}/approve/").status_code == 302
    loan.refresh_from_db()
    assert loan.status == Loan.Status.APPROVED
    text = detail(client, fund, loan)
    # both approvers, each with the day, stay on the page
    assert "จาก 2" not in text and "somsri" in text and fund.chair.username in text


def test_the_api_refuses_a_second_approval_by_the_same_person(fund, client):
    set_quorum(fund, 2)
    loan = apply(fund)
    client.force_login(fund.chair)
    path = f"/api/v1/loans/{fund.group.code}/{loan.pk}/approve"
    assert client.post(path).status_code == 200
    again = client.post(path)
    assert again.status_code == 422 and "approved this application already" in again.content.decode()
    client.force_login(fund.treasurer)
    assert client.post(path).status_code in (403, 422)  # who entered it never approves
    assert loan.approvals.count() == 1


def test_the_progress_in_english(fund, client):
    set_quorum(fund, 3)
    loan = apply(fund)
    english = in_english(client, fund.chair)
    text = english.get(f"/o/{fund.group.code}/loans/{loan.pk}/").content.decode()
    assert "Approved by 0 of 3" in text and "May still approve" in text
    assert [t for t in thai_in_chrome(text) if fund.group.name_th not in t] == []
