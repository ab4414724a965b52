"""Ingest is held to the format catalogue (checker.formats, read from schemas/report.schema.json).

The schema is where the formats' rows, columns and titles are written; ingest adds only the words it
recognises them by. For every row and column of every format, the title the schema gives (as the
format prints it) must be recognised by ingest as that very row or column, by both readers of tables
(grids: checker.ingest.tables; flattened text: checker.ingest.stream), and ingest may know no row the
schema does not have.
"""

from __future__ import annotations

import pytest

from checker import formats
from checker.document import cells
from checker.ingest import stream, tables
from checker.ingest.normalize import match_key

FORMATS = formats.FORMATS


def test_the_catalogue_is_the_schema() -> None:
    # every cell id of the document helpers is a row and column of the catalogue, and back
    ids = {c.id for c in cells()}
    expected = set()
    for fmt in FORMATS:
        expected |= {f"proactive.{row}.{col}" for row, cols in formats.t2_columns(fmt).items() for col in cols}
        expected |= {f"requests.{'.'.join(path)}.{col}" for path in formats.t3_rows(fmt) for col in formats.T3_COLUMNS}
    expected |= {f"appeals.{g}.{c}" for g in formats.T4_GROUPS for c in formats.T4_COLUMNS}
    assert ids == expected
    assert formats.SECTION_IDS == ("overview", "proactive", "requests", "appeals", "problems", "other")
    assert formats.TABLES == ("proactive", "requests", "appeals") and formats.FORMATS == ("2021", "2019")


@pytest.mark.parametrize("fmt", FORMATS)
def test_grid_reader_knows_every_row_of_table_3_by_its_printed_title(fmt: str) -> None:
    for path in formats.t3_rows(fmt):
        printed = formats.title("requests", path, fmt)
        got = tables._T3_RULES.first(match_key(printed))
        assert got == path, (fmt, path, printed, got)
    assert tables.T3_TEMPLATE[fmt] == formats.t3_rows(fmt)


def test_grid_reader_knows_every_column_of_table_3() -> None:
    for column in formats.T3_COLUMNS:
        printed = formats.title("requests", ("new", column))
        assert tables._T3_HEADERS.first(match_key(printed)) == column, (column, printed)


@pytest.mark.parametrize("fmt", FORMATS)
def test_grid_reader_knows_every_row_and_column_of_table_2(fmt: str) -> None:
    for row, columns in formats.t2_columns(fmt).items():
        assert tables._T2_ROWS.first(match_key(formats.title("proactive", (row,), fmt))) == row
        for column in columns:
            printed = formats.title("proactive", (row, column), fmt)
            assert tables._T2_HEADERS.first(match_key(printed)) == column, (fmt, row, column, printed)
    assert tables.T2_COLUMNS[fmt] == formats.t2_columns(fmt)


def test_grid_reader_knows_every_group_and_column_of_table_4() -> None:
    for group in formats.T4_GROUPS:
        printed = formats.title("appeals", (group,))
        assert tables._T4_GROUPS.first(match_key(printed.split("·")[-1])) == group, (group, printed)
        for column in formats.T4_COLUMNS:
            printed = formats.title("appeals", (group, column))
            assert tables._T4_HEADERS.first(match_key(printed)) == column, (group, column, printed)


@pytest.mark.parametrize("fmt", FORMATS)
def test_text_reader_templates_are_the_catalogue(fmt: str) -> None:
    t3 = stream.template("requests", fmt)
    assert tuple(spec.path for spec in t3.rows) == formats.t3_rows(fmt)
    assert all(spec.columns == formats.T3_COLUMNS for spec in t3.rows)
    for spec in t3.rows:  # the row's words are found in the title the format prints
        assert spec.pattern.search(formats.title("requests", spec.path, fmt)), (fmt, spec.path)
    t2 = stream.template("proactive", fmt)
    assert {spec.path[0]: spec.columns for spec in t2.rows} == formats.t2_columns(fmt)
    for spec in t2.rows:
        assert spec.pattern.search(formats.title("proactive", spec.path, fmt)), (fmt, spec.path)
    t4 = stream.template("appeals", fmt)
    assert t4.rows[0].columns == tuple(f"{g}.{c}" for g in formats.T4_GROUPS for c in formats.T4_COLUMNS)


def test_ingest_knows_no_row_the_schema_lacks() -> None:
    rows = {path for fmt in FORMATS for path in formats.t3_rows(fmt)}
    assert set(stream.T3_WORDS) == rows
    assert set(stream.T2_WORDS) == {row for fmt in FORMATS for row in formats.t2_columns(fmt)}
    groups = {("withheld",), ("unavailable",), ("not_processed",), ("other",), ("group",)}
    assert {name for name, _ in tables._T3_RULES.rules} <= rows | groups


def test_cell_labels_carry_row_and_column_as_fields() -> None:
    for c in cells():
        assert all(c.row) and all(c.column), c.id
        assert c.zh == f"{c.row[0]}·{c.column[0]}" and c.en == f"{c.row[1]} · {c.column[1]}", c.id
        path = tuple(c.id.split(".")[1:])
        fmt = c.formats[0]
        assert c.column[0] == formats.title(c.table, path, fmt), c.id
