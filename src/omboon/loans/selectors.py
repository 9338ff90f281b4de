"""Reads of loans that pages, reports, the API and the services share."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from typing import NamedTuple

from django.db.models import Count, F, Max, Q, QuerySet, Sum, TextField, Value
from django.db.models.functions import Cast

from omboon.core.money import format_baht
from omboon.core.thaidate import arabic_digits
from omboon.ledger import holdings
from omboon.loans import arrears, penalty, reschedule, schedule
from omboon.loans.allocation import Parts, owed, remaining
from omboon.loans.models import (
    Adjustment,
    Guarantor,
    Loan,
    LoanProduct,
    LoanProductVersion,
    LoanSecurity,
    Repayment,
    Reschedule,
)
from omboon.members import selectors as member_selectors
from omboon.orgs import scoping

LIVE = (Loan.Status.DISBURSED, Loan.Status.CLOSED)


def version_in_force(product, on: dt.date) -> LoanProductVersion | None:
    return product.versions.filter(effective_from__lte=on).order_by("-effective_from").first()


def terms_at(version: LoanProductVersion, term: int | None) -> dict:
    """A product version's terms at ``term`` instalments (None: its own term)."""
    return version.terms if term is None else {**version.terms, "term": term}


def applied_terms(loan: Loan) -> dict:
    """The terms an application asks for: its product version's, at the term chosen (the
    version's own term when none was). What approval copies onto the loan."""
    return terms_at(loan.product_version, loan.term)


def application_schedule(version: LoanProductVersion, principal: int, term: int | None,
                         on: dt.date) -> list[schedule.Instalment]:
    """The schedule an application at ``term`` would follow were it paid out on ``on`` (its
    first instalment one period later): what the apply form shows before it is confirmed.
    Raises ``RuleViolation`` for a principal too small for the term and rounding."""
    return schedule.build(schedule.Terms.from_dict(terms_at(version, term)), principal, on)


def first_schedule(loan: Loan) -> list[schedule.Instalment]:
    """The schedule of the terms agreed at approval (empty until the loan is disbursed)."""
    if loan.terms is None or loan.disbursed_on is None:
        return []
    return schedule.build(schedule.Terms.from_dict(loan.terms), loan.principal, loan.disbursed_on, loan.first_due)


def allocation_order(loan: Loan) -> tuple:
    """The order the loan's repayments pay its parts in (agreed at approval; by default
    penalty → fee → interest → principal)."""
    return tuple((loan.terms or {}).get("order") or schedule.PARTS)


STANDING_RESCHEDULE = Q(status=Reschedule.Status.APPROVED, reversed_on__isnull=True)


def reschedules_standing(loan: Loan) -> list[Reschedule]:
    """The loan's approved reschedules not reversed, in their order."""
    if loan.rescheduled_on is None:
        return []
    return list(Reschedule.objects.filter(STANDING_RESCHEDULE, loan=loan).order_by("date", "pk"))


def schedules_of(loan: Loan) -> list[tuple[Reschedule | None, list[schedule.Instalment]]]:
    """The loan's schedules in their order: the first (``None``), then after each standing
    reschedule the schedule it made (``reschedule.continued``); the last is the current one."""
    rows = first_schedule(loan)
    out: list[tuple[Reschedule | None, list[schedule.Instalment]]] = [(None, rows)]
    for r in reschedules_standing(loan):
        rows = reschedule.continued(rows, Parts(interest=r.settled_interest, principal=r.settled_principal),
                                    r.date, schedule.Terms.from_dict(r.terms), r.first_due)
        out.append((r, rows))
    return out


def schedule_of(loan: Loan) -> list[schedule.Instalment]:
    """The schedule the loan follows now: the first one, or the one its latest standing
    reschedule made (empty until it is disbursed)."""
    if loan.rescheduled_on is None:
        return first_schedule(loan)
    return schedules_of(loan)[-1][1]


def plan_of(loan: Loan) -> arrears.Plan | arrears.Walk:
    """The loan's current schedule as arrears read it (``arrears.Plan``): of a loan never
    rescheduled, straight from its terms (``Plan.of_terms``, no instalments built); else of
    ``schedule_of``. The loan is disbursed."""
    if loan.rescheduled_on is None:
        return arrears.Plan.of_terms(schedule.Terms.from_dict(loan.terms), loan.principal, loan.disbursed_on,
                                     loan.first_due)
    return arrears.Plan.of(schedule_of(loan))


def current_terms(loan: Loan) -> dict | None:
    """The terms the loan follows now: its latest standing reschedule's, else those agreed at approval."""
    standing = reschedules_standing(loan)
    return standing[-1].terms if standing else loan.terms


def paid(loan: Loan) -> Parts:
    """The parts of the repayments that stand (not reversed)."""
    sums = Repayment.objects.filter(loan=loan, reversal__isnull=True).aggregate(
        penalty=Sum("penalty"), fee=Sum("fee"), interest=Sum("interest"), principal=Sum("principal"))
    return Parts(**{k: v or 0 for k, v in sums.items()})


