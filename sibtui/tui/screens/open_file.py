"""`o` (or "Abrir arquivo" in the palette): pick SBX, RPX and CNX files to load, keyboard only.

A path typed on the top line (a file or a folder, `~` allowed) loads on Enter; below it the
folder tree (arrows move, Enter opens a folder or loads the file under the cursor). The kind
comes from the content, as for `sibtui load`, so every file is listed; SIB-looking names
first catch the eye by their extension.
"""

from __future__ import annotations

from pathlib import Path

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import DirectoryTree, Input, Label, Static

HINT = "Enter carrega o arquivo (ou a pasta digitada) · setas e Enter navegam · Tab alterna · Esc fecha"


class OpenFileScreen(ModalScreen[Path | None]):
    """Dismisses with the path to load, or None."""

    CSS_PATH = "open_file.tcss"
    BINDINGS = [Binding("escape", "cancel", "Fechar", id="open_file.cancel")]

    def __init__(self, start: Path | None = None) -> None:
        super().__init__()
        self.start = (start or Path.cwd()).expanduser()

    def compose(self) -> ComposeResult:
        with Vertical(id="open-dialog"):
            yield Label("Carregar arquivos SBX, RPX ou CNX", id="open-title", markup=False)
            yield Input(value=str(self.start) + "/", id="open-path", placeholder="arquivo ou pasta")
            yield DirectoryTree(self.start, id="open-tree")
            yield Static(HINT, id="open-hint", markup=False)

    def on_mount(self) -> None:
        self.query_one("#open-tree", DirectoryTree).focus()

    @on(DirectoryTree.FileSelected, "#open-tree")
    def _file_chosen(self, event: DirectoryTree.FileSelected) -> None:
        event.stop()
        self.dismiss(Path(event.path))

    @on(DirectoryTree.DirectorySelected, "#open-tree")
    def _folder_highlighted(self, event: DirectoryTree.DirectorySelected) -> None:
        self.query_one("#open-path", Input).value = str(event.path) + "/"

    @on(Input.Submitted, "#open-path")
    def _typed(self, event: Input.Submitted) -> None:
        event.stop()
        path = Path(event.value.strip()).expanduser()
        if not event.value.strip() or not path.exists():
            self.notify(f"não existe: {path}", severity="warning", markup=False)
            return
        self.dismiss(path)

    def action_cancel(self) -> None:
        self.dismiss(None)
