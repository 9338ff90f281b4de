"""Values for the web URL walker (omboon.web.tests.test_url_walker)."""

import secrets
import tempfile

from omboon.imports.models import ImportJob
from omboon.imports.tests.helpers import MEMBER_HEADERS, csv_bytes, member_rows


def _job(org, built):
    with tempfile.NamedTemporaryFile(suffix=".csv", delete=False) as f:
        f.write(csv_bytes(MEMBER_HEADERS, member_rows(2)))
    # one finished job per file
    return ImportJob.objects.create(organisation=org, kind="members", file_name="walk.csv",
                                    file_sha256=secrets.token_hex(32), file_path=f.name,
                                    status=ImportJob.Status.DONE, total_rows=1, total_batches=1,
                                    committed_batches=1, committed_rows=1).pk


URL_VALUES = {
    "job_id": _job,
    "imports-template.kind": lambda org, built: "members",
    "imports-template.fmt": lambda org, built: "xlsx",
}
