"""Writes of loans, one transaction and one audit event each: products and their versions,
then a loan's lifecycle — apply → approve (a second person) or reject or withdraw → disburse
(money out through the ledger, approved by the committee's decision) → repay (allocated by
``allocation.allocate``; an overpayment refused) → closed when nothing is owed. A repayment
is corrected by reversing it (the ledger's reversal), never by editing it."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from decimal import Decimal

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from omboon.core import audit, sequence
from omboon.core.errors import problems_of, raise_if
from omboon.core.money import format_baht, is_whole
from omboon.ledger import chart, collection, holdings
from omboon.ledger import services as ledger
from omboon.ledger.models import DocumentType
from omboon.ledger.rules import Approval, last_closed_period
from omboon.loans import allocation, rules, schedule, selectors
from omboon.loans.models import (
    Adjustment,
    Guarantor,
    Loan,
    LoanApproval,
    LoanProduct,
    LoanProductVersion,
    LoanSecurity,
    LoanSequence,
    Repayment,
    Reschedule,
)
from omboon.loans.quorum import loan_quorum
from omboon.loans.reschedule import kept_interest
from omboon.members import selectors as member_selectors
from omboon.orgs import selectors as org_selectors

INTEREST_ACCOUNT = chart.LOAN_INTEREST_INCOME  # 4710; 4700 stays bank interest (DESIGN.md)
PENALTY_ACCOUNT = chart.FINES_AND_PENALTIES  # 4720, when a penalty is paid


def _today() -> dt.date:
    return timezone.localdate()


def bands_of(guarantor_bands=None, guarantors_above: int = 0, guarantors_required: int = 0):
    """The guarantor bands given, or made from the single "above X, N guarantors"."""
    if guarantor_bands is not None:
        return [list(b) for b in guarantor_bands] if isinstance(guarantor_bands, (list, tuple)) else guarantor_bands
    if not guarantors_required:
        return []
    return ([[guarantors_above, 0]] if guarantors_above else []) + [[None, guarantors_required]]


def _version_settings(actor, organisation, code, name_th, terms, max_amount, effective_from, taken, *, guarantor_bands,
                      guarantors_above, guarantors_required, guarantor_cap, refuse_in_arrears, savings_multiple,
                      overpayment_to_savings, term_min=None, term_max=None, version: bool = False,
                      lien_replaces_guarantors: bool = False) -> dict:
    bands = bands_of(guarantor_bands, guarantors_above, guarantors_required)
    multiple = savings_multiple if isinstance(savings_multiple, Decimal) else Decimal(str(savings_multiple or 0))
    product = rules.Product(organisation, code, name_th, terms, max_amount, bands, effective_from, taken=taken,
                            guarantor_cap=guarantor_cap, savings_multiple=multiple, actor=actor, version=version,
                            term_min=term_min, term_max=term_max)
    raise_if(problems_of(rules.PRODUCT_CREATE, product))
    term_min, term_max = product.limits
    return {"terms": terms.as_dict(), "term_min": term_min, "term_max": term_max, "max_amount": max_amount,
            "guarantor_bands": bands,
            "guarantor_cap": guarantor_cap, "refuse_in_arrears": bool(refuse_in_arrears),
            "savings_multiple": multiple, "overpayment_to_savings": bool(overpayment_to_savings),
            "lien_replaces_guarantors": bool(lien_replaces_guarantors)}


def _audited(settings: dict, effective_from) -> dict:
    return {**settings, "savings_multiple": str(settings["savings_multiple"]), "effective_from": effective_from}


@transaction.atomic
def product_create(*, actor, organisation, code: str, name_th: str, terms: schedule.Terms, max_amount: int,
                   effective_from: dt.date, guarantors_above: int = 0, guarantors_required: int = 0,
                   name_en: str = "", guarantor_cap: int = 0, refuse_in_arrears: bool = True,
                   guarantor_bands=None, savings_multiple=0, overpayment_to_savings: bool = False,
                   term_min: int | None = None, term_max: int | None = None,
                   lien_replaces_guarantors: bool = False) -> LoanProduct:
    """A product and its first version. Guarantors by band (``guarantor_bands``: [[up_to, n], …,
    [None, n]]) or, the short form, ``guarantors_required`` above ``guarantors_above``. An
    application may ask for ``term_min``–``term_max`` instalments (each the terms' term when None).
    ``lien_replaces_guarantors``: liens on the borrower's own savings covering the whole principal
    stand in for the guarantors (a bylaw "กู้โดยใช้เงินฝากค้ำประกัน"; off unless said)."""
    taken = LoanProduct.objects.filter(organisation=organisation, code=(code or "").strip()).exists()
    settings = _version_settings(
        actor, organisation, code, name_th, terms, max_amount, effective_from, taken, guarantor_bands=guarantor_bands,
        guarantors_above=guarantors_above, guarantors_required=guarantors_required, guarantor_cap=guarantor_cap,
        refuse_in_arrears=refuse_in_arrears, savings_multiple=savings_multiple,
        overpayment_to_savings=overpayment_to_savings, term_min=term_min, term_max=term_max,
        lien_replaces_guarantors=lien_replaces_guarantors)
    product = LoanProduct.objects.create(organisation=organisation, code=code.strip(), name_th=name_th.strip(),
                                         name_en=(name_en or "").strip())
    LoanProductVersion.objects.create(product=product, effective_from=effective_from, **settings)
    audit.record(actor=actor, action="loans.product_create", organisation=organisation, obj=product,
                 summary=f"{product.code} {product.name_th}", after=_audited(settings, effective_from))
    return product


@transaction.atomic
def product_version_create(*, actor, product: LoanProduct, effective_from: dt.date, terms: schedule.Terms,
                           max_amount: int, guarantors_above: int = 0, guarantors_required: int = 0,
                           guarantor_cap: int = 0, refuse_in_arrears: bool = True, guarantor_bands=None,
                           savings_multiple=0, overpayment_to_savings: bool = False, term_min: int | None = None,
                           term_max: int | None = None,
                           lien_replaces_guarantors: bool = False) -> LoanProductVersion:
    """New terms from a date on; loans approved before keep theirs."""
    taken = product.versions.filter(effective_from=effective_from).exists()
    settings = _version_settings(
        actor, product.organisation, product.code, product.name_th, terms, max_amount, effective_from, taken,
        guarantor_bands=guarantor_bands, guarantors_above=guarantors_above, guarantors_required=guarantors_required,
        guarantor_cap=guarantor_cap, refuse_in_arrears=refuse_in_arrears, savings_multiple=savings_multiple,
        overpayment_to_savings=overpayment_to_savings, term_min=term_min, term_max=term_max, version=True,
        lien_replaces_guarantors=lien_replaces_guarantors)
    version = LoanProductVersion.objects.create(product=product, effective_from=effective_from, **settings)
    audit.record(actor=actor, action="loans.product_version_create", organisation=product.organisation,
                 obj=product, summary=f"{product.code} {effective_from}", after=_audited(settings, effective_from))
    return version


def application_of(*, actor, organisation, member, product: LoanProduct | None, principal, purpose: str,
                   guarantors=(), applied_on: dt.date | None = None, term=None,
                   securities=(), consented=()) -> rules.Application:
    """The rules' view of an application (``loan_apply``'s, and a page's before it asks to
    confirm); its liens' accounts read through ``ledger.holdings`` (savings registers them)."""
    applied_on = applied_on or _today()
    version = selectors.version_in_force(product, applied_on) if product is not None else None
    guarantors, securities = tuple(guarantors), tuple(securities)
    accounts = holdings.savings_accounts(organisation, {(s.account or "").strip() for s in securities if s.is_lien})
    known = member is not None and member.organisation_id == organisation.pk
    by_savings = known and version is not None and version.savings_multiple and isinstance(applied_on, dt.date)
    spouse_refused = bool(org_selectors.bylaws_on(organisation, applied_on).get("loan_spouse_not_guarantor")) \
        if isinstance(applied_on, dt.date) else False
    return rules.Application(
        organisation, actor, member, version, principal, purpose, guarantors, applied_on,
        in_arrears=known and selectors.in_arrears(member, applied_on),
        exposure=selectors.guarantor_exposure(g.pk for g in guarantors),
        own_savings=holdings.savings_balance(organisation, member, applied_on) if by_savings else None,
        spouses=frozenset(member_selectors.spouses_among(member, guarantors)) if known and spouse_refused
        else frozenset(), spouse_refused=spouse_refused, term=term, securities=securities, accounts=accounts,
        consented=tuple(consented))


