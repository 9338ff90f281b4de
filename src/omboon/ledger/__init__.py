"""The books: chart of accounts, funds, journal entries and lines, periods, vouchers.

The ledger is the only writer of money, and it has three doors for it, all in this app; every
other app calls one of them, never the models:

- ``services.entry_post`` — everyday postings, one entry at a time (vouchers, receipts, claims,
  reversals, the year-end closing entry);
- ``bulk.entries_post_bulk`` — many entries a group did not post here (imported history, the
  province-scale demo), or one entry of thousands of lines (a collection day), taking their
  numbers here; the same ``rules`` as ``entry_post``;
- ``bulk.entries_insert_posted`` — entries a group already posted in its own copy of the books
  (a laptop's, through ``network.sync``), numbers and all.

The database's guards (``guards`` and the migrations' triggers) hold for every row of all three.
"""
