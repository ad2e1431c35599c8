"""Bad files loaded from the console: one short, one-line toast per file that names it as
written, never read as markup, never quoting a 10 MB value (tests/corpus builds the bytes)."""

from __future__ import annotations

from pathlib import Path

from corpus.generate import CASES_BY_NAME
from corpus.workspaces import is_one_safe_line
from tui_helpers import SIZE, make_app, sample_workspace, settle

SHORT_MESSAGE = 300  # characters: a path, a line, an element and a reason, never the value


def build(name: str) -> bytes:
    return CASES_BY_NAME[name].build(None)  # these cases point at no XXE target


def error_toasts(app) -> list:
    return [toast for toast in app._notifications if toast.severity == "error"]


async def test_a_file_named_like_markup_is_named_literally(tmp_path, monkeypatch):
    workspace = sample_workspace(tmp_path)
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "[bold]x.SBX").write_bytes(build("truncated_in_record"))
    (folder / "[red]y[@click=app.quit].SBX").write_bytes(build("zip_archive"))
    monkeypatch.chdir(folder)  # short relative names: the toast's lines are easy to read back
    app = make_app(workspace, [Path("[bold]x.SBX"), Path("[red]y[@click=app.quit].SBX")])
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await settle(pilot)
        messages = [str(toast.message) for toast in error_toasts(app)]
        assert len(messages) == 2, messages
        assert "[bold]x.SBX" in messages[0] and "truncated" in messages[0]
        assert "[red]y[@click=app.quit].SBX" in messages[1] and "ZIP archive" in messages[1]
        assert all(toast.markup is False for toast in error_toasts(app))
        painted = "".join(widget.render().plain for widget in app.screen.query("ToastRack Toast"))
        assert "[bold]x.SBX" in painted and "[red]y[@click=app.quit].SBX" in painted
        assert app.is_running


async def test_a_ten_megabyte_value_gives_a_short_toast(tmp_path):
    workspace = sample_workspace(tmp_path)
    huge = tmp_path / "texto-enorme.SBX"
    huge.write_bytes(build("huge_text"))
    app = make_app(workspace, [huge])
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        (toast,) = error_toasts(app)
        message = str(toast.message)
        assert str(huge) in message and "longer than" in message
        assert len(message) < SHORT_MESSAGE and is_one_safe_line(message) and "AAAAAAAAAA" not in message
        assert any("0 carregados" in str(note.message) and "1 com erro" in str(note.message)
                   for note in app._notifications)
