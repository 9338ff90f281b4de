"""Audit actions take the name of the service that writes them, ``<app>.<function>``
(``member.status`` → ``members.member_status_change``): the stored events are renamed so the
audit trail lists and filters old and new events alike ."""

from django.db import migrations

# old → new, as of this migration
RENAMED = {
    "contributions.collection_day": "contributions.collection_day_post",
    "imports.batch": "imports.import_job_run",
    "imports.job_approve": "imports.import_job_approve",
    "imports.job_create": "imports.import_job_create",
    "imports.job_start": "imports.import_job_start",
    "member.beneficiaries": "members.beneficiaries_set",
    "member.bulk_create": "members.members_bulk_create",
    "member.create": "members.member_create",
    "member.data_export": "members.member_data_exported",
    "member.erase": "members.member_erase",
    "member.export_ids": "imports.members_export_ids",
    "member.link_user": "members.member_link_user",
    "member.reveal_id": "members.member_reveal_id",
    "member.search_id": "members.member_id_searched",
    "member.status": "members.member_status_change",
    "member.update": "members.member_update",
    "network.node_enrol": "network.enrol",
    "network.node_enrolled": "network.enrolment_redeem",
    "network.personal_data_withdrawn": "network.withdraw_personal_data",
    "network.sync_apply": "network.apply_batch",
    "network.sync_stage": "network.stage",
    "org.create": "orgs.organisation_create",
    "org.update": "orgs.organisation_update",
    "role.grant": "orgs.role_grant",
    "role.revoke": "orgs.role_revoke",
    "user.create": "orgs.user_create",
    "reports.logo_removed": "reports.logo_remove",
    "welfare.scheme_active": "welfare.scheme_set_active",
    "demo.scale_group": "demo.group_fill",
}


def rename(apps, schema_editor, pairs):
    AuditEvent = apps.get_model("core", "AuditEvent")
    for old, new in pairs:
        AuditEvent.objects.filter(action=old).update(action=new)


def forwards(apps, schema_editor):
    rename(apps, schema_editor, RENAMED.items())


def backwards(apps, schema_editor):
    rename(apps, schema_editor, [(new, old) for old, new in RENAMED.items()])


class Migration(migrations.Migration):
    dependencies = [("core", "0002_rehash_national_ids")]

    operations = [migrations.RunPython(forwards, backwards)]
