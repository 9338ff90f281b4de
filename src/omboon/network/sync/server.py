"""The server's side of a sync: enrolment codes, tokens, and ``apply_batch`` with its appliers."""

from __future__ import annotations

import datetime as dt
import hmac
import json
import secrets

from django.db import transaction
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime

from omboon.core import audit
from omboon.core.errors import raise_if
from omboon.ledger import bulk as ledger_bulk
from omboon.ledger import services as ledger_services
from omboon.ledger.models import Account
from omboon.loans import bulk as loans_bulk
from omboon.members import bulk as member_bulk
from omboon.members import services as member_services
from omboon.members.models import Beneficiary, Member
from omboon.network import receivers, rules
from omboon.network.models import (
    Enrolment,
    FactMonth,
    MonthlyFact,
    NodeToken,
    SharingPolicy,
)
from omboon.network.sync.protocol import (
    CLAIM_FIELDS,
    ENROLMENT_DAYS,
    MEMBER_FIELDS,
    ORG_FIELDS,
    SyncRefused,
    sha256,
    sign,
)
from omboon.orgs import services as org_services
from omboon.orgs.models import Organisation
from omboon.orgs.selectors import ancestors
from omboon.savings import bulk as savings_bulk
from omboon.welfare import bulk as welfare_bulk
from omboon.welfare.models import BenefitScheme, RuleVersion


def org_details(org: Organisation) -> list[dict]:
    """The group and the networks above it, root first (what an empty laptop needs)."""

    return [{f: (str(getattr(o, f)) if f == "founded_on" and getattr(o, f) else getattr(o, f)) for f in ORG_FIELDS}
            for o in [*ancestors(org), org]]



def enrolment_create(*, actor, organisation) -> str:
    """A one-time code for the group's laptop (shown once; only its hash is kept)."""
    raise_if(rules.check_enrolling(organisation))
    code = "-".join(secrets.token_hex(2).upper() for _ in range(3))
    Enrolment.objects.create(organisation=organisation, code_hash=sha256(code),
                             expires_at=timezone.now() + dt.timedelta(days=ENROLMENT_DAYS))
    audit.record(actor=actor, action="network.enrolment_create", organisation=organisation,
                 summary="ออกรหัสลงทะเบียนเครื่องของกลุ่ม / enrolment code issued")
    return code


@transaction.atomic
def enrolment_redeem(*, code: str, group_code: str) -> tuple[Organisation, str]:
    enrolment = (Enrolment.objects.select_for_update().select_related("organisation")
                 .filter(code_hash=sha256((code or "").strip().upper()), used_at__isnull=True).first())
    if enrolment is None or enrolment.expires_at < timezone.now() or enrolment.organisation.code != group_code:
        raise SyncRefused(403, "code", "รหัสลงทะเบียนไม่ถูกต้อง ใช้แล้ว หรือหมดอายุ",
                          "the enrolment code is wrong, used or expired")
    org = enrolment.organisation
    enrolment.used_at = timezone.now()
    enrolment.save(update_fields=["used_at"])
    token = secrets.token_urlsafe(32)
    NodeToken.objects.filter(organisation=org, revoked_at__isnull=True).update(revoked_at=timezone.now())
    NodeToken.objects.create(organisation=org, token_hash=sha256(token))  # its laptop sends from item 1
    org_services.organisation_mark_remote(actor=None, organisation=org)
    audit.record(actor=None, action="network.enrolment_redeem", organisation=org,
                 summary="เครื่องของกลุ่มลงทะเบียนแล้ว / the group's laptop enrolled")
    return org, token


@transaction.atomic
def token_revoke(*, actor, organisation) -> int:
    n = NodeToken.objects.filter(organisation=organisation, revoked_at__isnull=True).update(revoked_at=timezone.now())
    audit.record(actor=actor, action="network.token_revoke", organisation=organisation,
                 summary=f"เพิกถอนโทเค็นซิงก์/revoked sync tokens: {n}")
    return n


def authenticate(token: str, group_code: str, *, lock: bool = False) -> NodeToken:
    qs = NodeToken.objects.select_related("organisation")
    if lock:
        qs = qs.select_for_update()
    node = qs.filter(token_hash=sha256(token or "")).first()
    if node is None or node.revoked_at is not None or node.organisation.code != group_code:
        raise SyncRefused(401, "token", "โทเค็นไม่ถูกต้องหรือถูกเพิกถอน", "the token is wrong or revoked")
    return node