def outstanding_principal(loan: Loan) -> int:
    if loan.status not in LIVE:
        return 0
    return loan.principal - paid(loan).principal


def still_owed(loan: Loan) -> int:
    """Everything the schedule still asks of a disbursed loan, with the penalty charged and
    unpaid (what a repayment may not exceed)."""
    if loan.status not in LIVE:
        return 0
    done, penalty = settled_and_penalty(loan)
    return owed(schedule_of(loan), done, penalty=penalty)


def _paid_by_loan(loans: list[Loan] | QuerySet, on: dt.date) -> dict[int, Parts]:
    """What each loan had settled by ``on``: repayments and waivers (``loans`` a list, or a
    query of their ids: two grouped queries either way)."""
    rows = (Repayment.objects.filter(loan__in=loans, reversal__isnull=True, date__lte=on).values("loan_id")
            .annotate(penalty=Sum("penalty"), fee=Sum("fee"), interest=Sum("interest"), principal=Sum("principal")))
    out = {r.pop("loan_id"): Parts(**r) for r in rows}
    waivers = (Adjustment.objects.filter(STANDING, loan__in=loans, date__lte=on, kind__in=WAIVERS)
               .values_list("loan_id", "kind", "amount"))
    for loan_id, kind, amount in waivers:
        out[loan_id] = out.get(loan_id, Parts()) + waiver_parts(kind, amount)
    return out


def settlements(loans: list[Loan]) -> list[tuple[int, dt.date, Parts]]:
    """What settled each of ``loans`` and when, oldest first: (loan id, date, parts) of every
    standing repayment and waiver — the events ``_paid_by_loan`` sums up to a day, for a reader
    that follows the loans month by month (the network's facts)."""
    repaid = Repayment.objects.filter(loan__in=loans, reversal__isnull=True).values_list(
        "loan_id", "date", "penalty", "fee", "interest", "principal")
    rows = [(loan_id, on, Parts(*parts)) for loan_id, on, *parts in repaid]
    rows += [(loan_id, on, waiver_parts(kind, amount)) for loan_id, on, kind, amount in Adjustment.objects.filter(
        STANDING, loan__in=loans, kind__in=WAIVERS).values_list("loan_id", "date", "kind", "amount")]
    return sorted(rows, key=lambda row: row[1])


def write_offs(organisation) -> list[tuple[int, dt.date, int]]:
    """(loan id, date, principal) of every standing write-off of the group."""
    return list(Adjustment.objects.filter(STANDING, loan__organisation=organisation, kind=Adjustment.Kind.WRITE_OFF)
                .values_list("loan_id", "date", "amount"))


def penalty_owed_by_loan(loans: list[Loan], paid_by: dict[int, Parts], on: dt.date) -> dict[int, int]:
    """Each loan's penalty charged by ``on`` and neither paid nor waived (``paid_by`` as
    ``_paid_by_loan`` gives it): ``penalty_owed`` for many loans in one query."""
    charged = dict(Adjustment.objects.filter(STANDING, loan__in=loans, date__lte=on, kind=Adjustment.Kind.PENALTY)
                   .values("loan_id").annotate(s=Sum("amount")).values_list("loan_id", "s"))
    return {loan.pk: charged.get(loan.pk, 0) - paid_by.get(loan.pk, Parts()).penalty for loan in loans}


class Held(NamedTuple):
    """A loan as ``standings`` names it: its id and its borrower."""

    pk: int
    member_id: int


def standings(organisation, on: dt.date) -> list[tuple[Held, arrears.Standing]]:
    """Every loan of the group (or of the groups below a network, through ``scoping``) disbursed
    by ``on`` and neither repaid nor written off by then, with its arrears: the loans' columns in
    one query (no model objects; each distinct terms read once), what each had settled in one
    grouped query over the same loans, each schedule read by bisection from its terms
    (``arrears.Plan.of_terms``), or, of a loan rescheduled, from ``schedule_of``."""
    written_off_by = (Adjustment.objects.filter(STANDING, kind=Adjustment.Kind.WRITE_OFF, date__lte=on)
                      .values("loan_id"))
    qs = (scoping.in_scope(Loan.objects.all(), organisation)
          .filter(status__in=(*LIVE, Loan.Status.WRITTEN_OFF), disbursed_on__lte=on).exclude(pk__in=written_off_by))
    paid_by = _paid_by_loan(qs.values("pk"), on)
    rows = list(qs.annotate(terms_text=Cast("terms", TextField())).order_by().values_list(
        "pk", "member_id", "principal", "disbursed_on", "first_due", "rescheduled_on", "terms_text"))
    rescheduled = Loan.objects.in_bulk([row[0] for row in rows if row[5] is not None])
    terms_of: dict[str, schedule.Terms] = {}
    out = []
    for pk, member_id, principal, disbursed_on, first_due, rescheduled_on, text in rows:
        if rescheduled_on is None:
            terms = terms_of.get(text)
            if terms is None:
                terms = terms_of[text] = schedule.Terms.from_dict(json.loads(text))
            plan = arrears.Plan.of_terms(terms, principal, disbursed_on, first_due)
        else:
            plan = plan_of(rescheduled[pk])
        s = plan.standing(paid_by.get(pk, Parts()), principal, on)
        if s.outstanding > 0:
            out.append((Held(pk, member_id), s))
    return out


