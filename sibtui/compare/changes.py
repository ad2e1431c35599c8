"""What ANS changed between two conferences of one operator, keyed by CCO.

Both snapshots are joined on CCO in DuckDB, first by key and a fingerprint of each row's
compared text only; the few rows that differ are then read whole and every difference
becomes a row of kind
`appeared`, `disappeared`, `cancelled` (ATIVO -> INATIVO), `reactivated`, `cns_assigned`,
`cns_changed`, `cns_removed` or `field_changed` (any other field, one row per field).
Values are compared as ANS means them, not as typed: trimmed, an empty element equal to an
absent one, integer codes by value (`01` is `1`, §1.5) and plan numbers by their digits
(`456.521/07-5` is `456521075`, §1.3); the rows keep the text exactly as each file has it.

The SQL is generated from the catalogue, so a field added there is compared here too.
"""

from __future__ import annotations

from collections.abc import Iterable

from sibtui.catalog.domains import PLANO_RPS, Base
from sibtui.catalog.shapes import CNX_BENEFICIARIO
from sibtui.catalog.tables import CNX_BENEFICIARIES
from sibtui.db.identifiers import quote

CHANGE_KINDS: tuple[str, ...] = (
    "appeared",
    "disappeared",
    "cancelled",
    "reactivated",
    "cns_assigned",
    "cns_changed",
    "cns_removed",
    "field_changed",
)
CHANGE_LABELS: dict[str, str] = {
    "appeared": "Vínculo novo na conferência",
    "disappeared": "Vínculo que sumiu da conferência",
    "cancelled": "Cancelado (ATIVO → INATIVO)",
    "reactivated": "Reativado (INATIVO → ATIVO)",
    "cns_assigned": "CNS atribuído (vazio → valor)",
    "cns_changed": "CNS trocado",
    "cns_removed": "CNS removido",
    "field_changed": "Outro campo alterado",
}
CHANGE_COLUMNS: tuple[str, ...] = (
    "registroANS",
    "from_file_id",
    "to_file_id",
    "cco",
    "kind",
    "field",
    "old_value",
    "new_value",
    "from_record_no",
    "to_record_no",
    "codigoBeneficiario",
    "nome",
)

# dataAtualizacao moves whenever anything moves: reporting it would double every change.
_NOT_COMPARED = {"cco", "situacao", "cns", "dataAtualizacao"}
_DOMAINS = {leaf.column_name: leaf.value_domain for leaf in CNX_BENEFICIARIO.leaves()}
_DOMAINS.update({attribute.field.name: attribute.field.domain for attribute in CNX_BENEFICIARIO.attributes})
FIELD_COLUMNS: tuple[str, ...] = tuple(c for c in CNX_BENEFICIARIES.value_columns if c not in _NOT_COMPARED)


def comparable(expression: str, column: str) -> str:
    """SQL for the value of `column` as ANS means it (see the module docstring)."""
    domain = _DOMAINS.get(column)
    text = f"nullif(trim({expression}), '')"
    if domain is not None and domain.base is Base.INTEGER:
        return f"coalesce(CAST(TRY_CAST({text} AS BIGINT) AS VARCHAR), {text})"
    if domain is PLANO_RPS:
        return f"nullif(regexp_replace({text}, '[^0-9]', '', 'g'), '')"
    return text


def _side(prefix: str, column: str) -> str:
    return quote(f"{prefix}_{column}")


# Columns whose raw text goes into a row's fingerprint: everything a change can be about.
_FINGERPRINTED: tuple[str, ...] = ("situacao", "cns", *FIELD_COLUMNS)
_CARRIED: tuple[str, ...] = ("codigoBeneficiario", "nome")  # named in every change row


def _side_sql(file_column: str) -> str:
    """One conference of each pair: its keys and a fingerprint of each row's compared text.

    Two rows whose compared columns hold the same text cannot differ in any kind of change
    (every comparison is a function of that text), so only rows whose fingerprints differ
    are read whole. A fingerprint is a 64-bit hash: two different rows would have to
    collide for a change to go unseen.
    """
    fingerprint = ", ".join(f"b.{quote(c)}" for c in _FINGERPRINTED)
    return (f"SELECT p.to_file_id, b.cco, b.record_no, hash({fingerprint}) AS fingerprint "
            f"FROM pairs p JOIN cnx_beneficiaries b ON b.file_id = p.{file_column}")


def _read_back(side: str, columns: tuple[str, ...], how: str = "JOIN") -> str:
    """`columns` of one side's rows, joined back by key (the keyed rows are the small side)."""
    file_column, record_column = ("from_file_id", "from_record_no") if side == "o" else ("to_file_id", "to_record_no")
    selected = ", ".join(f"{side}.{quote(c)} AS {_side(side, c)}" for c in columns)
    return (f"{how} (SELECT file_id, record_no, {selected} FROM cnx_beneficiaries {side}) {side} "
            f"ON {side}.file_id = k.{file_column} AND {side}.record_no = k.{record_column}")


