"""The record view's fields table: the movement's own fields first, whole values (wrapped,
never cut), readable labels (`i` shows the internal names), the optional fields the record
does not carry collapsed into one line (`z` or Enter on it shows them).

Identifiers never break in their middle: the label and findings columns are as wide as the
longest word they hold (an internal name, a rule id such as `titular_has_error`), the value
column takes what is left and wraps; only a terminal too narrow for both gives way.

Rows are keyed by column name, so the screen's edit and copy actions read `current_field`.
"""

from __future__ import annotations

from rich.text import Text
from textual.binding import Binding
from textual.widgets import DataTable

from sibtui.query.record_layout import ABSENT, FOREIGN, Placed, arrange
from sibtui.query.records import RecordDetail
from sibtui.tui.cells import value_text
from sibtui.tui.masking import field_value

COLLAPSED_KEY = "__ausentes__"
LABEL_WIDTH = 22
FINDINGS_WIDTH = 12
VALUE_WIDTH = 20  # the least the value column keeps
PADDING = 2  # DataTable cell padding, each side of each column


class RecordFields(DataTable):
    """Label, value and findings of every field of one record; see the module."""

    BINDINGS = [
        Binding("home,g", "first_row", "Primeiro campo", show=False, id="record_fields.first"),
        Binding("end,G", "last_row", "Último campo", show=False, id="record_fields.last"),
        Binding("k", "cursor_up", "Campo acima", show=False, id="record_fields.up"),
        Binding("j", "cursor_down", "Campo abaixo", show=False, id="record_fields.down"),
        Binding("z", "toggle_absent", "Ausentes", id="record_fields.absent"),
        Binding("i", "toggle_names", "Nomes internos", show=False, id="record_fields.names"),
    ]

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id, cursor_type="row", zebra_stripes=True)
        self.show_absent = False
        self.show_names = False
        self._content: tuple[RecordDetail, dict[str, str | None]] | None = None

    @property
    def current_field(self) -> str | None:
        """Column name of the highlighted field; None on the collapsed line."""
        if self.row_count == 0:
            return None
        key = self.coordinate_to_cell_key(self.cursor_coordinate).row_key.value
        return None if key == COLLAPSED_KEY else key

    def fill(self, detail: RecordDetail, edited: dict[str, str | None], problems: dict[str, Text]) -> None:
        """Draw `detail` (again), keeping the highlighted field where it is."""
        self._content = (detail, edited)
        self._problems = problems
        keep = self.current_field
        self.clear(columns=True)
        placed = arrange(detail.table, _movement(detail), detail.fields, flagged=set(problems))
        absent = [item for item in placed if item.part == ABSENT]
        shown = self._shown(placed)
        label_width, value_width, findings_width = self._widths(shown)
        self.add_column("Campo", width=label_width, key="label")
        self.add_column("Valor", width=value_width, key="value")
        self.add_column("Achados", width=findings_width, key="findings")
        for item in shown:
            self._add(item, edited)
        if absent and not self.show_absent:
            names = ", ".join(_label(item, self.show_names) for item in absent)
            line = Text(f"▸ {len(absent)} {'campo opcional ausente' if len(absent) == 1 else 'campos opcionais ausentes'}"
                        f" (z mostra): {names}", style="dim italic")
            self.add_row(Text("…", style="dim"), line, Text(), key=COLLAPSED_KEY, height=None)
        self.select(keep)

    def select(self, name: str | None) -> bool:
        """Put the cursor on field `name` (shown); False when it is not listed."""
        if name is None:
            return False
        try:
            row = self.get_row_index(name)
        except Exception:  # not listed (collapsed, or not in this record)
            return False
        self.move_cursor(row=row)
        return True

    def _add(self, item: Placed, edited: dict[str, str | None]) -> None:
        field = item.field
        label = Text(_label(item, self.show_names))
        value = _field_text(field.name, field.value, field.value_label)
        if item.part == FOREIGN:
            label.append(" (não vai neste movimento)", style="red")
        if field.name in edited:
            label.stylize("bold yellow")
            value = Text("✎ ", style="bold yellow").append_text(value)
            value.append_text(Text("  era ", style="dim").append_text(_field_text(field.name, edited[field.name])))
        findings = self._problems.get(field.name, Text())
        # height None: the row grows to hold the whole value, wrapped at the column's width
        self.add_row(label, value, findings, key=field.name, height=None)

    def _widths(self, shown: list[Placed]) -> tuple[int, int, int]:
        """Label, value and findings widths: the label and findings columns fit their longest
        word, so no identifier is cut in two; a narrow terminal takes back the label's extra first."""
        available = max(self.size.width or self.app.size.width, 60) - 1  # the scrollbar
        label = max([LABEL_WIDTH, *(_longest_word(_label(item, self.show_names)) for item in shown)])
        findings = max([FINDINGS_WIDTH, *(_longest_word(self._problems[item.field.name].plain)
                                          for item in shown if item.field.name in self._problems)])
        over = label + findings + 3 * PADDING + VALUE_WIDTH - available
        if over > 0:
            given = min(over, label - LABEL_WIDTH)
            label, over = label - given, over - given
            findings = max(FINDINGS_WIDTH, findings - max(over, 0))
        return label, max(available - label - findings - 3 * PADDING, VALUE_WIDTH), findings

    def _shown(self, placed: list[Placed]) -> list[Placed]:
        return [item for item in placed if item.part != ABSENT or self.show_absent]

    def on_resize(self) -> None:
        if self._content is not None and self.columns:
            detail = self._content[0]
            placed = arrange(detail.table, _movement(detail), detail.fields, flagged=set(self._problems))
            if self._widths(self._shown(placed)) != tuple(column.width for column in self.columns.values()):
                self.fill(*self._content, self._problems)

    def action_first_row(self) -> None:
        self.move_cursor(row=0)

    def action_last_row(self) -> None:
        self.move_cursor(row=max(self.row_count - 1, 0))

    def action_toggle_absent(self) -> None:
        self.show_absent = not self.show_absent
        if self._content is not None:
            self.fill(*self._content, self._problems)

    def action_toggle_names(self) -> None:
        self.show_names = not self.show_names
        if self._content is not None:
            self.fill(*self._content, self._problems)

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        if event.row_key.value == COLLAPSED_KEY:
            event.stop()
            self.action_toggle_absent()


def _movement(detail: RecordDetail) -> str | None:
    return next((field.value for field in detail.fields if field.name == "movement"), None)


def _longest_word(text: str) -> int:
    return max((len(word) for word in text.split()), default=0)


def _label(item: Placed, internal: bool) -> str:
    field = item.field
    return field.name if internal else getattr(field, "label", field.name)


def _field_text(name: str, value: str | None, label: str | None = None) -> Text:
    """A field's value as the fields table shows it; a masked value loses its domain label
    (the label of a municipality code would say where the person lives)."""
    shown = field_value(name, value)
    return value_text(shown, label if shown == value else None)
