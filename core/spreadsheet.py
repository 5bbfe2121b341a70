"""Spreadsheets the project writes: text typed by people stays text, and every
sheet prints well.

Text typed by people, written into spreadsheets (.xlsx and CSV), stays text.

A cell whose text starts with one of these characters may be taken for a formula by
Excel, WPS or LibreOffice, on opening a CSV file or on editing an .xlsx cell
(OWASP's "CSV injection"): the four ASCII starters, the tab and carriage return that
spreadsheet programs skip before them, and the full-width forms a Chinese input
method types, which WPS reads as the ASCII ones.
"""

import datetime
from collections.abc import Iterable, Sequence
from itertools import chain, islice
from typing import Any
from unicodedata import east_asian_width

from openpyxl.cell import Cell, WriteOnlyCell
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.page import PageMargins
from openpyxl.worksheet.properties import PageSetupProperties

# The content type of an .xlsx workbook, as every download answers it.
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

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


# -- print-ready sheets ---------------------------------------------------------------
#
# Every workbook the project writes is printed and filed by an office: A4 landscape,
# scaled to the width of one page (as many pages down as the rows need), the header
# row repeated on every page, thin borders round every cell of the table, the title
# on page one, page numbers at the foot, and columns wide enough for Chinese names
# (a CJK character takes about two widths of a Latin one).

A4 = 9  # the paper size code of A4 in SpreadsheetML
THIN = Side(style="thin", color="000000")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
HEADER_FONT = Font(bold=True)
HEADER_FILL = PatternFill("solid", fgColor="D9D9D9")
HEADER_ALIGNMENT = Alignment(horizontal="center", vertical="center", wrap_text=True)
TITLE_FONT = Font(bold=True, size=16)
TITLE_ALIGNMENT = Alignment(horizontal="center", vertical="center")
TEXT_ALIGNMENT = Alignment(vertical="top", wrap_text=True)
NUMBER_ALIGNMENT = Alignment(vertical="top")
MIN_WIDTH = 6
MAX_WIDTH = 30  # wider text wraps inside the column
HEADER_WIDTH = 16  # a wider header wraps onto a second line


def display_width(value: object) -> int:
    """The width a value takes in a column, in widths of a Latin digit: a wide or
    full-width (CJK) character counts two; of text on several lines, the longest."""
    if value is None:
        return 0
    if isinstance(value, datetime.datetime | datetime.date):
        return 12
    text = str(value)
    return max(
        sum(2 if east_asian_width(char) in "WF" else 1 for char in line)
        for line in text.split("\n")
    )


def column_width(
    values: Iterable[object], *, header: object = None, least: int = MIN_WIDTH
) -> float:
    """A column's width for its header and values: the widest plus a margin, at
    least ``least``, at most ``MAX_WIDTH`` unless ``least`` is more (longer text
    wraps); a header counts at most ``HEADER_WIDTH`` (a longer one wraps)."""
    widest = max(
        [
            min(display_width(header), HEADER_WIDTH),
            *(display_width(value) for value in values),
        ]
    )
    return float(min(max(MAX_WIDTH, least), max(least, widest + 2)))


LINE_HEIGHT = 16  # points a line of wrapped 11-point CJK text takes


