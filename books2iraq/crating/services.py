from __future__ import annotations

from datetime import datetime, timezone
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

import sqlalchemy as sa
import sqlalchemy.orm

from books2iraq import audit, refs
from books2iraq.auth.models import User
from books2iraq.crating.models import Crate, CrateStatus
from books2iraq.errors import DomainError, InvalidTransition, NotFound
from books2iraq.extensions import db
from books2iraq.intake import lots
from books2iraq.intake.models import Lot, LotStatus, Title
from books2iraq.intake.titles import normalise_isbn
from books2iraq.sites.models import Site, SiteKind

MAX_GROSS_KG = Decimal("2000")


class CratingError(DomainError):
    pass


def get_by_code(code: str) -> Crate:
    crate = db.session.scalar(sa.select(Crate).where(Crate.code == code.strip().upper()))
    if crate is None:
        raise NotFound(f"There is no crate {code}.")
    return crate


def open_crate(*, site: Site, actor: User) -> Crate:
    if site.kind is not SiteKind.WAREHOUSE:
        raise CratingError(f"{site.name} is not a warehouse; crates are packed at a warehouse.")
    crate = Crate(code=refs.crate_code(), site=site, status=CrateStatus.OPEN)
    db.session.add(crate)
    db.session.flush()
    audit.record(actor, "crate.opened", crate, site=site.name)
    return crate


def _require_open(crate: Crate) -> None:
    if crate.status is not CrateStatus.OPEN:
        raise InvalidTransition(f"Crate {crate.code} is sealed; reopen it before changing what is inside.")


def pack(lot: Lot, crate: Crate, *, actor: User, quantity: int | None = None) -> Lot:
    """Put `quantity` accepted copies (all of the lot by default) into an open crate."""
    _require_open(crate)
    if lot.status is not LotStatus.ACCEPTED:
        raise InvalidTransition(f"Lot {lot.id} is {lot.status.value}; only accepted books can be packed.")
    piece = lots.take(lot, quantity, actor=actor)
    lots.transition(piece, LotStatus.PACKED)
    piece.crate = crate
    db.session.flush()
    audit.record(actor, "lot.packed", piece, crate=crate.code, quantity=piece.quantity)
    return piece


def unpack(lot: Lot, *, actor: User) -> Lot:
    """Take a packed lot out of its (open) crate; its copies are accepted again."""
    if lot.status is not LotStatus.PACKED or lot.crate is None:
        raise InvalidTransition(f"Lot {lot.id} is not in a crate.")
    crate = lot.crate
    _require_open(crate)
    lots.transition(lot, LotStatus.ACCEPTED)
    lot.crate = None
    db.session.flush()
    audit.record(actor, "lot.unpacked", lot, crate=crate.code, quantity=lot.quantity)
    return lot


def _positive_kg(value: Decimal | str | float) -> Decimal:
    try:
        kg = Decimal(str(value).strip())
        if not kg.is_finite():
            raise ValueError(value)
        kg = kg.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    except (InvalidOperation, ValueError) as exc:
        raise CratingError(f"“{value}” is not a weight in kilograms.") from exc
    if not Decimal("0") < kg <= MAX_GROSS_KG:
        raise CratingError(f"The gross weight must be more than 0 and at most {MAX_GROSS_KG} kg.")
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
    _require_open(crate)
    if not crate.lots:
        raise CratingError(f"Crate {crate.code} is empty; pack at least one book before sealing.")
    kg = _positive_kg(gross_kg)
    dims = (length_cm, width_cm, height_cm)
    if any(d is not None for d in dims) and not all(isinstance(d, int) and 0 < d <= 1500 for d in dims):
        raise CratingError("Give all three dimensions as whole centimetres between 1 and 1500, or none.")
    crate.status = CrateStatus.SEALED
    crate.gross_kg = kg
    crate.length_cm, crate.width_cm, crate.height_cm = dims
    crate.sealed_at = datetime.now(timezone.utc)
    db.session.flush()
    audit.record(actor, "crate.sealed", crate, gross_kg=kg, copies=crate.copies, dimensions_cm=list(dims))
    return crate


def reopen(crate: Crate, *, reason: str, actor: User) -> Crate:
    reason = (reason or "").strip()
    if crate.status is not CrateStatus.SEALED:
        raise InvalidTransition(f"Crate {crate.code} is not sealed.")
    if not reason:
        raise CratingError("Give the reason for reopening the crate.")
    if crate.shipment is not None and not crate.shipment.allows_crate_changes:
        raise InvalidTransition(
            f"Crate {crate.code} is on shipment {crate.shipment.ref}, which is {crate.shipment.status.value}; "
            "it can no longer be reopened."
        )
    crate.status = CrateStatus.OPEN
    crate.sealed_at = None
    crate.gross_kg = None
    db.session.flush()
    audit.record(actor, "crate.reopened", crate, reason=reason)
    return crate


def pack_isbn(crate: Crate, isbn: str, *, actor: User, quantity: int = 1) -> list[Lot]:
    """Pack `quantity` accepted copies of the scanned title, oldest lots first (FIFO)."""
    isbn13 = normalise_isbn(isbn)
    if isinstance(quantity, bool) or not isinstance(quantity, int) or quantity < 1:
        raise CratingError("The number of copies must be a whole number of at least 1.")
    _require_open(crate)
    waiting = list(
        db.session.scalars(
            sa.select(Lot)
            .join(Lot.title)
            .where(Title.isbn13 == isbn13, Lot.status == LotStatus.ACCEPTED)
            .order_by(Lot.id)
        )
    )
    available = sum(lot.quantity for lot in waiting)
    if available < quantity:
        what = waiting[0].title.display if waiting else f"ISBN {isbn13}"
        raise CratingError(
            f"Only {available} accepted {'copy' if available == 1 else 'copies'} of {what} "
            f"{'is' if available == 1 else 'are'} waiting to be packed; you asked for {quantity}."
        )
    packed, remaining = [], quantity
    for lot in waiting:
        if remaining == 0:
            break
        take = min(remaining, lot.quantity)
        packed.append(pack(lot, crate, quantity=take, actor=actor))
        remaining -= take
    return packed


def list_crates(status: CrateStatus | None = None, limit: int = 500) -> list[tuple[Crate, int]]:
    """Crates with their copies, newest first."""
    copies = (
        sa.select(Lot.crate_id, sa.func.sum(Lot.quantity).label("n"))
        .where(Lot.crate_id.is_not(None))
        .group_by(Lot.crate_id)
        .subquery()
    )
    stmt = (
        sa.select(Crate, sa.func.coalesce(copies.c.n, 0))
        .outerjoin(copies, copies.c.crate_id == Crate.id)
        .order_by(Crate.id.desc())
        .limit(limit)
        .options(sa.orm.selectinload(Crate.shipment))
    )
    if status is not None:
        stmt = stmt.where(Crate.status == status)
    return [(crate, int(n)) for crate, n in db.session.execute(stmt)]
