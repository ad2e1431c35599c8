"""Outside text never reaches the terminal as commands: file names with ESC/BEL, values, notes.

A file name may hold anything but `/` and NUL; `sibtui load`, `hash`, `regenerate` and
`diff` print names and notes through `sibtui.terminal.printable`, so `\\x1b]0;...\\x07` shows
as text instead of retitling the analyst's terminal.
"""

from __future__ import annotations

import shutil

from conftest import SAMPLE_DIR
from sibtui.cli import main

HOSTILE = "evil\x1b]0;pwned\x07\x1b[2J\u202e\x9b.SBX"
RAW = ("\x1b", "\x07", "\u202e", "\x9b")


def test_load_and_hash_print_a_hostile_file_name_escaped(tmp_path, capsys):
    source = sorted(SAMPLE_DIR.glob("*.SBX"))[0]
    hostile = tmp_path / HOSTILE
    shutil.copyfile(source, hostile)
    assert main(["hash", str(hostile)]) == 0
    assert main(["load", "--quiet", "--db", str(tmp_path / "ws.duckdb"), str(hostile)]) == 0
    assert main(["load", "--quiet", "--db", str(tmp_path / "ws.duckdb"), str(hostile)]) == 0  # skipped: named again
    captured = capsys.readouterr()
    text = captured.out + captured.err
    assert not any(character in text for character in RAW), repr(text)
    assert text.count("evil\\x1b]0;pwned\\x07") >= 3


def test_a_hash_mismatch_report_escapes_the_declared_hash(tmp_path, capsys):
    source = sorted(SAMPLE_DIR.glob("*.SBX"))[0]
    content = source.read_bytes()
    start = content.index(b"<hash>") + len(b"<hash>")
    end = content.index(b"</hash>")
    hostile = tmp_path / "declared.SBX"
    hostile.write_bytes(content[:start] + b"\x1b[31mX" + content[end:])
    main(["hash", str(hostile)])
    captured = capsys.readouterr()
    assert "\x1b" not in captured.out + captured.err
