"""`line` is the real line of each record's start tag, also past line 65,535 (where libxml2
counts lines apart and lxml's `sourceline` reads one too many), through both parsers."""

from __future__ import annotations

import pytest

from conftest import query
from sibtui.ingest.loader import load_file


@pytest.mark.parametrize("parser", ["lxml", "fast"])
def test_stored_lines_point_at_the_start_tags(tmp_path, monkeypatch, workspace, parser):
    from bench.generate import generate

    monkeypatch.setenv("SIBTUI_PARSER", parser)
    paths = generate(tmp_path / "gen", records=3_000, movements=10, seed=3, kinds={"cnx"})
    report = load_file(workspace, paths.cnx_before)
    raw_lines = paths.cnx_before.read_bytes().split(b"\n")
    rows = query(workspace, "SELECT line, cco FROM cnx_beneficiaries WHERE file_id = ? ORDER BY record_no",
                 [report.file_id])
    assert rows[-1][0] > 65_536
    for line, cco in rows:
        assert raw_lines[line - 1].lstrip().startswith(f'<beneficiario cco="{cco}"'.encode()), line


def test_source_line_of_every_shape_past_the_mark():
    from lxml import etree

    from sibtui.ingest.xmlerrors import source_line

    shapes = {
        "1": ['<b n="1">', "<c>x</c>", "</b>"],  # indented record: first child is a newline
        "2": ['<b n="2">', "", "<c>x</c>", "</b>"],
        "3": ['<b n="3"><c>x</c>', "</b>"],  # compact: first child on the same line
        "4": ['<b n="4">text</b>'],
        "5": ['<b n="5">te', "xt</b>"],
        "6": ['<b n="6"><c><d>y', "</d></c></b>"],
    }
    lines, starts = ["<r>"] + ["<p/>"] * 65_600, {}
    for key, shape in shapes.items():
        starts[key] = len(lines) + 1
        lines += shape
    root = etree.fromstring("\n".join([*lines, "</r>"]).encode())
    found = {b.get("n"): source_line(b) for b in root.iter("b")}
    assert found == starts
