from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

import sqlalchemy as sa
import sqlalchemy.orm
from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from stdnum import ean

from books2iraq import audit, refs
from books2iraq.auth.models import User
from books2iraq.concurrency import lock
from books2iraq.crating.models import Crate, CrateStatus
from books2iraq.errors import DomainError, InvalidTransition, NotFound
from books2iraq.extensions import db
from books2iraq.i18n import counted, number
from books2iraq.intake import lots
from books2iraq.intake.models import Lot, LotStatus, Title
from books2iraq.intake.titles import normalise_isbn
from books2iraq.labels import label
from books2iraq.reports.accounting import copies_in_crates
from books2iraq.shipping.models import Recipient
from books2iraq.sites.models import Site, SiteKind
from books2iraq.states import Move, StateMachine

MAX_GROSS_KG = Decimal("2000")


def get_by_code(code: str) -> Crate:
    crate = db.session.scalar(sa.select(Crate).where(Crate.code == code.strip().upper()))
    if crate is None:
        raise NotFound(_("There is no crate %(code)s.", code=code.strip()))
    return crate


@dataclass(frozen=True)
class TitleCount:
    label: str
    isbn13: str | None
    copies: int


def contents(crate: Crate) -> tuple[list[TitleCount], list[Lot]]:
    """What a crate holds: copies per title, the most recently packed title first, and the packed
    lots themselves, newest scan first, with their titles and donations (two statements in all)."""
    packed = list(
        db.session.scalars(
            sa.select(Lot)
            .where(Lot.crate_id == crate.id)
            .options(sa.orm.selectinload(Lot.title), sa.orm.selectinload(Lot.donation))
            .order_by(Lot.id.desc())
        )
    )
    by_title: dict[object, TitleCount] = {}
    for lot in packed:  # newest first, so a title's place is that of its latest scan
        key = lot.title_id or ("lot", lot.id)
        seen = by_title.get(key)
        by_title[key] = TitleCount(lot.label, lot.title.isbn13 if lot.title else None, (seen.copies if seen else 0) + lot.quantity)
    return list(by_title.values()), packed


def open_crate(*, site: Site, actor: User, for_recipient: Recipient | None = None) -> Crate:
    if site.kind is not SiteKind.WAREHOUSE:
        raise DomainError(_("%(site)s is not a warehouse; crates are packed at a warehouse.", site=site.name))
    code = refs.crate_code()
    crate = Crate(code=code, site=site, status=CrateStatus.OPEN, sscc=sscc(int(code.rsplit("-", 1)[1])),
                  for_recipient_id=for_recipient.id if for_recipient else None)
    db.session.add(crate)
    db.session.flush()
    audit.record(actor, "crate.opened", crate, site=site.name,
                 **({"for_recipient": for_recipient.name_en} if for_recipient else {}))
    return crate


def pack_for(crate: Crate, recipient: Recipient | None, *, actor: User, location: str | None = None) -> Crate:
    """Say which recipient a crate is packed for (None: anyone), and where it waits in the warehouse,
    while it is on no shipment; copies earmarked for another recipient may not be in it."""
    lock(crate)
    if crate.shipment_id is not None:
        raise DomainError(_("Crate %(code)s is on a shipment already; whom it is for is the shipment's recipient.",
                            code=crate.code))
    wanted = recipient.id if recipient else None
    strangers = db.session.scalar(sa.select(sa.func.count()).select_from(Lot).where(
        Lot.crate_id == crate.id, Lot.earmarked_for_id.is_not(None), Lot.earmarked_for_id != wanted)) if crate.lots else 0
    if strangers:
        raise DomainError(_("Crate %(code)s holds copies earmarked for another recipient; take them out first.",
                            code=crate.code))
    where = " ".join((location or "").split())[:60] or None
    changes = {f: [b, a] for f, b, a in (("for_recipient", crate.for_recipient.name_en if crate.for_recipient else None,
                                          recipient.name_en if recipient else None),
                                         ("location", crate.location, where)) if b != a}
    crate.for_recipient_id, crate.location = wanted, where
    db.session.flush()
    db.session.expire(crate, ["for_recipient"])
    if changes:
        audit.record(actor, "crate.planned", crate, changes=changes)
    return crate


