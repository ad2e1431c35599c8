"""0410: an inclusão that duplicates an active vínculo, in the file or at ANS.

ANS refuses an inclusão when an active vínculo already has the same person, the same plan
and the same contractor (`criticas.md` 0410). The person is told by the first identifier
the inclusão carries: CPF, else CNS, else PIS/PASEP, else the mother's name — as operators'
own pre-critiques do. ANS records without a contractor match any contractor (CABERJ found
ANS criticising those). Inside one file ANS processes in order, so only the *later*
inclusions of a repeated person are duplicates: the first one goes in.

A match by the mother's name alone is a warning: siblings share it, and the spec is [M]; it
is looked for among the active vínculos ANS itself can tell by nothing else (no CPF, CNS, PIS).
"""

from __future__ import annotations

from functools import partial

from sibtui.rules.context import CheckContext
from sibtui.rules.fields import field_label

KEY_COLUMNS = {"cpf": "cpf", "cns": "cns", "pis": "pisPasep", "mae": "nomeMae"}
KIND_WORDS = {"cpf": "CPF", "cns": "CNS", "pis": "PIS/PASEP", "mae": "nome da mãe"}


def normalized_name(value: str) -> str:
    """A person's name as compared: upper case, no accents, single spaces."""
    return f"regexp_replace(upper(strip_accents(trim({value}))), ' +', ' ', 'g')"


def _key(alias: str) -> tuple[str, str]:
    kind = " ".join(f"WHEN {alias}.{column} IS NOT NULL THEN '{kind}'" for kind, column in KEY_COLUMNS.items())
    value = " ".join(
        f"WHEN {alias}.{column} IS NOT NULL THEN "
        f"{normalized_name(f'{alias}.{column}') if kind == 'mae' else f'{alias}.{column}'}"
        for kind, column in KEY_COLUMNS.items()
    )
    return f"CASE {kind} END", f"CASE {value} END"


def plan_key(alias: str, *, formatted: bool = True) -> str:
    """The plan of a vínculo: the RPS by its digits, else the SCPA code. `formatted` False: the RPS
    is taken as written (an SBX's must be 9 digits to pass the XSD; only a CNX carries `NNN.NNN/NN-N`)."""
    rps = (f"nullif(regexp_replace(trim({alias}.numeroPlanoANS), '[^0-9]', '', 'g'), '')" if formatted
           else f"{alias}.numeroPlanoANS")
    return f"coalesce({rps}, 'scpa:' || trim({alias}.numeroPlanoOperadora))"


def contractor_key(alias: str) -> str:
    return f"coalesce({alias}.cnpjEmpresaContratante, {alias}.ceiEmpresaContratante, {alias}.caepfEmpresaContratante)"


def cnx_identities_sql(ctx: CheckContext, cursor) -> str:
    """Active vínculos of the reference CNX (made before the SBX) by every identifier an inclusion
    looks for: one scan of the conference per kind of identifier the inclusions use."""
    used = {kind for (kind,) in cursor.execute(f"SELECT DISTINCT key_kind FROM {ctx.inclusion_keys}").fetchall()}
    selects = ["SELECT NULL::BIGINT AS cnx_file_id, NULL AS kind, NULL AS value, NULL AS plan, NULL AS contractor, "
               "NULL AS cco WHERE FALSE"]
    for kind, column in ((kind, column) for kind, column in KEY_COLUMNS.items() if kind in used):
        value = normalized_name(f"c.{column}") if kind == "mae" else f"c.{column}"
        # By the mother's name only vínculos ANS can tell by nothing else: the name is normalised
        # on those few rows, not on the whole conference.
        alone = " AND c.cpf IS NULL AND c.cns IS NULL AND c.pisPasep IS NULL" if kind == "mae" else ""
        selects.append(
            f"SELECT c.file_id AS cnx_file_id, '{kind}' AS kind, {value} AS value, {plan_key('c')} AS plan, "
            f"{contractor_key('c')} AS contractor, c.cco FROM (SELECT * FROM {ctx.cnx_current} c "
            f"WHERE c.file_id IN (SELECT ref_cnx FROM {ctx.sbx_files} WHERE ref_predates) AND c.situacao = 'ATIVO'{alone}) c "
            f"WHERE {value} IN (SELECT key_value FROM {ctx.inclusion_keys} WHERE key_kind = '{kind}')"
        )
    return f"CREATE OR REPLACE TEMP TABLE {ctx.cnx_identities} AS " + "\nUNION ALL\n".join(selects)


