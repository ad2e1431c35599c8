"""What a grid shows, as data: a relation or a query, filters, a restriction and a sort.

A `GridSpec` is immutable and cheap to build, so the console derives a new one for every
filter or sort and hands it to `sibtui.query.paging`, which turns it into SQL. This module
imports nothing heavy (no DuckDB), so screens can build specs before the database is open.

The filter bar's language is parsed here too, so the TUI and scripts read it alike:
`campo = valor`, `campo != valor`, `campo ~ texto` (contains; accents and case folded, see `sibtui.query.folding`),
`campo vazio`, `campo não vazio`, `campo > valor` (also `<`, `>=`, `<=`), clauses joined
with `;`. Values may be quoted ("  SILVA") to keep spaces.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace

from sibtui.errors import SibError

OPERATORS: tuple[str, ...] = ("=", "!=", "~", ">", "<", ">=", "<=", "vazio", "não vazio")
_OPERATOR_WORDS = {
    "==": "=",
    "<>": "!=",
    "contem": "~",
    "contém": "~",
    "contains": "~",
    "is empty": "vazio",
    "vazio": "vazio",
    "is not empty": "não vazio",
    "nao vazio": "não vazio",
    "não vazio": "não vazio",
}
_CLAUSE = re.compile(
    r"^\s*(?P<column>[A-Za-z_][A-Za-z0-9_]*)\s*"
    r"(?P<op>==|!=|<>|>=|<=|=|~|>|<|contém|contem|contains|is not empty|is empty|não vazio|nao vazio|vazio)"
    r"\s*(?P<value>.*?)\s*$",
    re.IGNORECASE,
)
_VALUELESS = {"vazio", "não vazio"}


class FilterSyntaxError(SibError):
    """A filter the bar cannot read; the message says which clause and why."""



@dataclass(frozen=True)
class Column:
    """A column of what a grid shows: its name and DuckDB type."""

    name: str
    type: str

@dataclass(frozen=True)
class Filter:
    """One condition on one column, from the filter bar."""

    column: str
    op: str
    value: str = ""

    def describe(self) -> str:
        if self.op in _VALUELESS:
            return f"{self.column} {self.op}"
        return f"{self.column} {self.op} {_quote_if_needed(self.value)}"


@dataclass(frozen=True)
class Restriction:
    """A fixed condition a drill-down puts on a grid (e.g. "rejeitados pelo erro 0701").

    `where` is a SQL condition over the relation, aliased `s`; its parameters are bound,
    never interpolated. The label says in words what it keeps. A `subject` restriction is
    what the screen is about (the vínculos of the transfer it shows, the movements of the SBX
    its title names), not a narrowing: the count line does not call it "(filtrado)".
    """

    label: str
    where: str
    parameters: tuple = ()
    subject: bool = False


@dataclass(frozen=True)
class SortKey:
    column: str
    descending: bool = False


@dataclass(frozen=True)
class GridSpec:
    """A relation (table or view) or a SQL query, and how the grid narrows and orders it."""

    relation: str | None = None
    sql: str | None = None
    title: str = ""
    filters: tuple[Filter, ...] = ()
    restriction: Restriction | None = None
    sort: tuple[SortKey, ...] = ()
    hidden_columns: tuple[str, ...] = field(default=("line",))
    leading_columns: tuple[str, ...] = ()  # shown first, in this order; the rest follow
    sql_parameters: tuple = ()  # bound to `sql` (values from files are never interpolated)
    records_of: str | None = None  # the record table (file_id, record_no) name rows of, for a `sql` listing
    hide_empty: bool = False  # leave out columns that are NULL on every row kept (a drill-down)
    keep_empty: tuple[str, ...] = ()  # ... except these (an empty side of a comparison says something)
    # Words drawn for a column's stored codes (`estado`: codigo_alterado reads "código alterado");
    # filters take them too, while SQL, copies and exports keep the codes (and H shows them).
    value_labels: Mapping[str, Mapping[str, str]] = field(default_factory=dict, compare=False)

    def __post_init__(self) -> None:
        if (self.relation is None) == (self.sql is None):
            raise ValueError("a GridSpec needs exactly one of relation or sql")

    @property
    def narrowed(self) -> bool:
        """True when rows are left out (a filter or a restriction): paged by position."""
        return bool(self.filters) or self.restriction is not None

    @property
    def filtered(self) -> bool:
        """What the count line calls "(filtrado)": the analyst's filter, or a drill-down's
        restriction, but not the screen's own subject (`Restriction.subject`)."""
        return bool(self.filters) or (self.restriction is not None and not self.restriction.subject)

    def with_filters(self, filters: Sequence[Filter]) -> GridSpec:
        return replace(self, filters=tuple(filters))

    def with_sort(self, sort: Sequence[SortKey]) -> GridSpec:
        return replace(self, sort=tuple(sort))

    def filter_text(self) -> str:
        return "; ".join(f.describe() for f in self.filters)

    @property
    def record_table(self) -> str | None:
        """`sbx_movements` / `cnx_beneficiaries` when rows are records of it, else None."""
        table = (self.relation or "").removesuffix("_current")
        if table in ("sbx_movements", "cnx_beneficiaries", "transfer_beneficiaries"):
            return table
        return self.records_of