def apply_batch(*, token: str, group_code: str, seq: int, signature: str, body: bytes) -> tuple[int, bool]:
    """(last applied, applied now). Refusals raise ``SyncRefused`` and change nothing."""
    with transaction.atomic():
        node = authenticate(token, group_code, lock=True)
        if not hmac.compare_digest(sign(token, body, seq), signature or ""):
            raise SyncRefused(403, "signature", "ลายเซ็นไม่ตรงกับข้อมูล", "the signature does not match the body")
        try:
            data = json.loads(body)
        except ValueError:
            raise SyncRefused(400, "body", "ข้อมูลไม่ใช่ JSON", "the body is not JSON") from None
        if data.get("kind") not in APPLY:
            raise SyncRefused(400, "kind", "ไม่รู้จักชนิดข้อมูล", "unknown kind of item")
        if data.get("seq") != seq or data.get("group") != group_code:
            raise SyncRefused(400, "seq", "ลำดับในข้อมูลไม่ตรงกับส่วนหัว", "the body's sequence does not match")
        if seq <= node.last_applied_seq:
            return node.last_applied_seq, False  # a replay: already applied, nothing changes
        if seq != node.last_applied_seq + 1:
            raise SyncRefused(409, "seq", f"ข้ามลำดับ: ต้องส่งชุดที่ {node.last_applied_seq + 1} ก่อน",
                              f"out of order: item {node.last_applied_seq + 1} comes first")
        org = node.organisation
        with receivers.applying_sync():
            count = APPLY[data["kind"]](org, data["payload"])
        node.last_applied_seq = seq
        node.last_sync_at = timezone.now()
        node.save(update_fields=["last_applied_seq", "last_sync_at"])
        audit.record(actor=None, action="network.apply_batch", organisation=org,
                     summary=f"รับข้อมูลซิงก์ชุดที่/applied sync item {seq}: {data['kind']} ({count})",
                     after={"seq": seq, "kind": data["kind"], "rows": count})
        return seq, True


def _apply_sharing(org, payload) -> int:
    sharing = payload["sharing"]
    policy, _ = SharingPolicy.objects.get_or_create(organisation=org)
    policy.sharing = sharing
    policy.save()
    if sharing == SharingPolicy.Sharing.AGGREGATES:
        withdraw_personal_data(org)
    return 1


def withdraw_personal_data(org) -> dict:
    """A synced group now shares aggregates only: the server keeps no personal data of it.

    Journal entries are money and immutable, and their lines point at members, so the group's
    Member rows stay — anonymised in place: the member number, sex, status and its dates and
    the join date are kept; names, the national ID (replaced by a placeholder that keeps the
    per-group uniqueness), its hash, phone, address and vulnerability flags are blanked and the
    birth date becomes 1 July of the birth year. Beneficiaries, claims with their payees and
    details, status-change reasons and the laptop's user names (the inactive users that stood
    for them) are deleted. Schemes and their rules, the chart, entries and month closes stay."""
    claims = welfare_bulk.claims_withdraw(organisation=org)
    beneficiaries = Beneficiary.objects.filter(organisation=org).count()
    anonymised = member_services.members_anonymise(Member.objects.filter(organisation=org))
    org_services.stand_in_users_delete(organisation=org)
    counts = {"members_anonymised": anonymised, "claims_deleted": claims, "beneficiaries_deleted": beneficiaries}
    audit.record(actor=None, action="network.withdraw_personal_data", organisation=org,
                 summary="กลุ่มเลือกส่งเฉพาะตัวเลขสรุป: ลบข้อมูลส่วนบุคคลบนเซิร์ฟเวอร์แล้ว / the group shares "
                         "aggregates only: its personal data was removed from the server", after=counts)
    return counts


class _NodeUsers:
    """The laptop's users as inactive stand-ins on the server (``orgs.services.stand_in_user``):
    a claim keeps who made and who approved it, and they stay two different people."""

    def __init__(self, org):
        self.org = org
        self.cache: dict[str, object] = {}

    def __call__(self, username: str | None):
        if not username:
            return None
        if username not in self.cache:
            self.cache[username] = org_services.stand_in_user(organisation=self.org, username=username)
        return self.cache[username]


def _apply_chart(org, payload) -> int:
    return ledger_bulk.chart_receive(organisation=org, accounts=payload["accounts"], funds=payload["funds"])


def _member_values(row: dict) -> dict:
    values = {k: row.get(k) for k in MEMBER_FIELDS}
    values["birth_date"] = parse_date(row["birth_date"])
    values["join_date"] = parse_date(row["join_date"])
    values["status_date"] = parse_date(row["status_date"]) if row.get("status_date") else None
    for key in ("title", "phone", "house_no", "street", "subdistrict_code", "district_code", "province_code",
                "postcode"):
        values[key] = values[key] or ""
    for key in ("disabled", "chronically_ill", "low_income"):
        values[key] = bool(values[key])
    return values


