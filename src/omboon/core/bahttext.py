"""Baht in words for receipts, vouchers and confirmations, from integer satang: Thai baht text
(ตัวอักษร), and on an English page English words (``amount_words`` picks by the language).

    >>> baht_text(123450)
    'หนึ่งพันสองร้อยสามสิบสี่บาทห้าสิบสตางค์'
    >>> baht_text(100000)
    'หนึ่งพันบาทถ้วน'

Rules (as the Royal Institute and Excel's BAHTTEXT read numbers):
- ten is สิบ, twenty is ยี่สิบ; a one in the units place after any higher digit is เอ็ด
  (11 สิบเอ็ด, 101 หนึ่งร้อยเอ็ด, 1,000,001 หนึ่งล้านเอ็ด), alone it is หนึ่ง;
- every six digits repeat with ล้าน, so amounts of any size read (ล้านล้าน, …);
- whole baht end in ถ้วน; satang are read as a number of สตางค์;
- less than one baht reads only the satang ("ห้าสิบสตางค์"), zero is ศูนย์บาทถ้วน, a negative
  amount starts with ลบ.

Where pythainlp's ``bahttext`` differs (it is the reference in the tests): it reads 0.50 as
"ศูนย์บาทห้าสิบสตางค์" (we follow Excel: "ห้าสิบสตางค์"), it drops the sign of amounts
between -1 and 0, and it goes through a float, so it loses satang beyond about 2**53 satang.
"""

from __future__ import annotations

from django.utils.translation import get_language

from omboon.core.money import Money

DIGITS = ("ศูนย์", "หนึ่ง", "สอง", "สาม", "สี่", "ห้า", "หก", "เจ็ด", "แปด", "เก้า")
PLACES = ("", "สิบ", "ร้อย", "พัน", "หมื่น", "แสน")
MILLION = "ล้าน"


def _block(n: int, *, after_higher: bool) -> str:
    """0 ≤ n < 1,000,000 in words; ``after_higher``: a higher digit precedes (for เอ็ด)."""
    words = []
    digits = f"{n:06d}"
    for position, ch in enumerate(digits):
        d = int(ch)
        place = 5 - position
        if d == 0:
            continue
        if place == 1:
            words.append({1: "สิบ", 2: "ยี่สิบ"}.get(d, DIGITS[d] + "สิบ"))
        elif place == 0:
            higher = after_higher or n >= 10
            words.append("เอ็ด" if d == 1 and higher else DIGITS[d])
        else:
            words.append(DIGITS[d] + PLACES[place])
    return "".join(words)


def number_text(n: int) -> str:
    """A non-negative integer in Thai words: 21 → ยี่สิบเอ็ด, 1,000,000 → หนึ่งล้าน."""
    if isinstance(n, bool) or not isinstance(n, int):
        raise TypeError(f"ต้องเป็นจำนวนเต็ม / an int is needed, not {type(n).__name__}")
    if n < 0:
        return "ลบ" + number_text(-n)
    if n == 0:
        return DIGITS[0]
    blocks = []
    while n:
        n, block = divmod(n, 1_000_000)
        blocks.append(block)
    blocks.reverse()
    out = []
    for index, block in enumerate(blocks):
        if block:
            out.append(_block(block, after_higher=index > 0))
        if index < len(blocks) - 1:
            out.append(MILLION)
    return "".join(out)


def baht_text(satang: int | Money) -> str:
    """Integer satang as Thai baht text: 123450 → หนึ่งพันสองร้อยสามสิบสี่บาทห้าสิบสตางค์."""
    if isinstance(satang, Money):
        satang = satang.satang
    if isinstance(satang, bool) or not isinstance(satang, int):
        raise TypeError(
            f"จำนวนเงินต้องเป็นจำนวนเต็มสตางค์ / satang must be an int, not {type(satang).__name__}"
        )
    if satang < 0:
        return "ลบ" + baht_text(-satang)
    baht, rest = divmod(satang, 100)
    if satang == 0:
        return "ศูนย์บาทถ้วน"
    if rest == 0:
        return number_text(baht) + "บาทถ้วน"
    if baht == 0:
        return number_text(rest) + "สตางค์"
    return number_text(baht) + "บาท" + number_text(rest) + "สตางค์"


EN_ONES = ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven",
           "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen")
EN_TENS = ("", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety")
EN_SCALES = ((10**18, "quintillion"), (10**15, "quadrillion"), (10**12, "trillion"), (10**9, "billion"),
             (10**6, "million"), (10**3, "thousand"))


def english_number(n: int) -> str:
    """A non-negative integer in English words: 1,234 → one thousand two hundred thirty-four."""
    if n < 20:
        return EN_ONES[n]
    if n < 100:
        tens, ones = divmod(n, 10)
        return EN_TENS[tens] + (f"-{EN_ONES[ones]}" if ones else "")
    if n < 1000:
        hundreds, rest = divmod(n, 100)
        return f"{EN_ONES[hundreds]} hundred" + (f" {english_number(rest)}" if rest else "")
    for size, name in EN_SCALES:
        if n >= size:
            head, rest = divmod(n, size)
            return f"{english_number(head)} {name}" + (f" {english_number(rest)}" if rest else "")
    raise AssertionError(n)  # unreachable: every n ≥ 1000 has a scale


def english_text(satang: int | Money) -> str:
    """Integer satang in English words: 123450 → one thousand two hundred thirty-four baht and
    fifty satang; 3100 → thirty-one baht; 50 → fifty satang; a negative amount starts with minus."""
    if isinstance(satang, Money):
        satang = satang.satang
    if isinstance(satang, bool) or not isinstance(satang, int):
        raise TypeError(f"satang must be an int, not {type(satang).__name__}")
    if satang < 0:
        return "minus " + english_text(-satang)
    baht, rest = divmod(satang, 100)
    if rest == 0:
        return f"{english_number(baht)} baht"
    if baht == 0:
        return f"{english_number(rest)} satang"
    return f"{english_number(baht)} baht and {english_number(rest)} satang"


def amount_words(satang: int | Money, lang: str | None = None) -> str:
    """The amount in the words of ``lang`` (the page's language when not given): English words
    on an English page, Thai baht text on every other."""
    lang = lang or get_language() or "th"
    return english_text(satang) if lang.startswith("en") else baht_text(satang)