@transaction.atomic
def loan_apply(*, actor, organisation, member, product: LoanProduct, principal: int, purpose: str,
               guarantors=(), applied_on: dt.date | None = None, term: int | None = None,
               securities=(), consented=()) -> Loan:
    """An application with its guarantors, for ``term`` instalments within the product's limits
    (None: the product's term), and its securities (``rules.Security`` rows): liens on the
    borrower's own savings or shares — held from now on (``selectors.lien_holds``) — and
    collateral. ``consented``: the guarantors whose signed consent form (หนังสือยินยอมค้ำประกัน)
    comes with the application — their consent is recorded on the day of the application by
    ``actor``; the others' waits (``guarantor_consent``), and the committee approves only when
    every guarantor has given it."""
    a = application_of(actor=actor, organisation=organisation, member=member, product=product, principal=principal,
                       purpose=purpose, guarantors=guarantors, applied_on=applied_on, term=term,
                       securities=securities, consented=consented)
    raise_if(problems_of(rules.LOAN_APPLY, a))
    version, guarantors, applied_on = a.version, a.guarantors, a.applied_on
    term = int(version.terms["term"]) if term is None else term
    number = sequence.take_next(LoanSequence, organisation=organisation)
    loan = Loan.objects.create(organisation=organisation, number=number, member=member, product_version=version,
                               principal=principal, term=term, purpose=purpose.strip(), applied_on=applied_on,
                               applied_by=audit.person(actor))
    signed = {g.pk for g in a.consented}
    by = audit.person(actor)
    Guarantor.objects.bulk_create([
        Guarantor(loan=loan, member=g, consent=Guarantor.Consent.GIVEN, consent_on=applied_on, consent_by=by)
        if g.pk in signed else Guarantor(loan=loan, member=g) for g in guarantors])
    made = _securities_create(loan, a)
    audit.record(actor=actor, action="loans.loan_apply", organisation=organisation, obj=loan,
                 summary=f"สัญญา {number} {member.number} {format_baht(principal)}",
                 after={"member": member.number, "product": product.code, "principal": principal, "term": term,
                        "guarantors": [g.number for g in guarantors],
                        "consented": [g.number for g in guarantors if g.pk in signed], "applied_on": applied_on,
                        **_securities_audited(made)})
    return loan


def _securities_audited(made: list[LoanSecurity]) -> dict:
    """An application's securities in its audit event: each lien's account and amount, each
    collateral's document number (or description) and value."""
    liens = [f"{s.account_number} {format_baht(s.amount)}" for s in made if s.is_lien]
    collateral = [f"{s.document_no or s.description} {format_baht(s.value)}" for s in made if not s.is_lien]
    return {**({"liens": liens} if liens else {}), **({"collateral": collateral} if collateral else {})}


def _securities_create(loan: Loan, a: rules.Application) -> list[LoanSecurity]:
    rows = []
    for i, s in enumerate(a.securities, start=1):
        if s.is_lien:
            account = a.accounts[s.account.strip()]
            rows.append(LoanSecurity(loan=loan, position=i, kind=rules.lien_kind(s, account),
                                     savings_account=account.id, account_number=account.number, amount=s.amount))
        else:
            rows.append(LoanSecurity(loan=loan, position=i, kind=LoanSecurity.Kind.COLLATERAL,
                                     collateral=s.collateral, description=s.description.strip()[:255],
                                     document_no=(s.document_no or "").strip()[:64], value=s.value))
    return LoanSecurity.objects.bulk_create(rows)


def _locked(loan: Loan) -> Loan:
    return (Loan.objects.select_for_update().select_related("organisation", "member", "product_version__product")
            .get(pk=loan.pk))