def _apply_members(org, rows) -> int:
    return member_bulk.members_receive(
        organisation=org, members=[_member_values(row) for row in rows],
        beneficiaries={row["number"]: row.get("beneficiaries", []) for row in rows})


def _apply_schemes(org, rows) -> int:
    accounts = dict(Account.objects.filter(organisation=org).values_list("code", "pk"))
    return welfare_bulk.schemes_receive(organisation=org, schemes=[welfare_bulk.ReceivedScheme(
        row["name_th"], row["name_en"], row["category"], row["custom_label"], accounts[row["expense_account"]],
        row["is_active"], [(parse_date(day), rule, note) for day, rule, note in row["versions"]]) for row in rows])


def _apply_entries(org, rows) -> int:
    """Entries not yet on the server go in through ``ledger.bulk.entries_insert_posted``
    (executemany / COPY, checked by the database as a batch). Entries for a month the server
    holds as closed reopen it first (the periods that follow in the outbox close it again)."""
    if not rows:
        return 0
    entries = [_posted_entry(r) for r in rows]
    known = ledger_bulk.entry_ids(org, [e.key for e in entries])
    fresh = [e for e in entries if e.key not in known]
    if not fresh:
        return 0
    first = min(e.date for e in fresh)
    # the laptop reopened those months (the periods that follow in its outbox close them again)
    ledger_services.periods_reopen_from(actor=None, organisation=org, year=first.year, month=first.month,
                                        reason="เครื่องของกลุ่มส่งรายการของเดือนที่ปิดแล้ว / "
                                               "the group's laptop sent entries for a closed month")
    try:
        return ledger_bulk.entries_insert_posted(organisation=org, entries=fresh)
    except LookupError:
        raise SyncRefused(400, "reverses", "รายการกลับบัญชีอ้างถึงรายการที่ไม่มีบนเซิร์ฟเวอร์",
                          "a reversal refers to an entry the server does not have") from None
    except KeyError as exc:
        raise SyncRefused(400, "payload", f"รหัสบัญชี กองทุน หรือสมาชิก {exc} ไม่มีบนเซิร์ฟเวอร์: ส่งชุดก่อนหน้าไม่ครบ",
                          f"account, fund or member {exc} is not on the server: an earlier item is missing") from None


def _posted_entry(row: list) -> ledger_bulk.PostedEntry:
    """An "entries" item's row (``protocol.ENTRY_COLUMNS``) as the ledger takes it."""
    doc_type, fiscal_year, number, day, memo, total, source_type, source_id, key, posted, reverses, lines = row
    return ledger_bulk.PostedEntry(
        doc_type, fiscal_year, number, parse_date(day), memo, total, source_type, source_id, key,
        parse_datetime(posted), tuple(reverses) if reverses else None,
        [ledger_bulk.PostedLine(*line) for line in lines])


def _need(found: dict, key, th: str, en: str):
    """A record a synced item refers to; the item is refused (400, nothing changes) without it."""
    if key not in found:
        raise SyncRefused(400, "payload", f"{th} {key} ไม่มีบนเซิร์ฟเวอร์: ส่งชุดก่อนหน้าไม่ครบ",
                          f"{en} {key} is not on the server: an earlier item is missing")
    return found[key]


def _apply_sub_accounts(org, rows) -> int:
    try:
        return ledger_bulk.sub_accounts_receive(organisation=org, rows=[
            [n, code, member, kind, name, parse_date(day)] for n, code, member, kind, name, day in rows])
    except KeyError as exc:
        raise SyncRefused(400, "payload", f"รหัสบัญชีหรือสมาชิก {exc} ไม่มีบนเซิร์ฟเวอร์: ส่งชุดก่อนหน้าไม่ครบ",
                          f"account or member {exc} is not on the server: an earlier item is missing") from None


def _apply_savings_products(org, rows) -> int:
    return savings_bulk.products_receive(organisation=org, rows=rows)


def _apply_savings_accounts(org, rows) -> int:
    try:
        return savings_bulk.accounts_receive(organisation=org, rows=rows)
    except KeyError as exc:
        raise SyncRefused(400, "payload", f"ประเภทเงินฝาก สมาชิก หรือบัญชี {exc} ไม่มีบนเซิร์ฟเวอร์: ส่งชุดก่อนหน้าไม่ครบ",
                          f"product, member or account {exc} is not on the server: an earlier item is missing") \
            from None


def _apply_loan_products(org, rows) -> int:
    return loans_bulk.products_receive(organisation=org, rows=rows)


