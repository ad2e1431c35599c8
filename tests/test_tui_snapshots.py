"""Every screen at 80x24 over the sample month, as an analyst first sees it.

Read the diff before accepting a change (`pytest --snapshot-update`): these pictures are
what people see over SSH."""

from __future__ import annotations

import pytest
from tui_helpers import FINDINGS_SQL, SIZE, make_app, sample_workspace, settle


@pytest.fixture
def app(tmp_path):
    return make_app(sample_workspace(tmp_path, FINDINGS_SQL))


def keys_then_settle(*keys: str):
    async def run_before(pilot) -> None:
        await settle(pilot)
        for key in keys:
            await pilot.press(key)
            await settle(pilot)

    return run_before


@pytest.mark.parametrize(
    "keys",
    [
        pytest.param((), id="cycle"),
        pytest.param(("1",), id="records"),
        pytest.param(("1", "t"), id="records_cnx"),
        pytest.param(("2",), id="errors"),
        pytest.param(("2", "r"), id="errors_whole_file_rejected"),
        pytest.param(("2", "enter"), id="errors_drill"),
        pytest.param(("2", "enter", "enter"), id="record_view"),
        pytest.param(("2", "enter", "enter", "l"), id="record_side_by_side"),
        pytest.param(("3",), id="cns"),
        pytest.param(("4",), id="findings"),
        pytest.param(("5", "f5"), id="sql"),
        pytest.param(("1", "f1"), id="help"),
        pytest.param(("1", "f"), id="filter_bar"),
        pytest.param(("6",), id="changes"),
        pytest.param(("6", "down", "down", "enter"), id="changes_drill"),
        pytest.param(("6", "down", "down", "enter", "enter"), id="record_old_and_new"),
        pytest.param(("2", "enter", "enter", *["down"] * 2, "e"), id="edit_field_invalid"),
        pytest.param(("2", "enter", "b"), id="bulk_actions"),
        pytest.param(("f4",), id="pending_none"),
    ],
)
def test_screen(snap_compare, app, keys):
    assert snap_compare(app, terminal_size=SIZE, run_before=keys_then_settle(*keys))


@pytest.mark.parametrize(
    "keys",
    [
        pytest.param(("1", *["right"] * 6), id="records"),
        pytest.param(("1", "enter"), id="record_view"),
    ],
)
def test_masked_screen(snap_compare, tmp_path, monkeypatch, keys):
    """`sibtui --mask` (SIBTUI_MASK=1): MÁSCARA on the top bar, names as initials, CPF and
    CNS with their last two digits, dates as ****-**-**."""
    monkeypatch.setenv("SIBTUI_MASK", "1")
    masked_app = make_app(sample_workspace(tmp_path, FINDINGS_SQL))
    assert snap_compare(masked_app, terminal_size=SIZE, run_before=keys_then_settle(*keys))


@pytest.mark.parametrize(
    "keys, worked",
    [
        pytest.param(("t",), False, id="transfer"),
        pytest.param(("t",), True, id="transfer_worked"),
        pytest.param(("m",), False, id="months"),
    ],
)
def test_rn250_screen(snap_compare, tmp_path, keys, worked):
    """The Transferência screen (an acquirer's transfer of 3 families; worked: one confirmed,
    one re-coded, one to cancel, the states in words) and Conformidade."""
    from test_tui_transfer import work_the_transfer
    from transfers import families, transfer_file

    from sibtui.ingest.loader import load_file
    from sibtui.workspace import Workspace

    path = sample_workspace(tmp_path, FINDINGS_SQL)
    transfer = tmp_path / "TRANSF_ADQ.CNX"
    transfer.write_bytes(transfer_file(families(3, dependents=1, duplicity_every=3)))
    with Workspace(path) as workspace:
        load_file(workspace, transfer)
    if worked:
        work_the_transfer(path)
    assert snap_compare(make_app(path), terminal_size=SIZE, run_before=keys_then_settle(*keys))
