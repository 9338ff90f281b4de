from django.apps import AppConfig


class LoansConfig(AppConfig):
    name = "omboon.loans"
    label = "loans"
    verbose_name = "Loans"

    def ready(self):
        # the loans part of the collection day (``ledger.collection``): contributions' page takes
        # repayments through it without importing loans
        from omboon.ledger.collection import register_part
        from omboon.ledger.holdings import register_account_holds
        from omboon.ledger.month_end import register_adjustment
        from omboon.loans import selectors
        from omboon.loans.allowance import month_end_adjust
        from omboon.loans.collection import LoanPart

        register_part(LoanPart())
        # the allowance for doubtful loans, brought to what the bylaws require as each month closes
        register_adjustment("loans.allowance", month_end_adjust)
        # what the liens of live loans hold on savings accounts: savings' rules keep each account above it
        register_account_holds(selectors.liens_held)
