"""omboon sync [--server URL] [--token T] [--org CODE] (on the group's laptop)"""

import sys
import time

from django.core.management.base import BaseCommand, CommandError

from omboon.network.management.commands._common import group
from omboon.network.models import NodeConfig
from omboon.network.sync import laptop, protocol


class Command(BaseCommand):
    help = ("ส่งการเปลี่ยนแปลงของกลุ่มขึ้นเซิร์ฟเวอร์เครือข่าย (ต่อจากจุดที่หยุดได้) / "
            "send the group's changes to its network's server (resumes where it stopped)")

    def add_arguments(self, parser):
        parser.add_argument("--server", help="ที่อยู่เซิร์ฟเวอร์ / server URL (default: from enrol)")
        parser.add_argument("--token", help="โทเค็น / token (default: from enrol)")
        parser.add_argument("--org")

    def handle(self, *args, **opts):
        org = group(opts["org"])
        config = NodeConfig.objects.filter(organisation=org).first()
        if opts["server"] and opts["token"]:
            config, _ = NodeConfig.objects.update_or_create(
                organisation=org, defaults={"server_url": opts["server"], "token": opts["token"]})
        elif config is None:
            raise CommandError("เครื่องนี้ยังไม่ได้ลงทะเบียน: ใช้ omboon enrol --server URL --code CODE ก่อน / "
                               "this laptop is not enrolled: run omboon enrol --server URL --code CODE first")
        elif opts["server"] or opts["token"]:
            config.server_url = opts["server"] or config.server_url
            config.token = opts["token"] or config.token
            config.save()
        t0 = time.perf_counter()
        staged = laptop.stage(actor=None, organisation=org)
        self.stdout.write(f"เตรียมส่ง / staged: {staged} ชุด/items")

        def progress(i, n, kind):
            self.stdout.write(f"[{i}/{n}] {kind} ({time.perf_counter() - t0:.1f} s)")
            sys.stdout.flush()

        try:
            sent = laptop.push(config=config, progress=progress)
        except (protocol.SyncError, OSError) as exc:
            raise CommandError(f"{exc}\nสั่ง omboon sync อีกครั้งเพื่อส่งต่อจากจุดที่หยุด / run omboon sync again "
                               "to continue from where it stopped") from exc
        self.stdout.write(f"เสร็จ / done: ส่ง/sent {sent} ชุด/items ({time.perf_counter() - t0:.1f} s)")
