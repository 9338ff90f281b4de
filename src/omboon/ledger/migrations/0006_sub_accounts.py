"""Members' sub-accounts (``SubAccount``) and the ``sub_account`` of journal and voucher lines.

The database guards the new column as it guards a line's other references:

- PostgreSQL: no foreign key on ``ledger_journalline.sub_account_id`` (Django's is dropped
  here, as 0005 dropped the others); the statement trigger ``ledger_lines_inserted`` checks,
  once per INSERT or COPY, that every line's sub-account exists in the line's group and sits
  under the line's account; ``ledger_refuse_delete_referenced`` refuses deleting a sub-account
  that lines name.
- SQLite: the foreign key stays; the per-row insert trigger gains the same check (and
  ``guards.batch_checked`` checks it for a batch while that trigger is lifted).
"""

import importlib

import django.db.models.deletion
from django.db import migrations, models


initial = importlib.import_module("omboon.ledger.migrations.0002_immutability_triggers")
references = importlib.import_module("omboon.ledger.migrations.0005_pg_line_references_checked_by_statement")

MSG_SUB_ACCOUNT = "ledger: sub-account of another group or account / บัญชีย่อยเป็นของกลุ่มหรือบัญชีอื่น"

# PostgreSQL: the statement function as 0005 left it, with the sub-account check added.
LINES_FUNCTION = references.PG_UP[1]
assert LINES_FUNCTION.startswith("CREATE OR REPLACE FUNCTION ledger_lines_inserted()")
assert LINES_FUNCTION.count(references.END) == 1
SUB_ACCOUNT_CHECK = f"""      SELECT n.sub_account_id INTO r FROM (
        SELECT DISTINCT organisation_id, account_id, sub_account_id FROM new_lines
        WHERE sub_account_id IS NOT NULL) n
      WHERE NOT EXISTS (SELECT 1 FROM ledger_subaccount s WHERE s.id = n.sub_account_id
                        AND s.organisation_id = n.organisation_id AND s.account_id = n.account_id)
      LIMIT 1;
      IF FOUND THEN
        RAISE EXCEPTION '{MSG_SUB_ACCOUNT}: sub-account %', r.sub_account_id USING ERRCODE = '23503';
      END IF;
"""
PG_UP = [
    """DO $$ DECLARE c record; BEGIN
      FOR c IN SELECT k.conname FROM pg_constraint k
               JOIN pg_attribute a ON a.attrelid = k.conrelid AND a.attnum = ANY (k.conkey)
               WHERE k.conrelid = 'ledger_journalline'::regclass AND k.contype = 'f'
                 AND a.attname = 'sub_account_id' LOOP
        EXECUTE format('ALTER TABLE ledger_journalline DROP CONSTRAINT %I', c.conname);
      END LOOP; END $$""",
    LINES_FUNCTION.replace(references.END, SUB_ACCOUNT_CHECK + references.END),
    """CREATE TRIGGER ledger_lines_refer_ledger_subaccount BEFORE DELETE ON ledger_subaccount
    FOR EACH ROW EXECUTE FUNCTION ledger_refuse_delete_referenced('sub_account_id')""",
]
PG_DOWN = [
    "DROP TRIGGER ledger_lines_refer_ledger_subaccount ON ledger_subaccount",
    LINES_FUNCTION,
    "ALTER TABLE ledger_journalline ADD CONSTRAINT ledger_journalline_sub_account_id_fk FOREIGN KEY "
    "(sub_account_id) REFERENCES ledger_subaccount (id) DEFERRABLE INITIALLY DEFERRED",
]

# SQLite: the per-row insert trigger of 0002 with the same check before its END.
SQLITE_LINE_TRIGGER = next(s for s in initial.SQLITE_UP if "CREATE TRIGGER ledger_journalline_insert " in s)
SQLITE_END = "\n    END"
assert SQLITE_LINE_TRIGGER.endswith(SQLITE_END)
SQLITE_SUB_ACCOUNT_CHECK = f"""
      SELECT RAISE(ABORT, '{MSG_SUB_ACCOUNT}') WHERE NEW.sub_account_id IS NOT NULL AND NOT EXISTS (
        SELECT 1 FROM ledger_subaccount s WHERE s.id = NEW.sub_account_id
        AND s.organisation_id = NEW.organisation_id AND s.account_id = NEW.account_id);"""
SQLITE_UP = [
    "DROP TRIGGER ledger_journalline_insert",
    SQLITE_LINE_TRIGGER[:-len(SQLITE_END)] + SQLITE_SUB_ACCOUNT_CHECK + SQLITE_END,
]
SQLITE_DOWN = ["DROP TRIGGER ledger_journalline_insert", SQLITE_LINE_TRIGGER]


class Migration(migrations.Migration):

    dependencies = [
        ('ledger', '0005_pg_line_references_checked_by_statement'),
        ('members', '0002_beneficiaries_status_history_vulnerable'),
        ('orgs', '0002_organisation_is_remote_node'),
    ]

    operations = [
        migrations.CreateModel(
            name='SubAccount',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('number', models.CharField(max_length=32)),
                ('kind', models.CharField(blank=True, max_length=32)),
                ('name', models.CharField(blank=True, max_length=200)),
                ('opened_on', models.DateField()),
                ('account', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='sub_accounts', to='ledger.account')),
                ('member', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='sub_accounts', to='members.member')),
                ('organisation', models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='orgs.organisation')),
            ],
            options={
                'ordering': ['organisation_id', 'number'],
            },
        ),
        migrations.AddField(
            model_name='journalline',
            name='sub_account',
            field=models.ForeignKey(blank=True, db_index=False, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='lines', to='ledger.subaccount'),
        ),
        migrations.AddField(
            model_name='voucherline',
            name='sub_account',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='ledger.subaccount'),
        ),
        migrations.AddIndex(
            model_name='journalline',
            index=models.Index(condition=models.Q(('sub_account__isnull', False)), fields=['sub_account', 'date'], name='ledger_line_sub_account_date'),
        ),
        migrations.AddConstraint(
            model_name='subaccount',
            constraint=models.UniqueConstraint(fields=('organisation', 'number'), name='ledger_subaccount_number_unique'),
        ),
        migrations.RunPython(initial._run({"sqlite": SQLITE_UP, "postgresql": PG_UP}),
                             initial._run({"sqlite": SQLITE_DOWN, "postgresql": PG_DOWN})),
    ]
