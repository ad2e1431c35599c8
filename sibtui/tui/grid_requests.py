"""What the console does when a grid asks (`GridPanel.EditRequested`, `BulkRequested`,
`ExportRequested`): open the editor, the bulk action or the export dialog over the screen
the grid is on. Widgets post; this answers, so no widget imports a screen."""

from __future__ import annotations

from textual.screen import Screen

from sibtui.tui.screens.bulk import BulkScreen
from sibtui.tui.screens.export import ExportScreen
from sibtui.tui.screens.record_view import edit_cell
from sibtui.tui.widgets.grid_panel import GridPanel


def edit(screen: Screen, request: GridPanel.EditRequested) -> None:
    edit_cell(screen, request.row, request.column, request.record_table)


def bulk(screen: Screen, request: GridPanel.BulkRequested) -> None:
    screen.app.push_screen(BulkScreen(request.sql, request.parameters, request.total, request.title))


def export(screen: Screen, request: GridPanel.ExportRequested) -> None:
    screen.app.push_screen(ExportScreen(str(request.default_path), request.total, request.masked),
                           request.panel.export)


def answer(screen: Screen, request: GridPanel.EditRequested | GridPanel.BulkRequested | GridPanel.ExportRequested
           ) -> None:
    """Open what `request` asks for over `screen`."""
    if isinstance(request, GridPanel.EditRequested):
        edit(screen, request)
    elif isinstance(request, GridPanel.BulkRequested):
        bulk(screen, request)
    else:
        export(screen, request)
