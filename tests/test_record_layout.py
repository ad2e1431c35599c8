"""The record view's field order (UI-free): the movement's own fields first, values it cannot
carry next, optional absent ones last (collapsed); a field with an error never collapses."""

from __future__ import annotations

from dataclasses import dataclass

from sibtui.query.record_layout import ABSENT, FOREIGN, OWN, arrange


@dataclass
class F:
    name: str
    value: str | None


def names(placed, part):
    return [item.field.name for item in placed if item.part == part]


def test_a_cancellation_lists_its_three_elements_and_nothing_absent():
    fields = [F("movement", "cancelamento"), F("cco", "123"), F("cpf", None), F("nome", None),
              F("dataCancelamento", "2026-10-01"), F("motivoCancelamento", None)]
    placed = arrange("sbx_movements", "cancelamento", fields)
    assert names(placed, OWN) == ["movement", "cco", "dataCancelamento", "motivoCancelamento"]  # required, even ∅
    assert names(placed, ABSENT) == [] and names(placed, FOREIGN) == []


def test_an_inclusion_collapses_optional_absent_fields_but_not_one_with_an_error():
    fields = [F("movement", "inclusao"), F("cpf", None), F("dn", None), F("nome", "ANA"), F("sexo", "3"),
              F("dataNascimento", "1990-01-01"), F("cco", "999")]
    placed = arrange("sbx_movements", "inclusao", fields, flagged={"cpf"})
    assert names(placed, OWN)[:3] == ["movement", "cpf", "nome"]
    assert "dn" in names(placed, ABSENT) and "cpf" not in names(placed, ABSENT)
    assert names(placed, FOREIGN) == ["cco"]  # an inclusion carries no CCO: the XSD refuses it