def portfolio(organisation, on: dt.date) -> arrears.Portfolio:
    """The group's loans on ``on``: gross outstanding, PAR1/30/60/90, aging buckets, arrears rate."""
    return arrears.portfolio([s for _loan, s in standings(organisation, on)])


# --- pages and the API ---------------------------------------------------------------------------

OPEN = (Loan.Status.APPLIED, Loan.Status.APPROVED, Loan.Status.DISBURSED)


def loans_of(organisation) -> QuerySet[Loan]:
    """The loans a user of ``organisation`` may see: its own, or every group's below a network."""
    return scoping.in_scope(Loan.objects.select_related("organisation", "member", "product_version__product"),
                            organisation)


def products(organisation) -> QuerySet[LoanProduct]:
    return scoping.in_scope(LoanProduct.objects.all(), organisation).order_by("code")


def loan_search(organisation, *, query: str = "", status: str = "open", member_id: int | None = None
                ) -> QuerySet[Loan]:
    """Loans newest first, by status ("open": not yet closed, rejected or withdrawn; "all")
    and by a search: a loan number, or the borrower as on the member list (names, number)."""
    qs = loans_of(organisation)
    if status == "open":
        qs = qs.filter(status__in=OPEN)
    elif status in Loan.Status.values:
        qs = qs.filter(status=status)
    if member_id is not None:
        qs = qs.filter(member_id=member_id)
    text = arabic_digits(query or "").strip()
    if text:
        borrowers = member_selectors.member_list(organisation=organisation, query=text).values("pk")
        match = Q(member__in=borrowers)
        if text.isdigit():
            match |= Q(number=int(text))
        qs = qs.filter(match)
    return qs.order_by("-applied_on", "-pk")


@dataclass(frozen=True, slots=True)
class LoanRow:
    loan: Loan
    outstanding: int  # principal not yet repaid (0 before the disbursement)
    days_overdue: int


def loan_rows(loans: list[Loan], on: dt.date) -> list[LoanRow]:
    """A page of loans with their outstanding principal and days overdue on ``on``."""
    paid_by = _paid_by_loan(loans, on)
    rows = []
    for loan in loans:
        if loan.status in LIVE and loan.disbursed_on is not None:
            s = plan_of(loan).standing(paid_by.get(loan.pk, Parts()), loan.principal, on)
            rows.append(LoanRow(loan, s.outstanding, s.days_overdue))
        else:
            rows.append(LoanRow(loan, 0, 0))
    return rows


def member_loans(member, on: dt.date) -> list[LoanRow]:
    """A member's own loans, every status, the newest application first, each with its outstanding
    principal and days overdue on ``on`` (what the member reads on their own page)."""
    return loan_rows(list(Loan.objects.filter(member=member).select_related("member")
                          .order_by("-applied_on", "-pk")), on)


def guaranteed_by(member, on: dt.date) -> list[LoanRow]:
    """The loans ``member`` stands guarantor for (applied, approved or disbursed: what counts in
    their exposure), by loan number, each with its outstanding principal and days overdue on ``on``."""
    return loan_rows([g.loan for g in Guarantor.objects.filter(member=member, loan__status__in=STANDING_FOR)
                      .select_related("loan__member").order_by("loan__number")], on)


def consent_asked(member) -> list[Guarantor]:
    """The applications (still waiting for the committee) that name ``member`` guarantor, each
    as its ``Guarantor`` row with their consent so far, by loan number (the guarantor's own page)."""
    return list(Guarantor.objects.filter(member=member, loan__status=Loan.Status.APPLIED)
                .select_related("loan__member", "loan__organisation").order_by("loan__number"))


def waiting_consent(loans) -> set[int]:
    """The ids of ``loans`` (applications) that wait for a guarantor's consent (pending or declined)."""
    return set(Guarantor.objects.filter(loan__in=[loan.pk for loan in loans if loan.status == Loan.Status.APPLIED])
               .exclude(consent=Guarantor.Consent.GIVEN).values_list("loan_id", flat=True))


EVERY_NAMES = {schedule.WEEK: ("สัปดาห์", "week"), schedule.MONTH: ("เดือน", "month"), schedule.YEAR: ("ปี", "year")}


