"""`sibtui fix` prints personal values masked under --mask, and plain otherwise."""

from __future__ import annotations

from conftest import SAMPLE_DIR
from sibtui import privacy
from sibtui.cli import main


def test_fix_output_follows_mask_mode(tmp_path, capsys):
    db = str(tmp_path / "w.duckdb")
    assert main(["load", "--db", db, "--quiet", str(SAMPLE_DIR)]) == 1  # one sample SBX: hash mismatch
    capsys.readouterr()
    try:
        main(["--mask", "fix", "set", "--db", db, "--record", "1:3", "cpf=39485716273", "sexo=3", "--dry-run"])
        masked = capsys.readouterr().out
    finally:
        privacy.set_masking(None)
    assert "39485716203" not in masked and "'*********03' -> '*********73'" in masked
    assert "sexo: '1' -> '3'" in masked  # not personal: shown as it is
    main(["fix", "set", "--db", db, "--record", "1:3", "cpf=39485716273", "--dry-run"])
    assert "'39485716203' -> '39485716273'" in capsys.readouterr().out
