"""The cascade: a dependent whose titular will be rejected is rejected too (1802).

ANS processes a file in order. When a titular is included earlier in the same file and that
inclusion has an error finding, ANS will reject the titular, and the dependent then points to
a titular ANS does not have ("titular não pertence à operadora", `criticas.md` 1802). This
step runs after every other rule, over the findings they staged, so the dependent says which
record of its titular is at fault and why. A titular already active at ANS does not cascade.
"""

from __future__ import annotations

from sibtui.rules.context import CheckContext
from sibtui.rules.fields import field_label

LABEL = field_label("codigoBeneficiarioTitular")


def cascade_select(ctx: CheckContext) -> str:
    """Findings of `titular_has_error` from the error findings staged so far (`ctx.stage`, with
    the severity of each rule in `ctx.rules`).

    The dependents that could cascade (titular earlier in the file, not active at ANS) are
    found first; only their titulares' staged findings are read.
    """
    return f"""
WITH dependents AS (
    SELECT m.file_id, m.record_no, m.codigoBeneficiarioTitular, fc.first_record_no AS titular_record_no
    FROM {ctx.moves} m
    JOIN {ctx.file_codes} fc ON fc.file_id = m.file_id AND fc.code = m.codigoBeneficiarioTitular
                        AND fc.first_record_no < m.record_no
    LEFT JOIN {ctx.ans_code_facts} a ON a.sbx_file_id = m.file_id AND a.code = m.codigoBeneficiarioTitular
    WHERE m.codigoBeneficiarioTitular IS NOT NULL AND coalesce(m.relacao, 0) <> 1
      AND NOT coalesce(a.titular_usable, false)
),
titular_errors AS (
    SELECT s.file_id, s.record_no, string_agg(DISTINCT s.rule, ', ' ORDER BY s.rule) AS rules
    FROM {ctx.stage} s JOIN {ctx.rules} r ON r.rule = s.rule AND r.severity = 'error'
    WHERE s.source_table = 'sbx_movements'
      AND (s.file_id, s.record_no) IN (SELECT (file_id, titular_record_no) FROM dependents)
    GROUP BY ALL
)
SELECT d.file_id, d.record_no, 'codigoBeneficiarioTitular' AS field, 'titular_has_error' AS rule,
       '{LABEL}: o titular, registro ' || d.titular_record_no || ', tem erro (' || e.rules
       || '); a ANS o rejeitará e rejeitará este dependente' AS message,
       d.codigoBeneficiarioTitular AS value
FROM dependents d
JOIN titular_errors e ON e.file_id = d.file_id AND e.record_no = d.titular_record_no
"""
