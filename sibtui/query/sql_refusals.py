"""Why ad hoc SQL was refused: a kind, the names it is about, and the kind said in Portuguese.

The guard (`sibtui.query.sql_guard`, `masked_views`, the console's runner) words a refusal in
English: it is a program message, and `sibtui query` prints it on stderr, where scripts may
read it. The console's SQL screen is where an analyst meets it, so each refusal also carries
its kind and the names it quotes (the statement, a function, a table), and `in_portuguese`
says it from the table `PORTUGUESE`, keyed by that kind. Translating the English text would
break silently the day a sentence is reworded; a kind cannot be missed (the tests walk them all).

DuckDB's own failures (syntax, an unknown column, table or function, a value that does not
convert) have no kind of sibtui's: `FAILURES` reads their kind from DuckDB's line, and the
console leads with a Portuguese line from `PORTUGUESE_FAILURES`, keeping DuckDB's line after it
(a reworded DuckDB line just loses its Portuguese lead). `sibtui query` prints DuckDB's line only.
"""

from __future__ import annotations

import re
from enum import Enum

from sibtui import privacy
from sibtui.errors import SibError


class QueryError(SibError):
    """DuckDB refused or failed a query, or sibtui refused to run it; one line."""


class RefusalKind(str, Enum):
    EMPTY = "empty"
    UNKNOWN_STATEMENT = "unknown_statement"
    READ_ONLY = "read_only"  # a statement that writes
    WRITE_INSIDE = "write_inside"  # an INSERT/UPDATE/DELETE inside a SELECT (a CTE)
    WOULD_WRITE = "would_write"  # the transaction caught a write the guard let through
    ATTACH = "attach"
    DETACH = "detach"
    FILES = "files"  # COPY, EXPORT
    COPY_DATABASE = "copy_database"
    EXTENSIONS = "extensions"
    STORAGE = "storage"  # VACUUM, ANALYZE
    PREPARED = "prepared"  # PREPARE, EXECUTE
    HIDDEN_STATEMENTS = "hidden_statements"  # PIVOT without IN
    NOT_ALLOWED = "not_allowed"  # a statement type with no reason of its own
    EXPLAIN_UNREADABLE = "explain_unreadable"
    EXPLAIN_ANALYZE_MASKED = "explain_analyze_masked"
    SETTING = "setting"
    SETTING_VALUE = "setting_value"
    PRAGMA = "pragma"
    STATISTICS_MASKED = "statistics_masked"
    WRITE_MASKED = "write_masked"
    OWN_TABLE = "own_table"
    DDL_UNREADABLE = "ddl_unreadable"
    INDEX_UNREADABLE = "index_unreadable"
    UNCHECKABLE_READ = "uncheckable_read"
    UNCHECKABLE_WRITE = "uncheckable_write"
    FILE_FUNCTION = "file_function"
    FILE_ACCESS = "file_access"  # DuckDB's own wall: external access is off
    STATE_FUNCTION = "state_function"
    STATE_FUNCTION_MASKED = "state_function_masked"
    TABLE_FUNCTION = "table_function"
    MASK_MACRO = "mask_macro"
    MASK_QUALIFIED = "mask_qualified"
    MASK_FOREIGN_TABLE = "mask_foreign_table"
    MASK_CTE = "mask_cte"


class Refusal(QueryError):
    """sibtui refused a statement: `str()` is the English line, `kind` and `names` say it again."""

    def __init__(self, kind: RefusalKind, message: str, **names: str) -> None:
        super().__init__(message)
        self.kind = kind
        self.names = names


_READ_ONLY = ("o SQL avulso só lê (os arquivos carregados e o diário de edições são evidência); "
              "corrija registros com e (Editar) ou `sibtui fix`")
_MASKED = "recusado com a máscara ligada"

