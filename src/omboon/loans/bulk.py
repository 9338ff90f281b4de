"""Bulk writes of loans, siblings of ``services`` for the imports (the layer above calls them;
only this app writes loans), and the rows a copy of the group's books sends and takes (the
network's sync: ``products_rows``/``products_receive``, ``loans_rows``/``loans_receive``).

``loans_bring_forward`` takes the loans running at a group's cut-over date onto the books at
once: each loan is created disbursed, with the terms it runs on and its guarantors, and ONE
opening entry (OB) moves 1300 brought forward in total — the opening-balances import's line,
no member's — onto the borrowers: Cr 1300 the total, Dr 1300 each borrower their loan's
outstanding principal. 1300 in the books is then the sum of the loans' outstanding balances.
What each loan had paid before the cut-over (principal − balance, and interest: the rest of
``paid``) is one ``Repayment`` dated the cut-over date on that entry, so the schedule shows
the instalments already paid, oldest first, as ``loan_repay`` would have shared them out; such
a repayment cannot be reversed (``rules.repayment_not_brought_forward``).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db import models, transaction
from django.utils.dateparse import parse_date, parse_datetime

from omboon.core import audit, sequence
from omboon.core.errors import problems_of, raise_if
from omboon.core.money import format_baht
from omboon.ledger import chart, holdings
from omboon.ledger import services as ledger
from omboon.ledger.models import DocumentType, JournalEntry
from omboon.loans import rules, schedule
from omboon.loans.models import (
    Adjustment,
    Guarantor,
    Loan,
    LoanProduct,
    LoanProductVersion,
    LoanSecurity,
    LoanSequence,
    Repayment,
    Reschedule,
)
from omboon.members.models import Member

BROUGHT_FORWARD_PURPOSE = "ยอดยกมา ณ วันเริ่มใช้ระบบ"


@transaction.atomic
def loans_bring_forward(*, actor, organisation, as_of: dt.date, loans: list[rules.BroughtForward],
                        purposes: list[str] | None = None, idempotency_key: str | None = None, source=None,
                        memo: str = "") -> list[Loan]:
    """Create the running loans ``loans`` (each checked by ``rules.BRING_FORWARD``) and post
    their opening entry on ``as_of``; all or nothing. ``purposes``: each loan's purpose as the
    file gives it (blank: brought forward)."""
    problems = []
    for i, b in enumerate(loans, start=1):
        problems += [replace(p, row=i) for p in problems_of(rules.BRING_FORWARD, b)]
    raise_if(problems)
    if not loans:
        return []
    purposes = purposes or [""] * len(loans)
    total = sum(b.balance for b in loans)
    lines = [ledger.Line(account=chart.LOANS, debit=b.balance, member=b.member,
                         memo=f"เงินกู้ยกมา {b.member.number}") for b in loans]
    lines.append(ledger.Line(account=chart.LOANS, credit=total, memo="ยอดยกมาแยกตามสัญญาเงินกู้"))
    entry = ledger.entry_post(actor=actor, organisation=organisation, date=as_of, doc_type=DocumentType.OPENING,
                              lines=lines, idempotency_key=idempotency_key, source=source,
                              memo=(memo or "ยอดยกมาเงินกู้สมาชิก / members' loans brought forward")[:255])
    first = sequence.take_next(LoanSequence, count=len(loans), organisation=organisation)
    person = audit.person(actor)
    made = Loan.objects.bulk_create([
        Loan(organisation=organisation, number=first + i, member=b.member, product_version=b.version,
             principal=b.principal, term=b.terms.term,
             purpose=(purposes[i] or BROUGHT_FORWARD_PURPOSE).strip()[:255],
             status=Loan.Status.DISBURSED, applied_on=b.disbursed_on, applied_by=person, terms=b.terms.as_dict(),
             disbursed_on=b.disbursed_on,
             first_due=b.first_due or schedule.default_first_due(b.terms.every, b.disbursed_on),
             disbursed_by=person, disbursement=entry)
        for i, b in enumerate(loans)])
    if any(m.pk is None for m in made):  # a backend that does not return the keys of a bulk insert
        made = list(Loan.objects.filter(organisation=organisation, number__gte=first,
                                        number__lt=first + len(loans)).order_by("number"))
    Guarantor.objects.bulk_create([Guarantor(loan=loan, member=g, consent=Guarantor.Consent.GIVEN)
                                   for loan, b in zip(made, loans)
                                   for g in b.guarantors])
    Repayment.objects.bulk_create([
        Repayment(organisation=organisation, loan=loan, date=as_of, amount=b.paid, interest=b.interest_paid,
                  principal=b.principal_paid, entry=entry, received_by=person)
        for loan, b in zip(made, loans) if b.paid])
    audit.record(actor=actor, action="loans.loans_bring_forward", organisation=organisation, obj=entry,
                 summary=f"{entry.document_number} เงินกู้ยกมา {len(made):,} สัญญา {format_baht(total)} บาท"[:255],
                 after={"entry": entry.document_number, "as_of": as_of, "loans": len(made), "outstanding": total,
                        "numbers": [made[0].number, made[-1].number]})
    return made


# --- another copy of the group's books (a standalone group's laptop → the network's server) ----
#
# Rows are plain JSON: every concrete field of a product version, a loan, a repayment and an
# adjustment by name (so a field added to a model travels without a change here), with what they
# refer to by the group's own keys — a member by number, a person by username, an entry by
# [doc type, fiscal year, number], a product version by [code, effective from], a loan by number.

_SKIP = {"id", "organisation", "product", "loan"}


def _plain(value):
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def _fields(model) -> list:
    return [f for f in model._meta.concrete_fields if f.name not in _SKIP]


def _out(obj, refs: dict) -> dict:
    row = {}
    for f in _fields(type(obj)):
        value = getattr(obj, f.attname)
        row[f.name] = None if value is None else refs[f.related_model][value] if f.is_relation else _plain(value)
    return row


def _in(model, row: dict, resolve: dict) -> dict:
    values = {}
    for f in _fields(model):
        if f.name not in row:
            continue
        value = row[f.name]
        if value is None:
            values[f.attname] = None
        elif f.is_relation:
            values[f.attname] = resolve[f.related_model](value)
        elif isinstance(f, models.DateTimeField):
            values[f.attname] = parse_datetime(value)
        elif isinstance(f, models.DateField):
            values[f.attname] = parse_date(value)
        elif isinstance(f, models.DecimalField):
            values[f.attname] = Decimal(value)
        else:
            values[f.attname] = value
    return values


def products_rows(organisation) -> list[list]:
    """[code, Thai name, English name, active, [version, ...]] of each loan product."""
    versions: dict[int, list] = {}
    for v in LoanProductVersion.objects.filter(product__organisation=organisation).order_by("product_id",
                                                                                           "effective_from"):
        versions.setdefault(v.product_id, []).append(_out(v, {}))
    return [[p.code, p.name_th, p.name_en, p.is_active, versions.get(p.pk, [])]
            for p in LoanProduct.objects.filter(organisation=organisation).order_by("code")]


def products_receive(*, organisation, rows: list[list]) -> int:
    """Products by code and their versions by date: new ones added, known ones given the group's
    names, state and terms (a version a loan runs on is updated in place, never deleted)."""
    have = {p.code: p for p in LoanProduct.objects.filter(organisation=organisation)}
    for code, name_th, name_en, is_active, versions in rows:
        product = have.get(code)
        if product is None:
            product = LoanProduct.objects.create(organisation=organisation, code=code, name_th=name_th,
                                                 name_en=name_en, is_active=is_active)
        else:
            LoanProduct.objects.filter(pk=product.pk).update(name_th=name_th, name_en=name_en, is_active=is_active)
        known = {v.effective_from: v.pk for v in LoanProductVersion.objects.filter(product=product)}
        for row in versions:
            values = _in(LoanProductVersion, row, {})
            if values["effective_from"] in known:
                LoanProductVersion.objects.filter(pk=known[values["effective_from"]]).update(**values)
            else:  # from a copy before term limits: the terms' own term, as the migration gave
                limits = {k: values.get(k) or int(values["terms"]["term"]) for k in ("term_min", "term_max")}
                LoanProductVersion.objects.create(product=product, **{**values, **limits})
    return len(rows)


def loans_rows(organisation) -> list[dict]:
    """Each loan with its guarantors, securities, repayments, adjustments and reschedules, keyed
    by its number. A reschedule's last repayment counted (``repayments_to``, a row id here)
    travels as that repayment's entry [doc type, fiscal year, number]; a lien's account by its
    number (savings' ids differ from one copy to the other)."""
    User = get_user_model()
    loans = list(Loan.objects.filter(organisation=organisation).order_by("number"))
    repayments: dict[int, list] = {}
    adjustments: dict[int, list] = {}
    reschedules: dict[int, list] = {}
    guarantors: dict[int, list] = {}
    reps = list(Repayment.objects.filter(organisation=organisation).order_by("loan_id", "date", "pk"))
    adjs = list(Adjustment.objects.filter(organisation=organisation).order_by("loan_id", "date", "pk"))
    ress = list(Reschedule.objects.filter(organisation=organisation).order_by("loan_id", "date", "pk"))
    entry_ids = {getattr(o, f) for o in [*loans, *reps, *adjs]
                 for f in ("disbursement_id", "entry_id", "reversal_id") if getattr(o, f, None)}
    user_ids = {getattr(o, f.attname) for model, objs in ((Loan, loans), (Repayment, reps), (Adjustment, adjs),
                                                          (Reschedule, ress))
                for f in _fields(model) if f.is_relation and f.related_model is User for o in objs}
    refs = {
        User: dict(User.objects.filter(pk__in=user_ids - {None}).values_list("pk", "username")),
        Member: dict(Member.objects.filter(organisation=organisation).values_list("pk", "number")),
        JournalEntry: {pk: [d, fy, n] for pk, d, fy, n in JournalEntry.objects.filter(pk__in=entry_ids)
                       .values_list("pk", "doc_type", "fiscal_year", "number")},
        LoanProductVersion: {pk: [code, day.isoformat()] for pk, code, day in LoanProductVersion.objects.filter(
            product__organisation=organisation).values_list("pk", "product__code", "effective_from")},
        Loan: {loan.pk: loan.number for loan in loans},
    }
    for r in reps:
        repayments.setdefault(r.loan_id, []).append(_out(r, refs))
    for a in adjs:
        adjustments.setdefault(a.loan_id, []).append(_out(a, refs))
    counted = {r.pk: refs[JournalEntry][r.entry_id] for r in reps}
    for r in ress:
        reschedules.setdefault(r.loan_id, []).append({**_out(r, refs),
                                                      "repayments_to": counted.get(r.repayments_to)})
    for loan_id, number, consent, on, by in Guarantor.objects.filter(loan__organisation=organisation).order_by(
            "loan_id", "pk").values_list("loan_id", "member__number", "consent", "consent_on", "consent_by__username"):
        guarantors.setdefault(loan_id, []).append([number, consent, on.isoformat() if on else None, by])
    securities: dict[int, list] = {}
    for s in LoanSecurity.objects.filter(loan__organisation=organisation).order_by("loan_id", "position"):
        securities.setdefault(s.loan_id, []).append({k: v for k, v in _out(s, refs).items() if k != "savings_account"})
    return [{"loan": _out(loan, refs), "guarantors": guarantors.get(loan.pk, []),
             "securities": securities.get(loan.pk, []),
             "repayments": repayments.get(loan.pk, []), "adjustments": adjustments.get(loan.pk, []),
             "reschedules": reschedules.get(loan.pk, [])}
            for loan in loans]


def loans_receive(*, organisation, rows: list[dict], users, entries: dict) -> int:
    """Loans by number: new ones added, known ones given the group's state; their guarantors,
    repayments, adjustments and reschedules replaced (so a copy follows the current schedule).
    ``users(username)`` gives the laptop's person on this side, ``entries`` {(doc type, fiscal
    year, number): id}. Members, product versions and entries must be there (KeyError)."""
    User = get_user_model()
    members = dict(Member.objects.filter(organisation=organisation).values_list("number", "pk"))
    versions = {(code, day.isoformat()): pk for pk, code, day in LoanProductVersion.objects.filter(
        product__organisation=organisation).values_list("pk", "product__code", "effective_from")}
    numbers = dict(Loan.objects.filter(organisation=organisation).values_list("number", "pk"))
    later: list[tuple[int, dict]] = []  # a loan's reference to another loan, set once both are here

    def loan_ref(number):
        if number not in numbers:
            raise KeyError(f"loan {number}")
        return numbers[number]

    resolve = {User: lambda name: getattr(users(name), "pk", None), Member: lambda n: members[n],
               JournalEntry: lambda key: entries[tuple(key)], LoanProductVersion: lambda key: versions[tuple(key)],
               Loan: loan_ref}
    deferred = {Loan: lambda n: None}
    loan_fks = [f for f in _fields(Loan) if f.is_relation and f.related_model is Loan]
    for row in rows:
        values = _in(Loan, row["loan"], {**resolve, **deferred})
        if row["loan"]["number"] in numbers:
            pk = numbers[row["loan"]["number"]]
            Loan.objects.filter(pk=pk).update(**values)
        else:
            pk = Loan.objects.create(organisation=organisation, **values).pk
            numbers[row["loan"]["number"]] = pk
        if loan_fks:
            later.append((pk, {f.attname: row["loan"].get(f.name) for f in loan_fks}))
    for pk, refs in later:
        Loan.objects.filter(pk=pk).update(**{k: loan_ref(v) if v is not None else None for k, v in refs.items()})
    ids = [numbers[row["loan"]["number"]] for row in rows]
    Guarantor.objects.filter(loan_id__in=ids).delete()
    LoanSecurity.objects.filter(loan_id__in=ids).delete()
    Repayment.objects.filter(loan_id__in=ids).delete()
    Adjustment.objects.filter(loan_id__in=ids).delete()
    Reschedule.objects.filter(loan_id__in=ids).delete()
    Guarantor.objects.bulk_create([
        Guarantor(loan_id=pk, member_id=members[number], consent=consent, consent_on=parse_date(on) if on else None,
                  consent_by_id=getattr(users(by), "pk", None) if by else None)
        for pk, row in zip(ids, rows) for number, consent, on, by in row["guarantors"]])
    pledged = holdings.savings_accounts(organisation, {s["account_number"] for row in rows
                                                       for s in row.get("securities", []) if s["account_number"]})

    def security(pk: int, s: dict) -> LoanSecurity:
        account = pledged[s["account_number"]].id if s["account_number"] else None  # KeyError: not synced yet
        return LoanSecurity(loan_id=pk, savings_account=account, **_in(LoanSecurity, s, resolve))

    LoanSecurity.objects.bulk_create([security(pk, s) for pk, row in zip(ids, rows)
                                      for s in row.get("securities", [])])
    Repayment.objects.bulk_create([Repayment(organisation=organisation, loan_id=pk, **_in(Repayment, r, resolve))
                                   for pk, row in zip(ids, rows) for r in row["repayments"]], batch_size=1000)
    Adjustment.objects.bulk_create([Adjustment(organisation=organisation, loan_id=pk, **_in(Adjustment, a, resolve))
                                    for pk, row in zip(ids, rows) for a in row["adjustments"]], batch_size=1000)
    counted = {(loan, entry): pk for pk, loan, entry in Repayment.objects.filter(loan_id__in=ids).values_list(
        "pk", "loan_id", "entry_id")}

    def rescheduled(pk: int, r: dict) -> Reschedule:
        to = r.get("repayments_to")
        values = _in(Reschedule, {**r, "repayments_to": counted[pk, entries[tuple(to)]] if to else 0}, resolve)
        return Reschedule(organisation=organisation, loan_id=pk, **values)

    Reschedule.objects.bulk_create([rescheduled(pk, r) for pk, row in zip(ids, rows)
                                    for r in row.get("reschedules", [])], batch_size=1000)
    return len(rows)
