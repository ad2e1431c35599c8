"""The figures every benchmark returns, and the one table `python -m bench` prints."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class Figure:
    """One measured quantity beside its target; `ok` is None when there is no target."""

    name: str
    value: str
    target: str = ""
    ok: bool | None = None
    note: str = ""


def unavailable(name: str, why: str = "not available yet") -> Figure:
    return Figure(name, why)


def seconds(value: float) -> str:
    return f"{value:.2f} s" if value >= 1 else f"{value * 1000:.0f} ms"


def table(figures: Iterable[Figure]) -> str:
    """A Markdown table (renders in the README, reads fine in a terminal)."""
    lines = ["| figure | measured | target | met |", "|---|---|---|---|"]
    for figure in figures:
        met = {True: "yes", False: "**no**", None: ""}[figure.ok]
        value = f"{figure.value} ({figure.note})" if figure.note else figure.value
        lines.append(f"| {figure.name} | {value} | {figure.target} | {met} |")
    return "\n".join(lines)


def print_table(figures: Iterable[Figure], title: str | None = None) -> None:
    if title:
        print(f"\n{title}\n")
    print(table(figures), flush=True)
