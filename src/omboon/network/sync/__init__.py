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

The laptop's side is ``omboon.network.sync.laptop`` (stage, enrol, push), the server's
``omboon.network.sync.server`` (enrolment, tokens, ``apply_batch`` and its appliers); what both
read — the item formats, the signature — is ``omboon.network.sync.protocol``.
"""
