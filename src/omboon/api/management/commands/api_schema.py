"""``omboon api-schema``: the API's OpenAPI schema as the code builds it, written to
``docs/openapi.json`` (or checked against it with ``--check``)."""

from __future__ import annotations

import sys
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand

from omboon.api.schema import SCHEMA_FILE, schema_text


class Command(BaseCommand):
    help = ("เขียน OpenAPI ของ API ลง docs/openapi.json (--check: ตรวจว่าตรงกับโค้ด)\n"
            "write the API's OpenAPI schema to docs/openapi.json (--check: fail if it differs from the code)")

    def add_arguments(self, parser):
        parser.add_argument("-o", "--output", default=None,
                            help="ไฟล์ที่จะเขียน (ค่าเริ่มต้น docs/openapi.json; - คือหน้าจอ) / "
                                 "the file to write (default docs/openapi.json; - for standard output)")
        parser.add_argument("--check", action="store_true",
                            help="ไม่เขียน: ออกด้วยรหัส 1 ถ้าไฟล์ไม่ตรงกับโค้ด / "
                                 "write nothing: exit 1 if the file differs from the code")

    def handle(self, *args, output=None, check=False, **options):
        text = schema_text()
        if output == "-":
            self.stdout.write(text, ending="")
            return
        path = Path(output) if output else Path(settings.REPO_DIR) / SCHEMA_FILE
        if check:
            if not path.exists() or path.read_text(encoding="utf-8") != text:
                self.stderr.write(f"{path} ไม่ตรงกับ API ในโค้ด: รัน `omboon api-schema` แล้ว commit\n"
                                  f"{path} differs from the API in the code: run `omboon api-schema` and commit it")
                sys.exit(1)
            self.stdout.write(f"{path}: ตรงกับโค้ด / matches the code")
            return
        path.write_text(text, encoding="utf-8")
        self.stdout.write(f"เขียน / wrote {path}")
