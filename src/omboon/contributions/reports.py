"""Reports of the registry: ``members`` (the register), ``arrears`` and ``passbook`` (one
member: ``--param member=0012``), and ``contributions`` (money received by kind)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils import timezone

from omboon.contributions import selectors
from omboon.contributions.models import GRANT_KINDS, MEMBER_KINDS, Kind, kind_label
from omboon.core import national_id
from omboon.core.reporting import DATE, INT, MONEY, Column, Report, Table, note, register
from omboon.core.thaidate import format_date
from omboon.members.models import Member
from omboon.orgs import scoping


def _status_label(member: Member, lang: str) -> str:
    if lang == "en":
        return member.status
    return str(Member.Status(member.status).label)


@register
class MembersReport(Report):
    code = "members"
    title_th = "ทะเบียนสมาชิก"
    title_en = "Member register"

    def build(self, *, organisation, start, end, lang="th", params=None):
        params = params or {}
        as_of = end or timezone.localdate()
        members = scoping.in_scope(Member.objects.select_related("organisation"), organisation)
        status = params.get("status")
        if status in Member.Status.values:
            members = members.filter(status=status)
        members = list(members.order_by("organisation__code", "number"))
        paid = {}
        through = {}
        by_group: dict[int, list[Member]] = {}
        for m in members:
            by_group.setdefault(m.organisation_id, []).append(m)
        for group_members in by_group.values():
            org = group_members[0].organisation
            for mc in selectors.coverage_of(group_members, org, as_of=as_of):
                cov = mc.get(Kind.DAILY_SAVING)
                through[mc.member.pk] = cov.paid_through if cov else None
                paid[mc.member.pk] = sum(c.paid for c in mc.kinds.values())
        network = organisation.is_network
        columns = [*([Column("group", "กลุ่ม", "Group")] if network else []),
                   Column("number", "เลขที่", "No."), Column("name", "ชื่อ–สกุล", "Name"),
                   Column("sex", "เพศ", "Sex"), Column("national_id", "เลขบัตรประชาชน", "National ID"),
                   Column("moo", "หมู่", "Moo", INT), Column("join_date", "วันที่เข้า", "Joined", DATE),
                   Column("status", "สถานะ", "Status"),
                   Column("paid_through", "ออมวันละบาทถึง", "Daily saving paid through", DATE),
                   Column("paid", "ชำระแล้ว", "Paid", MONEY, total=True)]
        rows = [{
            **({"group": m.organisation.code} if network else {}),
            "number": m.number, "name": m.full_name, "sex": m.get_sex_display() if lang == "th" else m.sex,
            "national_id": national_id.masked(m.national_id), "moo": m.moo, "join_date": m.join_date,
            "status": _status_label(m, lang), "paid_through": through.get(m.pk), "paid": paid.get(m.pk, 0),
        } for m in members]
        title_th = f"สมาชิก {len(rows):,} คน ณ วันที่ {format_date(as_of)}"
        title_en = f"{len(rows):,} members as of {format_date(as_of, lang='en')}"
        return self.result(organisation, None, as_of, [Table(title_th, title_en, columns, rows)], signatures=False)


@register
class ArrearsReport(Report):
    code = "arrears"
    title_th = "สมาชิกค้างชำระเงินสมทบ"
    title_en = "Contribution arrears"
    groups_only = True

    def build(self, *, organisation, start, end, lang="th", params=None):
        params = params or {}
        as_of = end or timezone.localdate()
        try:
            min_months = max(int(params.get("months", 1)), 1)
        except ValueError:
            min_months = 1
        rows_in = selectors.arrears(organisation, as_of=as_of, min_months=min_months)
        columns = [Column("number", "เลขที่", "No."), Column("name", "ชื่อ–สกุล", "Name"),
                   Column("moo", "หมู่", "Moo", INT), Column("phone", "โทรศัพท์", "Phone"),
                   Column("paid_through", "ออมถึงวันที่", "Paid through", DATE),
                   Column("months", "ค้าง (เดือน)", "Months behind", INT)]
        for kind in MEMBER_KINDS:
            columns.append(Column(kind, f"ค้าง{kind_label(kind)}", f"{kind_label(kind, 'en')} owed", MONEY,
                                  total=True))
        columns.append(Column("total", "รวมค้างชำระ", "Total owed", MONEY, total=True))
        rows = []
        for mc in rows_in:
            m = mc.member
            daily = mc.get(Kind.DAILY_SAVING)
            row = {"number": m.number, "name": m.full_name, "moo": m.moo, "phone": m.phone,
                   "paid_through": daily.paid_through if daily else None, "months": mc.months_behind,
                   "total": mc.arrears}
            for kind in MEMBER_KINDS:
                cov = mc.get(kind)
                row[kind] = cov.arrears if cov else 0
            rows.append(row)
        title_th = f"ค้างชำระ {len(rows):,} คน ณ วันที่ {format_date(as_of)}"
        title_en = f"{len(rows):,} members in arrears as of {format_date(as_of, lang='en')}"
        notes = [note(lang, f"นับเฉพาะงวดที่ครบกำหนดแล้ว ค้างอย่างน้อย {min_months} เดือน",
                      f"only billing periods that have ended; at least {min_months} month(s) behind")]
        return self.result(organisation, None, as_of, [Table(title_th, title_en, columns, rows)], notes=notes,
                           signatures=False)


@register
class PassbookReport(Report):
    code = "passbook"
    title_th = "สมุดบัญชีสมาชิก"
    title_en = "Member passbook"
    groups_only = True
    per_member = True

    def member(self, organisation, params: dict) -> Member:
        qs = scoping.in_scope(Member.objects.select_related("organisation"), organisation)
        found = None
        try:
            if params.get("member_id"):
                found = qs.filter(pk=int(params["member_id"])).first()
            elif params.get("member"):
                number = str(params["member"]).strip()
                found = qs.filter(number=number).first() or qs.filter(number=number.zfill(4)).first()
        except (ValueError, ValidationError):
            found = None
        if found is None:
            raise Http404("ระบุสมาชิกด้วย member=เลขที่สมาชิก / give member=NUMBER")
        return found

    def build(self, *, organisation, start, end, lang="th", params=None):
        member = self.member(organisation, params or {})
        as_of = end or timezone.localdate()
        book = selectors.passbook(member, as_of=as_of)
        lines = [ln for ln in book.lines if start is None or ln.date >= start]
        columns = [Column("date", "วันที่", "Date", DATE), Column("document", "เลขที่เอกสาร", "Document"),
                   Column("description", "รายการ", "Description"),
                   Column("paid_in", "ชำระ", "Paid", MONEY, total=True),
                   Column("benefit", "ได้รับสวัสดิการ", "Benefits", MONEY, total=True),
                   Column("balance", "ยอดสะสม", "Contributed to date", MONEY)]
        rows = [{"date": ln.date, "document": ln.document,
                 "description": ln.description_en if lang == "en" else ln.description_th,
                 "paid_in": 0 if ln.void else ln.paid_in, "benefit": ln.benefit or None, "balance": ln.balance}
                for ln in lines]
        cov_columns = [Column("kind", "ประเภท", "Kind"), Column("paid", "ชำระแล้ว", "Paid", MONEY),
                       Column("paid_through", "ชำระถึง", "Paid through", DATE),
                       Column("arrears", "ค้างชำระ", "Owed", MONEY), Column("months", "ค้าง (เดือน)", "Months", INT)]
        cov_rows = [{"kind": kind_label(k, lang), "paid": c.paid, "paid_through": c.paid_through,
                     "arrears": c.arrears, "months": c.months_behind} for k, c in book.coverage.kinds.items()]
        head_th = f"{member.number} {member.full_name} · เข้าเป็นสมาชิก {format_date(member.join_date)}"
        head_en = f"{member.number} {member.full_name} · joined {format_date(member.join_date, lang='en')}"
        return self.result(organisation, start, as_of, [
            Table(head_th, head_en, cov_columns, cov_rows),
            Table("รายการ", "Entries", columns, rows),
        ], signatures=False)


@register
class ContributionsReport(Report):
    code = "contributions"
    title_th = "เงินสมทบและเงินอุดหนุนที่ได้รับ"
    title_en = "Contributions and grants received"

    def build(self, *, organisation, start, end, lang="th", params=None):
        end = end or timezone.localdate()
        by_kind = {**selectors.income_by_kind(organisation, start, end),
                   **selectors.grants_by_kind(organisation, start, end)}
        columns = [Column("kind", "ประเภท", "Kind"), Column("source", "แหล่งที่มา", "Source"),
                   Column("amount", "จำนวนเงิน", "Amount", MONEY, total=True)]
        rows = [{"kind": kind_label(k, lang),
                 "source": ("สมาชิก" if lang == "th" else "members") if k in MEMBER_KINDS else
                 ("แหล่งภายนอก" if lang == "th" else "outside"),
                 "amount": by_kind.get(k, 0)} for k in [*MEMBER_KINDS, *GRANT_KINDS]]
        return self.result(organisation, start, end, [Table("รับเงินตามประเภท", "Received by kind", columns, rows)])

