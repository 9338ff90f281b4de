"""Savings: products (compulsory สัจจะ, voluntary, fixed-term deposits, shares) versioned by
effective date, members' accounts numbered per group (open → dormant → closed, with history),
deposits and withdrawals (a payment with a second approver), interest.

A savings account holds no balance: its money is the lines of its ledger sub-account
(``ledger.SubAccount`` on 2100/2110/2120/3400), posted only through ``ledger.services``.
"""
