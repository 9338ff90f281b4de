"""The standard accounts added for savings, loans and the year-end (DESIGN.md): 1320, 2110,
2120, 2400, 2410, 3400, 4710, 4720 and 5500 (5190, grants to
community enterprises, welfare opens as a benefits sub-account when a scheme needs it), added to the chart of every group that has
one. A code the group already uses for an account of its own is left as it is. New groups get
them from ``services.chart_create`` (``chart.STANDARD_CHART``).

The rows are written here, frozen, not read from ``chart`` (which later versions may change).
"""

from django.db import migrations

# (code, Thai, English, type, parent code) as chart.STANDARD_CHART had them when this was written
ADDED = [
    ("1320", "ค่าเผื่อหนี้สงสัยจะสูญ", "Allowance for doubtful loans", "asset", "1300"),
    ("2110", "เงินฝากออมทรัพย์", "Voluntary savings", "liability", None),
    ("2120", "เงินฝากประจำ", "Fixed-term deposits", "liability", None),
    ("2400", "เงินปันผลค้างจ่าย", "Dividends payable", "liability", None),
    ("2410", "เงินเฉลี่ยคืนค้างจ่าย", "Refunds payable", "liability", None),
    ("3400", "ทุนเรือนหุ้น", "Share capital", "equity", None),
    ("4710", "ดอกเบี้ยรับจากเงินกู้", "Loan interest income", "income", None),
    ("4720", "ค่าปรับ", "Fines and penalties", "income", None),
    ("5500", "หนี้สูญ", "Loans written off", "expense", None),
]


def add(apps, schema_editor):
    Account = apps.get_model("ledger", "Account")
    orgs = Account.objects.values_list("organisation_id", flat=True).distinct()
    for org_id in list(orgs):
        have = {a.code: a for a in Account.objects.filter(organisation_id=org_id)}
        for code, th, en, type_, parent in ADDED:
            if code in have:
                continue
            have[code] = Account.objects.create(
                organisation_id=org_id, code=code, name_th=th, name_en=en, type=type_, standard_code=code,
                parent=have.get(parent) if parent else None)


def remove(apps, schema_editor):
    Account = apps.get_model("ledger", "Account")
    Account.objects.filter(code__in=[c for c, *_ in ADDED], standard_code__in=[c for c, *_ in ADDED],
                           lines__isnull=True, sub_accounts__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("ledger", "0006_sub_accounts")]

    operations = [migrations.RunPython(add, remove)]
