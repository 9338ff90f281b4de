"""Thai formatting filters, loaded as a template builtin (no ``{% load %}`` needed).

    {{ receipt.amount|baht }}          1,234.50
    {{ receipt.amount|baht_text }}     หนึ่งพันสองร้อยสามสิบสี่บาทห้าสิบสตางค์   (English: one thousand … baht and fifty satang)
    {{ member.join_date|thaidate }}    22 พ.ย. 2569   (English: 22 Nov 2026)
    {{ member.join_date|thaidate_long }}  22 พฤศจิกายน 2569
    {{ period.start|thaimonth }}       พฤศจิกายน 2569
    {{ value|thaidigits }}             ๒๒/๑๑/๒๕๖๙
    {{ member.national_id|masked_id }} x-xxxx-xxxxx-45-1
    {{ member.national_id|id_format }} 1-1037-00123-45-1
    {{ member|choice:"status" }}       ปกติ   (English: active): a choice field's label

Filters never raise on a template: a value they cannot format is shown as it is (or empty
for None), so one bad row never breaks a page.
"""

from __future__ import annotations

import datetime as dt
import functools

from django import template
from django.core.exceptions import FieldDoesNotExist
from django.utils import timezone

from omboon.core import bahttext, language, national_id, thaidate
from omboon.core.money import Money, format_baht

register = template.Library()


def _satang(value):
    if isinstance(value, Money):
        return value.satang
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    return None


@register.filter(name="baht")
def baht(value, arg: str = ""):
    """Satang as baht with separators; ``|baht:"sign"`` adds +, ``|baht:"symbol"`` adds ฿."""
    satang = _satang(value)
    if satang is None:
        return "" if value is None else value
    options = {part.strip() for part in (arg or "").split(",")}
    return format_baht(satang, sign="sign" in options, symbol="symbol" in options)


@register.filter(name="baht_text")
def baht_text(value):
    """The amount in words, in the page's language (Thai baht text; English words on an English page)."""
    satang = _satang(value)
    if satang is None:
        return "" if value is None else value
    return bahttext.amount_words(satang)


def _date(value, style: str):
    if value is None or value == "":
        return ""
    if not isinstance(value, dt.date):
        return value
    if isinstance(value, dt.datetime) and value.tzinfo is not None:
        value = timezone.localtime(value)
    return thaidate.format_date(value, style=style, lang=language.current())


@register.filter(name="thaidate")
def thaidate_short(value):
    """A date as '22 พ.ย. 2569' (English: '22 Nov 2026')."""
    return _date(value, "short")


@register.filter(name="thaidate_long")
def thaidate_long(value):
    """A date as '22 พฤศจิกายน 2569' (English: '22 November 2026')."""
    return _date(value, "long")


@register.filter(name="thaidate_numeric")
def thaidate_numeric(value):
    """A date as '22/11/2569' (English: '22/11/2026')."""
    return _date(value, "numeric")


@register.filter(name="thaimonth")
def thaimonth(value):
    """The month of a date as 'พฤศจิกายน 2569' (English: 'November 2026')."""
    if value is None or value == "":
        return ""
    if not isinstance(value, dt.date):
        return value
    return thaidate.format_month(value.year, value.month, lang=language.current())


@register.filter(name="thaidigits")
def thaidigits(value):
    if value is None:
        return ""
    return thaidate.thai_digits(value)


@register.filter(name="masked_id")
def masked_id(value):
    """A national ID with only its last three digits showing: x-xxxx-xxxxx-45-1."""
    if not value:
        return ""
    return national_id.masked(str(value))


@register.filter(name="id_format")
def id_format(value):
    """A national ID grouped as on the card: 1-1037-00123-45-1."""
    if not value:
        return ""
    return national_id.formatted(str(value))


@register.filter
def choice(obj, field: str):
    """The label of a choice field's value in the active language, what ``get_<field>_display``
    gives, read from a dict made once per model and field: Django's rebuilds and hashes the
    whole choice list at each call (a quarter of the member list's time, 50 rows a page)."""
    value = getattr(obj, field, None)
    try:
        labels = _choice_labels(type(obj), field)
    except (AttributeError, FieldDoesNotExist):  # not a model's choice field: the value as it is
        return "" if value is None else value
    return labels.get(value, value)


@functools.cache
def _choice_labels(model, field: str) -> dict:
    return dict(model._meta.get_field(field).flatchoices)
