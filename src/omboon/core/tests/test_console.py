from omboon.core.console import pad, table, width


def test_thai_marks_take_no_column():
    assert width("ผู้ใช้") == 3  # ผ ใ ช; ู and ้ sit on them
    assert width("abc") == 3
    assert pad("นี่", 4) == "นี่   "


def test_table_aligns_columns():
    lines = table([["a", "n"], ["ผู้ใช้", "12"]], right=(1,))
    assert lines[0] == "a     n"
    assert lines[1] == "---  --"
    assert lines[2] == "ผู้ใช้  12"
