"""The workspace tables, derived from the element trees so there is one source of truth.

Record tables start with `file_id`, `record_no` (1-based position in its file) and `line`
(source line of the record's start tag); every value column is VARCHAR holding the text
exactly as written (NULL when the element is absent, '' when present but empty). The
README documents these tables; `sibtui.db.schema` turns them into DDL.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sibtui.catalog import shapes
from sibtui.catalog.fields import ALL_FIELDS
from sibtui.catalog.shapes import Node

RECORD_KEY_COLUMNS: tuple[str, ...] = ("file_id", "record_no", "line")


@dataclass(frozen=True)
class Table:
    """A record table: key columns, then text value columns."""

    name: str
    value_columns: tuple[str, ...]
    key_columns: tuple[str, ...] = RECORD_KEY_COLUMNS
    description: str = ""

    @property
    def columns(self) -> tuple[str, ...]:
        return self.key_columns + self.value_columns


def _canonical(columns: Iterable[str]) -> tuple[str, ...]:
    """Distinct column names in catalogue order, so every table lists fields alike."""
    wanted = set(columns)
    ordered = [field.name for field in ALL_FIELDS if field.name in wanted]
    return tuple(ordered)


def _shape_columns(shape: Node) -> tuple[str, ...]:
    attributes = tuple(attribute.field.name for attribute in shape.attributes)
    return attributes + tuple(node.column_name for node in shape.leaves())


SBX_MOVEMENTS = Table(
    "sbx_movements",
    ("movement",)
    + _canonical(column for shape in shapes.MOVEMENT_SHAPES.values() for column in _shape_columns(shape)),
    description="uma linha por movimento de SBX (inclusão, retificação, mudança, cancelamento, reativação)",
)

CNX_BENEFICIARIES = Table(
    "cnx_beneficiaries",
    _shape_columns(shapes.CNX_BENEFICIARIO),
    description="uma linha por beneficiário da conferência (CNX)",
)

# A transfer's records: the conference's columns (the same XSD types), plus the attribute
# `situacaoTransferencia` (1 transferido, 2 cancelado por duplicidade). `situacaoTransfrencia`
# (sic, a CNX child element) never occurs in a transfer and stays NULL.
TRANSFER_BENEFICIARIES = Table(
    "transfer_beneficiaries",
    CNX_BENEFICIARIES.value_columns + ("situacaoTransferencia",),
    description="uma linha por beneficiário de uma transferência de carteira",
)

RPX_REJECTIONS = Table(
    "rpx_rejections",
    ("error_no",) + _shape_columns(shapes.RPX_REJEITADO),
    description="uma linha por erro de cada registro rejeitado do RPX",
)

RPX_INCLUSIONS = Table(
    "rpx_inclusions",
    _shape_columns(shapes.RPX_INCLUIDO),
    description="inclusões aceitas e o CCO que a ANS atribuiu",
)

RPX_RESULTS = Table(
    "rpx_results",
    ("status",) + tuple(node.column_name for node in shapes.PROTOCOLO.leaves())
    + tuple(node.column_name for node in shapes.ARQUIVO_REJEITADO.leaves() if node.tag != "nomeArquivo"),
    key_columns=("file_id", "line"),
    description="protocolo do RPX, ou a rejeição do arquivo inteiro com o motivo",
)

RPX_TOTALS = Table(
    "rpx_totals",
    ("block_no", "movement") + tuple(node.column_name for node in shapes.COUNT_LEAVES),
    key_columns=("file_id", "line"),
    description="totais consolidados por tipo de movimento",
)

RPX_ERROR_TOTALS = Table(
    "rpx_error_totals",
    ("block_no",) + tuple(node.column_name for node in shapes.CONSOLIDADO.child("consolidadoErroProcessamento").leaves()),
    key_columns=("file_id", "line"),
    description="ocorrências por código de erro, como a ANS consolidou",
)

HEADER_FAILURES = Table(
    "header_failures",
    ("codigoFalha", "descricaoFalha"),
    key_columns=("file_id", "line"),
    description="cabecalho/falhaNegocio, quando presente",
)

RECORD_TABLES: tuple[Table, ...] = (
    SBX_MOVEMENTS,
    CNX_BENEFICIARIES,
    TRANSFER_BENEFICIARIES,
    RPX_REJECTIONS,
    RPX_INCLUSIONS,
    RPX_RESULTS,
    RPX_TOTALS,
    RPX_ERROR_TOTALS,
    HEADER_FAILURES,
)
TABLES_BY_NAME: dict[str, Table] = {table.name: table for table in RECORD_TABLES}

# One row per loaded file; the header columns come from the header's element tree.
FILES_COLUMNS: tuple[tuple[str, str], ...] = (
    ("file_id", "BIGINT PRIMARY KEY"),
    ("path", "VARCHAR"),
    ("name", "VARCHAR"),
    ("kind", "VARCHAR"),
    ("registroANS", "VARCHAR"),  # the operator: origem (SBX) or destino (RPX/CNX)
    *((column, "VARCHAR") for column in shapes.header_columns()),
    ("motivoNaoEnvioBeneficiarios", "VARCHAR"),
    ("hash_declared", "VARCHAR"),
    ("hash_computed", "VARCHAR"),  # §2 rule over ISO-8859-1 bytes
    ("hash_computed_utf8", "VARCHAR"),  # same rule over UTF-8 bytes (§2.3 caveat)
    ("hash_ok", "BOOLEAN"),
    ("hash_encoding", "VARCHAR"),  # which encoding matched, when one did
    ("record_count", "BIGINT"),
    ("size_bytes", "BIGINT"),
    ("sha256", "VARCHAR"),
    ("quick_fingerprint", "VARCHAR"),
    ("encoding", "VARCHAR"),
    ("loaded_at", "TIMESTAMP"),
    ("load_seconds", "DOUBLE"),
    # Added with the portfolio transfer (issue 23): `ALTER TABLE ... ADD COLUMN` on older
    # workspaces (`FILES_ADDED_COLUMNS`). `tab` of a transfer, and which side this operator is.
    *((column, "VARCHAR") for column in shapes.TAB_COLUMNS),
    ("transfer_side", "VARCHAR"),  # 'adquirente' | 'cedente' | NULL (not a transfer, or neither)
    # Added with issue 21: which parser read the file ('fast' xml2arrow | 'reference' lxml) and, when
    # the fast path was meant for it but handed it over, why (a slow load is never a silent one).
    ("load_path", "VARCHAR"),
    ("fast_path_declined", "VARCHAR"),
)
FILES_ADDED_COLUMNS: tuple[str, ...] = (*shapes.TAB_COLUMNS, "transfer_side", "load_path", "fast_path_declined")
FILES_COLUMN_NAMES: tuple[str, ...] = tuple(name for name, _ in FILES_COLUMNS)

LOAD_WARNINGS_COLUMNS: tuple[str, ...] = ("file_id", "line", "element", "message")

# The loaded file's own bytes (art. 12: the operator keeps the evidence; ANS deletes an RPX after
# three months), zstd-compressed in pieces, written in the load's transaction
# (`sibtui.ingest.originals`): `sibtui original` writes them back byte for byte.
ORIGINALS_TABLE = "file_originals"
ORIGINALS_COLUMNS: tuple[tuple[str, str], ...] = (
    ("file_id", "BIGINT"),
    ("piece_no", "BIGINT"),  # 1-based, in file order
    ("raw_bytes", "BIGINT"),  # size of the piece once decompressed
    ("codec", "VARCHAR"),  # 'zstd'
    ("data", "BLOB"),
)

# Findings of the local pre-critique (`sibtui check`): regenerated as a whole on demand.
# `record_no` is NULL for a file-level finding; `source_table` says which table the record
# is in (`sbx_movements`, `cnx_beneficiaries`, or `files` for file-level findings).
FINDINGS_COLUMNS: tuple[tuple[str, str], ...] = (
    ("file_id", "BIGINT"),
    ("record_no", "BIGINT"),
    ("source_table", "VARCHAR"),
    ("field", "VARCHAR"),
    ("rule", "VARCHAR"),
    ("severity", "VARCHAR"),  # 'error' | 'warning'
    ("message", "VARCHAR"),  # Portuguese, for the analyst
    ("value", "VARCHAR"),  # the value at fault, as stored
)

# Record tables as the analyst sees them after edits: `<table>_current` has the same
# columns, with the edit journal applied (until edits exist, the raw rows themselves).
CURRENT_VIEW_SUFFIX = "_current"
EDITABLE_TABLES: tuple[str, ...] = ("sbx_movements", "cnx_beneficiaries", "transfer_beneficiaries")
# Tables of ANS's view of the vínculos (a conference, a transfer): edits become movements.
CONFERENCE_TABLES: tuple[str, ...] = ("cnx_beneficiaries", "transfer_beneficiaries")
