"""The kinds of SIB file (SBX, RPX, CNX and the portfolio transfer) and the five SBX movements."""

from __future__ import annotations

from enum import Enum


class FileKind(str, Enum):
    """What a SIB file is, decided from its content (§1.0), never from its name."""

    SBX = "SBX"  # operator -> ANS: movements (or a no-movement declaration)
    RPX = "RPX"  # ANS -> operator: processing result
    CNX = "CNX"  # ANS -> operator: conference of every registered vínculo
    TRF = "TRF"  # ANS -> operator: portfolio transfer (`transferencia`), acquirer's or ceding side

    @property
    def description(self) -> str:
        return _KIND_DESCRIPTIONS[self]


_KIND_DESCRIPTIONS = {
    FileKind.SBX: "arquivo de atualização (operadora → ANS)",
    FileKind.RPX: "resultado do processamento (ANS → operadora)",
    FileKind.CNX: "conferência cadastral (ANS → operadora)",
    FileKind.TRF: "transferência de carteira (ANS → operadora)",
}


class Movement(str, Enum):
    """An SBX movement: its XML element name is its value; `code` is `codigoTipoMovimento`."""

    INCLUSAO = "inclusao"
    RETIFICACAO = "retificacao"
    MUDANCA_CONTRATUAL = "mudancaContratual"
    CANCELAMENTO = "cancelamento"
    REATIVACAO = "reativacao"

    @property
    def code(self) -> int:
        return _MOVEMENT_CODES[self]

    @property
    def label(self) -> str:
        return _MOVEMENT_LABELS[self]

    @classmethod
    def from_code(cls, code: str | int | None) -> "Movement | None":
        """Movement for a `codigoTipoMovimento`, compared numerically (`01` is 1, §1.5)."""
        try:
            number = int(str(code).strip())
        except (TypeError, ValueError):
            return None
        return _MOVEMENTS_BY_CODE.get(number)


# ANS asks for this order inside a file (ANS-PDF §10), and the codes of st_cd_tipo_movimento.
_MOVEMENT_CODES = {
    Movement.INCLUSAO: 1,
    Movement.RETIFICACAO: 2,
    Movement.MUDANCA_CONTRATUAL: 3,
    Movement.CANCELAMENTO: 4,
    Movement.REATIVACAO: 5,
}
_MOVEMENT_LABELS = {
    Movement.INCLUSAO: "Inclusão",
    Movement.RETIFICACAO: "Retificação",
    Movement.MUDANCA_CONTRATUAL: "Mudança contratual",
    Movement.CANCELAMENTO: "Cancelamento",
    Movement.REATIVACAO: "Reativação",
}
_MOVEMENTS_BY_CODE = {code: movement for movement, code in _MOVEMENT_CODES.items()}

# Order in which ANS asks movements to appear in an SBX (ANS-PDF §10).
SUBMISSION_ORDER: tuple[Movement, ...] = (
    Movement.INCLUSAO,
    Movement.RETIFICACAO,
    Movement.MUDANCA_CONTRATUAL,
    Movement.CANCELAMENTO,
    Movement.REATIVACAO,
)
