"""Benchmarks for sibtui at operator scale: run on demand, print figures, never part of the tests.

`python -m bench` runs every benchmark and prints one table; each module also runs alone
(`python -m bench.load --records 300000`). Generated data goes under `bench/out/` (git-ignored)
or `--out DIR`.
"""
