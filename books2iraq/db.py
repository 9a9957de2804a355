"""Declarative base shared by every model: naming convention, enums, common column types."""
from __future__ import annotations

import enum
import sqlite3
from datetime import UTC, datetime
from decimal import Decimal

import sqlalchemy as sa
from flask import g, has_request_context, request
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, registry

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utcnow() -> datetime:
    return datetime.now(UTC)


def aware(moment: datetime) -> datetime:
    """A moment read from the database, in UTC: SQLite gives back naive UTC datetimes, PostgreSQL aware ones."""
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


Kilograms = sa.Numeric(10, 2)


def enum_column(enum_cls: type[enum.Enum], name: str) -> sa.Enum:
    """An enum stored as its values in a VARCHAR with a CHECK constraint (portable, migratable).

    Use it directly when one table has two columns of the same enum (the CHECK names would clash).
    """
    return sa.Enum(
        enum_cls,
        name=name,
        native_enum=False,
        create_constraint=True,
        length=32,
        values_callable=lambda e: [m.value for m in e],
        validate_strings=True,
    )


def _enum_type() -> sa.Enum:
    return sa.Enum(
        enum.Enum,
        native_enum=False,
        create_constraint=True,
        length=32,
        values_callable=lambda e: [m.value for m in e],
        validate_strings=True,
    )


class Base(DeclarativeBase):
    # Metadata and type map live on one registry, because Flask-SQLAlchemy subclasses this base again.
    registry = registry(
        metadata=sa.MetaData(naming_convention=NAMING_CONVENTION),
        type_annotation_map={
            enum.Enum: _enum_type(),
            datetime: sa.DateTime(timezone=True),
            Decimal: Kilograms,
            str: sa.String(255),
        },
    )


class TimestampMixin:
    created_at: Mapped[datetime] = mapped_column(default=utcnow, server_default=sa.func.now())


class MeasuredMixin:
    """A package's outside size in whole centimetres (a crate's, a pallet's), and its volume from it."""

    length_cm: Mapped[int | None]
    width_cm: Mapped[int | None]
    height_cm: Mapped[int | None]

    @property
    def dimensions_cm(self) -> tuple[int, int, int] | None:
        """(length, width, height), or None unless all three are known."""
        if self.length_cm and self.width_cm and self.height_cm:
            return self.length_cm, self.width_cm, self.height_cm
        return None

    @property
    def volume_m3(self) -> Decimal | None:
        dims = self.dimensions_cm
        if dims is None:
            return None
        return (Decimal(dims[0] * dims[1] * dims[2]) / Decimal(1_000_000)).quantize(Decimal("0.001"))


@sa.event.listens_for(sa.engine.Engine, "connect")
def _sqlite_connect(dbapi_connection: object, _record: object) -> None:
    """SQLite: check foreign keys, wait for a busy database, let SQLAlchemy own transactions, and keep
    a write-ahead log so that reading never waits for a writer, nor a writer for readers."""
    if isinstance(dbapi_connection, sqlite3.Connection):
        dbapi_connection.isolation_level = None  # pysqlite's own BEGIN handling breaks SAVEPOINTs
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=15000")
        cursor.execute("PRAGMA journal_mode=WAL")  # kept in the file; an in-memory database ignores it
        cursor.execute("PRAGMA synchronous=NORMAL")  # WAL's own recommendation: durable at each checkpoint
        cursor.close()


@sa.event.listens_for(sa.engine.Engine, "begin")
def _sqlite_begin(connection: sa.engine.Connection) -> None:
    """SQLite: a transaction that may write takes the write lock when it starts; a page that only
    reads does not, so printing a long packing list never holds up a volunteer's intake.

    Two transactions that both read and then write would otherwise deadlock on upgrading their read
    locks, and SQLite refuses one at once ("database is locked") instead of waiting for the other.
    """
    if connection.dialect.name == "sqlite":
        connection.exec_driver_sql("BEGIN" if only_reads() else "BEGIN IMMEDIATE")


def only_reads() -> bool:
    """Whether the current request only reads (so far): a GET or HEAD that carries no API token (an API
    call notes when its token was last used), or a form whose view reads first (concurrency.reads_first)
    until its one service call starts writing; a GET that records something (concurrency.writes) does not.
    Commands and tests are writers."""
    if not has_request_context():
        return False
    if READING_FIRST in g:
        return bool(g.get(READING_FIRST))
    return request.method in ("GET", "HEAD") and not request.headers.get("Authorization", "").lower().startswith("bearer ")


READING_FIRST = "b2i_reading_first"  # on flask.g: True while this request reads first, False once it writes


def include_name(name: str | None, type_: str, parent_names: object) -> bool:
    """For Alembic: leave out the tables the migrations make by hand rather than from the models (the
    search index, the worker's queue), so that comparing the models with the database skips them."""
    from books2iraq.jobs import is_queue_table
    from books2iraq.search.index import is_index_table

    return not (type_ == "table" and (is_index_table(name) or is_queue_table(name)))


def bulk_insert(connection: sa.Connection, table: sa.TableClause, columns: list[str], rows: list[tuple[object, ...]]) -> None:
    """Rows (values in the order of `columns`) into a table as fast as the database takes them:
    PostgreSQL's COPY, one executemany elsewhere. For bulk loads only: no ORM events, no defaults."""
    if not rows:
        return
    if connection.dialect.name != "postgresql":
        connection.execute(table.insert(), [dict(zip(columns, row, strict=True)) for row in rows])
        return
    raw = connection.connection.driver_connection
    with raw.cursor() as cursor, cursor.copy(f"COPY {table.name} ({', '.join(columns)}) FROM STDIN") as copy:  # type: ignore[union-attr]
        for row in rows:
            copy.write_row([value.value if isinstance(value, enum.Enum) else value for value in row])
