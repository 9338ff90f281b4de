"""schemathesis against the API, as an outside client written from the schema would call it:
every operation of ``/api/v1/`` on a small demo (two groups, a year of history, a disbursed
loan, a savings account and a withdrawal waiting for approval, the closed year's allocation
posted), through the WSGI app in this
process, with a Bearer token of BDC's treasurer. The demo's real org code and ids go into the
path, and into the body fields that name a row (``member_id``, a member's number, a scheme,
a product's code): the ids a client would have read first. Checks: ``not_a_server_error``,
``status_code_conformance`` and ``response_schema_conformance``. Fixed seed, derandomized,
examples bounded by what an operation has to vary: the same requests every run, on SQLite and
on PostgreSQL (the suite runs on both).

The contract measured: a request the schema allows is accepted, or refused by a business rule
(a 4xx whose Problem names the rule) — never by the request's validation, which would mean the
schema says less than the code checks (the test fails on it). The run prints (``pytest -s``) its
figures (operations, requests, failures, answers by status, seconds, the slowest operations)
and, for each operation that still mostly refuses, its share of 2xx and the reasons given."""

from __future__ import annotations

import collections
import datetime as dt
import json
import time

import pytest
import schemathesis
from django.core.wsgi import get_wsgi_application
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.core.failures import Failure, FailureGroup
from schemathesis.specs.openapi.checks import response_schema_conformance, status_code_conformance

from omboon.api.errors import _MESSAGES as VALIDATION_CODES
from omboon.api.schema import schema as api_schema

pytestmark = pytest.mark.django_db(transaction=True)  # each request commits on its own, as served

CHECKS = [not_a_server_error, status_code_conformance, response_schema_conformance]
END = dt.date(2025, 6, 30)
VALIDATION = set(VALIDATION_CODES) | {"value_error", "assertion_error"}


def examples(operation, components: dict) -> int:
    """As many generated requests as the operation has to vary: a body 3 a field (4 to 12), a
    query 4, only a path 1 (the same request again would test nothing more)."""
    definition = operation.definition.raw
    if "requestBody" in definition:
        body = next(iter(definition["requestBody"]["content"].values()))["schema"]
        body = components.get(body.get("$ref", "").rsplit("/", 1)[-1], body)
        return max(4, min(12, 3 * len(body.get("properties", {}))))
    if any(p.get("in") == "query" for p in definition.get("parameters", [])):
        return 4
    return 1


def a_loan_and_a_withdrawal(bdc, member, day: dt.date):
    """A disbursed loan with one repayment and a waiver of interest waiting for its second person,
    and a savings account with a withdrawal waiting for its second person, after the demo's
    closed months."""
    from omboon.ledger.services import Line, entry_post
    from omboon.loans import services as loans
    from omboon.loans.tests.conftest import TERMS
    from omboon.orgs.models import Role
    from omboon.savings import services as savings
    from omboon.testing.factories import make_user

    maker, checker = make_user(bdc, Role.TREASURER), make_user(bdc, Role.CHAIR)
    entry_post(actor=None, organisation=bdc, date=day, doc_type="receipt",
               lines=[Line(account="1100", debit=10_000_00), Line(account="4400", credit=10_000_00)])
    product = loans.product_create(actor=None, organisation=bdc, code="WALK", name_th="เงินกู้ทดสอบ", terms=TERMS,
                                   max_amount=50_000_00, effective_from=dt.date(2010, 1, 1))
    loan = loans.loan_apply(actor=maker, organisation=bdc, member=member, product=product, principal=5_000_00,
                            purpose="fuzz", applied_on=day)
    loans.loan_approve(actor=checker, loan=loan)
    loans.loan_disburse(actor=maker, loan=loan, date=day)
    loans.loan_repay(actor=maker, loan=loan, amount=500_00, date=day + dt.timedelta(days=30))
    adjustment = loans.waive_request(actor=maker, loan=loan, part="interest", amount=10_00, reason="fuzz",
                                     date=day + dt.timedelta(days=30))
    kind = savings.product_create(actor=checker, organisation=bdc, code="W1", kind="voluntary", name_th="ออมทรัพย์",
                                  effective_from=day)
    account = savings.account_open(actor=checker, organisation=bdc, member=member, product=kind, opened_on=day)
    savings.deposit(actor=checker, account=account, amount=50_000, date=day)
    return loan, adjustment, savings.withdrawal_request(actor=checker, account=account, amount=10_000, date=day)


def a_reschedule(bdc, loan, day: dt.date):
    """A reschedule of the loan asked by another treasurer, waiting for its second person."""
    from omboon.loans import services as loans
    from omboon.orgs.models import Role
    from omboon.testing.factories import make_user

    return loans.reschedule_request(actor=make_user(bdc, Role.TREASURER), loan=loan, term=6, reason="fuzz",
                                    date=day, first_due=day + dt.timedelta(days=30))