def _decide(actor, loan: Loan, checks, status: str, action: str, reason: str = "") -> Loan:
    loan = _locked(loan)
    guarantors, exposure, approvers, consents = (), None, frozenset(), ()
    if status == Loan.Status.APPROVED:
        consents = tuple(loan.guarantors.select_related("member").order_by("pk"))
        guarantors = tuple(g.member for g in consents)
        exposure = selectors.guarantor_exposure((g.pk for g in guarantors), exclude_loan=loan.pk)
        approvers = frozenset(loan.approvals.values_list("user_id", flat=True))
    raise_if(problems_of(checks, rules.LoanAct(loan, actor, reason=reason, guarantors=guarantors, exposure=exposure,
                                               approvers=approvers, consents=consents)))
    if status == Loan.Status.APPROVED:
        LoanApproval.objects.create(loan=loan, user=actor, at=timezone.now())
        quorum, given = loan_quorum(loan.organisation), len(approvers) + 1
        if given < quorum:  # recorded; the application waits for the other committee members
            audit.record(actor=actor, action=action, organisation=loan.organisation, obj=loan,
                         summary=f"สัญญา {loan.number} {loan.member.number} อนุมัติ {given}/{quorum}",
                         after={"status": loan.status, "approvals": given, "quorum": quorum})
            return loan
    before = loan.status
    loan.status = status
    loan.reason = reason.strip()[:255]
    fields = ["status", "reason"]
    if status != Loan.Status.WITHDRAWN:
        loan.approved_by, loan.decided_at = actor, timezone.now()
        fields += ["approved_by", "decided_at"]
    if status == Loan.Status.APPROVED:
        # agreed now, at the term asked for: a later version never alters this loan
        loan.terms = selectors.applied_terms(loan)
        fields.append("terms")
    loan.save(update_fields=fields)
    audit.record(actor=actor, action=action, organisation=loan.organisation, obj=loan,
                 summary=f"สัญญา {loan.number} {loan.member.number}", before={"status": before},
                 after={"status": status, "reason": loan.reason, "terms": loan.terms})
    return loan


@transaction.atomic
def guarantor_consent(*, actor, guarantor: Guarantor, consent: bool = True, on: dt.date | None = None) -> Guarantor:
    """A guarantor gives (``consent``) or declines their consent to an application on ``on``
    (default today), recorded by the guarantor themself signed in, or by the group's staff from
    the signed form (``rules.GUARANTOR_CONSENT``). Under the loan's lock, so an approval sees
    either the answer before or the one after."""
    loan = _locked(guarantor.loan)
    g = Guarantor.objects.select_for_update().select_related("member").get(pk=guarantor.pk)
    g.loan = loan
    choice = Guarantor.Consent.GIVEN if consent else Guarantor.Consent.DECLINED
    today = _today()
    on = on or today
    raise_if(problems_of(rules.GUARANTOR_CONSENT, rules.ConsentAct(g, actor, choice, on, today=today)))
    before = {"consent": g.consent, "on": g.consent_on}
    g.consent, g.consent_on, g.consent_by = choice, on, audit.person(actor)
    g.save(update_fields=["consent", "consent_on", "consent_by"])
    word = "ยินยอมค้ำประกัน" if consent else "ไม่ยินยอมค้ำประกัน"
    audit.record(actor=actor, action="loans.guarantor_consent" if consent else "loans.guarantor_decline",
                 organisation=loan.organisation, obj=loan,
                 summary=f"สัญญา {loan.number} ผู้ค้ำ {g.member.number} {word}", before=before,
                 after={"guarantor": g.member.number, "consent": choice, "on": on, "by_self": g.by_self})
    return g


@transaction.atomic
def guarantor_replace(*, actor, guarantor: Guarantor, member, consented: bool = False,
                      on: dt.date | None = None) -> Guarantor:
    """On an application, ``member`` stands guarantor instead of ``guarantor`` (one who declined,
    or could not sign): checked as an application's guarantor is (``rules.GUARANTOR_REPLACE``);
    with ``consented`` their signed form comes with it, recorded on ``on`` (default today),
    else their consent waits like any other's."""
    loan = _locked(guarantor.loan)
    old = Guarantor.objects.select_for_update().select_related("member").get(pk=guarantor.pk)
    old.loan = loan
    named = frozenset(loan.guarantors.values_list("member_id", flat=True))
    known = member is not None and member.organisation_id == loan.organisation_id
    spouse = known and bool(org_selectors.bylaws_on(loan.organisation, loan.applied_on).get(
        "loan_spouse_not_guarantor")) and bool(member_selectors.spouses_among(loan.member, [member]))
    exposure = selectors.guarantor_exposure([member.pk], exclude_loan=loan.pk).get(member.pk, 0) if known else 0
    raise_if(problems_of(rules.GUARANTOR_REPLACE, rules.GuarantorChange(old, actor, member, named=named,
                                                                        exposure=exposure, spouse=spouse)))
    on = on or _today()
    if consented:
        raise_if(problems_of([rules.consent_dated], rules.ConsentAct(old, actor, Guarantor.Consent.GIVEN, on,
                                                                     today=_today())))
    before = {"guarantor": old.member.number, "consent": old.consent}
    made = old  # the same line of the application, another member on it
    made.member = member
    made.consent, made.consent_on, made.consent_by = (Guarantor.Consent.GIVEN, on, audit.person(actor)) if consented \
        else (Guarantor.Consent.PENDING, None, None)
    made.save(update_fields=["member", "consent", "consent_on", "consent_by"])
    audit.record(actor=actor, action="loans.guarantor_replace", organisation=loan.organisation, obj=loan,
                 summary=f"สัญญา {loan.number} ผู้ค้ำ {before['guarantor']} → {member.number}", before=before,
                 after={"guarantor": member.number, "consent": made.consent, "on": made.consent_on})
    return made


@transaction.atomic
def loan_approve(*, actor, loan: Loan) -> Loan:
    """The committee's approval: a person who may approve, never the one who entered it, once
    every guarantor has given their consent."""
    return _decide(actor, loan, rules.LOAN_APPROVE, Loan.Status.APPROVED, "loans.loan_approve")


@transaction.atomic
def loan_reject(*, actor, loan: Loan, reason: str) -> Loan:
    return _decide(actor, loan, rules.LOAN_REJECT, Loan.Status.REJECTED, "loans.loan_reject", reason)


@transaction.atomic
def loan_withdraw(*, actor, loan: Loan, reason: str) -> Loan:
    return _decide(actor, loan, rules.LOAN_WITHDRAW, Loan.Status.WITHDRAWN, "loans.loan_withdraw", reason)


