"""Standalone group (a laptop, SQLite) → its network's server (PostgreSQL).

On the laptop, ``stage`` turns what changed since the last staging into numbered outbox
items (``OutboxItem.seq``: per group, gapless, in order): the sharing choice, the chart,
members with their beneficiaries, benefit schemes with their rule versions, journal entries
with their lines (plain lists, ``ENTRY_COLUMNS``), welfare claims with their decisions, payees
and the entries that paid or reversed them, month closes with their balances, monthly facts.
A group that shares aggregates only stages its facts and nothing else. ``push`` sends the
items after the server's last acknowledged one, each signed HMAC-SHA256(token, body + seq).

On the server, ``apply_batch`` checks the token (only its sha256 is stored; revoked tokens
refused), the signature, and the sequence: a replay (seq ≤ last applied) changes nothing, a
gap (seq > last + 1) is refused, the next one is applied in one transaction together with
the new last-applied number — so a cut connection or a kill -9 on either side resumes where
it stopped. Records are matched by natural keys (member number, document number, account
and fund codes, scheme name, a claim's member + scheme + event key + submission time), never
by ids, which differ between the two databases. Entries go in set-based, through the ledger
(``ledger.bulk.entries_insert_posted``: executemany/COPY, checked by the database as a batch).

Sharing: when a group switches to aggregates only, the server keeps no personal data of it
(``withdraw_personal_data``: members anonymised in place, since the immutable journal lines
point at them; claims, payees and beneficiaries deleted). The laptop forgets what it had
staged of its records, so switching back to full sends all of them again.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import os
import secrets
import urllib.error
import urllib.request
from collections.abc import Callable

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime

from omboon.core import audit, national_id
from omboon.core.errors import Problem, RuleViolation
from omboon.ledger import bulk as ledger_bulk
from omboon.ledger.models import Account, Fund, JournalEntry, JournalLine, Period, PeriodBalance
from omboon.members import services as member_services
from omboon.members.models import Beneficiary, Member
from omboon.network import receivers
from omboon.network.models import (
    Enrolment,
    FactMonth,
    MonthlyFact,
    NodeConfig,
    NodeToken,
    OutboxItem,
    SharingPolicy,
    StagedState,
)
from omboon.orgs.models import Organisation
from omboon.welfare.models import BenefitScheme, Claim, ClaimPayee, RuleVersion

MEMBER_FIELDS = ["number", "title", "first_name", "last_name", "sex", "national_id", "birth_date", "join_date",
                 "phone", "house_no", "moo", "street", "subdistrict_code", "district_code", "province_code",
                 "postcode", "status", "status_date", "disabled", "chronically_ill", "low_income"]
# One journal entry in an "entries" item: a list in this order; ``reverses`` is the reversed
# entry's [doc_type, fiscal_year, number], ``lines`` [[account, fund, member number, debit,
# credit, memo], ...].
ENTRY_COLUMNS = ["doc_type", "fiscal_year", "number", "date", "memo", "total", "source_type", "source_id",
                 "idempotency_key", "posted_at", "reverses", "lines"]
CLAIM_FIELDS = ["event_date", "event_key", "nights", "cost", "details", "documents", "status", "amount",
                "eligibility", "submitted_at", "decided_at", "reject_reason", "paid_on", "reverse_reason"]
# What a group that shares full records sends, and forgets having sent when its choice changes
# (so that switching back to full sends all of it again).
PERSONAL_KINDS = {"chart", "member", "scheme", "claim", "period"}
# Rows per outbox item; OMBOON_SYNC_BATCH makes items small (tests that cut a sync halfway).
MEMBERS_PER_ITEM = int(os.environ.get("OMBOON_SYNC_BATCH", 1000))
ENTRIES_PER_ITEM = int(os.environ.get("OMBOON_SYNC_BATCH", 10000))
CLAIMS_PER_ITEM = int(os.environ.get("OMBOON_SYNC_BATCH", 1000))
ENROLMENT_DAYS = 14


def sha256(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def sign(token: str, body: bytes, seq: int) -> str:
    return hmac.new(token.encode(), body + str(seq).encode(), hashlib.sha256).hexdigest()


def _digest(value) -> str:
    return hashlib.sha256(json.dumps(value, sort_keys=True, default=str).encode()).hexdigest()


def _iso(value) -> str | None:
    return value.isoformat() if value is not None else None


class SyncRefused(RuleViolation):
    """The server refused a request; ``status`` is the HTTP status to answer with."""

    def __init__(self, status: int, field: str, th: str, en: str):
        super().__init__([Problem(field, th, en)])
        self.status = status


# === the laptop ============================================================================

def _sharing(organisation) -> str:
    policy = SharingPolicy.objects.filter(organisation=organisation).first()
    return policy.sharing if policy else SharingPolicy.Sharing.FULL


class _Stager:
    def __init__(self, organisation):
        self.org = organisation
        self.seq = OutboxItem.objects.filter(organisation=organisation).aggregate(m=Max("seq"))["m"] or 0
        self.state = {(k, key): d for k, key, d in
                      StagedState.objects.filter(organisation=organisation).values_list("kind", "key", "digest")}
        self.items: list[OutboxItem] = []
        self.changed: dict[tuple[str, str], str] = {}
        self.removed: list[tuple[str, str]] = []

    def add(self, kind: str, payload) -> None:
        self.seq += 1
        self.items.append(OutboxItem(organisation=self.org, seq=self.seq, kind=kind,
                                     payload=json.dumps(payload, default=str, ensure_ascii=False)))

    def add_batches(self, kind: str, rows: list, size: int) -> None:
        for i in range(0, len(rows), size):
            self.add(kind, rows[i:i + size])

    def differs(self, kind: str, key: str, value) -> bool:
        digest = _digest(value)
        if self.state.get((kind, key)) == digest:
            return False
        self.changed[(kind, key)] = digest
        return True

    def forget(self, kinds: set[str]) -> None:
        """Act as if nothing of ``kinds`` had been staged: the next rows of them all differ."""
        for key in [k for k in self.state if k[0] in kinds]:
            del self.state[key]
            self.removed.append(key)

    def save(self) -> int:
        OutboxItem.objects.bulk_create(self.items, batch_size=200)
        # removed rows and changed ones already stored go; the changed ones come back with their digest
        stale = [*self.removed, *(k for k in self.changed if k in self.state)]
        for kind in {k for k, _ in stale}:
            keys = [key for k, key in stale if k == kind]
            for start in range(0, len(keys), 500):
                StagedState.objects.filter(organisation=self.org, kind=kind, key__in=keys[start:start + 500]).delete()
        StagedState.objects.bulk_create(
            [StagedState(organisation=self.org, kind=k, key=key, digest=d) for (k, key), d in self.changed.items()],
            batch_size=1000)
        return len(self.items)


def _member_rows(organisation) -> list[dict]:
    beneficiaries: dict[int, list] = {}
    for member_id, *row in (Beneficiary.objects.filter(organisation=organisation).order_by("member_id", "position")
                            .values_list("member_id", "position", "name", "relation", "share_percent", "phone")):
        beneficiaries.setdefault(member_id, []).append(row)
    return [{**row, "birth_date": str(row["birth_date"]), "join_date": str(row["join_date"]),
             "status_date": str(row["status_date"]) if row["status_date"] else None,
             "beneficiaries": beneficiaries.get(row.pop("id"), [])}
            for row in Member.objects.filter(organisation=organisation).order_by("number").values("id", *MEMBER_FIELDS)]


def _entry_rows(organisation, after_id: int, limit: int, codes: tuple[dict, dict, dict]) -> tuple[int, list[list]]:
    """(the last entry id, up to ``limit`` entries after ``after_id`` as ENTRY_COLUMNS rows).
    Plain values and id → code dictionaries: no model instances, no joins."""
    rows = list(JournalEntry.objects.filter(organisation=organisation, pk__gt=after_id).order_by("pk").values_list(
        "pk", "doc_type", "fiscal_year", "number", "date", "memo", "total", "source_type", "source_id",
        "idempotency_key", "posted_at", "reverses_id")[:limit])
    if not rows:
        return after_id, []
    first, last = rows[0][0], rows[-1][0]
    keys = {r[0]: [r[1], r[2], r[3]] for r in rows}
    missing = {r[11] for r in rows if r[11] and r[11] not in keys}
    keys.update({pk: [d, fy, n] for pk, d, fy, n in JournalEntry.objects.filter(pk__in=missing)
                 .values_list("pk", "doc_type", "fiscal_year", "number")})
    accounts, funds, members = codes
    lines: dict[int, list] = {}
    for entry_id, account, fund, member, debit, credit, memo in (
            JournalLine.objects.filter(organisation=organisation, entry_id__gte=first, entry_id__lte=last)
            .order_by("entry_id", "pk").values_list("entry_id", "account_id", "fund_id", "member_id", "debit",
                                                    "credit", "memo")):
        lines.setdefault(entry_id, []).append([accounts[account], funds[fund], members.get(member), debit, credit,
                                               memo])
    return last, [[d, fy, n, str(day), memo, total, st, sid, key, posted.isoformat(), keys[rev] if rev else None,
                   lines.get(pk, [])] for pk, d, fy, n, day, memo, total, st, sid, key, posted, rev in rows]


def _scheme_rows(organisation) -> list[dict]:
    versions: dict[int, list] = {}
    for scheme_id, day, rule, note in (RuleVersion.objects.filter(organisation=organisation)
                                       .order_by("scheme_id", "effective_from")
                                       .values_list("scheme_id", "effective_from", "rule", "note")):
        versions.setdefault(scheme_id, []).append([str(day), rule, note])
    return [{"name_th": s["name_th"], "name_en": s["name_en"], "category": s["category"],
             "custom_label": s["custom_label"], "expense_account": s["expense_account__code"],
             "is_active": s["is_active"], "versions": versions.get(s["id"], [])}
            for s in BenefitScheme.objects.filter(organisation=organisation).order_by("name_th").values(
                "id", "name_th", "name_en", "category", "custom_label", "expense_account__code", "is_active")]


def _claim_rows(organisation) -> list[dict]:
    """Each claim with its decisions, who made them (usernames on the laptop), the entries
    that paid and reversed it, and its payees. Its natural key: member number, scheme name,
    event key and the moment it was submitted."""
    payees: dict[int, list] = {}
    for claim_id, *row in (ClaimPayee.objects.filter(organisation=organisation).order_by("claim_id", "pk")
                           .values_list("claim_id", "name", "relation", "share", "amount")):
        payees.setdefault(claim_id, []).append(row)
    users = dict(get_user_model().objects.filter(pk__in=Claim.objects.filter(organisation=organisation).values(
        "submitted_by")).values_list("pk", "username"))
    rows = []
    for c in (Claim.objects.filter(organisation=organisation).order_by("submitted_at", "pk")
              .select_related("member", "scheme", "rule_version", "entry", "reversal",
                              "approved_by", "paid_by")):
        row = {f: getattr(c, f) for f in CLAIM_FIELDS}
        for f in ("event_date", "submitted_at", "decided_at", "paid_on"):
            row[f] = _iso(row[f])
        row.update(member=c.member.number, scheme=c.scheme.name_th, rule_version=str(c.rule_version.effective_from),
                   submitted_by=users.get(c.submitted_by_id, ""),
                   approved_by=c.approved_by.username if c.approved_by else None,
                   paid_by=c.paid_by.username if c.paid_by else None,
                   entry=[c.entry.doc_type, c.entry.fiscal_year, c.entry.number] if c.entry else None,
                   reversal=[c.reversal.doc_type, c.reversal.fiscal_year, c.reversal.number] if c.reversal else None,
                   payees=payees.get(c.pk, []))
        rows.append(row)
    return rows


def _claim_key(row: dict) -> str:
    return sha256(json.dumps([row["member"], row["scheme"], row["event_key"], row["submitted_at"]],
                             ensure_ascii=False))


@transaction.atomic
def stage(*, actor, organisation) -> int:
    """Append what changed since the last staging to the outbox; the number of items added."""
    st = _Stager(organisation)
    sharing = _sharing(organisation)
    if st.differs("sharing", "", sharing):
        st.add("sharing", {"sharing": sharing})
        st.forget(PERSONAL_KINDS)  # back to full: everything again; to aggregates: the same when it returns
    if sharing == SharingPolicy.Sharing.FULL:
        accounts = list(Account.objects.filter(organisation=organisation).order_by("code")
                        .values_list("code", "name_th", "name_en", "type", "standard_code"))
        funds = list(Fund.objects.filter(organisation=organisation).order_by("code")
                     .values_list("code", "name_th", "name_en", "is_default"))
        if st.differs("chart", "", [accounts, funds]):
            st.add("chart", {"accounts": accounts, "funds": funds})
        st.add_batches("members", [row for row in _member_rows(organisation)
                                   if st.differs("member", row["number"], row)], MEMBERS_PER_ITEM)
        st.add_batches("schemes", [row for row in _scheme_rows(organisation)
                                   if st.differs("scheme", sha256(row["name_th"]), row)], 1000)
        codes = (dict(Account.objects.filter(organisation=organisation).values_list("pk", "code")),
                 dict(Fund.objects.filter(organisation=organisation).values_list("pk", "code")),
                 dict(Member.objects.filter(organisation=organisation).values_list("pk", "number")))
        last_id = int(st.state.get(("entries", "last_id"), "0") or 0)
        while True:
            last_id, rows = _entry_rows(organisation, last_id, ENTRIES_PER_ITEM, codes)
            if not rows:
                break
            st.add("entries", rows)
            st.changed[("entries", "last_id")] = str(last_id)
        st.add_batches("claims", [row for row in _claim_rows(organisation)
                                  if st.differs("claim", _claim_key(row), row)], CLAIMS_PER_ITEM)
        periods = []
        balances: dict[int, list] = {}
        for pid, acct, fund, d, c, b in PeriodBalance.objects.filter(organisation=organisation).values_list(
                "period_id", "account__code", "fund__code", "debit_total", "credit_total", "balance"):
            balances.setdefault(pid, []).append([acct, fund, d, c, b])
        for p in Period.objects.filter(organisation=organisation).order_by("year", "month"):
            value = {"year": p.year, "month": p.month, "status": p.status,
                     "closed_at": p.closed_at.isoformat() if p.closed_at else None,
                     "balances": sorted(balances.get(p.pk, []))}
            if st.differs("period", f"{p.year}-{p.month:02d}", value):
                periods.append(value)
        if periods:
            st.add("periods", periods)
    months = []
    facts: dict[int, list] = {}
    for ym, kind, key, count, amount in MonthlyFact.objects.filter(organisation=organisation).order_by(
            "ym", "kind", "key").values_list("ym", "kind", "key", "count", "amount"):
        facts.setdefault(ym, []).append([kind, key, count, amount])
    present = set()
    for fm in FactMonth.objects.filter(organisation=organisation).order_by("ym"):
        present.add(str(fm.ym))
        value = {"ym": fm.ym, "closed_at": fm.closed_at.isoformat() if fm.closed_at else None,
                 "facts": facts.get(fm.ym, [])}
        if st.differs("facts", str(fm.ym), value):
            months.append(value)
    for (kind, key) in list(st.state):
        if kind == "facts" and key not in present:
            months.append({"ym": int(key), "deleted": True})
            st.removed.append((kind, key))
    st.add_batches("facts", months, 24)
    n = st.save()
    if n:
        audit.record(actor=actor, action="network.sync_stage", organisation=organisation,
                     summary=f"เตรียมส่ง/staged {n} ชุด/items", after={"items": n, "last_seq": st.seq})
    return n


API = "/api/v1"  # the sync calls' prefix; a server from before versioning answers only at /api
LEGACY_API = "/api"


class Transport:
    """HTTP to the server with urllib; ``opener`` can be replaced in tests. A server from before
    the API was versioned answers /api/v1/… with a plain 404 page: the call goes again to its
    unversioned path, and so do the next ones."""

    def __init__(self, server_url: str, timeout: float = 60):
        self.base = server_url.rstrip("/")
        self.timeout = timeout
        self.prefix = API

    def request(self, method: str, path: str, body: bytes | None = None, headers: dict | None = None):
        status, data = self._request(method, self.prefix + path, body, headers)
        if status == 404 and not data and self.prefix == API:
            self.prefix = LEGACY_API
            status, data = self._request(method, self.prefix + path, body, headers)
        return status, data

    def _request(self, method: str, path: str, body: bytes | None, headers: dict | None):
        req = urllib.request.Request(self.base + path, data=body, method=method,
                                     headers={"Content-Type": "application/json", **(headers or {})})
        try:
            with urllib.request.urlopen(req, timeout=self.timeout) as resp:
                return resp.status, json.loads(resp.read() or b"{}")
        except urllib.error.HTTPError as exc:
            try:
                data = json.loads(exc.read() or b"{}")
            except ValueError:
                data = {}
            return exc.code, data


class SyncError(Exception):
    pass


ORG_FIELDS = ["code", "kind", "group_type", "name_th", "name_en", "founded_on", "province_code", "district_code",
              "subdistrict_code", "postcode", "moo", "fiscal_year_start_month"]


def org_details(org: Organisation) -> list[dict]:
    """The group and the networks above it, root first (what an empty laptop needs)."""
    from omboon.orgs.selectors import ancestors

    return [{f: (str(getattr(o, f)) if f == "founded_on" and getattr(o, f) else getattr(o, f)) for f in ORG_FIELDS}
            for o in [*ancestors(org), org]]


def _ensure_orgs(details: list[dict]) -> Organisation:
    from omboon.orgs import services as org_services

    parent = None
    for d in details:
        org = Organisation.objects.filter(code=d["code"]).first()
        if org is None:
            values = {k: v for k, v in d.items() if k not in ("code", "kind", "group_type") and v not in (None, "")}
            if values.get("founded_on"):
                values["founded_on"] = parse_date(values["founded_on"])
            org = org_services.organisation_create(actor=None, code=d["code"], kind=d["kind"], parent=parent,
                                                   group_type=d["group_type"] or "", **values)
        parent = org
    return parent


def enrol(*, server_url: str, code: str, organisation=None, group_code: str = "",
          transport: Transport | None = None) -> NodeConfig:
    """Redeem the code; on an empty laptop the group (and its networks) are created from the
    server's answer."""
    transport = transport or Transport(server_url)
    group_code = organisation.code if organisation is not None else group_code
    status, data = transport.request("POST", "/network/sync/enrol",
                                     json.dumps({"code": code, "group": group_code}).encode())
    if status != 200:
        raise SyncError(f"ลงทะเบียนไม่สำเร็จ / enrolment refused ({status}): {data.get('detail', data)}")
    with transaction.atomic():
        if organisation is None:
            organisation = _ensure_orgs(data.get("organisations") or [])
        config, _ = NodeConfig.objects.update_or_create(
            organisation=organisation, defaults={"server_url": server_url, "token": data["token"], "acked_seq": 0})
        audit.record(actor=None, action="network.node_enrol", organisation=organisation,
                     summary=f"ลงทะเบียนกับ/enrolled with {server_url}", after={"server": server_url})
    return config