def _recipient_name(recipient_id: int) -> str:
    recipient = db.session.get(Recipient, recipient_id)
    return recipient.name_en if recipient else str(recipient_id)


CRATES, PALLETS = 0, 1  # the SSCC's extension digit of each: a crate and a pallet never share a code


def sscc(serial: int, extension: int = CRATES) -> str | None:
    """The GS1 Serial Shipping Container Code of a crate (extension digit 0) or a pallet (1): the
    extension digit, the organisation's GS1 company prefix, the crate's or pallet's number as serial
    reference, and the GS1 check digit. None when no prefix is configured (B2I_GS1_COMPANY_PREFIX)."""
    prefix = current_app.config.get("GS1_COMPANY_PREFIX") or ""
    if not prefix:
        return None
    room = 16 - len(prefix)
    if serial >= 10**room:
        raise DomainError(counted(
            10**room - 1,
            "The GS1 company prefix %(prefix)s leaves room for %(num)s crate; ask GS1 for another.",
            "The GS1 company prefix %(prefix)s leaves room for %(num)s crates; ask GS1 for another.",
            prefix=prefix,
        ))
    body = f"{extension}{prefix}{serial:0{room}d}"
    return body + ean.calc_check_digit(body)


def _not_empty(crate: Crate) -> None:
    if not crate.lots:
        raise DomainError(_("Crate %(code)s is empty; pack at least one book before sealing.", code=crate.code))


def _shipment_allows_changes(crate: Crate) -> None:
    from books2iraq.shipping.services import (
        SHIPMENT,  # shipping builds on crating, not the other way
    )

    if crate.shipment is not None and not SHIPMENT.allows(crate.shipment, "change_crates"):
        raise InvalidTransition(_(
            "Crate %(code)s is on shipment %(ref)s, which is %(status)s; it can no longer be reopened.",
            code=crate.code, ref=crate.shipment.ref, status=label(crate.shipment.status),
        ))


def _not_on_a_pallet(crate: Crate) -> None:
    if crate.pallet is not None:
        raise InvalidTransition(_("Crate %(code)s is on pallet %(pallet)s; take it off the pallet first.",
                                  code=crate.code, pallet=crate.pallet.code))


def _loose(crate: Crate) -> None:
    if crate.pallet is not None:
        raise DomainError(_("Crate %(code)s is on pallet %(pallet)s: load the pallet, which carries it.",
                            code=crate.code, pallet=crate.pallet.code), field="code")


C = CrateStatus
CRATE = StateMachine(
    lambda crate: _("Crate %(code)s", code=crate.code),
    {
        "fill": Move(frozenset({C.OPEN}), None, _l("reopen it before changing what is inside.")),
        "seal": Move(frozenset({C.OPEN}), C.SEALED, _l("reopen it before changing what is inside."), (_not_empty,)),
        "reopen": Move(frozenset({C.SEALED}), C.OPEN, _l("only a sealed crate can be reopened."),
                       (_not_on_a_pallet, _shipment_allows_changes)),
        "ship": Move(frozenset({C.SEALED}), None, _l("seal it before putting it on a shipment."), (_loose,)),
        "stack": Move(frozenset({C.SEALED}), None, _l("seal it before putting it on a pallet.")),
    },
    # Locked outermost first: its shipment, then its pallet (pallets/services.py), then the crate.
    outer=lambda crate: [crate.shipment, crate.pallet],
)