# What an analyst looks at first in a record grid; every other column follows.
_SBX_LEADING = ("file_id", "record_no", "movement", "cco", "codigoBeneficiario", "nome", "cpf", "cns", "dataNascimento")
_CNX_LEADING = ("file_id", "record_no", "cco", "situacao", "codigoBeneficiario", "nome", "cpf", "cns", "dataNascimento")
_TRANSFER_LEADING = ("file_id", "record_no", "cco", "situacaoTransferencia", "situacao", "codigoBeneficiario",
                     "relacaoDependencia", "ccoBeneficiarioTitular", "nome", "cpf", "cns", "dataNascimento")
LEADING_COLUMNS: dict[str, tuple[str, ...]] = {
    "sbx_movements_current": _SBX_LEADING,
    "cnx_beneficiaries_current": _CNX_LEADING,
    "transfer_beneficiaries_current": _TRANSFER_LEADING,
}


def leading_for(relation: str) -> tuple[str, ...]:
    return LEADING_COLUMNS.get(relation, ())


def toggle_sort(spec: GridSpec, column: str) -> GridSpec:
    """Sort by `column` ascending, then descending, then back to the natural order."""
    current = spec.sort[0] if spec.sort and spec.sort[0].column == column else None
    if current is None:
        return spec.with_sort([SortKey(column)])
    if not current.descending:
        return spec.with_sort([SortKey(column, descending=True)])
    return spec.with_sort([])


def parse_filters(text: str, columns: Sequence[str]) -> tuple[Filter, ...]:
    """Read the filter bar; column names match case-insensitively against `columns`."""
    by_lower = {name.lower(): name for name in columns}
    filters = []
    for clause in _split_clauses(text):
        filters.append(_parse_clause(clause, by_lower))
    return tuple(filters)


def _split_clauses(text: str) -> list[str]:
    clauses: list[str] = []
    current: list[str] = []
    quoted = False
    for char in text:
        if char == '"':
            quoted = not quoted
        if char == ";" and not quoted:
            clauses.append("".join(current))
            current = []
        else:
            current.append(char)
    clauses.append("".join(current))
    return [clause for clause in clauses if clause.strip()]


def _parse_clause(clause: str, by_lower: dict[str, str]) -> Filter:
    match = _CLAUSE.match(clause)
    if match is None:
        raise FilterSyntaxError(f"filtro {clause.strip()!r}: use campo = valor, campo ~ texto ou campo vazio")
    column = by_lower.get(match["column"].lower())
    if column is None:
        raise FilterSyntaxError(f"filtro {clause.strip()!r}: não há coluna {match['column']!r}")
    op = _OPERATOR_WORDS.get(match["op"].lower(), match["op"])
    value = _unquote(match["value"])
    if op in _VALUELESS and value:
        raise FilterSyntaxError(f"filtro {clause.strip()!r}: {op!r} não leva valor")
    if op not in _VALUELESS and not match["value"]:
        raise FilterSyntaxError(f"filtro {clause.strip()!r}: falta o valor depois de {op!r}")
    return Filter(column, op, value)


def _unquote(value: str) -> str:
    if len(value) >= 2 and value[0] == value[-1] == '"':
        return value[1:-1]
    return value


def _quote_if_needed(value: str) -> str:
    if value != value.strip() or ";" in value or not value:
        return f'"{value}"'
    return value
