"""Receipts and items lose five single-column indexes that composite indexes already lead with
(or that nothing looks up by): fewer index writes per receipt. Dropped by name (core.schema),
without Django's SQLite table rebuild."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

from omboon.core.schema import drop_field_indexes


class Migration(migrations.Migration):

    dependencies = [
        ('contributions', '0002_alter_receipt_entry_receiptsequence'),
        ('members', '0002_beneficiaries_status_history_vulnerable'),
        ('orgs', '0002_organisation_is_remote_node'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[drop_field_indexes(
                ("contributions_receipt", "created_by_id"), ("contributions_receipt", "member_id"),
                ("contributions_receipt", "organisation_id"), ("contributions_receipt", "voided_by_id"),
                ("contributions_receiptitem", "organisation_id"))],
            state_operations=[
                migrations.AlterField(
                    model_name='receipt',
                    name='created_by',
                    field=models.ForeignKey(blank=True, db_index=False, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL),
                ),
                migrations.AlterField(
                    model_name='receipt',
                    name='member',
                    field=models.ForeignKey(blank=True, db_index=False, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='receipts', to='members.member'),
                ),
                migrations.AlterField(
                    model_name='receipt',
                    name='organisation',
                    field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='orgs.organisation'),
                ),
                migrations.AlterField(
                    model_name='receipt',
                    name='voided_by',
                    field=models.ForeignKey(blank=True, db_index=False, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL),
                ),
                migrations.AlterField(
                    model_name='receiptitem',
                    name='organisation',
                    field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='orgs.organisation'),
                ),
            ],
        ),
    ]
