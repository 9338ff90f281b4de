"""Schemes like a real community welfare fund's, as a group starts with them (the demo, tests,
and the "add the usual schemes" button). Amounts are satang."""

from __future__ import annotations

from dataclasses import dataclass

from omboon.welfare.models import Category

ID_CARD = {"code": "id_card", "label_th": "สำเนาบัตรประชาชนของสมาชิก", "label_en": "Copy of the member's ID card"}
HOUSE = {"code": "house_registration", "label_th": "สำเนาทะเบียนบ้าน", "label_en": "Copy of the house registration"}


@dataclass(frozen=True)
class Preset:
    category: str
    name_th: str
    name_en: str
    rule: dict


def _rule(amount: dict, *, eligibility: dict | None = None, limits: dict | None = None,
          documents: list | None = None) -> dict:
    base = {"min_membership_months": 6, "statuses": ["active"]}
    return {"eligibility": {**base, **(eligibility or {})}, "amount": amount, "limits": limits or {},
            "documents": documents or [ID_CARD]}


def presets(*, paid_up: bool = False, grace_months: int = 3) -> list[Preset]:
    pay = {"paid_up": paid_up, "grace_months": grace_months if paid_up else 0}
    return [
        Preset(Category.CHILDBIRTH, "ค่าทำขวัญบุตร", "Childbirth",
               _rule({"kind": "fixed", "amount": 500_00}, eligibility=pay,
                     documents=[ID_CARD, {"code": "birth_certificate", "label_th": "สำเนาสูติบัตรของบุตร",
                                          "label_en": "Copy of the child's birth certificate"}])),
        Preset(Category.SICKNESS, "ค่าเยี่ยมไข้/นอนโรงพยาบาล", "Hospital stay",
               _rule({"kind": "per_night", "per_night": 300_00, "max_nights": 5},
                     eligibility=pay, limits={"nights_per_year": 5},
                     documents=[ID_CARD, {"code": "hospital_certificate", "label_th": "ใบรับรองแพทย์/ใบนอนโรงพยาบาล",
                                          "label_en": "Hospital admission certificate"}])),
        Preset(Category.DEATH, "ค่าจัดการศพ", "Funeral benefit",
               _rule({"kind": "tiered", "tiers": [{"min_years": 0, "amount": 3000_00},
                                                  {"min_years": 1, "amount": 5000_00},
                                                  {"min_years": 3, "amount": 8000_00},
                                                  {"min_years": 5, "amount": 12000_00}]},
                     eligibility={**pay, "min_membership_months": 6},
                     documents=[ID_CARD, {"code": "death_certificate", "label_th": "สำเนาใบมรณบัตร",
                                          "label_en": "Copy of the death certificate"}, HOUSE])),
        Preset(Category.ELDERLY, "สวัสดิการผู้สูงอายุ", "Elderly allowance",
               _rule({"kind": "fixed", "amount": 600_00}, eligibility={**pay, "min_age": 70,
                                                                      "min_membership_months": 24},
                     limits={"claims_per_year": 1})),
        Preset(Category.EDUCATION, "ทุนการศึกษา", "Education grant",
               _rule({"kind": "fixed", "amount": 2000_00}, eligibility={**pay, "max_age": 25},
                     limits={"claims_per_year": 1},
                     documents=[ID_CARD, {"code": "school_letter", "label_th": "หนังสือรับรองจากสถานศึกษา",
                                          "label_en": "Letter from the school"}])),
        Preset(Category.DISABILITY, "สวัสดิการผู้พิการ", "Disability allowance",
               _rule({"kind": "fixed", "amount": 500_00}, eligibility=pay, limits={"claims_per_year": 1},
                     documents=[ID_CARD, {"code": "disability_card", "label_th": "สำเนาบัตรคนพิการ",
                                          "label_en": "Copy of the disability card"}])),
        Preset(Category.DISASTER, "สวัสดิการภัยพิบัติ", "Disaster relief",
               _rule({"kind": "percent", "percent": 50, "cap": 5000_00}, eligibility=pay,
                     limits={"per_year": 5000_00},
                     documents=[ID_CARD, {"code": "damage_report", "label_th": "หนังสือรับรองความเสียหายจากผู้ใหญ่บ้าน",
                                          "label_en": "Damage report from the village head"}])),
        Preset(Category.COMMUNITY_ENTERPRISE, "ทุนสนับสนุนวิสาหกิจชุมชน", "Community enterprise grant",
               _rule({"kind": "fixed", "amount": 20000_00}, eligibility={"min_membership_months": 12},
                     limits={"per_lifetime": 20000_00},
                     documents=[ID_CARD, {"code": "project_plan", "label_th": "แผนโครงการ",
                                          "label_en": "Project plan"}])),
    ]
