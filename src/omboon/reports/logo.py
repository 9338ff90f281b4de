"""An organisation's logo on its printed reports: the one setting is the uploaded file itself.

    from omboon.reports import logo
    logo.check_logo(data)                                  # [Problem, ...]: PNG/JPEG, ≤ 512 KB
    logo.logo_set(actor=user, organisation=org, data=data)  # stored, audited (reports.logo_set)
    logo.logo_remove(actor=user, organisation=org)          # audited (reports.logo_removed)
    logo.logo_data_uri(org)                                 # "data:image/png;base64,..." or ""

The file lives in the data folder, one per organisation (``DATA_DIR/logos/<id>.png`` or
``.jpg``), never under a URL: reports and the upload page embed it as a data URI (the PDF,
and print pages under the CSP's ``img-src data:``), so only a page that already passed
``org_view`` ever shows it. No logo, no logo box on the report.
"""

from __future__ import annotations

import base64
import io
from pathlib import Path

from django.conf import settings
from django.db import transaction
from PIL import Image, UnidentifiedImageError

from omboon.core import audit
from omboon.core.errors import Problem, raise_if

MAX_BYTES = 512 * 1024
MAX_PIXELS = 4000  # a side; a logo printed 20 mm wide needs a few hundred
KINDS = {"png": (b"\x89PNG\r\n\x1a\n", "image/png", "PNG"), "jpg": (b"\xff\xd8\xff", "image/jpeg", "JPEG")}


def _folder() -> Path:
    return Path(settings.DATA_DIR) / "logos"


def _kind_of(data: bytes) -> str | None:
    for ext, (magic, _mime, _pil) in KINDS.items():
        if data.startswith(magic):
            return ext
    return None


def check_logo(data: bytes) -> list[Problem]:
    """A PNG or JPEG of at most 512 KB that Pillow can read, its format matching its bytes."""
    if not data:
        return [Problem("logo", "ไม่ได้เลือกไฟล์", "no file chosen")]
    if len(data) > MAX_BYTES:
        return [Problem("logo", f"ไฟล์ใหญ่เกิน {MAX_BYTES // 1024} KB", f"the file is over {MAX_BYTES // 1024} KB")]
    kind = _kind_of(data)
    if kind is None:
        return [Problem("logo", "ต้องเป็นไฟล์ PNG หรือ JPEG", "must be a PNG or JPEG file")]

    try:
        with Image.open(io.BytesIO(data)) as image:
            fmt, size = image.format, image.size
            image.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        return [Problem("logo", "อ่านรูปไม่ได้ (ไฟล์เสียหรือไม่ใช่รูป)",
                        "cannot read the image (damaged or not an image)")]
    if fmt != KINDS[kind][2]:
        return [Problem("logo", "ต้องเป็นไฟล์ PNG หรือ JPEG", "must be a PNG or JPEG file")]
    if max(size) > MAX_PIXELS:
        return [Problem("logo", f"รูปใหญ่เกิน {MAX_PIXELS:,} จุด ({size[0]}×{size[1]})",
                        f"the image is over {MAX_PIXELS:,} pixels a side ({size[0]}×{size[1]})")]
    return []


def logo_file(organisation) -> Path | None:
    pk = getattr(organisation, "pk", None)
    if pk is None:
        return None
    for ext in KINDS:
        path = _folder() / f"{int(pk)}.{ext}"
        if path.is_file():
            return path
    return None


def logo_data_uri(organisation) -> str:
    path = logo_file(organisation)
    if path is None:
        return ""
    mime = KINDS[path.suffix.lstrip(".")][1]
    return f"data:{mime};base64,{base64.b64encode(path.read_bytes()).decode('ascii')}"


def _remove_files(organisation) -> list[Path]:
    removed = []
    for ext in KINDS:
        path = _folder() / f"{int(organisation.pk)}.{ext}"
        if path.is_file():
            path.unlink()
            removed.append(path)
    return removed


@transaction.atomic
def logo_set(*, actor, organisation, data: bytes) -> Path:
    raise_if(check_logo(data))
    kind = _kind_of(data)
    folder = _folder()
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{int(organisation.pk)}.{kind}"
    had = logo_file(organisation) is not None
    audit.record(actor=actor, action="reports.logo_set", organisation=organisation, obj=organisation,
                 summary=f"ตราของกลุ่มบนรายงาน/logo on reports: {kind.upper()} {len(data) // 1024:,} KB"
                         f"{' (แทนของเดิม/replaced)' if had else ''}",
                 after={"format": kind, "bytes": len(data)})
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_bytes(data)
    _remove_files(organisation)
    tmp.replace(path)
    return path


@transaction.atomic
def logo_remove(*, actor, organisation) -> bool:
    if logo_file(organisation) is None:
        return False
    audit.record(actor=actor, action="reports.logo_remove", organisation=organisation, obj=organisation,
                 summary="ลบตราของกลุ่มออกจากรายงาน/logo removed from reports")
    _remove_files(organisation)
    return True
