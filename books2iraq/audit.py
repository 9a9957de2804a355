"""The audit trail: every state change, by whom and when.

Services call record() after they change something; the event is written in the same
transaction as the change, so either both land or neither does.
"""
from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.orm import Mapped, mapped_column, relationship

from books2iraq.db import utcnow
from books2iraq.extensions import Model, db
from books2iraq.i18n import N_, N_plural, counted, number

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
# details as "name: value" pairs. The sentence is translated where it is shown (describe); what is
# stored (the event's detail) stays as it was recorded.
SENTENCES = {
    "lot.accepted": N_("Accepted {quantity_counted} as fit to send."),
    "lot.rejected": N_("Rejected {quantity_counted} ({reason}); {disposition}."),
    "lot.catalogued": N_("Catalogued as title no. {title_id}."),
    "lot.count_corrected": N_("Count corrected by {delta:+d} to {counted}: {reason}."),
    "lot.packed": N_("Packed {quantity_counted} into crate {crate}."),
    "lot.unpacked": N_("Took {quantity_counted} out of crate {crate}."),
    "lot.split": N_("{quantity_counted} went on as lot {new_lot}; {remaining} stayed here."),
    "lot.voided": N_("Voided with donation {donation}, {quantity_counted} counted away: {reason}."),
    "crate.opened": N_("Opened at {site}."),
    "crate.sealed": N_("Sealed with {copies_counted}, {gross_kg} kg gross."),
    "crate.reopened": N_("Reopened: {reason}."),
    "crate.assigned": N_("Put on shipment {shipment}."),
    "crate.unassigned": N_("Taken off shipment {shipment}."),
    "crate.checked_in": N_("Checked in from shipment {shipment} as {outcome}: {received} received, {damaged} damaged, "
                           "{missing} missing."),
    "crate.checked_in_again": N_("Checked in again as {outcome}: {received} received, {damaged} damaged, {missing} missing."),
    "crate.stacked": N_("Put on pallet {pallet}."),
    "crate.unstacked": N_("Taken off pallet {pallet}."),
    "pallet.opened": N_("Pallet started at {site}."),
    "pallet.crate_added": N_("Crate {crate} put on."),
    "pallet.crate_removed": N_("Crate {crate} taken off."),
    "pallet.sealed": N_("Pallet sealed with {crates_counted}, {gross_kg} kg gross."),
    "pallet.reopened": N_("Pallet reopened: {reason}."),
    "pallet.assigned": N_("Pallet put on shipment {shipment} with {crates_counted}."),
    "pallet.unassigned": N_("Pallet taken off shipment {shipment} with {crates_counted}."),
    "title.created": N_("Added to the catalogue."),
    "title.catalogued": N_("Catalogued as “{title}”."),
    "title.edited": N_("Details changed: {changes}."),
    "donor.created": N_("Recorded as a donor; consent to contact: {consent_to_contact}."),
    "donor.edited": N_("Details changed: {changes}."),
    "title.isbn_attached": N_("ISBN {isbn13} attached."),
    "title.merged": N_("Title no. {merged_title_id} merged into this one: {lots_counted} and {donation_lines_counted} moved."),
}


# Numbers in the details that read as a count of something.
COUNTED = {"quantity": N_plural("%(num)s copy", "%(num)s copies"), "copies": N_plural("%(num)s copy", "%(num)s copies"),
           "lots": N_plural("%(num)s lot", "%(num)s lots"),
           "donation_lines": N_plural("%(num)s donation line", "%(num)s donation lines"),
           "crates": N_plural("%(num)s crate", "%(num)s crates")}  # a number, or a list of them (their codes)


# Other numbers in the details that are figures a person reads (not references, such as a lot's number).
FIGURES = ("remaining", "counted", "received", "damaged", "missing")


# The details a title's or a donor's changes name (title.edited, donor.edited), as a person calls them.
FIELDS = {
    "title": N_("title"), "authors": N_("authors"), "publisher": N_("publisher"), "year": N_("year"),
    "language": N_("language"), "subject": N_("subject"), "level": N_("level"), "kind": N_("kind"),
    "source": N_("source"), "name": N_("name"), "email": N_("e-mail"), "phone": N_("phone"),
    "consent_to_contact": N_("consent to contact"),
}


def describe(event: AuditEvent) -> str:
    """An event of a history as a sentence a person reads, not as data, in the language of the page."""
    detail = {key: _words(value) for key, value in (event.detail or {}).items()}
    for key, (one, many) in COUNTED.items():  # "1 copy", "7 copies"; "1 lot moved"; a list: how many it names
        value = detail.get(key)
        if isinstance(value, (int, list)) and not isinstance(value, bool):
            detail[f"{key}_counted"] = counted(len(value) if isinstance(value, list) else value, one, many)
    for key in FIGURES:  # written as the page writes figures (Arabic-Indic digits in Arabic and Kurdish)
        if isinstance(detail.get(key), int):
            detail[key] = number(detail[key])
    if isinstance(detail.get("changes"), dict):  # {"year": [1999, 2001]}: "year from 1999 to 2001"
        detail["changes"] = _("; ").join(
            _("%(field)s from %(before)s to %(after)s",
              field=_(FIELDS[field]) if field in FIELDS else field.replace("_", " "),
              before=_quoted(before), after=_quoted(after))
            for field, (before, after) in detail["changes"].items()
        )
    try:
        return _(SENTENCES[event.action]).format(**detail)
    except (KeyError, ValueError, IndexError):
        words = event.action.replace(".", " ").replace("_", " ").capitalize()
        pairs = ", ".join(f"{key.replace('_', ' ')}: {value}" for key, value in detail.items() if value not in (None, ""))
        return f"{words}{': ' + pairs if pairs else ''}."


def _quoted(value: Any) -> str:
    if isinstance(value, bool):
        return str(_words(value))
    return "—" if value in (None, "") else _("“%(value)s”", value=_words(value))


def _words(value: Any) -> Any:
    """A stored code (water_damaged, donate_locally) as words in the language of the page (labels.py marks
    them all: they are the words of its enums), true and false as yes and no; anything else as it is."""
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, str) and value.isidentifier() and value.islower():
        return _(value.replace("_", " "))
    return value


def events_for(subject: Any) -> list[AuditEvent]:
    stmt = (
        sa.select(AuditEvent)
        .where(AuditEvent.subject_type == type(subject).__name__, AuditEvent.subject_id == subject.id)
        .order_by(AuditEvent.id)
    )
    return list(db.session.scalars(stmt))
