"""Money out always has a second person (issue 12 C): an import of past benefit claims waits
for approval; the uploader cannot approve it; a second person with ``approve`` approves the
count and total shown, and only then is anything posted — on the web and on the command line."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from omboon.core.models import AuditEvent
from omboon.imports import services
from omboon.imports.models import ImportJob
from omboon.imports.tests.helpers import MEMBER_HEADERS, csv_bytes, member_rows, run_import
from omboon.ledger.models import JournalEntry, JournalLine
from omboon.orgs.models import Role
from omboon.testing.factories import make_user
from omboon.welfare.models import Claim

pytestmark = pytest.mark.django_db

CLAIM_HEADERS = ["เลขที่สมาชิก", "ประเภทสวัสดิการ", "วันที่เกิดเหตุ", "วันที่จ่าย", "จำนวนเงิน"]
CLAIM_ROWS = [["0001", "ค่าเยี่ยมไข้/นอนโรงพยาบาล", "3/2/2563", "10/2/2563", "500"],
              ["0002", "ค่าทำขวัญบุตร", "4/3/2563", "6/3/2563", "1,000.50"]]


@pytest.fixture
def funded(tree, treasurer):
    from omboon.ledger.services import Line, entry_post

    group = tree.group_a
    run_import(group, "members", csv_bytes(MEMBER_HEADERS, member_rows(3)), actor=treasurer)
    entry_post(actor=treasurer, organisation=group, date=dt.date(2019, 1, 1), doc_type="receipt",
               lines=[Line("1100", debit=1_000_000), Line("4600", credit=1_000_000)])
    return group


@pytest.fixture
def committee(tree):
    return make_user(tree.group_a, Role.COMMITTEE, username="committee-a")


def _payouts(group):
    return JournalLine.objects.filter(organisation=group, account__code__startswith="51", debit__gt=0)


def _nothing_posted(group, job):
    assert not _payouts(group).exists()
    assert not JournalEntry.objects.filter(organisation=group, source_type="imports.importjob",
                                           source_id=str(job.pk)).exists()
    assert not Claim.objects.filter(organisation=group).exists()


def test_web_maker_uploads_cannot_approve_and_a_second_person_approves(client, tree, treasurer, committee,
                                                                      funded, settings, tmp_path):
    settings.OMBOON_IMPORTS_INLINE = True
    settings.OMBOON_IMPORTS_DIR = str(tmp_path)
    group = funded
    client.force_login(treasurer)
    upload = io.BytesIO(csv_bytes(CLAIM_HEADERS, CLAIM_ROWS))
    upload.name = "claims.csv"
    url = client.post(reverse("imports-home", kwargs={"org": group.code}),
                      {"kind": "claims", "file": upload})["Location"]
    job = ImportJob.objects.get(organisation=group, kind="claims")
    client.post(url, {"action": "confirm"})
    job.refresh_from_db()
    assert job.status == ImportJob.Status.APPROVAL and job.submitted_by == treasurer
    assert (job.payout_count, job.payout_total) == (2, 150050)
    _nothing_posted(group, job)
    page = client.get(url).content.decode()
    assert "รออนุมัติ" in page and "1,500.50" in page  # the count and the total, in baht
    assert "อนุมัติเองไม่ได้" in page and f"imports/{job.pk}/approve/" not in page
    # the uploader (a treasurer, who holds approve) is refused
    approve = reverse("imports-approve", kwargs={"org": group.code, "job_id": job.pk})
    refused = client.post(approve, {"count": 2, "total": 150050, "confirm": "1"})
    assert refused.status_code == 403
    assert "อนุมัติเองไม่ได้" in refused.content.decode()
    job.refresh_from_db()
    assert job.status == ImportJob.Status.APPROVAL and job.approved_by is None
    _nothing_posted(group, job)
    # an auditor may not approve at all
    client.force_login(make_user(group, Role.AUDITOR, username="aud-c"))
    assert client.post(approve, {"count": 2, "total": 150050}).status_code == 403
    # a second person approves what they were shown
    client.force_login(committee)
    page = client.get(url).content.decode()
    assert f"imports/{job.pk}/approve/" in page and "1,500.50" in page
    assert client.post(approve, {"count": 2, "total": 99}).status_code == 302  # not what was shown
    job.refresh_from_db()
    assert job.status == ImportJob.Status.APPROVAL
    _nothing_posted(group, job)
    client.post(approve, {"count": 2, "total": 150050, "confirm": "1"})
    job.refresh_from_db()
    assert job.status == ImportJob.Status.DONE and job.committed_rows == 2
    assert job.approved_by == committee and job.approved_at is not None
    assert _payouts(group).count() == 2
    entries = JournalEntry.objects.filter(organisation=group, source_id=str(job.pk))
    assert {e.created_by for e in entries} == {treasurer}  # posted by the maker ...
    assert all("อนุมัติ committee-a" in e.memo for e in entries)  # ... with the approver named
    event = AuditEvent.objects.get(action="imports.import_job_approve", object_id=str(job.pk))
    assert event.actor == committee and event.after["maker"] == treasurer.pk
    posted = AuditEvent.objects.filter(action="ledger.entry_post", object_id__in=[str(e.pk) for e in entries])
    assert all(e.after["approval"]["approver"] == "committee-a" for e in posted)


def test_nothing_posts_without_approval_whatever_the_path(tree, treasurer, committee, funded):
    data = csv_bytes(CLAIM_HEADERS, CLAIM_ROWS)
    sheet = services.read(data, "c.csv")
    checked = services.import_check(organisation=funded, kind="claims", sheet=sheet)
    job = services.import_job_start(actor=treasurer, organisation=funded, kind="claims", filename="c.csv",
                                    sha=services.file_sha256(data), checked=checked)
    assert job.status == ImportJob.Status.APPROVAL
    with pytest.raises(services.RuleViolation):
        services.import_job_run(actor=committee, job=job, sheet=sheet, checked=checked)
    _nothing_posted(funded, job)
    with pytest.raises(services.RuleViolation):  # the maker approving their own
        services.import_job_approve(actor=treasurer, job=job, checked=checked, count=2, total=150050)
    with pytest.raises(services.RuleViolation):  # no maker named: no approval possible
        services.import_job_start(actor=None, organisation=funded, kind="claims", filename="c.csv",
                                  sha=services.file_sha256(data), checked=checked)
    _nothing_posted(funded, job)
    # money in is unchanged: payments and members commit at once
    assert ImportJob.objects.filter(organisation=funded, kind="members", status="done").exists()


def test_approval_refused_when_the_file_checks_differently_since(tree, treasurer, committee, funded):
    from omboon.ledger.services import period_close

    data = csv_bytes(CLAIM_HEADERS, CLAIM_ROWS)
    sheet = services.read(data, "c.csv")
    checked = services.import_check(organisation=funded, kind="claims", sheet=sheet)
    job = services.import_job_start(actor=treasurer, organisation=funded, kind="claims", filename="c.csv",
                                    sha=services.file_sha256(data), checked=checked)
    for month in range(1, 13):
        period_close(actor=committee, organisation=funded, year=2019, month=month)
    for month in (1, 2):
        period_close(actor=committee, organisation=funded, year=2020, month=month)
    now = services.import_check(organisation=funded, kind="claims", sheet=sheet)
    with pytest.raises(services.RuleViolation) as caught:
        services.import_job_approve(actor=committee, job=job, checked=now, count=2, total=150050)
    assert caught.value.problems[0].code == "changed"
    _nothing_posted(funded, job)


def _cli(command, *args):
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command(command, *args, stdout=out, stderr=err)
        code = 0
    except SystemExit as exc:
        code = exc.code
    return code, out.getvalue(), err.getvalue()


def test_cli_stages_the_job_and_a_second_person_approves(tree, treasurer, committee, funded, tmp_path, settings):
    settings.OMBOON_IMPORTS_DIR = str(tmp_path / "uploads")
    path = tmp_path / "claims.csv"
    path.write_bytes(csv_bytes(CLAIM_HEADERS, CLAIM_ROWS))
    with pytest.raises(CommandError) as caught:  # no maker: refused before anything
        _cli("import", "claims", str(path), "--org", funded.code, "--quiet")
    assert "--as" in str(caught.value)
    code, out, _err = _cli("import", "claims", str(path), "--org", funded.code, "--as", treasurer.username,
                           "--quiet")
    job = ImportJob.objects.get(organisation=funded, kind="claims")
    assert code == 0 and job.status == ImportJob.Status.APPROVAL
    assert f"omboon import-approve {job.pk} --by USERNAME" in out and "1,500.50" in out
    _nothing_posted(funded, job)
    with pytest.raises(CommandError) as caught:
        _cli("import-approve", str(job.pk), "--by", treasurer.username, "--quiet")
    assert "approver cannot be" in str(caught.value)
    _nothing_posted(funded, job)
    with pytest.raises(CommandError):  # an auditor may not approve
        _cli("import-approve", str(job.pk), "--by", make_user(funded, Role.AUDITOR, username="aud-cli").username,
             "--quiet")
    code, out, _err = _cli("import-approve", str(job.pk), "--by", committee.username, "--total", "1,500.50",
                          "--quiet")
    job.refresh_from_db()
    assert code == 0 and job.status == ImportJob.Status.DONE and job.approved_by == committee
    assert "approved by committee-a" in out and _payouts(funded).count() == 2
    assert {e.created_by for e in JournalEntry.objects.filter(source_id=str(job.pk))} == {treasurer}
    code, out, _ = _cli("import", "claims", str(path), "--org", funded.code, "--as", treasurer.username, "--quiet")
    assert "already imported" in out and _payouts(funded).count() == 2
