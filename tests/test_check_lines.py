"""`sibtui check` lines built by DuckDB (`finding_line_batches`) are the lines Python writes.

The compact lines and the TSV of `sibtui check` are concatenated in SQL for speed; the
Python formatters (`finding_line`, `tsv_line`) stay the reference. A finding holding a
control character (an escape sequence typed into a value, a hostile file name) is written by
the reference, so it shows escaped exactly as before.
"""

from __future__ import annotations

import datetime as dt
import io
import re

import duckdb
import pytest

from conftest import SAMPLE_DIR
from sibtui.commands.check import finding_line, print_findings, print_lines
from sibtui.db.cursors import closing
from sibtui.edit.precritique import run_checks
from sibtui.ingest.loader import load_files
from sibtui.output import write_tsv
from sibtui.query.findings import FINDING_COLUMNS, finding_rows
from sibtui.terminal import UNSAFE_SQL_PATTERN, printable
from sibtui.workspace import Workspace

HOSTILE_CPF = "\x1b]0;x\x07394857162\u202e"


@pytest.fixture(scope="module")
def checked(tmp_path_factory):
    """The samples, one CPF holding an escape sequence and a file name holding a tab, checked."""
    db = tmp_path_factory.mktemp("lines") / "w.duckdb"
    with Workspace(db) as workspace:
        list(load_files(workspace, [SAMPLE_DIR]))
        with closing(workspace.cursor()) as cursor:
            cursor.execute("UPDATE sbx_movements SET cpf = ? WHERE record_no = 3 AND file_id = "
                           "(SELECT min(file_id) FROM files WHERE kind = 'SBX')", [HOSTILE_CPF])
            cursor.execute("UPDATE files SET name = name || chr(9) || 'x' WHERE kind = 'CNX'")
        run_checks(workspace, today=dt.date(2026, 12, 1))
        with closing(workspace.cursor()) as cursor:  # the parts a line leaves out, and a severity it does not name
            cursor.execute("INSERT INTO findings (file_id, record_no, source_table, field, rule, severity, message, value) "
                           "SELECT min(file_id), NULL, 'files', '', 'file_name_invalid', 'error', NULL, NULL FROM files "
                           "UNION ALL SELECT min(file_id), 7, 'files', NULL, 'file_name_invalid', 'info', 'm', '' "
                           "FROM files")
    return db


def _both(db, layout):
    with Workspace(db, read_only=True) as workspace, closing(workspace.cursor()) as cursor:
        built, reference = io.StringIO(), io.StringIO()
        count = print_lines(cursor, layout, built)
        if layout == "tsv":
            write_tsv(FINDING_COLUMNS, finding_rows(cursor), reference)
        else:
            print_findings(finding_rows(cursor), reference)
    return count, built.getvalue(), reference.getvalue()


@pytest.mark.parametrize("layout", ["tsv", "table"])
def test_lines_built_by_duckdb_are_the_reference_lines(checked, layout):
    count, built, reference = _both(checked, layout)
    assert count > 10
    assert built == reference
    assert "\\x1b]0;x\\x07394857162\\u202e" in built  # the hostile value, escaped by the reference
    assert "\\x09x" in built  # the hostile file name too
    assert not re.search("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202e]", built)


def test_a_line_leaves_out_what_the_finding_lacks(checked):
    row = ("F.SBX", None, None, "files", "", "file_name_invalid", "error", None, None, None)
    assert finding_line(row) == "F.SBX: erro file_name_invalid: "
    _, built, _ = _both(checked, "table")
    assert any(line.endswith(": erro file_name_invalid: ") for line in built.splitlines())
    assert any(line.endswith(" reg. 7: info file_name_invalid: m []") for line in built.splitlines())


def test_the_sql_pattern_escapes_the_characters_printable_escapes():
    connection = duckdb.connect()
    characters = [chr(code) for code in range(1, 0x2100)] + ["\ufeff", "\U0001f600"]  # the classes, and beyond
    matched = dict(connection.execute(
        f"SELECT c, regexp_matches(c, '{UNSAFE_SQL_PATTERN}') FROM unnest(?) AS t(c)", [characters]).fetchall())
    assert len(matched) == len(characters)
    assert [c for c in characters if matched[c] != (printable(c) != c)] == []
