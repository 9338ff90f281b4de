"""``omboon restore FILE``: check a backup, then put it in place of the current database."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from omboon.core import backups
from omboon.core.console import table


class Command(BaseCommand):
    help = (
        "กู้คืนฐานข้อมูลจากไฟล์สำรอง หลังตรวจความถูกต้อง (เก็บฐานข้อมูลเดิมไว้; หยุดเว็บก่อน)\n"
        "restore the database from a backup, after checking it (the old one is kept aside; stop the web server first)"
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, help="ไฟล์สำรอง / backup file (.sqlite3 or .json.gz)")

    def _counts(self, counts: dict[str, int]) -> None:
        rows = [["ตาราง / table", "แถว / rows"]]
        rows += [[name, f"{n:,}"] for name, n in sorted(counts.items()) if n]
        self.stdout.write("\n".join(table(rows, right=(1,))))

    def handle(self, *args, file: Path, **options):
        is_json = file.name.endswith((".json", ".json.gz"))
        try:
            if is_json:
                counts = backups.json_restore(file)
                self._counts(counts)
                self.stdout.write(self.style.SUCCESS(
                    f"กู้คืนแล้ว / restored {sum(counts.values()):,} แถว / rows from {file}"))
                self.stdout.write(backups.key_restore(file))
                return
            if not backups.is_sqlite():
                raise backups.BackupError(
                    "ฐานข้อมูลนี้ไม่ใช่ SQLite: ใช้ไฟล์ .json.gz จาก omboon backup / "
                    "this database is not SQLite: restore a .json.gz made by omboon backup")
            check, kept = backups.sqlite_restore(file)
            key_done = backups.key_restore(file)
        except (backups.BackupError, OSError) as exc:
            raise CommandError(f"กู้คืนไม่สำเร็จ / restore failed: {exc}") from exc
        self.stdout.write(f"ตรวจแล้ว / checked: integrity ok, {check.migrations} migrations")
        self._counts(check.counts)
        self.stdout.write(f"ฐานข้อมูลเดิมเก็บไว้ที่ / the previous database is kept at: {kept}")
        self.stdout.write(key_done)
        self.stdout.write(self.style.SUCCESS(f"กู้คืนแล้ว / restored from {file}"))
        self.stdout.write("ถ้าไฟล์สำรองเก่ากว่าโปรแกรม ให้รัน / if the backup is older than the "
                          "program, run: omboon migrate")