@transaction.atomic
def savings_account_of(loan: Loan, date) -> collection.Target | None:
    """The borrower's voluntary savings account, as the savings part of the collection day
    offers it (loans does not import savings); None where there is none (or no savings app)."""
    part = collection.part("savings")
    if part is None or not isinstance(date, dt.date):
        return None
    targets = part.targets(loan.organisation, [loan.member_id], date).get(loan.member_id, [])
    return next((t for t in targets if t.kind == "voluntary"), None)


def _credit_to_savings(loan: Loan, actor, date, amount: int, target, document: str,
                       row=None) -> tuple[collection.Take, list]:
    """``amount`` as a deposit into the savings part, checked by savings' own deposit rules
    (``row``: the collection day's row it comes from)."""
    take = collection.Take(member=loan.member, ref=target.ref, amount=amount, row=row, document=document)
    return take, collection.part("savings").check(loan.organisation, date, actor, [take])


def disburse_problems(*, actor, loan: Loan, date, first_due=None, into_savings: bool = False) -> list:
    """What paying the loan out would be refused for now, without writing (the page checks before
    it asks for the confirmation; the service checks again under the lock)."""
    target = savings_account_of(loan, date) if into_savings else None
    problems = problems_of(rules.LOAN_DISBURSE, rules.LoanAct(loan, actor, date=date, first_due=first_due,
                                                              into_savings=into_savings, savings_target=target))
    if not problems and target is not None:
        problems = _credit_to_savings(loan, actor, date, loan.principal, target, "")[1]
    return problems


@transaction.atomic
def loan_disburse(*, actor, loan: Loan, date: dt.date | None = None, first_due: dt.date | None = None,
                  into_savings: bool = False) -> Loan:
    """Pay the loan out: in cash (a payment voucher: Dr 1300 the borrower, Cr 1100), or credited
    to the borrower's voluntary savings account (a journal voucher: Dr 1300, Cr the account, by
    savings' own deposit rules). The money out is approved by the committee's decision (its
    approver is not the person who entered the application)."""
    loan = _locked(loan)
    date = date or _today()
    target = savings_account_of(loan, date) if into_savings else None
    raise_if(problems_of(rules.LOAN_DISBURSE, rules.LoanAct(loan, actor, date=date, first_due=first_due,
                                                            into_savings=into_savings, savings_target=target)))
    terms = schedule.Terms.from_dict(loan.terms)
    first_due = first_due or schedule.build(terms, loan.principal, date)[0].due
    name = loan.member.full_name
    lines = [ledger.Line(account=chart.LOANS, debit=loan.principal, member=loan.member,
                         memo=f"เงินกู้สัญญา {loan.number}")]
    part_lines = []
    if target is not None:
        take, problems = _credit_to_savings(loan, actor, date, loan.principal, target, f"เงินกู้สัญญา {loan.number}")
        raise_if(problems)
        part_lines = collection.part("savings").lines(loan.organisation, date, [take])
        lines += [line for pl in part_lines for line in pl.lines]
    else:
        lines.append(ledger.Line(account=chart.CASH, credit=loan.principal, member=loan.member, memo=name))
    entry = ledger.entry_post(
        actor=actor, organisation=loan.organisation, date=date,
        doc_type=DocumentType.JOURNAL if target is not None else DocumentType.PAYMENT, lines=lines,
        memo=(f"จ่ายเงินกู้สัญญา {loan.number} {loan.member.number} {name}"
              + (f" เข้าบัญชีเงินฝาก {target.number}" if target is not None else ""))[:255],
        idempotency_key=f"loans-loan:{loan.pk}:disburse", source=loan,
        approval=Approval(maker=loan.applied_by, approver=loan.approved_by, what=f"loans.loan:{loan.pk}"))
    if part_lines:
        collection.part("savings").after_post(actor=actor, organisation=loan.organisation, date=date, entry=entry,
                                              part_lines=part_lines)
    loan.status, loan.disbursed_on, loan.first_due = Loan.Status.DISBURSED, date, first_due
    loan.disbursed_by, loan.disbursement = audit.person(actor), entry
    loan.disbursed_into = target.number if target is not None else ""
    loan.save(update_fields=["status", "disbursed_on", "first_due", "disbursed_by", "disbursement", "disbursed_into"])
    audit.record(actor=actor, action="loans.loan_disburse", organisation=loan.organisation, obj=loan,
                 summary=f"{entry.document_number} สัญญา {loan.number} {format_baht(loan.principal)}",
                 before={"status": Loan.Status.APPROVED},
                 after={"status": loan.status, "entry": entry.document_number, "date": date, "first_due": first_due,
                        **({"savings_account": loan.disbursed_into} if loan.disbursed_into else {})})
    return loan


def surplus_target(loan: Loan, date) -> collection.Target | None:
    """Where the product credits an overpayment: the borrower's voluntary savings account."""
    return savings_account_of(loan, date) if loan.product_version.overpayment_to_savings else None


def repay_problems(*, actor, loan: Loan, amount, date) -> list:
    """What a repayment would be refused for now, without writing (a page checks before it
    asks for the confirmation; the service checks again under the lock)."""
    owed = selectors.still_owed(loan)
    over = is_whole(amount) and amount > owed
    problems = problems_of(rules.LOAN_REPAY, rules.LoanAct(loan, actor, date=date, amount=amount, owed=owed,
                                                           savings_target=surplus_target(loan, date) if over else None))
    if not problems and over:
        problems = surplus_take(loan, actor, date, amount - owed, surplus_target(loan, date))[1]
    return problems


def surplus_take(loan: Loan, actor, date, surplus: int, target, row=None) -> tuple[collection.Take, list]:
    """An overpayment's surplus as a deposit into the savings part."""
    return _credit_to_savings(loan, actor, date, surplus, target, f"เกินชำระสัญญา {loan.number}", row=row)


