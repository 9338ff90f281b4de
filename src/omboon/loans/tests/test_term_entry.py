"""The term limits wherever a product or an application is entered, as worked examples: the
product form, the API and ``omboon loan-products`` take the shortest and longest term; the
apply form shows the limits beside the term field and, asked to, the schedule at the term
chosen before it is recorded; the API and ``omboon loans apply --term`` take the term; a term
outside the limits is refused naming ``term``; a product version's limits travel with the
group's copy (sync) and a copy from before them lends its own term."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from omboon.loans import bulk, services
from omboon.loans.models import Loan, LoanProduct, LoanProductVersion
from omboon.loans.tests.conftest import TERMS
from omboon.loans.tests.test_products import API_BODY, FORM
from omboon.testing.i18n import in_english, thai_in_chrome

D = dt.date
pytestmark = pytest.mark.django_db


def url(org, tail=""):
    return f"/o/{org.code}/loans/{tail}"


def logged_in(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


def season(fund):
    """Monthly at 12% a year, usually 12 instalments, 6 to 24 to choose from."""
    return services.product_create(actor=fund.chair, organisation=fund.group, code="SEASON",
                                   name_th="เงินกู้ตามฤดูกาล", terms=TERMS, effective_from=D(2020, 1, 1),
                                   max_amount=50_000_00, term_min=6, term_max=24)


# --- the product ----------------------------------------------------------------------------------

def test_the_product_form_takes_the_shortest_and_longest_term(fund):
    chair = logged_in(fund.chair)
    blank = chair.get(url(fund.group, "products/new/")).content.decode()
    assert 'name="term_min"' in blank and "เว้นว่าง = ผ่อนตามจำนวนงวดข้างบนเท่านั้น" in blank
    r = chair.post(url(fund.group, "products/new/"), {**FORM, "term_min": "6", "term_max": "24"})
    assert r.status_code == 302
    v = LoanProduct.objects.get(code="PROD").versions.get()
    assert (v.term_min, v.term_max, v.terms["term"]) == (6, 24, 10)
    shown = chair.get(r["Location"]).content.decode()
    assert "ผ่อนได้ 6–24 งวด" in shown and 'name="term_min" id="v-tmin" value="6"' in shown
    # blank: the term alone; a longest term under the usual one is named
    r = chair.post(r["Location"], {**FORM, "effective_from": "01/07/2569", "term_min": "", "term_max": "8"})
    assert r.status_code == 422 and "จำนวนงวดสูงสุด (8 งวด) ต้องไม่น้อยกว่าจำนวนงวดปกติ (10 งวด)" in r.content.decode()
    r = chair.post(url(fund.group, f"products/{v.product_id}/"), {**FORM, "effective_from": "01/07/2569",
                                                                   "term_min": "", "term_max": ""})
    assert r.status_code == 302
    latest = v.product.versions.order_by("effective_from").last()
    assert (latest.term_min, latest.term_max) == (10, 10)


def test_products_over_the_api_with_limits(fund):
    chair = logged_in(fund.chair)
    api = f"/api/v1/loans/{fund.group.code}/products"
    r = chair.post(api, {**API_BODY, "term_min": 6, "term_max": 36}, content_type="application/json")
    assert r.status_code == 201, r.content
    assert (r.json()["in_force"]["term_min"], r.json()["in_force"]["term_max"]) == (6, 36)
    body = {k: v for k, v in API_BODY.items() if k not in ("code", "name_th")}
    bad = chair.post(f"{api}/PROD/versions", {**body, "effective_from": "2026-07-01", "term_min": 13},
                     content_type="application/json")
    assert bad.status_code == 422 and [e["field"] for e in bad.json()["errors"]] == ["term_min"]
    r = chair.post(f"{api}/PROD/versions", {**body, "effective_from": "2026-07-01"}, content_type="application/json")
    assert (r.json()["term_min"], r.json()["term_max"]) == (12, 12)  # none given: the term alone


def test_products_from_the_command_line_with_limits(fund, capsys):
    call_command("loan_products", "create", "--org", "VF", "--by", fund.chair.username, "--product", "PROD",
                 "--name-th", "เงินกู้เพื่อการผลิต", "--from", "2026-01-01", "--rate", "12", "--term", "12",
                 "--term-min", "6", "--term-max", "36", "--max", "50000")
    v = LoanProduct.objects.get(code="PROD").versions.get()
    assert (v.term_min, v.term_max) == (6, 36)
    assert "6–36 instalments" in capsys.readouterr().out
    with pytest.raises(CommandError, match="the longest term must be 1 to 520 instalments"):
        call_command("loan_products", "version", "--org", "VF", "--by", fund.chair.username, "--product", "PROD",
                     "--from", "2026-07-01", "--max", "50000", "--term-max", "600")


# --- the application ------------------------------------------------------------------------------

def test_the_apply_form_shows_the_limits_and_the_schedule_at_the_term_chosen(fund, client):
    product = season(fund)
    client.force_login(fund.treasurer)
    form = client.get(url(fund.group, "new/")).content.decode()
    assert 'name="term"' in form and "ผ่อนได้ 6–24 งวด ปกติ 12 งวด" in form
    typed = {"product": product.pk, "member": fund.members[0].number, "principal": "12,000", "purpose": "ซื้อปุ๋ย",
             "applied_on": "05/01/2569", "term": "18"}
    r = client.post(url(fund.group, "new/"), {**typed, "preview": "1"})
    text = r.content.decode()
    assert r.status_code == 200 and 'id="apply-preview"' in text and not Loan.objects.exists()
    assert "18 งวด งวดละ 1 เดือน" in text and "5 ก.ค. 2570" in text  # the 18th instalment, a month apart
    assert text.count("<tr><td class=\"num\">") == 18 and 'value="18"' in text
    r = client.post(url(fund.group, "new/"), typed)
    loan = Loan.objects.get()
    assert r.status_code == 302 and loan.term == 18
    detail = client.get(r["Location"]).content.decode()
    assert "เงื่อนไขที่ขอ" in detail and "18 งวด งวดละ 1 เดือน" in detail


@pytest.mark.parametrize("term", ["25", "5", "สิบ"])
def test_the_apply_form_refuses_a_term_outside_the_limits(fund, client, term):
    product = season(fund)
    client.force_login(fund.treasurer)
    for preview in ("1", ""):
        r = client.post(url(fund.group, "new/"), {
            "product": product.pk, "member": fund.members[0].number, "principal": "12,000", "purpose": "ซื้อปุ๋ย",
            "term": term, "preview": preview})
        text = r.content.decode()
        assert r.status_code == 422 and 'id="apply-preview"' not in text
        assert ("จำนวนงวดต้องอยู่ระหว่าง 6–24 งวด ตามประเภทเงินกู้" in text) or ("จำนวนงวดต้องเป็นจำนวนเต็ม" in text)
    assert not Loan.objects.exists()


def test_the_apply_form_in_english(fund, client):
    season(fund)
    in_english(client, fund.treasurer)
    html = client.get(url(fund.group, "new/")).content.decode()
    assert "a term of 6–24 instalments, usually 12" in html and "See the schedule" in html
    assert [t for t in thai_in_chrome(html) if fund.group.name_th not in t] == []


def test_an_application_over_the_api_asks_for_a_term(fund):
    season(fund)
    treasurer = logged_in(fund.treasurer)
    body = {"product": "SEASON", "member": fund.members[0].number, "principal": 12_000_00, "purpose": "ซื้อปุ๋ย",
            "applied_on": "2026-01-05"}
    r = treasurer.post(f"/api/v1/loans/{fund.group.code}", {**body, "term": 30}, content_type="application/json")
    assert r.status_code == 422
    (error,) = r.json()["errors"]
    assert error["field"] == "term" and "6–24 instalments" in error["message_en"]
    r = treasurer.post(f"/api/v1/loans/{fund.group.code}", {**body, "term": 24}, content_type="application/json")
    assert r.status_code == 201 and r.json()["term"] == 24
    loan = r.json()
    assert logged_in(fund.chair).post(f"/api/v1/loans/{fund.group.code}/{loan['id']}/approve").json()["terms"][
        "term"] == 24
    r = treasurer.post(f"/api/v1/loans/{fund.group.code}", body, content_type="application/json")
    assert r.json()["term"] == 12  # none asked: the product's


def test_loans_apply_term_from_the_command_line(fund):
    season(fund)
    out = io.StringIO()
    args = ["apply", "--org", "VF", "--by", fund.treasurer.username, "--member", fund.members[0].number,
            "--product", "SEASON", "--amount", "12,000", "--purpose", "ซื้อปุ๋ย", "--date", "05/01/2569"]
    call_command("loans", *args, "--term", "20", stdout=out)
    assert "20 งวด" in out.getvalue() and Loan.objects.get().term == 20
    with pytest.raises(CommandError, match="the term must be 6–24 instalments"):
        call_command("loans", *args, "--term", "36", stdout=out)
    assert Loan.objects.count() == 1


# --- a group's copy (sync) ------------------------------------------------------------------------

def test_the_limits_and_the_term_travel_with_the_groups_copy(fund):
    product = season(fund)
    rows = bulk.products_rows(fund.group)
    (version,) = rows[-1][4]
    assert (version["term_min"], version["term_max"]) == (6, 24)
    loan = services.loan_apply(actor=fund.treasurer, organisation=fund.group, member=fund.members[0], product=product,
                               principal=12_000_00, purpose="ซื้อปุ๋ย", applied_on=D(2026, 1, 5), term=20)
    (row,) = [r for r in bulk.loans_rows(fund.group) if r["loan"]["number"] == loan.number]
    assert row["loan"]["term"] == 20
    # a copy from before term limits: the version lends its own term
    LoanProductVersion.objects.filter(product=product).update(effective_from=D(2019, 1, 1))
    old = {k: v for k, v in version.items() if k not in ("term_min", "term_max")}
    bulk.products_receive(organisation=fund.group, rows=[[*rows[-1][:4], [old]]])
    received = LoanProductVersion.objects.get(product=product, effective_from=D(2020, 1, 1))
    assert (received.term_min, received.term_max) == (12, 12)