def _joined_sql(pairs_sql: str) -> str:
    every = tuple(dict.fromkeys(_FINGERPRINTED))
    return f"""
pairs AS ({pairs_sql}),
old AS ({_side_sql('from_file_id')}),
new AS ({_side_sql('to_file_id')}),
keyed AS MATERIALIZED (
    SELECT p.registroANS, p.from_file_id, p.to_file_id, coalesce(o.cco, n.cco) AS cco,
           o.record_no AS from_record_no, n.record_no AS to_record_no,
           o.fingerprint IS DISTINCT FROM n.fingerprint AS differs
    FROM old o FULL OUTER JOIN new n ON o.to_file_id = n.to_file_id AND o.cco = n.cco
    JOIN pairs p ON p.to_file_id = coalesce(o.to_file_id, n.to_file_id)
),
joined AS MATERIALIZED (
    SELECT k.* EXCLUDE (differs), o.* EXCLUDE (file_id, record_no), n.* EXCLUDE (file_id, record_no)
    FROM keyed k {_read_back('o', every)} {_read_back('n', every)}
    WHERE k.differs AND k.from_record_no IS NOT NULL AND k.to_record_no IS NOT NULL
    UNION ALL BY NAME
    SELECT k.* EXCLUDE (differs), o.* EXCLUDE (file_id, record_no), n.* EXCLUDE (file_id, record_no)
    FROM keyed k {_read_back('o', _CARRIED, 'LEFT JOIN')} {_read_back('n', _CARRIED, 'LEFT JOIN')}
    WHERE k.from_record_no IS NULL OR k.to_record_no IS NULL
)"""


_NO_FIELD = ("NULL", "NULL", "NULL")


def _row(kind: str, condition: str, field_old_new: tuple[str, str, str] = _NO_FIELD) -> str:
    field, old, new = field_old_new
    return f"""
SELECT registroANS, from_file_id, to_file_id, cco, '{kind}' AS kind, {field} AS field,
       {old} AS old_value, {new} AS new_value, from_record_no, to_record_no,
       coalesce({_side('n', 'codigoBeneficiario')}, {_side('o', 'codigoBeneficiario')}) AS codigoBeneficiario,
       coalesce({_side('n', 'nome')}, {_side('o', 'nome')}) AS nome
FROM joined WHERE {condition}"""


def _branches() -> Iterable[str]:
    both = "from_record_no IS NOT NULL AND to_record_no IS NOT NULL"
    old_state = f"upper(trim({_side('o', 'situacao')}))"
    new_state = f"upper(trim({_side('n', 'situacao')}))"
    situacao = ("'situacao'", _side("o", "situacao"), _side("n", "situacao"))
    old_cns, new_cns = comparable(_side("o", "cns"), "cns"), comparable(_side("n", "cns"), "cns")
    cns = ("'cns'", _side("o", "cns"), _side("n", "cns"))
    yield _row("appeared", "from_record_no IS NULL")
    yield _row("disappeared", "to_record_no IS NULL")
    yield _row("cancelled", f"{both} AND {old_state} = 'ATIVO' AND {new_state} = 'INATIVO'", situacao)
    yield _row("reactivated", f"{both} AND {old_state} = 'INATIVO' AND {new_state} = 'ATIVO'", situacao)
    yield _row("cns_assigned", f"{both} AND {old_cns} IS NULL AND {new_cns} IS NOT NULL", cns)
    yield _row("cns_changed", f"{both} AND {old_cns} <> {new_cns}", cns)
    yield _row("cns_removed", f"{both} AND {old_cns} IS NOT NULL AND {new_cns} IS NULL", cns)
    for column in FIELD_COLUMNS:
        old, new = _side("o", column), _side("n", column)
        changed = f"{comparable(old, column)} IS DISTINCT FROM {comparable(new, column)}"
        yield _row("field_changed", f"{both} AND {changed}", (f"'{column}'", old, new))


def changes_sql(pairs_sql: str) -> str:
    """Every change for the snapshot pairs `pairs_sql` yields (registroANS, from_file_id, to_file_id)."""
    return "WITH " + _joined_sql(pairs_sql) + "\nSELECT * FROM (" + " UNION ALL ".join(_branches()) + ")"


# The two latest conferences of every operator with at least two.
LATEST_PAIRS_SQL = """
SELECT newer.registroANS, older.file_id AS from_file_id, newer.file_id AS to_file_id
FROM cnx_snapshots newer
JOIN cnx_snapshots older ON older.registroANS IS NOT DISTINCT FROM newer.registroANS
                        AND older.snapshot_no = newer.snapshot_no - 1
WHERE newer.snapshot_no = (SELECT max(s.snapshot_no) FROM cnx_snapshots s
                           WHERE s.registroANS IS NOT DISTINCT FROM newer.registroANS)
"""


def changes_view_sql() -> str:
    return "CREATE OR REPLACE VIEW cnx_changes AS " + changes_sql(LATEST_PAIRS_SQL)


def pair_changes_sql(from_file_id: int, to_file_id: int) -> str:
    """The changes from one conference to another, as `cnx_changes_between` gives them.

    Readers use this rather than the macro stored in the workspace: a workspace opened
    read-only keeps the macro of the sibtui that created it.
    """
    pairs = (f"SELECT (SELECT registroANS FROM files WHERE file_id = {int(to_file_id)}) AS registroANS, "
             f"{int(from_file_id)} AS from_file_id, {int(to_file_id)} AS to_file_id")
    return changes_sql(pairs)


def changes_between_sql() -> str:
    """`cnx_changes_between(from_file_id, to_file_id)`: the same rows for any two conferences."""
    pairs = "SELECT (SELECT registroANS FROM files WHERE file_id = to_id) AS registroANS, " \
            "from_id AS from_file_id, to_id AS to_file_id"
    return "CREATE OR REPLACE MACRO cnx_changes_between(from_id, to_id) AS TABLE " + changes_sql(pairs)
