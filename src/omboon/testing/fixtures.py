"""pytest fixtures shared by every app's tests (loaded from the root conftest)."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from omboon.orgs.models import Organisation, Role
from omboon.testing.factories import make_group, make_network, make_user


@dataclass
class Tree:
    province: Organisation
    zone: Organisation
    group_a: Organisation
    group_b: Organisation
    other_zone: Organisation
    group_c: Organisation


@pytest.fixture
def tree(db) -> Tree:
    """Lampang province → southern zone → groups A and B; a second zone with group C."""
    province = make_network("LP", "เครือข่ายจังหวัดลำปาง", name_en="Lampang network")
    zone = make_network("LP-S", "เครือข่ายลำปางใต้", parent=province)
    other = make_network("LP-N", "เครือข่ายลำปางเหนือ", parent=province)
    a = make_group("BDC", "กองทุนสวัสดิการบ้านดอนไชย", parent=zone, name_en="Ban Don Chai")
    b = make_group("MPA", "กองทุนสวัสดิการแม่ปะ", parent=zone, name_en="Mae Pa")
    c = make_group("NGA", "กองทุนสวัสดิการงาว", parent=other, name_en="Ngao")
    return Tree(province, zone, a, b, other, c)


@pytest.fixture
def user_with_role(db):
    """``user_with_role(org, role)`` makes a user holding that role."""
    return make_user


@pytest.fixture
def treasurer(tree):
    return make_user(tree.group_a, Role.TREASURER, username="treasurer-a")


@pytest.fixture
def chair(tree):
    return make_user(tree.group_a, Role.CHAIR, username="chair-a")


@pytest.fixture
def auditor(tree):
    return make_user(tree.group_a, Role.AUDITOR, username="auditor-a")


@pytest.fixture
def coordinator(tree):
    return make_user(tree.zone, Role.COORDINATOR, username="coord-s")
