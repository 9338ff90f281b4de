"""The laptop's side of a sync: stage what changed as numbered outbox items, enrol, push."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from collections.abc import Callable

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import F, Max
from django.utils import timezone
from django.utils.dateparse import parse_date

from omboon.core import audit
from omboon.ledger.models import Account, Fund, JournalEntry, JournalLine, Period, PeriodBalance, SubAccount
from omboon.loans import bulk as loans_bulk
from omboon.members.models import Beneficiary, Member
from omboon.network.models import (
    FactMonth,
    MonthlyFact,
    NodeConfig,
    OutboxItem,
    SharingPolicy,
    StagedState,
)
from omboon.network.sync.protocol import (
    CLAIM_FIELDS,
    CLAIMS_PER_ITEM,
    ENTRIES_PER_ITEM,
    MEMBER_FIELDS,
    MEMBERS_PER_ITEM,
    PERSONAL_KINDS,
    SyncError,
    digest,
    iso,
    sha256,
    sign,
)
from omboon.orgs import services as org_services
from omboon.orgs.models import Organisation
from omboon.savings import bulk as savings_bulk
from omboon.welfare.models import BenefitScheme, Claim, ClaimPayee, RuleVersion


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
        value_digest = digest(value)
        if self.state.get((kind, key)) == value_digest:
            return False
        self.changed[(kind, key)] = value_digest
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


def _entry_rows(organisation, after_id: int, limit: int, codes: tuple[dict, ...]) -> tuple[int, list[list]]:
    """(the last entry id, up to ``limit`` entries after ``after_id`` as ENTRY_COLUMNS rows).
    Plain values and id → code dictionaries: no model instances, no joins."""
    # "organisation_id + 0": the group as a condition, not an index, so that the next entries are
    # read in id order from where the last item stopped (the group's index would sort them all)
    rows = list(JournalEntry.objects.annotate(group=F("organisation_id") + 0)
                .filter(group=organisation.pk, pk__gt=after_id).order_by("pk").values_list(
                    "pk", "doc_type", "fiscal_year", "number", "date", "memo", "total", "source_type", "source_id",
                    "idempotency_key", "posted_at", "reverses_id")[:limit])
    if not rows:
        return after_id, []
    first, last = rows[0][0], rows[-1][0]
    keys = {r[0]: [r[1], r[2], r[3]] for r in rows}
    missing = {r[11] for r in rows if r[11] and r[11] not in keys}
    keys.update({pk: [d, fy, n] for pk, d, fy, n in JournalEntry.objects.filter(pk__in=missing)
                 .values_list("pk", "doc_type", "fiscal_year", "number")})
    accounts, funds, members, *rest = codes
    subs = rest[0] if rest else {}
    lines: dict[int, list] = {}
    # the lines by their entry's id range (its index; the group's index would read all its lines);
    # another group's entry between two of ours is passed over
    for entry_id, account, fund, member, debit, credit, memo, sub in (
            JournalLine.objects.filter(entry_id__gte=first, entry_id__lte=last)
            .order_by("entry_id", "pk").values_list("entry_id", "account_id", "fund_id", "member_id", "debit",
                                                    "credit", "memo", "sub_account_id")):
        if entry_id in keys:
            line = [accounts[account], funds[fund], members.get(member), debit, credit, memo]
            if sub is not None:  # a member's savings or share account: its number, last
                line.append(subs[sub])
            lines.setdefault(entry_id, []).append(line)
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
            row[f] = iso(row[f])
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
        sub_accounts = [[n, code, member, kind, name, str(day)] for n, code, member, kind, name, day in (
            SubAccount.objects.filter(organisation=organisation).order_by("number").values_list(
                "number", "account__code", "member__number", "kind", "name", "opened_on"))]
        st.add_batches("sub_accounts", [row for row in sub_accounts if st.differs("sub_account", row[0], row)],
                       MEMBERS_PER_ITEM)
        products = savings_bulk.products_rows(organisation)
        if products and st.differs("savings_products", "", products):
            st.add("savings_products", products)
        st.add_batches("savings_accounts", [row for row in savings_bulk.accounts_rows(organisation)
                                            if st.differs("savings_account", row[0], row)], MEMBERS_PER_ITEM)
        codes = (dict(Account.objects.filter(organisation=organisation).values_list("pk", "code")),
                 dict(Fund.objects.filter(organisation=organisation).values_list("pk", "code")),
                 dict(Member.objects.filter(organisation=organisation).values_list("pk", "number")),
                 dict(SubAccount.objects.filter(organisation=organisation).values_list("pk", "number")))
        last_id = int(st.state.get(("entries", "last_id"), "0") or 0)
        while True:
            last_id, rows = _entry_rows(organisation, last_id, ENTRIES_PER_ITEM, codes)
            if not rows:
                break
            st.add("entries", rows)
            st.changed[("entries", "last_id")] = str(last_id)
        st.add_batches("claims", [row for row in _claim_rows(organisation)
                                  if st.differs("claim", _claim_key(row), row)], CLAIMS_PER_ITEM)
        # loans after the entries they name (paid out, repaid, written off) and their products
        loan_products = loans_bulk.products_rows(organisation)
        if loan_products and st.differs("loan_products", "", loan_products):
            st.add("loan_products", loan_products)
        st.add_batches("loans", [row for row in loans_bulk.loans_rows(organisation)
                                 if st.differs("loan", str(row["loan"]["number"]), row)], CLAIMS_PER_ITEM)
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
        audit.record(actor=actor, action="network.stage", organisation=organisation,
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



def _ensure_orgs(details: list[dict]) -> Organisation:
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
        audit.record(actor=None, action="network.enrol", organisation=organisation,
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

