"""Regeneration throughput: movements built in SQL, written, re-read and proven.

    .venv/bin/python bench/bench_regenerate.py [--rows 200000] [--xsd ../shared/spec/ans-xsd/sib.xsd]

Fills a temporary workspace with synthetic inclusões (one SQL statement), edits 1% of
them, then runs `regenerate(..., all_movements=True)` and prints the wall time, the MB/s
written, the parts, the time spent waiting for the proof once a part is written (a child
re-reads large parts while they are written, `sibtui.edit.regen.proof`), the CPU of this
process and of its children, and the load average.
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import resource
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sibtui.edit.regen import parts as regen_parts  # noqa: E402
from sibtui.edit.regen import run as regen_run  # noqa: E402
from sibtui.workspace import Workspace  # noqa: E402

FILL_SQL = """
INSERT INTO sbx_movements (file_id, record_no, line, movement, cpf, cns, nome, sexo, dataNascimento, nomeMae,
    logradouro, numero, bairro, codigoMunicipio, cep, tipoEndereco, resideExterior, codigoBeneficiario,
    relacaoDependencia, dataContratacao, numeroPlanoANS, coberturaParcialTemporaria, itensExcluidosCobertura,
    cnpjEmpresaContratante)
SELECT 1, i, i * 30, 'inclusao', lpad((i * 7919 % 99999999999)::VARCHAR, 11, '0'),
       lpad((i * 104729)::VARCHAR, 15, '1'), 'BENEFICIARIO DE TESTE ' || chr((65 + i % 26)::INTEGER),
       CASE WHEN i % 2 = 0 THEN '1' ELSE '3' END, '1980-01-01', 'MAE DE TESTE ' || chr((65 + i % 26)::INTEGER),
       'RUA DAS FLORES', (i % 9999)::VARCHAR, 'CENTRO', '355030', '01310930', '2', '0', lpad(i::VARCHAR, 10, '0'),
       '1', '2020-01-01', '412345678', '0', '0', '11222333000181'
FROM range(1, $rows + 1) t(i)
"""

EDITS_SQL = """
INSERT INTO edit_journal
SELECT nextval('edit_id_seq'), 1, 'bulk-set', NULL, now(), 'bench', 'sbx_movements', 1, i, 'nomeMae',
       NULL, 'MAE CORRIGIDA', NULL, NULL, false
FROM range(1, $rows + 1, 100) t(i)
"""


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=200_000)
    parser.add_argument("--xsd", type=Path)
    parser.add_argument("--profile", action="store_true", help="print the 15 most expensive functions")
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder, Workspace(Path(folder) / "bench.duckdb") as workspace:
        cursor = workspace.cursor()
        cursor.execute("INSERT INTO files (file_id, name, kind, registroANS, sequencialTransacao) "
                       "VALUES (1, 'bench.SBX', 'SBX', '999997', '1')")
        cursor.execute(FILL_SQL, {"rows": options.rows})
        cursor.execute(EDITS_SQL, {"rows": options.rows})
        out = Path(folder) / "out"
        out.mkdir()
        verify_seconds = _time_verification()
        profiler = cProfile.Profile() if options.profile else None
        load_before = os.getloadavg()[0]
        cpu_before = _cpu()
        started = time.perf_counter()
        if profiler:
            profiler.enable()
        result = regen_run.regenerate(cursor, out, sbx_file_ids=[1], all_movements=True, xsd_path=options.xsd)
        if profiler:
            profiler.disable()
        seconds = time.perf_counter() - started
        own_cpu, children_cpu = (after - before for after, before in zip(_cpu(), cpu_before))
        [regeneration] = result.regenerations
        assert not regeneration.problems, regeneration.problems[:3]
        size = sum(f.size_bytes for f in regeneration.files)
        print(f"{options.rows:,} movements -> {len(regeneration.files)} file(s), {size / 1e6:.1f} MB "
              f"in {seconds:.2f} s: {options.rows / seconds:,.0f} movements/s, {size / 1e6 / seconds:.1f} MB/s")
        print(f"  of which waiting for the proof after writing (reload + order{' + XSD' if options.xsd else ''}): "
              f"{sum(verify_seconds):.2f} s")
        print(f"  CPU: {own_cpu:.2f} s this process, {children_cpu:.2f} s its children (the re-read); "
              f"load average {load_before:.2f} before, {os.getloadavg()[0]:.2f} after")
        print(f"  {regeneration.edit_count:,} edits applied; {regeneration.record_problem_count:,} field-rule "
              "errors in the values that changed")
        if profiler:
            pstats.Stats(profiler).sort_stats(os.environ.get("SORT", "cumulative")).print_stats(int(os.environ.get("TOP", "15")))
    return 0


def _time_verification() -> list[float]:
    """Wrap `PlanWriter.verify` (everything proven after the parts are written) to add up its time."""
    spent: list[float] = []
    original = regen_parts.PlanWriter.verify

    def timed(self):
        started = time.perf_counter()
        try:
            return original(self)
        finally:
            spent.append(time.perf_counter() - started)

    regen_parts.PlanWriter.verify = timed
    return spent


def _cpu() -> tuple[float, float]:
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime, children.ru_utime + children.ru_stime


if __name__ == "__main__":
    raise SystemExit(main())
