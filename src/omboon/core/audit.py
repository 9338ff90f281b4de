"""The one way to write an audit event. Call it inside the service's transaction."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db import models

from omboon.core.models import AuditEvent


def _plain(value: Any) -> Any:
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return value


# Audit actions are named ``<app>.<function>`` after the service that writes them; the events
# stored under the names they had before were renamed by migration core 0003.


def person(actor):
    """The user who acted, or None when no person did (a command, the sync, the demo, or an
    anonymous user): what a row's created_by / changed_by and an event's actor hold."""
    return actor if getattr(actor, "pk", None) else None


def person_id(actor) -> int | None:
    """The id of ``person(actor)`` (for rows written as plain values)."""
    return actor.pk if getattr(actor, "pk", None) else None


def snapshot(obj: models.Model, fields: list[str] | None = None) -> dict[str, Any]:
    """The audit-able values of a model instance (foreign keys as ids)."""
    names = fields or [f.attname for f in obj._meta.concrete_fields]
    return {name: _plain(getattr(obj, name)) for name in names}


def record(
    *,
    actor,
    action: str,
    organisation=None,
    obj: models.Model | None = None,
    summary: str = "",
    before: dict | None = None,
    after: dict | None = None,
) -> AuditEvent:
    return AuditEvent.objects.create(
        organisation=organisation,
        actor=person(actor),
        action=action,
        object_type=obj._meta.label_lower if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        summary=summary[:255],
        before=_plain(before) if before is not None else None,
        after=_plain(after) if after is not None else None,
    )