def terms_summary(terms: dict, lang: str = "th") -> str:
    """The terms in one line, in Thai or English: "ลดต้นลดดอก งวดเท่ากัน 12% ต่อปี 12 งวด รายเดือน"."""
    t = schedule.Terms.from_dict(terms)
    en = lang == "en"
    method = schedule.METHOD_NAMES.get(t.method, (t.method, t.method))[en]
    per = EVERY_NAMES.get(t.per, (t.per, t.per))[en]
    every = EVERY_NAMES.get(t.every, (t.every, t.every))[en]
    parts = [method, f"{t.rate}% a {per}" if en else f"{t.rate}% ต่อ{per}",
             f"{t.term} instalments, one a {every}" if en else f"{t.term} งวด งวดละ 1 {every}"]
    if t.grace_principal:
        parts.append(f"grace on principal {t.grace_principal}" if en else f"ปลอดเงินต้น {t.grace_principal} งวด")
    if t.grace_interest:
        parts.append(f"grace on interest {t.grace_interest}" if en else f"ปลอดดอกเบี้ย {t.grace_interest} งวด")
    if t.rounding > 1:
        parts.append(f"rounded to {format_baht(t.rounding)} baht" if en else f"ปัดงวดละ {format_baht(t.rounding)} บาท")
    if t.penalty_rate:
        parts.append(f"penalty {t.penalty_rate}% a month on overdue principal" if en
                     else f"ค่าปรับ {t.penalty_rate}% ต่อเดือนของเงินต้นค้าง")
    if t.penalty_fine:
        parts.append(f"fine {format_baht(t.penalty_fine)} baht an overdue instalment" if en
                     else f"ค่าปรับงวดละ {format_baht(t.penalty_fine)} บาท")
    if tuple(t.order) != schedule.PARTS:
        parts.append(("paid " if en else "ตัดชำระ ") + " → ".join(PART_NAMES.get(p, (p, p))[en] for p in t.order))
    return " · ".join(parts)


PART_NAMES = {"penalty": ("ค่าปรับ", "penalty"), "fee": ("ค่าธรรมเนียม", "fee"), "interest": ("ดอกเบี้ย", "interest"),
              "principal": ("เงินต้น", "principal")}


def product_summary(product: LoanProduct, on: dt.date, lang: str = "th") -> str:
    """The product's terms and limits in force on ``on``, in one line."""
    v = version_in_force(product, on)
    if v is None:
        return ""
    en = lang == "en"
    line = [terms_summary(v.terms, lang)]
    if v.term_min != v.term_max:
        line.append(f"a term of {v.term_min}–{v.term_max} instalments" if en
                    else f"ผ่อนได้ {v.term_min}–{v.term_max} งวด")
    line.append(f"at most {format_baht(v.max_amount)} baht" if en else f"กู้ได้ไม่เกิน {format_baht(v.max_amount)} บาท")
    if v.savings_multiple:
        times = f"{v.savings_multiple.normalize():f}"
        line.append(f"at most {times} times own savings" if en else f"ไม่เกิน {times} เท่าของเงินออม")
    bands = bands_summary(v.guarantor_bands, lang)
    if bands:
        line.append(bands)
        if v.lien_replaces_guarantors:
            line.append("or a lien on own savings for the whole loan instead" if en
                        else "หรืออายัดเงินฝากของผู้กู้ครบวงเงินกู้แทนผู้ค้ำ")
    return " · ".join(line)


def loans_by_version(product: LoanProduct) -> dict[int, int]:
    """{version id: loans applied for under it}."""
    return dict(Loan.objects.filter(product_version__product=product).values("product_version")
                .annotate(n=Count("pk")).order_by().values_list("product_version", "n"))


def bands_summary(bands, lang: str = "th") -> str:
    """Guarantors by band in words: "ถึง 20,000.00 บาท ผู้ค้ำ 0 คน, เกินนั้น 2 คน"."""
    if not bands or all(n == 0 for _, n in bands):
        return ""
    en, out = lang == "en", []
    for up_to, n in bands:
        if up_to is None:
            out.append((f"above: {n} guarantors" if en else f"เกินนั้น ผู้ค้ำ {n} คน") if len(bands) > 1 else
                       (f"{n} guarantors" if en else f"ผู้ค้ำ {n} คน"))
        else:
            out.append(f"up to {format_baht(up_to)} baht: {n} guarantors" if en
                       else f"ถึง {format_baht(up_to)} บาท ผู้ค้ำ {n} คน")
    return ", ".join(out)


# --- limits -----------------------------------------------------------------------------------------

STANDING_FOR = (Loan.Status.APPLIED, Loan.Status.APPROVED, Loan.Status.DISBURSED)