# Placeholders: {statement} (the statement, as typed: DELETE, SET threads, PRAGMA x...),
# {name} (a function, a table), {detail} (DuckDB's own line, left as DuckDB wrote it).
PORTUGUESE: dict[RefusalKind, str] = {
    RefusalKind.EMPTY: "consulta vazia",
    RefusalKind.UNKNOWN_STATEMENT: "{statement} recusado: um tipo de comando que o sibtui não conhece",
    RefusalKind.READ_ONLY: "{statement} recusado: " + _READ_ONLY,
    RefusalKind.WRITE_INSIDE: "{statement} dentro da consulta recusado: " + _READ_ONLY,
    RefusalKind.WOULD_WRITE: "recusado: o comando mudaria o workspace; " + _READ_ONLY,
    RefusalKind.ATTACH: "{statement} recusado: o SQL não abre outros bancos nem arquivos",
    RefusalKind.DETACH: "{statement} recusado: o SQL não fecha os bancos do workspace",
    RefusalKind.FILES: "{statement} recusado: o SQL não lê nem grava arquivos (exporte o resultado com x)",
    RefusalKind.COPY_DATABASE: "{statement} recusado: o SQL não copia o workspace",
    RefusalKind.EXTENSIONS: "{statement} recusado: o SQL não instala nem carrega extensões",
    RefusalKind.STORAGE: "{statement} recusado: o SQL não muda o armazenamento do workspace",
    RefusalKind.PREPARED: "{statement} recusado: um comando preparado rodaria depois, sem verificação; "
                          "escreva a própria consulta",
    RefusalKind.HIDDEN_STATEMENTS: "recusado: este comando roda outros, escondidos (PIVOT sem IN: liste os "
                                   "valores, PIVOT ... ON x IN (...))",
    RefusalKind.NOT_ALLOWED: "{statement} recusado: o SQL avulso não roda este comando",
    RefusalKind.EXPLAIN_UNREADABLE: "EXPLAIN recusado: o sibtui não conseguiu ler o comando explicado; "
                                    "escreva EXPLAIN SELECT ...",
    RefusalKind.EXPLAIN_ANALYZE_MASKED: f"EXPLAIN ANALYZE {_MASKED}: o perfil pode mostrar valores que a consulta leu",
    RefusalKind.SETTING: "{statement} recusado: o SQL avulso não muda as configurações do workspace (memória, "
                         "threads, checkpoints, perfil, search path); SET VARIABLE e SET TimeZone rodam",
    RefusalKind.SETTING_VALUE: "{statement} recusado: o sibtui não conseguiu ler o valor (escreva SET nome = valor)",
    RefusalKind.PRAGMA: "{statement} recusado: com PRAGMA/CALL o SQL avulso só lê o catálogo (table_info, "
                        "show_tables, database_size, version...); não muda configurações nem faz checkpoint ou perfil",
    RefusalKind.STATISTICS_MASKED: f"{{statement}} {_MASKED}: as estatísticas de armazenamento guardam valores "
                                   "mínimos e máximos",
    RefusalKind.WRITE_MASKED: f"{{statement}} {_MASKED}: com a máscara o SQL só lê (desligue-a para gravar)",
    RefusalKind.OWN_TABLE: "{statement} {name} recusado: as tabelas do sibtui são evidência ou o diário do analista; "
                           "o modo de escrita muda só tabelas que você criou (corrija registros com `sibtui fix`)",
    RefusalKind.DDL_UNREADABLE: "{statement} recusado: o modo de escrita muda tabelas, views, sequências, macros, "
                                "índices e tipos que você criou, com o nome escrito por extenso",
    RefusalKind.INDEX_UNREADABLE: "{statement} recusado: o sibtui não conseguiu ler qual tabela ele indexa",
    RefusalKind.UNCHECKABLE_READ: "{statement} recusado: o sibtui não conseguiu verificar o que ele lê ({detail})",
    RefusalKind.UNCHECKABLE_WRITE: "{statement} recusado: o sibtui não conseguiu verificar o que ele grava",
    RefusalKind.FILE_FUNCTION: "{name}() recusado: o SQL não lê nem grava arquivos (carregue arquivos SIB com "
                               "Abrir arquivo, o, ou `sibtui load`)",
    RefusalKind.FILE_ACCESS: "recusado: o SQL não lê nem grava arquivos (exporte o resultado com x; carregue "
                             "arquivos SIB com Abrir arquivo, o)",
    RefusalKind.STATE_FUNCTION: "{name}() recusado: muda o workspace ou roda SQL que o sibtui não verificou",
    RefusalKind.STATE_FUNCTION_MASKED: f"{{name}}() {_MASKED}: mostra valores que as tabelas mascaradas escondem",
    RefusalKind.TABLE_FUNCTION: "{name}() recusado: o SQL avulso lê tabelas, geradores (range, unnest) e o catálogo "
                                "(duckdb_tables...); esta função pode mudar o estado ou rodar SQL não verificado",
    RefusalKind.MASK_MACRO: f"{{name}}() {_MASKED}: o sibtui não consegue mascarar o que uma macro lê",
    RefusalKind.MASK_QUALIFIED: f"{{statement}} {_MASKED}: escreva só o nome da tabela ({{name}}), para ler a "
                                "versão mascarada",
    RefusalKind.MASK_FOREIGN_TABLE: f"{{name}} {_MASKED}: uma tabela que o sibtui não criou; o sibtui mascara só "
                                    "as próprias tabelas",
    RefusalKind.MASK_CTE: f"{{name}} {_MASKED}: uma CTE com o nome de uma tabela; o sibtui mascara só as "
                          "próprias tabelas",
}