def push(*, config: NodeConfig, transport: Transport | None = None,
         progress: Callable[[int, int, str], None] | None = None) -> int:
    """Send every outbox item the server has not applied; returns how many were sent."""
    transport = transport or Transport(config.server_url)
    org = config.organisation
    auth = {"Authorization": f"Bearer {config.token}", "X-Omboon-Group": org.code}
    status, data = transport.request("GET", "/network/sync/status", headers=auth)
    if status != 200:
        raise SyncError(f"เซิร์ฟเวอร์ปฏิเสธ / the server refused ({status}): {data.get('detail', data)}")
    acked = int(data["last_applied"])
    NodeConfig.objects.filter(pk=config.pk).update(acked_seq=acked)
    pending = OutboxItem.objects.filter(organisation=org, seq__gt=acked).order_by("seq")
    total = pending.count()
    sent = 0
    for item in pending.iterator(chunk_size=20):
        # the stored payload goes in as it is (no second parse and dump of megabytes of JSON)
        body = (f'{{"group": {json.dumps(org.code)}, "seq": {item.seq}, "kind": {json.dumps(item.kind)}, '
                f'"payload": {item.payload}}}').encode()
        headers = {**auth, "X-Omboon-Seq": str(item.seq), "X-Omboon-Signature": sign(config.token, body, item.seq)}
        status, data = transport.request("POST", "/network/sync/push", body, headers)
        if status != 200:
            raise SyncError(f"เซิร์ฟเวอร์ปฏิเสธชุดที่ {item.seq} / the server refused item {item.seq} "
                            f"({status}): {data.get('detail', data)}")
        NodeConfig.objects.filter(pk=config.pk).update(acked_seq=int(data["last_applied"]),
                                                       last_sync_at=timezone.now())
        sent += 1
        if progress:
            progress(sent, total, item.kind)
    return sent