def guarantor_exposure(member_ids, *, exclude_loan: int | None = None) -> dict[int, int]:
    """What each member already stands for as a guarantor: the principal of applications and
    approved loans, the outstanding principal of disbursed ones (``exclude_loan`` left out)."""
    rows = (Guarantor.objects.filter(member_id__in=list(member_ids), loan__status__in=STANDING_FOR)
            .exclude(loan_id=exclude_loan).select_related("loan"))
    rows = list(rows)
    repaid = dict(Repayment.objects.filter(loan_id__in={r.loan_id for r in rows}, reversal__isnull=True)
                  .values("loan_id").annotate(p=Sum("principal")).values_list("loan_id", "p"))
    out: dict[int, int] = {}
    for r in rows:
        out[r.member_id] = out.get(r.member_id, 0) + r.loan.principal - repaid.get(r.loan_id, 0)
    return out


def in_arrears(member, on: dt.date) -> bool:
    """Whether any disbursed loan of ``member`` has an instalment overdue on ``on``."""
    loans = list(Loan.objects.filter(member=member, status=Loan.Status.DISBURSED, disbursed_on__lte=on))
    paid_by = _paid_by_loan(loans, on)
    return any(plan_of(loan).standing(paid_by.get(loan.pk, Parts()), loan.principal, on).days_overdue
               for loan in loans)


# --- write-off and recovery ----------------------------------------------------------------------

STANDING = Q(status=Adjustment.Status.APPROVED, reversal__isnull=True, reversed_on__isnull=True)
WAIVERS = (Adjustment.Kind.WAIVE_INTEREST, Adjustment.Kind.WAIVE_PENALTY)


def waiver_parts(kind: str, amount: int) -> Parts:
    """A waiver as the part of a loan it settles: interest, or penalty."""
    return Parts(interest=amount) if kind == Adjustment.Kind.WAIVE_INTEREST else Parts(penalty=amount)


def _standing_adjustments(loan: Loan, kind: str) -> QuerySet[Adjustment]:
    return Adjustment.objects.filter(STANDING, loan=loan, kind=kind)


def waived(loan: Loan, on: dt.date | None = None) -> Parts:
    """Interest and penalty waived (approved, not reversed), by ``on`` when given."""
    qs = Adjustment.objects.filter(STANDING, loan=loan, kind__in=WAIVERS)
    if on is not None:
        qs = qs.filter(date__lte=on)
    sums = dict(qs.values("kind").annotate(s=Sum("amount")).values_list("kind", "s"))
    return Parts(interest=sums.get(Adjustment.Kind.WAIVE_INTEREST, 0),
                 penalty=sums.get(Adjustment.Kind.WAIVE_PENALTY, 0))


def settled(loan: Loan) -> Parts:
    """What no longer has to be paid: the repayments' parts and the waivers."""
    return paid(loan) + waived(loan)


def settled_and_penalty(loan: Loan) -> tuple[Parts, int]:
    """(``settled``, ``penalty_owed``) in two queries: the repayments' sums, and the standing
    waivers and penalties summed by kind (what a repayment reads before it is shared out)."""
    by_kind = dict(Adjustment.objects.filter(STANDING, loan=loan, kind__in=(
        Adjustment.Kind.WAIVE_INTEREST, Adjustment.Kind.WAIVE_PENALTY, Adjustment.Kind.PENALTY))
        .values("kind").annotate(s=Sum("amount")).values_list("kind", "s"))
    done = paid(loan) + Parts(interest=by_kind.get(Adjustment.Kind.WAIVE_INTEREST, 0),
                              penalty=by_kind.get(Adjustment.Kind.WAIVE_PENALTY, 0))
    return done, by_kind.get(Adjustment.Kind.PENALTY, 0) - done.penalty


def penalty_owed(loan: Loan) -> int:
    """Penalty charged and neither paid nor waived."""
    return settled_and_penalty(loan)[1]


def last_penalty_date(loan: Loan) -> dt.date | None:
    return _standing_adjustments(loan, Adjustment.Kind.PENALTY).aggregate(d=Max("date"))["d"]


def interest_waivable(loan: Loan) -> int:
    """The scheduled interest not yet paid or waived."""
    return sum(r.interest for r in remaining(schedule_of(loan), settled(loan)))


def written_off(loan: Loan) -> int:
    """The principal written off and standing (not reversed)."""
    return _standing_adjustments(loan, Adjustment.Kind.WRITE_OFF).aggregate(s=Sum("amount"))["s"] or 0


def recovered(loan: Loan) -> int:
    return _standing_adjustments(loan, Adjustment.Kind.RECOVER).aggregate(s=Sum("amount"))["s"] or 0


def recoverable(loan: Loan) -> int:
    """What a recovery may still bring in: written off and not yet recovered."""
    return written_off(loan) - recovered(loan)


def last_transaction_date(loan: Loan) -> dt.date | None:
    """The latest standing repayment, adjustment or reschedule of the loan (None: none yet)."""
    dates = [Repayment.objects.filter(loan=loan, reversal__isnull=True).aggregate(d=Max("date"))["d"],
             Adjustment.objects.filter(STANDING, loan=loan).aggregate(d=Max("date"))["d"], loan.rescheduled_on]
    dates = [d for d in dates if d is not None]
    return max(dates) if dates else None


