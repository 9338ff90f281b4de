"""The welfare screens in English: schemes, a benefit claim from the form to the payment
voucher, what-if and the fund projection. The engine's explanations come in English too
(each condition and step carries both languages). Thai stays the default."""

from __future__ import annotations

import datetime as dt

import pytest

from omboon.testing.i18n import in_english, thai_in_chrome
from omboon.welfare.models import Claim

D = dt.date
pytestmark = pytest.mark.django_db


def url(org, tail=""):
    return f"/o/{org.code}/welfare/{tail}"


@pytest.fixture
def english(client, fund):
    return in_english(client, fund.treasurer)


def test_schemes_and_claims_lists_in_english(english, fund):
    index = english.get(url(fund.group)).content.decode()
    assert "Benefit schemes" in index and "Current rule" in index and "Benefits paid since" in index
    assert "Sickness / hospital visit" in index  # the category, in English
    assert "300.00 baht a night" in index or "a night" in index  # the rule's summary, in English
    assert thai_in_chrome(index) == []
    claims = english.get(url(fund.group, "claims/?status=all")).content.decode()
    assert "<h1>Benefit claims" in claims and "Event date" in claims and "To be paid" in claims
    assert thai_in_chrome(claims) == []
    scheme = fund.schemes["death"]
    detail = english.get(url(fund.group, f"schemes/{scheme.pk}/")).content.decode()
    assert "Rule versions" in detail and "Claims under this scheme" in detail and "Fund projection" in detail
    assert thai_in_chrome(detail) == []
    new = english.get(url(fund.group, "schemes/new/")).content.decode()
    assert "Add a benefit scheme" in new and "Scheme name (English)" in new and thai_in_chrome(new) == []


def test_a_claim_from_form_to_voucher_in_english(english, fund, client):
    scheme = fund.schemes["sickness"]
    form = english.get(url(fund.group, f"claims/new/?scheme={scheme.pk}")).content.decode()
    assert "New benefit claim" in form and "Nights in hospital" in form and "Check eligibility" in form
    assert thai_in_chrome(form) == []
    data = {"scheme": scheme.pk, "member": fund.member.number, "event_date": "10/06/2025", "nights": "2",
            "documents": ["id_card", "hospital_certificate"]}
    check = english.post(url(fund.group, "claims/new/"), {**data, "action": "check"}).content.decode()
    assert "Eligible for 600.00 baht" in check and thai_in_chrome(check) == []
    english.post(url(fund.group, "claims/new/"), {**data, "action": "submit"})
    claim = Claim.objects.get()
    detail = english.get(url(fund.group, f"claims/{claim.pk}/")).content.decode()
    assert "Eligibility check" in detail and "How the amount was computed" in detail
    assert "✓ met" in detail and "cannot approve it" in detail
    assert [t for t in thai_in_chrome(detail) if fund.member.full_name not in t] == []
    client.force_login(fund.chair)
    assert f"Claim no. {claim.pk} approved" in client.post(
        url(fund.group, f"claims/{claim.pk}/approve/"), {"confirmed": "1"}, follow=True).content.decode()
    asked = english.post(url(fund.group, f"claims/{claim.pk}/pay/"), {"date": "01/07/2025"}).content.decode()
    assert f"Pay claim no. {claim.pk}" in asked and "Confirm: pay 600.00 baht" in asked
    paid = english.post(url(fund.group, f"claims/{claim.pk}/pay/"), {"date": "01/07/2025", "confirmed": "1"},
                        follow=True)
    claim.refresh_from_db()
    assert f"payment voucher {claim.entry.document_number}" in paid.content.decode()
    voucher = english.get(url(fund.group, f"claims/{claim.pk}/voucher/")).content.decode()
    assert '<html lang="en">' in voucher and "Payment voucher" in voucher and "Paid by" in voucher
    assert "Auditor" in voucher and "Ban Don Chai" in voucher
    assert thai_in_chrome(voucher) == []


def test_what_if_and_projection_in_english(english, fund):
    fund.paid("death", event_date=D(2025, 3, 1))
    scheme = fund.schemes["death"]
    what_if = english.get(url(fund.group, "what-if/"), {
        "scheme": scheme.pk, "start": "01/01/2025", "end": "31/12/2025", "amount_kind": "fixed",
        "amount": "15,000", "min_membership_months": "6", "statuses": "active"}).content.decode()
    assert "what-if-result" in what_if and "Proposed rule (baht)" in what_if and "Difference" in what_if
    assert "Result, 01/01/2025 – 31/12/2025" in what_if
    assert thai_in_chrome(what_if) == []
    projection = english.get(url(fund.group, "projection/"), {"years": "10"}).content.decode()
    assert "Welfare fund projection" in projection and "Assumptions used" in projection
    assert "Fund balance (current rule)" in projection and thai_in_chrome(projection) == []


def test_thai_stays_the_default(client, fund):
    client.force_login(fund.treasurer)
    index = client.get(url(fund.group)).content.decode()
    assert "ประเภทสวัสดิการ" in index and "กติกาปัจจุบัน" in index and "Benefit schemes" not in index
