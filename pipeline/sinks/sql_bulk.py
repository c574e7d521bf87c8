"""Bulk writes for the SQL sink, one strategy per database.

Rows are tuples in the column order of their table. SQLite gets ``executemany`` of a
statement that SQLAlchemy compiles once; PostgreSQL gets ``COPY`` (into the table, or into
a temporary stage table followed by ``INSERT ... SELECT ... ON CONFLICT`` for upserts), which
is an order of magnitude faster than row-by-row statements. Both run inside the caller's
transaction; every value travels as a parameter or as COPY data, never as SQL text.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Sequence
from typing import Any, Literal

import sqlalchemy as sa
from psycopg import sql as pgsql
from sqlalchemy.dialects import postgresql as pg_dialect
from sqlalchemy.dialects import sqlite as sqlite_dialect

Row = tuple[Any, ...]
Conflict = Literal["update", "ignore"]


def _on_conflict(stmt: Any, table: sa.Table, conflict: Conflict) -> Any:
    keys = [column.name for column in table.primary_key.columns]
    if conflict == "ignore":
        return stmt.on_conflict_do_nothing(index_elements=keys)
    updates = {column.name: stmt.excluded[column.name] for column in table.columns if column.name not in keys}
    return stmt.on_conflict_do_update(index_elements=keys, set_=updates)


class BulkWriter(ABC):
    """Writes many rows of one table inside the current transaction."""

    @abstractmethod
    def insert(self, conn: sa.Connection, table: sa.Table, rows: Sequence[Row]) -> None:
        """Insert rows that cannot conflict (their keys were deleted in this transaction)."""

    @abstractmethod
    def upsert(self, conn: sa.Connection, table: sa.Table, rows: Sequence[Row], conflict: Conflict) -> None:
        """Insert rows; on a primary-key conflict update the row (``update``) or keep it (``ignore``)."""


class SqliteBulkWriter(BulkWriter):
    """``executemany`` of statements compiled once by SQLAlchemy."""

    def __init__(self, dialect: sa.Dialect) -> None:
        self._dialect = dialect
        self._compiled: dict[tuple[str, str], str] = {}

    def _sql(self, table: sa.Table, kind: str) -> str:
        key = (table.name, kind)
        if key not in self._compiled:
            names = [column.name for column in table.columns]
            stmt: Any = sqlite_dialect.insert(table).values({name: sa.bindparam(name) for name in names})
            if kind != "insert":
                stmt = _on_conflict(stmt, table, "update" if kind == "update" else "ignore")
            compiled = stmt.compile(dialect=self._dialect)
            if list(compiled.positiontup or ()) != names:
                raise RuntimeError(f"Compiled parameters of {table.name} are out of column order.")
            self._compiled[key] = compiled.string
        return self._compiled[key]

    def insert(self, conn: sa.Connection, table: sa.Table, rows: Sequence[Row]) -> None:
        """Insert rows with one ``executemany``."""
        if rows:
            conn.exec_driver_sql(self._sql(table, "insert"), list(rows))

    def upsert(self, conn: sa.Connection, table: sa.Table, rows: Sequence[Row], conflict: Conflict) -> None:
        """Upsert rows with one ``executemany`` of ``INSERT ... ON CONFLICT``."""
        if rows:
            conn.exec_driver_sql(self._sql(table, conflict), list(rows))


class PostgresBulkWriter(BulkWriter):
    """``COPY`` through psycopg 3, with a temporary stage table for upserts."""

    @staticmethod
    def _copy(conn: sa.Connection, target: str, table: sa.Table, rows: Sequence[Row]) -> None:
        statement = pgsql.SQL("COPY {} ({}) FROM STDIN").format(
            pgsql.Identifier(target),
            pgsql.SQL(", ").join(pgsql.Identifier(column.name) for column in table.columns),
        )
        driver = conn.connection.driver_connection
        if driver is None:
            raise RuntimeError("The PostgreSQL connection has no driver connection.")
        with driver.cursor() as cursor, cursor.copy(statement) as copy:
            for row in rows:
                copy.write_row(row)

    def insert(self, conn: sa.Connection, table: sa.Table, rows: Sequence[Row]) -> None:
        """Copy rows straight into the table."""
        if rows:
            self._copy(conn, table.name, table, rows)

    def upsert(self, conn: sa.Connection, table: sa.Table, rows: Sequence[Row], conflict: Conflict) -> None:
        """Copy rows into a stage table, then ``INSERT ... SELECT ... ON CONFLICT`` from it."""
        if not rows:
            return
        stage = f"newsevents_stage_{table.name}"
        create = pgsql.SQL("CREATE TEMPORARY TABLE {} (LIKE {})").format(
            pgsql.Identifier(stage), pgsql.Identifier(table.name)
        )
        drop = pgsql.SQL("DROP TABLE {}").format(pgsql.Identifier(stage))
        driver = conn.connection.driver_connection
        if driver is None:
            raise RuntimeError("The PostgreSQL connection has no driver connection.")
        driver.execute(create)
        self._copy(conn, stage, table, rows)
        names = [column.name for column in table.columns]
        staged = sa.table(stage, *[sa.column(name) for name in names])
        stmt = pg_dialect.insert(table).from_select(names, sa.select(*[staged.c[name] for name in names]))
        conn.execute(_on_conflict(stmt, table, conflict))
        driver.execute(drop)


def make_bulk_writer(dialect: sa.Dialect) -> BulkWriter:
    """Return the bulk strategy for ``dialect`` (``sqlite`` or ``postgresql``)."""
    if dialect.name == "postgresql":
        return PostgresBulkWriter()
    return SqliteBulkWriter(dialect)
