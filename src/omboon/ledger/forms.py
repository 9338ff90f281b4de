"""Forms of the ledger screens. They only parse what people type (พ.ศ. dates, baht amounts);
the services' rules decide what is allowed."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from omboon.core import language
from omboon.core.money import parse_baht
from omboon.core.thaidate import parse_date
from omboon.ledger.models import Voucher
from omboon.ledger.services import Line

LINE_ROWS = 6


class ThaiDateField(forms.CharField):
    """A date typed as 22/11/2569 (พ.ศ.), 22/11/2026 or 2026-11-22."""

    def clean(self, value):
        text = super().clean(value)
        if not text:
            return None
        try:
            return parse_date(text)
        except ValueError as exc:
            raise forms.ValidationError(str(exc)) from exc


class BahtField(forms.CharField):
    """An amount in baht ("1,234.50") as integer satang; empty is zero."""

    def clean(self, value):
        text = super().clean(value)
        if not text:
            return 0
        try:
            return parse_baht(text)
        except ValueError as exc:
            raise forms.ValidationError(str(exc)) from exc


class VoucherForm(forms.Form):
    kind = forms.ChoiceField(label=_("ประเภท"), choices=Voucher.Kind.choices)
    date = ThaiDateField(label=_("วันที่ (วว/ดด/ปปปป พ.ศ.)"), max_length=20)
    counterparty = forms.CharField(label=_("ผู้รับเงิน / ผู้จ่ายเงิน"), max_length=200, required=False)
    memo = forms.CharField(label=_("รายละเอียด"), max_length=255)


class LineForm(forms.Form):
    account = forms.ChoiceField(label=pgettext_lazy("account", "บัญชี"), required=False)
    fund = forms.ChoiceField(label=_("กองทุน"), required=False)
    description = forms.CharField(label=_("คำอธิบาย"), max_length=255, required=False)
    debit = BahtField(label=_("เดบิต"), required=False, max_length=20)
    credit = BahtField(label=_("เครดิต"), required=False, max_length=20)

    def __init__(self, *args, accounts=(), funds=(), **kwargs):
        super().__init__(*args, **kwargs)
        lang = language.current()
        self.fields["account"].choices = [("", "—")] + [(a.code, f"{a.code} {a.name(lang)}") for a in accounts]
        self.fields["fund"].choices = [(f.code, f"{f.code} {f.name(lang)}") for f in funds]
        row = (self.prefix or "").rpartition("-")[2]
        for field in self.fields.values():  # the table's heading names the column: say it to a screen reader
            field.widget.attrs["aria-label"] = f"{field.label} {int(row) + 1}" if row.isdigit() else str(field.label)

    @property
    def is_blank(self) -> bool:
        data = self.cleaned_data if hasattr(self, "cleaned_data") else {}
        return not data.get("account") and not data.get("debit") and not data.get("credit")


def line_forms(data=None, *, accounts, funds, rows: int = LINE_ROWS) -> list[LineForm]:
    return [LineForm(data, prefix=f"line-{i}", accounts=accounts, funds=funds) for i in range(rows)]


def lines_from(forms_: list[LineForm]) -> list[Line]:
    """The non-blank rows as service lines (call after every form validated)."""
    out = []
    for f in forms_:
        if f.is_blank:
            continue
        d = f.cleaned_data
        out.append(Line(account=d["account"] or "", fund=d.get("fund") or None, debit=d["debit"],
                        credit=d["credit"], memo=d.get("description") or ""))
    return out
