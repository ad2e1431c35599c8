"""How well the pre-critique foresaw an RPX: recall and precision, per ANS code and overall.

ANS's answer to an SBX is the truth: the records it rejected, each with its `codigoErro`.
The pre-critique's findings on that SBX (the `findings` table, from the last check) are the
forecast; each rule names the codes it pre-empts (`Rule.ans_codes`). Per code:

- `rejected`: records ANS rejected with the code;
- `foreseen_error` / `foreseen_warning`: of those, records with an error (or only a warning)
  from a rule that pre-empts the code; `other_error`: with an error of another rule only;
  `missed`: with no finding at all;
- `recall` = foreseen_error / rejected;
- `predicted`: records with an error from a rule that pre-empts the code, and `correct`, of
  those, the ones ANS rejected with it; `precision` = correct / predicted.

The overall line (`code` = `*`) counts records: rejected with any code, flagged with any error
(`foreseen_error`) or any finding, and precision = rejected records among those with an error.
A finding on a record ANS accepted is a false alarm; `accepted_with_error` counts them.
When ANS refused the whole file, the one line is its `codigoMotivoRejeicao`: foreseen when an
error finding on the file has a rule that pre-empts that code (a wrong hash: 20).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

import duckdb

from sibtui.db.cursors import fetch_value
from sibtui.errors import SibError
from sibtui.rules.catalog import RULES

COLUMNS = ("code", "rejected", "foreseen_error", "foreseen_warning", "other_error", "missed", "recall", "predicted",
           "correct", "precision")


class CannotCompare(SibError):
    """The RPX is not loaded, is not an RPX, or the SBX it answers is not loaded."""


@dataclass
class CodeScore:
    code: str
    rejected: int = 0
    foreseen_error: int = 0
    foreseen_warning: int = 0
    other_error: int = 0
    missed: int = 0
    predicted: int = 0
    correct: int = 0

    @property
    def recall(self) -> float | None:
        return self.foreseen_error / self.rejected if self.rejected else None

    @property
    def precision(self) -> float | None:
        return self.correct / self.predicted if self.predicted else None

    def row(self) -> tuple:
        return (self.code, self.rejected, self.foreseen_error, self.foreseen_warning, self.other_error, self.missed,
                _ratio(self.recall), self.predicted, self.correct, _ratio(self.precision))


@dataclass
class RpxComparison:
    rpx_name: str
    sbx_name: str
    records: int  # movements the SBX carries
    rejected: int  # of those, rejected by ANS (linked to a movement)
    rejected_with_error: int
    rejected_with_finding: int
    accepted_with_error: int
    unlinked: int  # rejections whose movement is not in the SBX
    whole_file_code: str | None  # codigoMotivoRejeicao when ANS rejected the whole file
    codes: list[CodeScore] = field(default_factory=list)
    foreseen_by: list[str] = field(default_factory=list)  # file rules that pre-empted a whole-file rejection

    @property
    def accepted(self) -> int:
        return self.records - self.rejected

    @property
    def recall_error(self) -> float | None:
        return self.rejected_with_error / self.rejected if self.rejected else None

    @property
    def recall_any(self) -> float | None:
        return self.rejected_with_finding / self.rejected if self.rejected else None

    @property
    def precision(self) -> float | None:
        flagged = self.rejected_with_error + self.accepted_with_error
        return self.rejected_with_error / flagged if flagged else None

    @property
    def false_error_rate(self) -> float | None:
        return self.accepted_with_error / self.accepted if self.accepted else None

    def total(self) -> CodeScore:
        return CodeScore("*", self.rejected, self.rejected_with_error, self.rejected_with_finding - self.rejected_with_error,
                         0, self.rejected - self.rejected_with_finding, self.rejected_with_error + self.accepted_with_error,
                         self.rejected_with_error)

    def rows(self) -> list[tuple]:
        return [score.row() for score in self.codes] + [self.total().row()]


def _ratio(value: float | None) -> float | None:
    return None if value is None else round(value, 4)


def compare_with_rpx(cursor: duckdb.DuckDBPyConnection, rpx_file_id: int) -> RpxComparison:
    """The pre-critique's current findings on the SBX that RPX `rpx_file_id` answers, scored against it."""
    answer = cursor.execute(
        "SELECT f.name, a.sbx_name, a.sbx_file_id, a.status, a.codigoMotivoRejeicao FROM files f "
        "LEFT JOIN rpx_answers a ON a.rpx_file_id = f.file_id WHERE f.file_id = ?", [rpx_file_id]).fetchone()
    if answer is None:
        raise CannotCompare(f"file {rpx_file_id} is not loaded")
    rpx_name, sbx_name, sbx_file_id, status, whole_file_code = answer
    if sbx_name is None and status is None:
        raise CannotCompare(f"file {rpx_file_id} ({rpx_name}) is not an RPX")
    if sbx_file_id is None:
        raise CannotCompare(f"{rpx_name} answers {sbx_name}, which is not loaded: load that SBX first")
    records = fetch_value(cursor, "SELECT count(*) FROM sbx_movements WHERE file_id = ?", [sbx_file_id])
    rejections = attributed(cursor.execute(
        "SELECT rpx_record_no, sbx_record_no, trim(codigoErro) FROM rpx_rejection_links WHERE rpx_file_id = ?",
        [rpx_file_id]).fetchall())
    findings = cursor.execute(
        "SELECT record_no, rule, severity FROM findings WHERE file_id = ? AND source_table = 'sbx_movements'",
        [sbx_file_id]).fetchall()
    if status == "rejeitado":
        return _whole_file(cursor, rpx_name, sbx_name, sbx_file_id, records, (whole_file_code or "").strip())
    comparison = _score(rejections, findings, records)
    comparison.rpx_name, comparison.sbx_name = rpx_name, sbx_name
    return comparison


