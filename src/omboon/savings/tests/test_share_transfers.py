"""Shares (หุ้น, equity 3400) moved whole from one member to another: asked by the treasurer,
done when the chair approves (a journal between the two members' sub-accounts), refused above
what the holder has, below the holder's minimum, or beyond the receiver's maximum holding."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.management import call_command

from omboon.core.errors import RuleViolation
from omboon.savings import selectors, services
from omboon.savings.models import ShareTransfer

from .conftest import START

DAY = dt.date(2024, 3, 1)


def problems(excinfo) -> str:
    return " | ".join(f"{p.message_th} / {p.message_en}" for p in excinfo.value.problems)


def holding(sg, member, shares):
    account = services.account_open(actor=sg.treasurer, organisation=sg.group, member=sg.members[member],
                                     product=sg.products["SH"], opened_on=START)
    services.deposit(actor=sg.treasurer, account=account, amount=shares * 10_00, date=START)  # 10 baht a share
    return account


def test_whole_shares_move_when_a_second_person_approves(sg):
    holder, receiver = holding(sg, 0, 100), holding(sg, 1, 995)  # at least 10, at most 1,000 shares
    with pytest.raises(RuleViolation) as excinfo:
        services.share_transfer_request(actor=sg.treasurer, holder=holder, receiver=receiver, shares=200, date=DAY)
    assert "the holder has only 100 shares" in problems(excinfo)
    with pytest.raises(RuleViolation) as excinfo:
        services.share_transfer_request(actor=sg.treasurer, holder=holder, receiver=receiver, shares=91, date=DAY)
    assert "keeps at least 10 shares" in problems(excinfo)
    with pytest.raises(RuleViolation) as excinfo:
        services.share_transfer_request(actor=sg.treasurer, holder=holder, receiver=receiver, shares=10, date=DAY)
    assert "at most 1000 shares (this makes 1005)" in problems(excinfo) and "ผู้รับโอน" in problems(excinfo)
    with pytest.raises(RuleViolation) as excinfo:
        services.share_transfer_request(actor=sg.treasurer, holder=holder, receiver=holder, shares=1, date=DAY)
    assert "another member" in problems(excinfo)

    t = services.share_transfer_request(actor=sg.treasurer, holder=holder, receiver=receiver, shares=5, date=DAY)
    assert t.amount == 50_00 and selectors.balance(receiver) == 995 * 10_00  # nothing moved yet
    with pytest.raises(RuleViolation) as excinfo:
        services.share_transfer_approve(actor=sg.treasurer, transfer=t)
    assert "second_person" in {p.code for p in excinfo.value.problems}
    t = services.share_transfer_approve(actor=sg.chair, transfer=t)
    assert t.status == "done" and t.entry.doc_type == "journal"
    assert selectors.balance(holder) == 95 * 10_00 and selectors.balance(receiver) == 1000 * 10_00
    lines = {(ln.sub_account_id, ln.account.code): (ln.debit, ln.credit) for ln in t.entry.lines.all()}
    assert lines == {(holder.sub_account_id, "3400"): (50_00, 0), (receiver.sub_account_id, "3400"): (0, 50_00)}


def test_what_waits_to_leave_counts_and_a_rejection_needs_a_reason(sg):
    holder, receiver = holding(sg, 0, 30), holding(sg, 1, 10)
    first = services.share_transfer_request(actor=sg.treasurer, holder=holder, receiver=receiver, shares=15,
                                            date=DAY)
    with pytest.raises(RuleViolation) as excinfo:  # 30 − 15 waiting = 15; giving 10 more leaves 5 < 10
        services.share_transfer_request(actor=sg.treasurer, holder=holder, receiver=receiver, shares=10, date=DAY)
    assert "keeps at least 10 shares" in problems(excinfo)
    with pytest.raises(RuleViolation, match="reason"):
        services.share_transfer_reject(actor=sg.chair, transfer=first, reason=" ")
    services.share_transfer_reject(actor=sg.chair, transfer=first, reason="ผู้รับโอนไม่มาลงชื่อ")
    assert ShareTransfer.objects.get(pk=first.pk).status == "rejected" and selectors.balance(holder) == 300_00


def test_the_command_line_asks_and_approves(sg, capsys):
    holder, receiver = holding(sg, 0, 50), holding(sg, 1, 10)
    call_command("savings", "transfer-shares", "--org", sg.group.code, "--account", holder.number,
                 "--to", receiver.number, "--shares", "20", "--date", "01/03/2567", "--user", sg.treasurer.username)
    t = ShareTransfer.objects.get()
    assert f"--transfer {t.pk}" in capsys.readouterr().out
    call_command("savings", "approve-transfer", "--org", sg.group.code, "--transfer", str(t.pk),
                 "--user", sg.chair.username)
    t.refresh_from_db()
    assert selectors.balance(receiver) == 30 * 10_00 and t.entry.document_number in capsys.readouterr().out


def test_over_the_api_asked_then_approved_and_a_refusal_is_422(sg):
    import json

    from django.test import Client

    holder, receiver = holding(sg, 0, 50), holding(sg, 1, 10)
    treasurer, chair = Client(), Client()
    treasurer.force_login(sg.treasurer)
    chair.force_login(sg.chair)
    base = f"/api/v1/savings/{sg.group.code}"
    url = f"{base}/accounts/{holder.number}/share-transfers"
    over = treasurer.post(url, json.dumps({"to": receiver.number, "shares": 45, "date": "2024-03-01"}),
                          content_type="application/json")
    assert over.status_code == 422 and "keeps at least 10 shares" in over.content.decode()
    r = treasurer.post(url, json.dumps({"to": receiver.number, "shares": 20, "date": "2024-03-01"}),
                       content_type="application/json")
    assert r.status_code == 201, r.content
    assert r.json()["amount"] == 200_00 and r.json()["status"] == "requested"
    done = chair.post(f"{base}/share-transfers/{r.json()['id']}/approve")
    assert done.status_code == 200 and done.json()["document_number"]
    assert selectors.balance(holder) == 30 * 10_00 and selectors.balance(receiver) == 30 * 10_00
    assert [t["status"] for t in treasurer.get(f"{base}/share-transfers").json()] == ["done"]


def test_on_the_account_page_checked_confirmed_then_approved_by_the_chair(sg, client):
    holder, receiver = holding(sg, 0, 50), holding(sg, 1, 10)
    client.force_login(sg.treasurer)
    page = f"/o/{sg.group.code}/savings/accounts/{holder.pk}/"
    assert 'id="transfer-form"' in client.get(page).content.decode()
    over = client.post(f"{page}transfer/", {"to": receiver.number, "shares": "45", "date": "01/03/2567"})
    assert over.status_code == 422 and "ต้องถือหุ้นอย่างน้อย 10 หุ้น" in over.content.decode()
    check = client.post(f"{page}transfer/", {"to": receiver.number, "shares": "20", "date": "01/03/2567"})
    assert "สองร้อยบาทถ้วน" in check.content.decode() and not ShareTransfer.objects.exists()
    client.post(f"{page}transfer/", {"to": receiver.number, "shares": "20", "date": "01/03/2567",
                                     "action": "confirm"})
    t = ShareTransfer.objects.get()
    assert f"transfer-approve-{t.pk}" not in client.get(page).content.decode()  # not the one who entered it
    client.force_login(sg.chair)
    assert f"transfer-approve-{t.pk}" in client.get(page).content.decode()
    done = client.post(f"/o/{sg.group.code}/savings/transfers/{t.pk}/approve/", follow=True)
    t.refresh_from_db()
    assert t.status == "done" and t.entry.document_number in done.content.decode()
    assert selectors.balance(receiver) == 30 * 10_00