def a_posted_allocation(bdc, year: int, day: dt.date):
    """The year-end allocation of the demo's closed fiscal year ``year``, as a group makes it:
    drafted by the treasurer, decided at the general meeting of ``day`` (the chair) and approved
    (a committee member), posted that day — for the fuzz to read, pay or reverse."""
    from decimal import Decimal

    from omboon.loans.year_end import compute
    from omboon.loans.year_end import services as year_end
    from omboon.orgs.models import Role
    from omboon.testing.factories import make_user

    drafter, chair, committee = (make_user(bdc, role) for role in (Role.TREASURER, Role.CHAIR, Role.COMMITTEE))
    allocation = year_end.allocation_draft(actor=drafter, organisation=bdc, fiscal_year=year,
                                           model=compute.Model(reserve=Decimal(30), welfare=Decimal(70)))
    year_end.allocation_approve(actor=chair, allocation=allocation, meeting_on=day, resolution="อนุมัติตามเสนอ",
                                today=day)
    year_end.allocation_approve(actor=committee, allocation=allocation, today=day)
    return year_end.allocation_post(actor=drafter, allocation=allocation, date=day)


def a_voucher(bdc, day: dt.date):
    """A payment voucher drafted by the secretary, for the treasurer to approve, post or cancel."""
    from omboon.ledger.services import Line, voucher_create
    from omboon.orgs.models import Role
    from omboon.testing.factories import make_user

    return voucher_create(actor=make_user(bdc, Role.SECRETARY), organisation=bdc, kind="payment", date=day,
                          memo="ค่าถ่ายเอกสาร", counterparty="ร้านค้า",
                          lines=[Line(account="5200", debit=150_00), Line(account="1100", credit=150_00)])


def demo_values():
    """The demo's code and one real id of BDC for every path parameter and the body fields that
    name a row."""
    from omboon.contributions.models import Receipt
    from omboon.demo import generator
    from omboon.ledger.models import JournalEntry
    from omboon.members.models import Member
    from omboon.orgs import services
    from omboon.orgs.models import Organisation
    from omboon.welfare.models import BenefitScheme, Claim

    generator.build(seed=1, groups=2, members=12, years=1, end=END, log=lambda line: None)
    bdc = Organisation.objects.get(code="BDC")
    treasurer = bdc.roles.get(role="treasurer", user__username="treasurer").user
    _, raw = services.token_create(actor=None, holder=treasurer, organisations=[bdc], name="schemathesis",
                                   capabilities=["view", "records", "write", "approve", "audit"],
                                   expires_on=dt.date.today() + dt.timedelta(days=2))

    def first(model, **kw):
        row = model.objects.filter(organisation=bdc, **kw).order_by("pk").first()
        return row.pk if row else 1

    active = Member.objects.filter(organisation=bdc, status=Member.Status.ACTIVE).order_by("number")
    member, other, guarantor = active[0], active[1], active[2]
    loan, adjustment, withdrawal = a_loan_and_a_withdrawal(bdc, member, END + dt.timedelta(days=2))
    voucher = a_voucher(bdc, END + dt.timedelta(days=3))
    reschedule = a_reschedule(bdc, loan, END + dt.timedelta(days=33))  # after the loan's repayment
    allocation = a_posted_allocation(bdc, END.year - 1, END + dt.timedelta(days=2))
    path = {
        "org": "BDC", "code": "BDC", "draft_date": END.isoformat(),
        "member_id": first(Member), "receipt_id": first(Receipt), "entry_id": first(JournalEntry),
        "voucher_id": voucher.pk, "scheme_id": first(BenefitScheme), "claim_id": first(Claim),
        "loan_id": loan.pk, "adjustment_id": adjustment.pk, "reschedule_id": reschedule.pk,
        "number": withdrawal.account.number, "withdrawal_id": withdrawal.pk,
        "member": member.number, "year": allocation.fiscal_year,  # the demo's closed year, its allocation posted
    }
    body = {  # by the path's domain: field → the demo's value
        "contributions": {"member_id": member.pk},
        "ledger": {"member_id": member.pk},
        "welfare": {"member": member.number, "scheme": first(BenefitScheme)},
        "savings": {"member": other.number, "product": withdrawal.account.product.code},
        "loans": {"member": other.number, "product": "WALK", "guarantors": [guarantor.number]},
    }
    return raw, path, body


def _summary(exc) -> list[str]:
    inner = getattr(exc, "exceptions", [exc])
    return [f"{type(e).__name__}: {' '.join(str(e).split())[:300]}" for e in inner]


def _put_ids(data, values: dict):
    """The demo's values into the body's fields of those names, in lists and nested objects too."""
    if isinstance(data, dict):
        for key, value in data.items():
            wanted = values.get(key)
            if key == "proposals" and isinstance(value, dict) and value:  # scheme id → rule
                data[key] = {str(values["scheme"]): next(iter(value.values()))}
            elif wanted is None or value is None:
                _put_ids(value, values)
            elif isinstance(wanted, list):
                data[key] = wanted[:len(value)] if isinstance(value, list) else value
            elif not isinstance(value, (dict, list)):
                data[key] = wanted
    elif isinstance(data, list):
        for item in data:
            _put_ids(item, values)


