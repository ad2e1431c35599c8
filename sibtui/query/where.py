"""The WHERE and ORDER BY of a grid spec as bound SQL (UI-free; `sibtui.query.paging` runs it).

Filters from the bar become conditions over the relation aliased `s`, their values always
bound, never interpolated; text is compared the way analysts type it (`sibtui.query.folding`).
"""

from __future__ import annotations

from collections.abc import Mapping

from sibtui.db.identifiers import quote
from sibtui.query.folding import domain_code, fold, folded_sql, has_letters
from sibtui.query.spec import Column, Filter, FilterSyntaxError, GridSpec


def order_by(spec: GridSpec, tiebreak: tuple[str, ...], columns: list[Column]) -> str:
    known = {column.name for column in columns}
    terms = [
        f"s.{quote(sort.column)} {'DESC' if sort.descending else 'ASC'} NULLS LAST"
        for sort in spec.sort
        if sort.column in known
    ]
    return ", ".join(terms + [f"s.{quote(k)}" for k in tiebreak])


def where_sql(spec: GridSpec, columns: list[Column]) -> tuple[str, list]:
    types = {column.name: column.type for column in columns}
    clauses, parameters = ["TRUE"], []
    for item in spec.filters:
        clause, values = filter_sql(item, types, spec.value_labels.get(item.column))
        clauses.append(clause)
        parameters.extend(values)
    if spec.restriction is not None:
        clauses.append(f"({spec.restriction.where})")
        parameters.extend(spec.restriction.parameters)
    return " AND ".join(clauses), parameters


def filter_sql(item: Filter, types: dict[str, str], labels: Mapping[str, str] | None = None) -> tuple[str, list]:
    """One filter as a condition; `labels` (code -> words drawn, `GridSpec.value_labels`)
    let `=` and `!=` take the words the grid shows for a code."""
    if item.column not in types:
        raise FilterSyntaxError(f"filtro {item.describe()!r}: não há coluna {item.column!r}")
    column = f"s.{quote(item.column)}"
    text = f"CAST({column} AS VARCHAR)"
    if item.op == "vazio":
        return f"({column} IS NULL OR trim({text}) = '')", []
    if item.op == "não vazio":
        return f"({column} IS NOT NULL AND trim({text}) <> '')", []
    if item.op == "~":
        return f"contains({folded_sql(text)}, ?)", [fold(item.value)]
    if item.op in ("=", "!=") and labels:
        item = Filter(item.column, item.op, _code_of(item.value, labels))
    if item.op in ("=", "!=") and types[item.column] == "VARCHAR":
        return _equality_sql(item, column)
    value = "?" if types[item.column] == "VARCHAR" else f"TRY_CAST(? AS {types[item.column]})"
    if item.op == "!=":
        return f"{column} IS DISTINCT FROM {value}", [item.value]
    return f"{column} {item.op} {value}", [item.value]


def _equality_sql(item: Filter, column: str) -> tuple[str, list]:
    """`=` / `!=` on text: a domain label means its code; letters compare folded
    (`conceição` finds CONCEICAO); anything else exactly as stored."""
    negate = item.op == "!="
    coded = domain_code(item.column, item.value)
    if coded is not None:
        code, integer = coded
        left, right = (f"TRY_CAST(trim({column}) AS BIGINT)", "TRY_CAST(? AS BIGINT)") if integer else (column, "?")
    elif has_letters(item.value):
        left, right, code = folded_sql(column), "?", fold(item.value)
    else:
        left, right, code = column, "?", item.value
    return (f"{left} IS DISTINCT FROM {right}" if negate else f"{left} = {right}"), [code]


def _code_of(value: str, labels: Mapping[str, str]) -> str:
    """The code whose words are `value` (accents and case folded: `codigo alterado`), else `value`."""
    by_words = {fold(words): code for code, words in labels.items()}
    return by_words.get(fold(value.strip()), value)