def row_height(values: Iterable[object], widths: Sequence[float]) -> float | None:
    """The height a row needs for its text wrapped in columns ``widths``, or None
    when one line is enough. LibreOffice keeps a row one line high on opening
    unless told, so wrapped text would be cut off in print."""
    lines = 1
    for value, width in zip(values, widths, strict=False):
        if not isinstance(value, str) or len(value) * 2 < width - 1:
            continue  # the usual short cell, without measuring it
        room = max(1, int(width) - 1)
        # in UTF-8 a CJK character takes 3 bytes and an ASCII one 1, so this is
        # about the display width, counted in C rather than per character
        needed = sum(
            -(-((len(line.encode()) + len(line)) // 2) // room) or 1
            for line in value.split("\n")
        )
        lines = max(lines, needed)
    return LINE_HEIGHT * lines if lines > 1 else None


def set_page(sheet: Any, *, header_rows: tuple[int, int], title: str = "") -> None:
    """A4 landscape, fit to one page wide, rows ``header_rows`` (first, last)
    repeated on every page, page numbers in the footer; ``title`` (for a sheet
    without a title row of its own) at the head of every page. Works on write-only
    sheets too (before the first row is appended)."""
    sheet.page_setup.paperSize = A4
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0  # as many pages down as the rows need
    sheet.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    sheet.page_margins = PageMargins(
        left=0.5, right=0.5, top=0.75, bottom=0.75, header=0.3, footer=0.3
    )
    sheet.print_options.horizontalCentered = True
    first, last = header_rows
    sheet.print_title_rows = f"{first}:{last}"
    if title:
        sheet.oddHeader.center.text = title.replace("&", "&&")
        sheet.oddHeader.center.size = 12
    sheet.oddFooter.center.text = "&P / &N"


def print_ready(
    sheet: Any,
    *,
    title: str = "",
    header_row: int = 1,
    title_row: int | None = None,
    widths: Sequence[float] | None = None,
) -> None:
    """Make a filled (not write-only) sheet print-ready: page setup (``set_page``),
    the header row bold and shaded, thin borders round every cell from the header
    row down, column widths from the contents (or ``widths``). A ``title_row`` above
    the header is merged over the table's width and set large; a sheet without one
    gets ``title`` at the head of each page."""
    last_row = max(sheet.max_row, header_row)
    last_column = max(sheet.max_column, 1)
    for row in sheet.iter_rows(
        min_row=header_row, max_row=last_row, max_col=last_column
    ):
        for cell in row:
            cell.border = BORDER
            if cell.row == header_row:
                cell.font = HEADER_FONT
                cell.fill = HEADER_FILL
                cell.alignment = HEADER_ALIGNMENT
            elif isinstance(cell.value, str):
                cell.alignment = TEXT_ALIGNMENT
            else:
                cell.alignment = NUMBER_ALIGNMENT
    for index in range(1, last_column + 1):
        letter = get_column_letter(index)
        if widths is not None and index <= len(widths):
            width = widths[index - 1]
        else:
            width = column_width(
                (
                    cell.value
                    for (cell,) in sheet.iter_rows(
                        min_row=header_row + 1,
                        max_row=last_row,
                        min_col=index,
                        max_col=index,
                    )
                ),
                header=sheet.cell(row=header_row, column=index).value,
            )
        sheet.column_dimensions[letter].width = width
    final = [
        sheet.column_dimensions[get_column_letter(index)].width
        for index in range(1, last_column + 1)
    ]
    for row in sheet.iter_rows(
        min_row=header_row, max_row=last_row, max_col=last_column
    ):
        if height := row_height((cell.value for cell in row), final):
            sheet.row_dimensions[row[0].row].height = height
    if title_row is not None:
        if last_column > 1:
            sheet.merge_cells(
                start_row=title_row,
                start_column=1,
                end_row=title_row,
                end_column=last_column,
            )
        cell = sheet.cell(row=title_row, column=1)
        cell.font = TITLE_FONT
        cell.alignment = TITLE_ALIGNMENT
        sheet.row_dimensions[title_row].height = 30
    set_page(
        sheet,
        header_rows=(header_row, header_row),
        title="" if title_row is not None else title,
    )


WIDTH_SAMPLE = 200  # rows of a streamed table looked at to size its columns


def write_table(
    sheet: Any,
    header: Sequence[str],
    rows: Iterable[Sequence[Any]],
    *,
    title: str,
    title_row: bool = False,
    least_widths: Sequence[int] = (),
    hidden: Sequence[bool] = (),
    number_formats: dict[int, str] | None = None,
) -> None:
    """Stream a print-ready table into a new write-only sheet: ``title`` merged over
    row 1 (``title_row``) or at the head of every printed page, the header row
    bold, shaded and repeated on every page, every cell bordered, columns sized
    from the header and the first rows (at least ``least_widths``), column
    ``index`` (from 0) of ``number_formats`` formatted so, those true in ``hidden``
    hidden. Text that looks like a
    formula stays text.

    Each column has one styled cell, given each row's value in turn (the sheet
    writes a row as it is appended), so no cell object is made per value."""
    rows = iter(rows)
    sample = list(islice(rows, WIDTH_SAMPLE))
    formats = number_formats or {}
    widths = []
    for index, name in enumerate(header):
        least = least_widths[index] if index < len(least_widths) else MIN_WIDTH
        width = column_width((row[index] for row in sample), header=name, least=least)
        dimension = sheet.column_dimensions[get_column_letter(index + 1)]
        dimension.width = width
        dimension.hidden = index < len(hidden) and hidden[index]
        widths.append(width)
    header_row = 2 if title_row else 1
    if height := row_height(header, widths):
        sheet.row_dimensions[header_row].height = height
    sheet.freeze_panes = f"A{header_row + 1}"
    set_page(
        sheet, header_rows=(header_row, header_row), title="" if title_row else title
    )
    if title_row:
        sheet.merged_cells.add(f"A1:{get_column_letter(len(header))}1")
        sheet.row_dimensions[1].height = 30
        title_cell = WriteOnlyCell(sheet, value=title)
        title_cell.font = TITLE_FONT
        title_cell.alignment = TITLE_ALIGNMENT
        sheet.append([title_cell])
    heads = []
    for name in header:
        cell = WriteOnlyCell(sheet, value=name)
        cell.font = HEADER_FONT
        cell.fill = HEADER_FILL
        cell.alignment = HEADER_ALIGNMENT
        cell.border = BORDER
        heads.append(cell)
    sheet.append(heads)
    cells = []
    for index in range(len(header)):
        cell = WriteOnlyCell(sheet)
        cell.border = BORDER
        if index in formats:
            cell.number_format = formats[index]
            cell.alignment = NUMBER_ALIGNMENT
        else:
            cell.alignment = TEXT_ALIGNMENT
        cells.append(cell)
    cells = [_StreamCell(cell, column) for column, cell in enumerate(cells, start=1)]
    heights = sheet.row_dimensions
    # Every row appended from here on is a list of cells. openpyxl's write-only
    # sheet would try each as a value first, fail with an exception and make a
    # spare cell for each; it writes them as they are instead.
    sheet._values_to_row = _cells_as_they_are
    for number, row in enumerate(chain(sample, rows), start=header_row + 1):
        for cell, value in zip(cells, row, strict=True):
            cell.value = value
        if height := row_height(row, widths):
            # the row's attributes as the sheet writer reads them, without the
            # cost of a RowDimension object for each of many rows
            dict.__setitem__(heights, number, {"ht": str(height), "customHeight": "1"})
        if any(looks_like_formula(value) for value in row):
            sheet.append([_kept_copy(cell) for cell in cells])
        else:
            sheet.append(cells)
        heights.pop(number, None)


class _StreamCell(Cell):
    """A column's styled cell of a streamed table: its style's index in the
    workbook is looked up once, not for each value written."""

    __slots__ = ("_style_id",)

    def __init__(self, cell: Any, column: int) -> None:
        super().__init__(
            cell.parent, row=1, column=column, style_array=cell._style.__copy__()
        )
        self._style_id = cell.parent.parent._cell_styles.add(self._style)

    @property
    def style_id(self) -> int:
        return self._style_id


def _cells_as_they_are(cells: Sequence[Any], row: int) -> Iterable[Any]:
    """A streamed row's cells, numbered for ``row`` (openpyxl's write-only
    ``_values_to_row`` for rows that are all cells)."""
    for cell in cells:
        cell.row = row
        yield cell


def _kept_copy(cell: Any) -> Any:
    """A fresh copy of a streamed row's cell, its text kept text (``keep_text``)."""
    copy = WriteOnlyCell(cell.parent, value=cell.value)
    copy.column = cell.column
    copy._style = cell._style.__copy__()
    if isinstance(cell.value, str):
        copy.data_type = "s"
    return keep_text(copy)
