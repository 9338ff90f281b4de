"""The bounds of a file an import reads, and the one error a reader raises: a ``ReadError``
holding a Problem in Thai and English that names the limit. Shared by the readers
(``imports.readers``: csv and the sheet; ``imports.xlsx``: the zip and its first sheet)."""

from __future__ import annotations

from omboon.core.errors import Problem

MB = 1024 * 1024
MAX_FILE_BYTES = 24 * MB  # a 3,000-member group's 10 years of monthly payments is ~20 MB as CSV, ~5 MB as xlsx
MAX_UNCOMPRESSED = 300 * MB
MAX_SHARED_STRINGS = 32 * MB  # an xlsx's table of texts is held in memory: ~800,000 distinct short texts
MAX_RATIO = 100  # uncompressed / compressed, over the whole zip (spreadsheets compress ~10×)
RATIO_FLOOR = 5 * MB  # small files may compress as they like
MAX_ZIP_ENTRIES = 2000
MAX_ROWS = 500_000
MAX_COLUMNS = 200
CSV_FIELD_LIMIT = 100_000  # a longer CSV field is a broken file, not a cell
# calamine holds a sheet as a dense grid (~100 bytes a cell at its peak): above this many cells
# (rows × columns) the sheet is streamed instead
CALAMINE_MAX_CELLS = 600_000
INTERN_LIMIT = 100_000  # distinct cell texts shared between rows (a payments file repeats them)

ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


class ReadError(Exception):
    def __init__(self, message_th: str, message_en: str, *, value=None):
        self.problem = Problem("file", message_th, message_en, value=value, code="file")
        self.problems = [self.problem]
        super().__init__(f"{message_th} / {message_en}")


def too_large(size: int) -> ReadError:
    limit = MAX_FILE_BYTES // MB
    return ReadError(f"ไฟล์ใหญ่ {size / MB:,.1f} MB เกินขนาดที่รับได้ {limit} MB แบ่งเป็นหลายไฟล์แล้วนำเข้าทีละไฟล์",
                     f"the file is {size / MB:,.1f} MB, over the limit of {limit} MB; split it into several "
                     "files and import them one by one", value=size)


def too_many_rows() -> ReadError:
    return ReadError(f"มีข้อมูลเกิน {MAX_ROWS:,} แถว ซึ่งเป็นจำนวนแถวสูงสุดที่นำเข้าได้ในไฟล์เดียว แบ่งเป็นหลายไฟล์",
                     f"more than {MAX_ROWS:,} rows, the most one file may hold; split the file", value=MAX_ROWS)
