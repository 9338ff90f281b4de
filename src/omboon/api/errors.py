"""Every refusal of the API as the Problem list (``core.contract.Problems``): validation errors
of the request's path, query and body, rule violations, 400/401/403/404."""

from __future__ import annotations

from typing import Any

from omboon.core.errors import Problem, split_message

# pydantic's error types → (Thai, English); {names} come from the error's context.
_MESSAGES: dict[str, tuple[str, str]] = {
    "missing": ("ต้องระบุ", "is required"),
    "int_type": ("ต้องเป็นจำนวนเต็ม", "must be a whole number"),
    "int_parsing": ("ต้องเป็นจำนวนเต็ม (เงินเป็นสตางค์ ไม่มีจุลภาคหรือทศนิยม)",
                    "must be a whole number (money in satang, without commas or decimals)"),
    "int_from_float": ("ต้องเป็นจำนวนเต็ม ไม่มีทศนิยม", "must be a whole number, without decimals"),
    "int_parsing_size": ("ตัวเลขใหญ่เกินไป", "the number is too large"),
    "bool_type": ("ต้องเป็น true หรือ false", "must be true or false"),
    "bool_parsing": ("ต้องเป็น true หรือ false", "must be true or false"),
    "string_type": ("ต้องเป็นข้อความ", "must be text"),
    "string_too_short": ("สั้นเกินไป (อย่างน้อย {min_length} ตัวอักษร)", "is too short (at least {min_length} characters)"),
    "string_too_long": ("ยาวเกินไป (ไม่เกิน {max_length} ตัวอักษร)", "is too long (at most {max_length} characters)"),
    "string_pattern_mismatch": ("รูปแบบไม่ถูกต้อง ({pattern})", "is not in the expected form ({pattern})"),
    "greater_than_equal": ("ต้องไม่น้อยกว่า {ge}", "must be at least {ge}"),
    "greater_than": ("ต้องมากกว่า {gt}", "must be more than {gt}"),
    "less_than_equal": ("ต้องไม่เกิน {le}", "must be at most {le}"),
    "less_than": ("ต้องน้อยกว่า {lt}", "must be less than {lt}"),
    "literal_error": ("ต้องเป็นค่าใดค่าหนึ่งของ {expected}", "must be one of {expected}"),
    "enum": ("ต้องเป็นค่าใดค่าหนึ่งของ {expected}", "must be one of {expected}"),
    "date_type": ("วันที่ไม่ถูกต้อง ใช้ ปปปป-ดด-วว (ค.ศ.)", "not a valid date: use YYYY-MM-DD"),
    "date_parsing": ("วันที่ไม่ถูกต้อง ใช้ ปปปป-ดด-วว (ค.ศ.)", "not a valid date: use YYYY-MM-DD"),
    "date_from_datetime_parsing": ("ไม่มีวันที่นี้ในปฏิทิน หรือไม่ใช่รูปแบบ ปปปป-ดด-วว",
                                   "no such date in the calendar, or not in the form YYYY-MM-DD"),
    "date_from_datetime_inexact": ("ต้องเป็นวันที่ ไม่มีเวลา", "must be a date without a time"),
    "datetime_type": ("วันเวลาไม่ถูกต้อง", "not a valid date and time"),
    "datetime_parsing": ("วันเวลาไม่ถูกต้อง", "not a valid date and time"),
    "list_type": ("ต้องเป็นรายการ (JSON array)", "must be a list (a JSON array)"),
    "too_long": ("มีได้ไม่เกิน {max_length} รายการ", "may have at most {max_length} items"),
    "too_short": ("ต้องมีอย่างน้อย {min_length} รายการ", "must have at least {min_length} items"),
    "dict_type": ("ต้องเป็นออบเจ็กต์ JSON", "must be a JSON object"),
    "model_type": ("ต้องเป็นออบเจ็กต์ JSON", "must be a JSON object"),
    "model_attributes_type": ("ต้องเป็นออบเจ็กต์ JSON", "must be a JSON object"),
    "extra_forbidden": ("ไม่รู้จักช่องนี้", "is not a field of this request"),
    "json_invalid": ("ข้อมูลไม่ใช่ JSON ที่ถูกต้อง", "is not valid JSON"),
    "json_type": ("ข้อมูลไม่ใช่ JSON ที่ถูกต้อง", "is not valid JSON"),
    "union_tag_invalid": ("ชนิดไม่ถูกต้อง", "is not a known kind"),
    "none_required": ("ต้องเว้นว่าง (null)", "must be null"),
}
_SOURCES = {"path", "query", "body", "header", "cookie", "form", "file"}


