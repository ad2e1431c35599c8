"""CNS follow-up: a vínculo still without CNS after N conferences although it looks qualified
is a probable divergence with the Receita (ask the beneficiary), in `sibtui diff` and on the
CNS screen's read model."""

from __future__ import annotations

import csv
import io

import pytest

from sibfiles import cnx, header, write
from sibtui.cli import main
from sibtui.rules.check_digits import with_cpf_digits

QUALIFIED_CPF = with_cpf_digits("529982247")


def _person(cco: str, cpf: str | None, cns: str | None = None, name: str = "MARIA DA SILVA EXEMPLO") -> str:
    identity = (f"<cpf>{cpf}</cpf>" if cpf else "") + (f"<cns>{cns}</cns>" if cns else "")
    return (
        f'<beneficiario cco="{cco}" situacao="ATIVO">'
        f"<identificacao>{identity}<nome>{name}</nome><sexo>3</sexo><dataNascimento>1985-07-15</dataNascimento>"
        "</identificacao><endereco/><vinculo><codigoBeneficiario>C" + cco[-4:] + "</codigoBeneficiario>"
        "<dataContratacao>2025-01-10</dataContratacao></vinculo></beneficiario>"
    )


def _conference(folder, day: str, people: str):
    return write(folder, f"ArqConf99999700{day.replace('-', '')}.CNX",
                 cnx(people, head=header("999997", kind="CNX", when=f"{day}T08:00:00")))


@pytest.fixture
def db(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    stuck = _person("000000000101", QUALIFIED_CPF)  # qualified, never gets a CNS
    no_cpf = _person("000000000202", None)  # not qualified: the usual "ask" list, not a divergence
    assigned = _person("000000000303", QUALIFIED_CPF)
    paths = [
        _conference(folder, "2026-08-10", stuck + no_cpf + assigned),
        _conference(folder, "2026-09-10", stuck + no_cpf + assigned),
        _conference(folder, "2026-10-10", stuck + no_cpf + assigned.replace("<nome>", "<cns>198765432100003</cns><nome>")),
    ]
    path = tmp_path / "w.duckdb"
    assert main(["load", "--db", str(path), "--quiet", *map(str, paths)]) == 0
    return path


def _diff(capsys, db, *extra) -> list[dict]:
    capsys.readouterr()
    assert main(["diff", "--db", str(db), "--format", "csv", *map(str, extra)]) == 0
    return list(csv.DictReader(io.StringIO(capsys.readouterr().out)))


def test_only_the_qualified_vinculo_without_cns_for_n_conferences_is_escalated(db, capsys):
    rows = _diff(capsys, db, "--list", "divergencia_receita")
    assert [(r["cco"], r["conferencias_sem_cns"], r["desde"][:10]) for r in rows] == [
        ("000000000101", "3", "2026-08-10")]
    assert rows[0]["mensagem"] == "provável divergência com a Receita: peça o CNS ao beneficiário (ConecteSUS)"
    assert _diff(capsys, db, "--list", "divergencia_receita", "--cns-after", "4") == []


def test_the_counts_carry_the_escalation(db, capsys, monkeypatch):
    counts = {row["kind"]: row for row in _diff(capsys, db)}
    assert counts["divergencia_receita"]["linhas"] == "1"
    assert "Receita" in counts["divergencia_receita"]["descricao"]


def test_the_cns_screen_lists_it_as_a_category(db, monkeypatch):
    from sibtui.query.cns_overview import category_spec, cns_categories
    from sibtui.query.paging import open_view
    from sibtui.workspace import Workspace

    monkeypatch.setenv("SIBTUI_CNS_AFTER", "3")
    with Workspace(db, read_only=True) as workspace:
        cursor = workspace.cursor()
        [category] = [c for c in cns_categories(cursor) if c.category == "divergencia_receita"]
        assert category.records == 1 and "3+ conferências" in category.description
        view = open_view(cursor, category_spec(category))
        assert view.total == 1
        monkeypatch.setenv("SIBTUI_CNS_AFTER", "4")
        assert not [c for c in cns_categories(cursor) if c.category == "divergencia_receita"]
        cursor.close()
