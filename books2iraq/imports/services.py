"""An uploaded spreadsheet's way through: kept as sent (`upload`), read again for each look at it
(`sheet_of`), and marked imported once what it lists is recorded (`imported`), in the same transaction.
A file already imported is refused, by its content's SHA-256, whatever its name."""
from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import Any, TypeVar

import sqlalchemy as sa
from flask_babel import gettext as _

from books2iraq import audit
from books2iraq.auth.models import User
from books2iraq.auth.roles import Role
from books2iraq.concurrency import unique
from books2iraq.db import utcnow
from books2iraq.errors import DomainError, NotFound
from books2iraq.extensions import db
from books2iraq.i18n import counted, day, number
from books2iraq.imports import sheets
from books2iraq.imports.models import ImportKind, SheetImport

T = TypeVar("T")
MAX_BYTES = 5 * 1024 * 1024  # a 20,000-row sheet is about 1 MB as XLSX


def upload(kind: ImportKind, file_name: str, content: bytes, *, actor: User, check: Callable[[sheets.Sheet], Any]) -> SheetImport:
    """Keep a file to import once it reads as a sheet with the columns `check` wants; refuse one that
    was imported already."""
    if len(content) > MAX_BYTES:
        raise DomainError(_("The file is larger than %(most)s MB; split it into several files.",
                            most=number(MAX_BYTES // (1024 * 1024))), field="file")
    sheet = sheets.read(content)
    check(sheet)
    digest = hashlib.sha256(content).hexdigest()
    _not_imported_before(kind, digest)
    name = " ".join((file_name or "").replace("/", " ").replace("\\", " ").split())[-200:] or "sheet"
    upload = SheetImport(kind=kind, file_name=name, sha256=digest, content=content, uploaded_by_id=actor.id,
                         rows=len(sheet.rows))
    db.session.add(upload)
    db.session.flush()
    audit.record(actor, "sheet.uploaded", upload, kind=kind.value, file=name, rows=len(sheet.rows), sha256=digest)
    return upload


def _not_imported_before(kind: ImportKind, digest: str) -> None:
    done = db.session.scalar(sa.select(SheetImport).where(SheetImport.kind == kind, SheetImport.sha256 == digest,
                                                          SheetImport.imported_at.is_not(None)))
    if done is not None:
        raise DomainError(_already(done), field="file")


def _already(done: SheetImport) -> str:
    return _("This file was imported on %(day)s as %(ref)s; nothing was imported again.",
             day=day(done.imported_at), ref=done.result_ref)


def get(upload_id: int, actor: User) -> SheetImport:
    """An upload, for the person who sent it or a coordinator; NotFound for anyone else."""
    upload = db.session.get(SheetImport, upload_id)
    if upload is None or (upload.uploaded_by_id != actor.id and not actor.has_role(Role.COORDINATOR)):
        raise NotFound(_("There is no such upload."))
    return upload


def sheet_of(upload: SheetImport) -> sheets.Sheet:
    return sheets.read(upload.content)


def still_to_import(upload: SheetImport, kind: ImportKind) -> None:
    """Refuse an upload sent for another kind of import, and one that was imported, or whose file was,
    since it was sent."""
    if upload.kind is not kind:
        raise DomainError(_("This file was sent for another kind of import."))
    if upload.imported_at is not None:
        raise DomainError(_already(upload))
    _not_imported_before(upload.kind, upload.sha256)


def rows_to_import(checked: sheets.CheckedSheet[T], *, leave_out: bool) -> list[sheets.Checked[T]]:
    """The right rows of a checked sheet, to import: refused while rows are wrong, unless `leave_out` says
    the person chose to import the others without them, and refused when no row is right."""
    bad, good = checked.bad, checked.good
    if not good:
        raise DomainError(_("No row of the sheet is right: nothing can be recorded. Correct the file and send it again."))
    if bad and not leave_out:
        raise DomainError(counted(
            len(bad),
            "%(num)s row has a problem: correct the file and send it again, or choose to leave it out.",
            "%(num)s rows have a problem: correct the file and send it again, or choose to leave them out.",
        ), field="leave_out")
    return good


def import_each(upload: SheetImport, kind: ImportKind, check: Callable[[sheets.Sheet], sheets.CheckedSheet[dict[str, Any]]],
                add: Callable[..., object], *, leave_out: bool, actor: User) -> int:
    """Import a sheet whose every right row is one record (a recipient, a site): the file as it was
    uploaded checked again now, each right row's record added (`add(**row, actor=actor)`, which audits
    it), the upload marked imported, all in the request's one transaction. Returns how many were added."""
    still_to_import(upload, kind)
    checked = check(sheet_of(upload))
    rows = rows_to_import(checked, leave_out=leave_out)
    for row in rows:
        add(**(row.value or {}), actor=actor)
    imported(upload, result_ref=str(len(rows)), imported_rows=len(rows), left_out=[row.number for row in checked.bad],
             actor=actor)
    return len(rows)


def imported(upload: SheetImport, *, result_ref: str, imported_rows: int, left_out: list[int], actor: User) -> SheetImport:
    """Mark an upload imported, in the transaction that recorded what it lists (which called
    still_to_import first); the same file imported at the same moment by another request is refused by
    the unique index, and this whole import undone."""
    with unique(_("This file has just been imported by someone else; nothing was imported again.")):
        upload.imported_at, upload.imported_rows, upload.left_out, upload.result_ref = utcnow(), imported_rows, left_out, result_ref
        db.session.flush()
    audit.record(actor, "sheet.imported", upload, result=result_ref, rows=imported_rows, left_out=len(left_out))
    return upload


def recent(actor: User, kind: ImportKind, limit: int = 20) -> list[SheetImport]:
    """The latest uploads of a kind: the person's own, or everyone's for a coordinator."""
    stmt = sa.select(SheetImport).where(SheetImport.kind == kind).order_by(SheetImport.id.desc()).limit(limit)
    if not actor.has_role(Role.COORDINATOR):
        stmt = stmt.where(SheetImport.uploaded_by_id == actor.id)
    return list(db.session.scalars(stmt.options(sa.orm.selectinload(SheetImport.uploaded_by))))
