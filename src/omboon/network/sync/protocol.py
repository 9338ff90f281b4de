"""What both sides of a sync read: the item formats, hashes and the signature, the errors."""

from __future__ import annotations

import hashlib
import hmac
import json
import os

from omboon.core.errors import Problem, RuleViolation

MEMBER_FIELDS = ["number", "title", "first_name", "last_name", "sex", "national_id", "birth_date", "join_date",
                 "phone", "house_no", "moo", "street", "subdistrict_code", "district_code", "province_code",
                 "postcode", "status", "status_date", "disabled", "chronically_ill", "low_income"]
# One journal entry in an "entries" item: a list in this order; ``reverses`` is the reversed
# entry's [doc_type, fiscal_year, number], ``lines`` [[account, fund, member number, debit,
# credit, memo], ...], a line on a member's savings or share account with its sub-account number
# as a seventh.
ENTRY_COLUMNS = ["doc_type", "fiscal_year", "number", "date", "memo", "total", "source_type", "source_id",
                 "idempotency_key", "posted_at", "reverses", "lines"]
CLAIM_FIELDS = ["event_date", "event_key", "nights", "cost", "details", "documents", "status", "amount",
                "eligibility", "submitted_at", "decided_at", "reject_reason", "paid_on", "reverse_reason"]
# What a group that shares full records sends, and forgets having sent when its choice changes
# (so that switching back to full sends all of it again).
PERSONAL_KINDS = {"chart", "member", "scheme", "claim", "period", "sub_account", "savings_products",
                  "savings_account", "loan_products", "loan"}
# Rows per outbox item; OMBOON_SYNC_BATCH makes items small (tests that cut a sync halfway).
MEMBERS_PER_ITEM = int(os.environ.get("OMBOON_SYNC_BATCH", 1000))
ENTRIES_PER_ITEM = int(os.environ.get("OMBOON_SYNC_BATCH", 10000))
CLAIMS_PER_ITEM = int(os.environ.get("OMBOON_SYNC_BATCH", 1000))
ENROLMENT_DAYS = 14


def sha256(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def sign(token: str, body: bytes, seq: int) -> str:
    return hmac.new(token.encode(), body + str(seq).encode(), hashlib.sha256).hexdigest()


def digest(value) -> str:
    return hashlib.sha256(json.dumps(value, sort_keys=True, default=str).encode()).hexdigest()


def iso(value) -> str | None:
    return value.isoformat() if value is not None else None


class SyncRefused(RuleViolation):
    """The server refused a request; ``status`` is the HTTP status to answer with."""

    def __init__(self, status: int, field: str, th: str, en: str):
        super().__init__([Problem(field, th, en)])
        self.status = status



class SyncError(Exception):
    pass



ORG_FIELDS = ["code", "kind", "group_type", "name_th", "name_en", "founded_on", "province_code", "district_code",
              "subdistrict_code", "postcode", "moo", "fiscal_year_start_month"]

