"""Every schema of the OpenAPI document has a name of its own. django-ninja builds each
operation's schemas apart and files them under their class names, so two classes of one name
(the ledger's ``ReverseIn`` and the year-end's once; welfare's ``ReasonIn``, with a
date, and the one of savings and loans, without, until this test) collapse into one component, silently:
the document then says of one what is true of the other (a ledger reversal's required date read
as optional). Here every class a request or a response reaches is listed by the name it takes
in the document, and a name two classes share fails."""

from __future__ import annotations

import enum
import typing

from pydantic import BaseModel

from omboon.api.main import api
from omboon.api.schema import schema


def _classes_by_name(types) -> dict[str, set[type]]:
    """The models and enums reachable from ``types`` through their fields, by class name."""
    by_name: dict[str, set[type]] = {}
    seen: set = set()

    def visit(tp) -> None:
        for arg in typing.get_args(tp):
            visit(arg)
        if not isinstance(tp, type) or tp in seen:
            return
        seen.add(tp)
        if issubclass(tp, enum.Enum):
            by_name.setdefault(tp.__name__, set()).add(tp)
        elif issubclass(tp, BaseModel):
            by_name.setdefault(tp.__name__, set()).add(tp)
            for f in tp.model_fields.values():
                visit(f.annotation)

    for tp in types:
        visit(tp)
    return by_name


def _operation_types(ninja_api) -> list:
    """What each operation reads (its parameter and body models) and answers (its response models)."""
    types = []
    for _prefix, router in ninja_api._routers:
        for path_view in router.path_operations.values():
            for op in path_view.operations:
                types += list(op.models) + [m for m in op.response_models.values() if isinstance(m, type)]
    return types


def _shared_names(ninja_api, components) -> dict[str, list[str]]:
    return {name: sorted(f"{c.__module__}.{c.__qualname__}" for c in classes)
            for name, classes in _classes_by_name(_operation_types(ninja_api)).items()
            if name in components and len(classes) > 1}


def test_no_two_classes_share_a_component_name():
    components = schema()["components"]["schemas"]
    assert _shared_names(api, components) == {}, (
        "two classes file under one name in the OpenAPI document, so one hides the other: rename one")


def test_two_classes_of_one_name_are_found():
    """The check itself, on a small API whose two routers each take a body named ``ReverseIn``."""
    from ninja import NinjaAPI, Router, Schema

    def body(field_name: str) -> type:
        return type("ReverseIn", (Schema,), {"__annotations__": {field_name: str}})

    first, second = Router(), Router()
    ledger_in, year_end_in = body("date"), body("reason")
    first.add_api_operation("/a", ["POST"], _view(ledger_in))
    second.add_api_operation("/b", ["POST"], _view(year_end_in))
    small = NinjaAPI(urls_namespace="component-names-test")
    small.add_router("/one/", first)
    small.add_router("/two/", second)
    components = small.get_openapi_schema(path_prefix="")["components"]["schemas"]
    assert list(components) == ["ReverseIn"]  # collapsed: the document shows one of them
    assert list(_shared_names(small, components)) == ["ReverseIn"]


def _view(model: type):
    def view(request, payload):
        return None

    view.__annotations__ = {"payload": model}
    view.__name__ = f"view_{id(model)}"
    return view
