"""Standalone group (a laptop, SQLite) → its network's server (PostgreSQL).

On the laptop, ``stage`` turns what changed since the last staging into numbered outbox
items (``OutboxItem.seq``: per group, gapless, in order): the sharing choice, members,
journal entries with their lines, month closes with their balances, monthly facts. A group
that shares aggregates only stages its facts and nothing else. ``push`` sends the items after
the server's last acknowledged one, each signed HMAC-SHA256(token, body + seq).

On the server, ``apply_batch`` checks the token (only its sha256 is stored; revoked tokens
refused), the signature, and the sequence: a replay (seq ≤ last applied) changes nothing, a
gap (seq > last + 1) is refused, the next one is applied in one transaction together with
the new last-applied number — so a cut connection or a kill -9 on either side resumes where
it stopped. Records are matched by natural keys (member number, document number, account
and fund codes), never by ids, which differ between the two databases.
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
from typing import Callable

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime

from omboon.core import audit, national_id
from omboon.core.errors import Problem, RuleViolation
from omboon.ledger.models import Account, Fund, JournalEntry, JournalLine, Period, PeriodBalance
from omboon.members.models import Member
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

MEMBER_FIELDS = ["number", "title", "first_name", "last_name", "sex", "national_id", "birth_date", "join_date",
                 "phone", "house_no", "moo", "street", "subdistrict_code", "district_code", "province_code",
                 "postcode", "status", "status_date"]
# Rows per outbox item; OMBOON_SYNC_BATCH makes items small (tests that cut a sync halfway).
MEMBERS_PER_ITEM = int(os.environ.get("OMBOON_SYNC_BATCH", 1000))
ENTRIES_PER_ITEM = int(os.environ.get("OMBOON_SYNC_BATCH", 1000))
ENROLMENT_DAYS = 14


def sha256(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def sign(token: str, body: bytes, seq: int) -> str:
    return hmac.new(token.encode(), body + str(seq).encode(), hashlib.sha256).hexdigest()


def _digest(value) -> str:
    return hashlib.sha256(json.dumps(value, sort_keys=True, default=str).encode()).hexdigest()


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

    def differs(self, kind: str, key: str, value) -> bool:
        digest = _digest(value)
        if self.state.get((kind, key)) == digest:
            return False
        self.changed[(kind, key)] = digest
        return True

    def save(self) -> int:
        OutboxItem.objects.bulk_create(self.items, batch_size=200)
        for (kind, key) in self.removed:
            StagedState.objects.filter(organisation=self.org, kind=kind, key=key).delete()
        existing = set(self.state)
        StagedState.objects.bulk_create(
            [StagedState(organisation=self.org, kind=k, key=key, digest=d)
             for (k, key), d in self.changed.items() if (k, key) not in existing], batch_size=1000)
        for (k, key), d in self.changed.items():
            if (k, key) in existing:
                StagedState.objects.filter(organisation=self.org, kind=k, key=key).update(digest=d)
        return len(self.items)


def _member_rows(organisation) -> list[dict]:
    return [{**row, "birth_date": str(row["birth_date"]), "join_date": str(row["join_date"]),
             "status_date": str(row["status_date"]) if row["status_date"] else None}
            for row in Member.objects.filter(organisation=organisation).order_by("number").values(*MEMBER_FIELDS)]


def _entry_payloads(organisation, after_id: int, limit: int) -> list[dict]:
    entries = list(JournalEntry.objects.filter(organisation=organisation, pk__gt=after_id).order_by("pk")
                   .select_related("reverses")[:limit])
    if not entries:
        return []
    lines: dict[int, list] = {}
    for ln in (JournalLine.objects.filter(entry__in=[e.pk for e in entries]).order_by("entry_id", "pk")
               .values_list("entry_id", "account__code", "fund__code", "member__number", "debit", "credit", "memo")):
        lines.setdefault(ln[0], []).append(list(ln[1:]))
    return [{"id": e.pk, "doc_type": e.doc_type, "fiscal_year": e.fiscal_year, "number": e.number,
             "date": str(e.date), "memo": e.memo, "total": e.total, "source_type": e.source_type,
             "source_id": e.source_id, "idempotency_key": e.idempotency_key, "posted_at": e.posted_at.isoformat(),
             "reverses": [e.reverses.doc_type, e.reverses.fiscal_year, e.reverses.number] if e.reverses else None,
             "lines": lines.get(e.pk, [])} for e in entries]


@transaction.atomic
def stage(*, actor, organisation) -> int:
    """Append what changed since the last staging to the outbox; the number of items added."""
    st = _Stager(organisation)
    sharing = _sharing(organisation)
    if st.differs("sharing", "", sharing):
        st.add("sharing", {"sharing": sharing})
    if sharing == SharingPolicy.Sharing.FULL:
        accounts = list(Account.objects.filter(organisation=organisation).order_by("code")
                        .values_list("code", "name_th", "name_en", "type", "standard_code"))
        funds = list(Fund.objects.filter(organisation=organisation).order_by("code")
                     .values_list("code", "name_th", "name_en", "is_default"))
        if st.differs("chart", "", [accounts, funds]):
            st.add("chart", {"accounts": accounts, "funds": funds})
        batch = []
        for row in _member_rows(organisation):
            if st.differs("member", row["number"], row):
                batch.append(row)
                if len(batch) == MEMBERS_PER_ITEM:
                    st.add("members", batch)
                    batch = []
        if batch:
            st.add("members", batch)
        last_id = int(st.state.get(("entries", "last_id"), "0") or 0)
        while True:
            payloads = _entry_payloads(organisation, last_id, ENTRIES_PER_ITEM)
            if not payloads:
                break
            last_id = payloads[-1]["id"]
            st.add("entries", payloads)
        if last_id:
            st.changed[("entries", "last_id")] = str(last_id)
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
    for i in range(0, len(months), 24):
        st.add("facts", months[i:i + 24])
    n = st.save()
    if n:
        audit.record(actor=actor, action="network.sync_stage", organisation=organisation,
                     summary=f"เตรียมส่ง/staged {n} ชุด/items", after={"items": n, "last_seq": st.seq})
    return n


class Transport:
    """HTTP to the server with urllib; ``opener`` can be replaced in tests."""

    def __init__(self, server_url: str, timeout: float = 60):
        self.base = server_url.rstrip("/")
        self.timeout = timeout

    def request(self, method: str, path: str, body: bytes | None = None, headers: dict | None = None):
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
    status, data = transport.request("POST", "/api/network/sync/enrol",
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
    status, data = transport.request("GET", "/api/network/sync/status", headers=auth)
    if status != 200:
        raise SyncError(f"เซิร์ฟเวอร์ปฏิเสธ / the server refused ({status}): {data.get('detail', data)}")
    acked = int(data["last_applied"])
    NodeConfig.objects.filter(pk=config.pk).update(acked_seq=acked)
    pending = OutboxItem.objects.filter(organisation=org, seq__gt=acked).order_by("seq")
    total = pending.count()
    sent = 0
    for item in pending.iterator(chunk_size=20):
        body = json.dumps({"group": org.code, "seq": item.seq, "kind": item.kind,
                           "payload": json.loads(item.payload)}, ensure_ascii=False).encode()
        headers = {**auth, "X-Omboon-Seq": str(item.seq), "X-Omboon-Signature": sign(config.token, body, item.seq)}
        status, data = transport.request("POST", "/api/network/sync/push", body, headers)
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
    return 1


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
    return len(rows)


def _reopen_from(org, year: int, month: int) -> None:
    """Entries for a month the server holds as closed: the laptop reopened it; the periods
    that follow in the outbox close it again."""
    periods = [p.pk for p in Period.objects.filter(organisation=org, status=Period.Status.CLOSED)
               if (p.year, p.month) >= (year, month)]
    if periods:
        PeriodBalance.objects.filter(period_id__in=periods).delete()
        Period.objects.filter(pk__in=periods).update(status=Period.Status.OPEN, closed_at=None, closed_by=None)


def _apply_entries(org, entries) -> int:
    if not entries:
        return 0
    accounts = dict(Account.objects.filter(organisation=org).values_list("code", "pk"))
    funds = dict(Fund.objects.filter(organisation=org).values_list("code", "pk"))
    numbers = {e["number"] for e in entries}
    known = {(d, fy, n): pk for d, fy, n, pk in JournalEntry.objects.filter(organisation=org, number__in=numbers)
             .values_list("doc_type", "fiscal_year", "number", "pk")}
    first = min(parse_date(e["date"]) for e in entries)
    _reopen_from(org, first.year, first.month)
    member_numbers = {ln[2] for e in entries for ln in e["lines"] if ln[2]}
    members = dict(Member.objects.filter(organisation=org, number__in=member_numbers).values_list("number", "pk"))
    pending: list[tuple[dict, JournalEntry]] = []

    def flush():
        if not pending:
            return
        created = JournalEntry.objects.bulk_create([e for _, e in pending])
        lines = []
        for (payload, _), entry in zip(pending, created):
            known[(entry.doc_type, entry.fiscal_year, entry.number)] = entry.pk
            for acct, fund, member, debit, credit, memo in payload["lines"]:
                lines.append(JournalLine(organisation=org, entry_id=entry.pk, date=entry.date,
                                         account_id=accounts[acct], fund_id=funds[fund],
                                         member_id=members.get(member) if member else None,
                                         debit=debit, credit=credit, memo=memo))
        JournalLine.objects.bulk_create(lines, batch_size=2000)
        pending.clear()

    added = 0
    for e in entries:
        key = (e["doc_type"], e["fiscal_year"], e["number"])
        if key in known or any((p["doc_type"], p["fiscal_year"], p["number"]) == key for p, _ in pending):
            continue
        reverses = tuple(e["reverses"]) if e["reverses"] else None
        if reverses and reverses not in known:
            flush()
        pending.append((e, JournalEntry(
            organisation=org, date=parse_date(e["date"]), doc_type=e["doc_type"], number=e["number"],
            fiscal_year=e["fiscal_year"], memo=e["memo"], total=e["total"], source_type=e["source_type"],
            source_id=e["source_id"], idempotency_key=e["idempotency_key"], posted_at=parse_datetime(e["posted_at"]),
            reverses_id=known.get(reverses) if reverses else None)))
        added += 1
    flush()
    return added


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


APPLY = {"sharing": _apply_sharing, "chart": _apply_chart, "members": _apply_members, "entries": _apply_entries,
         "periods": _apply_periods, "facts": _apply_facts}
