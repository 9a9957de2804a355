"""Correcting a donation as it was recorded: its details (donor, date, note), a forgotten line, or voiding
the whole of it while none of its copies has been sorted.

Nothing is overwritten silently and nothing is deleted: each correction is a DonationCorrection with its
reason and what it changed (before → after), and an audit event. A voided donation keeps its lines and
lots; its lots are counted away by count corrections (to 0, status void), so that copies received =
sorted + unsorted + corrections still holds, and nothing of it waits in the sorting queue.

Every correction locks the donation's row first, so two corrections of one donation never interleave;
voiding also locks every lot of it, so a sort at the same moment either finishes first (and the void is
refused) or waits and finds the lot void.
"""
from __future__ import annotations

import enum
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime
from typing import Any, Literal

import sqlalchemy as sa
from flask_babel import gettext as _

from books2iraq import audit
from books2iraq.auth.models import User
from books2iraq.concurrency import lock, lock_all
from books2iraq.dates import written
from books2iraq.errors import Conflict, DomainError
from books2iraq.extensions import db
from books2iraq.i18n import counted, day, number
from books2iraq.intake import lots
from books2iraq.intake.models import (
    Condition,
    CorrectionKind,
    CountCorrection,
    Donation,
    DonationCorrection,
    Donor,
    DonorKind,
    Lot,
    LotStatus,
)
from books2iraq.intake.services import (
    DonorInput,
    LineInput,
    check_received_on,
    create_donor,
    place_line,
    resolve_line,
)
from books2iraq.labels import label


class Unchanged(enum.Enum):
    """A detail the correction leaves as it is (None would mean: clear it)."""

    UNCHANGED = "unchanged"


UNCHANGED = Unchanged.UNCHANGED
REASON_LENGTH = 500
# The lot states in which a copy still waits to be sorted, or holds no copy at all.
UNSORTED = frozenset({LotStatus.RECEIVED, LotStatus.VOID})


class AlreadyVoided(Conflict):
    pass


class CannotVoid(Conflict):
    pass


def correct_details(
    donation: Donation,
    *,
    actor: User,
    reason: str,
    donor: DonorInput | None | Literal[Unchanged.UNCHANGED] = UNCHANGED,
    received_on: date | Literal[Unchanged.UNCHANGED] = UNCHANGED,
    note: str | None | Literal[Unchanged.UNCHANGED] = UNCHANGED,
    confirm_date: bool = False,
) -> DonationCorrection:
    """Correct who gave the donation (None: nobody recorded), when it was received, or its note.

    A changed donor is a new donor record (the old one stays, with its consent and its date); a received-on
    date in the future or more than a year back needs `confirm_date`. The reference keeps its year.
    """
    reason = _reason(reason)
    _open_for_correction(donation)
    changes: dict[str, dict[str, Any]] = {}
    # Everything is checked before anything changes: a refusal leaves the donation as it was.
    if received_on is not UNCHANGED and received_on != donation.received_on:
        with _about("received_on"):
            check_received_on(received_on, confirmed=confirm_date)
        changes["received_on"] = _change(donation.received_on.isoformat(), received_on.isoformat())
    if donor is not UNCHANGED and not _same_donor(donation.donor, donor):
        before = _donor_record(donation.donor)
        with _about("donor_name"):
            new_donor = _new_donor(donation.donor, donor, actor) if donor is not None else None
        changes["donor"] = _change(before, _donor_record(new_donor))
        donation.donor = new_donor
    if received_on is not UNCHANGED and "received_on" in changes:
        donation.received_on = received_on
    if note is not UNCHANGED and ((note or "").strip() or None) != donation.note:
        new_note = (note or "").strip() or None
        changes["note"] = _change(donation.note, new_note)
        donation.note = new_note
    if not changes:
        raise DomainError(_("Nothing to correct: donation %(ref)s already has these details.", ref=donation.ref))
    return _record(donation, CorrectionKind.DETAILS, reason, changes, actor, "donation.corrected")


