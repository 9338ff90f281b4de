"""The logo on reports: only a chair (``manage``) uploads or removes it, PNG or JPEG up to
512 KB, checked by its bytes and by Pillow; kept in the data folder per group, audited, and
printed only when there is one (no empty logo box)."""

from __future__ import annotations

import io
import subprocess

import pytest
from PIL import Image

from omboon.core.models import AuditEvent
from omboon.orgs.models import Role
from omboon.reports import logo, render
from omboon.testing.factories import make_user

pytestmark = pytest.mark.django_db


def image(fmt="PNG", size=(60, 40)) -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(buf, fmt)
    return buf.getvalue()


@pytest.fixture(autouse=True)
def data_dir(settings, tmp_path):
    settings.DATA_DIR = tmp_path / "data"
    return settings.DATA_DIR


def _url(org="BDC"):
    return f"/o/{org}/reports/logo/"


def _file(data: bytes, name: str):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, data)


def test_the_chair_uploads_a_logo_the_reports_print_it_and_it_is_audited(client, chair, tree, data_dir,
                                                                          sample_result, tmp_path):
    client.force_login(chair)
    page = client.get(_url())
    assert page.status_code == 200 and "ยังไม่มีตรา" in page.content.decode()
    assert 'class="omb-logo"' not in render.to_print_html(sample_result)  # no logo: no box

    response = client.post(_url(), {"logo": _file(image(), "ตรา.png")})
    assert response.status_code == 302
    assert (data_dir / "logos" / f"{tree.group_a.pk}.png").read_bytes() == image()
    event = AuditEvent.objects.get(action="reports.logo_set")
    assert event.organisation == tree.group_a and event.actor == chair

    html = render.to_print_html(sample_result)
    assert 'class="omb-logo"' in html and 'src="data:image/png;base64,' in html
    pdf = tmp_path / "with-logo.pdf"
    pdf.write_bytes(render.to_pdf(sample_result))
    listed = subprocess.run(["pdfimages", "-list", str(pdf)], check=True, capture_output=True, text=True).stdout
    assert len(listed.strip().splitlines()) == 3  # two header lines and the one image
    assert 'src="data:image/png;base64,' in client.get(_url()).content.decode()  # the page shows it

    client.post(_url(), {"logo": _file(image("JPEG"), "logo.jpg")})  # a JPEG replaces the PNG
    assert sorted(p.name for p in (data_dir / "logos").iterdir()) == [f"{tree.group_a.pk}.jpg"]
    assert logo.logo_data_uri(tree.group_a).startswith("data:image/jpeg;base64,")
    assert logo.logo_data_uri(tree.group_b) == ""  # another group's reports stay without it

    assert client.post(_url(), {"remove": "1"}).status_code == 302
    assert not list((data_dir / "logos").iterdir())
    assert AuditEvent.objects.filter(action="reports.logo_remove", organisation=tree.group_a).count() == 1
    assert 'class="omb-logo"' not in render.to_print_html(sample_result)


@pytest.mark.parametrize("data, name, message", [
    (b"GIF89a" + b"\0" * 40, "logo.gif", "ต้องเป็นไฟล์ PNG หรือ JPEG"),
    (b"<svg xmlns='http://www.w3.org/2000/svg'/>", "logo.png", "ต้องเป็นไฟล์ PNG หรือ JPEG"),
    (b"\x89PNG\r\n\x1a\n" + b"not really", "logo.png", "อ่านรูปไม่ได้"),
    (b"\x89PNG\r\n\x1a\n" + b"\0" * (logo.MAX_BYTES + 1), "big.png", "ไฟล์ใหญ่เกิน 512 KB"),
])
def test_anything_but_a_small_png_or_jpeg_is_refused(client, chair, tree, data_dir, data, name, message):
    client.force_login(chair)
    response = client.post(_url(), {"logo": _file(data, name)})
    assert response.status_code == 400 and message in response.content.decode()
    assert not (data_dir / "logos").exists() or not list((data_dir / "logos").iterdir())
    assert not AuditEvent.objects.filter(action="reports.logo_set").exists()


def test_only_the_organisations_manager_reaches_the_page(client, tree, treasurer):
    client.force_login(treasurer)  # records, not manage
    assert client.get(_url()).status_code == 403
    assert client.post(_url(), {"logo": _file(image(), "logo.png")}).status_code == 403
    other_chair = make_user(tree.group_b, Role.CHAIR, username="chair-b")
    client.force_login(other_chair)
    assert client.get(_url()).status_code == 404  # another group is not seen at all
    assert client.get(_url("MPA")).status_code == 200
    client.logout()
    assert client.get(_url()).status_code == 302  # to the sign-in page
