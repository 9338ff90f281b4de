"""Writes of welfare: one transaction and one audit event each.

- ``scheme_create``        a benefit scheme with its first rule version; the category's
                           benefits-paid account (51xx) is created when the chart lacks it
- ``rule_version_create``  a new version of a scheme's rule from a date
- ``claim_submit``         a claim for a member, judged by the version in force on the event
                           date; refused when the member is not eligible or a limit is reached
- ``claim_approve``        by a committee member who may approve and did not submit it
- ``claim_reject``         with a reason
- ``claim_pay``            Dr benefits paid (51xx) / Cr cash (1100) of the welfare fund; never
                           more than the cash; twice is once; a death claim ends the membership
- ``claim_reverse``        a reversing entry with a reason; the claim no longer counts
- ``claim_record_paid``    a claim paid before the app (an import of the group's history): a
                           real claim, paid, with its scheme (the group's scheme of the category
                           whose rule was in force, else an inactive "imported history" scheme of
                           the category), its payees and the entry that paid it; approved by the
                           second person who approved the import; not judged by today's rules
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils import timezone

from omboon.core import audit
from omboon.core.errors import Problem, RuleViolation, problems_of, raise_if
from omboon.core.money import allocate, format_baht
from omboon.ledger import chart
from omboon.ledger import services as ledger
from omboon.ledger.models import Account, DocumentType
from omboon.members.models import LEFT_STATUSES, Member
from omboon.members.services import member_status_change
from omboon.orgs.models import Organisation
from omboon.welfare import engine, rules, schema, selectors
from omboon.welfare.models import BenefitScheme, Category, Claim, ClaimPayee, RuleVersion, category_label

# Categories the standard chart has no sub-account for get one of their own under 5100.
EXTRA_ACCOUNTS = {
    Category.COMMUNITY_ENTERPRISE: ("5190", "ทุนสนับสนุนวิสาหกิจชุมชน", "Community enterprise grants"),
}


@dataclass
class Payee:
    name: str
    share: int
    relation: str = ""


def _lock(organisation: Organisation) -> None:
    Organisation.objects.select_for_update().filter(pk=organisation.pk).values_list("pk").first()


def _today() -> dt.date:
    return timezone.localdate()


# --- schemes and rules ----------------------------------------------------------------------

def expense_account_for(*, actor, organisation: Organisation, category: str) -> Account:
    """The benefits-paid sub-account of a category (5110–5190), created when missing."""
    code = chart.BENEFIT_ACCOUNTS.get(category)
    if code is None and category in EXTRA_ACCOUNTS:
        code = EXTRA_ACCOUNTS[category][0]
    code = code or chart.BENEFIT_ACCOUNTS["other"]
    account = Account.objects.filter(organisation=organisation, code=code).first()
    if account is not None:
        return account
    parent = Account.objects.filter(organisation=organisation, code=chart.BENEFITS_PAID).first()
    if category in EXTRA_ACCOUNTS:
        _, th, en = EXTRA_ACCOUNTS[category]
    else:
        th, en = chart.STANDARD_NAMES.get(code, (category_label(category, "th"), category_label(category, "en")))
    return ledger.account_create(actor=actor, organisation=organisation, code=code, name_th=th, name_en=en,
                                 standard_code=chart.BENEFITS_PAID, parent=parent)


@transaction.atomic
def scheme_create(*, actor, organisation: Organisation, category: str, name_th: str, rule: dict,
                  effective_from: dt.date, name_en: str = "", custom_label: str = "") -> BenefitScheme:
    raise_if(problems_of(rules.SCHEME_CREATE, rules.NewScheme(organisation, category, name_th, custom_label,
                                                               effective_from, rule)))
    account = expense_account_for(actor=actor, organisation=organisation, category=category)
    scheme = BenefitScheme.objects.create(
        organisation=organisation, category=category, custom_label=(custom_label or "").strip(),
        name_th=name_th.strip(), name_en=(name_en or "").strip(), expense_account=account,
        created_by=audit.person(actor))
    version = RuleVersion.objects.create(organisation=organisation, scheme=scheme, effective_from=effective_from,
                                         rule=schema.rule_from_json(rule).to_json(),
                                         created_by=scheme.created_by, note="")
    audit.record(actor=actor, action="welfare.scheme_create", organisation=organisation, obj=scheme,
                 summary=f"{scheme.name_th} ({category})",
                 after={"category": category, "name_th": scheme.name_th, "account": account.code,
                        "effective_from": effective_from, "rule": version.rule})
    return scheme


@transaction.atomic
def rule_version_create(*, actor, scheme: BenefitScheme, effective_from: dt.date, rule: dict,
                        note: str = "") -> RuleVersion:
    """A new version from ``effective_from``; claims with earlier events keep their version."""
    scheme = BenefitScheme.objects.select_for_update().get(pk=scheme.pk)
    taken = isinstance(effective_from, dt.date) and RuleVersion.objects.filter(
        scheme=scheme, effective_from=effective_from).exists()
    raise_if(problems_of(rules.RULE_VERSION_CREATE, rules.NewVersion(scheme, effective_from, rule, taken)))
    before = selectors.version_on(scheme, effective_from)
    version = RuleVersion.objects.create(
        organisation_id=scheme.organisation_id, scheme=scheme, effective_from=effective_from,
        rule=schema.rule_from_json(rule).to_json(), note=(note or "").strip()[:255],
        created_by=audit.person(actor))
    audit.record(actor=actor, action="welfare.rule_version_create", organisation=scheme.organisation, obj=version,
                 summary=f"{scheme.name_th} ตั้งแต่/from {effective_from.isoformat()}",
                 before={"rule": before.rule, "effective_from": before.effective_from} if before else None,
                 after={"rule": version.rule, "effective_from": effective_from, "note": version.note})
    return version


@transaction.atomic
def scheme_set_active(*, actor, scheme: BenefitScheme, is_active: bool) -> BenefitScheme:
    scheme = BenefitScheme.objects.select_for_update().get(pk=scheme.pk)
    before = scheme.is_active
    scheme.is_active = bool(is_active)
    scheme.save(update_fields=["is_active"])
    audit.record(actor=actor, action="welfare.scheme_set_active", organisation=scheme.organisation, obj=scheme,
                 summary=f"{scheme.name_th} {'เปิด/on' if is_active else 'ปิด/off'}",
                 before={"is_active": before}, after={"is_active": scheme.is_active})
    return scheme


# --- claims ---------------------------------------------------------------------------------

def _as_payee(spec) -> Payee:
    if isinstance(spec, Payee):
        return spec
    if isinstance(spec, dict):
        return Payee(name=str(spec.get("name") or ""), share=spec.get("share"),
                     relation=str(spec.get("relation") or ""))
    raise TypeError(f"a payee is a Payee or a dict, not {type(spec).__name__}")


def default_event_key(category: str, event_date: dt.date, given: str = "") -> str:
    """A member dies once; other events are told apart by what the form says, else the date."""
    if category == Category.DEATH:
        return "death"
    return (given or "").strip()[:100] or event_date.isoformat()


def assess(*, scheme: BenefitScheme, member: Member, event_date: dt.date, event_key: str = "", nights: int = 0,
           cost: int = 0, documents: Iterable[str] = (), exclude_pk: int | None = None,
           facts: engine.MemberFacts | None = None
           ) -> tuple[RuleVersion | None, engine.MemberFacts, engine.Decision | None, list[Problem]]:
    """What the engine says of a claim now, without writing (the claim form's preview).
    ``facts`` are the member as a claim recorded them; else they are read now (the paid-through
    date only when the rule asks for it)."""
    problems: list[Problem] = []
    version = selectors.version_on(scheme, event_date)
    if version is None:
        return (None, facts or selectors.member_facts(member, event_date, with_paid_through=False), None,
                rules.no_rule_in_force(scheme, event_date))
    rule = version.parsed
    if facts is None:
        facts = selectors.member_facts(member, event_date, with_paid_through=rule.eligibility.paid_up)
    key = default_event_key(scheme.category, event_date, event_key)
    decision = engine.evaluate(
        rule, facts, engine.Event(event_date, key, nights, cost, frozenset(documents)),
        selectors.prior_claims(member, scheme, exclude_pk=exclude_pk),
        year_start_month=scheme.organisation.fiscal_year_start_month,
    )
    return version, facts, decision, problems


def _recorded_facts(c: Claim, member: Member) -> engine.MemberFacts:
    """The member as the claim recorded them on submission, with today's status (a member
    who has since died or left is judged by the status they had on the event date)."""
    stored = (c.eligibility or {}).get("facts")
    if not stored:
        return selectors.member_facts(member, c.event_date, with_paid_through=c.rule_version.parsed.eligibility.paid_up)
    facts = engine.MemberFacts.from_json(stored)
    return engine.MemberFacts(facts.birth_date, facts.sex, facts.join_date, member.status, member.status_date,
                              facts.paid_through)


def _eligibility_json(version: RuleVersion, facts: engine.MemberFacts, decision: engine.Decision,
                      key: str) -> dict:
    return {**decision.to_json(), "facts": facts.to_json(), "event_key": key,
            "rule_version": version.pk, "effective_from": version.effective_from.isoformat()}


@transaction.atomic
def claim_submit(*, actor, organisation: Organisation, member: Member, scheme: BenefitScheme,
                 event_date: dt.date, event_key: str = "", nights: int = 0, cost: int = 0, details: str = "",
                 documents: Iterable[str] = (), payees: Iterable = (), today: dt.date | None = None) -> Claim:
    """Record a claim. It is judged at once; an ineligible claim or one over a limit is refused
    with every failed condition, and nothing is written."""
    today = today or _today()
    payees = [_as_payee(p) for p in payees]
    documents = sorted(set(documents))
    raise_if(problems_of(rules.CLAIM_SUBMIT, rules.NewClaim(organisation, member, scheme, event_date, nights, cost,
                                                            payees, actor, today)))
    _lock(organisation)
    member = Member.objects.get(pk=member.pk)  # the status as it is now, not as the caller saw it
    version, facts, decision, problems = assess(scheme=scheme, member=member, event_date=event_date,
                                                event_key=event_key, nights=nights, cost=cost,
                                                documents=documents)
    raise_if(problems)
    raise_if(rules.decision_problems(decision))
    key = default_event_key(scheme.category, event_date, event_key)
    try:
        with transaction.atomic():
            claim = Claim.objects.create(
                organisation=organisation, member=member, scheme=scheme, rule_version=version,
                event_date=event_date, event_key=key, nights=nights or 0, cost=cost or 0,
                details=(details or "").strip(), documents=documents, amount=decision.amount,
                eligibility=_eligibility_json(version, facts, decision, key), submitted_by=actor,
                submitted_at=timezone.now())
    except IntegrityError:
        raise RuleViolation(rules.duplicate_event(key)) from None
    shares = allocate(decision.amount, [p.share for p in payees]) if payees else []
    ClaimPayee.objects.bulk_create([
        ClaimPayee(organisation=organisation, claim=claim, name=p.name.strip()[:200],
                   relation=p.relation.strip()[:100], share=p.share, amount=amount)
        for p, amount in zip(payees, shares)])
    audit.record(actor=actor, action="welfare.claim_submit", organisation=organisation, obj=claim,
                 summary=f"{scheme.name_th} {member.number} {format_baht(claim.amount)}",
                 after={"member": member.number, "scheme": scheme.pk, "event_date": event_date, "event_key": key,
                        "nights": nights, "cost": cost, "amount": claim.amount, "rule_version": version.pk,
                        "payees": [[p.name, p.share] for p in payees]})
    return claim


def _locked(claim: Claim) -> Claim:
    return (Claim.objects.select_for_update()
            .select_related("organisation", "member", "scheme", "scheme__expense_account", "rule_version")
            .get(pk=claim.pk))


@transaction.atomic
def claim_approve(*, actor, claim: Claim) -> Claim:
    """Maker-checker: a committee member who may approve, never the one who submitted it.
    The claim is judged again (other claims may have used the limits since)."""
    c = _locked(claim)
    raise_if(problems_of(rules.CLAIM_APPROVE, rules.ClaimAct(c, actor)))
    version, facts, decision, problems = assess(
        scheme=c.scheme, member=c.member, event_date=c.event_date, event_key=c.event_key, nights=c.nights,
        cost=c.cost, documents=c.documents, exclude_pk=c.pk, facts=_recorded_facts(c, c.member))
    raise_if(problems)
    raise_if(rules.decision_problems(decision))
    before = {"status": c.status, "amount": c.amount}
    c.status = Claim.Status.APPROVED
    c.approved_by = actor
    c.decided_at = timezone.now()
    c.amount = decision.amount
    c.eligibility = _eligibility_json(version, facts, decision, c.event_key)
    c.save(update_fields=["status", "approved_by", "decided_at", "amount", "eligibility"])
    _share_out(c)
    audit.record(actor=actor, action="welfare.claim_approve", organisation=c.organisation, obj=c,
                 summary=f"{c.scheme.name_th} {c.member.number} {format_baht(c.amount)}",
                 before=before, after={"status": c.status, "amount": c.amount})
    return c


def _share_out(c: Claim) -> None:
    payees = list(c.payees.all())
    if not payees:
        return
    for p, amount in zip(payees, allocate(c.amount, [p.share for p in payees])):
        if p.amount != amount:
            p.amount = amount
            p.save(update_fields=["amount"])


@transaction.atomic
def claim_reject(*, actor, claim: Claim, reason: str) -> Claim:
    c = _locked(claim)
    raise_if(problems_of(rules.CLAIM_REJECT, rules.ClaimAct(c, actor, reason=reason)))
    before = c.status
    c.status = Claim.Status.REJECTED
    c.approved_by = None
    c.decided_at = timezone.now()
    c.reject_reason = reason.strip()[:255]
    c.save(update_fields=["status", "approved_by", "decided_at", "reject_reason"])
    audit.record(actor=actor, action="welfare.claim_reject", organisation=c.organisation, obj=c,
                 summary=f"{c.scheme.name_th} {c.member.number}: {c.reject_reason}",
                 before={"status": before}, after={"status": c.status, "reason": c.reject_reason})
    return c


@transaction.atomic
def claim_pay(*, actor, claim: Claim, date: dt.date | None = None) -> Claim:
    """Pay an approved claim from the welfare fund's cash. Paying a paid claim again returns it
    unchanged; a payout larger than the cash is refused."""
    c = _locked(claim)
    if c.status == Claim.Status.PAID:
        return c
    date = date or _today()
    raise_if(problems_of(rules.CLAIM_PAY, rules.ClaimAct(c, actor, date=date)))
    _lock(c.organisation)
    # the limits again, against every other live claim (no two payouts together pass a limit)
    _version, _facts, decision, problems = assess(
        scheme=c.scheme, member=c.member, event_date=c.event_date, event_key=c.event_key, nights=c.nights,
        cost=c.cost, documents=c.documents, exclude_pk=c.pk, facts=_recorded_facts(c, c.member))
    raise_if(problems)
    cash = min(selectors.welfare_cash(c.organisation, date), selectors.welfare_cash(c.organisation))
    payout = rules.Payout(c.amount, decision.amount, rules.decision_problems(decision), cash)
    raise_if(problems_of(rules.PAYOUT, payout))
    payees = list(c.payees.all())
    name = c.member.full_name
    credits = ([ledger.Line(account=chart.CASH, credit=p.amount, member=c.member, memo=f"{p.name} ({p.relation})")
                for p in payees if p.amount > 0]
               if payees else [ledger.Line(account=chart.CASH, credit=c.amount, member=c.member, memo=name)])
    lines = [ledger.Line(account=c.scheme.expense_account, debit=c.amount, member=c.member,
                         memo=f"{c.scheme.name_th} {c.member.number} {name}"), *credits]
    entry = ledger.entry_post(
        actor=actor, organisation=c.organisation, date=date, doc_type=DocumentType.PAYMENT, lines=lines,
        memo=f"จ่าย{c.scheme.name_th} {c.member.number} {name}"[:255],
        idempotency_key=f"welfare-claim:{c.pk}:pay", source=c,
        approval=ledger.Approval(maker=c.submitted_by, approver=c.approved_by, what=f"welfare.claim:{c.pk}"))
    c.status = Claim.Status.PAID
    c.paid_by = actor
    c.paid_on = date
    c.entry = entry
    c.save(update_fields=["status", "paid_by", "paid_on", "entry"])
    if c.scheme.category == Category.DEATH and c.member.status not in LEFT_STATUSES:
        member_status_change(actor=actor, member=c.member, status=Member.Status.DECEASED, on=c.event_date,
                             reason=f"จ่ายค่าจัดการศพ {entry.document_number} / death benefit paid")
    audit.record(actor=actor, action="welfare.claim_pay", organisation=c.organisation, obj=c,
                 summary=f"{entry.document_number} {c.scheme.name_th} {c.member.number} {format_baht(c.amount)}",
                 before={"status": Claim.Status.APPROVED},
                 after={"status": c.status, "entry": entry.document_number, "amount": c.amount, "date": date})
    return c


@transaction.atomic
def claim_reverse(*, actor, claim: Claim, reason: str, date: dt.date | None = None) -> Claim:
    """Undo a payout with a reversing entry; the claim stops counting against the limits.
    (A member marked deceased by a death claim stays so: that is a fact, not a payout.)"""
    c = _locked(claim)
    date = date or _today()
    raise_if(problems_of(rules.CLAIM_REVERSE, rules.ClaimAct(c, actor, reason=reason)))
    reversal = ledger.entry_reverse(actor=actor, entry=c.entry, date=max(date, c.entry.date), reason=reason.strip())
    c.status = Claim.Status.REVERSED
    c.reversal = reversal
    c.reverse_reason = reason.strip()[:255]
    c.save(update_fields=["status", "reversal", "reverse_reason"])
    audit.record(actor=actor, action="welfare.claim_reverse", organisation=c.organisation, obj=c,
                 summary=f"{reversal.document_number} กลับรายการ/reverses {c.entry.document_number}",
                 before={"status": Claim.Status.PAID},
                 after={"status": c.status, "reversal": reversal.document_number, "reason": c.reverse_reason})
    return c


# --- history ------------------------------------------------------------------------------------

IMPORTED_SINCE = rules.EARLIEST  # an imported-history scheme's rule applies to every past event
# what was paid is what the group's records say: the whole cost (the rule is never used to judge:
# the scheme is inactive, and past claims are recorded as paid, not assessed)
IMPORTED_RULE = {"amount": {"kind": "percent", "percent": 100}}


def imported_scheme(*, actor, organisation: Organisation, category: str, event_date: dt.date) -> BenefitScheme:
    """The scheme a past claim of ``category`` on ``event_date`` was paid under: the group's own
    scheme of the category with a rule in force that day, else the category's "imported history"
    scheme (created inactive, so no new claim is made under it)."""
    for scheme in BenefitScheme.objects.filter(organisation=organisation, category=category).order_by("id"):
        if selectors.version_on(scheme, event_date) is not None:
            return scheme
    name_th = f"{category_label(category)} (ประวัติที่นำเข้า)"
    found = BenefitScheme.objects.filter(organisation=organisation, name_th=name_th).first()
    if found is not None:
        return found
    scheme = scheme_create(actor=actor, organisation=organisation, category=category, name_th=name_th,
                           name_en=f"{category_label(category, 'en')} (imported history)",
                           rule=IMPORTED_RULE, effective_from=IMPORTED_SINCE)
    return scheme_set_active(actor=actor, scheme=scheme, is_active=False)


@transaction.atomic
def claim_record_paid(*, actor, approver, organisation: Organisation, member: Member, category: str,
                      event_date: dt.date, paid_on: dt.date, amount: int, details: str = "",
                      payees: Iterable = (), idempotency_key: str, source: tuple[str, str],
                      memo: str = "") -> Claim:
    """A benefit the group paid before it kept its books here: the claim (paid on ``paid_on``,
    ``actor`` the maker, ``approver`` the second person) and its payout entry (Dr the category's
    51xx / Cr cash, through ``ledger.entry_post`` with their ``Approval``). The rules of the time
    are not known, so the claim is not judged; one claim per member and event still holds."""
    scheme = imported_scheme(actor=actor, organisation=organisation, category=category, event_date=event_date)
    version = selectors.version_on(scheme, event_date)
    key = default_event_key(category, event_date)
    payees = [_as_payee(p) for p in payees]
    now = timezone.now()
    try:
        with transaction.atomic():
            claim = Claim.objects.create(
                organisation=organisation, member=member, scheme=scheme, rule_version=version,
                event_date=event_date, event_key=key, details=(details or "").strip(), amount=amount,
                eligibility={"imported": True, "source": list(source)}, status=Claim.Status.APPROVED,
                submitted_by=actor, submitted_at=now, approved_by=approver, decided_at=now)
    except IntegrityError:
        raise RuleViolation(rules.duplicate_event(key)) from None
    shares = allocate(amount, [p.share for p in payees]) if payees else []
    ClaimPayee.objects.bulk_create([
        ClaimPayee(organisation=organisation, claim=claim, name=p.name.strip()[:200],
                   relation=p.relation.strip()[:100], share=p.share, amount=part)
        for p, part in zip(payees, shares)])
    name = member.full_name
    label = f"{scheme.category_name()} {member.number} {name}"
    credits = ([ledger.Line(account=chart.CASH, credit=part, member=member, memo=f"{p.name} ({p.relation})")
                for p, part in zip(payees, shares) if part > 0]
               if payees else [ledger.Line(account=chart.CASH, credit=amount, member=member, memo=label[:255])])
    entry = ledger.entry_post(
        actor=actor, organisation=organisation, date=paid_on, doc_type=DocumentType.PAYMENT,
        lines=[ledger.Line(account=scheme.expense_account, debit=amount, member=member, memo=label[:255]), *credits],
        memo=(memo or f"จ่าย{label}")[:255], idempotency_key=idempotency_key, source=source,
        approval=ledger.Approval(maker=actor, approver=approver, what=f"{source[0]}:{source[1]}"))
    claim.status = Claim.Status.PAID
    claim.paid_by = actor
    claim.paid_on = paid_on
    claim.entry = entry
    claim.save(update_fields=["status", "paid_by", "paid_on", "entry"])
    if category == Category.DEATH and member.status not in LEFT_STATUSES:
        member_status_change(actor=actor, member=member, status=Member.Status.DECEASED, on=event_date,
                             reason=f"นำเข้าการจ่ายค่าจัดการศพ {entry.document_number} / death benefit imported")
    audit.record(actor=actor, action="welfare.claim_record_paid", organisation=organisation, obj=claim,
                 summary=f"{entry.document_number} {scheme.name_th} {member.number} {format_baht(amount)}",
                 after={"member": member.number, "scheme": scheme.pk, "event_date": event_date, "paid_on": paid_on,
                        "amount": amount, "entry": entry.document_number, "approver": getattr(approver, "pk", None),
                        "source": list(source)})
    return claim