def add_line(donation: Donation, *, actor: User, reason: str, line: LineInput) -> DonationCorrection:
    """Add a line forgotten when the donation was recorded: checked as intake checks a line, and it becomes
    a lot of received copies waiting to be sorted, like the others."""
    reason = _reason(reason)
    _open_for_correction(donation)
    position = max((existing.position for existing in donation.lines), default=0) + 1
    before = sum(existing.quantity for existing in donation.lines)
    with _about("isbn" if line.isbn else "description"):
        title, resolved = resolve_line(position, line, actor)
    record = place_line(donation, position, title, resolved)
    db.session.flush()
    changes = {
        "line": {
            "position": position,
            "isbn13": title.isbn13 if title is not None else None,
            "title": title.title if title is not None else None,
            "description": resolved.description,
            "quantity": resolved.quantity,
            "condition": resolved.condition.value,
        },
        "copies": _change(before, before + record.quantity),
    }
    return _record(donation, CorrectionKind.LINE_ADDED, reason, changes, actor, "donation.line_added")


def void_donation(donation: Donation, *, actor: User, reason: str) -> DonationCorrection:
    """Void a donation recorded in error, while none of its copies has been sorted (all still wait).

    Its lines and lots stay; each lot that holds copies is counted away to 0 (a count correction with the
    reason) and becomes void, so the accounts balance and the queue no longer offers it.
    """
    reason = _reason(reason)
    _open_for_correction(donation)
    held = _lock_lots(donation)
    sorted_copies = sum(lot.quantity for lot in held if lot.status not in UNSORTED)
    if sorted_copies:
        raise CannotVoid(counted(
            sorted_copies,
            "Donation %(ref)s cannot be voided: %(num)s copy of it is sorted already. Only a donation none of "
            "whose copies has been sorted can be voided; correct the count of its lots instead.",
            "Donation %(ref)s cannot be voided: %(num)s copies of it are sorted already. Only a donation none of "
            "whose copies has been sorted can be voided; correct the count of its lots instead.",
            ref=donation.ref,
        ))
    copies = 0
    for lot in held:
        if lot.status is LotStatus.VOID:
            continue
        copies += lot.quantity
        db.session.add(
            CountCorrection(
                lot_id=lot.id,
                donation_id=donation.id,
                delta=-lot.quantity,
                reason=f"Donation voided: {reason}"[:REASON_LENGTH],
                actor_id=actor.id,
            )
        )
        audit.record(actor, "lot.voided", lot, donation=donation.ref, quantity=lot.quantity, reason=reason)
        lot.quantity = 0
        lots.LOT.move(lot, "void")
    donation.voided_at = datetime.now(UTC)
    donation.void_reason = reason
    db.session.flush()
    changes = {"voided": _change(False, True), "copies": _change(copies, 0)}
    return _record(donation, CorrectionKind.VOIDED, reason, changes, actor, "donation.voided")


def corrections_of(donation: Donation) -> list[DonationCorrection]:
    """A donation's corrections, oldest first, with who made them."""
    return list(
        db.session.scalars(
            sa.select(DonationCorrection)
            .where(DonationCorrection.donation_id == donation.id)
            .options(sa.orm.joinedload(DonationCorrection.actor))
            .order_by(DonationCorrection.id)
        )
    )