def _reason(response) -> tuple[str, bool]:
    """Why a 4xx refused, and whether it was the request's validation (the schema's fault)."""
    try:
        problem = json.loads(response.content)["errors"][0]
    except (ValueError, KeyError, IndexError, TypeError):
        return f"{response.status_code}", False
    code = problem.get("code") or ""
    validation = response.status_code == 422 and code in VALIDATION
    label = code if code and code not in VALIDATION else problem.get("message_en", "")[:70]
    return f"{response.status_code} {problem.get('field')}: {label}", validation


def fuzz(operation, path_values, body_values, headers, answers, failures, components):
    """The hypothesis test of one operation: its generated cases, the demo's ids put in."""
    label = f"{operation.method.upper()} {operation.path}"
    seen = answers.setdefault(label, {"status": collections.Counter(), "reasons": collections.Counter(),
                                      "validation": 0})
    domain_values = body_values.get(operation.path.removeprefix("/api/v1/").split("/")[0], {})

    def check(case):
        for name in list(case.path_parameters or {}):
            if name in path_values:
                case.path_parameters[name] = path_values[name]
        if domain_values and isinstance(case.body, (dict, list)):
            _put_ids(case.body, domain_values)
        response = case.call(headers=headers)
        seen["status"][response.status_code] += 1
        if 400 <= response.status_code < 500:
            reason, validation = _reason(response)
            seen["reasons"][reason] += 1
            seen["validation"] += validation
        try:
            case.validate_response(response, checks=CHECKS, headers=headers)
        except (Failure, FailureGroup, AssertionError) as exc:  # collected, named and counted below
            failures.append(f"{label} → {response.status_code}: " + " | ".join(_summary(exc)))

    count = examples(operation, components)
    if count == 1:  # nothing to generate: the one request, without hypothesis' engine
        names = [p["name"] for p in operation.definition.raw.get("parameters", []) if p.get("in") == "path"]
        return lambda: check(operation.Case(path_parameters={name: path_values.get(name, 1) for name in names}))

    @settings(max_examples=count, derandomize=True, database=None, deadline=None,
              phases=[Phase.explicit, Phase.generate], suppress_health_check=list(HealthCheck))
    @given(case=operation.as_strategy())
    def run(case):
        check(case)

    return run


def report(answers: dict) -> list[str]:
    """One line per operation that refused more than it accepted, with its commonest reasons."""
    lines = []
    for label, seen in sorted(answers.items()):
        total = sum(seen["status"].values())
        ok = sum(n for s, n in seen["status"].items() if s < 300)
        if ok * 2 >= total:
            continue
        why = "; ".join(f"{reason} ×{n}" for reason, n in seen["reasons"].most_common(3))
        lines.append(f"  {ok}/{total} 2xx  {label}  — {why}")
    return lines


def test_no_server_error_and_every_answer_as_the_schema_says():
    started = time.perf_counter()
    raw, path_values, body_values = demo_values()
    built = time.perf_counter() - started
    raw_schema = api_schema()
    components = raw_schema["components"]["schemas"]
    schema = schemathesis.openapi.from_dict(raw_schema)
    schema.app = get_wsgi_application()
    headers = {"Authorization": f"Bearer {raw}"}

    failures: list[str] = []
    answers: dict[str, dict] = {}
    operations = 0
    for result in schema.get_all_operations():
        operation = result.ok()
        operations += 1
        began = time.perf_counter()
        fuzz(operation, path_values, body_values, headers, answers, failures, components)()
        answers[f"{operation.method.upper()} {operation.path}"]["seconds"] = time.perf_counter() - began

    statuses = sum((seen["status"] for seen in answers.values()), collections.Counter())
    requests = sum(statuses.values())
    accepted = sum(n for s, n in statuses.items() if s < 300)
    mostly_refused = report(answers)
    schema_faults = {label: seen["reasons"] for label, seen in answers.items() if seen["validation"]}
    print(f"\nschemathesis: {operations} operations, {requests} requests ({accepted} 2xx), {len(failures)} failures, "
          f"{time.perf_counter() - started:.1f} s (demo {built:.1f} s)")
    print("answers:", dict(sorted(statuses.items())))
    print(f"mostly refused ({len(mostly_refused)} operations; 2xx/requests, the commonest reasons):",
          *mostly_refused, sep="\n")
    slowest = sorted(answers.items(), key=lambda item: -item[1]["seconds"])[:5]
    print("slowest:", ", ".join(f"{label} {seen['seconds']:.1f} s" for label, seen in slowest))
    if schema_faults:
        print("refused by validation though the schema allowed it:", *schema_faults.items(), sep="\n  ")
    assert operations == sum(len(methods) for methods in api_schema()["paths"].values())
    assert not failures, "\n".join(dict.fromkeys(failures))
    assert not schema_faults, f"the schema allowed what validation refused: {schema_faults}"
