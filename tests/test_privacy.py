"""Mask mode hides personal data in every output and export; errors and files leak nothing."""

from __future__ import annotations

import csv
import io
import json

import pytest
from corpus.workspaces import copy_workspace

from sibtui import cli, privacy
from sibtui.catalog.fields import ALL_FIELDS
from sibtui.output import write_rows
from sibtui.query.adhoc import QueryError, run_query
from sibtui.query.export import ExportCancelled, ExportOptions, export_query
from sibtui.workspace import Workspace

CPF = "48291736537"  # valid check digits
CNS = "198765432100003"  # valid definitive CNS


@pytest.fixture(autouse=True)
def no_mask_leak(monkeypatch):
    """Every test starts with mask mode off, whatever the environment says."""
    monkeypatch.delenv(privacy.MASK_ENV, raising=False)
    privacy.set_masking(None)
    yield
    privacy.set_masking(None)


@pytest.fixture
def analyst(analyst_template, tmp_path):  # right in tmp_path, not in ws/
    return copy_workspace(analyst_template, tmp_path)


def personal_values(path) -> set[str]:
    """Every personal value of the workspace long enough to be recognisable in output."""
    columns = {
        "sbx_movements": ("cpf", "cns", "nome", "nomeMae", "pisPasep"),
        "cnx_beneficiaries": ("cpf", "cns", "nome", "nomeMae"),
        "rpx_inclusions": ("nomeBeneficiario",),
    }
    with Workspace(path, read_only=True) as workspace:
        cursor = workspace.cursor()
        values = set()
        for table, names in columns.items():
            for name in names:
                values |= {row[0] for row in cursor.execute(f"SELECT DISTINCT {name} FROM {table}").fetchall()}
        cursor.close()
    return {value for value in values if value and len(value.strip()) >= 8}


# --- the masks ---------------------------------------------------------------------------


def test_which_fields_are_personal_comes_from_the_catalogue():
    personal = privacy.personal_fields()
    assert personal == {field.name for field in ALL_FIELDS if field.personal}
    assert {"cpf", "cns", "nome", "nomeMae", "dataNascimento", "valorCampo"} <= personal
    assert {"logradouro", "numero", "complemento", "cep"} <= personal  # the address, to the street
    assert not {"cco", "sexo", "codigoBeneficiario", "numeroPlanoANS", "bairro", "codigoMunicipio"} & personal
    assert privacy.mask_value("cep", "01000267") == "********"


def test_masks_keep_what_a_reviewer_needs_and_nothing_of_the_person():
    assert privacy.mask_value("cpf", CPF) == "*********37"
    assert privacy.mask_value("cns", CNS) == "*************03"
    assert privacy.mask_value("nome", "MARIA DA SILVA EXEMPLO") == "M. D. S. E."
    assert privacy.mask_value("dataNascimento", "1985-07-15") == "****-**-**"
    assert privacy.mask_value("dataNascimento", "15/07/1985") == "**/**/****"  # a wrong format still shows
    assert privacy.mask_value("logradouro", "RUA DAS FLORES 10") == "*** *** ****** **"
    for kept in (None, "", "   "):  # absent, empty and blank are facts about the file, not the person
        assert privacy.mask_value("cpf", kept) == kept
    assert privacy.mask_value("cpf", "123") == "***"


def test_a_result_is_masked_by_column_name_by_row_and_by_content():
    columns = ["cpf", "sexo", "field", "value", "upper(nome)", "cnx_cns", "mensagem", "cco"]
    masker = privacy.Masker(columns)
    row = masker.row([CPF, "1", "cpf", CPF, "JOSE SOUZA", CNS, f"CPF {CPF} e CNS {CNS} repetidos", "039876543205"])
    assert row == ("*********37", "1", "cpf", "*********37", "J. S.", "*************03",
                   "CPF *********37 e CNS *************03 repetidos", "039876543205")
    not_personal = masker.row([None, "3", "sexo", "3", None, None, "CPF 12345678901 inválido", "1"])
    assert not_personal == (None, "3", "sexo", "3", None, None, "CPF 12345678901 inválido", "1")
    assert privacy.Masker(["value"]).row([CPF]) == ("*" * 11,)  # no `field` column: always masked, by shape


