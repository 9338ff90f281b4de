"""schemathesis against the API, as an outside client written from the schema would call it:
every operation of ``/api/v1/`` on a small demo (two groups, a year of history), through the
WSGI app in this process, with a Bearer token of BDC's treasurer and the demo's real org code
and ids in the path. Checks: ``not_a_server_error``, ``status_code_conformance`` and
``response_schema_conformance``. Fixed seed, derandomized, bounded examples: the same requests
every run, on SQLite and on PostgreSQL (the suite runs on both).

The run prints its figures (operations, requests, failures, answers by status, seconds) and
which operations mostly refused the generated data; 0 failures is the contract."""

from __future__ import annotations

import collections
import datetime as dt
import time

import pytest
import schemathesis
from django.core.wsgi import get_wsgi_application
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.core.failures import Failure, FailureGroup
from schemathesis.specs.openapi.checks import response_schema_conformance, status_code_conformance

from omboon.api.schema import schema as api_schema

pytestmark = pytest.mark.django_db(transaction=True)  # each request commits on its own, as served

CHECKS = [not_a_server_error, status_code_conformance, response_schema_conformance]
EXAMPLES = 10  # per operation
END = dt.date(2025, 6, 30)


def demo_values():
    """The demo's code and one real id of BDC for every path parameter."""
    from omboon.contributions.models import Receipt
    from omboon.demo import generator
    from omboon.ledger.models import JournalEntry, Voucher
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

    values = {
        "org": "BDC", "code": "BDC", "draft_date": END.isoformat(),
        "member_id": first(Member), "receipt_id": first(Receipt), "entry_id": first(JournalEntry),
        "voucher_id": first(Voucher), "scheme_id": first(BenefitScheme), "claim_id": first(Claim),
    }
    return raw, values


def _summary(exc) -> list[str]:
    inner = getattr(exc, "exceptions", [exc])
    return [f"{type(e).__name__}: {' '.join(str(e).split())[:300]}" for e in inner]


def fuzz(operation, values, headers, statuses, failures):
    """The hypothesis test of one operation: its generated cases, the demo's ids in the path."""
    label = f"{operation.method.upper()} {operation.path}"
    seen = statuses.setdefault(label, collections.Counter())

    @settings(max_examples=EXAMPLES, derandomize=True, database=None, deadline=None,
              phases=[Phase.explicit, Phase.generate], suppress_health_check=list(HealthCheck))
    @given(case=operation.as_strategy())
    def run(case):
        for name in list(case.path_parameters or {}):
            if name in values:
                case.path_parameters[name] = values[name]
        response = case.call(headers=headers)
        seen[response.status_code] += 1
        try:
            case.validate_response(response, checks=CHECKS, headers=headers)
        except (Failure, FailureGroup, AssertionError) as exc:  # collected, named and counted below
            failures.append(f"{label} → {response.status_code}: " + " | ".join(_summary(exc)))

    return run


def test_no_server_error_and_every_answer_as_the_schema_says():
    started = time.perf_counter()
    raw, values = demo_values()
    schema = schemathesis.openapi.from_dict(api_schema())
    schema.app = get_wsgi_application()
    headers = {"Authorization": f"Bearer {raw}"}

    failures: list[str] = []
    statuses: dict[str, collections.Counter] = {}
    operations = 0
    for result in schema.get_all_operations():
        operation = result.ok()
        operations += 1
        run = fuzz(operation, values, headers, statuses, failures)
        run()

    requests = sum(sum(c.values()) for c in statuses.values())
    mostly_refused = sorted(label for label, c in statuses.items()
                            if sum(n for s, n in c.items() if s >= 400) > sum(c.values()) / 2)
    seconds = time.perf_counter() - started
    print(f"\nschemathesis: {operations} operations, {requests} requests, {len(failures)} failures, "
          f"{seconds:.1f} s")
    print("answers:", dict(sum(statuses.values(), collections.Counter())))
    print("mostly refused:", *mostly_refused, sep="\n  ")
    assert operations == sum(len(methods) for methods in api_schema()["paths"].values())
    assert not failures, "\n".join(dict.fromkeys(failures))
