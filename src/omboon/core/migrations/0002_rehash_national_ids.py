"""Recompute members' national-ID hashes with this install's own key.

Until this release every install keyed the hashes with the public default SECRET_KEY; now a
laptop makes its own key and a server takes OMBOON_SECRET_KEY (``omboon.core.secret_key``),
so hashes written before would no longer match a search by ID or a member in another group.
This runs once, on the upgrade, with the key the install now has. A new database has no
members yet and nothing to do.
"""

from django.db import migrations

BATCH = 2000


def rehash(apps, schema_editor):
    from omboon.core import national_id

    Member = apps.get_model("members", "Member")
    todo = Member.objects.exclude(national_id="").only("pk", "national_id", "id_hash").order_by("pk")
    batch = []
    for member in todo.iterator(chunk_size=BATCH):
        new = national_id.keyed_hash(member.national_id)
        if new != member.id_hash:
            member.id_hash = new
            batch.append(member)
        if len(batch) >= BATCH:
            Member.objects.bulk_update(batch, ["id_hash"])
            batch = []
    if batch:
        Member.objects.bulk_update(batch, ["id_hash"])


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0001_initial"),
        ("members", "0002_beneficiaries_status_history_vulnerable"),
    ]

    operations = [migrations.RunPython(rehash, migrations.RunPython.noop, elidable=True)]
