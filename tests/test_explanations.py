"""Explanations you can trust: ANS's message against our catalogue, and the team's own explanations."""

from __future__ import annotations

import datetime as dt
import json

import duckdb
import pytest
from realistic_month import build_month
from realistic_month.ans import FIELD_LABELS, MESSAGES

from conftest import SAMPLE_DIR, query
from sibtui.catalog.error_agreement import MEANINGS, disagreement, disagreement_sql
from sibtui.catalog.error_codes import KNOWN_CODES
from sibtui.catalog.schema import error_meanings_table
from sibtui.cli import main
from sibtui.explain.store import BadExplanation, entries, for_code, remove, write
from sibtui.explain.transfer import BadExplanationsFile, export, import_file
from sibtui.ingest.loader import load_files
from sibtui.query.errors_by_code import error_groups, rpx_files

# A month whose RPX uses codes otherwise than our catalogue: another field, another meaning.
MISMATCHES = {
    "0701": ("CNS", "CNS OBRIGATORIO PARA TITULAR"),  # our hint says a blank CNS is fine
    "1802": ("CPF", "CPF DO TITULAR INVALIDO"),
    "0802": ("CODIGO DO BENEFICIARIO", "CODIGO DO BENEFICIARIO COM TAMANHO INVALIDO"),
}

CASES = [
    ("0701", "CNS INVALIDO", "07", "CNS", False),
    ("0701", "CNS obrigatório", "07", "Cartão Nacional de Saúde", True),
    ("0701", "CPF INVALIDO", "04", "CPF", True),  # ANS points at another field
    ("0701", "Erro 0701", None, None, False),  # nothing we can read: the hint stands
    ("1802", "Titular inativo na operadora", "18", "Código do titular", False),
    ("1802", "CPF DO TITULAR INVALIDO", "18", "CPF", True),
    ("3011", "Dados idênticos aos existentes no cadastro", "30", "CCO", False),
    ("3011", "CCO não pertence à operadora", "30", "CCO", True),
    ("0601", "Nome da mãe não declarado", "06", "NOME DA MAE", False),
    ("0101", "Nome da mãe inválido", "01", "NOME DA MAE", True),
    ("0410", "Já existe registro ativo com o mesmo CPF, plano e empresa contratante", "04", "CPF", False),
    ("9999", "QUALQUER COISA", "99", "X", False),  # not catalogued: nothing to disagree with
    *((code, message, code[:2], FIELD_LABELS.get(code[:2]), False) for code, message in MESSAGES.items()),
]


@pytest.mark.parametrize("code, message, field_id, description, differs", CASES)
def test_ans_messages_against_the_catalogue(code, message, field_id, description, differs):
    assert (disagreement(code, message, field_id, description) is not None) is differs


def test_python_and_sql_agree_on_every_case():
    connection = duckdb.connect()
    connection.register("meanings_arrow", error_meanings_table())
    connection.execute("CREATE TABLE catalog_error_meanings AS SELECT * FROM meanings_arrow")
    connection.execute("CREATE TABLE said (n INTEGER, code VARCHAR, message VARCHAR, campo VARCHAR, descricao VARCHAR)")
    connection.executemany("INSERT INTO said VALUES (?, ?, ?, ?, ?)",
                           [(n, code, message, field_id, description) for n, (code, message, field_id, description, _)
                            in enumerate(CASES)])
    rows = dict(connection.execute(
        f"SELECT n, {disagreement_sql('s.code', 's.message', 's.campo', 's.descricao', 'meaning')} FROM said s "
        "LEFT JOIN catalog_error_meanings meaning ON meaning.codigoErro = s.code").fetchall())
    assert [bool(rows[n]) for n in range(len(CASES))] == [case[-1] for case in CASES]


def test_every_catalogued_code_has_a_meaning():
    assert set(MEANINGS) == set(KNOWN_CODES)


@pytest.fixture
def mismatched_month(workspace, tmp_path):
    month = build_month(tmp_path / "files", families=300, scale=1, faults=1, messages=MISMATCHES)
    for outcome in load_files(workspace, [month.cnx, month.sbx, month.rpx]):
        assert outcome.error is None
    return workspace


def test_the_code_catalogue_marks_codes_ans_uses_otherwise(mismatched_month):
    rows = dict(query(mismatched_month, "SELECT codigoErro, ans_message_differs FROM error_code_catalog "
                                        "WHERE seen_in_rpx"))
    assert {code for code, differs in rows.items() if differs} == set(MISMATCHES)
    (message,) = query(mismatched_month, "SELECT differing_message FROM error_code_catalog WHERE codigoErro = '0701'")[0]
    assert message == MISMATCHES["0701"][1]


def test_the_errors_screen_model_says_when_the_hint_may_not_apply(mismatched_month):
    cursor = mismatched_month.cursor()
    groups = {group.code: group for group in error_groups(cursor, rpx_files(cursor)[0])}
    assert {code for code, group in groups.items() if group.hint_differs} == set(MISMATCHES)
    assert "obrigatório" in groups["0701"].hint_differs
    write(cursor, "0701", "A ANS exige o CNS do titular neste mês", "Envie o CNS do cartão", author="ana")
    team = {group.code: group.team for group in error_groups(cursor, rpx_files(cursor)[0])}
    assert team["0701"].author == "ana" and team["0802"] is None
    cursor.close()