class FailureKind(str, Enum):
    """The common ways DuckDB itself fails a query the guard let through."""

    SYNTAX = "syntax"
    SYNTAX_END = "syntax_end"
    UNKNOWN_COLUMN = "unknown_column"
    UNKNOWN_TABLE = "unknown_table"
    UNKNOWN_FUNCTION = "unknown_function"
    CONVERSION = "conversion"
    NOT_A_DATE = "not_a_date"


# DuckDB's own line (as `error_line` left it: quoted values already '…') -> its kind and names.
# DuckDB words these in English and may reword them: a line no pattern reads is shown as written.
FAILURES: list[tuple[re.Pattern[str], FailureKind]] = [
    (re.compile(r'^Parser Error: syntax error at or near (?P<name>"[^"]*")'), FailureKind.SYNTAX),
    (re.compile(r"^Parser Error: syntax error at end of input"), FailureKind.SYNTAX_END),
    (re.compile(r'^Binder Error: Referenced column (?P<name>"[^"]*") not found'), FailureKind.UNKNOWN_COLUMN),
    (re.compile(r'^Binder Error: .* does not have a column named (?P<name>"[^"]*")'), FailureKind.UNKNOWN_COLUMN),
    (re.compile(r"^Catalog Error: Table with name (?P<name>\S+) does not exist"), FailureKind.UNKNOWN_TABLE),
    (re.compile(r"^Catalog Error: \w+ Function with name (?P<name>\S+) does not exist"),
     FailureKind.UNKNOWN_FUNCTION),
    (re.compile(r"^Conversion Error: Could not convert \w+ (?P<value>'[^']*') to (?P<type>\w+)"),
     FailureKind.CONVERSION),
    (re.compile(r"^Conversion Error: (?:invalid date field format|date field value out of range): "
                r"(?P<value>'[^']*')"), FailureKind.NOT_A_DATE),
]
_SOURCE_COLUMN = re.compile(r"when casting from source column (?P<column>\S+)")

PORTUGUESE_FAILURES: dict[FailureKind, str] = {
    FailureKind.SYNTAX: "Erro de sintaxe perto de {name}",
    FailureKind.SYNTAX_END: "Erro de sintaxe: a consulta acaba antes do fim",
    FailureKind.UNKNOWN_COLUMN: "Coluna {name} não existe",
    FailureKind.UNKNOWN_TABLE: "Tabela {name} não existe",
    FailureKind.UNKNOWN_FUNCTION: "Função {name}() não existe",
    FailureKind.CONVERSION: "Valor {value} não converte para {type}{column}",
    FailureKind.NOT_A_DATE: "Valor {value} não é uma data (AAAA-MM-DD){column}",
}


def in_portuguese(error: Exception, masked: bool = False) -> str:
    """What the console says: a refusal from `PORTUGUESE`; a common DuckDB failure led by its
    Portuguese line from `PORTUGUESE_FAILURES`, DuckDB's own line after it; anything else as written.

    Both lines go through the privacy scrub once more (quoted values out; CPFs, CNSs and dates
    too in mask mode): the names come from DuckDB's line, which quotes what the query met."""
    if isinstance(error, Refusal):
        return PORTUGUESE[error.kind].format_map(_Names(error.names)).strip()
    line = privacy.redact_message(str(error))
    lead = _failure_in_portuguese(line)
    said = line if lead is None else f"{lead}\n{line}"
    return privacy.mask_free_text(said) if masked else said


def _failure_in_portuguese(line: str) -> str | None:
    for pattern, kind in FAILURES:
        found = pattern.search(line)
        if found is not None:
            names = _Names(found.groupdict())
            column = _SOURCE_COLUMN.search(line)
            names["column"] = f" (coluna {column['column']})" if column else ""
            return PORTUGUESE_FAILURES[kind].format_map(names)
    return None


class _Names(dict):
    """A name the refusal did not quote is left out rather than failing the message."""

    def __missing__(self, key: str) -> str:
        return ""
