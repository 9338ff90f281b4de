"""Connected in ``NetworkConfig.ready``: they only hand over to services and selectors."""

from __future__ import annotations

import contextvars
from contextlib import contextmanager

from django.db.models import Model

from omboon.core.errors import RuleViolation
from omboon.network import services
from omboon.network.models import SharingPolicy
from omboon.orgs import scoping
from omboon.orgs.models import Organisation

# Models of these apps belong to a group; on a network's server a synced group's rows are
# written only by the sync (``applying_sync``), never by a page, a service or the API.
# (A new domain app whose rows belong to a group joins here.)
GUARDED_APPS = {"members", "ledger", "contributions", "welfare", "imports", "savings", "loans"}
_applying_sync = contextvars.ContextVar("omboon_applying_sync", default=False)


@contextmanager
def applying_sync():
    token = _applying_sync.set(True)
    try:
        yield
    finally:
        _applying_sync.reset(token)


def on_period_closed(sender, organisation, year, month, actor=None, **kwargs):
    if _applying_sync.get():
        return  # a synced group's facts are the ones its laptop computed and sent
    closed_at = sender.closed_at if isinstance(sender, Model) else None  # sender: a Period or its class
    services.facts_write(actor=actor, organisation=organisation, year=year, month=month, closed_at=closed_at)


def on_period_reopened(sender, organisation, periods, actor=None, **kwargs):
    if _applying_sync.get():
        return  # the laptop's facts of those months follow in its outbox
    services.facts_delete(actor=actor, organisation=organisation, months=list(periods))


class RemoteNodeWrite(RuleViolation):
    pass


def refuse_remote_write(sender, instance, **kwargs):
    if sender._meta.app_label not in GUARDED_APPS or _applying_sync.get():
        return
    org_id = getattr(instance, "organisation_id", None)
    if org_id is None:
        return
    org = instance._state.fields_cache.get("organisation")
    if org is not None:
        remote = org.is_remote_node
    else:
        remote = Organisation.objects.filter(pk=org_id, is_remote_node=True).exists()
    if remote:
        raise RemoteNodeWrite.single(
            "organisation",
            "กลุ่มนี้บันทึกข้อมูลบนเครื่องของกลุ่มเองและส่งขึ้นมาด้วยการซิงก์ จึงแก้ไขบนเซิร์ฟเวอร์เครือข่ายไม่ได้",
            "this group keeps its records on its own laptop and syncs them here; the network's server "
            "cannot change them",
        )


class NetworkSharingPolicy(scoping.SharingPolicy):
    def records_withheld(self, organisation) -> bool:
        return SharingPolicy.objects.filter(organisation=organisation,
                                            sharing=SharingPolicy.Sharing.AGGREGATES).exists()

    def withheld_group_ids(self):
        return SharingPolicy.objects.filter(sharing=SharingPolicy.Sharing.AGGREGATES).values("organisation_id")
