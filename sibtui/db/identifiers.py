"""SQL identifiers: the catalogue's camelCase names must keep their spelling in DuckDB."""

from __future__ import annotations


def quote(identifier: str) -> str:
    """Quote an identifier (`codigoBeneficiario` stays `codigoBeneficiario`, not lower-cased)."""
    return '"' + identifier.replace('"', '""') + '"'
