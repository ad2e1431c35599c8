"""Comparing two CNX conferences: every kind of change, exactly, on hand-made snapshot pairs."""

from __future__ import annotations

import csv
import io

import pytest

from conftest import query
from sibfiles import cnx, header, write
from sibtui.compare.changes import CHANGE_KINDS
from sibtui.compare.snapshots import CompareError, choose_pair
from sibtui.ingest.loader import load_file


def beneficiario(cco: str, *, situacao: str = "ATIVO", cns: str | None = "198765432100003",
                 nome: str = "MARIA DA SILVA", plano: str = "412345678", sexo: str = "3",
                 cancelamento: str | None = None, cpf: str | None = None) -> str:
    cns_tag = (f"<cpf>{cpf}</cpf>" if cpf else "") + (f"<cns>{cns}</cns>" if cns is not None else "")
    cancel = f"<dataCancelamento>{cancelamento}</dataCancelamento>" if cancelamento else ""
    return (
        f'<beneficiario cco="{cco}" situacao="{situacao}" dataAtualizacao="2026-11-01">'
        f"<identificacao>{cns_tag}<nome>{nome}</nome><sexo>{sexo}</sexo>"
        "<dataNascimento>1985-07-15</dataNascimento></identificacao><endereco/>"
        f"<vinculo><codigoBeneficiario>B{cco[-4:]}</codigoBeneficiario><dataContratacao>2020-01-01</dataContratacao>"
        f"{cancel}<numeroPlanoANS>{plano}</numeroPlanoANS></vinculo></beneficiario>"
    )


OLDER = {
    "000000000101": {},
    "000000000202": {},
    "000000000303": {},
    "000000000404": {"situacao": "INATIVO", "cancelamento": "2025-01-31"},
    "000000000505": {"cns": None},
    "000000000606": {},
    "000000000707": {},
    "000000000808": {},
    "000000000909": {"sexo": "3"},
}
# The newer conference: the older one with these known changes applied.
NEWER = {
    "000000000202": {"situacao": "INATIVO", "cancelamento": "2026-10-31"},  # cancelled (+ dataCancelamento)
    "000000000303": {"nome": "MARIA DA SILVA SOUZA"},  # field_changed nome
    "000000000404": {},  # reactivated (+ dataCancelamento removed)
    "000000000505": {"cns": "207654321090002"},  # cns_assigned
    "000000000606": {"cns": "898001234500002"},  # cns_changed
    "000000000707": {"cns": None},  # cns_removed
    "000000000808": {"plano": "412.345/67-8"},  # same plan, ANS's formatting: no change
    "000000000909": {"sexo": "03"},  # same code: no change
    "000000001010": {},  # appeared
}  # 000000000101 disappeared


def _file(tmp_path, name, records, when):
    content = "".join(beneficiario(cco, **options) for cco, options in records.items())
    return _cnx_file(tmp_path, name, content, when)


def _cnx_file(tmp_path, name, content, when, registro="999997"):
    return write(tmp_path, name, cnx(content, head=header(registro, kind="CNX", when=when)))


@pytest.fixture
def pair(workspace, tmp_path):
    older = load_file(workspace, _file(tmp_path, "ArqConf9999970920261001.CNX", OLDER, "2026-10-01T07:00:00"))
    newer_records = {cco: options for cco, options in OLDER.items() if cco != "000000000101"}
    newer_records.update(NEWER)
    newer = load_file(workspace, _file(tmp_path, "ArqConf9999971020261110.CNX", newer_records, "2026-11-10T08:00:00"))
    return older.file_id, newer.file_id


def test_each_known_change_is_reported_once_and_nothing_else(workspace, pair):
    rows = query(workspace, "SELECT kind, cco, field, old_value, new_value FROM cnx_changes ORDER BY ALL")
    assert rows == sorted([
        ("appeared", "000000001010", None, None, None),
        ("cancelled", "000000000202", "situacao", "ATIVO", "INATIVO"),
        ("cns_assigned", "000000000505", "cns", None, "207654321090002"),
        ("cns_changed", "000000000606", "cns", "198765432100003", "898001234500002"),
        ("cns_removed", "000000000707", "cns", "198765432100003", None),
        ("disappeared", "000000000101", None, None, None),
        ("field_changed", "000000000202", "dataCancelamento", None, "2026-10-31"),
        ("field_changed", "000000000303", "nome", "MARIA DA SILVA", "MARIA DA SILVA SOUZA"),
        ("field_changed", "000000000404", "dataCancelamento", "2025-01-31", None),
        ("reactivated", "000000000404", "situacao", "INATIVO", "ATIVO"),
    ], key=lambda row: tuple("" if v is None else v for v in row))


def test_the_macro_compares_any_two_and_reversing_swaps_appeared_and_disappeared(workspace, pair):
    older, newer = pair
    forward = dict(query(workspace, "SELECT kind, count(*) FROM cnx_changes_between(?, ?) GROUP BY 1", [older, newer]))
    backward = dict(query(workspace, "SELECT kind, count(*) FROM cnx_changes_between(?, ?) GROUP BY 1", [newer, older]))
    assert forward["appeared"] == backward["disappeared"] == 1
    assert forward["cns_assigned"] == backward["cns_removed"] == 1
    assert set(forward) <= set(CHANGE_KINDS)


def test_the_default_pair_is_the_two_latest_of_the_newest_operator(workspace, pair, tmp_path):
    older, newer = pair
    chosen = choose_pair(workspace.cursor())
    assert (chosen.older.file_id, chosen.newer.file_id) == (older, newer)


