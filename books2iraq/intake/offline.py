"""Intake with no connection: what the server gives the intake page to work offline, and what it
keeps of a donation the page kept on the device before it could send it.

The page (static/js/offline.js) keeps each donation recorded without a connection in the device's
IndexedDB, under the form's submission key, with a receipt number of its own for the donor, and sends
it when the connection is back (views.sync_donation): the key makes a repeat record nothing
(services.submit_donation). To show a scan's title offline it keeps a copy of the catalogue's named
titles, fetched page by page (known_titles).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime

import sqlalchemy as sa
from flask_babel import gettext as _

from books2iraq.errors import DomainError
from books2iraq.extensions import db
from books2iraq.intake.models import Title

# What the device prints as the donor's receipt number: 8 characters of Crockford's base 32 (no I, L,
# O, U: nothing read wrongly aloud or on a phone), in two groups, as "7K2Q-9XW3".
RECEIPT = re.compile(r"^[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}$")
TITLES_PER_PAGE = 5_000


@dataclass(frozen=True)
class KeptOffline:
    """A donation the intake page kept on the device: the receipt number it gave, and when."""

    receipt: str
    at: datetime


def kept_offline(receipt: str | None, at: str | None) -> KeptOffline | None:
    """What the page says of a donation it kept offline (both or neither), or DomainError. A device
    whose clock runs ahead does not make a donation kept in the future: the time is now at most."""
    receipt, at = (receipt or "").strip().upper(), (at or "").strip()
    if not receipt and not at:
        return None
    if not RECEIPT.match(receipt):
        raise DomainError(_("The receipt number the device gave is not one (it reads like 7K2Q-9XW3)."))
    try:
        when = datetime.fromisoformat(at.replace("Z", "+00:00"))
    except ValueError:
        raise DomainError(_("The time the device kept the donation is not a time.")) from None
    if when.tzinfo is None:
        raise DomainError(_("The time the device kept the donation is not a time."))
    now = datetime.now(UTC)
    return KeptOffline(receipt, min(when.astimezone(UTC), now))


@dataclass(frozen=True)
class TitlesPage:
    """A page of the catalogue for the device: [ISBN-13, title, authors] by id, and the last id given."""

    titles: list[tuple[str, str, str | None]]
    last: int
    more: bool


def known_titles(after: int = 0, limit: int = TITLES_PER_PAGE) -> TitlesPage:
    """The named titles with an ISBN whose id is after `after`, oldest first: one statement a page. The
    device asks again from `last` while `more`, and later for what was added since."""
    rows = db.session.execute(
        sa.select(Title.id, Title.isbn13, Title.title, Title.authors)
        .where(Title.id > after, Title.isbn13.is_not(None), Title.title.is_not(None))
        .order_by(Title.id)
        .limit(limit + 1)
    ).all()
    page = rows[:limit]
    return TitlesPage(
        titles=[(isbn13, title, authors) for _id, isbn13, title, authors in page],
        last=page[-1].id if page else after,
        more=len(rows) > limit,
    )
