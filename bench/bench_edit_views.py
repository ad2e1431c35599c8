"""How much the edit journal costs the `*_current` views, on 1M movements built in SQL.

    .venv/bin/python bench/bench_edit_views.py [--rows 1000000] [--edits 0,1000,100000,1000000]

Builds a workspace in a temporary folder, fills `sbx_movements` with synthetic rows (one
statement, no XML), then for each journal size appends that many edits (cns on distinct
records, one action) and times the queries the console and the checker run, on the raw
table and on the view. Prints medians of 3 runs in milliseconds.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sibtui.workspace import Workspace  # noqa: E402

QUERIES = {
    "count(*)": "SELECT count(*) FROM {t}",
    "page mid (ORDER BY LIMIT 100 OFFSET n/2)": "SELECT * FROM {t} ORDER BY file_id, record_no LIMIT 100 OFFSET {mid}",
    "page mid, insertion order": "SELECT * FROM {t} LIMIT 100 OFFSET {mid}",
    "one record": "SELECT * FROM {t} WHERE file_id = 1 AND record_no = {mid}",
    "filter on edited column (cns IS NULL)": "SELECT count(*) FROM {t} WHERE cns IS NULL",
    "filter on a key range": "SELECT count(*) FROM {t} WHERE record_no BETWEEN {mid} AND {mid} + 1000",
    "group by sexo": "SELECT sexo, count(*) FROM {t} GROUP BY 1",
    "full fetch to Arrow": "SELECT * FROM {t}",
}

FILL_SQL = """
INSERT INTO sbx_movements (file_id, record_no, line, movement, cpf, cns, nome, sexo, dataNascimento, nomeMae,
    codigoMunicipio, codigoBeneficiario, relacaoDependencia, dataContratacao, numeroPlanoANS)
SELECT 1, i, i * 30, 'inclusao', lpad((i * 7919 % 99999999999)::VARCHAR, 11, '0'),
       CASE WHEN i % 10 = 0 THEN NULL ELSE lpad((i * 104729)::VARCHAR, 15, '1') END,
       'BENEFICIARIO NUMERO ' || i, CASE WHEN i % 2 = 0 THEN '1' ELSE '3' END, '1980-01-01', 'MAE ' || i,
       '355030', lpad(i::VARCHAR, 10, '0'), '1', '2020-01-01', '412345678'
FROM range(1, $rows + 1) t(i)
"""

EDITS_SQL = """
INSERT INTO edit_journal
SELECT nextval('edit_id_seq'), 1, 'fill-cns', NULL, now(), 'bench', 'sbx_movements', 1, i * $step, 'cns',
       NULL, lpad(i::VARCHAR, 15, '2'), NULL, NULL, false
FROM range(1, $edits + 1) t(i)
"""


def timed(cursor, sql: str, repeat: int = 3) -> float:
    runs = []
    for _ in range(repeat):
        started = time.perf_counter()
        if sql.startswith("SELECT * FROM") and "LIMIT" not in sql and "WHERE" not in sql:
            cursor.sql(sql).to_arrow_table()
        else:
            cursor.execute(sql).fetchall()
        runs.append((time.perf_counter() - started) * 1000)
    return statistics.median(runs)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--edits", default="0,1000,100000,1000000")
    options = parser.parse_args()
    sizes = [int(size) for size in options.edits.split(",")]
    with tempfile.TemporaryDirectory() as folder, Workspace(Path(folder) / "bench.duckdb") as workspace:
        cursor = workspace.cursor()
        cursor.execute("INSERT INTO files (file_id, name, kind, registroANS) VALUES (1, 'bench.SBX', 'SBX', '999997')")
        started = time.perf_counter()
        cursor.execute(FILL_SQL, {"rows": options.rows})
        print(f"{options.rows:,} movements built in {time.perf_counter() - started:.2f} s")
        mid = options.rows // 2
        print(f"{'query':44} {'raw ms':>9} " + " ".join(f"{f'{n:,} edits':>14}" for n in sizes))
        results: dict[str, list[float]] = {name: [] for name in QUERIES}
        raw = {name: timed(cursor, sql.format(t="sbx_movements", mid=mid)) for name, sql in QUERIES.items()}
        done = 0
        for size in sizes:
            if size > done:
                cursor.execute("DELETE FROM edit_journal")
                step = max(1, options.rows // size)
                cursor.execute(EDITS_SQL, {"edits": min(size, options.rows), "step": step})
                done = size
            for name, sql in QUERIES.items():
                results[name].append(timed(cursor, sql.format(t="sbx_movements_current", mid=mid)))
        for name in QUERIES:
            print(f"{name:44} {raw[name]:9.1f} " + " ".join(f"{ms:14.1f}" for ms in results[name]))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
