"""URL values for the web URL walker (omboon.web.tests.test_url_walker): a scheme and a paid
claim of the group being walked."""

from __future__ import annotations

import datetime as dt

from omboon.orgs.models import Role
from omboon.testing.factories import make_user
from omboon.welfare import services
from omboon.welfare.models import BenefitScheme

RULE = {"amount": {"kind": "fixed", "amount": 500_00},
        "documents": [{"code": "id_card", "label_th": "สำเนาบัตรประชาชน", "label_en": "ID card"}]}


def scheme(org, built=None) -> int:
    found = BenefitScheme.objects.filter(organisation=org, name_th="ค่าทำขวัญบุตร (walker)").first()
    if found is None:
        found = services.scheme_create(actor=None, organisation=org, category="childbirth",
                                       name_th="ค่าทำขวัญบุตร (walker)", rule=RULE, effective_from=dt.date(2010, 1, 1))
    return found.pk


def paid_claim(org, built=None) -> int:
    from omboon.welfare.tests.conftest import fund_cash, make_member

    s = BenefitScheme.objects.get(pk=scheme(org))
    maker = make_user(org, Role.TREASURER)
    checker = make_user(org, Role.CHAIR)
    fund_cash(org, 1000_00)
    claim = services.claim_submit(actor=maker, organisation=org, member=make_member(org), scheme=s,
                                  event_date=dt.date(2024, 5, 1), documents=["id_card"])
    services.claim_approve(actor=checker, claim=claim)
    return services.claim_pay(actor=maker, claim=claim, date=dt.date(2024, 5, 2)).pk


URL_VALUES = {"scheme_id": scheme, "claim_id": paid_claim}
