"""The API's schema is a decision: ``docs/openapi.json`` holds it, and a change of the code's
schema without the file fails here (run ``uv run omboon api-schema`` and commit the file)."""

import json

from django.conf import settings

from omboon.api.schema import SCHEMA_FILE, schema_text


def test_the_checked_in_schema_is_the_one_the_code_builds():
    checked_in = (settings.REPO_DIR / SCHEMA_FILE).read_text(encoding="utf-8")
    assert checked_in == schema_text(), (
        f"{SCHEMA_FILE} differs from the API in the code: if the change is meant, run "
        "`uv run omboon api-schema` and commit the file (a breaking change needs /api/v2/)")


def test_the_served_schema_is_the_checked_in_one(client, treasurer):
    client.force_login(treasurer)
    served = client.get("/api/v1/openapi.json", HTTP_ACCEPT_LANGUAGE="en").json()
    assert served == json.loads((settings.REPO_DIR / SCHEMA_FILE).read_text(encoding="utf-8"))