@transaction.atomic
def loan_repay(*, actor, loan: Loan, amount: int, date: dt.date | None = None) -> Repayment:
    """Money received for a loan, shared out oldest instalment first in the product's order (by
    default penalty → fee → interest → principal): Dr 1100; Cr 1300 (the borrower) for the
    principal, Cr interest income. More than is owed is refused, or, where the product says
    so, the surplus is a deposit into the borrower's voluntary savings on the same receipt (one
    entry). The loan closes when nothing is owed."""
    loan = _locked(loan)
    date = date or _today()
    instalments = selectors.schedule_of(loan)
    settled, unpaid_penalty = selectors.settled_and_penalty(loan)
    owed = allocation.owed(instalments, settled, penalty=unpaid_penalty) if instalments else 0
    target = surplus_target(loan, date) if is_whole(amount) and amount > owed else None
    raise_if(problems_of(rules.LOAN_REPAY, rules.LoanAct(loan, actor, date=date, amount=amount, owed=owed,
                                                         savings_target=target)))
    surplus, part_lines = max(amount - owed, 0), []
    if surplus:
        take, problems = surplus_take(loan, actor, date, surplus, target)
        raise_if(problems)
        part_lines = collection.part("savings").lines(loan.organisation, date, [take])
    parts = allocation.allocate(instalments, settled, amount - surplus, penalty=unpaid_penalty,
                                order=selectors.allocation_order(loan))
    lines = [ledger.Line(account=chart.CASH, debit=amount, member=loan.member, memo=f"สัญญา {loan.number}")]
    if parts.penalty:
        lines.append(ledger.Line(account=PENALTY_ACCOUNT, credit=parts.penalty, member=loan.member,
                                 memo=f"ค่าปรับสัญญา {loan.number}"))
    if parts.principal:
        lines.append(ledger.Line(account=chart.LOANS, credit=parts.principal, member=loan.member,
                                 memo=f"เงินต้นสัญญา {loan.number}"))
    if parts.interest:
        lines.append(ledger.Line(account=INTEREST_ACCOUNT, credit=parts.interest, member=loan.member,
                                 memo=f"ดอกเบี้ยสัญญา {loan.number}"))
    lines += [line for pl in part_lines for line in pl.lines]  # the surplus, Cr the savings account
    entry = ledger.entry_post(actor=actor, organisation=loan.organisation, date=date, doc_type=DocumentType.RECEIPT,
                              lines=lines, memo=f"รับชำระเงินกู้สัญญา {loan.number} {loan.member.number}"[:255],
                              source=loan)
    if part_lines:
        collection.part("savings").after_post(actor=actor, organisation=loan.organisation, date=date, entry=entry,
                                              part_lines=part_lines)
    repayment = Repayment.objects.create(
        organisation=loan.organisation, loan=loan, date=date, amount=amount - surplus, penalty=parts.penalty,
        fee=parts.fee, interest=parts.interest, principal=parts.principal, to_savings=surplus, entry=entry,
        received_by=audit.person(actor))
    if amount - surplus == owed:
        loan.status, loan.closed_on = Loan.Status.CLOSED, date
        loan.save(update_fields=["status", "closed_on"])
    audit.record(actor=actor, action="loans.loan_repay", organisation=loan.organisation, obj=repayment,
                 summary=f"{entry.document_number} สัญญา {loan.number} {format_baht(amount)}",
                 after={"entry": entry.document_number, "date": date, "amount": amount, "penalty": parts.penalty,
                        "interest": parts.interest, "principal": parts.principal, "to_savings": surplus,
                        "savings_account": part_lines[0].detail.get("account") if part_lines else None,
                        "status": loan.status})
    return repayment


@transaction.atomic
def repayment_reverse(*, actor, repayment: Repayment, reason: str, date: dt.date | None = None) -> Repayment:
    """Correct a repayment by the ledger's reversal (the latest standing one first); a loan it
    had closed opens again."""
    loan = _locked(repayment.loan)
    repayment = Repayment.objects.select_for_update().select_related("organisation").get(pk=repayment.pk)
    newest = not Repayment.objects.filter(loan=loan, reversal__isnull=True).filter(
        Q(date__gt=repayment.date) | Q(date=repayment.date, pk__gt=repayment.pk)).exists()
    raise_if(problems_of(rules.REPAYMENT_REVERSE, rules.RepaymentAct(
        repayment, actor, reason, newest, rescheduled=selectors.counted_in_reschedule(repayment))))
    reversal = ledger.entry_reverse(actor=actor, entry=repayment.entry, date=date or repayment.date, reason=reason)
    repayment.reversal, repayment.reversal_reason = reversal, reason.strip()[:255]
    repayment.save(update_fields=["reversal", "reversal_reason"])
    if loan.status == Loan.Status.CLOSED:
        loan.status, loan.closed_on = Loan.Status.DISBURSED, None
        loan.save(update_fields=["status", "closed_on"])
    audit.record(actor=actor, action="loans.repayment_reverse", organisation=loan.organisation, obj=repayment,
                 summary=f"{reversal.document_number} กลับรายการชำระสัญญา {loan.number}",
                 after={"reversal": reversal.document_number, "reason": repayment.reversal_reason,
                        "status": loan.status})
    return repayment


# --- write-off and recovery: entered by one person, posted when a second approves -----------------

RECOVERY_ACCOUNT = chart.OTHER_INCOME  # bad debts recovered: the standard chart has no account of its own
WRITE_OFF_DEBIT = {Adjustment.Against.EXPENSE: chart.LOANS_WRITTEN_OFF,
                   Adjustment.Against.ALLOWANCE: chart.LOAN_ALLOWANCE}
KIND_TH = {Adjustment.Kind.WRITE_OFF: "ตัดหนี้สูญ", Adjustment.Kind.RECOVER: "รับชำระหนี้สูญ",
           Adjustment.Kind.PENALTY: "ค่าปรับ", Adjustment.Kind.WAIVE_INTEREST: "ยกเว้นดอกเบี้ย",
           Adjustment.Kind.WAIVE_PENALTY: "ยกเว้นค่าปรับ"}


def _adjustment_act(actor, loan: Loan, kind: str, adjustment: Adjustment | None = None, **kw) -> rules.AdjustmentAct:
    pending = selectors.pending_adjustment(loan)
    return rules.AdjustmentAct(
        loan, actor, kind, outstanding=selectors.outstanding_principal(loan), recoverable=selectors.recoverable(loan),
        last_date=selectors.last_transaction_date(loan), adjustment=adjustment,
        pending=pending is not None and (adjustment is None or pending.pk != adjustment.pk),
        recoveries_standing=selectors.recovered(loan) > 0, waivable=_waivable(loan, kind),
        rescheduled=adjustment is not None and selectors.waiver_counted_in_reschedule(adjustment),
        last_closed=last_closed_period(loan.organisation) if adjustment is None else None, **kw)