@pytest.mark.parametrize("situation", ["only one", "itself", "other operator", "not a cnx"])
def test_what_cannot_be_compared_is_refused_with_a_reason(workspace, tmp_path, situation):
    first = load_file(workspace, _file(tmp_path, "ArqConf9999970920261001.CNX", OLDER, "2026-10-01T07:00:00"))
    cursor = workspace.cursor()
    if situation == "only one":
        with pytest.raises(CompareError, match="need two CNX"):
            choose_pair(cursor)
    elif situation == "itself":
        with pytest.raises(CompareError, match="itself"):
            choose_pair(cursor, first.file_id, first.file_id)
    elif situation == "other operator":
        other = load_file(workspace, _cnx_file(tmp_path, "ArqConf0005820920261001.CNX",
                                                    beneficiario("000000000101"), "2026-10-02T07:00:00", "000582"))
        with pytest.raises(CompareError, match="different operators"):
            choose_pair(cursor, first.file_id, other.file_id)
        with pytest.raises(CompareError, match="only one CNX of registro ANS 000582"):
            choose_pair(cursor)
    else:
        with pytest.raises(CompareError, match="not in the workspace"):
            choose_pair(cursor, first.file_id, 99)


def test_diff_command_prints_counts_and_lists_a_kind(workspace, pair, capsys):
    from sibtui.cli import main

    workspace.close()
    assert main(["diff", "--db", str(workspace.path), "--format", "csv"]) == 0
    out, err = capsys.readouterr()
    counts = {row[0]: row[2] for row in csv.reader(io.StringIO(out))}
    del counts["kind"]
    assert counts == {"appeared": "1", "disappeared": "1", "cancelled": "1", "reactivated": "1", "cns_assigned": "1",
                      "cns_changed": "1", "cns_removed": "1", "field_changed": "3",
                      "cns_missing_qualifying": "0", "cns_missing_not_qualifying": "1",
                      "divergencia_receita": "0"}  # qualified, still without CNS after 2 conferences
    assert "ArqConf9999970920261001.CNX" in err
    assert main(["diff", "--db", str(workspace.path), "--list", "field_changed", "--format", "csv"]) == 0
    listed = [line.split(",")[3:6] for line in capsys.readouterr().out.splitlines()[1:]]
    assert listed == [["000000000202", "field_changed", "dataCancelamento"],
                      ["000000000303", "field_changed", "nome"],
                      ["000000000404", "field_changed", "dataCancelamento"]]
    older, newer = pair
    assert main(["diff", "--db", str(workspace.path), "--from", str(newer), "--to", str(newer)]) == 1
    assert "itself" in capsys.readouterr().err


def test_cns_assignment_is_followed_and_the_missing_ones_qualified(workspace, tmp_path):
    from sibtui.compare.assignment import assignment_summary, still_missing_list_sql
    from sibtui.query.adhoc import run_query

    older = {"000000000101": {"cns": None, "cpf": "48291736537"}, "000000000202": {"cns": None}}
    newer = {
        "000000000101": {"cpf": "48291736537"},  # ANS assigned it
        "000000000202": {"cns": None},  # no CPF: only the beneficiary can give it
        "000000000303": {"cns": None, "cpf": "73105826408"},  # valid CPF, name, birth: ANS will
        "000000000404": {"cns": None, "cpf": "73105826409"},  # CPF with a wrong digit: does not qualify
        "000000000505": {"cns": None, "cpf": "26481397022", "situacao": "INATIVO"},  # inactive: not counted
        "000000000606": {"cns": None, "cpf": "26481397022", "nome": "MARIA 2 SILVA"},  # digit: outside st_no_pessoa
    }
    load_file(workspace, _file(tmp_path, "ArqConf9999970920261001.CNX", older, "2026-10-01T07:00:00"))
    load_file(workspace, _file(tmp_path, "ArqConf9999971020261110.CNX", newer, "2026-11-10T08:00:00"))
    cursor = workspace.cursor()
    pair = choose_pair(cursor)
    summary = assignment_summary(cursor, pair)
    assert (summary.assigned_since_previous, summary.missing_qualifying, summary.missing_not_qualifying) == (1, 1, 3)
    assert [row[0] for row in run_query(cursor, still_missing_list_sql(pair, qualifying=True)).rows] == ["000000000303"]
    assert [row[0] for row in run_query(cursor, still_missing_list_sql(pair, qualifying=False)).rows] == [
        "000000000202", "000000000404", "000000000606"]


def test_readers_use_this_sibtuis_comparison_not_the_macro_stored_in_the_workspace(workspace, pair):
    """A workspace opened read-only keeps the macro of the sibtui that made it; the counts and
    lists come from the comparison generated now, and the CNS summary reuses the counts."""
    from sibtui.compare.assignment import assignment_summary
    from sibtui.compare.queries import change_counts, changes_list_sql
    from sibtui.query.adhoc import run_query

    cursor = workspace.cursor()
    stored = dict(cursor.execute("SELECT kind, count(*) FROM cnx_changes GROUP BY 1").fetchall())
    cursor.execute("CREATE OR REPLACE MACRO cnx_changes_between(from_id, to_id) AS TABLE "
                   "SELECT * FROM cnx_changes WHERE false")
    chosen = choose_pair(cursor)
    counts = change_counts(cursor, chosen)
    assert {kind: rows for kind, rows, _ in counts if rows} == stored
    assert [row[3:6] for row in run_query(cursor, changes_list_sql(chosen, "field_changed")).rows] == [
        ("000000000202", "field_changed", "dataCancelamento"), ("000000000303", "field_changed", "nome"),
        ("000000000404", "field_changed", "dataCancelamento")]
    assert assignment_summary(cursor, chosen, counts) == assignment_summary(cursor, chosen)
    assert assignment_summary(cursor, chosen).assigned_since_previous == 1
