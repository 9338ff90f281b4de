"""The product's limits as rules: no new loan while in arrears (a product setting), and a cap
on what one guarantor may stand for, checked when applying and again at approval."""

from __future__ import annotations

import datetime as dt

import pytest

from omboon.core.errors import RuleViolation
from omboon.loans import selectors, services
from omboon.loans.models import Loan
from omboon.loans.tests.conftest import TERMS, apply, disbursed

D = dt.date
pytestmark = pytest.mark.django_db


def capped(fund, cap=30_000_00, **kw):
    return services.product_create(actor=fund.chair, organisation=fund.group, code="CAP", name_th="เงินกู้มีวงเงินค้ำ",
                                   terms=TERMS, max_amount=50_000_00, effective_from=D(2020, 1, 1),
                                   guarantor_cap=cap, **kw)


def test_no_new_loan_while_in_arrears(fund):
    borrower = fund.members[0]
    disbursed(fund, member=borrower)  # 15 Jan 2026; the first instalment falls due 15 Feb and is not paid
    assert not selectors.in_arrears(borrower, D(2026, 2, 15)) and selectors.in_arrears(borrower, D(2026, 2, 16))
    with pytest.raises(RuleViolation) as refused:
        apply(fund, principal=5_000_00, member=borrower, on=D(2026, 3, 1))
    (p,) = refused.value.problems
    assert p.field == "member" and "in arrears" in p.message_en and "ค้างชำระ" in p.message_th
    apply(fund, principal=5_000_00, member=borrower, on=D(2026, 2, 10))  # before anything fell due
    lenient = capped(fund, cap=0, refuse_in_arrears=False)  # a product whose bylaws allow it
    services.loan_apply(actor=fund.treasurer, organisation=fund.group, member=borrower, product=lenient,
                        principal=5_000_00, purpose="ซ่อมบ้าน", applied_on=D(2026, 3, 1))
    assert Loan.objects.filter(member=borrower).count() == 3


def test_a_guarantor_over_the_cap_is_refused_when_applying(fund):
    product = capped(fund)
    b1, b2, g1, g2 = fund.members[:4]
    services.loan_apply(actor=fund.treasurer, organisation=fund.group, member=b1, product=product,
                        principal=25_000_00, purpose="ซื้อปุ๋ย", guarantors=[g1, g2], applied_on=D(2026, 1, 5))
    with pytest.raises(RuleViolation) as refused:
        services.loan_apply(actor=fund.treasurer, organisation=fund.group, member=b2, product=product,
                            principal=10_000_00, purpose="ซื้อปุ๋ย", guarantors=[g1], applied_on=D(2026, 1, 6))
    (p,) = refused.value.problems
    assert p.row == 1 and p.value == "35,000.00" and "above the cap of 30,000.00 baht" in p.message_en
    assert selectors.guarantor_exposure([g1.pk, g2.pk]) == {g1.pk: 25_000_00, g2.pk: 25_000_00}


def test_what_a_guarantor_stands_for_falls_as_the_loan_is_repaid(fund):
    g1, g2 = fund.members[3:5]
    loan = disbursed(fund, principal=25_000_00, guarantors=[g1, g2])
    services.loan_repay(actor=fund.treasurer, loan=loan, amount=5_000_00, date=D(2026, 2, 15))
    paid = selectors.paid(loan).principal
    assert selectors.guarantor_exposure([g1.pk]) == {g1.pk: 25_000_00 - paid}
    assert selectors.guarantor_exposure([g1.pk], exclude_loan=loan.pk) == {}


def test_the_cap_is_checked_again_at_approval(fund):
    product = capped(fund)
    b1, b2, g1, g2 = fund.members[:4]
    first = services.loan_apply(actor=fund.treasurer, organisation=fund.group, member=b1, product=product,
                                principal=25_000_00, purpose="ซื้อปุ๋ย", guarantors=[g1, g2],
                                applied_on=D(2026, 1, 5), consented=[g1, g2])
    apply(fund, principal=10_000_00, member=b2, guarantors=[g1])  # another product, with no cap of its own
    with pytest.raises(RuleViolation) as refused:
        services.loan_approve(actor=fund.chair, loan=first)
    assert [p.field for p in refused.value.problems] == ["guarantors"]
    first.refresh_from_db()
    assert first.status == Loan.Status.APPLIED


def test_a_cap_below_zero_is_refused(fund):
    with pytest.raises(RuleViolation) as refused:
        capped(fund, cap=-1)
    assert [p.field for p in refused.value.problems] == ["guarantor_cap"]