# === the server ============================================================================

@transaction.atomic
def enrolment_create(*, actor, organisation) -> str:
    """A one-time code for the group's laptop (shown once; only its hash is kept)."""
    if not organisation.is_group:
        raise RuleViolation.single("organisation", "ลงทะเบียนได้เฉพาะกลุ่ม", "only a group can enrol")
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
    Organisation.objects.filter(pk=org.pk).update(is_remote_node=True)
    audit.record(actor=None, action="network.node_enrolled", organisation=org,
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
        audit.record(actor=None, action="network.sync_apply", organisation=org,
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
    ClaimPayee.objects.filter(organisation=org).delete()
    claims, _ = Claim.objects.filter(organisation=org).delete()
    beneficiaries = Beneficiary.objects.filter(organisation=org).count()
    anonymised = member_services.members_anonymise(Member.objects.filter(organisation=org))
    get_user_model().objects.filter(username__endswith=_node_user_suffix(org), is_active=False).delete()
    counts = {"members_anonymised": anonymised, "claims_deleted": claims, "beneficiaries_deleted": beneficiaries}
    audit.record(actor=None, action="network.personal_data_withdrawn", organisation=org,
                 summary="กลุ่มเลือกส่งเฉพาะตัวเลขสรุป: ลบข้อมูลส่วนบุคคลบนเซิร์ฟเวอร์แล้ว / the group shares "
                         "aggregates only: its personal data was removed from the server", after=counts)
    return counts


def _node_user_suffix(org) -> str:
    return f"@{org.code.lower()}.node"


class _NodeUsers:
    """The laptop's users as inactive users on the server (no password, no role): a claim
    keeps who made and who approved it, and they stay two different people."""

    def __init__(self, org):
        self.org = org
        self.cache: dict[str, object] = {}

    def __call__(self, username: str | None):
        if not username:
            return None
        if username not in self.cache:
            name = f"{username[:150 - 20]}{_node_user_suffix(self.org)}"
            user, created = get_user_model().objects.get_or_create(username=name, defaults={"is_active": False})
            if created:
                user.set_unusable_password()
                user.save(update_fields=["password"])
            self.cache[username] = user
        return self.cache[username]


def _apply_chart(org, payload) -> int:
    have = set(Account.objects.filter(organisation=org).values_list("code", flat=True))
    Account.objects.bulk_create([Account(organisation=org, code=c, name_th=th, name_en=en, type=t, standard_code=s)
                                 for c, th, en, t, s in payload["accounts"] if c not in have])
    have_funds = set(Fund.objects.filter(organisation=org).values_list("code", flat=True))
    Fund.objects.bulk_create([Fund(organisation=org, code=c, name_th=th, name_en=en,
                                   is_default=d and not Fund.objects.filter(organisation=org, is_default=True).exists())
                              for c, th, en, d in payload["funds"] if c not in have_funds])
    return len(payload["accounts"])


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
    existing = {m.number: m for m in Member.objects.filter(organisation=org, number__in=[r["number"] for r in rows])}
    new, changed = [], []
    for row in rows:
        values = _member_values(row)
        member = existing.get(row["number"])
        if member is None:
            new.append(Member(organisation=org, id_hash=national_id.keyed_hash(values["national_id"]), **values))
        else:
            for key, value in values.items():
                setattr(member, key, value)
            member.id_hash = national_id.keyed_hash(values["national_id"])
            changed.append(member)
    Member.objects.bulk_create(new, batch_size=500)
    if changed:
        Member.objects.bulk_update(changed, [*MEMBER_FIELDS, "id_hash"], batch_size=500)
    ids = dict(Member.objects.filter(organisation=org, number__in=[r["number"] for r in rows])
               .values_list("number", "pk"))
    Beneficiary.objects.filter(member_id__in=ids.values()).delete()
    Beneficiary.objects.bulk_create([
        Beneficiary(organisation=org, member_id=ids[row["number"]], position=pos, name=name, relation=relation,
                    share_percent=share, phone=phone)
        for row in rows for pos, name, relation, share, phone in row.get("beneficiaries", [])], batch_size=1000)
    return len(rows)


def _apply_schemes(org, rows) -> int:
    accounts = dict(Account.objects.filter(organisation=org).values_list("code", "pk"))
    for row in rows:
        scheme, _ = BenefitScheme.objects.update_or_create(
            organisation=org, name_th=row["name_th"],
            defaults={"name_en": row["name_en"], "category": row["category"], "custom_label": row["custom_label"],
                      "expense_account_id": accounts[row["expense_account"]], "is_active": row["is_active"]})
        for day, rule, note in row["versions"]:
            RuleVersion.objects.update_or_create(organisation=org, scheme=scheme, effective_from=parse_date(day),
                                                 defaults={"rule": rule, "note": note})
    return len(rows)


def _reopen_from(org, year: int, month: int) -> None:
    """Entries for a month the server holds as closed: the laptop reopened it; the periods
    that follow in the outbox close it again."""
    periods = [p.pk for p in Period.objects.filter(organisation=org, status=Period.Status.CLOSED)
               if (p.year, p.month) >= (year, month)]
    if periods:
        PeriodBalance.objects.filter(period_id__in=periods).delete()
        Period.objects.filter(pk__in=periods).update(status=Period.Status.OPEN, closed_at=None, closed_by=None)


def _apply_entries(org, rows) -> int:
    """Entries not yet on the server go in through ``ledger.bulk.entries_insert_posted``
    (executemany / COPY, checked by the database as a batch). Entries for a month the server
    holds as closed reopen it first (the periods that follow in the outbox close it again)."""
    if not rows:
        return 0
    known = ledger_bulk.entry_ids(org, [(r[0], r[1], r[2]) for r in rows])
    fresh = [r for r in rows if (r[0], r[1], r[2]) not in known]
    if not fresh:
        return 0
    first = min(parse_date(r[3]) for r in fresh)
    _reopen_from(org, first.year, first.month)
    try:
        return ledger_bulk.entries_insert_posted(organisation=org, rows=fresh)
    except LookupError:
        raise SyncRefused(400, "reverses", "รายการกลับบัญชีอ้างถึงรายการที่ไม่มีบนเซิร์ฟเวอร์",
                          "a reversal refers to an entry the server does not have") from None
    except KeyError as exc:
        raise SyncRefused(400, "payload", f"รหัสบัญชี กองทุน หรือสมาชิก {exc} ไม่มีบนเซิร์ฟเวอร์: ส่งชุดก่อนหน้าไม่ครบ",
                          f"account, fund or member {exc} is not on the server: an earlier item is missing") from None


def _need(found: dict, key, th: str, en: str):
    """A record a synced item refers to; the item is refused (400, nothing changes) without it."""
    if key not in found:
        raise SyncRefused(400, "payload", f"{th} {key} ไม่มีบนเซิร์ฟเวอร์: ส่งชุดก่อนหน้าไม่ครบ",
                          f"{en} {key} is not on the server: an earlier item is missing")
    return found[key]


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
    existing = {(c.member.number, c.scheme.name_th, c.event_key, c.submitted_at): c
                for c in Claim.objects.filter(organisation=org, submitted_at__in=[parse_datetime(r["submitted_at"])
                                                                                 for r in rows])
                .select_related("member", "scheme")}
    new, changed = [], []
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
        claim = existing.get((row["member"], row["scheme"], row["event_key"], values["submitted_at"]))
        if claim is None:
            new.append((row, Claim(organisation=org, **values)))
        else:
            for key, value in values.items():
                setattr(claim, key, value)
            changed.append((row, claim))
    for _row, claim in changed:
        claim.save()
    for _row, claim in new:
        claim.save()
    ClaimPayee.objects.filter(claim__in=[c for _, c in changed]).delete()
    ClaimPayee.objects.bulk_create([
        ClaimPayee(organisation=org, claim=claim, name=name, relation=relation, share=share, amount=amount)
        for row, claim in [*changed, *new] for name, relation, share, amount in row["payees"]])
    return len(rows)


def _apply_periods(org, periods) -> int:
    accounts = dict(Account.objects.filter(organisation=org).values_list("code", "pk"))
    funds = dict(Fund.objects.filter(organisation=org).values_list("code", "pk"))
    for p in periods:
        period, _ = Period.objects.get_or_create(organisation=org, year=p["year"], month=p["month"])
        PeriodBalance.objects.filter(period=period).delete()
        closed = p["status"] == Period.Status.CLOSED
        Period.objects.filter(pk=period.pk).update(
            status=p["status"], closed_at=parse_datetime(p["closed_at"]) if closed and p["closed_at"] else None)
        if closed:
            PeriodBalance.objects.bulk_create([
                PeriodBalance(organisation=org, period=period, account_id=accounts[a], fund_id=funds[f],
                              debit_total=d, credit_total=c, balance=b) for a, f, d, c, b in p["balances"]],
                batch_size=1000)
    return len(periods)


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
         "entries": _apply_entries, "claims": _apply_claims, "periods": _apply_periods, "facts": _apply_facts}
