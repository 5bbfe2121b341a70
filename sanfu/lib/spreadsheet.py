"""Text typed by people, written into spreadsheets (.xlsx and CSV), stays text.

A cell whose text starts with one of these characters may be taken for a formula by
Excel, WPS or LibreOffice, on opening a CSV file or on editing an .xlsx cell
(OWASP's "CSV injection"): the four ASCII starters, the tab and carriage return that
spreadsheet programs skip before them, and the full-width forms a Chinese input
method types, which WPS reads as the ASCII ones.
"""

from collections.abc import Iterable
from typing import Any

FORMULA_STARTERS = frozenset("=+-@\t\r＝＋－＠")


def looks_like_formula(value: object) -> bool:
    return isinstance(value, str) and value[:1] in FORMULA_STARTERS


def csv_text(value: str) -> str:
    """A CSV cell: a leading apostrophe makes a spreadsheet read the rest as text."""
    return "'" + value if looks_like_formula(value) else value


def keep_text(cell: Any) -> Any:
    """An .xlsx cell (also a write-only one) whose text must not become a formula:
    stored as a string, and marked so that editing it keeps it a string."""
    if looks_like_formula(cell.value):
        cell.data_type = "s"
        cell.quotePrefix = True
    return cell


def keep_sheet_text(rows: Iterable[Iterable[Any]]) -> None:
    """``keep_text`` on every cell of ``sheet.iter_rows(...)``."""
    for row in rows:
        for cell in row:
            keep_text(cell)