def test_mask_mode_comes_from_the_flag_or_the_environment(monkeypatch):
    assert not privacy.masking_enabled()
    monkeypatch.setenv(privacy.MASK_ENV, "1")
    assert privacy.masking_enabled()
    privacy.set_masking(False)
    assert not privacy.masking_enabled()


@pytest.mark.parametrize("output_format", ["table", "csv", "json"])
def test_write_rows_masks_every_format(output_format):
    stream = io.StringIO()
    write_rows(["cpf", "nome", "sexo"], [(CPF, "MARIA DA SILVA", "3"), (None, "", "1")], output_format, stream,
               mask=True)
    text = stream.getvalue()
    assert CPF not in text and "MARIA" not in text
    assert "*********37" in text and "M. D. S." in text
    if output_format == "json":
        rows = json.loads(text)
        assert rows[1] == {"cpf": None, "nome": "", "sexo": "1"}


# --- the command line ---------------------------------------------------------------------


def _run(capsys, *arguments: str) -> tuple[int, str, str]:
    code = cli.main(list(arguments))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_query_with_and_without_mask(analyst, capsys):
    secrets = personal_values(analyst)
    sql = ("select m.cpf, m.nome, m.cns, m.nomeMae, c.nome as outro_nome, m.sexo from sbx_movements m "
           "left join cnx_beneficiaries c using (cco)")
    code, plain, _ = _run(capsys, "query", "--db", str(analyst), "--format", "csv", sql)
    assert code == 0 and any(secret in plain for secret in secrets)
    code, masked, _ = _run(capsys, "--mask", "query", "--db", str(analyst), "--format", "csv", sql)
    assert code == 0
    assert not [secret for secret in secrets if secret in masked]
    rows = list(csv.reader(io.StringIO(masked)))
    assert len(rows) == len(list(csv.reader(io.StringIO(plain))))
    assert any(cell == "" for row in rows for cell in row[:1])  # a missing CPF stays visibly missing


@pytest.mark.parametrize("command", [
    "check --db {db} --format csv --today 2026-12-01",
    "check --db {db} --format tsv --today 2026-12-01",  # lines built by DuckDB unmasked, by Python masked
    "check --db {db} --format table --today 2026-12-01",
    "diff --db {db} --format csv --list all",
    "diff --db {db} --format csv",
    "status --db {db} --format csv --today 2026-12-01",
    "fix --db {db} list --format csv",
    "fix --db {db} list --pending --format csv",
])
def test_commands_print_no_personal_value_in_mask_mode(command, analyst, capsys):
    secrets = personal_values(analyst)
    arguments = command.format(db=analyst).split()
    code, out, err = _run(capsys, *arguments)
    assert code in (0, 1), err
    shows_personal = [secret for secret in secrets if secret in out + err]
    code, out, err = _run(capsys, *arguments, "--mask")
    assert code in (0, 1), err
    leaked = [secret for secret in secrets if secret in out + err]
    assert not leaked, leaked[:3]
    if "fix" in arguments or "--list" in arguments:
        assert shows_personal, "the same command without --mask shows personal data (else this proves nothing)"


def test_mask_from_the_environment_reaches_the_commands(analyst, capsys, monkeypatch):
    monkeypatch.setenv(privacy.MASK_ENV, "1")
    code, out, _ = _run(capsys, "query", "--db", str(analyst), "--format", "csv", "select nome from sbx_movements")
    assert code == 0
    assert not [secret for secret in personal_values(analyst) if secret in out]


def test_error_messages_do_not_quote_values(analyst, capsys):
    code, out, err = _run(capsys, "query", "--db", str(analyst), "select cast(nome as integer) from sbx_movements")
    assert code == 1 and err.count("\n") == 1
    assert "Conversion Error" in err
    assert not [secret for secret in personal_values(analyst) if secret in err]


