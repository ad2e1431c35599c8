"""Generate a consistent set of SIB files at any size: CNX before, SBX, RPX, CNX after.

    python -m bench.generate --records 1000000 --movements 100000 --out bench/out/1m --seed 1

Streaming (memory stays flat at any size), hashed by `sibtui.xmlwriter`'s own rule,
ISO-8859-1, 2-space indentation like the sample files. Same seed, same bytes.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from bench.movements import MonthPlan, applied, plan_month, sbx_movements
from bench.population import ANS_CNPJ, REGISTRO, Portfolio, cco_of
from bench.render import FastSibWriter, compile_record
from sibtui.catalog import shapes
from sibtui.catalog.error_codes import KNOWN_CODES
from sibtui.catalog.fields import FIELDS
from sibtui.catalog.kinds import SUBMISSION_ORDER, Movement

BATCH = 5_000
DEFAULT_OUT = Path(__file__).resolve().parent / "out"


@dataclass(frozen=True)
class GeneratedSet:
    cnx_before: Path
    sbx: Path
    rpx: Path
    cnx_after: Path


def names(out: Path, records: int, movements: int) -> GeneratedSet:
    tag = f"{records}_{movements}"
    return GeneratedSet(
        out / f"ArqConf{REGISTRO}09{tag}.CNX",
        out / f"{REGISTRO}20261103101500_{tag}.SBX",
        out / f"{REGISTRO}20261105031244_{tag}.RPX",
        out / f"ArqConf{REGISTRO}10{tag}.CNX",
    )


def header(kind: str, when: str) -> dict:
    operator_side = {"origem_registroANS": REGISTRO, "destino_cnpj": ANS_CNPJ}
    ans_side = {"origem_cnpj": ANS_CNPJ, "destino_registroANS": REGISTRO}
    transaction = {"SBX": "ATUALIZACAO SIB", "RPX": "RESULTADO PROCESSAMENTO", "CNX": "CONFERENCIA CADASTRAL"}
    return {
        "tipoTransacao": transaction[kind],
        "sequencialTransacao": "1",
        "dataHoraRegistroTransacao": when,
        **(operator_side if kind == "SBX" else ans_side),
        "versaoPadrao": "1.1",
        "nomeAplicativo": "GESTAO SAUDE" if kind == "SBX" else "SIB",
        "versaoAplicativo": "4.2.1" if kind == "SBX" else "1",
        "fabricanteAplicativo": "EXEMPLO SISTEMAS" if kind == "SBX" else "ANS",
    }


def _batched(rows: Iterable[dict], size: int = BATCH) -> Iterable[list[dict]]:
    batch: list[dict] = []
    for row in rows:
        batch.append(row)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def write_cnx(path: Path, rows: Iterable[dict], when: str) -> str:
    """Stream a CNX with `rows` (CNX column values); return the epilogue hash written."""
    with path.open("wb") as stream:
        writer = FastSibWriter(stream)
        writer.node(shapes.CABECALHO, header("CNX", when))
        for tag in ("mensagem", "ansParaOperadora", "conferencia"):
            writer.open(tag)
        render = compile_record(shapes.CNX_BENEFICIARIO, writer.depth)
        for batch in _batched(rows):
            writer.records(render, batch)
        return writer.finish()


def cnx_before(portfolio: Portfolio, records: int) -> Iterable[dict]:
    return portfolio.people(records)


def cnx_after(portfolio: Portfolio, plan: MonthPlan) -> Iterable[dict]:
    """The next conference: accepted movements applied, accepted inclusions at the end."""
    for index, values in enumerate(portfolio.people(plan.portfolio_size)):
        movement = plan.touched.get(index)
        if movement is not None and (movement, index) not in plan.rejected:
            values = applied(values, index, movement)
        yield values
    for k, values in enumerate(portfolio.people(plan.inclusions, plan.portfolio_size)):
        if (Movement.INCLUSAO, k) not in plan.rejected:
            values["dataAtualizacao"] = "2026-11-05"
            yield values


def write_sbx(path: Path, portfolio: Portfolio, plan: MonthPlan) -> str:
    with path.open("wb") as stream:
        writer = FastSibWriter(stream)
        writer.node(shapes.CABECALHO, header("SBX", "2026-11-03T10:15:00"))
        for tag in ("mensagem", "operadoraParaANS", "beneficiarios"):
            writer.open(tag)
        for movement in SUBMISSION_ORDER:
            render = compile_record(shapes.MOVEMENT_SHAPES[movement], writer.depth)
            rows = (values for _, values in sbx_movements(portfolio, plan, movement))
            for batch in _batched(rows):
                writer.records(render, batch)
        return writer.finish()


def write_rpx(path: Path, sbx_name: str, portfolio: Portfolio, plan: MonthPlan) -> str:
    with path.open("wb") as stream:
        writer = FastSibWriter(stream)
        writer.node(shapes.CABECALHO, header("RPX", "2026-11-05T03:12:44"))
        for tag in ("mensagem", "ansParaOperadora", "resultadoProcessamento", "arquivoProcessado"):
            writer.open(tag)
        writer.open("protocoloProcessamento")
        writer.leaf("numeroProtocolo", "202611050001")
        writer.leaf("nomeArquivo", sbx_name)
        writer.close("protocoloProcessamento")
        _rejections(writer, plan)
        _inclusions(writer, portfolio, plan)
        _consolidated(writer, plan)
        return writer.finish()


def _rejections(writer: FastSibWriter, plan: MonthPlan) -> None:
    writer.open("registrosRejeitados")
    for (movement, key), codes in plan.rejected.items():
        ident = ("codigoBeneficiario", f"{plan.portfolio_size + key + 1:010d}") if movement is Movement.INCLUSAO \
            else ("cco", cco_of(key))
        writer.open("registroRejeitado", [ident, ("codigoTipoMovimento", str(movement.code)),
                                          ("tipoMovimento", movement.label.upper())])
        for code in codes:
            explanation = KNOWN_CODES[code]
            writer.open("campoErro")
            writer.leaf("codigoCampo", code[:2])
            writer.leaf("descricaoCampo", FIELDS[explanation.field_name].label.upper())
            writer.open("erro")
            writer.leaf("codigoErro", code)
            writer.leaf("mensagemErro", explanation.cause.upper())
            writer.close("erro")
            writer.close("campoErro")
        writer.close("registroRejeitado")
    writer.close("registrosRejeitados")


def _inclusions(writer: FastSibWriter, portfolio: Portfolio, plan: MonthPlan) -> None:
    writer.open("registrosIncluidos")
    for k, values in enumerate(portfolio.people(plan.inclusions, plan.portfolio_size)):
        if (Movement.INCLUSAO, k) in plan.rejected:
            continue
        writer.open("registroIncluido", [("codigoBeneficiario", values["codigoBeneficiario"])])
        writer.leaf("cco", values["cco"])
        writer.leaf("nomeBeneficiario", values["nome"])
        writer.close("registroIncluido")
    writer.close("registrosIncluidos")


_TOTAL_TAGS = {
    Movement.INCLUSAO: "consolidadoInclusao",
    Movement.RETIFICACAO: "consolidadoRetificacao",
    Movement.MUDANCA_CONTRATUAL: "consolidadoMudancaContratual",
    Movement.REATIVACAO: "consolidadoReativacao",
    Movement.CANCELAMENTO: "consolidadoCancelamento",
}


def _consolidated(writer: FastSibWriter, plan: MonthPlan) -> None:
    totals = {movement: [0, 0] for movement in _TOTAL_TAGS}
    totals[Movement.INCLUSAO][0] = plan.inclusions
    for movement in plan.touched.values():
        totals[movement][0] += 1
    errors: dict[str, int] = {}
    for (movement, _), codes in plan.rejected.items():
        totals[movement][1] += 1
        for code in codes:
            errors[code] = errors.get(code, 0) + 1
    writer.open("consolidado")
    writer.open("consolidadoErroProcessamento")
    for code, count in sorted(errors.items()):
        writer.open("erro")
        writer.leaf("codigoErro", code)
        writer.leaf("mensagemErro", KNOWN_CODES[code].cause.upper())
        writer.leaf("quantidadeOcorrenciaErro", str(count))
        writer.close("erro")
    writer.close("consolidadoErroProcessamento")
    writer.open("consolidadoProcessamento")
    for movement, tag in _TOTAL_TAGS.items():
        _counts(writer, tag, *totals[movement])
    _counts(writer, "consolidadoSemMovimentacao", 0, 0)
    _counts(writer, "consolidadoTotal", plan.movement_count, len(plan.rejected))
    writer.close("consolidadoProcessamento")
    writer.close("consolidado")


def _counts(writer: FastSibWriter, tag: str, total: int, rejected: int) -> None:
    writer.open(tag)
    writer.leaf("quantidadeRegistros", str(total))
    writer.leaf("quantidadeProcessados", str(total - rejected))
    writer.leaf("quantidadeRejeitados", str(rejected))
    writer.leaf("percentualAcerto", f"{100 * (total - rejected) // total if total else 100}")
    writer.close(tag)


def generate(out: Path, records: int, movements: int, seed: int, kinds: set[str]) -> GeneratedSet:
    """Write the requested files of the set (skipping those already there)."""
    out.mkdir(parents=True, exist_ok=True)
    paths = names(out, records, movements)
    portfolio = Portfolio(seed)
    plan = plan_month(records, movements, seed) if kinds & {"sbx", "rpx", "cnx2"} else None
    jobs = {
        "cnx": (paths.cnx_before, lambda p: write_cnx(p, cnx_before(portfolio, records), "2026-10-01T08:00:00")),
        "sbx": (paths.sbx, lambda p: write_sbx(p, portfolio, plan)),
        "rpx": (paths.rpx, lambda p: write_rpx(p, paths.sbx.name, portfolio, plan)),
        "cnx2": (paths.cnx_after, lambda p: write_cnx(p, cnx_after(portfolio, plan), "2026-11-10T08:00:00")),
    }
    for kind, (path, job) in jobs.items():
        if kind in kinds and not path.exists():
            partial = path.with_name(path.name + ".part")
            job(partial)
            partial.rename(path)
    return paths


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.generate", description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=100_000, help="vínculos in the CNX")
    parser.add_argument("--movements", type=int, default=10_000, help="movements in the SBX")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    parser.add_argument("--kinds", default="cnx,sbx,rpx,cnx2", help="comma-separated: cnx, sbx, rpx, cnx2")
    options = parser.parse_args(argv)
    started = time.perf_counter()
    paths = generate(options.out, options.records, options.movements, options.seed, set(options.kinds.split(",")))
    for path in (paths.cnx_before, paths.sbx, paths.rpx, paths.cnx_after):
        if path.exists():
            print(f"{path}  {path.stat().st_size / 1e6:,.1f} MB")
    print(f"{time.perf_counter() - started:.1f} s", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
