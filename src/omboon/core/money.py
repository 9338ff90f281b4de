"""Money as integer satang (1 baht = 100 satang). Never a float, never a Decimal in storage.

``Money`` is a small immutable value for arithmetic that must not lose a satang; most code
simply passes ``int`` satang around and uses ``parse_baht`` / ``format_baht`` at the edges.

    >>> parse_baht("1,234.50")
    123450
    >>> format_baht(123450)
    '1,234.50'
    >>> Money(1000).allocate([1, 1, 1])
    [Money(334), Money(333), Money(333)]
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import total_ordering

SATANG_PER_BAHT = 100

_THAI_DIGITS = str.maketrans("๐๑๒๓๔๕๖๗๘๙", "0123456789")
_MINUS_SIGNS = ("-", "\u2212", "\u2013")  # hyphen-minus, minus sign, en dash (spreadsheets)
_GROUPED = re.compile(r"^\d{1,3}(?:,\d{3})+(?:\.\d{1,2})?$")
_PLAIN = re.compile(r"^\d+(?:\.\d{1,2})?$")


def _bad(message_th: str, message_en: str, text: object) -> ValueError:
    shown = f": {text!r}" if str(text if text is not None else "").strip() else ""  # nothing to quote when empty
    return ValueError(f"{message_th}{shown} / {message_en}{shown}")


def is_whole(value: object) -> bool:
    """A whole number (satang, a count), and not a bool: what the rules accept as an amount."""
    return isinstance(value, int) and not isinstance(value, bool)


def _require_int(value: object, what: str = "satang") -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(
            f"จำนวนเงินต้องเป็นจำนวนเต็มสตางค์ ไม่ใช่ {type(value).__name__} / "
            f"{what} must be an int, not {type(value).__name__}"
        )
    return value


@total_ordering
@dataclass(frozen=True, slots=True)
class Money:
    """An amount of integer satang. Immutable; adds, compares and allocates exactly."""

    satang: int

    def __post_init__(self) -> None:
        _require_int(self.satang)

    # constructors -------------------------------------------------------------------------
    @classmethod
    def baht(cls, baht: int, satang: int = 0) -> Money:
        """``Money.baht(50)`` is fifty baht; ``Money.baht(1, 50)`` is 1.50 baht."""
        return cls(_require_int(baht, "baht") * SATANG_PER_BAHT + _require_int(satang))

    @classmethod
    def parse(cls, text: str) -> Money:
        return cls(parse_baht(text))

    @classmethod
    def zero(cls) -> Money:
        return cls(0)

    @classmethod
    def sum(cls, amounts: Iterable[Money | int]) -> Money:
        """Total of Money values (or plain satang ints); an empty iterable gives zero."""
        total = 0
        for amount in amounts:
            total += amount.satang if isinstance(amount, Money) else _require_int(amount)
        return cls(total)

    # arithmetic ---------------------------------------------------------------------------
    @staticmethod
    def _other(other: object) -> int | None:
        if isinstance(other, Money):
            return other.satang
        return None

    def __add__(self, other: object) -> Money:
        value = self._other(other)
        if value is None:
            return NotImplemented
        return Money(self.satang + value)

    def __radd__(self, other: object) -> Money:
        # sum([...]) starts from the int 0; nothing else may be added to Money.
        if isinstance(other, int) and not isinstance(other, bool) and other == 0:
            return self
        return self.__add__(other)

    def __sub__(self, other: object) -> Money:
        value = self._other(other)
        if value is None:
            return NotImplemented
        return Money(self.satang - value)

    def __neg__(self) -> Money:
        return Money(-self.satang)

    def __pos__(self) -> Money:
        return self

    def __abs__(self) -> Money:
        return Money(abs(self.satang))

    def __mul__(self, factor: object) -> Money:
        if isinstance(factor, bool) or not isinstance(factor, int):
            return NotImplemented
        return Money(self.satang * factor)

    __rmul__ = __mul__

    def __lt__(self, other: object) -> bool:
        value = self._other(other)
        if value is None:
            return NotImplemented
        return self.satang < value

    def __bool__(self) -> bool:
        return self.satang != 0

    def __int__(self) -> int:
        return self.satang

    # queries ------------------------------------------------------------------------------
    @property
    def is_negative(self) -> bool:
        return self.satang < 0

    @property
    def whole_baht(self) -> int:
        """Whole baht, truncated towards zero (-1.50 → -1)."""
        return -(-self.satang // SATANG_PER_BAHT) if self.satang < 0 else self.satang // SATANG_PER_BAHT

    def allocate(self, weights: Sequence[int]) -> list[Money]:
        return [Money(s) for s in allocate(self.satang, weights)]

    def format(self, *, sign: bool = False, symbol: bool = False) -> str:
        return format_baht(self.satang, sign=sign, symbol=symbol)

    def __str__(self) -> str:
        return format_baht(self.satang)

    def __repr__(self) -> str:
        return f"Money({self.satang})"


def allocate(total: int, weights: Sequence[int]) -> list[int]:
    """Split ``total`` satang into shares proportional to integer ``weights``, losing nothing.

    Largest remainder: everyone gets the floor of their exact share, then the satang left
    over go one each to the largest fractional remainders (earlier shares win ties). A
    negative total is split like its absolute value and negated.

        >>> allocate(100, [1, 1, 1])
        [34, 33, 33]
        >>> allocate(1000, [50, 30, 20])
        [500, 300, 200]
    """
    _require_int(total)
    if not weights:
        raise ValueError("ต้องมีสัดส่วนอย่างน้อยหนึ่งส่วน / at least one weight is needed")
    for w in weights:
        _require_int(w, "weight")
        if w < 0:
            raise ValueError(f"สัดส่วนต้องไม่ติดลบ: {w} / weights must not be negative: {w}")
    weight_sum = sum(weights)
    if weight_sum == 0:
        raise ValueError("ผลรวมสัดส่วนต้องมากกว่าศูนย์ / weights must not all be zero")
    if total < 0:
        return [-share for share in allocate(-total, weights)]
    shares = []
    remainders = []
    for index, w in enumerate(weights):
        share, remainder = divmod(total * w, weight_sum)
        shares.append(share)
        remainders.append((-remainder, index))
    left = total - sum(shares)
    for _, index in sorted(remainders)[:left]:
        shares[index] += 1
    return shares


def parse_baht(text: str) -> int:
    """Satang from what a person types: "1,234.50", "1234", "฿1,234.5", "๑,๒๓๔.๕๐", "(50)".

    Refused with a ValueError in Thai and English: empty text, more than two decimals,
    European "1.234,50", misplaced thousands separators, floats and anything not text.
    """
    if isinstance(text, float):
        raise _bad("ไม่รับตัวเลขทศนิยมแบบ float ให้ส่งเป็นข้อความ",
                   "floats are not accepted, pass the amount as text", text)
    if not isinstance(text, str):
        raise _bad("จำนวนเงินต้องเป็นข้อความ", "the amount must be text", text)
    original = text
    s = text.translate(_THAI_DIGITS).strip().replace("\u00a0", "").replace(" ", "")
    if not s:
        raise _bad("ต้องระบุจำนวนเงิน", "the amount is empty", original)

    negative = False
    if s.startswith("(") and s.endswith(")"):
        negative, s = True, s[1:-1]
    if s[:1] in _MINUS_SIGNS:
        if negative:
            raise _bad("เครื่องหมายลบซ้ำ", "double negative sign", original)
        negative, s = True, s[1:]
    elif s[:1] == "+":
        s = s[1:]
    for symbol in ("฿", "THB", "บาท"):
        if s.startswith(symbol):
            s = s[len(symbol):]
        elif s.endswith(symbol):
            s = s[: -len(symbol)]
    if s[:1] in _MINUS_SIGNS and not negative:  # "฿-50"
        negative, s = True, s[1:]

    if not s:
        raise _bad("ต้องระบุจำนวนเงิน", "the amount is empty", original)
    if "," in s and "." in s and s.rindex(",") > s.index("."):
        raise _bad("ใช้จุด (.) คั่นทศนิยมและจุลภาค (,) คั่นหลักพัน เช่น 1,234.50",
                   "use a point for decimals and commas for thousands, e.g. 1,234.50", original)
    if re.fullmatch(r"[\d,]*\.\d{3,}", s):
        raise _bad("จำนวนเงินมีทศนิยมได้ไม่เกิน 2 ตำแหน่ง",
                   "an amount has at most 2 decimals", original)
    if not (_PLAIN.match(s) or _GROUPED.match(s)):
        if re.fullmatch(r"[\d,]+(?:\.\d{1,2})?", s):
            raise _bad("จุลภาคคั่นหลักพันไม่ถูกตำแหน่ง",
                       "thousands separators are in the wrong place", original)
        raise _bad("จำนวนเงินไม่ถูกต้อง", "not a valid amount", original)

    whole, _, fraction = s.replace(",", "").partition(".")
    satang = int(whole) * SATANG_PER_BAHT + int(fraction.ljust(2, "0") or "0")
    return -satang if negative else satang


def format_baht(satang: int | Money, *, sign: bool = False, symbol: bool = False) -> str:
    """ "1,234.50" from 123450. ``sign`` adds "+" to positive amounts; ``symbol`` adds "฿".

    Negative amounts always carry "-": -123450 → "-1,234.50", with symbol "-฿1,234.50".
    """
    if isinstance(satang, Money):
        satang = satang.satang
    _require_int(satang)
    whole, fraction = divmod(abs(satang), SATANG_PER_BAHT)
    body = f"{whole:,}.{fraction:02d}"
    if symbol:
        body = "฿" + body
    if satang < 0:
        return "-" + body
    if sign and satang > 0:
        return "+" + body
    return body