def _waivable(loan: Loan, kind: str) -> int:
    """A waiver's ceiling (the interest or penalty still owed); a penalty's reversal: the penalty unpaid."""
    if loan.status != Loan.Status.DISBURSED:
        return 0
    if kind == Adjustment.Kind.WAIVE_INTEREST:
        return selectors.interest_waivable(loan)
    if kind in (Adjustment.Kind.WAIVE_PENALTY, Adjustment.Kind.PENALTY):
        return selectors.penalty_owed(loan)
    return 0


def _request(actor, loan: Loan, kind: str, checks, amount: int, date: dt.date, reason: str,
             against: str = "") -> Adjustment:
    raise_if(problems_of(checks, _adjustment_act(actor, loan, kind, amount=amount, date=date, reason=reason,
                                                 against=against)))
    adjustment = Adjustment.objects.create(organisation=loan.organisation, loan=loan, kind=kind, amount=amount,
                                           date=date, against=against, reason=reason.strip()[:255],
                                           requested_by=audit.person(actor))
    audit.record(actor=actor, action=f"loans.{kind}_request", organisation=loan.organisation, obj=adjustment,
                 summary=f"ขอ{KIND_TH[kind]} สัญญา {loan.number} {format_baht(amount)}",
                 after={"loan": loan.number, "amount": amount, "date": date, "against": against,
                        "reason": adjustment.reason})
    return adjustment


@transaction.atomic
def write_off_request(*, actor, loan: Loan, reason: str, against: str = Adjustment.Against.EXPENSE,
                      date: dt.date | None = None) -> Adjustment:
    """Ask to write off the loan's whole outstanding principal (a second person approves)."""
    loan = _locked(loan)
    return _request(actor, loan, Adjustment.Kind.WRITE_OFF, rules.WRITE_OFF_REQUEST,
                    selectors.outstanding_principal(loan), date or _today(), reason, against)


@transaction.atomic
def recovery_request(*, actor, loan: Loan, amount: int, reason: str, date: dt.date | None = None) -> Adjustment:
    """Money received for a written-off loan, to be approved by a second person."""
    loan = _locked(loan)
    return _request(actor, loan, Adjustment.Kind.RECOVER, rules.RECOVERY_REQUEST, amount, date or _today(), reason)


def _locked_adjustment(adjustment: Adjustment) -> tuple[Loan, Adjustment]:
    loan = _locked(adjustment.loan)
    return loan, Adjustment.objects.select_for_update().get(pk=adjustment.pk)


@transaction.atomic
def adjustment_approve(*, actor, adjustment: Adjustment) -> Adjustment:
    """The second person's approval posts it. A write-off: Dr 5500 (or 1320), Cr 1300 the
    borrower, and the loan is written off; a recovery: Dr 1100, Cr 4800."""
    loan, adj = _locked_adjustment(adjustment)
    raise_if(problems_of(rules.ADJUSTMENT_APPROVE, _adjustment_act(actor, loan, adj.kind, adj, reason=adj.reason)))
    member, what = loan.member, f"{KIND_TH[adj.kind]}สัญญา {loan.number}"
    if not adj.posts:  # a waiver: nothing was booked (interest and penalties are income when paid)
        adj.status, adj.approved_by, adj.decided_at = Adjustment.Status.APPROVED, audit.person(actor), timezone.now()
        adj.save(update_fields=["status", "approved_by", "decided_at"])
        if loan.status == Loan.Status.DISBURSED and selectors.still_owed(loan) == 0:
            # the waiver took the last of what was owed: the loan closes, as a last repayment closes it
            loan.status, loan.closed_on = Loan.Status.CLOSED, adj.date
            loan.save(update_fields=["status", "closed_on"])
        audit.record(actor=actor, action=f"loans.{adj.kind}_approve", organisation=loan.organisation, obj=adj,
                     summary=f"{what} {format_baht(adj.amount)} (รายการ {adj.pk})",
                     before={"status": Adjustment.Status.PENDING},
                     after={"status": adj.status, "loan_status": loan.status})
        return adj
    if adj.kind == Adjustment.Kind.WRITE_OFF:
        lines = [ledger.Line(account=WRITE_OFF_DEBIT[adj.against], debit=adj.amount, member=member, memo=what),
                 ledger.Line(account=chart.LOANS, credit=adj.amount, member=member, memo=what)]
        doc_type = DocumentType.JOURNAL
    else:
        lines = [ledger.Line(account=chart.CASH, debit=adj.amount, member=member, memo=what),
                 ledger.Line(account=RECOVERY_ACCOUNT, credit=adj.amount, member=member, memo=what)]
        doc_type = DocumentType.RECEIPT
    entry = ledger.entry_post(
        actor=actor, organisation=loan.organisation, date=adj.date, doc_type=doc_type, lines=lines,
        memo=f"{what} {member.number} {adj.reason}"[:255], source=loan,
        idempotency_key=f"loans-adjustment:{adj.pk}",
        approval=Approval(maker=adj.requested_by, approver=actor, what=f"loans.adjustment:{adj.pk}"))
    adj.status, adj.approved_by, adj.decided_at, adj.entry = (Adjustment.Status.APPROVED, audit.person(actor),
                                                               timezone.now(), entry)
    adj.save(update_fields=["status", "approved_by", "decided_at", "entry"])
    if adj.kind == Adjustment.Kind.WRITE_OFF:
        loan.status = Loan.Status.WRITTEN_OFF
        loan.save(update_fields=["status"])
    audit.record(actor=actor, action=f"loans.{adj.kind}_approve", organisation=loan.organisation, obj=adj,
                 summary=f"{entry.document_number} {what} {format_baht(adj.amount)}",
                 before={"status": Adjustment.Status.PENDING},
                 after={"status": adj.status, "entry": entry.document_number, "loan_status": loan.status})
    return adj


