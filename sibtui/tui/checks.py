"""What a pre-critique run found, in words (light: the first frame imports it)."""

from __future__ import annotations


def checks_summary(report) -> str:
    """"pré-crítica: 12 achados de erro e 7 de aviso (0,4 s)", or that it was cancelled."""
    if report.cancelled:
        return "pré-crítica cancelada: os achados anteriores continuam"
    errors, warnings = report.errors, report.warnings
    seconds = f"{report.seconds:.1f} s".replace(".", ",")
    if not errors and not warnings:
        return f"pré-crítica: nenhum achado ({seconds})"
    error_words = "1 achado de erro" if errors == 1 else f"{_count(errors)} achados de erro"
    return f"pré-crítica: {error_words} e {_count(warnings)} de aviso ({seconds}) · 4 lista por regra"


def _count(number: int) -> str:
    return f"{number:,}".replace(",", ".")
