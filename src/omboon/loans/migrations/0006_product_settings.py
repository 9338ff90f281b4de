"""Guarantors by amount band (the single "above X, N guarantors" becomes the bands
[[X, 0], [None, N]]), a maximum as a multiple of own savings, an overpayment credited to
savings, and each committee member's approval of an application (a quorum)."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def to_bands(apps, schema_editor):
    Version = apps.get_model("loans", "LoanProductVersion")
    for v in Version.objects.filter(guarantors_required__gt=0):
        v.guarantor_bands = ([[v.guarantors_above, 0]] if v.guarantors_above > 0 else []) + [
            [None, v.guarantors_required]]
        v.save(update_fields=["guarantor_bands"])


def from_bands(apps, schema_editor):
    Version = apps.get_model("loans", "LoanProductVersion")
    for v in Version.objects.exclude(guarantor_bands=[]):
        bands = v.guarantor_bands
        free = [b for b in bands if b[1] == 0 and b[0] is not None]
        v.guarantors_above = free[-1][0] if free else 0
        v.guarantors_required = max(n for _, n in bands)
        v.save(update_fields=["guarantors_above", "guarantors_required"])


class Migration(migrations.Migration):

    dependencies = [
        ("loans", "0005_year_end_allocation"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(model_name="loanproductversion", name="guarantor_bands",
                            field=models.JSONField(default=list)),
        migrations.RunPython(to_bands, from_bands),
        migrations.RemoveField(model_name="loanproductversion", name="guarantors_above"),
        migrations.RemoveField(model_name="loanproductversion", name="guarantors_required"),
        migrations.AddField(model_name="loanproductversion", name="savings_multiple",
                            field=models.DecimalField(decimal_places=2, default=0, max_digits=5)),
        migrations.AddField(model_name="loanproductversion", name="overpayment_to_savings",
                            field=models.BooleanField(default=False)),
        migrations.AddField(model_name="repayment", name="to_savings", field=models.BigIntegerField(default=0)),
        migrations.CreateModel(
            name="LoanApproval",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("at", models.DateTimeField()),
                ("loan", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="approvals",
                                           to="loans.loan")),
                ("user", models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name="+",
                                           to=settings.AUTH_USER_MODEL)),
            ],
            options={"ordering": ["loan_id", "at", "pk"],
                     "constraints": [models.UniqueConstraint(fields=("loan", "user"),
                                                             name="loans_approval_once_a_person")]},
        ),
    ]