@transaction.atomic
def adjustment_reject(*, actor, adjustment: Adjustment, reason: str) -> Adjustment:
    loan, adj = _locked_adjustment(adjustment)
    raise_if(problems_of(rules.ADJUSTMENT_REJECT, _adjustment_act(actor, loan, adj.kind, adj, reason=reason)))
    adj.status, adj.approved_by, adj.decided_at = Adjustment.Status.REJECTED, audit.person(actor), timezone.now()
    adj.decision_reason = reason.strip()[:255]
    adj.save(update_fields=["status", "approved_by", "decided_at", "decision_reason"])
    audit.record(actor=actor, action=f"loans.{adj.kind}_reject", organisation=loan.organisation, obj=adj,
                 summary=f"ไม่อนุมัติ{KIND_TH[adj.kind]} สัญญา {loan.number}", before={"status": "pending"},
                 after={"status": adj.status, "reason": adj.decision_reason})
    return adj


@transaction.atomic
def adjustment_reverse(*, actor, adjustment: Adjustment, reason: str, date: dt.date | None = None) -> Adjustment:
    """Correct an approved write-off or recovery by the ledger's reversal; a reversed write-off
    puts the loan back to repaying (its recoveries reversed first)."""
    loan, adj = _locked_adjustment(adjustment)
    raise_if(problems_of(rules.ADJUSTMENT_REVERSE, _adjustment_act(actor, loan, adj.kind, adj, reason=reason)))
    if not adj.posts:  # a penalty or a waiver: the reversal stands beside it
        adj.reversed_on, adj.reversed_by = date or _today(), audit.person(actor)
        adj.reversal_reason = reason.strip()[:255]
        adj.save(update_fields=["reversed_on", "reversed_by", "reversal_reason"])
        if loan.status == Loan.Status.CLOSED and adj.kind != Adjustment.Kind.PENALTY:
            # a waiver the loan's closing counted on: what it waived is owed again, as after a
            # repayment's reversal
            loan.status, loan.closed_on = Loan.Status.DISBURSED, None
            loan.save(update_fields=["status", "closed_on"])
        audit.record(actor=actor, action=f"loans.{adj.kind}_reverse", organisation=loan.organisation, obj=adj,
                     summary=f"กลับรายการ{KIND_TH[adj.kind]} สัญญา {loan.number} (รายการ {adj.pk})",
                     after={"reversed_on": adj.reversed_on, "reason": adj.reversal_reason, "loan_status": loan.status})
        return adj
    reversal = ledger.entry_reverse(actor=actor, entry=adj.entry, date=date or adj.date, reason=reason)
    adj.reversal, adj.reversal_reason = reversal, reason.strip()[:255]
    adj.save(update_fields=["reversal", "reversal_reason"])
    if adj.kind == Adjustment.Kind.WRITE_OFF:
        loan.status = Loan.Status.DISBURSED
        loan.save(update_fields=["status"])
    audit.record(actor=actor, action=f"loans.{adj.kind}_reverse", organisation=loan.organisation, obj=adj,
                 summary=f"{reversal.document_number} กลับรายการ{KIND_TH[adj.kind]} สัญญา {loan.number}",
                 after={"reversal": reversal.document_number, "reason": adj.reversal_reason,
                        "loan_status": loan.status})
    return adj


# --- penalty and waivers ---------------------------------------------------------------------------

@transaction.atomic
def penalty_charge(*, actor, loan: Loan, date: dt.date | None = None) -> Adjustment:
    """Charge the penalty the terms give for overdue instalments up to ``date`` (since the
    previous charge): computed, not typed, so no second person; paid first by the next
    repayment (income 4720 then)."""
    loan = _locked(loan)
    date = date or _today()
    amount = selectors.penalty_on(loan, date)
    raise_if(problems_of(rules.PENALTY_CHARGE, _adjustment_act(actor, loan, Adjustment.Kind.PENALTY, amount=amount,
                                                               date=date)))
    person = audit.person(actor)
    adj = Adjustment.objects.create(organisation=loan.organisation, loan=loan, kind=Adjustment.Kind.PENALTY,
                                    amount=amount, date=date, reason="ค่าปรับงวดค้างชำระ", requested_by=person,
                                    approved_by=person, status=Adjustment.Status.APPROVED, decided_at=timezone.now())
    audit.record(actor=actor, action="loans.penalty_charge", organisation=loan.organisation, obj=adj,
                 summary=f"ค่าปรับสัญญา {loan.number} {format_baht(amount)} (รายการ {adj.pk})",
                 after={"loan": loan.number, "amount": amount, "date": date})
    return adj


@transaction.atomic
def waive_request(*, actor, loan: Loan, part: str, amount: int, reason: str, date: dt.date | None = None
                  ) -> Adjustment:
    """Ask to waive interest (``part`` "interest") or penalty ("penalty") still owed; it takes
    effect when a second person approves."""
    loan = _locked(loan)
    kind = {"interest": Adjustment.Kind.WAIVE_INTEREST, "penalty": Adjustment.Kind.WAIVE_PENALTY}.get(part, part)
    return _request(actor, loan, kind, rules.WAIVE_REQUEST, amount, date or _today(), reason)


# --- reschedule (ปรับโครงสร้างหนี้): asked by one person, in force when a second approves ---------

def reschedule_act(actor, loan: Loan, r: Reschedule | None = None, **kw) -> rules.RescheduleAct:
    """The rules' view of a reschedule of ``loan`` by ``actor`` (the services' and the pages')."""
    pending = selectors.pending_reschedule(loan)
    return rules.RescheduleAct(
        loan, actor, outstanding=selectors.outstanding_principal(loan), last_date=selectors.last_transaction_date(loan),
        pending=pending is not None and (r is None or pending.pk != r.pk), reschedule=r,
        last_closed=last_closed_period(loan.organisation), **kw)


RESCHEDULE_CHANGES = ("method", "per", "every", "grace_principal", "grace_interest", "rounding")


def new_terms(loan: Loan, term, rate, **changes) -> schedule.Terms | None:
    """The loan's current terms with the new term and rate, no grace, and any of
    ``RESCHEDULE_CHANGES`` given (None: unusable term or rate, which the rules name; the
    schedule's own rules name a bad method, period, grace or rounding)."""
    if not rules.is_count(term) or not isinstance(rate, Decimal) or not rate.is_finite():
        return None
    current = schedule.Terms.from_dict(selectors.current_terms(loan))
    given = {k: v for k, v in changes.items() if k in RESCHEDULE_CHANGES and v is not None}
    return replace(current, term=term, rate=rate, **{"grace_principal": 0, "grace_interest": 0, **given})