def pack(lot: Lot, crate: Crate, *, actor: User, quantity: int | None = None) -> Lot:
    """Put `quantity` accepted copies (all of the lot by default) into an open crate; copies earmarked
    for a recipient go only into a crate packed for it."""
    CRATE.check(crate, "fill")
    lots.LOT.check(lot, "pack")
    if lot.earmarked_for_id is not None and lot.earmarked_for_id != crate.for_recipient_id:
        raise DomainError(_("Lot %(lot)s is earmarked for %(name)s: pack it into a crate packed for them.",
                            lot=lot.id, name=_recipient_name(lot.earmarked_for_id)))
    piece = lots.take(lot, quantity, actor=actor)
    lots.LOT.move(piece, "pack")
    piece.crate = crate
    db.session.flush()
    audit.record(actor, "lot.packed", piece, crate=crate.code, quantity=piece.quantity)
    return piece


def unpack(lot: Lot, *, actor: User) -> Lot:
    """Take a packed lot out of its (open) crate; its copies are accepted again."""
    lots.LOT.check(lot, "unpack")
    crate = lot.crate
    assert crate is not None  # a packed lot is in a crate (a CHECK constraint holds it)
    CRATE.check(crate, "fill")
    lots.LOT.move(lot, "unpack")
    lot.crate = None
    db.session.flush()
    audit.record(actor, "lot.unpacked", lot, crate=crate.code, quantity=lot.quantity)
    return lot


def positive_kg(value: Decimal | str | float, most: Decimal = MAX_GROSS_KG) -> Decimal:
    """A gross weight as typed, in kilograms to the hundredth: more than 0 and at most `most`."""
    try:
        kg = Decimal(str(value).strip())
        if not kg.is_finite():
            raise ValueError(value)
        kg = kg.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    except (InvalidOperation, ValueError) as exc:
        raise DomainError(_("“%(value)s” is not a weight in kilograms.", value=value)) from exc
    if not Decimal("0") < kg <= most:
        raise DomainError(_("The gross weight must be more than 0 and at most %(most)s kg.", most=number(most)),
                          field="gross_kg")
    return kg


def seal(
    crate: Crate,
    *,
    gross_kg: Decimal | str | float,
    actor: User,
    length_cm: int | None = None,
    width_cm: int | None = None,
    height_cm: int | None = None,
) -> Crate:
    CRATE.check(crate, "seal")
    kg = positive_kg(gross_kg)
    dims = (length_cm, width_cm, height_cm)
    if any(d is not None for d in dims) and not all(isinstance(d, int) and 0 < d <= 1500 for d in dims):
        raise DomainError(_("Give all three dimensions as whole centimetres between 1 and 1500, or none."))
    CRATE.move(crate, "seal")
    crate.gross_kg = kg
    crate.length_cm, crate.width_cm, crate.height_cm = dims
    crate.sealed_at = datetime.now(UTC)
    db.session.flush()
    audit.record(actor, "crate.sealed", crate, gross_kg=kg, copies=crate.copies, dimensions_cm=list(dims))
    return crate


def reopen(crate: Crate, *, reason: str, actor: User) -> Crate:
    reason = (reason or "").strip()
    CRATE.check(crate, "reopen")
    if not reason:
        raise DomainError(_("Give the reason for reopening the crate."))
    CRATE.move(crate, "reopen")
    crate.sealed_at = None
    crate.gross_kg = None
    db.session.flush()
    audit.record(actor, "crate.reopened", crate, reason=reason)
    return crate


