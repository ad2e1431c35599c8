"""A refusal of ad hoc SQL has a kind: the console says it in Portuguese from a table keyed by
that kind, while `sibtui query` keeps printing the guard's English line (scripts read stderr)."""

from __future__ import annotations

import pytest

from sibtui.cli import main
from sibtui.query.sql_refusals import (
    FAILURES,
    PORTUGUESE,
    PORTUGUESE_FAILURES,
    FailureKind,
    QueryError,
    Refusal,
    RefusalKind,
    in_portuguese,
)
from sibtui.query.sql_runner import run_sql
from sibtui.workspace import Workspace

# (statement, mask mode, the kind it is refused for, what the Portuguese line starts with)
REFUSED = [
    ("delete from findings", False, RefusalKind.READ_ONLY, "DELETE recusado: o SQL avulso só lê"),
    ("attach 'x.db'", False, RefusalKind.ATTACH, "ATTACH recusado: o SQL não abre outros bancos"),
    ("pragma threads = 4", False, RefusalKind.SETTING, "PRAGMA threads recusado: o SQL avulso não muda as config"),
    ("pragma enable_profiling", False, RefusalKind.PRAGMA, "PRAGMA enable_profiling recusado: com PRAGMA/CALL"),
    ("set threads=1", False, RefusalKind.SETTING, "SET threads recusado: o SQL avulso não muda as configurações"),
    ("with u as (update findings set rule = 'x' returning *) select * from u", False, RefusalKind.WRITE_INSIDE,
     "UPDATE dentro da consulta recusado: o SQL avulso só lê"),
    ("copy files to 'x.csv'", False, RefusalKind.FILES, "COPY recusado: o SQL não lê nem grava arquivos"),
    ("select * from read_csv('x.csv')", False, RefusalKind.FILE_FUNCTION, "read_csv() recusado: o SQL não lê"),
    ("select * from 'x.csv'", False, RefusalKind.FILE_ACCESS, "recusado: o SQL não lê nem grava arquivos"),
    ("select nextval('edit_id_seq')", False, RefusalKind.STATE_FUNCTION, "nextval() recusado: muda o workspace"),
    ("merge into files using files as f on (files.file_id = f.file_id) when matched then delete", False,
     RefusalKind.READ_ONLY, "MERGE INTO recusado"),
    ("pivot files on kind using count(*)", False, RefusalKind.HIDDEN_STATEMENTS, "recusado: este comando roda outros"),
    ("prepare p as select 1", False, RefusalKind.PREPARED, "PREPARE recusado: um comando preparado"),
    ("vacuum", False, RefusalKind.STORAGE, "VACUUM recusado: o SQL não muda o armazenamento"),
    ("install httpfs", False, RefusalKind.EXTENSIONS, "LOAD recusado: o SQL não instala"),
    ("explain analyze select 1", True, RefusalKind.EXPLAIN_ANALYZE_MASKED, "EXPLAIN ANALYZE recusado com a máscara"),
    ("pragma storage_info('files')", True, RefusalKind.STATISTICS_MASKED, "PRAGMA storage_info recusado com a másc"),
    ("select * from main.files", True, RefusalKind.MASK_QUALIFIED, "main.files recusado com a máscara ligada: "
     "escreva só o nome da tabela (files)"),
    ("select * from duckdb_memory()", True, RefusalKind.STATE_FUNCTION_MASKED, "duckdb_memory() recusado com a más"),
    ("  ;  ", False, RefusalKind.EMPTY, "consulta vazia"),
]


@pytest.fixture(scope="module")
def empty_workspace(tmp_path_factory):
    """The guard judges statements, not rows: an empty workspace has every sibtui relation."""
    with Workspace(tmp_path_factory.mktemp("refusals") / "workspace.duckdb") as workspace:
        yield workspace


def test_every_kind_is_said_in_portuguese_with_every_name_it_quotes():
    assert set(PORTUGUESE) == set(RefusalKind)
    for kind in RefusalKind:
        said = in_portuguese(Refusal(kind, "x refused", statement="SET threads", name="tabela", detail="linha"))
        assert "{" not in said and "refused" not in said and said[0] != " ", kind
        assert "recusado" in said or kind is RefusalKind.EMPTY, kind


@pytest.mark.parametrize(("sql", "masked", "kind", "portuguese"), REFUSED, ids=[row[0][:40] for row in REFUSED])
def test_the_console_runner_says_each_refusal_in_portuguese(empty_workspace, sql, masked, kind, portuguese):
    cursor = empty_workspace.cursor()
    try:
        with pytest.raises(Refusal) as refused:
            run_sql(cursor, sql, masked=masked)
    finally:
        cursor.close()
    assert refused.value.kind is kind
    assert in_portuguese(refused.value).startswith(portuguese)
    assert "recusad" not in str(refused.value)  # the program's line (`sibtui query`) is still English


def test_sibtui_query_still_prints_the_english_line(tmp_path, capsys):
    path = tmp_path / "workspace.duckdb"
    Workspace(path).close()
    assert main(["query", "--db", str(path), "delete from findings"]) == 1
    err = capsys.readouterr().err
    assert "error: DELETE refused: ad hoc SQL is read-only" in err and "recusado" not in err


# (statement, DuckDB's own failure: the Portuguese line the console leads with)
FAILED = [
    ("selec 1", 'Erro de sintaxe perto de "selec"'),
    ("select nosuch from files", 'Coluna "nosuch" não existe'),
    ("select files.nosuch from files", 'Coluna "nosuch" não existe'),
    ("select * from nosuch", "Tabela nosuch não existe"),
    ("select nosuch(1)", "Função nosuch() não existe"),
    ("select cast('12x' as integer)", "Valor '…' não converte para INT32"),
    ("select cast(s as date) from (values ('31/12/1990')) t(s)", "Valor '…' não é uma data (AAAA-MM-DD) (coluna s)"),
]


def test_every_failure_kind_is_said_in_portuguese():
    assert set(PORTUGUESE_FAILURES) == set(FailureKind)
    assert {kind for _, kind in FAILURES} == set(FailureKind)


@pytest.mark.parametrize(("sql", "portuguese"), FAILED, ids=[row[0] for row in FAILED])
def test_duckdbs_own_failures_lead_with_a_portuguese_line(empty_workspace, sql, portuguese):
    cursor = empty_workspace.cursor()
    try:
        with pytest.raises(QueryError) as failed:
            run_sql(cursor, sql)
    finally:
        cursor.close()
    lead, duckdb_line = in_portuguese(failed.value).split("\n")
    assert lead == portuguese and duckdb_line == str(failed.value)  # DuckDB's own words kept after it


def test_sibtui_query_prints_duckdbs_line_alone(tmp_path, capsys):
    path = tmp_path / "workspace.duckdb"
    Workspace(path).close()
    assert main(["query", "--db", str(path), "selec 1"]) == 1
    err = capsys.readouterr().err
    assert 'syntax error at or near "selec"' in err and "Erro de sintaxe" not in err
