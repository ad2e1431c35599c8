"""Paging windows: every strategy returns exactly the rows a plain ORDER BY would, at any
offset, with truthful totals; filters, sorts, search and SQL results behave as the grid
expects. The expected rows are computed by an independent ORDER BY/OFFSET query."""

from __future__ import annotations

import pytest

from conftest import query
from sibtui.query.adhoc import QueryError
from sibtui.query.paging import SCRATCH, open_view
from sibtui.query.paging_positions import Positions
from sibtui.query.paging_ranges import RecordRanges
from sibtui.query.spec import Filter, FilterSyntaxError, GridSpec, Restriction, SortKey, parse_filters, toggle_sort

CNX = "cnx_beneficiaries_current"
ROWS_PER_FILE = 130


@pytest.fixture
def cursor(workspace):
    """Two files of synthetic CNX rows (record_no dense 1..130 in each)."""
    opened = workspace.cursor()
    opened.execute(
        f"""INSERT INTO cnx_beneficiaries (file_id, record_no, line, cco, situacao, nome, cns)
        SELECT 1 + i // {ROWS_PER_FILE}, 1 + i % {ROWS_PER_FILE}, 10 * i,
               lpad(CAST(i AS VARCHAR), 12, '0'),
               CASE WHEN i % 4 = 0 THEN 'INATIVO' ELSE 'ATIVO' END,
               CASE WHEN i = 77 THEN '[SILVA]' ELSE 'NOME ' || CAST((i * 37) % 101 AS VARCHAR) END,
               CASE WHEN i % 10 = 0 THEN NULL WHEN i % 10 = 1 THEN '' WHEN i % 10 = 2 THEN '   '
                    ELSE lpad(CAST(i AS VARCHAR), 15, '7') END
        FROM range({2 * ROWS_PER_FILE}) AS t(i)"""
    )
    yield opened
    opened.close()


def expected(cursor, where: str = "TRUE", order: str = "file_id, record_no", parameters=()) -> list[tuple]:
    return cursor.execute(
        f"SELECT file_id, record_no, cco, situacao FROM {CNX} WHERE {where} ORDER BY {order}", list(parameters)
    ).fetchall()


def keys(view, cursor, offset: int, limit: int) -> list[tuple]:
    names = view.column_names
    return [(row[names.index("file_id")], row[names.index("record_no")], row[names.index("cco")],
             row[names.index("situacao")]) for row in view.window(cursor, offset, limit)]


def test_natural_order_pages_by_key_ranges_across_files(cursor):
    view = open_view(cursor, GridSpec(relation=CNX))
    assert view.total == 2 * ROWS_PER_FILE
    assert isinstance(view, RecordRanges)  # key ranges: no scratch table at all
    everything = expected(cursor)
    for offset in (0, 120, 125, 259):
        assert keys(view, cursor, offset, 10) == everything[offset : offset + 10]
    assert view.window(cursor, 260, 10) == []


def test_rows_read_by_rowid_come_in_smaller_pages(cursor):
    from sibtui.query.paging import PAGE_ROWS, SCATTERED_PAGE_ROWS

    assert open_view(cursor, GridSpec(relation=CNX)).page_rows == PAGE_ROWS
    sorted_view = open_view(cursor, GridSpec(relation=CNX, sort=(SortKey("nome"),)))
    assert isinstance(sorted_view, Positions) and sorted_view.page_rows == SCATTERED_PAGE_ROWS < PAGE_ROWS
    result = open_view(cursor, GridSpec(sql=f"SELECT cco FROM {CNX}"))
    assert result.page_rows == PAGE_ROWS  # a materialised result is consecutive rows


def test_holes_in_record_no_fall_back_to_a_position_table(cursor):
    cursor.execute("DELETE FROM cnx_beneficiaries WHERE file_id = 1 AND record_no = 50")
    view = open_view(cursor, GridSpec(relation=CNX))
    assert isinstance(view, Positions)
    assert view.total == 2 * ROWS_PER_FILE - 1
    assert keys(view, cursor, 45, 10) == expected(cursor)[45:55]


def test_filters_count_truthfully_and_page_in_order(cursor):
    spec = GridSpec(relation=CNX, filters=(Filter("situacao", "=", "INATIVO"),))
    view = open_view(cursor, spec)
    inactive = expected(cursor, "situacao = 'INATIVO'")
    assert view.total == len(inactive) == 65
    assert spec.narrowed
    assert keys(view, cursor, 60, 10) == inactive[60:]


