"""The README stays true: every rule id, command and workspace table it must document is there."""

from __future__ import annotations

import importlib.util

from conftest import REPO
from sibtui.catalog.tables import RECORD_TABLES
from sibtui.cli import COMMANDS
from sibtui.rules.catalog import RULES_LIST

README = (REPO / "README.md").read_text(encoding="utf-8")


def test_every_rule_id_is_documented():
    missing = [rule.id for rule in RULES_LIST if f"`{rule.id}`" not in README]
    assert missing == []


def test_every_command_is_documented():
    missing = [c.name for c in COMMANDS if c.name != "open" and f"sibtui {c.name}" not in README]
    assert missing == []


def test_every_record_table_is_documented():
    missing = [table.name for table in RECORD_TABLES if f"`{table.name}`" not in README]
    assert missing == []


def test_the_rules_table_is_the_catalogue():
    """The table between the markers is generated (`python tools/rules_table.py`): same rules, codes and texts."""
    spec = importlib.util.spec_from_file_location("rules_table", REPO / "tools" / "rules_table.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert module.render() in README
    assert module.rewritten(README) == README
    assert all(f"| `{rule.id}` | {rule.severity.value} |" in README for rule in RULES_LIST)
