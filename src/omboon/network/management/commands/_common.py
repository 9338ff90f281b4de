from __future__ import annotations

from django.core.management.base import CommandError

from omboon.network.models import NodeConfig
from omboon.orgs.models import Organisation


def group(code: str | None) -> Organisation:
    if code:
        org = Organisation.objects.filter(code=code, is_active=True).first()
        if org is None or not org.is_group:
            raise CommandError(f"ไม่พบกลุ่ม {code} (ดูด้วย omboon orgs) / no group {code} (see omboon orgs)")
        return org
    configs = list(NodeConfig.objects.select_related("organisation")[:2])
    if len(configs) == 1:
        return configs[0].organisation
    groups = list(Organisation.objects.filter(kind=Organisation.Kind.GROUP, is_active=True)[:2])
    if len(groups) == 1:
        return groups[0]
    raise CommandError("ระบุกลุ่มด้วย --org CODE / name the group with --org CODE")
