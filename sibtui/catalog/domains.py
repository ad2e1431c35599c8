"""Value domains of the SIB XML format: the XSD simple types, as data.

Each `Domain` mirrors one `st_*` type of the ANS schema (`sib-format.md` §1.4) so that the
validator, the editor and the writer agree on what a value may be. Values are always kept
as the text written in the file; a domain describes that text, it never converts it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum


class Base(Enum):
    """XSD base type, which decides how whitespace and comparison work (§1.5)."""

    STRING = "string"  # whitespace preserved; patterns and enums compare the literal text
    INTEGER = "integer"  # whitespace collapsed, compared by numeric value (`01` == `1`)
    DATE = "date"  # AAAA-MM-DD, optional timezone tolerated on read
    DATETIME = "datetime"
    DOUBLE = "double"


# The name repertoire of `st_no_pessoa`: letters, the listed accented letters, apostrophe, space.
NAME_CHARACTERS = (
    "a-zA-Z"
    "ãÃáÁàÀâÂäÄéÉèÈêÊëËÚúíÍóÓõÕôÔöÖüÜñÑçÇ"
    "' "
)


@dataclass(frozen=True)
class Domain:
    """One XSD simple type: base, size, pattern, enumeration with pt-BR labels, check digit."""

    name: str
    base: Base
    pattern: str | None = None  # XSD pattern, also a valid Python `re.fullmatch` pattern
    min_length: int | None = None
    max_length: int | None = None
    values: dict[str, str] = field(default_factory=dict)  # code -> pt-BR label
    min_date: str | None = None  # minInclusive for dates
    check: str | None = None  # name of the check-digit rule in `sibtui.rules.check_digits`
    description: str = ""

    @property
    def size(self) -> int | None:
        """Largest number of characters a value may have, when the schema bounds it."""
        if self.max_length is not None:
            return self.max_length
        if self.pattern and self.pattern.startswith("[0-9]{"):
            return int(self.pattern[len("[0-9]{") : -1])
        if self.base is Base.DATE:
            return 10
        if self.values:
            return max(len(code) for code in self.values)
        return None

    def label_for(self, value: str | None) -> str | None:
        """pt-BR label of an enumerated value, comparing integers by value (§1.5)."""
        if value is None or not self.values:
            return None
        key = value.strip()
        if self.base is Base.INTEGER and key.lstrip("+-").isdigit():
            key = str(int(key))
        return self.values.get(key)


def _digits(name: str, count: int, check: str | None = None, description: str = "") -> Domain:
    return Domain(name, Base.STRING, pattern=f"[0-9]{{{count}}}", check=check, description=description)


def _text(name: str, min_length: int | None, max_length: int | None, description: str = "") -> Domain:
    return Domain(name, Base.STRING, min_length=min_length, max_length=max_length, description=description)


def _date(name: str, min_date: str) -> Domain:
    return Domain(name, Base.DATE, min_date=min_date)


def _enum(name: str, base: Base, values: dict[str, str]) -> Domain:
    return Domain(name, base, values=values)


CCO = _digits("st_cd_cco", 12, check="cco", description="10 dígitos + 2 dígitos verificadores")
CODIGO_BENEFICIARIO = _text("st_cd_beneficiario_operadora", 1, 30, "código do beneficiário na operadora")
CPF = _digits("st_nr_cpf", 11, check="cpf")
DN = _digits("st_nr_dn", 11, description="Declaração de Nascido Vivo")
PIS_PASEP = _digits("st_nr_pis_pasep", 11, check="pis")
CNS = _digits("st_nr_cartao_nacional_saude", 15, check="cns")
CNPJ = _digits("st_nr_cnpj", 14, check="cnpj")
CEI = _digits("st_nr_cei", 12, check="cei")
CAEPF = _digits("st_nr_caepf", 14, check="caepf")
REPAD = _digits("st_cd_repad", 20, description="procedimento administrativo (significado não documentado)")
PESSOA = Domain(
    "st_no_pessoa",
    Base.STRING,
    pattern=f"[{NAME_CHARACTERS}]*",
    min_length=3,
    max_length=70,
    description="letras, acentos permitidos, apóstrofo e espaço",
)
FREE_TEXT = Domain("xsd:string", Base.STRING)
DATA_NASCIMENTO = _date("st_dt_nascimento", "1890-01-01")
DATA_ADESAO = _date("st_dt_adesao", "1940-01-01")
DATA_CANCELAMENTO = _date("st_dt_cancelamento", "1940-01-01")
DATA_REATIVACAO = _date("st_dt_reativacao", "1940-01-01")
DATA_PRIMEIRA_CONTRATACAO = _date("st_dt_primeira_contratacao", "1940-01-01")
DATA_EXECUCAO_PROCESSO = _date("st_dt_execucao_processo", "1940-01-01")
DATA_EFETIVA_TRANSFERENCIA = _date("st_dt_efetiva_transferencia", "1940-01-01")
DATETIME = Domain("xsd:dateTime", Base.DATETIME)
DOUBLE = Domain("xsd:double", Base.DOUBLE)
INTEGER = Domain("xsd:integer", Base.INTEGER)
LOGRADOURO = _text("st_no_logradouro", 1, 50)
NUMERO_LOGRADOURO = _text("st_nr_logradouro", 1, 5)
COMPLEMENTO = _text("st_no_complemento_logradouro", 0, 15)
BAIRRO = _text("st_no_bairro", 1, 30)
MUNICIPIO = Domain(
    "st_cd_municipio_ibge",
    Base.STRING,
    pattern="[0-9]{6}",
    check="ibge",
    description="código IBGE do município sem o dígito verificador (6 dígitos)",
)
CEP = _digits("st_nr_cep", 8)
PLANO_RPS = _digits("st_nr_plano_rps", 9, description="registro do plano na ANS (RPS)")
PLANO_OPERADORA = _text("st_nr_plano_operadora", 1, 20, "código SCPA de plano anterior à Lei 9.656/98")
REGISTRO_ANS = _digits("st_nr_registro_ans", 6, check="registro_ans")
HASH = _text("st_hash", 1, None)
CODIGO_CAMPO = _digits("st_cd_campo", 2)
DESCRICAO_CAMPO = _text("st_no_campo", 1, 70)
CODIGO_ERRO = _digits("st_cd_erro", 4)
MENSAGEM_ERRO = _text("st_no_erro", 1, 200)

SEXO = _enum("st_cd_sexo", Base.INTEGER, {"1": "Masculino", "3": "Feminino"})
TIPO_ENDERECO = _enum("st_tp_endereco", Base.STRING, {"1": "Comercial (profissional)", "2": "Residencial"})
RESIDE_EXTERIOR = _enum(
    "st_in_reside_exterior", Base.INTEGER, {"0": "Não reside no exterior", "1": "Reside no exterior"}
)
COBERTURA_PARCIAL = _enum("st_in_cobertura_parcial_temporaria", Base.INTEGER, {"0": "Não possui CPT", "1": "Possui CPT"})
ITENS_EXCLUIDOS = _enum(
    "st_in_itens_excluidos_cobertura", Base.INTEGER, {"0": "Não possui itens excluídos", "1": "Possui itens excluídos"}
)
RELACAO_DEPENDENCIA = _enum(
    "st_cd_tipo_relacao_dependencia",
    Base.INTEGER,
    {
        "1": "Beneficiário titular",
        "3": "Cônjuge/companheiro",
        "4": "Filho/filha",
        "6": "Enteado/enteada",
        "8": "Pai/mãe",
        "10": "Agregado/outros",
    },
)
MOTIVO_CANCELAMENTO = _enum(
    "st_cd_motivo_cancelamento",
    Base.INTEGER,
    {
        "41": "Rompimento do contrato por iniciativa do beneficiário",
        "42": "Desligamento da empresa (planos coletivos)",
        "43": "Inadimplência",
        "44": "Óbito",
        "46": "Inclusão indevida de beneficiário",
        "47": "Fraude (art. 13 da Lei 9.656/98)",
        "48": "Portabilidade de carências",
    },
)
MOTIVO_NAO_ENVIO = _enum(
    "st_cd_motivo_nao_envio_beneficiarios",
    Base.INTEGER,
    {
        "61": "Inexistência de beneficiários na competência",
        "62": "Inexistência de atualização cadastral na competência",
    },
)
TIPO_MOVIMENTO = _enum(
    "st_cd_tipo_movimento",
    Base.INTEGER,
    {
        "1": "Inclusão",
        "2": "Retificação",
        "3": "Mudança contratual",
        "4": "Cancelamento",
        "5": "Reativação",
        "6": "Sem movimentação",
    },
)
MOTIVO_REJEICAO_ARQUIVO = _enum(
    "st_cd_erro_rejeicao_arquivo",
    Base.INTEGER,
    {
        "16": "Arquivo não valida contra o XSD",
        "17": "Registro ANS de origem não informado",
        "18": "Registro ANS incoerente",
        "19": "Operadora com registro inativo",
        "20": "Hash do epílogo inválido",
        "21": "Quantidade de registros acima da permitida",
        "22": "CNPJ da ANS não informado",
        "23": "CNPJ da ANS incorreto",
        "24": "Versão do padrão incorreta",
        "26": "Nome do arquivo inválido",
    },
)
# `1.2` appears in one 2026 copy of the XSD only [L]: accepted on read, flagged by the checker.
VERSAO_PADRAO = _enum("st_nr_versao", Base.STRING, {"1.1": "Versão 1.1", "1.2": "Versão 1.2 [L]"})
SITUACAO_CNX = _enum("situacao", Base.STRING, {"ATIVO": "Ativo", "INATIVO": "Inativo"})
SITUACAO_TRANSFERENCIA = _enum(
    "st_situacao_transferencia", Base.STRING, {"1": "Transferido", "2": "Cancelado por duplicidade na adquirente"}
)

ALL_DOMAINS: tuple[Domain, ...] = tuple(
    value for value in list(globals().values()) if isinstance(value, Domain)
)
