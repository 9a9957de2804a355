"""Two requests at the same moment, each with its own database connection.

`race(app, first, second)` runs `first` in one thread and holds its transaction open (its writes
flushed, its locks held) while `second` runs in another thread, then commits both. On PostgreSQL
(READ COMMITTED) the second request reads the database before the first has committed, which is the
race; a guard (a row lock, a unique key) makes it wait for the first or refuse. On SQLite the second
waits for the write lock from its first statement.
"""
from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from flask import Flask

from books2iraq.errors import DomainError
from books2iraq.extensions import db

HOLD_SECONDS = 0.6


@dataclass(frozen=True)
class Outcome:
    ok: bool
    message: str = ""  # the refusal a person sees, when not ok
    value: Any = None


def race(app: Flask, first: Callable[[], Any], second: Callable[[], Any]) -> tuple[Outcome, Outcome]:
    """Each callable loads what it needs (in its own app context and session) and makes one service call."""
    first_done = threading.Event()
    outcomes: dict[str, Outcome] = {}
    crashes: list[BaseException] = []

    def run(name: str, action: Callable[[], Any]) -> None:
        try:
            with app.app_context():
                try:
                    value = action()
                    db.session.flush()
                    if name == "first":
                        first_done.set()
                        time.sleep(HOLD_SECONDS)  # the second request runs into what this one holds
                    db.session.commit()
                    outcomes[name] = Outcome(True, value=value)
                except DomainError as exc:
                    db.session.rollback()
                    outcomes[name] = Outcome(False, str(exc))
        except BaseException as exc:
            crashes.append(exc)
        finally:
            first_done.set()

    one = threading.Thread(target=run, args=("first", first))
    one.start()
    assert first_done.wait(30)
    two = threading.Thread(target=run, args=("second", second))
    two.start()
    one.join(60)
    two.join(60)
    assert not crashes, f"a request crashed instead of succeeding or being refused: {crashes!r}"
    return outcomes["first"], outcomes["second"]
