"""The API's schema as text: what ``docs/openapi.json`` must hold (``omboon api-schema``)."""

from __future__ import annotations

import json

SCHEMA_FILE = "docs/openapi.json"


def schema() -> dict:
    # the API and every router it mounts load when the schema is asked for, not when `omboon --help`
    # lists the command
    from omboon.api.main import api  # noqa: PLC0415

    return api.get_openapi_schema(path_prefix="/api/v1/")


def schema_text() -> str:
    return json.dumps(schema(), ensure_ascii=False, indent=1) + "\n"
