"""The goods received note as the recipient signed and stamped it, sent back as a photo or a PDF.

A file is accepted only when its first bytes say it is a PDF, a JPEG or a PNG (whatever its name or
the browser says), and, for a picture, when Pillow can read it whole; it is kept in the upload folder,
outside the web root, under the digest of its content, and served only through the app, to those who
may see its shipment, as a download.
"""
from __future__ import annotations

import hashlib
from io import BytesIO
from pathlib import Path
from typing import IO

import sqlalchemy as sa
from flask import current_app
from flask_babel import gettext as _
from PIL import Image, UnidentifiedImageError

from books2iraq import audit
from books2iraq.auth.models import User
from books2iraq.errors import DomainError, NotFound
from books2iraq.extensions import db
from books2iraq.receiving.models import ReceivedNote
from books2iraq.shipping.models import Shipment

# The kinds of file taken, by their first bytes: (media type, file name ending).
KINDS = ((b"%PDF-", "application/pdf", "pdf"), (b"\xff\xd8\xff", "image/jpeg", "jpg"),
         (b"\x89PNG\r\n\x1a\n", "image/png", "png"))
MAX_PIXELS = 60_000_000  # a phone's photo is 12-50 megapixels; more is not a photo of a page


def folder() -> Path:
    path = Path(current_app.config.get("UPLOAD_FOLDER") or Path(current_app.instance_path) / "uploads") / "received-notes"
    path.mkdir(parents=True, exist_ok=True)
    return path


def max_bytes() -> int:
    return int(current_app.config["RECEIVED_NOTE_MAX_BYTES"])


def _kind(content: bytes) -> tuple[str, str]:
    for magic, media_type, ending in KINDS:
        if content.startswith(magic):
            return media_type, ending
    raise DomainError(_("Send the signed note as a PDF, or a photo in JPEG or PNG; this file is none of them."),
                      field="file")


def _check_picture(content: bytes) -> None:
    try:
        with Image.open(BytesIO(content)) as picture:
            if picture.width * picture.height > MAX_PIXELS:
                raise DomainError(_("This picture is too large; send a photo of the page."), field="file")
            picture.load()  # reads it whole: a truncated or corrupt file fails here
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError) as exc:
        raise DomainError(_("This picture cannot be read; take the photo again."), field="file") from exc


def attach(shipment: Shipment, stream: IO[bytes], filename: str | None, *, actor: User) -> ReceivedNote:
    """Keep the signed note of `shipment` sent as `stream` (its earlier ones stay: a clearer photo may follow)."""
    limit = max_bytes()
    content = stream.read(limit + 1)
    if len(content) > limit:
        raise DomainError(_("The file is larger than %(size)s MB; send a smaller photo or PDF.",
                            size=limit // (1024 * 1024)), field="file")
    if not content:
        raise DomainError(_("The file is empty."), field="file")
    media_type, ending = _kind(content)
    if media_type != "application/pdf":
        _check_picture(content)
    digest = hashlib.sha256(content).hexdigest()
    path = folder() / f"{digest}.{ending}"
    if not path.exists():
        partial = path.with_suffix(".part")
        partial.write_bytes(content)
        partial.replace(path)  # whole or not at all
    name = Path((filename or "").replace("\\", "/")).name.strip()[:150] or f"signed-note.{ending}"
    note = ReceivedNote(shipment_id=shipment.id, filename=name, media_type=media_type, size=len(content),
                        sha256=digest, uploaded_by_id=actor.id)
    db.session.add(note)
    db.session.flush()
    audit.record(actor, "shipment.signed_note_attached", shipment, file=name, size=len(content), sha256=digest)
    return note


def notes_of(shipment: Shipment) -> list[ReceivedNote]:
    return list(db.session.scalars(
        sa.select(ReceivedNote).where(ReceivedNote.shipment_id == shipment.id).order_by(ReceivedNote.id)))


def note_of(shipment: Shipment, note_id: int) -> tuple[ReceivedNote, Path]:
    note = db.session.scalar(
        sa.select(ReceivedNote).where(ReceivedNote.id == note_id, ReceivedNote.shipment_id == shipment.id))
    if note is None:
        raise NotFound(_("There is no such signed note."))
    ending = next(ending for _magic, media_type, ending in KINDS if media_type == note.media_type)
    return note, folder() / f"{note.sha256}.{ending}"
