"""Backups of the whole database: SQLite's online backup, or pg_dump's custom format for PostgreSQL; and
of the files kept beside it (the signed goods received notes), as a .tar.gz."""
from __future__ import annotations

import glob
import os
import shutil
import sqlite3
import subprocess
import tarfile
from datetime import UTC, datetime
from pathlib import Path

import sqlalchemy as sa

from books2iraq.errors import DomainError


def backup(url: str, directory: Path) -> Path:
    """Write a consistent copy of the database at `url` into `directory`; return its path."""
    parsed = sa.make_url(url)
    directory.mkdir(mode=0o700, parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S")
    if parsed.get_backend_name() == "sqlite":
        if not parsed.database or parsed.database == ":memory:":
            raise DomainError("An in-memory database cannot be backed up.")
        target = _private_file(directory / f"books2iraq-{stamp}.sqlite")
        with sqlite3.connect(parsed.database) as source, sqlite3.connect(target) as copy:
            source.backup(copy)  # consistent even while the app is writing
        return target
    if parsed.get_backend_name() == "postgresql":
        target = _private_file(directory / f"books2iraq-{stamp}.pgdump")
        # The password goes in the environment, never on the command line (which `ps` shows to everyone).
        libpq_url = parsed._replace(drivername="postgresql", password=None).render_as_string(hide_password=False)
        env = {**os.environ, **({"PGPASSWORD": str(parsed.password)} if parsed.password else {})}
        result = subprocess.run(
            [_pg_dump(), "--format=custom", "--no-owner", f"--file={target}", f"--dbname={libpq_url}"],
            capture_output=True,
            text=True,
            env=env,
        )
        if result.returncode != 0:
            raise DomainError(f"pg_dump failed: {result.stderr.strip()}")
        return target
    raise DomainError(f"No backup method for {parsed.get_backend_name()} databases.")


def backup_files(folder: Path, directory: Path, name: str) -> Path | None:
    """Write the files under `folder` into `directory`/`name`.tar.gz, readable by its owner only; None
    when there are none."""
    files = sorted(p for p in folder.rglob("*") if p.is_file() and p.suffix != ".part") if folder.is_dir() else []
    if not files:
        return None
    directory.mkdir(mode=0o700, parents=True, exist_ok=True)
    target = _private_file(directory / f"{name}.tar.gz")
    with tarfile.open(target, "w:gz") as archive:
        for path in files:
            archive.add(path, arcname=str(path.relative_to(folder)))
    return target


def _private_file(path: Path) -> Path:
    """An empty file only its owner may read or write, for the backup to be written into."""
    os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
    return path


def _pg_dump() -> str:
    found = shutil.which("pg_dump") or next(iter(sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_dump"))[::-1]), None)
    if found is None:
        raise DomainError("pg_dump is not installed (Debian package postgresql-client).")
    return found
