"""``data-quality`` in the report registry: a group's score, completeness of each member
field, values that break rules and suspicious values; for a network, every group's score."""

from __future__ import annotations

from omboon.core.reporting import INT, PCT, Column, Report, Table, register
from omboon.imports import quality
from omboon.orgs import scoping


def _pick(lang: str, th: str, en: str) -> str:
    return en if lang == "en" else th


@register
class DataQualityReport(Report):
    code = "data-quality"
    title_th = "คุณภาพข้อมูล"
    title_en = "Data quality"
    need = scoping.RECORDS  # lists members' numbers; the score alone is on the quality page (view)

    def build(self, *, organisation, start, end, lang="th", params=None):
        if organisation.is_network:
            scores = quality.group_scores(organisation)
            rows = [{"group": g.code, "name": g.name(lang), "members": m, "score": s} for g, s, m in scores]
            total = quality.score(organisation)
            return self.result(organisation, None, None, [Table(
                f"คะแนนคุณภาพข้อมูลของเครือข่าย {total}/100", f"Network data-quality score {total}/100",
                [Column("group", "รหัส", "Code"), Column("name", "กลุ่ม", "Group"),
                 Column("members", "สมาชิก", "Members", INT, total=True),
                 Column("score", "คะแนน (0–100)", "Score (0–100)", INT)], rows)], signatures=False)
        q = quality.assess(organisation)
        tables = [
            Table(f"คะแนนคุณภาพข้อมูล {q.score}/100", f"Data-quality score {q.score}/100",
                  [Column("part", "ส่วน", "Part"), Column("value", "ร้อยละ", "Percent", PCT)],
                  [{"part": _pick(lang, "ความครบถ้วน", "Completeness"), "value": q.parts.get("completeness", 0)},
                   {"part": _pick(lang, "สมาชิกที่ไม่ผิดกติกา", "Members breaking no rule"),
                    "value": q.parts.get("valid", 0)},
                   {"part": _pick(lang, "สมาชิกที่ไม่มีค่าน่าสงสัย", "Members with nothing suspicious"),
                    "value": q.parts.get("plausible", 0)}]),
            Table(f"ความครบถ้วนของข้อมูลสมาชิก ({q.members:,} คน)",
                  f"Completeness of member fields ({q.members:,} members)",
                  [Column("field", "ข้อมูล", "Field"), Column("filled", "มีข้อมูล", "Filled", INT),
                   Column("total", "สมาชิก", "Members", INT), Column("percent", "ร้อยละ", "Percent", PCT)],
                  [{"field": c.title_en if lang == "en" else c.title_th, "filled": c.filled, "total": c.total,
                    "percent": c.percent} for c in q.completeness]),
        ]
        finding_columns = [Column("subject", "สมาชิก/วันที่", "Member/day"), Column("field", "ข้อมูล", "Field"),
                           Column("value", "ค่า", "Value"), Column("message", "ปัญหา", "Problem")]
        tables.append(Table(f"ข้อมูลที่ผิดกติกา ({len(q.broken):,})", f"Values that break rules ({len(q.broken):,})",
                            finding_columns, [_finding(f, lang) for f in q.broken[:quality.MAX_LISTED]]))
        tables.append(Table(f"ค่าที่น่าสงสัย ({len(q.suspicious):,})", f"Suspicious values ({len(q.suspicious):,})",
                            finding_columns, [_finding(f, lang) for f in q.suspicious[:quality.MAX_LISTED]]))
        return self.result(organisation, None, None, tables, signatures=False)


def _finding(f: quality.Finding, lang: str) -> dict:
    return {"subject": f.subject, "field": f.field_label(lang), "value": f.value,
            "message": f.message_en if lang == "en" else f.message_th}