def _apply_loans(org, rows) -> int:
    """Loans by number with their guarantors, securities, repayments and adjustments (the loans app's
    ``bulk.loans_receive``); the people who acted as stand-ins, as on claims."""
    keys = {tuple(k) for row in rows for part in (row["loan"], *row["repayments"], *row["adjustments"])
            for k in (part.get("disbursement"), part.get("entry"), part.get("reversal")) if k}
    try:
        return loans_bulk.loans_receive(organisation=org, rows=rows, users=_NodeUsers(org),
                                        entries=ledger_bulk.entry_ids(org, keys))
    except KeyError as exc:
        raise SyncRefused(400, "payload", f"สมาชิก ประเภทเงินกู้ รายการบัญชี หรือสัญญา {exc} ไม่มีบนเซิร์ฟเวอร์: "
                          "ส่งชุดก่อนหน้าไม่ครบ", f"member, loan product, entry or loan {exc} is not on the server: "
                          "an earlier item is missing") from None


def _apply_claims(org, rows) -> int:
    """Claims by their natural key (member number, scheme name, event key, submitted at):
    changed ones are updated before new ones are added (a reversed claim frees its event
    for the claim that replaces it); payees are replaced."""
    members = dict(Member.objects.filter(organisation=org, number__in={r["member"] for r in rows})
                   .values_list("number", "pk"))
    schemes = {s.name_th: s for s in BenefitScheme.objects.filter(organisation=org)}
    versions = {(v.scheme_id, v.effective_from): v.pk for v in RuleVersion.objects.filter(organisation=org)}
    entries = ledger_bulk.entry_ids(org, {tuple(k) for r in rows for k in (r["entry"], r["reversal"]) if k})
    users = _NodeUsers(org)
    received = []
    for row in rows:
        scheme = _need(schemes, row["scheme"], "สวัสดิการ", "scheme")
        values = {f: row[f] for f in CLAIM_FIELDS}
        values.update(
            event_date=parse_date(row["event_date"]), submitted_at=parse_datetime(row["submitted_at"]),
            decided_at=parse_datetime(row["decided_at"]) if row["decided_at"] else None,
            paid_on=parse_date(row["paid_on"]) if row["paid_on"] else None,
            member_id=_need(members, row["member"], "สมาชิก", "member"), scheme_id=scheme.pk,
            rule_version_id=_need(versions, (scheme.pk, parse_date(row["rule_version"])), "กติกา", "rule version"),
            submitted_by=users(row["submitted_by"]), approved_by=users(row["approved_by"]),
            paid_by=users(row["paid_by"]),
            entry_id=_need(entries, tuple(row["entry"]), "รายการบัญชี", "entry") if row["entry"] else None,
            reversal_id=_need(entries, tuple(row["reversal"]), "รายการบัญชี", "entry") if row["reversal"] else None)
        received.append(welfare_bulk.ReceivedClaim(values, [tuple(p) for p in row["payees"]]))
    return welfare_bulk.claims_receive(organisation=org, claims=received)


def _apply_periods(org, periods) -> int:
    return ledger_bulk.periods_receive(organisation=org, periods=[ledger_bulk.ReceivedPeriod(
        p["year"], p["month"], p["status"], parse_datetime(p["closed_at"]) if p["closed_at"] else None,
        p["balances"]) for p in periods])


def _apply_facts(org, months) -> int:
    yms = [m["ym"] for m in months]
    MonthlyFact.objects.filter(organisation=org, ym__in=yms).delete()
    FactMonth.objects.filter(organisation=org, ym__in=yms).delete()
    now = timezone.now()
    live = [m for m in months if not m.get("deleted")]
    FactMonth.objects.bulk_create([
        FactMonth(organisation=org, ym=m["ym"], closed_at=parse_datetime(m["closed_at"]) if m["closed_at"] else None,
                  computed_at=now, source=FactMonth.Source.SYNC) for m in live])
    MonthlyFact.objects.bulk_create([
        MonthlyFact(organisation=org, ym=m["ym"], kind=k, key=key, count=c, amount=a)
        for m in live for k, key, c, a in m["facts"]], batch_size=2000)
    return len(months)


APPLY = {"sharing": _apply_sharing, "chart": _apply_chart, "members": _apply_members, "schemes": _apply_schemes,
         "sub_accounts": _apply_sub_accounts, "savings_products": _apply_savings_products,
         "savings_accounts": _apply_savings_accounts, "entries": _apply_entries, "claims": _apply_claims,
         "loan_products": _apply_loan_products, "loans": _apply_loans, "periods": _apply_periods,
         "facts": _apply_facts}

