"""Each subcommand's own examples, shown by `sibtui COMMAND --help` (the top-level help shows
the tour). Plain data: the parser is built before anything heavy is imported."""

from __future__ import annotations

_WORKSPACE_NOTE = "\nThe workspace defaults to $SIBTUI_DB, else ~/.local/share/sibtui/workspace.duckdb.\n"

EXAMPLES: dict[str, str] = {
    "load": """\
examples:
  sibtui load --db sib.duckdb 99999720261103101500.SBX 99999720261105031244.RPX
  sibtui load --db sib.duckdb arquivos/            every SBX, RPX and CNX in the folder
  sibtui load --db sib.duckdb --quiet *.CNX        no progress bar (cron)
""",
    "query": """\
examples:
  sibtui query --db sib.duckdb "select codigoErro, count(*) from rpx_rejections group by 1 order by 2 desc"
  sibtui query --db sib.duckdb "select * from cnx_beneficiaries where cns is null" --output sem_cns.xlsx
  sibtui query --db sib.duckdb --format csv "select * from findings" > achados.csv
  sibtui query --db sib.duckdb "select nome, cpf from sbx_movements" | cut -f2    (piped: TSV)
  echo "select count(*) from files" | sibtui query --db sib.duckdb -

Without --format: a table on a terminal (one block per row when it would not fit), TSV when
piped. --output writes the file whole or not at all; .xlsx keeps CPF, CNS and CCO as text.
""",
    "hash": """\
examples:
  sibtui hash 99999720261103101500.SBX             declared vs computed epilogue hash
  sibtui hash envio/*.SBX                          exit 1 when any does not match
""",
    "diff": """\
examples:
  sibtui diff --db sib.duckdb                      counts per kind of change, two latest CNX
  sibtui diff --db sib.duckdb --list cns_assigned  the CCOs to which ANS assigned a CNS
  sibtui diff --db sib.duckdb --from 3 --to 7 --list all --format csv > mudancas.csv
""",
    "status": """\
examples:
  sibtui status --db sib.duckdb                    each SBX, its RPX, what must go again and by when
  sibtui status --db sib.duckdb --format csv       for a cron e-mail
  sibtui status --db sib.duckdb --today 2026-12-01
  sibtui status --db sib.duckdb --months --format csv    one row per competência (compliance)
""",
    "original": """\
examples:
  sibtui original --db sib.duckdb --file-id 3 --out 99999720261105031244.RPX
  sibtui original --db sib.duckdb --file-id 5 --out auditoria/ArqConf9999970920261001.CNX
""",
    "check": """\
examples:
  sibtui check --db sib.duckdb                     one line per finding, then the count per rule
  sibtui check --db sib.duckdb --format csv > achados.csv
  sibtui check --db sib.duckdb --today 2026-12-01 || echo "há erros antes de enviar"
  sibtui check --db sib.duckdb --today 2026-11-03 --against-rpx 3    what the RPX rejected, foreseen?

--format csv|json add ans_codes: the RPX codes each finding pre-empts. --against-rpx prints
recall and precision per ANS code of the findings on the SBX that loaded RPX answers.
""",
    "explain": """\
examples:
  sibtui explain list --db sib.duckdb 0701 1802    ANS's message, our hint, the team's text
  sibtui explain set 0701 --db sib.duckdb --cause "A ANS exige o CNS do titular" --fix "Envie o CNS"
  sibtui explain set 0402 --db sib.duckdb --source ans     ANS's own message as the cause
  sibtui explain export --db sib.duckdb equipe.json        share the team's explanations
  sibtui explain import --db sib.duckdb equipe.json        per code, the newer entry wins
""",
    "fix": """\
examples:
  sibtui fix set --db sib.duckdb --record 1:3 cpf=39485716273
  sibtui fix set --db sib.duckdb --error 0701 cns= --dry-run    remove the CNS ANS refused
  sibtui fix fill-cns --db sib.duckdb                            CNS from the newest CNX
  sibtui fix clean --db sib.duckdb --rule name_invalid --trim --upper --remove-accents
  sibtui fix undo --db sib.duckdb
  sibtui fix list --db sib.duckdb --pending
""",
    "regenerate": """\
examples:
  sibtui regenerate --db sib.duckdb --out envio/                the rejected movements of every SBX
  sibtui regenerate --db sib.duckdb --out envio/ --sbx 1 --xsd sib.xsd
  sibtui regenerate --db sib.duckdb --out envio/ --all --report envio/relatorio.csv
""",
    "completion": """\
examples:
  eval "$(sibtui completion bash)"                 in ~/.bashrc: Tab completes commands, options, files
  eval "$(sibtui completion zsh)"                  in ~/.zshrc
""",
    "open": """\
examples:
  sibtui                                           the last workspace (sample_files/ when empty)
  sibtui --db sib.duckdb arquivos/*.SBX arquivos/*.RPX
  sibtui --mask --db sib.duckdb                    personal data hidden on screen and in exports
""",
}


def examples_for(command: str) -> str:
    return EXAMPLES.get(command, "") + _WORKSPACE_NOTE
