"""The record tables' names and labels, importable without the catalogue: the Records
screen may be the first frame, and it needs nothing else to paint."""

from __future__ import annotations

SBX = "sbx_movements"
CNX = "cnx_beneficiaries"
TRANSFER = "transfer_beneficiaries"
RECORD_TABLES = (SBX, CNX, TRANSFER)
TABLE_LABELS = {SBX: "SBX movimentos", CNX: "CNX beneficiários", TRANSFER: "Transferência", "files": "arquivo"}
