"""Loans: loan products, loans and their lifecycle, repayment schedules (pure functions).

``schedule.build`` turns agreed terms, a principal and dates into instalments in integer
satang; it needs no database (``omboon loan-schedule``).
"""