@pytest.mark.parametrize(
    ("clause", "where"),
    [
        ("cns vazio", "cns IS NULL OR trim(cns) = ''"),
        ("cns não vazio", "cns IS NOT NULL AND trim(cns) <> ''"),
        ("nome ~ silva", "lower(nome) LIKE '%silva%'"),
        ("situacao != ATIVO", "situacao <> 'ATIVO'"),
        ("cco >= 000000000250", "cco >= '000000000250'"),
        ("CNS is empty; situacao = ATIVO", "(cns IS NULL OR trim(cns) = '') AND situacao = 'ATIVO'"),
    ],
)
def test_each_filter_operator_keeps_exactly_its_rows(cursor, clause, where):
    view = open_view(cursor, GridSpec(relation=CNX, filters=parse_filters(clause, ["cns", "nome", "situacao", "cco"])))
    rows = expected(cursor, where)
    assert view.total == len(rows) > 0
    assert keys(view, cursor, 0, 500) == rows


def test_sort_descending_then_back_to_natural_order(cursor):
    spec = toggle_sort(toggle_sort(GridSpec(relation=CNX), "nome"), "nome")
    assert spec.sort == (SortKey("nome", descending=True),)
    view = open_view(cursor, spec)
    rows = expected(cursor, order="nome DESC NULLS LAST, file_id, record_no")
    assert keys(view, cursor, 100, 30) == rows[100:130]
    assert toggle_sort(spec, "nome").sort == ()


def test_restriction_is_bound_not_interpolated(cursor):
    restriction = Restriction("só o arquivo 2", "s.file_id = ? AND s.nome <> ?", (2, "x' OR 1=1 --"))
    view = open_view(cursor, GridSpec(relation=CNX, restriction=restriction))
    assert view.total == ROWS_PER_FILE


def test_search_finds_forward_backward_and_wraps(cursor):
    view = open_view(cursor, GridSpec(relation=CNX))
    assert view.find(cursor, "[silva]", 0) == 77
    assert view.find(cursor, "[SILVA]", 78) == 77  # wraps around
    assert view.find(cursor, "silva", 200, backwards=True) == 77
    assert view.find(cursor, "no such text", 0) is None
    sorted_view = open_view(cursor, GridSpec(relation=CNX, sort=(SortKey("nome"),)))
    position = sorted_view.find(cursor, "[silva]", 0)
    assert sorted_view.window(cursor, position, 1)[0][sorted_view.column_names.index("nome")] == "[SILVA]"


def test_sql_results_are_materialised_once_and_paged_by_rowid(cursor):
    view = open_view(cursor, GridSpec(sql="SELECT situacao, count(*) AS n FROM cnx_beneficiaries GROUP BY 1 ORDER BY n DESC"))
    assert view.total == 2
    assert view.window(cursor, 0, 10) == [("ATIVO", 195), ("INATIVO", 65)]
    big = open_view(cursor, GridSpec(sql="SELECT record_no FROM cnx_beneficiaries ORDER BY record_no DESC, file_id"))
    assert big.window(cursor, 2, 3) == [(129,), (129,), (128,)]
    filtered = open_view(cursor, GridSpec(sql="SELECT cco, nome FROM cnx_beneficiaries", filters=(Filter("nome", "~", "silva"),)))
    assert filtered.window(cursor, 0, 5) == [("000000000077", "[SILVA]")]


def test_bad_sql_is_one_line_query_error(cursor):
    with pytest.raises(QueryError) as raised:
        open_view(cursor, GridSpec(sql="SELECT nope FROM cnx_beneficiaries"))
    assert "\n" not in str(raised.value)


def test_close_drops_the_scratch_tables(workspace, cursor):
    view = open_view(cursor, GridSpec(sql="SELECT 1", sort=(SortKey("1"),)))
    view.close(cursor)
    assert query(workspace, f"SELECT count(*) FROM information_schema.tables WHERE table_catalog = '{SCRATCH}'") == [(0,)]


def test_ordered_sql_reproduces_the_view_for_export(cursor):
    view = open_view(cursor, GridSpec(relation=CNX, sort=(SortKey("cco", descending=True),)))
    sql, parameters = view.ordered_sql()
    rows = cursor.execute(sql, parameters).fetchall()
    assert len(rows) == view.total
    assert rows[:5] == view.window(cursor, 0, 5)


