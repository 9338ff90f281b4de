"""A guarantor's consent (หนังสือยินยอมค้ำประกัน): the committee approves only when every guarantor
has given it; staff record it from the signed form, or the guarantor gives or declines it
themself, signed in as a member — for nobody else; a guarantor who has left cannot; the same
answer twice is refused; the API and the command line carry it."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from omboon.core.errors import RuleViolation
from omboon.loans import services
from omboon.loans.models import Guarantor, Loan
from omboon.loans.tests.conftest import apply
from omboon.members.models import Member
from omboon.orgs.models import Role
from omboon.testing.factories import make_user

D = dt.date
pytestmark = pytest.mark.django_db


def member_login(fund, member):
    user = make_user(fund.group, Role.MEMBER)
    member.user = user
    member.save(update_fields=["user"])
    return user


def messages_th(exc) -> list[str]:
    return [p.message_th for p in exc.value.problems]


def test_approval_waits_until_every_guarantor_has_consented(fund):
    borrower, g1, g2 = fund.members[:3]
    loan = apply(fund, 30_000_00, member=borrower, guarantors=[g1, g2], signed=False)
    assert [g.consent for g in loan.guarantors.order_by("pk")] == ["pending", "pending"]
    with pytest.raises(RuleViolation) as refused:
        services.loan_approve(actor=fund.chair, loan=loan)
    assert messages_th(refused) == [f"ผู้ค้ำ {g1.number} {g1.full_name} ยังไม่ยินยอมค้ำประกัน",
                                    f"ผู้ค้ำ {g2.number} {g2.full_name} ยังไม่ยินยอมค้ำประกัน"]
    assert refused.value.problems[0].message_en == (
        f"guarantor {g1.number} {g1.full_name} has not consented to guarantee the loan yet")

    first, second = loan.guarantors.order_by("pk")
    services.guarantor_consent(actor=fund.treasurer, guarantor=first, on=D(2026, 1, 6))  # from the signed form
    services.guarantor_consent(actor=fund.treasurer, guarantor=second, consent=False, on=D(2026, 1, 6))
    with pytest.raises(RuleViolation) as refused:
        services.loan_approve(actor=fund.chair, loan=loan)
    assert messages_th(refused) == [(f"ผู้ค้ำ {g2.number} {g2.full_name} ไม่ยินยอมค้ำประกัน: อนุมัติไม่ได้จนกว่าผู้ค้ำ"
                                     "จะยินยอม หรือถอนคำขอแล้วยื่นใหม่")]
    loan.refresh_from_db()
    assert loan.status == Loan.Status.APPLIED and not loan.approvals.exists()

    # the same answer twice is refused; a change of mind while the application waits is not
    with pytest.raises(RuleViolation) as twice:
        services.guarantor_consent(actor=fund.treasurer, guarantor=first)
    assert messages_th(twice) == [f"ผู้ค้ำ {g1.number} {g1.full_name} ยินยอมค้ำประกันไว้แล้ว (6 ม.ค. 2569)"]
    services.guarantor_consent(actor=fund.treasurer, guarantor=second, on=D(2026, 1, 8))
    assert services.loan_approve(actor=fund.chair, loan=loan).status == Loan.Status.APPROVED
    second.refresh_from_db()
    assert (second.consent, second.consent_on, second.consent_by, second.by_self) == (
        "given", D(2026, 1, 8), fund.treasurer, False)
    # once decided, consent is no longer recorded
    with pytest.raises(RuleViolation) as late:
        services.guarantor_consent(actor=fund.treasurer, guarantor=second, consent=False)
    assert [p.field for p in late.value.problems] == ["status"]


def test_the_guarantor_consents_themself_and_nobody_else_for_them(fund):
    borrower, g1, g2, other = fund.members[:4]
    loan = apply(fund, 30_000_00, member=borrower, guarantors=[g1, g2], signed=False)
    own, stranger = member_login(fund, g1), member_login(fund, other)
    first, second = loan.guarantors.order_by("pk")
    with pytest.raises(RuleViolation) as refused:  # a member consenting for g2
        services.guarantor_consent(actor=own, guarantor=second)
    assert [p.field for p in refused.value.problems] == ["actor"]
    with pytest.raises(RuleViolation):
        services.guarantor_consent(actor=stranger, guarantor=first)
    done = services.guarantor_consent(actor=own, guarantor=first)
    assert done.consent == "given" and done.by_self and done.consent_by == own


def test_a_guarantor_who_has_left_cannot_consent(fund):
    borrower, g1, g2 = fund.members[:3]
    loan = apply(fund, 30_000_00, member=borrower, guarantors=[g1, g2], signed=False)
    Member.objects.filter(pk=g2.pk).update(status=Member.Status.RESIGNED)
    with pytest.raises(RuleViolation) as refused:
        services.guarantor_consent(actor=fund.treasurer, guarantor=loan.guarantors.get(member=g2))
    assert messages_th(refused) == [f"ผู้ค้ำ {g2.number} {g2.full_name} พ้นสภาพสมาชิกแล้ว ยินยอมค้ำประกันไม่ได้"]


def test_a_consent_on_the_application_is_a_guarantors(fund):
    borrower, g1, g2, outsider = fund.members[:4]
    with pytest.raises(RuleViolation) as refused:
        apply(fund, 30_000_00, member=borrower, guarantors=[g1, g2], signed=False, consented=[g1, outsider])
    assert [(p.field, p.value) for p in refused.value.problems] == [("guarantors_consented", outsider.number)]
    assert not Loan.objects.exists()


def test_the_guarantors_own_page_asks_and_records_only_their_own(fund, client):
    borrower, g1, g2, other = fund.members[:4]
    loan = apply(fund, 30_000_00, member=borrower, guarantors=[g1, g2], signed=False)
    client.force_login(member_login(fund, g1))
    home = client.get(f"/o/{fund.group.code}/").content.decode()
    assert "คำขอให้ฉันค้ำประกัน" in home and f'id="guarantee-{loan.pk}"' in home and "รอท่านยินยอม" in home
    target = f"/o/{fund.group.code}/loans/{loan.pk}/guarantee/"
    check = client.post(target, {"decision": "given"})
    assert check.status_code == 200 and "ข้าพเจ้ายินยอมค้ำประกันเงินกู้ของ" in check.content.decode()
    assert loan.guarantors.get(member=g1).consent == "pending"  # only shown back so far
    assert client.post(target, {"decision": "given", "action": "confirm"}).status_code == 302
    mine = loan.guarantors.get(member=g1)
    assert mine.consent == "given" and mine.by_self and mine.consent_on is not None

    client.force_login(member_login(fund, other))  # not a guarantor of it: nothing to find
    assert client.post(target, {"decision": "declined", "action": "confirm"}).status_code == 404
    assert loan.guarantors.get(member=g2).consent == "pending"

    client.force_login(member_login(fund, g2))  # g2 declines
    assert client.post(target, {"decision": "declined", "action": "confirm"}).status_code == 302
    assert loan.guarantors.get(member=g2).consent == "declined"
    client.force_login(fund.chair)
    detail = client.get(f"/o/{fund.group.code}/loans/{loan.pk}/").content.decode()
    assert "ไม่ยินยอมค้ำประกัน: อนุมัติไม่ได้" in detail and 'id="approve"' not in detail
    assert "ผู้ค้ำยืนยันเอง" in detail


def test_consent_over_the_api_for_staff_and_the_guarantor_only(fund):
    borrower, g1, g2, other = fund.members[:4]
    loan = apply(fund, 30_000_00, member=borrower, guarantors=[g1, g2], signed=False)
    base = f"/api/v1/loans/{fund.group.code}/{loan.pk}/guarantors"

    def as_(user) -> Client:
        c = Client()
        c.force_login(user)
        return c

    assert as_(member_login(fund, other)).post(f"{base}/{g1.number}/consent", {},
                                               content_type="application/json").status_code == 404
    r = as_(member_login(fund, g1)).post(f"{base}/{g1.number}/consent", {}, content_type="application/json")
    assert r.status_code == 200, r.content
    assert [(c["member"], c["consent"], c["by_self"]) for c in r.json()["guarantor_consents"]] == [
        (g1.number, "given", True), (g2.number, "pending", False)]
    r = as_(fund.treasurer).post(f"{base}/{g2.number}/decline", {"date": "2026-01-07"},
                                 content_type="application/json")
    assert r.status_code == 200 and r.json()["guarantor_consents"][1]["consent"] == "declined"
    again = as_(fund.treasurer).post(f"{base}/{g2.number}/decline", {}, content_type="application/json")
    assert again.status_code == 422 and again.json()["errors"][0]["field"] == "consent"
    refused = as_(fund.chair).post(f"/api/v1/loans/{fund.group.code}/{loan.pk}/approve")
    assert refused.status_code == 422 and refused.json()["errors"][0]["value"] == g2.number


def run(*args) -> str:
    out = io.StringIO()
    call_command("loans", *args, stdout=out)
    return out.getvalue()


def test_consent_from_the_command_line(fund):
    org, t, c = fund.group.code, fund.treasurer.username, fund.chair.username
    borrower, g1, g2 = fund.members[:3]
    assert "waiting for the guarantors' consent" in run(
        "apply", "--org", org, "--by", t, "--member", borrower.number, "--product", "GEN", "--amount", "30,000",
        "--purpose", "ซื้อปุ๋ย", "--date", "05/01/2569", "--guarantor", g1.number, "--guarantor", g2.number)
    loan = Loan.objects.get()
    with pytest.raises(CommandError, match="has not consented"):
        run("approve", "--org", org, "--by", c, "--loan", str(loan.number))
    run("consent", "--org", org, "--by", t, "--loan", str(loan.number), "--guarantor", g1.number,
        "--date", "2026-01-06")
    assert "declined" in run("consent", "--org", org, "--by", t, "--loan", str(loan.number), "--guarantor", g2.number,
                             "--decline")
    assert "consented" in run("consent", "--org", org, "--by", t, "--loan", str(loan.number), "--guarantor",
                              g2.number)
    run("approve", "--org", org, "--by", c, "--loan", str(loan.number))
    assert Loan.objects.get().status == Loan.Status.APPROVED
    # with the signed forms: consent recorded at once
    run("apply", "--org", org, "--by", t, "--member", fund.members[3].number, "--product", "GEN", "--amount",
        "30,000", "--purpose", "ซื้อปุ๋ย", "--guarantor", g1.number, "--guarantor", fund.members[4].number,
        "--consented")
    assert set(Guarantor.objects.filter(loan__number=2).values_list("consent", flat=True)) == {"given"}


def test_a_guarantor_who_declined_is_replaced_and_the_application_goes_on(fund, client):
    borrower, g1, g2, g3 = fund.members[:4]
    loan = apply(fund, 30_000_00, member=borrower, guarantors=[g1, g2], consented=[g1])
    second = loan.guarantors.get(member=g2)
    services.guarantor_consent(actor=fund.treasurer, guarantor=second, consent=False, on=D(2026, 1, 6))
    # not the borrower, not a guarantor already, not a member who has left
    for bad in (borrower, g1):
        with pytest.raises(RuleViolation) as refused:
            services.guarantor_replace(actor=fund.treasurer, guarantor=second, member=bad)
        assert [p.field for p in refused.value.problems] == ["member"]
    # on the loan's page: g3 instead of g2, their signed form with it
    client.force_login(fund.treasurer)
    page = client.get(f"/o/{fund.group.code}/loans/{loan.pk}/").content.decode()
    assert f'id="replace-{g2.number}"' in page and f'id="replace-{g1.number}"' not in page
    done = client.post(f"/o/{fund.group.code}/loans/{loan.pk}/guarantor-replace/",
                       {"guarantor": g2.pk, "member": g3.number, "consented": "1"})
    assert done.status_code == 302
    assert [(g.member, g.consent) for g in loan.guarantors.order_by("pk")] == [(g1, "given"), (g3, "given")]
    assert services.loan_approve(actor=fund.chair, loan=loan).status == Loan.Status.APPROVED


def test_replacing_a_guarantor_over_the_api_and_the_command_line(fund):
    borrower, g1, g2, g3, g4 = fund.members[:5]
    loan = apply(fund, 30_000_00, member=borrower, guarantors=[g1, g2], consented=[g1])
    c = Client()
    c.force_login(fund.treasurer)
    r = c.post(f"/api/v1/loans/{fund.group.code}/{loan.pk}/guarantors/{g2.number}/replace", {"member": g3.number},
               content_type="application/json")
    assert r.status_code == 200, r.content
    assert [(x["member"], x["consent"]) for x in r.json()["guarantor_consents"]] == [
        (g1.number, "given"), (g3.number, "pending")]
    assert "instead of" in run("replace-guarantor", "--org", fund.group.code, "--by", fund.treasurer.username,
                               "--loan", str(loan.number), "--guarantor", g3.number, "--new-guarantor", g4.number,
                               "--consented")
    assert [(g.member, g.consent) for g in loan.guarantors.order_by("pk")] == [(g1, "given"), (g4, "given")]
