"""Donors as records: a returning donor (a school drive that gives every term) found again instead of
made twice, their details kept right, and the list of those who agreed to be contacted."""
from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime
from typing import Any

import sqlalchemy as sa
from flask_babel import gettext as _

from books2iraq import audit
from books2iraq.auth.models import User
from books2iraq.concurrency import lock_all
from books2iraq.errors import DomainError, NotFound
from books2iraq.extensions import db
from books2iraq.intake.models import Donation, DonationLine, Donor, DonorKind

EDITABLE = ("name", "kind", "email", "phone", "consent_to_contact")


def get_donor(donor_id: int) -> Donor:
    donor = db.session.get(Donor, donor_id)
    if donor is None:
        raise NotFound(_("There is no donor %(number)s.", number=donor_id))
    return donor


def by_email(email: str | None) -> Donor | None:
    """The donor already known by this e-mail address (as typed, in any case), if any."""
    address = (email or "").strip().lower()
    if not address:
        return None
    return db.session.scalars(
        sa.select(Donor).where(sa.func.lower(Donor.email) == address).order_by(Donor.id).limit(1)
    ).first()


def all_donors(*, consenting: bool = False) -> sa.Select[tuple[Donor]]:
    """Donors by name (only those who agreed to be contacted, when asked)."""
    stmt = sa.select(Donor).order_by(Donor.name, Donor.id)
    if consenting:
        stmt = stmt.where(Donor.consent_to_contact.is_(True))
    return stmt


def given_by(*criteria: Any) -> dict[int, tuple[int, int, Any]]:
    """Donor id -> (donations, copies, last received on), for the donors `criteria` select, counting
    only their own donations (voided ones left out): one statement, whatever the operation's size."""
    stmt = (
        sa.select(
            Donation.donor_id,
            sa.func.count(sa.distinct(Donation.id)),
            sa.func.coalesce(sa.func.sum(DonationLine.quantity), 0),
            sa.func.max(Donation.received_on),
        )
        .join(DonationLine, DonationLine.donation_id == Donation.id)
        .join(Donor, Donor.id == Donation.donor_id)
        .where(Donation.voided_at.is_(None), *criteria)
        .group_by(Donation.donor_id)
    )
    return {donor_id: (int(n), int(copies), last) for donor_id, n, copies, last in db.session.execute(stmt)}


def years_of(donor: Donor) -> list[int]:
    """The years in which a donor gave, newest first (one statement)."""
    year = sa.extract("year", Donation.received_on)
    stmt = sa.select(year).where(Donation.donor_id == donor.id).distinct().order_by(year.desc())
    return [int(y) for y in db.session.scalars(stmt)]


def in_year(donor: Donor, year: int) -> list[tuple[Donation, int]]:
    """A donor's donations received in a year, oldest first, each with the copies it records (one
    statement); voided ones too, which a summary lists but does not count."""
    copies = sa.func.coalesce(sa.func.sum(DonationLine.quantity), 0)
    stmt = (
        sa.select(Donation, copies)
        .join(DonationLine, DonationLine.donation_id == Donation.id)
        .where(Donation.donor_id == donor.id, Donation.received_on >= date(year, 1, 1), Donation.received_on <= date(year, 12, 31))
        .group_by(Donation.id)
        .order_by(Donation.received_on, Donation.id)
        .options(sa.orm.selectinload(Donation.site))
    )
    return [(donation, int(n)) for donation, n in db.session.execute(stmt)]


def edit_donor(donor: Donor, *, actor: User, **values: Any) -> Donor:
    """Correct a donor's details; every donation of theirs shows them. Consent given is dated now,
    consent withdrawn is forgotten."""
    unknown = set(values) - set(EDITABLE)
    if unknown:
        raise DomainError(_("A donor has no %(fields)s to change.", fields=", ".join(sorted(unknown))))
    lock_all(sa.select(Donor).where(Donor.id == donor.id))
    clean = dict(values)
    if "name" in clean:
        clean["name"] = (clean["name"] or "").strip()
        if not clean["name"]:
            raise DomainError(_("A donor needs a name."), field="name")
    if "kind" in clean:
        try:
            clean["kind"] = DonorKind(clean["kind"])
        except ValueError as exc:
            raise DomainError(_("“%(kind)s” is not a kind of donor.", kind=clean["kind"]), field="kind") from exc
    for field in ("email", "phone"):
        if field in clean:
            clean[field] = (clean[field] or "").strip() or None
    if clean.get("email") and (other := by_email(clean["email"])) is not None and other.id != donor.id:
        raise DomainError(_("%(email)s is the e-mail of donor %(name)s (no. %(number)s).", email=clean["email"],
                            name=other.name, number=other.id), field="email")
    changes = {
        field: [getattr(getattr(donor, field), "value", getattr(donor, field)), getattr(value, "value", value)]
        for field, value in clean.items() if getattr(donor, field) != value
    }
    if not changes:
        return donor
    for field, value in clean.items():
        setattr(donor, field, value)
    if "consent_to_contact" in changes:
        donor.consent_at = datetime.now(UTC) if donor.consent_to_contact else None
    db.session.flush()
    audit.record(actor, "donor.edited", donor, changes=changes)
    return donor


def contacts() -> tuple[list[str], Any]:
    """The donors who agreed to be contacted, for a thank-you letter or the next drive (CSV)."""
    header = ["donor", "name", "kind", "e-mail", "phone", "agreed on", "donations", "copies", "last donation"]

    def rows() -> Iterator[tuple[Any, ...]]:  # read when the file is sent, a page of the export at a time
        given = given_by(Donor.consent_to_contact.is_(True))
        for donor in db.session.scalars(all_donors(consenting=True).execution_options(yield_per=1000)):
            yield (donor.id, donor.name, donor.kind, donor.email, donor.phone,
                   donor.consent_at.date() if donor.consent_at else None, *given.get(donor.id, (0, 0, None)))

    return header, rows()