def pending_adjustment(loan: Loan) -> Adjustment | None:
    return Adjustment.objects.filter(loan=loan, status=Adjustment.Status.PENDING).first()


def penalty_on(loan: Loan, day: dt.date) -> int:
    """The penalty a charge on ``day`` would make: the terms' rate and fine on what is overdue,
    since the previous charge (0: nothing overdue, or no penalty in the terms)."""
    if loan.status != Loan.Status.DISBURSED or loan.terms is None or loan.disbursed_on is None:
        return 0
    terms = schedule.Terms.from_dict(current_terms(loan))
    if not terms.penalty_rate and not terms.penalty_fine:
        return 0
    return penalty.accrued(terms.penalty_rate, terms.penalty_fine, schedule_of(loan), settled(loan),
                           last_penalty_date(loan), day)


# --- a period's loans, for the group reports (group-status, monthly, annual) -----------------------

@dataclass(frozen=True, slots=True)
class PeriodLoans:
    """Loans of a group (or the groups below a network) over a period, money in satang. Each
    movement counts on its date and a reversal takes it back on the reversal's date, as the books
    do: ``opening + disbursed − repaid − written_off = closing`` is the movement of 1300, and
    ``interest`` is 4710's (loan interest received), ``penalty`` 4720's, ``recovered`` what came
    back after a write-off (4800)."""

    opening: int
    disbursed: int
    disbursed_count: int
    repaid: int  # principal
    interest: int
    penalty: int  # penalties and fees received
    written_off: int
    written_off_count: int
    recovered: int
    portfolio: arrears.Portfolio  # at the end: gross outstanding, PAR, arrears rate
    loans: int  # loans outstanding at the end
    borrowers: int  # members with a loan outstanding at the end

    @property
    def closing(self) -> int:
        return self.opening + self.disbursed - self.repaid - self.written_off


def _between(field: str, start: dt.date | None, end: dt.date) -> Q:
    q = Q(**{f"{field}__lte": end})
    return q & Q(**{f"{field}__gte": start}) if start is not None else q


def _net(qs: QuerySet, fields: dict[str, object], start: dt.date | None, end: dt.date) -> dict[str, int]:
    """Σ of each expression over rows dated in [start, end] less those whose reversal entry is
    dated there: one query."""
    sums = {}
    for name, expr in fields.items():
        sums[f"{name}_in"] = Sum(expr, filter=_between("date", start, end))
        sums[f"{name}_out"] = Sum(expr, filter=_between("reversal__date", start, end))
    row = qs.aggregate(**sums)
    return {name: (row[f"{name}_in"] or 0) - (row[f"{name}_out"] or 0) for name in fields}


def has_loans(organisation, on: dt.date) -> bool:
    """Whether any loan in scope was disbursed by ``on`` (the reports' loans part shows then)."""
    return scoping.in_scope(Loan.objects.all(), organisation).filter(disbursed_on__lte=on).exists()


def period_loans(organisation, start: dt.date | None, end: dt.date) -> PeriodLoans:
    """The period's loans from ``start`` (None: from the first loan) to ``end``: six queries and
    the schedules of the loans outstanding at the end."""
    loans = scoping.in_scope(Loan.objects.all(), organisation).filter(disbursed_on__isnull=False)
    repayments = scoping.in_scope(Repayment.objects.all(), organisation)
    adjustments = scoping.in_scope(Adjustment.objects.filter(status=Adjustment.Status.APPROVED,
                                                             entry__isnull=False), organisation)
    before = start - dt.timedelta(days=1) if start is not None else None

    def moved(since, until):
        if until is None:
            return {"disbursed": 0, "count": 0, "principal": 0, "interest": 0, "penalty": 0, "off": 0, "n": 0,
                    "recovered": 0}
        out = loans.aggregate(disbursed=Sum("principal", filter=_between("disbursed_on", since, until)),
                              count=Count("pk", filter=_between("disbursed_on", since, until)))
        out = {k: v or 0 for k, v in out.items()}
        out.update(_net(repayments, {"principal": F("principal"), "interest": F("interest"),
                                     "penalty": F("penalty") + F("fee")}, since, until))
        off = _net(adjustments.filter(kind=Adjustment.Kind.WRITE_OFF), {"off": F("amount"), "n": Value(1)},
                   since, until)
        out.update(off)
        out.update(_net(adjustments.filter(kind=Adjustment.Kind.RECOVER), {"recovered": F("amount")}, since, until))
        return out

    earlier, now = moved(None, before), moved(start, end)
    opening = earlier["disbursed"] - earlier["principal"] - earlier["off"]
    at_end = standings(organisation, end)
    return PeriodLoans(opening=opening, disbursed=now["disbursed"], disbursed_count=now["count"],
                       repaid=now["principal"], interest=now["interest"], penalty=now["penalty"],
                       written_off=now["off"], written_off_count=now["n"], recovered=now["recovered"],
                       portfolio=arrears.portfolio([s for _loan, s in at_end]), loans=len(at_end),
                       borrowers=len({loan.member_id for loan, _s in at_end}))


