"""`sibtui check` on sample_files/ flags exactly the deliberately wrong records; on ANS's example, only what is wrong."""

from __future__ import annotations

import datetime as dt
import importlib.util
import shutil
import sys

import pytest

from conftest import ANS_EXAMPLE, REPO, SAMPLE_DIR, query, spec_file
from sibtui.edit.precritique import run_checks
from sibtui.ingest.loader import load_files

TODAY = dt.date(2026, 12, 1)
SBX = "99999720261103101500.SBX"
SBX_WRONG_HASH = "99999720261104160000.SBX"
CNX_AFTER = "ArqConf9999971020261110.CNX"

# (file, record_no, field, rule). The SBX rows are the DEFECTS of tools/make_samples.py; the
# others are their consequences, worked out by hand from the generator:
EXPECTED = {
    (SBX, 2, "cns", "cns_provisional"),
    (SBX, 3, "cpf", "cpf_invalid"),
    # Record 4's titular (record 3) has an error: ANS rejects the titular, then the child.
    (SBX, 4, "codigoBeneficiarioTitular", "titular_has_error"),
    (SBX, 5, "cpf", "cpf_required"),
    (SBX, 5, "cns", "cns_invalid"),
    (SBX, 6, "cns", "cns_invalid"),
    (SBX, 7, "cns", "cns_missing"),
    # ANS assigned record 7 a CNS (CPF, name and birth matched): the newer CNX has it, we do not.
    (SBX, 7, "cns", "cns_differs_from_cnx"),
    (SBX, 8, "codigoBeneficiarioTitular", "titular_not_found"),
    (SBX, 9, "cpf", "cpf_required"),
    (SBX, 10, "dataContratacao", "birth_after_contract"),
    (SBX, 11, "cnpjEmpresaContratante", "cnpj_invalid"),
    (SBX, 12, "cns", "cns_duplicate"),
    (SBX, 19, "cco", "cco_not_in_cnx"),
    (SBX, 22, "cco", "cco_inactive"),
    (SBX, 23, "dataCancelamento", "cancel_before_contract"),
    (SBX_WRONG_HASH, None, "hash", "hash_mismatch"),
    # Record 12 (0000200012) was accepted: in the newer CNX its CNS is held by two active vínculos,
    # JOSE CARLOS (record 1, registered before) and HELENA (record 23).
    (CNX_AFTER, 1, "cns", "cns_duplicate"),
    (CNX_AFTER, 23, "cns", "cns_duplicate"),
    # Record 2 (LAURA, 0000200002) was accepted with her provisional CNS; ANS kept it (record 21).
    (CNX_AFTER, 21, "cns", "cns_provisional"),
    # Two vínculos ANS still has no CNS for: RAFAEL (record 18) qualifies for automatic
    # assignment, MIGUEL (record 19, a child without CPF) does not.
    (CNX_AFTER, 18, "cns", "cns_missing"),
    (CNX_AFTER, 19, "cns", "cns_missing"),
}


def _defects() -> list[tuple[str, int, str, str]]:
    spec = importlib.util.spec_from_file_location("make_samples", REPO / "tools" / "make_samples.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("make_samples", module)  # dataclasses look their module up while it runs
    spec.loader.exec_module(module)
    module.build()
    return module.DEFECTS


def _findings(workspace) -> set[tuple]:
    rows = query(workspace, "SELECT f.name, record_no, field, rule FROM findings JOIN files f USING (file_id)")
    return set(rows)


@pytest.fixture
def checked_samples(workspace):
    list(load_files(workspace, [SAMPLE_DIR]))
    report = run_checks(workspace, today=TODAY)
    return workspace, report


def test_samples_flag_exactly_the_deliberate_defects(checked_samples):
    workspace, report = checked_samples
    assert _findings(workspace) == EXPECTED
    assert report.errors == 13 and report.warnings == 9


def test_every_defect_of_the_generator_is_found_on_its_field(checked_samples):
    workspace, _ = checked_samples
    found = {(name, record_no or 0, field) for name, record_no, field, _ in _findings(workspace)}
    for file, record_no, field, what in _defects():
        assert (file, record_no, field) in found, what


def test_the_record_numbers_are_the_ones_the_rpx_rejected(checked_samples):
    """ANS rejected these very records in the sample RPX: our errors pre-empt its criticisms."""
    workspace, _ = checked_samples
    rejected = set(query(workspace, "SELECT DISTINCT sbx_record_no FROM rpx_rejection_links WHERE sbx_record_no IS NOT NULL"))
    ours = set(query(workspace, "SELECT DISTINCT record_no FROM findings JOIN files USING (file_id) "
                                f"WHERE name = '{SBX}' AND severity = 'error'"))
    # Record 4's titular (record 3) was rejected first; ANS then rejected the child: the cascade.
    assert ours == rejected


def test_ans_example_only_what_is_truly_wrong(workspace, tmp_path):
    copy = tmp_path / "ans-exemplo.sbx"
    shutil.copy(spec_file(ANS_EXAMPLE), copy)
    list(load_files(workspace, [copy]))
    run_checks(workspace, today=TODAY)
    rows = set(query(workspace, "SELECT record_no, field, rule FROM findings"))
    wrong_everywhere = {("cpf", "cpf_invalid"), ("dn", "dn_not_allowed"), ("codigoMunicipio", "municipio_unknown"),
                        ("codigoMunicipioResidencia", "municipio_unknown"), ("cep", "cep_invalid")}
    assert rows == {
        (None, "name", "file_name_invalid"),  # not XXXXXXAAAAMMDDHHMMSS.SBX
        (None, "registroANS", "registro_ans_invalid"),  # 000000
        *((1, field, rule) for field, rule in wrong_everywhere),
        (1, "cns", "cns_missing"),
        (2, "cco", "cco_invalid"),  # 000000000000 in the cancelamento, the reativação, the mudança...
        (3, "cco", "cco_invalid"),
        (4, "cco", "cco_invalid"),
        (5, "cco", "cco_invalid"),  # ... and the retificação, which repeats the inclusion's data
        *((5, field, rule) for field, rule in wrong_everywhere),
    }
