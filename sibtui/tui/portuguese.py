"""Textual's own words in Portuguese: the keys of its widgets as the help (F1) and the
palette list them, the palette's placeholder and "no matches", the Ctrl+C hint.

Textual declares its bindings in English inside its widgets; rather than redeclare every
widget, the places that show a binding's description (help, palette) pass it through `pt`,
and the palette is a subclass that only changes its words. Textual is pinned, so these
strings are exactly the ones it shows.
"""

from __future__ import annotations

from rich.align import Align
from rich.text import Text
from textual.command import CommandList, CommandPalette
from textual.widgets.option_list import Option

PALETTE_PLACEHOLDER = "Buscar ações…"
NO_MATCHES = "Nenhuma ação encontrada"

_WORDS = {
    # screen and app
    "Focus Next": "Próximo elemento",
    "Focus Previous": "Elemento anterior",
    "Copy selected text": "Copiar o texto selecionado",
    "Quit": "Sair",
    "palette": "Paleta de ações",
    # scrolling containers
    "Scroll Up": "Rolar para cima",
    "Scroll Down": "Rolar para baixo",
    "Scroll Left": "Rolar para a esquerda",
    "Scroll Right": "Rolar para a direita",
    "Scroll Home": "Início",
    "Scroll End": "Fim",
    "Page Up": "Página acima",
    "Page Down": "Página abaixo",
    "Page Left": "Página à esquerda",
    "Page Right": "Página à direita",
    # lists, tables, tabs, toggles, buttons
    "Up": "Acima",
    "Down": "Abaixo",
    "First": "Primeiro",
    "Last": "Último",
    "Select": "Escolher",
    "Toggle": "Marcar/desmarcar",
    "Next option": "Próxima opção",
    "Previous option": "Opção anterior",
    "Press button": "Apertar o botão",
    "Previous tab": "Aba anterior",
    "Next tab": "Próxima aba",
    "Cursor up": "Linha acima",
    "Cursor down": "Linha abaixo",
    "Cursor left": "Coluna à esquerda",
    "Cursor right": "Coluna à direita",
    "Page up": "Página acima",
    "Page down": "Página abaixo",
    "Top": "Topo",
    "Bottom": "Fim",
    "Home": "Início da linha",
    "End": "Fim da linha",
    "Cursor Up": "Acima",
    "Cursor Down": "Abaixo",
    "Expand or collapse all": "Abrir ou fechar tudo",
    "Cursor to next sibling": "Próximo do mesmo nível",
    "Cursor to previous sibling": "Anterior do mesmo nível",
    "Cursor to parent": "Pasta acima",
    "Cursor to next ancestor": "Próximo nível acima",
    # text input
    "Submit": "Confirmar",
    "Move cursor left": "Cursor à esquerda",
    "Move cursor right or accept the completion suggestion": "Cursor à direita ou aceitar a sugestão",
    "Move cursor left a word": "Palavra à esquerda",
    "Move cursor right a word": "Palavra à direita",
    "Move cursor left and select": "Selecionar à esquerda",
    "Move cursor right and select": "Selecionar à direita",
    "Move cursor left a word and select": "Selecionar a palavra à esquerda",
    "Move cursor right a word and select": "Selecionar a palavra à direita",
    "Select all": "Selecionar tudo",
    "Select line start": "Selecionar até o início",
    "Select line end": "Selecionar até o fim",
    "Go to start": "Ir ao início",
    "Go to end": "Ir ao fim",
    "Delete character left": "Apagar à esquerda",
    "Delete character right": "Apagar à direita",
    "Delete left to start of word": "Apagar a palavra à esquerda",
    "Delete right to start of word": "Apagar a palavra à direita",
    "Delete all to the left": "Apagar tudo à esquerda",
    "Delete all to the right": "Apagar tudo à direita",
    "Cut selected text": "Recortar a seleção",
    "Paste text from the clipboard": "Colar",
    # SQL editor (TextArea)
    "Cursor word left": "Palavra à esquerda",
    "Cursor word right": "Palavra à direita",
    "Cursor line start": "Início da linha",
    "Cursor line end": "Fim da linha",
    "Cursor page up": "Página acima",
    "Cursor page down": "Página abaixo",
    "Cursor up select": "Selecionar acima",
    "Cursor down select": "Selecionar abaixo",
    "Cursor left select": "Selecionar à esquerda",
    "Cursor right select": "Selecionar à direita",
    "Cursor left word select": "Selecionar a palavra à esquerda",
    "Cursor right word select": "Selecionar a palavra à direita",
    "Cursor line start select": "Selecionar até o início da linha",
    "Cursor line end select": "Selecionar até o fim da linha",
    "Delete to line start": "Apagar até o início da linha",
    "Delete to line end": "Apagar até o fim da linha",
    "Delete line": "Apagar a linha",
    "select word": "Selecionar a palavra",
    "Select line": "Selecionar a linha",
    "Copy": "Copiar",
    "Cut": "Recortar",
    "Paste": "Colar",
    "Undo": "Desfazer a digitação",
    "Redo": "Refazer a digitação",
    # the palette's own keys
    "Exit the command palette": "Fechar a paleta",
    "Next command": "Próxima ação",
    "Previous command": "Ação anterior",
    "Go to top": "Primeira",
    "Go to bottom": "Última",
    "Next page": "Próxima página",
    "Previous page": "Página anterior",
}


def pt(description: str) -> str:
    """`description` in Portuguese when it is one of Textual's; ours pass unchanged."""
    return _WORDS.get(description, description)


class Palette(CommandPalette):
    """Textual's command palette, saying its words in Portuguese."""

    def __init__(self) -> None:
        super().__init__(placeholder=PALETTE_PLACEHOLDER, id="--command-palette")

    def _start_no_matches_countdown(self, search_value: str) -> None:
        """As Textual's, with the message in Portuguese."""
        self._stop_no_matches_countdown()

        def show_no_matches() -> None:
            if search_value:
                self.query_one(CommandList).add_option(
                    Option(Align.center(Text(NO_MATCHES, style="not bold")), disabled=True, id=self._NO_MATCHES)
                )
                self._list_visible = True
            else:
                self._list_visible = False

        self._no_matches_timer = self.set_timer(self._NO_MATCHES_COUNTDOWN, show_no_matches)
