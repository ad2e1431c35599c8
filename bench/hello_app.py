"""The smallest Textual app: the yardstick for the console's time to first paint."""

from textual.app import App, ComposeResult
from textual.widgets import Static

MARKER = "hello, terminal"


class Hello(App):
    def compose(self) -> ComposeResult:
        yield Static(MARKER)


if __name__ == "__main__":
    Hello().run()
