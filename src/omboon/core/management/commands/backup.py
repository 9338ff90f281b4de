"""``omboon backup``: a whole-database backup (SQLite file, or compressed JSON), its listing
and a retention count for the nightly run (``deploy/omboon-backup.timer``)."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from omboon.core import backups
from omboon.core.console import table


class Command(BaseCommand):
    help = (
        "สำรองฐานข้อมูลทั้งหมด (SQLite: สำเนาไฟล์ข้างฐานข้อมูลที่ใช้อยู่; PostgreSQL: JSON บีบอัด)\n"
        "back up the whole database (SQLite: a file copy beside the database in use; PostgreSQL: gzipped JSON)\n"
        "และกุญแจของเครื่องคู่กัน (<ไฟล์>.secret_key) / and the install's key beside it (<file>.secret_key).\n"
        "ที่เก็บ / where: data/backups/ for data/omboon.sqlite3; <folder>/<name>-backups/ for a database "
        "elsewhere (OMBOON_SQLITE); --to DIR (e.g. a USB stick) to choose"
    )

    def add_arguments(self, parser):
        parser.add_argument("-o", "--output", type=Path, default=None,
                            help="ไฟล์ปลายทาง / output file (default <where>/omboon-<time>.*)")
        parser.add_argument("--to", type=Path, default=None, metavar="DIR",
                            help="โฟลเดอร์ปลายทาง เช่น แฟลชไดรฟ์ / folder to write to, e.g. a USB stick")
        parser.add_argument("--json", action="store_true",
                            help="สำรองเป็น JSON แม้ใช้ SQLite (เพื่อย้ายไป PostgreSQL) / "
                                 "JSON even on SQLite (to move to PostgreSQL)")
        parser.add_argument("--list", action="store_true",
                            help="แสดงไฟล์สำรองพร้อมขนาดและลายนิ้วมืองบทดลอง / list the backups with their "
                                 "size and trial-balance fingerprint")
        parser.add_argument("--keep", type=int, default=None, metavar="N",
                            help="หลังสำรอง เก็บไว้เฉพาะ N ไฟล์ล่าสุดในโฟลเดอร์ / after the backup, keep "
                                 "only the newest N in the folder")

    def handle(self, *args, output, to, json, list, keep, **options):
        folder = to or (output.parent if output else backups.backup_dir())
        if list:
            return self._list(folder)
        if keep is not None and keep < 1:
            raise CommandError("--keep ต้องเป็น 1 ขึ้นไป / --keep must be 1 or more")
        try:
            if backups.is_sqlite() and not json:
                check = backups.sqlite_backup(output, folder=folder if to else None)
                path, counts = check.path, check.counts
            else:
                path = output or backups.default_path(".json.gz", folder)
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
        if keep is not None:
            gone = backups.prune(path.parent, keep)
            self.stdout.write(f"เก็บ {keep} ไฟล์ล่าสุด ลบ {len(gone)} ไฟล์เก่า / kept the newest {keep}, "
                              f"deleted {len(gone)} older")

    def _list(self, folder: Path) -> None:
        found = backups.listed(folder)
        self.stdout.write(f"ไฟล์สำรองใน / backups in {folder}: {len(found)}")
        if not found:
            return
        self.stdout.write(f"ฐานข้อมูลตอนนี้ / this database now: {backups.live_fingerprint()}")
        rows = [["ไฟล์ / file", "ขนาด / size", "ลายนิ้วมืองบทดลอง / trial-balance fingerprint"]]
        rows += [[item.path.name, f"{item.size:,}", item.fingerprint] for item in found]
        self.stdout.write("\n".join(table(rows, right=(1,))))
