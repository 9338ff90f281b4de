"""The Thai filters as a template uses them: builtins, so no {% load %}."""

import datetime as dt

import pytest
from django.template import Context, Template
from django.utils import translation

from omboon.core.money import Money


def render(source: str, **context) -> str:
    return Template(source).render(Context(context))


D = dt.date(2026, 11, 22)
ID = "1103700123458"


def test_money_filters():
    assert render("{{ v|baht }}", v=123450) == "1,234.50"
    assert render("{{ v|baht }}", v=Money(-5000)) == "-50.00"
    assert render('{{ v|baht:"symbol" }}', v=123450) == "฿1,234.50"
    assert render('{{ v|baht:"sign,symbol" }}', v=123450) == "+฿1,234.50"
    with translation.override("th"):
        assert render("{{ v|baht_text }}", v=123450) == "หนึ่งพันสองร้อยสามสิบสี่บาทห้าสิบสตางค์"
    with translation.override("en"):  # words in the page's language
        assert render("{{ v|baht_text }}", v=123450) == "one thousand two hundred thirty-four baht and fifty satang"
    assert render("{{ v|baht_text }}", v=100000) == "หนึ่งพันบาทถ้วน"


def test_money_filters_never_break_a_page():
    assert render("[{{ v|baht }}]", v=None) == "[]"
    assert render("[{{ v|baht }}]", v="n/a") == "[n/a]"
    assert render("[{{ v|baht_text }}]", v=None) == "[]"


def test_date_filters_in_thai():
    with translation.override("th"):
        assert render("{{ d|thaidate }}", d=D) == "22 พ.ย. 2569"
        assert render("{{ d|thaidate_long }}", d=D) == "22 พฤศจิกายน 2569"
        assert render("{{ d|thaidate_numeric }}", d=D) == "22/11/2569"
        assert render("{{ d|thaimonth }}", d=D) == "พฤศจิกายน 2569"
        assert render("{{ d|thaidate|thaidigits }}", d=D) == "๒๒ พ.ย. ๒๕๖๙"


def test_date_filters_in_english_show_ce_and_english_months():
    with translation.override("en"):
        assert render("{{ d|thaidate }}", d=D) == "22 Nov 2026"
        assert render("{{ d|thaidate_long }}", d=D) == "22 November 2026"
        assert render("{{ d|thaimonth }}", d=D) == "November 2026"


@pytest.mark.django_db
def test_aware_datetimes_show_the_bangkok_date():
    # 20:00 UTC on 21 November is already 22 November in Bangkok.
    moment = dt.datetime(2026, 11, 21, 20, 0, tzinfo=dt.UTC)
    with translation.override("th"):
        assert render("{{ d|thaidate }}", d=moment) == "22 พ.ย. 2569"


def test_date_filters_with_empty_or_odd_values():
    assert render("[{{ d|thaidate }}]", d=None) == "[]"
    assert render("[{{ d|thaidate_long }}]", d="") == "[]"
    assert render("[{{ d|thaimonth }}]", d=None) == "[]"
    assert render("[{{ d|thaidate }}]", d="soon") == "[soon]"
    assert render("[{{ v|thaidigits }}]", v=None) == "[]"
    assert render("{{ v|thaidigits }}", v=365) == "๓๖๕"


def test_id_filters():
    assert render("{{ v|masked_id }}", v=ID) == "x-xxxx-xxxxx-45-8"
    assert render("{{ v|id_format }}", v=ID) == "1-1037-00123-45-8"
    assert render("[{{ v|masked_id }}][{{ v|id_format }}]", v="") == "[][]"


def test_a_choice_field_shows_its_label_in_the_page_language():
    from omboon.members.models import Member

    member = Member(status=Member.Status.ACTIVE)
    with translation.override("th"):
        assert render('{{ m|choice:"status" }}', m=member) == "ปกติ" == member.get_status_display()
    with translation.override("en"):
        assert render('{{ m|choice:"status" }}', m=member) == "Active" == member.get_status_display()
    member.status = "unheard-of"
    assert render('{{ m|choice:"status" }}', m=member) == "unheard-of"  # as get_status_display: the value
    assert render('[{{ m|choice:"status" }}]', m=None) == "[]"
    assert render('[{{ m|choice:"nothing" }}]', m=member) == "[]"