@pytest.mark.parametrize(
    ("text", "message"),
    [("nome", "use campo = valor"), ("idade = 3", "não há coluna"), ("cns vazio x", "não leva valor"), ("cns =", "falta o valor")],
)
def test_filter_syntax_errors_say_what_is_wrong(text, message):
    with pytest.raises(FilterSyntaxError, match=message):
        parse_filters(text, ["cns", "nome"])


def test_filter_text_round_trips_with_quotes():
    filters = parse_filters('nome = "  SILVA"; cns vazio', ["nome", "cns"])
    assert filters == (Filter("nome", "=", "  SILVA"), Filter("cns", "vazio"))
    spec = GridSpec(relation=CNX, filters=filters)
    assert parse_filters(spec.filter_text(), ["nome", "cns"]) == filters


def test_sorted_windows_read_rows_by_rowid_with_the_journal_applied(cursor):
    """A filtered, sorted window fetches its rows by base rowid; an edit made after the view
    was prepared shows in the next window, as it does in `cnx_beneficiaries_current`."""
    spec = GridSpec(relation=CNX, filters=(Filter("situacao", "=", "ATIVO"),), sort=(SortKey("nome", descending=True),))
    view = open_view(cursor, spec)
    rows = expected(cursor, "situacao = 'ATIVO'", "nome DESC NULLS LAST, file_id, record_no")
    assert keys(view, cursor, 0, 500) == rows
    file_id, record_no = rows[7][:2]
    cursor.execute(
        "INSERT INTO edit_journal (edit_id, action_id, action, table_name, file_id, record_no, field, old_value, new_value)"
        " VALUES (1, 1, 'set', 'cnx_beneficiaries', ?, ?, 'nome', ?, 'EDITADO DEPOIS')", [file_id, record_no, "x"])
    names = view.column_names
    seventh = view.window(cursor, 7, 1)[0]
    assert (seventh[names.index("file_id")], seventh[names.index("record_no")]) == (file_id, record_no)
    assert seventh[names.index("nome")] == "EDITADO DEPOIS"
    raw = open_view(cursor, GridSpec(relation="cnx_beneficiaries", sort=(SortKey("cco", descending=True),)))
    assert raw.window(cursor, 0, 2) == [row[:len(raw.columns)] for row in cursor.execute(
        f"SELECT {', '.join(raw.column_names)} FROM cnx_beneficiaries ORDER BY cco DESC LIMIT 2").fetchall()]


def test_rowid_windows_apply_the_journal_exactly_as_the_current_view(cursor):
    """Newest edit wins, an edit to NULL removes the value, a journal row on a field the view
    does not let change (situacao) is ignored, and other records stay as loaded."""
    journal = [
        (1, 1, 3, "nome", "A"), (2, 1, 3, "nome", "B"),  # two edits: the newer counts
        (3, 1, 4, "cns", None),  # element removed
        (4, 2, 5, "situacao", "INATIVO"),  # not an editable column: the view ignores it
        (5, 2, 6, "cco", "999999999999"),
    ]
    for edit_id, file_id, record_no, field, value in journal:
        cursor.execute(
            "INSERT INTO edit_journal (edit_id, action_id, action, table_name, file_id, record_no, field, old_value, "
            "new_value) VALUES (?, ?, 'set', 'cnx_beneficiaries', ?, ?, ?, 'x', ?)",
            [edit_id, edit_id, file_id, record_no, field, value])
    view = open_view(cursor, GridSpec(relation=CNX, sort=(SortKey("cco", descending=True),)))
    columns = ", ".join(f'"{name}"' for name in view.column_names)
    assert view.window(cursor, 0, view.total) == cursor.execute(
        f"SELECT {columns} FROM {CNX} ORDER BY cco DESC NULLS LAST, file_id, record_no").fetchall()
    names = view.column_names
    edited = {(row[names.index("file_id")], row[names.index("record_no")]): row for row in view.window(cursor, 0, 300)}
    assert edited[(1, 3)][names.index("nome")] == "B"
    assert edited[(1, 4)][names.index("cns")] is None
    assert edited[(2, 5)][names.index("situacao")] == "ATIVO"
    assert edited[(2, 6)][names.index("cco")] == "999999999999"