# --- reschedules ----------------------------------------------------------------------------------

def pending_reschedule(loan: Loan) -> Reschedule | None:
    return Reschedule.objects.filter(loan=loan, status=Reschedule.Status.PENDING).first()


def reschedule_max_term(loan: Loan, on: dt.date, every: str | None = None) -> int:
    """The longest new term a reschedule may have: the longest term (``term_max``) of the loan's
    product in force on ``on`` (the version the loan was approved under when none is in force
    then), in instalments of the product's own period, or as long a time in instalments
    ``every`` week, month or year when the new schedule's period is another (36 months: 156
    weeks, 3 years); never under one instalment."""
    version = version_in_force(loan.product_version.product, on) or loan.product_version
    own = version.terms["every"]
    if every is None or every == own or every not in schedule.PERIODS_A_YEAR or own not in schedule.PERIODS_A_YEAR:
        return version.term_max
    return max(1, version.term_max * schedule.PERIODS_A_YEAR[every] // schedule.PERIODS_A_YEAR[own])


def counted_in_reschedule(repayment: Repayment) -> bool:
    """Whether a standing reschedule counted this repayment among the parts settled before it
    (it cannot be reversed while that reschedule stands)."""
    return Reschedule.objects.filter(STANDING_RESCHEDULE, loan_id=repayment.loan_id,
                                     repayments_to__gte=repayment.pk).exists()


def waiver_counted_in_reschedule(adjustment: Adjustment) -> bool:
    """Whether a standing reschedule counted this waiver among the parts settled before it."""
    if adjustment.kind not in (Adjustment.Kind.WAIVE_INTEREST, Adjustment.Kind.WAIVE_PENALTY) \
            or adjustment.decided_at is None:
        return False
    return Reschedule.objects.filter(STANDING_RESCHEDULE, loan_id=adjustment.loan_id,
                                     decided_at__gte=adjustment.decided_at).exists()


def settled_since(r: Reschedule) -> bool:
    """Whether anything was settled or charged on the loan since the reschedule was approved:
    a repayment after those it counted, a waiver or a penalty approved after it."""
    return (Repayment.objects.filter(loan_id=r.loan_id, reversal__isnull=True, pk__gt=r.repayments_to).exists()
            or Adjustment.objects.filter(STANDING, loan_id=r.loan_id, decided_at__gt=r.decided_at).exists())


@dataclass(frozen=True)
class ReschedulePreview:
    """What a reschedule would make of a loan now: the outstanding principal lent anew, the
    unpaid interest kept (due with the first new instalment) and the schedule after it (the
    settled part, then the new instalments from ``rows[first_new]``)."""

    outstanding: int
    kept_interest: int
    rows: list[schedule.Instalment]
    first_new: int


def reschedule_preview(loan: Loan, terms: schedule.Terms, on: dt.date, first_due: dt.date) -> ReschedulePreview:
    """The schedule a reschedule to ``terms`` on ``on`` would put in force if approved now
    (``reschedule.continued`` of the current schedule; raises ``RuleViolation`` as
    ``schedule.build`` does)."""
    before, done = schedule_of(loan), settled(loan)
    rows = reschedule.continued(before, done, on, terms, first_due)
    return ReschedulePreview(outstanding=reschedule.outstanding(before, done),
                             kept_interest=reschedule.kept_interest(before, done, on), rows=rows,
                             first_new=len(reschedule.settled_part(before, done)))


def reschedules_pending(organisation) -> QuerySet[Reschedule]:
    """Reschedules waiting for a second person, oldest first (the approval queue)."""
    return (scoping.in_scope(Reschedule.objects.select_related("loan__member", "organisation", "requested_by"),
                             organisation).filter(status=Reschedule.Status.PENDING).order_by("created_at", "pk"))


# --- securities: liens and collateral ------------------------------------------------------------

LIEN_HOLDS = (Loan.Status.APPLIED, Loan.Status.APPROVED, Loan.Status.DISBURSED, Loan.Status.WRITTEN_OFF)


def _claims(loans: list[Loan]) -> dict[int, int | None]:
    """{loan id: what its liens may hold in all}: None (the whole pledge) for an application or
    an approved loan; the outstanding principal of a disbursed loan; what was written off and
    not yet recovered of a written-off one."""
    ids = [loan.pk for loan in loans]
    repaid = dict(Repayment.objects.filter(loan_id__in=ids, reversal__isnull=True).values("loan_id")
                  .annotate(p=Sum("principal")).values_list("loan_id", "p"))
    adjusted: dict[tuple[int, str], int] = {
        (loan_id, kind): total for loan_id, kind, total in Adjustment.objects.filter(
            STANDING, loan_id__in=ids, kind__in=(Adjustment.Kind.WRITE_OFF, Adjustment.Kind.RECOVER))
        .values("loan_id", "kind").annotate(s=Sum("amount")).values_list("loan_id", "kind", "s")}
    out: dict[int, int | None] = {}
    for loan in loans:
        if loan.status == Loan.Status.DISBURSED:
            out[loan.pk] = loan.principal - (repaid.get(loan.pk) or 0)
        elif loan.status == Loan.Status.WRITTEN_OFF:
            out[loan.pk] = (adjusted.get((loan.pk, Adjustment.Kind.WRITE_OFF), 0)
                            - adjusted.get((loan.pk, Adjustment.Kind.RECOVER), 0))
        else:
            out[loan.pk] = None
    return out


def lien_holds(securities: list[LoanSecurity]) -> dict[int, int]:
    """{security id: satang it holds now} of ``securities`` (liens, their loans selected).

    Derived from each loan's state, so nothing can drift: an application and an approved loan
    hold what was pledged; a disbursed loan holds at most its outstanding principal, its liens
    in their order (first row first) — the pledge secures the debt, so as the borrower repays,
    their savings are freed and a loan nearly repaid does not keep the whole pledge locked; a
    written-off loan holds at most what was written off and not yet recovered (the fund still
    has its claim, and the lien is how it collects); a rejected, withdrawn or closed loan holds
    nothing."""
    loans = {s.loan_id: s.loan for s in securities}
    live = [loan for loan in loans.values() if loan.status in LIEN_HOLDS]
    claims = _claims(live)
    liens = (LoanSecurity.objects.filter(loan_id__in=list(claims)).exclude(kind=LoanSecurity.Kind.COLLATERAL)
             .order_by("loan_id", "position").values_list("pk", "loan_id", "amount"))
    out: dict[int, int] = {}
    left = dict(claims)
    for pk, loan_id, amount in liens:
        claim = left[loan_id]
        out[pk] = amount if claim is None else max(min(amount, claim), 0)
        if claim is not None:
            left[loan_id] = claim - out[pk]
    return {s.pk: out.get(s.pk, 0) for s in securities}


def liens_held(account_ids) -> list[holdings.Hold]:
    """What the liens of live loans hold on each of ``account_ids`` (savings' ids): the function
    loans registers in ``ledger.holdings`` (``LoansConfig.ready``), so savings' rules refuse a
    withdrawal, a close, a transfer, a reversal or a payout below it without importing loans."""
    securities = list(LoanSecurity.objects.filter(savings_account__in=list(account_ids),
                                                  loan__status__in=LIEN_HOLDS)
                      .exclude(kind=LoanSecurity.Kind.COLLATERAL).select_related("loan"))
    held = lien_holds(securities)
    return [holdings.Hold(s.savings_account, held[s.pk], f"เงินกู้สัญญา {s.loan.number}", f"loan {s.loan.number}")
            for s in sorted(securities, key=lambda s: (s.loan.number, s.position)) if held[s.pk] > 0]


@dataclass(frozen=True)
class SecurityRow:
    """A loan's security as its page, the API and the CLI show it: ``held`` what a lien holds now."""

    security: LoanSecurity
    held: int

    @property
    def holds(self) -> bool:
        return self.held > 0


def securities_of(loan: Loan) -> list[SecurityRow]:
    rows = list(loan.securities.all())
    for s in rows:
        s.loan = loan
    held = lien_holds([s for s in rows if s.is_lien])
    return [SecurityRow(s, held.get(s.pk, 0)) for s in rows]


def security_text(s: LoanSecurity, lang: str = "th") -> str:
    """One line: "อายัดเงินฝาก S-0001 จำนวน 5,000.00 บาท" / "land title: … (No. 1234), appraised at 200,000.00 baht"."""
    if s.is_lien:
        if lang == "en":
            what = "shares" if s.kind == LoanSecurity.Kind.SHARES_LIEN else "savings"
            return f"lien on {what} {s.account_number}: {format_baht(s.amount)} baht"
        what = "หุ้น" if s.kind == LoanSecurity.Kind.SHARES_LIEN else "เงินฝาก"
        return f"อายัด{what} {s.account_number} จำนวน {format_baht(s.amount)} บาท"
    names = {"land_title": ("โฉนดที่ดิน", "land title"), "vehicle": ("ยานพาหนะ", "vehicle"), "other": ("อื่น ๆ", "other")}
    th, en = names.get(s.collateral, (s.collateral, s.collateral))
    if lang == "en":
        doc = f" (No. {s.document_no})" if s.document_no else ""
        return f"{en}: {s.description}{doc}, appraised at {format_baht(s.value)} baht"
    doc = f" (เลขที่ {s.document_no})" if s.document_no else ""
    return f"{th}: {s.description}{doc} ราคาประเมิน {format_baht(s.value)} บาท"