def pack_isbn(crate: Crate, isbn: str, *, actor: User, quantity: int = 1) -> list[Lot]:
    """Pack `quantity` accepted copies of the scanned title, oldest lots first (FIFO).

    A scan sent to a sealed crate is refused first, whatever was scanned, with what to do instead."""
    try:
        CRATE.check(crate, "fill")
    except InvalidTransition as exc:
        raise InvalidTransition(
            _("Crate %(code)s is %(status)s: nothing was packed. Reopen it to pack more books, "
              "or go to another crate (scan its code).", code=crate.code, status=label(crate.status)),
            field="isbn",
        ) from exc
    isbn13 = normalise_isbn(isbn)
    if isinstance(quantity, bool) or not isinstance(quantity, int) or quantity < 1:
        raise DomainError(_("The number of copies must be a whole number of at least 1."))
    # Copies earmarked for the crate's recipient first, then those earmarked for nobody; never another's.
    mine = Lot.earmarked_for_id == crate.for_recipient_id if crate.for_recipient_id is not None else sa.false()
    waiting = list(
        db.session.scalars(
            sa.select(Lot)
            .join(Lot.title)
            .where(Title.isbn13 == isbn13, Lot.status == LotStatus.ACCEPTED,
                   sa.or_(Lot.earmarked_for_id.is_(None), mine))
            .order_by(sa.case((mine, 0), else_=1), Lot.id)
        )
    )
    available = sum(lot.quantity for lot in waiting)
    if available < quantity:
        what = waiting[0].label if waiting else f"ISBN {isbn13}"
        unsorted = int(db.session.scalar(
            sa.select(sa.func.coalesce(sa.func.sum(Lot.quantity), 0)).join(Lot.title)
            .where(Title.isbn13 == isbn13, Lot.status == LotStatus.RECEIVED)
        ) or 0)
        refusal = counted(
            available,
            "Only %(num)s accepted copy of %(what)s is waiting to be packed; you asked for %(asked)s.",
            "Only %(num)s accepted copies of %(what)s are waiting to be packed; you asked for %(asked)s.",
            what=what, asked=number(quantity),
        )
        if unsorted:
            refusal += " " + counted(
                unsorted,
                "%(num)s copy of it is still waiting to be sorted: accept them at sorting first.",
                "%(num)s copies of it are still waiting to be sorted: accept them at sorting first.",
            )
        raise DomainError(refusal)
    packed, remaining = [], quantity
    for lot in waiting:
        if remaining == 0:
            break
        take = min(remaining, lot.quantity)
        packed.append(pack(lot, crate, quantity=take, actor=actor))
        remaining -= take
    return packed


def pack_count(crate: Crate, count: int, *, last: str | None, already: int, actor: User) -> list[Lot]:
    """A quantity key typed after a scan (x5): that scan was `count` copies, so pack the ones still to
    pack of the book it scanned (`last`, of which it packed `already`)."""
    if not last:
        raise DomainError(_("Scan a book first, then type its count (x%(count)s).", count=count), field="isbn")
    if count <= already:
        raise DomainError(counted(
            already,
            "That scan packed %(num)s copy already: to pack fewer, take copies out in the list below.",
            "That scan packed %(num)s copies already: to pack fewer, take copies out in the list below.",
        ), field="isbn")
    return pack_isbn(crate, last, quantity=count - already, actor=actor)


# A crate waiting for a pallet or a shipment: sealed, on no shipment and on no pallet.
WAITING = (Crate.status == CrateStatus.SEALED, Crate.shipment_id.is_(None), Crate.pallet_id.is_(None))


def crates(status: CrateStatus | None = None) -> sa.Select[Any]:
    """Crates newest first: a statement for one page of the list (paging.paginate with crate_rows,
    which adds each one's copies)."""
    stmt = sa.select(Crate).order_by(Crate.id.desc()).options(sa.orm.selectinload(Crate.shipment))
    return stmt if status is None else stmt.where(Crate.status == status)


def copies_of(crate_ids: list[int]) -> dict[int, int]:
    """The copies each of these crates holds (an empty crate holds none): one statement, over them alone."""
    if not crate_ids:
        return {}
    held = copies_in_crates(crate_ids)
    return {i: int(n) for i, n in db.session.execute(sa.select(held.c.crate_id, held.c.copies))}


def crate_rows(result: sa.Result[Any]) -> list[tuple[Crate, int]]:
    """A page of crates with the copies each holds: one more statement, over those crates alone."""
    page = list(result.scalars())
    copies = copies_of([c.id for c in page])
    return [(crate, copies.get(crate.id, 0)) for crate in page]