# --- the team's explanations -------------------------------------------------------------


def test_write_validates_and_replaces(workspace):
    cursor = workspace.cursor()
    with pytest.raises(BadExplanation):
        write(cursor, "07", "x", "y")
    with pytest.raises(BadExplanation):
        write(cursor, "0701", " ", "")
    with pytest.raises(BadExplanation):
        write(cursor, "0701", "x", "y", source="internet")
    write(cursor, "0701", "primeira", "", author="ana", when=dt.datetime(2026, 11, 5, 9))
    write(cursor, "0701", "segunda", "corrija", author="bia", when=dt.datetime(2026, 11, 6, 9))
    [entry] = entries(cursor)
    assert (entry.cause, entry.author, entry.credit) == ("segunda", "bia", "analista bia, 06/11/2026")
    assert remove(cursor, "0701") and not remove(cursor, "0701") and for_code(cursor, "0701") is None
    cursor.close()


def test_export_then_import_keeps_the_newer_entry_of_each_code(workspace, tmp_path):
    cursor = workspace.cursor()
    write(cursor, "0701", "velha", "", author="ana", when=dt.datetime(2026, 11, 1))
    write(cursor, "1802", "nova aqui", "", author="ana", when=dt.datetime(2026, 11, 9))
    shared = tmp_path / "equipe.json"
    document = {"sibtui_explanations": 1, "entries": [
        {"code": "0701", "cause": "nova", "fix": "f", "source": "ans", "author": "bia", "written_at": "2026-11-05T10:00:00"},
        {"code": "1802", "cause": "velha lá", "fix": "", "source": "analyst", "author": "bia",
         "written_at": "2026-11-02T10:00:00"},
        {"code": "3011", "cause": "não mande", "fix": "", "source": "catalog", "author": "bia",
         "written_at": "2026-11-02T10:00:00"},
    ]}
    shared.write_text(json.dumps(document), encoding="utf-8")
    report = import_file(cursor, shared)
    assert (report.added, report.updated, report.kept) == (1, 1, 1)
    assert {e.code: e.cause for e in entries(cursor)} == {"0701": "nova", "1802": "nova aqui", "3011": "não mande"}
    out = tmp_path / "saida.json"
    assert export(cursor, out) == 3
    exported = json.loads(out.read_text(encoding="utf-8"))
    assert [e["code"] for e in exported["entries"]] == ["0701", "1802", "3011"]
    assert exported["entries"][0]["source"] == "ans" and oct(out.stat().st_mode & 0o777) == "0o600"
    cursor.close()


@pytest.mark.parametrize("content", [
    "not json",
    '{"entries": []}',
    '{"sibtui_explanations": 1, "entries": [{"code": "07", "cause": "x", "source": "analyst", '
    '"written_at": "2026-11-01T00:00:00"}]}',
    '{"sibtui_explanations": 1, "entries": [{"code": "0701", "cause": "x", "source": "analyst"}]}',
])
def test_a_bad_file_changes_nothing(workspace, tmp_path, content):
    cursor = workspace.cursor()
    write(cursor, "0701", "nossa", "", when=dt.datetime(2026, 11, 1))
    bad = tmp_path / "ruim.json"
    bad.write_text(content, encoding="utf-8")
    with pytest.raises(BadExplanationsFile, match="ruim.json"):
        import_file(cursor, bad)
    assert [e.cause for e in entries(cursor)] == ["nossa"]
    cursor.close()


def test_the_explain_command(tmp_path, capsys):
    db = str(tmp_path / "w.duckdb")
    assert main(["load", "--db", db, "--quiet", str(SAMPLE_DIR)]) == 1  # one sample hash is wrong on purpose
    assert main(["explain", "set", "0402", "--db", db, "--source", "ans", "--fix", "Confira o CPF na Receita"]) == 0
    assert main(["explain", "set", "0701", "--db", db, "--cause", "CNS fora da regra", "--author", "ana"]) == 0
    capsys.readouterr()
    assert main(["explain", "list", "--db", db, "--format", "json", "0402", "0701"]) == 0
    rows = {row["codigoErro"]: row for row in json.loads(capsys.readouterr().out)}
    assert rows["0402"]["team_cause"] == "CPF INVALIDO" and rows["0402"]["team_source"] == "ans"
    assert rows["0701"]["team_author"] == "ana" and rows["0701"]["cause"].startswith("CNS presente")
    shared = tmp_path / "equipe.json"
    assert main(["explain", "export", "--db", db, str(shared)]) == 0
    assert main(["explain", "remove", "--db", db, "0701"]) == 0
    assert main(["explain", "remove", "--db", db, "0701"]) == 1
    assert main(["explain", "import", "--db", db, str(shared)]) == 0
    assert "1 added, 0 updated, 1 kept" in capsys.readouterr().err
    assert main(["explain", "set", "0701", "--db", db]) == 1  # nothing to write
    assert "write the cause" in capsys.readouterr().err
