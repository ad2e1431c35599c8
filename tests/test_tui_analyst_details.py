"""Small things an analyst noticed at 80x24, with Pilot: the SQL screen says the read-only
guard's refusals in Portuguese."""

from __future__ import annotations

from tui_helpers import SIZE, make_app, press_settled, sample_workspace, settle


def sql_status(app) -> str:
    return str(app.screen.query_one("#sql-status").render())


async def test_the_sql_screen_says_each_refusal_in_portuguese(tmp_path):
    app = make_app(sample_workspace(tmp_path))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await press_settled(pilot, "5")
        editor = app.screen.query_one("#sql-editor")
        for sql, said in [
            ("delete from findings", "DELETE recusado: o SQL avulso só lê"),
            ("attach 'x.db'", "ATTACH recusado: o SQL não abre outros bancos nem arquivos"),
            ("pragma threads = 4", "PRAGMA threads recusado: o SQL avulso não muda as configurações"),
            ("set threads=1", "SET threads recusado: o SQL avulso não muda as configurações"),
            ("with u as (update findings set rule = 'x' returning *) select * from u",
             "UPDATE dentro da consulta recusado"),
        ]:
            editor.text = sql
            await press_settled(pilot, "f5")
            shown = sql_status(app)
            assert shown.startswith(said) and "refused" not in shown, shown
        assert app.history.entries()[-1].error.startswith("UPDATE inside a query refused")  # the guard's own line
