"""``omboon backup``: a whole-database backup (SQLite file, or compressed JSON)."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from omboon.demo import backups


class Command(BaseCommand):
    help = (
        "สำรองฐานข้อมูลทั้งหมด (SQLite: สำเนาไฟล์ใน data/backups/; PostgreSQL: JSON บีบอัด)\n"
        "back up the whole database (SQLite: a file copy under data/backups/; PostgreSQL: gzipped JSON)\n"
        "และกุญแจของเครื่องคู่กัน (<ไฟล์>.secret_key) / and the install's key beside it (<file>.secret_key)"
    )

    def add_arguments(self, parser):
        parser.add_argument("-o", "--output", type=Path, default=None,
                            help="ไฟล์ปลายทาง / output file (default data/backups/omboon-<time>.*)")
        parser.add_argument("--json", action="store_true",
                            help="สำรองเป็น JSON แม้ใช้ SQLite (เพื่อย้ายไป PostgreSQL) / "
                                 "JSON even on SQLite (to move to PostgreSQL)")

    def handle(self, *args, output, json, **options):
        try:
            if backups.is_sqlite() and not json:
                check = backups.sqlite_backup(output)
                path, counts = check.path, check.counts
            else:
                path = output or backups.default_path(".json.gz")
                counts = backups.json_backup(path)
            key = backups.key_backup(path)
        except (backups.BackupError, OSError) as exc:
            raise CommandError(f"สำรองไม่สำเร็จ / backup failed: {exc}") from exc
        rows = sum(counts.values())
        self.stdout.write(self.style.SUCCESS(
            f"สำรองแล้ว / backed up: {path} ({path.stat().st_size:,} bytes, {rows:,} แถว / rows "
            f"in {len(counts)} ตาราง / tables)"))
        self.stdout.write(f"กุญแจของเครื่อง (เก็บให้ปลอดภัยเท่าไฟล์สำรอง) / the install's key (keep it "
                          f"as safe as the backup): {key}")