def test_an_internal_error_is_one_line_without_its_message(monkeypatch, capsys):
    from sibtui.commands import hash as hash_command

    def broken(options):
        raise ValueError(f"valor {CPF} de MARIA DA SILVA")

    monkeypatch.setattr(hash_command, "run", broken)
    monkeypatch.delenv(cli.DEBUG_ENV, raising=False)
    code, out, err = _run(capsys, "hash", "x.sbx")
    assert code == 1
    assert err.count("\n") == 1 and "internal error (ValueError at" in err
    assert CPF not in err and "MARIA" not in err


def test_file_names_with_escape_sequences_are_shown_not_obeyed(tmp_path, capsys):
    evil = tmp_path / "\x1b]0;pwned\x07\x1b[2Jarquivo.SBX"
    evil.write_bytes(b"<nada")
    code, out, err = _run(capsys, "load", "--db", str(tmp_path / "w.duckdb"), "--quiet", str(evil))
    assert code == 1
    assert "\x1b" not in out + err and "\x07" not in out + err
    assert "\\x1b]0;pwned\\x07\\x1b[2Jarquivo.SBX" in err


def test_table_output_shows_controls_as_escapes_and_markup_as_text():
    stream = io.StringIO()
    write_rows(["nome"], [("[bold red]X[/] \x9b31m\x1b[2J",)], "table", stream)
    text = stream.getvalue()
    assert "[bold red]X[/]" in text and "\\x9b31m\\x1b[2J" in text
    assert "\x9b" not in text and "\x1b" not in text


# --- exports --------------------------------------------------------------------------------


@pytest.mark.parametrize("options", [ExportOptions("csv", ";", "latin-1"), ExportOptions("parquet")],
                         ids=["csv", "parquet"])
def test_masked_export_holds_no_personal_value_and_is_owner_only(options, analyst, tmp_path):
    secrets = personal_values(analyst)
    target = tmp_path / f"export.{options.format}"
    with Workspace(analyst, read_only=True) as workspace:
        cursor = workspace.cursor()
        count = export_query(cursor, "SELECT * FROM sbx_movements_current", target, options, mask=True)
        cursor.close()
    assert count == 27
    assert target.stat().st_mode & 0o077 == 0
    if options.format == "csv":
        text = target.read_text(encoding="latin-1")
    else:
        import pyarrow.parquet as pq

        text = repr(pq.read_table(target).to_pylist())
    assert not [secret for secret in secrets if secret in text]
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def test_a_failed_export_keeps_the_previous_file_and_leaves_no_partial_one(analyst, tmp_path):
    target = tmp_path / "export.csv"
    target.write_text("a exportação de ontem\n", encoding="utf-8")
    with Workspace(analyst, read_only=True) as workspace:
        cursor = workspace.cursor()
        with pytest.raises(ExportCancelled):
            export_query(cursor, "SELECT * FROM sbx_movements", target, cancel=lambda: True)
        cursor.close()
    assert target.read_text(encoding="utf-8") == "a exportação de ontem\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["export.csv", "workspace.duckdb"]


def test_query_errors_inside_the_core_are_redacted(analyst):
    with Workspace(analyst, read_only=True) as workspace:
        with pytest.raises(QueryError) as raised:
            list(run_query(workspace.cursor(), "SELECT cpf::BIGINT + nome::BIGINT FROM sbx_movements").rows)
    assert "'…'" in str(raised.value)
    assert not [secret for secret in personal_values(analyst) if secret in str(raised.value)]


def test_a_single_cell_is_masked_with_its_row():
    masker = privacy.Masker(["field", "value"])
    assert masker.cell(["cpf", CPF], 1) == "*********37"
    assert masker.cell(["sexo", "3"], 1) == "3"


def test_prose_has_its_dates_masked_a_deadline_column_keeps_its_own():
    from sibtui.privacy import Masker

    masker = Masker(["message", "prazo"])
    row = masker.row(("Data de contratação: 1998-06-01 é anterior ao nascimento (1999-01-19)", "2026-12-05"))
    assert row == ("Data de contratação: ****-**-** é anterior ao nascimento (****-**-**)", "2026-12-05")