@transaction.atomic
def reschedule_request(*, actor, loan: Loan, term: int, first_due: dt.date, reason: str,
                       rate: Decimal | None = None, date: dt.date | None = None, method: str | None = None,
                       per: str | None = None, every: str | None = None, grace_principal: int | None = None,
                       grace_interest: int | None = None, rounding: int | None = None) -> Reschedule:
    """Ask for a new schedule of what the loan still owes: ``term`` instalments (no longer
    than the product's longest term, ``selectors.reschedule_max_term``) at ``rate`` (the
    current rate when None), the first due on
    ``first_due``; a new method, per, every, grace or rounding when given (else the current
    terms', no grace). Nothing changes until a second person approves."""
    loan = _locked(loan)
    date = date or _today()
    if rate is None and loan.terms is not None:
        rate = schedule.Terms.from_dict(selectors.current_terms(loan)).rate
    changes = {"method": method, "per": per, "every": every, "grace_principal": grace_principal,
               "grace_interest": grace_interest, "rounding": rounding}
    terms = new_terms(loan, term, rate, **changes) if loan.terms is not None else None
    raise_if(problems_of(rules.RESCHEDULE_REQUEST, reschedule_act(
        actor, loan, date=date, term=term, rate=rate, first_due=first_due, reason=reason, terms=terms,
        max_term=selectors.reschedule_max_term(loan, date, terms.every if terms is not None else None)
        if isinstance(date, dt.date) else rules.MAX_TERM)))
    principal = selectors.outstanding_principal(loan)
    r = Reschedule.objects.create(organisation=loan.organisation, loan=loan, date=date, terms=terms.as_dict(),
                                  first_due=first_due, principal=principal, reason=reason.strip()[:255],
                                  requested_by=audit.person(actor))
    audit.record(actor=actor, action="loans.reschedule_request", organisation=loan.organisation, obj=r,
                 summary=f"ขอปรับโครงสร้างหนี้ สัญญา {loan.number} {format_baht(principal)} {term} งวด",
                 after={"loan": loan.number, "principal": principal, "date": date, "terms": r.terms,
                        "first_due": first_due, "reason": r.reason})
    return r


def _locked_reschedule(r: Reschedule) -> tuple[Loan, Reschedule]:
    loan = _locked(r.loan)
    return loan, Reschedule.objects.select_for_update().get(pk=r.pk)


@transaction.atomic
def reschedule_approve(*, actor, reschedule: Reschedule) -> Reschedule:
    """The second person's approval puts the new schedule in force (``reschedule.continued``):
    the parts settled so far are recorded, unpaid interest due by then is kept (due with the
    first new instalment). Nothing is posted: the outstanding principal stays on 1300."""
    loan, r = _locked_reschedule(reschedule)
    raise_if(problems_of(rules.RESCHEDULE_APPROVE, reschedule_act(actor, loan, r, reason=r.reason)))
    before, settled = selectors.schedule_of(loan), selectors.settled(loan)
    r.settled_interest, r.settled_principal = settled.interest, settled.principal
    r.kept_interest = kept_interest(before, settled, r.date)
    r.repayments_to = Repayment.objects.filter(loan=loan).order_by("-pk").values_list("pk", flat=True).first() or 0
    r.status, r.approved_by, r.decided_at = Reschedule.Status.APPROVED, audit.person(actor), timezone.now()
    r.save(update_fields=["settled_interest", "settled_principal", "kept_interest", "repayments_to", "status",
                          "approved_by", "decided_at"])
    loan.rescheduled_on = r.date
    loan.save(update_fields=["rescheduled_on"])
    audit.record(actor=actor, action="loans.reschedule_approve", organisation=loan.organisation, obj=r,
                 summary=f"ปรับโครงสร้างหนี้ สัญญา {loan.number} {format_baht(r.principal)} (ไม่มีรายการบัญชี)",
                 before={"status": Reschedule.Status.PENDING},
                 after={"status": r.status, "settled_interest": r.settled_interest,
                        "settled_principal": r.settled_principal, "kept_interest": r.kept_interest,
                        "rescheduled_on": r.date})
    return r


@transaction.atomic
def reschedule_reject(*, actor, reschedule: Reschedule, reason: str) -> Reschedule:
    loan, r = _locked_reschedule(reschedule)
    raise_if(problems_of(rules.RESCHEDULE_REJECT, reschedule_act(actor, loan, r, reason=reason)))
    r.status, r.approved_by, r.decided_at = Reschedule.Status.REJECTED, audit.person(actor), timezone.now()
    r.decision_reason = reason.strip()[:255]
    r.save(update_fields=["status", "approved_by", "decided_at", "decision_reason"])
    audit.record(actor=actor, action="loans.reschedule_reject", organisation=loan.organisation, obj=r,
                 summary=f"ไม่อนุมัติปรับโครงสร้างหนี้ สัญญา {loan.number}", before={"status": "pending"},
                 after={"status": r.status, "reason": r.decision_reason})
    return r


@transaction.atomic
def reschedule_reverse(*, actor, reschedule: Reschedule, reason: str, date: dt.date | None = None) -> Reschedule:
    """Undo the latest reschedule while nothing was settled or charged on its schedule: the
    reversal stands beside it (nothing was posted, so nothing is reversed in the ledger) and
    the loan follows the schedule before it again."""
    loan, r = _locked_reschedule(reschedule)
    standing = selectors.reschedules_standing(loan)
    latest = bool(standing) and standing[-1].pk == r.pk
    raise_if(problems_of(rules.RESCHEDULE_REVERSE, reschedule_act(
        actor, loan, r, reason=reason, latest=latest,
        settled_since=r.decided_at is not None and selectors.settled_since(r))))
    r.reversed_on, r.reversed_by, r.reversal_reason = date or _today(), audit.person(actor), reason.strip()[:255]
    r.save(update_fields=["reversed_on", "reversed_by", "reversal_reason"])
    loan.rescheduled_on = standing[-2].date if len(standing) > 1 else None
    loan.save(update_fields=["rescheduled_on"])
    audit.record(actor=actor, action="loans.reschedule_reverse", organisation=loan.organisation, obj=r,
                 summary=f"กลับรายการปรับโครงสร้างหนี้ สัญญา {loan.number} (รายการ {r.pk})",
                 after={"reversed_on": r.reversed_on, "reason": r.reversal_reason,
                        "rescheduled_on": loan.rescheduled_on})
    return r
