"""Work that outgrows a request, done by a worker process beside the web servers (Huey).

The queue lives in the database the app already has: on PostgreSQL, Huey's tables in the same database
(made by the migrations); on SQLite, a file of its own beside the app's (`books2iraq-jobs.sqlite`).
`flask --app wsgi jobs work` runs the worker (`make run` and `make serve` start one); with
JOBS_IMMEDIATE (the tests) a task runs at once, inside the call that queues it.

A module registers its tasks with `@task` (or `@periodic(crontab(...))`) when it is imported; each app
binds them to its own queue, and the worker runs each in an application context of that app.
"""
from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from flask import Flask, current_app
from huey import Huey, MemoryHuey, PostgresHuey, SqliteHuey, crontab

__all__ = ["crontab", "enqueue", "huey", "init_app", "periodic", "task", "worker"]

QUEUE = "books2iraq"
TABLE_PREFIX = "huey"  # PostgreSQL: huey_task, huey_schedule, huey_kv, huey_counter
EXTENSION = "books2iraq.jobs"
log = logging.getLogger(__name__)


@dataclass(frozen=True)
class _Task:
    function: Callable[..., Any]
    schedule: Any = None  # a crontab for a periodic task


_TASKS: dict[str, _Task] = {}


def _name(function: Callable[..., Any]) -> str:
    return f"{function.__module__}.{function.__name__}"


def task(function: Callable[..., Any]) -> Callable[..., Any]:
    """Register `function` as a task: `enqueue(function, *args)` runs it in the worker."""
    _TASKS[_name(function)] = _Task(function)
    return function


def periodic(schedule: Any) -> Callable[[Callable[[], Any]], Callable[[], Any]]:
    """Register `function` to run in the worker on `schedule` (a huey.crontab)."""

    def register(function: Callable[[], Any]) -> Callable[[], Any]:
        _TASKS[_name(function)] = _Task(function, schedule)
        return function

    return register


def storage_for(database_url: str, *, immediate: bool = False) -> Huey:
    """The queue for an app on `database_url`: Huey's tables in the same PostgreSQL database, or a
    SQLite file beside the app's own; in memory, running each task at once, when `immediate`."""
    if immediate:
        return MemoryHuey(QUEUE, immediate=True, results=False)
    url = sa.make_url(database_url)
    if url.get_backend_name() == "postgresql":
        dsn = url.set(drivername="postgresql").render_as_string(hide_password=False)
        return PostgresHuey(QUEUE, dsn=dsn, table_prefix=TABLE_PREFIX, create_tables=False, results=False)
    if not url.database or url.database == ":memory:":
        raise RuntimeError("An in-memory SQLite database has no room for a queue: set JOBS_IMMEDIATE, or use a file.")
    path = Path(url.database)
    return SqliteHuey(QUEUE, filename=str(path.with_name(f"{path.stem}-jobs.sqlite")), results=False)


def init_app(app: Flask) -> None:
    queue = storage_for(app.config["SQLALCHEMY_DATABASE_URI"], immediate=bool(app.config.get("JOBS_IMMEDIATE")))
    bound: dict[str, Any] = {}
    for name, registered in _TASKS.items():

        def run(*args: Any, _function: Callable[..., Any] = registered.function) -> Any:
            with app.app_context():
                return _function(*args)

        if registered.schedule is None:
            bound[name] = queue.task(name=name)(run)
        else:
            bound[name] = queue.periodic_task(registered.schedule, name=name)(run)
    app.extensions[EXTENSION] = (queue, bound)


def huey(app: Flask | None = None) -> Huey:
    return (app or current_app).extensions[EXTENSION][0]


def enqueue(function: Callable[..., Any], *args: Any) -> None:
    """Queue `function(*args)` for the worker (with JOBS_IMMEDIATE, run it now)."""
    current_app.extensions[EXTENSION][1][_name(function)](*args)


def worker(app: Flask, workers: int = 1) -> Any:
    """The worker of this app's queue (Huey's consumer, `workers` threads); `.run()` runs it until a
    signal stops it. An idle worker looks at a SQLite queue twice a second (PostgreSQL tells it at once)."""
    return huey(app).create_consumer(
        workers=workers, worker_type="thread", periodic=True, check_worker_health=True, max_delay=0.5
    )


def where(app: Flask) -> str:
    """Where the app's queue is, for the worker to say."""
    storage = huey(app).storage
    return getattr(storage, "filename", None) or f"PostgreSQL ({TABLE_PREFIX}_* tables)"


def postgres_tables() -> tuple[list[str], list[str]]:
    """Huey's tables in PostgreSQL, as Huey itself makes them (for the migration): the statements that
    make them, and their names."""
    from huey.storage import PostgresStorage

    storage = PostgresStorage(QUEUE, dsn="", table_prefix=TABLE_PREFIX, create_tables=False)  # connects to nothing
    names = [storage.table_kv, storage.table_schedule, storage.table_task, storage.table_counter]
    return list(storage.ddl), names


def is_queue_table(name: str | None) -> bool:
    """For Alembic: Huey's own tables, made from Huey's statements, are not the models'."""
    return bool(name) and str(name).startswith(f"{TABLE_PREFIX}_")
