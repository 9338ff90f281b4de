"""Loan products from the pages, the API and the command line: a list, a new product, a dated
new version and the history of versions — only for those who manage the group; every bad
input named in Thai and English, nothing written."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from omboon.loans.models import LoanProduct, LoanProductVersion
from omboon.loans.schedule import Terms

D = dt.date
pytestmark = pytest.mark.django_db

FORM = {"code": "PROD", "name_th": "เงินกู้เพื่อการผลิต", "name_en": "Production loan", "effective_from": "01/01/2569",
        "method": "flat", "rate": "1", "per": "month", "every": "month", "term": "10", "grace_principal": "2",
        "grace_interest": "1", "rounding": "500", "penalty_rate": "0", "penalty_fine": "50",
        "order": "fee,interest,principal,penalty", "max_amount": "50,000", "savings_multiple": "3",
        "band_1_up_to": "20,000", "band_1_guarantors": "0", "band_2_up_to": "50,000", "band_2_guarantors": "1",
        "band_4_guarantors": "2", "guarantor_cap": "100,000", "refuse_in_arrears": "1",
        "overpayment_to_savings": "1"}


def url(org, tail=""):
    return f"/o/{org.code}/loans/{tail}"


def page(response) -> str:
    return response.content.decode()


def logged_in(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


def test_the_chair_sets_up_a_product_and_its_new_terms_on_the_pages(fund):
    chair = logged_in(fund.chair)
    assert "products/" in page(chair.get(url(fund.group)))  # the link, for who manages
    listed = page(chair.get(url(fund.group, "products/")))
    assert "GEN" in listed and "เงินกู้สามัญ" in listed
    r = chair.post(url(fund.group, "products/new/"), FORM)
    product = LoanProduct.objects.get(code="PROD")
    assert r.status_code == 302 and r["Location"] == url(fund.group, f"products/{product.pk}/")
    v = product.versions.get()
    assert v.effective_from == D(2026, 1, 1) and v.max_amount == 50_000_00
    assert Terms.from_dict(v.terms) == Terms(method="flat", rate=Decimal(1), per="month", every="month", term=10,
                                             grace_principal=2, grace_interest=1, rounding=500, penalty_fine=50_00,
                                             order=("fee", "interest", "principal", "penalty"))
    assert v.guarantor_bands == [[20_000_00, 0], [50_000_00, 1], [None, 2]]
    assert v.savings_multiple == 3 and v.guarantor_cap == 100_000_00 and v.overpayment_to_savings
    shown = page(chair.get(r["Location"]))
    assert "ถึง 20,000.00 บาท ผู้ค้ำ 0 คน, ถึง 50,000.00 บาท ผู้ค้ำ 1 คน, เกินนั้น ผู้ค้ำ 2 คน" in shown
    assert "ตัดชำระ ค่าธรรมเนียม → ดอกเบี้ย → เงินต้น → ค่าปรับ" in shown and 'value="50,000.00"' in shown
    # new terms from 1 July 2026: 12 instalments, no guarantor up to 30,000
    r = chair.post(r["Location"], {**FORM, "effective_from": "01/07/2569", "term": "12", "band_1_up_to": "30,000",
                                   "band_2_up_to": "", "band_2_guarantors": ""})
    assert r.status_code == 302
    history = list(product.versions.order_by("effective_from"))
    assert [(x.effective_from, x.terms["term"], x.guarantor_bands) for x in history] == [
        (D(2026, 1, 1), 10, [[20_000_00, 0], [50_000_00, 1], [None, 2]]),
        (D(2026, 7, 1), 12, [[30_000_00, 0], [None, 2]])]
    shown = page(chair.get(r["Location"]))
    assert shown.index("1 ก.ค. 2569") < shown.index("1 ม.ค. 2569")  # newest first


def test_bad_input_is_named_and_nothing_is_written(fund):
    chair = logged_in(fund.chair)
    bad = {**FORM, "code": "GEN", "rate": "abc", "band_1_up_to": "60,000", "band_2_up_to": "50,000",
           "savings_multiple": "101", "order": "principal"}
    r = chair.post(url(fund.group, "products/new/"), bad)
    text = page(r)
    assert r.status_code == 422 and "ต้องเป็นตัวเลข" in text and "เลือกลำดับการตัดชำระ" in text
    assert "must be a number" not in text  # a Thai page: the Thai message only
    assert LoanProduct.objects.count() == 1
    r = chair.post(url(fund.group, "products/new/"), {**bad, "rate": "12", "order": FORM["order"]})
    text = page(r)
    assert r.status_code == 422
    assert "มีประเภทเงินกู้รหัสนี้อยู่แล้ว" in text
    assert "ช่วงวงเงินผู้ค้ำประกัน: วงเงินเรียงจากน้อยไปมาก" in text
    assert "กู้ได้ไม่เกินกี่เท่าของเงินออม" in text
    assert LoanProduct.objects.count() == 1 and LoanProductVersion.objects.count() == 1
    same_day = chair.post(url(fund.group, f"products/{fund.product.pk}/"), {**FORM, "effective_from": "01/01/2563"})
    assert same_day.status_code == 422 and "มีเงื่อนไขฉบับที่เริ่มใช้วันนี้อยู่แล้ว" in page(same_day)
    assert fund.product.versions.count() == 1


def test_only_who_manages_sees_or_uses_the_product_pages(fund):
    treasurer = logged_in(fund.treasurer)  # enters loans, does not manage the group
    assert "products/" not in page(treasurer.get(url(fund.group)))
    for tail in ("products/", "products/new/", f"products/{fund.product.pk}/"):
        assert treasurer.get(url(fund.group, tail)).status_code == 403
    assert treasurer.post(url(fund.group, "products/new/"), FORM).status_code == 403
    assert LoanProduct.objects.count() == 1


def test_english_pages(fund):
    chair = logged_in(fund.chair)
    chair.cookies["django_language"] = "en"
    text = page(chair.get(url(fund.group, f"products/{fund.product.pk}/")))
    assert "declining balance, equal instalments" in text and "above: 2 guarantors" in text


API_BODY = {"code": "PROD", "name_th": "เงินกู้เพื่อการผลิต", "effective_from": "2026-01-01", "max_amount": 50_000_00,
            "terms": {"method": "equal-principal", "rate": "12", "per": "year", "every": "month", "term": 12,
                      "rounding": "100", "penalty_rate": 1.5},
            "guarantor_bands": [{"up_to": 20_000_00, "guarantors": 0}, {"guarantors": 2}],
            "savings_multiple": 2.5, "overpayment_to_savings": True}


def test_products_over_the_api(fund):
    chair, treasurer = logged_in(fund.chair), logged_in(fund.treasurer)
    api = f"/api/v1/loans/{fund.group.code}/products"
    r = chair.post(api, API_BODY, content_type="application/json")
    assert r.status_code == 201, r.content
    out = r.json()
    assert out["in_force"]["guarantor_bands"] == [{"up_to": 20_000_00, "guarantors": 0},
                                                   {"up_to": None, "guarantors": 2}]
    assert out["in_force"]["savings_multiple"] == "2.50" and out["in_force"]["terms"]["penalty_rate"] == "1.5"
    version_body = {k: v for k, v in API_BODY.items() if k not in ("code", "name_th")}
    r = chair.post(f"{api}/PROD/versions", {**version_body, "effective_from": "2026-07-01", "max_amount": 80_000_00,
                                            "terms": {**API_BODY["terms"], "order": ["interest", "principal",
                                                                                     "fee", "penalty"]}},
                   content_type="application/json")
    assert r.status_code == 201, r.content
    assert r.json()["terms"]["order"] == ["interest", "principal", "fee", "penalty"]
    history = chair.get(f"{api}/PROD/versions").json()
    assert [v["effective_from"] for v in history["versions"]] == ["2026-07-01", "2026-01-01"]
    bad = chair.post(f"{api}/PROD/versions", {**version_body, "guarantor_bands": [{"up_to": 1, "guarantors": 1}]},
                     content_type="application/json")  # 1 January is taken; the last band is not open-ended
    assert bad.status_code == 422
    assert {e["field"] for e in bad.json()["errors"]} == {"effective_from", "guarantor_bands"}
    assert treasurer.post(api, {**API_BODY, "code": "X"}, content_type="application/json").status_code == 403
    assert treasurer.get(f"{api}/PROD/versions").status_code == 403
    assert LoanProduct.objects.count() == 2 and LoanProductVersion.objects.count() == 3


def test_products_from_the_command_line(fund, capsys):
    chair = fund.chair.username
    call_command("loan_products", "create", "--org", "VF", "--by", chair, "--product", "PROD", "--name-th",
                 "เงินกู้เพื่อการผลิต", "--from", "2026-01-01", "--method", "declining", "--rate", "1",
                 "--per", "month", "--term", "24", "--round", "5", "--max", "50000", "--band", "20000:0",
                 "--band", "50000:1", "--band", "above:2", "--savings-multiple", "3", "--overpayment-to-savings")
    v = LoanProduct.objects.get(code="PROD").versions.get()
    assert v.guarantor_bands == [[20_000_00, 0], [50_000_00, 1], [None, 2]] and v.terms["rounding"] == 500
    call_command("loan_products", "version", "--org", "VF", "--by", chair, "--product", "PROD", "--from",
                 "2026-07-01", "--rate", "0.75", "--per", "month", "--term", "24", "--max", "60000")
    call_command("loan_products", "show", "--org", "VF", "--product", "PROD")
    out = capsys.readouterr().out
    assert "2026-07-01" in out and "0.75% a month" in out and "up to 20,000.00 baht: 0 guarantors" in out
    with pytest.raises(CommandError, match="the maximum must be above zero"):
        call_command("loan_products", "version", "--org", "VF", "--by", chair, "--product", "PROD",
                     "--from", "2026-08-01")
    with pytest.raises(CommandError, match="only someone who manages the group"):
        call_command("loan_products", "version", "--org", "VF", "--by", fund.treasurer.username, "--product",
                     "PROD", "--from", "2026-08-01", "--max", "1000")
    assert LoanProductVersion.objects.filter(product__code="PROD").count() == 2