def helper_tables_sql(ctx: CheckContext) -> tuple:
    """The inclusions' identities, those of the reference CNX's active vínculos, and the duplicates."""
    kind, value = _key("m")
    return (
        f"""CREATE OR REPLACE TEMP TABLE {ctx.inclusion_keys} AS
        SELECT *, min(record_no) OVER (PARTITION BY file_id, key_kind, key_value, plan, contractor) AS first_record_no
        FROM (SELECT m.file_id, m.record_no, m.ref_cnx, m.ref_predates, {kind} AS key_kind, {value} AS key_value,
                     {plan_key('m', formatted=False)} AS plan, {contractor_key('m')} AS contractor
              FROM {ctx.moves} m WHERE m.movement = 'inclusao')
        WHERE key_kind IS NOT NULL""",
        partial(cnx_identities_sql, ctx),
        f"""CREATE OR REPLACE TEMP TABLE {ctx.duplicates} AS
       SELECT k.file_id, k.record_no, k.key_kind, nullif(k.first_record_no, k.record_no) AS earlier_record_no,
              min(x.cco) AS cnx_cco
       FROM {ctx.inclusion_keys} k
       LEFT JOIN {ctx.cnx_identities} x ON x.cnx_file_id = k.ref_cnx AND k.ref_predates AND x.kind = k.key_kind
            AND x.value = k.key_value AND x.plan IS NOT DISTINCT FROM k.plan
            AND (x.contractor IS NOT DISTINCT FROM k.contractor OR x.contractor IS NULL)
       GROUP BY ALL
       HAVING earlier_record_no IS NOT NULL OR cnx_cco IS NOT NULL""",
    )


KIND_FIELDS = " ".join(f"WHEN '{kind}' THEN '{column}'" for kind, column in KEY_COLUMNS.items())


def _message() -> str:
    labels = " ".join(f"WHEN '{kind}' THEN '{field_label(column)}'" for kind, column in KEY_COLUMNS.items())
    words = " ".join(f"WHEN '{kind}' THEN '{KIND_WORDS[kind]}'" for kind in KEY_COLUMNS)
    label, word = f"(CASE d.key_kind {labels} END)", f"(CASE d.key_kind {words} END)"
    return (f"CASE WHEN d.cnx_cco IS NOT NULL THEN {label} || ': já existe vínculo ativo na ANS com o mesmo ' || "
            f"{word} || ', plano e contratante (CCO ' || d.cnx_cco || ')' "
            f"ELSE {label} || ': repete a inclusão do registro ' || d.earlier_record_no || ' deste arquivo (mesmo ' "
            f"|| {word} || ', plano e contratante)' END")


def duplicate_selects(ctx: CheckContext) -> list[str]:
    """One pass over the few duplicates: the rule by the identifier that matched (and, for a CPF,
    whether the inclusion is a titular's); the field is that identifier."""
    rule = ("CASE WHEN d.key_kind = 'mae' THEN 'duplicate_by_mother_name' "
            "WHEN d.key_kind = 'cpf' AND m.relacao = 1 THEN 'cpf_duplicate_titular' "
            "ELSE 'duplicate_active_vinculo' END")
    value = " ".join(f"WHEN '{kind}' THEN m.{column}" for kind, column in KEY_COLUMNS.items())
    return [
        f"SELECT m.file_id, m.record_no, CASE d.key_kind {KIND_FIELDS} END AS field, {rule} AS rule, "
        f"{_message()} AS message, CASE d.key_kind {value} END AS value "
        f"FROM {ctx.duplicates} d JOIN {ctx.moves} m ON m.file_id = d.file_id AND m.record_no = d.record_no"
    ]
