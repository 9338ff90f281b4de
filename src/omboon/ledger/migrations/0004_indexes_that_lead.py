"""Entries and lines lose four single-column indexes that composite indexes already lead with
(or that nothing looks up by): fewer index writes per posted line. Dropped by name, not by
Django's SQLite table rebuild, which would lose the ledger's triggers (core.schema)."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

from omboon.core.schema import drop_field_indexes


class Migration(migrations.Migration):

    dependencies = [
        ('ledger', '0003_pg_statement_level_insert_checks'),
        ('orgs', '0002_organisation_is_remote_node'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[drop_field_indexes(
                ("ledger_journalentry", "created_by_id"), ("ledger_journalentry", "organisation_id"),
                ("ledger_journalline", "account_id"), ("ledger_journalline", "organisation_id"))],
            state_operations=[
                migrations.AlterField(
                    model_name='journalentry',
                    name='created_by',
                    field=models.ForeignKey(blank=True, db_index=False, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL),
                ),
                migrations.AlterField(
                    model_name='journalentry',
                    name='organisation',
                    field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='orgs.organisation'),
                ),
                migrations.AlterField(
                    model_name='journalline',
                    name='account',
                    field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.PROTECT, related_name='lines', to='ledger.account'),
                ),
                migrations.AlterField(
                    model_name='journalline',
                    name='organisation',
                    field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='orgs.organisation'),
                ),
            ],
        ),
    ]
