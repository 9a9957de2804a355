"""The audit trail: every state change, by whom and when.

Services call record() after they change something; the event is written in the same
transaction as the change, so either both land or neither does.
"""
from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from books2iraq.db import utcnow
from books2iraq.extensions import Model, db
from books2iraq.labels import counted

if TYPE_CHECKING:
    from books2iraq.auth.models import User


class AuditEvent(Model):
    __tablename__ = "audit_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    actor_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"), index=True)
    action: Mapped[str] = mapped_column(sa.String(64), index=True)
    subject_type: Mapped[str] = mapped_column(sa.String(32))
    subject_id: Mapped[int | None]
    subject_ref: Mapped[str | None] = mapped_column(sa.String(64))
    detail: Mapped[dict[str, Any]] = mapped_column(sa.JSON, default=dict)

    actor: Mapped[User | None] = relationship()

    __table_args__ = (sa.Index("ix_audit_events_subject", "subject_type", "subject_id"),)

    def __repr__(self) -> str:
        return f"<AuditEvent {self.action} {self.subject_type}:{self.subject_id}>"


def _subject_ref(subject: Any) -> str | None:
    for attr in ("ref", "code", "email", "isbn13", "name"):
        value = getattr(subject, attr, None)
        if value:
            return str(value)[:64]
    return None


def record(actor: User | None, action: str, subject: Any, **detail: Any) -> AuditEvent:
    """Add an audit event for `subject` (a model instance) in the current transaction."""
    if getattr(subject, "id", None) is None:
        db.session.flush()
    event = AuditEvent(
        actor=actor,
        action=action,
        subject_type=type(subject).__name__,
        subject_id=subject.id,
        subject_ref=_subject_ref(subject),
        detail={k: _jsonable(v) for k, v in detail.items()},
    )
    db.session.add(event)
    return event


def _jsonable(value: Any) -> Any:
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    return str(value)


# What the lot and crate histories say of each event, in words; other events fall back to their
# details as "name: value" pairs.
SENTENCES = {
    "lot.accepted": "Accepted {quantity_counted} as fit to send.",
    "lot.rejected": "Rejected {quantity_counted} ({reason}); {disposition}.",
    "lot.catalogued": "Catalogued as title no. {title_id}.",
    "lot.count_corrected": "Count corrected by {delta:+d} to {counted}: {reason}.",
    "lot.packed": "Packed {quantity_counted} into crate {crate}.",
    "lot.unpacked": "Took {quantity_counted} out of crate {crate}.",
    "lot.split": "{quantity_counted} went on as lot {new_lot}; {remaining} stayed here.",
    "lot.voided": "Voided with donation {donation}, {quantity_counted} counted away: {reason}.",
    "crate.opened": "Opened at {site}.",
    "crate.sealed": "Sealed with {copies_counted}, {gross_kg} kg gross.",
    "crate.reopened": "Reopened: {reason}.",
    "crate.assigned": "Put on shipment {shipment}.",
    "crate.unassigned": "Taken off shipment {shipment}.",
    "title.created": "Added to the catalogue.",
    "title.catalogued": "Catalogued as “{title}”.",
    "title.edited": "Details changed: {changes}.",
    "donor.edited": "Details changed: {changes}.",
    "title.isbn_attached": "ISBN {isbn13} attached.",
    "title.merged": "Title no. {merged_title_id} merged into this one: {lots_counted} and {donation_lines_counted} moved.",
}


# Numbers in the details that read as a count of something.
COUNTED = {"quantity": ("copy", "copies"), "copies": ("copy", "copies"), "lots": ("lot", "lots"),
           "donation_lines": ("donation line", "donation lines")}


def describe(event: AuditEvent) -> str:
    """An event of a history as a sentence a person reads, not as data."""
    detail = {key: _words(value) for key, value in (event.detail or {}).items()}
    for key, (one, many) in COUNTED.items():  # "1 copy", "7 copies"; "1 lot moved"
        if isinstance(detail.get(key), int):
            detail[f"{key}_counted"] = counted(detail[key], one, many)
    if isinstance(detail.get("changes"), dict):  # {"year": [1999, 2001]}: "year from 1999 to 2001"
        detail["changes"] = "; ".join(
            f"{field.replace('_', ' ')} from {_quoted(before)} to {_quoted(after)}"
            for field, (before, after) in detail["changes"].items()
        )
    try:
        return SENTENCES[event.action].format(**detail)
    except (KeyError, ValueError, IndexError):
        words = event.action.replace(".", " ").replace("_", " ").capitalize()
        pairs = ", ".join(f"{key.replace('_', ' ')}: {value}" for key, value in detail.items() if value not in (None, ""))
        return f"{words}{': ' + pairs if pairs else ''}."


def _quoted(value: Any) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    return "—" if value in (None, "") else f"“{_words(value)}”"


def _words(value: Any) -> Any:
    """A stored code (water_damaged, donate_locally) as words; anything else as it is."""
    if isinstance(value, str) and value.isidentifier() and value.islower():
        return value.replace("_", " ")
    return value


def events_for(subject: Any) -> list[AuditEvent]:
    stmt = (
        sa.select(AuditEvent)
        .where(AuditEvent.subject_type == type(subject).__name__, AuditEvent.subject_id == subject.id)
        .order_by(AuditEvent.id)
    )
    return list(db.session.scalars(stmt))
