"""What holds when two requests act on the same records at the same moment.

`lock()` serialises a check and the write after it on one row (the state machines call it), `lock_all()`
on every row a statement selects;
`unique()` turns a unique key that another request filled first into a clear refusal;
`release_reads()` ends a reading page's transaction before its long work (drawing a document);
`reads_first` lets a busy form (a scan, a donation) read without SQLite's write lock until its service call
starts writing (`start_writing()`). They work the same on PostgreSQL (row locks, READ COMMITTED) and SQLite
(one writer at a time).
"""
from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import wraps
from typing import Any, TypeVar

import sqlalchemy as sa
import sqlalchemy.orm
from flask import g

from books2iraq.db import READING_FIRST, only_reads
from books2iraq.errors import DomainError
from books2iraq.extensions import db

_LOCKED = "books2iraq.locked_rows"


def lock(record: Any) -> None:
    """Lock the record's row until the transaction ends, and read its newest committed state.

    Once per record and transaction; a record added in this transaction needs no lock.
    """
    session = sa.orm.object_session(record)
    state = sa.inspect(record)
    if session is None or state.pending or state.transient:
        return
    locked: set[tuple[type, Any]] = session.info.setdefault(_LOCKED, set())
    key = (type(record), state.identity)
    if key in locked:
        return
    session.flush()  # refresh() would drop changes not yet written
    session.refresh(record, with_for_update=True)
    locked.add(key)


def lock_all(stmt: sa.Select[Any]) -> list[Any]:
    """The records `stmt` selects, each locked as lock() locks one, in one statement (SELECT … FOR UPDATE,
    their newest committed state). `stmt` selects one model and joins nothing that may be null."""
    session = db.session
    session.flush()  # reading the rows afresh would drop changes not yet written
    records = list(session.scalars(stmt.with_for_update().execution_options(populate_existing=True)))
    locked: set[tuple[type, Any]] = session.info.setdefault(_LOCKED, set())
    locked.update((type(record), sa.inspect(record).identity) for record in records)
    return records


@sa.event.listens_for(sa.orm.Session, "pending_to_persistent")
def _new_rows_are_ours(session: sa.orm.Session, record: Any) -> None:
    """A row this transaction inserted is invisible to every other until commit: no lock needed
    (a lot split off by sorting is moved at once, without a second SELECT … FOR UPDATE)."""
    session.info.setdefault(_LOCKED, set()).add((type(record), sa.inspect(record).identity))


@sa.event.listens_for(sa.orm.Session, "after_transaction_end")
def _forget_locks(session: sa.orm.Session, transaction: sa.orm.SessionTransaction) -> None:
    if transaction.parent is None:  # the database transaction itself ended: its locks are gone
        session.info.pop(_LOCKED, None)


@contextmanager
def unique(refusal: str) -> Iterator[None]:
    """Write inside a savepoint; when a unique key was filled by another request first, undo just
    this write and refuse with `refusal` (instead of a server error)."""
    try:
        with db.session.begin_nested():
            yield
    except sa.exc.IntegrityError as exc:
        raise DomainError(refusal) from exc


def release_reads() -> None:
    """End the transaction of a page that only reads, once it holds all it needs as plain data (a
    document about to be drawn): a long render then keeps no snapshot, lock or connection."""
    if only_reads():
        db.session.rollback()  # nothing was written: ending it discards nothing


F = TypeVar("F", bound=Callable[..., Any])


def reads_first(view: F) -> F:
    """For a form view whose writes are all its one service call (web.submit_form, web.post_form): on
    SQLite its transaction reads without the write lock (who is signed in, the form's choices) and takes
    the lock only when the call starts (start_writing), so two volunteers' requests overlap but for the
    writing itself. Put it above role_required, which reads the user."""

    @wraps(view)
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        g.setdefault(READING_FIRST, True)
        return view(*args, **kwargs)

    return wrapped  # type: ignore[return-value]


def writes(view: F) -> F:
    """For a GET that records something (asking for a document records the job that draws it): on
    SQLite its transaction takes the write lock from its first statement, as a form's does. Put it above
    role_required."""

    @wraps(view)
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        g.setdefault(READING_FIRST, False)
        return view(*args, **kwargs)

    return wrapped  # type: ignore[return-value]


def start_writing() -> None:
    """From here the request writes. Under reads_first, its reading transaction ends (it wrote nothing,
    so ending it loses nothing, and what it read stays loaded) and the next one takes the write lock."""
    if not g.get(READING_FIRST):
        return
    setattr(g, READING_FIRST, False)
    if db.session().in_transaction():
        commit_keeping_loaded()


def commit_keeping_loaded() -> None:
    """Commit, and keep what the request loaded and wrote as it is: what it then says of the records
    (the success message, the redirect) is what it just wrote, without reading each one again."""
    session = db.session()
    expire, session.expire_on_commit = session.expire_on_commit, False
    try:
        session.commit()
    finally:
        session.expire_on_commit = expire
