"""Core migration 0002: members' national-ID hashes, once keyed with the public default
SECRET_KEY, are made again with the install's own key on the upgrade."""

from __future__ import annotations

import importlib

import pytest
from django.apps import apps

from omboon.core import national_id
from omboon.members.models import Member
from omboon.web.tests.conftest import make_member

rehash = importlib.import_module("omboon.core.migrations.0002_rehash_national_ids").rehash


@pytest.mark.django_db
def test_old_hashes_are_made_again_with_this_installs_key(tree):
    old, fine = make_member(tree.group_a), make_member(tree.group_a)
    erased = make_member(tree.group_a, national_id="")
    Member.objects.filter(pk=old.pk).update(id_hash="hash-made-with-the-public-default-key")
    Member.objects.filter(pk=erased.pk).update(id_hash="")

    rehash(apps, None)

    hashes = dict(Member.objects.values_list("pk", "id_hash"))
    assert hashes[old.pk] == national_id.keyed_hash(old.national_id)  # search by ID finds them again
    assert hashes[fine.pk] == national_id.keyed_hash(fine.national_id)
    assert hashes[erased.pk] == ""  # an anonymised member has no ID to hash
