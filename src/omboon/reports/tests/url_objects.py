"""URL values for the web URL walker (omboon.web.tests.test_url_walker).

The report pages need a registered report code. The walker gets a small report registered
under a code of its own (``zz-url-walker``), idempotently, so the walk never depends on which
domain reports exist yet; a format is any of the renderers' formats.
"""

from __future__ import annotations

from omboon.core import reporting
from omboon.core.reporting import INT, MONEY, Column, Report, Table

WALKER_CODE = "zz-url-walker"


class WalkerReport(Report):
    code = WALKER_CODE
    title_th = "รายงานสำหรับตรวจเส้นทาง"
    title_en = "URL walker report"

    def build(self, *, organisation, start, end, lang="th", params=None):
        table = Table("ยอด", "Figures", [
            Column("item", "รายการ", "Item"),
            Column("n", "จำนวน", "Count", INT, total=True),
            Column("amount", "จำนวนเงิน", "Amount", MONEY, total=True),
        ], [{"item": organisation.code, "n": 1, "amount": 100}])
        return self.result(organisation, start, end, [table], signatures=False)


def walker_code(org, built) -> str:
    reporting.autodiscover()
    if WALKER_CODE not in reporting.REGISTRY:
        reporting.register(WalkerReport)
    return WALKER_CODE


URL_VALUES = {
    "reports:detail.code": walker_code,
    "reports:download.code": walker_code,
    "reports:download.fmt": lambda org, built: "csv",
}
