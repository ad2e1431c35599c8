"""How wide each column of a paged grid is, and what its header says (no widget state).

Widths come from the content first: the header, the longest value of the first page and, for
a catalogue field, its size (a CNS is 15 wide even when the first rows lack one). Each column
first gets up to `MAX_WIDTH`; when the terminal has room left, the columns that were cut get
it, left to right, so a long message or a municipality code shows whole rather than "…" with
half the screen empty. Headers are the catalogue's short labels (`sibtui.query.column_labels`)
or, on demand, the raw column names the filter bar and SQL use.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import NamedTuple

from rich.cells import cell_len, set_cell_size
from rich.segment import Segment
from rich.style import Style

from sibtui.tui.cells import cell_text, is_numeric_type

MAX_WIDTH = 32  # what a column gets before the terminal's spare room is shared out
HEADER_MIN = 14  # a header longer than this may be cut when its values are narrow
CATALOGUE_FLOOR = 15  # a column as wide as its catalogue size, up to this (a CNS is 15)
GAP = 1  # cells between two columns


def header_text(name: str, raw: bool) -> str:
    """What heads the column `name`: its short label, or the name itself when `raw`."""
    if raw:
        return name
    from sibtui.query.column_labels import short_label

    return short_label(name)


def natural_widths(names: Sequence[str], headers: Sequence[str], sample: Sequence[tuple]) -> list[int]:
    """Each column's width to show its header and every value of `sample` whole."""
    return [max(cell_len(header), content) for header, content in zip(headers, _content_widths(names, sample))]


def base_widths(names: Sequence[str], headers: Sequence[str], sample: Sequence[tuple]) -> list[int]:
    """What each column gets before the spare room is shared: its values up to `MAX_WIDTH`,
    its header up to `HEADER_MIN` (a long label over short values may be cut)."""
    return [max(min(cell_len(header), HEADER_MIN), min(content, MAX_WIDTH))
            for header, content in zip(headers, _content_widths(names, sample))]


def _content_widths(names: Sequence[str], sample: Sequence[tuple]) -> list[int]:
    from sibtui.catalog.fields import FIELDS  # not before the first frame

    widths = []
    for index, name in enumerate(names):
        longest = max((cell_len(cell_text(row[index])) for row in sample if index < len(row)), default=1)
        catalogued = FIELDS.get(name)
        if catalogued is not None and catalogued.size:
            longest = max(longest, min(catalogued.size, CATALOGUE_FLOOR))
        widths.append(max(longest, 1))
    return widths


def fitted_widths(base: Sequence[int], natural: Sequence[int], available: int) -> list[int]:
    """`base` widths, then the room left in `available` cells given back to the columns that
    were cut, left to right (the leading columns are the ones read first), up to `natural`."""
    widths = list(base)
    spare = available - sum(widths) - GAP * len(widths)
    for index, width in enumerate(natural):
        if spare <= 0:
            break
        wanted = width - widths[index]
        if wanted > 0:
            given = min(wanted, spare)
            widths[index] += given
            spare -= given
    return widths


def offsets_of(widths: Sequence[int]) -> list[int]:
    """Where each column starts, and (last) the whole row's width."""
    offsets, x = [], 0
    for width in widths:
        offsets.append(x)
        x += width + GAP
    return [*offsets, x]


def fit(text: str, width: int, right: bool) -> str:
    """`text` in exactly `width` cells: cut with "…", numbers aligned right."""
    if cell_len(text) > width:
        return set_cell_size(text, max(width - 1, 0)) + "…"
    padding = " " * (width - cell_len(text))
    return padding + text if right else text + padding


class RowStyles(NamedTuple):
    row: Style
    cursor: Style
    marker: Style  # NULL and '' (a value absent or empty)
    edited: Style  # a value marked (one the analyst changed)


def header_segments(names: Sequence[str], headers: Sequence[str], widths: Sequence[int], sort, style: Style
                    ) -> list[Segment]:
    """The header line; the sorted column carries ▲ or ▼."""
    segments = []
    for name, header, width in zip(names, headers, widths):
        if sort is not None and sort.column == name:
            header = ("▼ " if sort.descending else "▲ ") + header
        segments.append(Segment(fit(header, width, False) + " ", style))
    return segments


def row_segments(values: Sequence[object], layout: ColumnLayout, cursor_column: int | None, marked: set[int],
                 styles: RowStyles) -> list[Segment]:
    """One row: every value as plain text (never markup) in its column's width."""
    segments = []
    for index, (value, width) in enumerate(zip(layout.shown(values), layout.widths)):
        style = styles.cursor if index == cursor_column else styles.row
        if value is None or value == "":
            style = style + styles.marker
        if index in marked:
            style = style + styles.edited
        segments.append(Segment(fit(cell_text(value), width, layout.numeric[index] and value is not None), style))
        segments.append(Segment(" ", styles.row))
    return segments


class ColumnLayout:
    """A grid's columns as drawn: headers (labels, or raw names when `raw_headers`), the
    words drawn for stored codes (`GridSpec.value_labels`; the codes when `raw_headers`), the
    widths that show the first page whole (`natural`), the widths fitted to the terminal,
    where each column starts, which are numbers (aligned right)."""

    def __init__(self) -> None:
        self.raw_headers = False
        self.headers: list[str] = []
        self.labels: list[Mapping[str, str] | None] = []  # per column: code -> words drawn
        self.natural: list[int] = []
        self.base: list[int] = []
        self.widths: list[int] = []
        self.offsets: list[int] = []
        self.numeric: list[bool] = []
        self.row_width = 0

    def measure(self, view, sample: Sequence[tuple], available: int) -> None:
        """Headers, labels and widths of `view`'s columns, from its first page `sample`."""
        columns = view.columns
        names = [column.name for column in columns]
        self.headers = [header_text(name, self.raw_headers) for name in names]
        value_labels = {} if self.raw_headers else view.spec.value_labels
        self.labels = [value_labels.get(name) for name in names]
        shown = [self.shown(row) for row in sample]
        self.natural = natural_widths(names, self.headers, shown)
        self.base = base_widths(names, self.headers, shown)
        self.numeric = [is_numeric_type(column.type) for column in columns]
        self.refit(available)

    def shown(self, values: Sequence[object]) -> Sequence[object]:
        """A row's values as drawn: a labelled column's codes as their words."""
        if not any(self.labels):
            return values
        return [labels.get(value, value) if labels and isinstance(value, str) else value
                for value, labels in zip(values, self.labels)]

    def refit(self, available: int) -> None:
        self.widths = fitted_widths(self.base, self.natural, available)
        *self.offsets, self.row_width = offsets_of(self.widths)