def _context(ctx: dict[str, Any]) -> dict[str, Any]:
    out = dict(ctx)
    for key in ("ge", "gt", "le", "lt"):
        if isinstance(out.get(key), int) and abs(out[key]) >= 10_000:
            out[key] = f"{out[key]:,}"
    return out


def _message(error: dict[str, Any]) -> tuple[str, str]:
    kind = error.get("type", "")
    ctx = error.get("ctx") or {}
    if kind in ("value_error", "assertion_error") and "error" in ctx:
        return split_message(ctx["error"] if isinstance(ctx["error"], Exception) else ValueError(str(ctx["error"])))
    if kind in _MESSAGES:
        th, en = _MESSAGES[kind]
        try:
            values = _context(ctx)
            return th.format(**values), en.format(**values)
        except (KeyError, IndexError, ValueError):
            return th.split(" (")[0].split(" {")[0], en.split(" (")[0].split(" {")[0]
    return "ข้อมูลไม่ถูกต้อง", str(error.get("msg") or "invalid value")


def _where(loc: list[Any] | tuple[Any, ...], body_params: frozenset[str]) -> tuple[str, int | None]:
    """("rows.amount", 3) from ("body", "payload", "rows", 2, "amount"): the first list index is
    the row (1-based, as imports and services count), the rest the field."""
    parts = list(loc)
    if parts and parts[0] in _SOURCES:
        source = parts.pop(0)
        if source == "body" and len(parts) > 0 and parts[0] in body_params:
            parts.pop(0)
    row = None
    names: list[str] = []
    for part in parts:
        if isinstance(part, int) and row is None:
            row = part + 1
        else:
            names.append(str(part))
    return ".".join(names) or "body", row


BODY_PARAMS = frozenset({"payload", "body"})  # the names endpoints give their body parameter


def from_validation(errors: list[dict[str, Any]], body_params: frozenset[str] = BODY_PARAMS) -> list[Problem]:
    problems = []
    for error in errors:
        field, row = _where(error.get("loc") or (), body_params)
        th, en = _message(error)
        problems.append(Problem(field, th, en, row=row, code=error.get("type", "")))
    return problems


# HTTP refusals that carry no field of their own.
HTTP_PROBLEMS: dict[int, Problem] = {
    400: Problem("body", "อ่านข้อมูลที่ส่งมาไม่ได้ (ต้องเป็น JSON)", "cannot read the request body (it must be JSON)",
                 code="bad_request"),
    401: Problem("authorization", "ต้องเข้าสู่ระบบ หรือส่ง Authorization: Bearer <โทเคน>",
                 "sign in, or send Authorization: Bearer <token>", code="unauthenticated"),
    403: Problem("authorization", "ไม่มีสิทธิ์ทำรายการนี้", "you may not do this", code="forbidden"),
    404: Problem("path", "ไม่พบ", "not found", code="not_found"),
    405: Problem("method", "ใช้วิธีนี้กับที่อยู่นี้ไม่ได้", "this method is not allowed here", code="method_not_allowed"),
    429: Problem("authorization", "ส่งคำขอถี่เกินไป ลองใหม่ภายหลัง", "too many requests, try again later",
                 code="throttled"),
}


def http_problem(status: int, message: str = "") -> Problem:
    """The Problem of an HTTP refusal; a message written "Thai / English" replaces the default."""
    base = HTTP_PROBLEMS.get(status) or Problem("request", "คำขอไม่ถูกต้อง", "bad request", code=str(status))
    if message and " / " in message:
        th, en = split_message(ValueError(message))
        return Problem(base.field, th, en, code=base.code)
    return base
