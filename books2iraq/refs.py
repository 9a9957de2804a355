"""Human references (D-2026-000123, S-2026-007, PI-2026-0007, B2I-C-000123, B2I-P-000012) from a per-year counter table."""
from __future__ import annotations

import functools

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Mapped, mapped_column

from books2iraq.extensions import Model, db


class RefCounter(Model):
    __tablename__ = "ref_counters"

    name: Mapped[str] = mapped_column(sa.String(16), primary_key=True)
    year: Mapped[int] = mapped_column(primary_key=True)
    value: Mapped[int] = mapped_column(default=0)


def next_value(name: str, year: int = 0) -> int:
    """Take the next number of a counter, in one statement; safe under concurrent transactions (the
    counter's row stays locked until the transaction ends, so numbers are never taken twice or skipped)."""
    return db.session.execute(_taking(db.session.get_bind().dialect.name), {"name": name, "year": year}).scalar_one()


@functools.cache
def _taking(dialect: str) -> sa.Executable:
    """The statement that takes a number (built once: every donation takes one while it holds the lock)."""
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    upsert = insert(RefCounter).values(name=sa.bindparam("name"), year=sa.bindparam("year"), value=1)
    return upsert.on_conflict_do_update(
        index_elements=[RefCounter.name, RefCounter.year], set_={"value": RefCounter.value + 1}
    ).returning(RefCounter.value)


# How each kind of reference starts: a scanned code is told apart by it.
DONATION, SHIPMENT, INVOICE, CRATE, PALLET = "D-", "S-", "PI-", "B2I-C-", "B2I-P-"


def donation_ref(year: int) -> str:
    return f"{DONATION}{year}-{next_value('donation', year):06d}"


def shipment_ref(year: int) -> str:
    return f"{SHIPMENT}{year}-{next_value('shipment', year):03d}"


def invoice_ref(year: int) -> str:
    return f"{INVOICE}{year}-{next_value('invoice', year):04d}"


def crate_code() -> str:
    return f"{CRATE}{next_value('crate'):06d}"


def pallet_code() -> str:
    return f"{PALLET}{next_value('pallet'):06d}"
