"""File-level rules of the SBX files we send: what makes ANS refuse a whole file (§4.3).

One SELECT per rule over `files` (SBX only: RPX and CNX are ANS's files), with
`record_no` NULL. The header's registro ANS goes through the same value checks as any
field (`pattern_invalid`, `registro_ans_invalid`).
"""

from __future__ import annotations

import datetime as dt

from sibtui.catalog import domains
from sibtui.rules.field_sql import column_select, domain_checks, literal
from sibtui.rules.fields import field_label

ANS_CNPJ = "03589068000146"
MAX_MOVEMENTS = 100_000  # ANS-PDF §10.2; rejection code 21
ACCEPTED_VERSIONS = ("1.1", "1.2")
SBX_NAME = r"[0-9]{20}\.[Ss][Bb][Xx]"


def _select(rule: str, field: str, where: str, message: str, value: str) -> str:
    return (
        f"SELECT file_id, NULL::BIGINT AS record_no, {literal(field)} AS field, {literal(rule)} AS rule, "
        f"{message} AS message, {value} AS value FROM files WHERE kind = 'SBX' AND ({where})"
    )


def file_selects(today: dt.date) -> list[str]:
    registro = '"origem_registroANS"'
    name_date = "TRY_STRPTIME(substr(name, 7, 14), '%Y%m%d%H%M%S')"
    registro_checks = [(f"{registro} IS NULL", "", "")] + domain_checks(domains.REGISTRO_ANS, registro, today)
    return [
        _select("hash_mismatch", "hash", "hash_ok IS NOT TRUE",
                "'Hash do epílogo: declarado ' || coalesce(hash_declared, '(nenhum)') || ', calculado ' "
                "|| coalesce(hash_computed, '?')", "hash_declared"),
        _select("registro_ans_missing", "registroANS", f"{registro} IS NULL",
                literal("Registro ANS: origem/registroANS não informado no cabeçalho"), "NULL"),
        column_select("files", "origem_registroANS", registro_checks, "kind = 'SBX'", field="registroANS",
                      record_no="NULL::BIGINT"),
        _select("registro_ans_name_mismatch", "registroANS",
                f"regexp_full_match(name, '[0-9]{{6}}.*') AND substr(name, 1, 6) IS DISTINCT FROM {registro}",
                f"'Registro ANS: o nome do arquivo diz ' || substr(name, 1, 6) || ', o cabeçalho diz ' "
                f"|| coalesce({registro}, '(nenhum)')", registro),
        _select("file_name_invalid", "name", f"NOT regexp_full_match(name, '{SBX_NAME}') OR {name_date} IS NULL",
                literal("Nome do arquivo: use XXXXXXAAAAMMDDHHMMSS.SBX (registro ANS + data e hora de geração)"),
                "name"),
        _select("destino_cnpj_invalid", "cnpj", f"destino_cnpj IS DISTINCT FROM '{ANS_CNPJ}'",
                literal(f"CNPJ de destino: deve ser o da ANS, {ANS_CNPJ}"), "destino_cnpj"),
        _select("versao_padrao_invalid", "versaoPadrao",
                f"versaoPadrao IS NULL OR versaoPadrao NOT IN ({', '.join(map(literal, ACCEPTED_VERSIONS))})",
                literal(f"{field_label('versaoPadrao')}: use 1.1"), "versaoPadrao"),
        _select("versao_padrao_unconfirmed", "versaoPadrao", "versaoPadrao = '1.2'",
                literal(f"{field_label('versaoPadrao')}: 1.2 não está confirmada pela ANS; prefira 1.1"),
                "versaoPadrao"),
        _select("too_many_movements", "record_count", f"record_count > {MAX_MOVEMENTS}",
                f"'Arquivo com ' || record_count || ' movimentos; o máximo por arquivo é {MAX_MOVEMENTS}'",
                "record_count::VARCHAR"),
    ]
