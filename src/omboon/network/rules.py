"""Checks of the network's own writes: each returns a list of Problems (Thai first, English
second). The lists name the checks of each write; ``core.errors.problems_of`` runs them."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from omboon.core.errors import Problem
from omboon.network.models import SharingPolicy


def check_group(organisation) -> list[Problem]:
    """Monthly facts and sharing choices belong to a group."""
    if organisation is None or not organisation.is_group:
        return [Problem("organisation", "ข้อเท็จจริงรายเดือนเป็นของกลุ่มเท่านั้น", "monthly facts belong to a group")]
    return []


@dataclass(frozen=True)
class SharingChoice:
    organisation: Any
    sharing: str


def sharing_group(c: SharingChoice) -> list[Problem]:
    return check_group(c.organisation)


def sharing_known(c: SharingChoice) -> list[Problem]:
    if c.sharing in SharingPolicy.Sharing.values:
        return []
    return [Problem("sharing", f"ไม่รู้จักการแบ่งปันข้อมูล {c.sharing!r}", f"unknown sharing choice {c.sharing!r}",
                    value=c.sharing)]


SHARING_SET = [sharing_group, sharing_known]


def check_enrolling(organisation) -> list[Problem]:
    """Only a group runs on its own laptop."""
    return [] if organisation.is_group else [Problem("organisation", "ลงทะเบียนได้เฉพาะกลุ่ม", "only a group can enrol")]