def _whole_file(cursor: duckdb.DuckDBPyConnection, rpx_name: str, sbx_name: str, sbx_file_id: int, records: int,
                code: str) -> RpxComparison:
    """ANS refused the whole SBX: foreseen when a file finding's rule pre-empts its code."""
    rules = [rule for (rule,) in cursor.execute(
        "SELECT DISTINCT rule FROM findings WHERE file_id = ? AND source_table = 'files' AND severity = 'error'",
        [sbx_file_id]).fetchall()]
    foreseen = [rule for rule in rules if _pre_empts(rule, code.lstrip("0") or code)]
    score = CodeScore(code, rejected=records, foreseen_error=records if foreseen else 0,
                      other_error=0 if foreseen or not rules else records, predicted=records if rules else 0,
                      correct=records if foreseen else 0)
    score.missed = records - score.foreseen_error - score.other_error
    comparison = RpxComparison(rpx_name, sbx_name, records, records, score.foreseen_error,
                               score.foreseen_error + score.other_error, 0, 0, code, [score])
    comparison.foreseen_by = foreseen
    return comparison


def attributed(links: list[tuple]) -> list[tuple[int | None, str]]:
    """(SBX record, code) of each rejection, one movement per rejected record.

    The RPX names a rejected inclusion by its code and any other movement by its CCO, so
    when the SBX repeats a key every repeat matches. ANS processes a file in order: of n
    movements sharing a key, the m rejected are taken to be the last m (the first inclusion
    of a code goes in and the repeats find it taken).
    """
    candidates: dict[int, set[int]] = defaultdict(set)
    codes: dict[int, list[str]] = defaultdict(list)
    for rpx_record, sbx_record, code in links:
        if sbx_record is not None:
            candidates[rpx_record].add(sbx_record)
        if code not in codes[rpx_record]:
            codes[rpx_record].append(code)
    sharing: dict[frozenset[int], list[int]] = defaultdict(list)
    for rpx_record in codes:
        sharing[frozenset(candidates.get(rpx_record, ()))].append(rpx_record)
    result: list[tuple[int | None, str]] = []
    for movements, rpx_records in sharing.items():
        chosen = sorted(movements)[-len(rpx_records):] if movements else [None] * len(rpx_records)
        padding = [None] * (len(rpx_records) - len(chosen))
        for rpx_record, sbx_record in zip(sorted(rpx_records), padding + chosen):
            result.extend((sbx_record, code) for code in codes[rpx_record])
    return result


def _score(rejections: list[tuple], findings: list[tuple], records: int) -> RpxComparison:
    codes_by_record: dict[int, set[str]] = defaultdict(set)
    for record_no, code in rejections:
        if record_no is not None:
            codes_by_record[record_no].add(code or "")
    rules_by_record: dict[int, dict[str, str]] = defaultdict(dict)
    for record_no, rule, severity in findings:
        if record_no is not None:
            rules_by_record[record_no][rule] = severity
    errors = {record for record, rules in rules_by_record.items() if "error" in rules.values()}
    rejected = set(codes_by_record)
    comparison = RpxComparison(
        rpx_name="", sbx_name="", records=records, rejected=len(rejected),
        rejected_with_error=len(rejected & errors), rejected_with_finding=len(rejected & set(rules_by_record)),
        accepted_with_error=len(errors - rejected), unlinked=sum(1 for record_no, _ in rejections if record_no is None),
        whole_file_code=None,
    )
    comparison.codes = _code_scores(codes_by_record, rules_by_record)
    return comparison


def _code_scores(codes_by_record: dict[int, set[str]], rules_by_record: dict[int, dict[str, str]]) -> list[CodeScore]:
    scores: dict[str, CodeScore] = {}
    for record, codes in codes_by_record.items():
        rules = rules_by_record.get(record, {})
        for code in codes:
            score = scores.setdefault(code, CodeScore(code))
            score.rejected += 1
            foreseeing = {severity for rule, severity in rules.items() if _pre_empts(rule, code)}
            if "error" in foreseeing:
                score.foreseen_error += 1
            elif foreseeing:
                score.foreseen_warning += 1
            elif "error" in rules.values():
                score.other_error += 1
            elif not rules:
                score.missed += 1
    for record, rules in rules_by_record.items():
        for code, correct in _predicted(rules, codes_by_record.get(record, set())).items():
            score = scores.setdefault(code, CodeScore(code))
            score.predicted += 1
            score.correct += correct
    return sorted(scores.values(), key=lambda score: (-score.rejected, -score.predicted, score.code))


def _predicted(rules: dict[str, str], codes: set[str]) -> dict[str, bool]:
    """The codes a record's error findings foresee, each with whether ANS answered it: a code
    ANS did answer when a rule pre-empts it, else the first code the rule names."""
    predicted: dict[str, bool] = {}
    for rule, severity in rules.items():
        known = RULES.get(rule)
        record_codes = [code for code in known.codes if len(code) == 4] if known and severity == "error" else []
        if known is None or not record_codes:  # a warning, or a whole-file code: judged on the file, not on records
            continue
        matched = [code for code in codes if known.pre_empts(code)]
        for code in matched:
            predicted[code] = True
        if not matched:
            predicted.setdefault(record_codes[0], False)
    return predicted


def _pre_empts(rule: str, code: str) -> bool:
    known = RULES.get(rule)
    return known is not None and known.pre_empts(code)