def describe(correction: DonationCorrection) -> list[str]:
    """What a correction changed, in words of the page's language: one sentence for each thing."""
    changes = correction.changes
    said = []
    if "received_on" in changes:
        before, after = (date.fromisoformat(changes["received_on"][side]) for side in ("before", "after"))
        said.append(_("Received on %(before)s → %(after)s.", before=day(before), after=day(after)))
    if "donor" in changes:
        said.append(_("Donor: %(before)s → %(after)s.", before=_donor_words(changes["donor"]["before"]),
                      after=_donor_words(changes["donor"]["after"])))
    if "note" in changes:
        before, after = (changes["note"][side] for side in ("before", "after"))
        said.append(_("Note: %(before)s → %(after)s.", before=_quoted(before), after=_quoted(after)))
    if "line" in changes:
        line = changes["line"]
        book = line["title"] or (_("ISBN %(isbn)s", isbn=line["isbn13"]) if line["isbn13"] else line["description"])
        said.append(counted(
            line["quantity"], "Line %(line)s added: %(num)s copy of %(book)s (%(condition)s).",
            "Line %(line)s added: %(num)s copies of %(book)s (%(condition)s).",
            line=number(line["position"], grouped=False), book=book, condition=label(Condition(line["condition"])),
        ))
    if "voided" in changes:
        said.append(_("Voided: the donation was recorded in error."))
    if "copies" in changes:
        said.append(_("Copies: %(before)s → %(after)s.", before=number(changes["copies"]["before"]),
                      after=number(changes["copies"]["after"])))
    return said


def _donor_words(donor: dict[str, Any] | None) -> str:
    if not donor:
        return _("none")
    return _("%(name)s (%(kind)s)", name=donor["name"], kind=label(DonorKind(donor["kind"])))


def _quoted(note: str | None) -> str:
    return _("“%(note)s”", note=note) if note else _("none")


@contextmanager
def _about(field: str) -> Iterator[None]:
    """A refusal raised inside is about this input (the page shows it under that field)."""
    try:
        yield
    except DomainError as exc:
        exc.field = exc.field or field
        raise


def _reason(reason: str | None) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_("Give the reason for the correction."), field="reason")
    if len(reason) > REASON_LENGTH:
        raise DomainError(_("Say the reason in at most %(most)s characters.", most=number(REASON_LENGTH)),
                          field="reason")
    return reason


def _open_for_correction(donation: Donation) -> None:
    """Lock the donation's row (read afresh) and refuse when it was voided: a void is final."""
    lock(donation)
    if donation.voided_at is not None:
        raise AlreadyVoided(_(
            "Donation %(ref)s was voided on %(date)s (%(reason)s); it cannot be corrected any more.",
            ref=donation.ref, date=written(donation.voided_at), reason=donation.void_reason,
        ))


def _lock_lots(donation: Donation) -> list[Lot]:
    """Every lot of the donation, locked, as it is now. No lot of it can appear meanwhile: a sort that splits
    a piece off a lot inserts a row that refers to the donation, and PostgreSQL holds a key-share lock on
    the donation's row for that until the sort ends, which the donation's lock (taken first) waits for."""
    return lock_all(sa.select(Lot).where(Lot.donation_id == donation.id).order_by(Lot.id))


def _same_donor(current: Donor | None, given: DonorInput | None) -> bool:
    if current is None or given is None:
        return current is None and given is None
    return (current.name, current.kind, current.email, current.phone, current.consent_to_contact) == (
        given.name.strip(),
        given.kind,
        given.email or None,
        given.phone or None,
        given.consent_to_contact,
    )


def _new_donor(current: Donor | None, given: DonorInput, actor: User) -> Donor:
    """The donor as corrected, as a record of its own; a consent given before keeps its date."""
    donor = create_donor(**vars(given), actor=actor)
    if current is not None and current.consent_to_contact and donor.consent_to_contact:
        donor.consent_at = current.consent_at
    return donor


def _donor_record(donor: Donor | None) -> dict[str, Any] | None:
    """What a correction keeps of a donor: who, not how to reach them (that stays on the donor's record)."""
    if donor is None:
        return None
    return {"id": donor.id, "name": donor.name, "kind": donor.kind.value, "consent_to_contact": donor.consent_to_contact}


def _change(before: Any, after: Any) -> dict[str, Any]:
    return {"before": before, "after": after}


def _record(
    donation: Donation, kind: CorrectionKind, reason: str, changes: dict[str, Any], actor: User, action: str
) -> DonationCorrection:
    correction = DonationCorrection(donation=donation, kind=kind, reason=reason, changes=changes, actor=actor)
    db.session.add(correction)
    db.session.flush()
    audit.record(actor, action, donation, correction=correction.id, reason=reason, changes=changes)
    return correction
