"""Rows to an XLSX workbook that opens right in a spreadsheet (UI-free; the console's export
and `sibtui query --format xlsx`).

A CSV opened by double-click loses what matters most here: CPF `01234567890` becomes the
number 1234567890 and a 15-digit CNS shows as 2,09183E+14. In XLSX every stored text is a
text cell (and its column is formatted as text, so a value typed later stays text too), so
identifiers keep their leading zeros and every digit. Dates become real dates shown as
dd/mm/aaaa: DuckDB dates, and the SIB date fields (stored as the text written in the file)
when they are valid `AAAA-MM-DD`; an invalid one stays the text it is. Numbers stay numbers.

XlsxWriter's constant-memory mode writes each row as it comes, so a million rows never sit
in memory; past Excel's 1,048,576 rows a sheet continues on the next one.
"""

from __future__ import annotations

import datetime as dt
import decimal
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any

import xlsxwriter

from sibtui.catalog.domains import Base
from sibtui.catalog.fields import FIELDS

EXCEL_ROWS = 1_048_576  # rows of a sheet, the header included
SHEET_NAME = "sibtui"
MAX_COLUMN_WIDTH = 50
DATE_FORMAT = "dd/mm/yyyy"
DATETIME_FORMAT = "dd/mm/yyyy hh:mm:ss"


def date_columns() -> frozenset[str]:
    """Columns of the catalogue whose text is a date (`dataNascimento`, `dataCancelamento`...)."""
    return frozenset(name for name, field in FIELDS.items() if field.domain.base is Base.DATE)


def write_xlsx(path: Path | str, columns: Sequence[str], rows: Iterable[Sequence[object]],
               every_batch: Callable[[int], None] | None = None) -> int:
    """Write `rows` under a header of `columns` to `path` (an existing file is replaced);
    return how many rows were written. `every_batch(written)` is called every 10,000 rows
    (to report progress, or raise to cancel)."""
    workbook = xlsxwriter.Workbook(str(path), {"constant_memory": True, "strings_to_numbers": False,
                                                "strings_to_formulas": False, "strings_to_urls": False})
    try:
        return _SheetWriter(workbook, list(columns), every_batch).write(rows)
    finally:
        workbook.close()


class _SheetWriter:
    """Writes rows into as many sheets as they need, each with the header and its formats."""

    def __init__(self, workbook, columns: list[str], every_batch) -> None:
        self.workbook, self.columns, self.every_batch = workbook, columns, every_batch
        self.header = workbook.add_format({"bold": True, "bg_color": "#DDDDDD"})
        self.text = workbook.add_format({"num_format": "@"})
        self.date = workbook.add_format({"num_format": DATE_FORMAT})
        self.datetime = workbook.add_format({"num_format": DATETIME_FORMAT})
        self.text_dates = date_columns() & set(columns)
        self.sheet: Any = None  # xlsxwriter's Worksheet (untyped), opened with the first row
        self.sheets = 0

    def write(self, rows: Iterable[Sequence[object]]) -> int:
        written, row_index = 0, EXCEL_ROWS
        for row in rows:
            if row_index >= EXCEL_ROWS:
                self._new_sheet(row)
                row_index = 1
            for column_index, value in enumerate(row):
                self._cell(row_index, column_index, value)
            row_index += 1
            written += 1
            if self.every_batch is not None and written % 10_000 == 0:
                self.every_batch(written)
        if self.sheet is None:
            self._new_sheet(None)
        return written

    def _new_sheet(self, first_row: Sequence[object] | None) -> None:
        self.sheets += 1
        name = SHEET_NAME if self.sheets == 1 else f"{SHEET_NAME} ({self.sheets})"
        sheet = self.workbook.add_worksheet(name)
        for index, column in enumerate(self.columns):
            sample = first_row[index] if first_row is not None else None
            width = min(max(len(column), len(str(sample or "")), 10) + 2, MAX_COLUMN_WIDTH)
            text_column = isinstance(sample, str) and column not in self.text_dates
            sheet.set_column(index, index, width, self.text if text_column else None)
            sheet.write_string(0, index, column, self.header)
        sheet.freeze_panes(1, 0)
        self.sheet = sheet

    def _cell(self, row: int, column: int, value: object) -> None:
        if value is None:
            return  # an absent element is an empty cell
        sheet = self.sheet
        if isinstance(value, bool):
            sheet.write_boolean(row, column, value)
        elif isinstance(value, int | float | decimal.Decimal):
            sheet.write_number(row, column, float(value))
        elif isinstance(value, dt.datetime):
            sheet.write_datetime(row, column, value.replace(tzinfo=None), self.datetime)
        elif isinstance(value, dt.date):
            sheet.write_datetime(row, column, dt.datetime(value.year, value.month, value.day), self.date)
        elif isinstance(value, str) and self.columns[column] in self.text_dates and _is_iso_date(value):
            day = dt.date.fromisoformat(value)
            sheet.write_datetime(row, column, dt.datetime(day.year, day.month, day.day), self.date)
        else:
            sheet.write_string(row, column, value if isinstance(value, str) else str(value), self.text)


def _is_iso_date(text: str) -> bool:
    """`AAAA-MM-DD` exactly, and a day that exists (an invalid date stays text, as written)."""
    if len(text) != 10 or text[4] != "-" or text[7] != "-":
        return False
    try:
        return dt.date.fromisoformat(text).year >= 1900  # Excel has no dates before 1900
    except ValueError:
        return False
