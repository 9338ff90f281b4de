"""The standard account the allowance for doubtful loans posts to (issue 17): 5510 doubtful loans
expense (หนี้สงสัยจะสูญ), added to the chart of every group that has one. A code the group already
uses for an account of its own is left as it is. New groups get it from ``services.chart_create``
(``chart.STANDARD_CHART``).

The row is written here, frozen, not read from ``chart`` (which later versions may change).
"""

from django.db import migrations

# (code, Thai, English, type) as chart.STANDARD_CHART had it when this was written
ADDED = [("5510", "หนี้สงสัยจะสูญ", "Doubtful loans expense", "expense")]


def add(apps, schema_editor):
    Account = apps.get_model("ledger", "Account")
    orgs = Account.objects.values_list("organisation_id", flat=True).distinct()
    for org_id in list(orgs):
        have = set(Account.objects.filter(organisation_id=org_id).values_list("code", flat=True))
        for code, th, en, type_ in ADDED:
            if code not in have:
                Account.objects.create(organisation_id=org_id, code=code, name_th=th, name_en=en, type=type_,
                                       standard_code=code)


def remove(apps, schema_editor):
    Account = apps.get_model("ledger", "Account")
    Account.objects.filter(code__in=[c for c, *_ in ADDED], standard_code__in=[c for c, *_ in ADDED],
                           lines__isnull=True, sub_accounts__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("ledger", "0008_public_benefit_fund")]

    operations = [migrations.RunPython(add, remove)]
