"""Organisations over HTTP: what the caller may see, one organisation, its subtree."""

from __future__ import annotations

import datetime as dt

from ninja import Router, Schema

from omboon.core.contract import OrgCode
from omboon.orgs import scoping, selectors
from omboon.orgs.models import Organisation

router = Router(tags=["organisations"])


class OrganisationOut(Schema):
    code: str
    kind: str
    group_type: str
    name_th: str
    name_en: str
    parent: str | None
    depth: int
    founded_on: dt.date | None
    province_code: str
    district_code: str
    subdistrict_code: str
    fiscal_year_start_month: int

    @staticmethod
    def resolve_parent(obj: Organisation) -> str | None:
        return obj.parent.code if obj.parent_id else None


@router.get("/", response=list[OrganisationOut], summary="องค์กรที่มองเห็นได้ / visible organisations")
def organisation_list(request):
    return selectors.tree_rows(scoping.visible_organisations(request.user))


@router.get("/{code}", response=OrganisationOut, summary="องค์กรเดียว / one organisation")
def organisation_detail(request, code: OrgCode):
    return scoping.access_org(request.user, code).organisation


@router.get("/{code}/subtree", response=list[OrganisationOut],
            summary="องค์กรภายใต้ / the organisation and everything below it")
def organisation_subtree(request, code: OrgCode):
    org = scoping.access_org(request.user, code).organisation
    return selectors.tree_rows(selectors.subtree(org))
