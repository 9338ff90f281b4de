"""Gapless running numbers: the one way a document number is taken.

A sequence is a row with a ``last_number`` (the ledger's ``DocumentSequence`` per document type
and fiscal year, the contributions' ``ReceiptSequence`` per fiscal year). ``locked`` creates the
row when new and locks it (``select_for_update``; on SQLite the IMMEDIATE transaction already
holds the write lock) for the rest of the caller's transaction; ``take`` reserves numbers of a
locked row. Two writers at once wait for each other, and a transaction that rolls back gives
its numbers back, so a series never has a gap or a repeat.
"""

from __future__ import annotations

from django.db import models


def locked(model: type[models.Model], **key) -> models.Model:
    """The sequence row of ``key`` (e.g. organisation, doc_type, fiscal_year), locked."""
    row = model.objects.select_for_update().filter(**key).first()
    if row is not None:  # the usual case: one query
        return row
    model.objects.get_or_create(**key)
    return model.objects.select_for_update().get(**key)


def take(sequence: models.Model, count: int = 1) -> int:
    """Reserve ``count`` numbers of a locked sequence row; returns the first of them."""
    first = sequence.last_number + 1
    sequence.last_number += count
    sequence.save(update_fields=["last_number"])
    return first


def take_next(model: type[models.Model], count: int = 1, **key) -> int:
    """Lock the sequence of ``key`` and reserve ``count`` numbers; returns the first."""
    return take(locked(model, **key), count)
