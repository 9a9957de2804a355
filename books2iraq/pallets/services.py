"""Pallets: sealed crates stacked and wrapped together at a warehouse, then weighed and measured whole.

A pallet is open while crates go on and come off; sealed, it is one package with its own weight (the
crates, the pallet and the wrap) and size, and a shipment takes it whole (shipping/services.py). Its
crates stay sealed while they are on it: a crate comes off an open pallet before it is reopened.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import sqlalchemy as sa
import sqlalchemy.orm
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from books2iraq import audit, refs
from books2iraq.auth.models import User
from books2iraq.crating.models import Crate
from books2iraq.crating.services import CRATE, PALLETS, WAITING, positive_kg, sscc
from books2iraq.crating.services import get_by_code as get_crate
from books2iraq.errors import DomainError, InvalidTransition, NotFound
from books2iraq.extensions import db
from books2iraq.i18n import number
from books2iraq.pallets.models import Pallet, PalletStatus
from books2iraq.reports.accounting import copies_in_crates
from books2iraq.sites.models import Site, SiteKind
from books2iraq.states import Move, StateMachine

MAX_GROSS_KG = Decimal("4000")  # a loaded pallet: far more than any forklift lifts
MAX_SIDE_CM = 400
EURO_PALLET_CM = (120, 80)  # what the seal form offers for the footprint


def get_by_code(code: str) -> Pallet:
    pallet = db.session.scalar(sa.select(Pallet).where(Pallet.code == code.strip().upper()))
    if pallet is None:
        raise NotFound(_("There is no pallet %(code)s.", code=code.strip()))
    return pallet


def _not_empty(pallet: Pallet) -> None:
    if not pallet.crates:
        raise DomainError(_("Pallet %(code)s is empty; put sealed crates on it before sealing it.", code=pallet.code))


def _not_shipped(pallet: Pallet) -> None:
    if pallet.shipment is not None:
        raise InvalidTransition(_("Pallet %(code)s is on shipment %(ref)s; take it off the shipment first.",
                                  code=pallet.code, ref=pallet.shipment.ref))


P = PalletStatus
PALLET = StateMachine(
    lambda pallet: _("Pallet %(code)s", code=pallet.code),
    {
        "stack": Move(frozenset({P.OPEN}), None, _l("reopen it before putting crates on or taking them off.")),
        "seal": Move(frozenset({P.OPEN}), P.SEALED, _l("reopen it before sealing it again."), (_not_empty,)),
        "reopen": Move(frozenset({P.SEALED}), P.OPEN, _l("only a sealed pallet can be reopened."), (_not_shipped,)),
        "ship": Move(frozenset({P.SEALED}), None, _l("seal it before loading it onto a shipment.")),
    },
    outer=lambda pallet: [pallet.shipment],
)


def open_pallet(*, site: Site, actor: User) -> Pallet:
    if site.kind is not SiteKind.WAREHOUSE:
        raise DomainError(_("%(site)s is not a warehouse; pallets are built at a warehouse.", site=site.name))
    code = refs.pallet_code()
    pallet = Pallet(code=code, site=site, status=P.OPEN, sscc=sscc(int(code.rsplit("-", 1)[1]), PALLETS))
    db.session.add(pallet)
    db.session.flush()
    audit.record(actor, "pallet.opened", pallet, site=site.name)
    return pallet


def _recipient_of(pallet: Pallet) -> int | None:
    """The recipient the pallet's crates are packed for, if any is (they are all for one)."""
    return db.session.scalar(
        sa.select(Crate.for_recipient_id).where(Crate.pallet_id == pallet.id, Crate.for_recipient_id.is_not(None)).limit(1)
    )


def _on_no_shipment(crate: Crate) -> None:
    if crate.shipment is not None:
        raise DomainError(_("Crate %(code)s is on shipment %(ref)s; take it off the shipment first.",
                            code=crate.code, ref=crate.shipment.ref), field="code")


def put_on(pallet: Pallet, crate: Crate, *, actor: User) -> Crate:
    """Put a sealed crate that waits at the pallet's warehouse, on no shipment, onto an open pallet."""
    _on_no_shipment(crate)  # before any lock (a shipment is locked before a pallet, never after), and again after
    PALLET.check(pallet, "stack")
    CRATE.check(crate, "stack")
    if crate.pallet is not None:
        raise DomainError(_("Crate %(code)s is on pallet %(pallet)s already.", code=crate.code, pallet=crate.pallet.code),
                          field="code")
    _on_no_shipment(crate)
    if crate.site_id != pallet.site_id:
        raise DomainError(_("Crate %(code)s waits at %(site)s; pallet %(pallet)s is built at %(here)s.",
                            code=crate.code, site=crate.site.name, pallet=pallet.code, here=pallet.site.name), field="code")
    theirs = _recipient_of(pallet)
    if crate.for_recipient_id is not None and theirs is not None and theirs != crate.for_recipient_id:
        raise DomainError(_("Crate %(code)s is packed for another recipient than the crates on pallet %(pallet)s.",
                            code=crate.code, pallet=pallet.code), field="code")
    crate.pallet = pallet
    db.session.flush()
    audit.record(actor, "pallet.crate_added", pallet, crate=crate.code)
    audit.record(actor, "crate.stacked", crate, pallet=pallet.code)
    return crate


def put_on_by_code(pallet: Pallet, code: str, *, actor: User) -> Crate:
    return put_on(pallet, get_crate(code), actor=actor)


def take_off(pallet: Pallet, crate: Crate, *, actor: User) -> Crate:
    if crate.pallet_id != pallet.id:
        raise DomainError(_("Crate %(code)s is not on pallet %(pallet)s.", code=crate.code, pallet=pallet.code))
    PALLET.check(pallet, "stack")
    crate.pallet = None
    db.session.flush()
    audit.record(actor, "pallet.crate_removed", pallet, crate=crate.code)
    audit.record(actor, "crate.unstacked", crate, pallet=pallet.code)
    return crate


def seal(pallet: Pallet, *, gross_kg: Decimal | str | float, length_cm: int | None, width_cm: int | None,
         height_cm: int | None, actor: User) -> Pallet:
    """Seal a wrapped pallet: it is weighed whole (no less than its crates) and measured, height included."""
    PALLET.check(pallet, "seal")
    kg = positive_kg(gross_kg, MAX_GROSS_KG)
    dims = (length_cm, width_cm, height_cm)
    if not all(isinstance(d, int) and 0 < d <= MAX_SIDE_CM for d in dims):
        raise DomainError(_("Give the pallet's length, width and height, each in whole centimetres from 1 to %(most)s.",
                            most=number(MAX_SIDE_CM)))
    crates_kg = sum((c.gross_kg or Decimal(0) for c in pallet.crates), Decimal(0))
    if kg < crates_kg:
        raise DomainError(_("Pallet %(code)s weighs at least its crates, %(crates)s kg; you gave %(kg)s kg.",
                            code=pallet.code, crates=number(crates_kg, places=2), kg=number(kg, places=2)), field="gross_kg")
    PALLET.move(pallet, "seal")
    pallet.gross_kg = kg
    pallet.length_cm, pallet.width_cm, pallet.height_cm = dims
    pallet.sealed_at = datetime.now(UTC)
    db.session.flush()
    audit.record(actor, "pallet.sealed", pallet, gross_kg=kg, dimensions_cm=list(dims),
                 crates=[c.code for c in pallet.crates])
    return pallet


def reopen(pallet: Pallet, *, reason: str, actor: User) -> Pallet:
    reason = (reason or "").strip()
    PALLET.check(pallet, "reopen")
    if not reason:
        raise DomainError(_("Give the reason for reopening the pallet."), field="reason")
    PALLET.move(pallet, "reopen")
    pallet.gross_kg, pallet.sealed_at = None, None
    db.session.flush()
    audit.record(actor, "pallet.reopened", pallet, reason=reason)
    return pallet


# -- reading them -------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Stack:
    """What is on a pallet: its crates, their copies and their own weight."""

    crates: int = 0
    copies: int = 0
    crates_kg: Decimal = Decimal("0.00")


def stacks_of(pallet_ids: list[int]) -> dict[int, Stack]:
    """What is on each of these pallets, in one statement over their crates alone."""
    if not pallet_ids:
        return {}
    copies = copies_in_crates(sa.select(Crate.id).where(Crate.pallet_id.in_(pallet_ids)))
    stmt = (
        sa.select(Crate.pallet_id, sa.func.count(Crate.id), sa.func.sum(sa.func.coalesce(copies.c.copies, 0)),
                  sa.func.sum(Crate.gross_kg))
        .outerjoin(copies, copies.c.crate_id == Crate.id)
        .where(Crate.pallet_id.in_(pallet_ids))
        .group_by(Crate.pallet_id)
    )
    return {
        pallet_id: Stack(int(n), int(c or 0), Decimal(str(kg or 0)).quantize(Decimal("0.01")))
        for pallet_id, n, c, kg in db.session.execute(stmt)
    }


def pallets(status: PalletStatus | None = None) -> sa.Select[Any]:
    """Pallets newest first: a statement for one page of the list (with pallet_rows)."""
    stmt = sa.select(Pallet).order_by(Pallet.id.desc()).options(
        sa.orm.selectinload(Pallet.shipment), sa.orm.selectinload(Pallet.site))
    return stmt if status is None else stmt.where(Pallet.status == status)


def pallet_rows(result: sa.Result[Any]) -> list[tuple[Pallet, Stack]]:
    page = list(result.scalars())
    stacks = stacks_of([p.id for p in page])
    return [(pallet, stacks.get(pallet.id, Stack())) for pallet in page]


def crates_on(pallet: Pallet) -> sa.Select[Any]:
    """The crates on a pallet in the order they went on: a statement for a page of them (crate_rows)."""
    return sa.select(Crate).where(Crate.pallet_id == pallet.id).order_by(Crate.id)


def waiting_crates(pallet: Pallet, limit: int) -> list[Crate]:
    """Sealed crates at the pallet's warehouse on no pallet and no shipment: what the field suggests."""
    return list(db.session.scalars(
        sa.select(Crate).where(Crate.site_id == pallet.site_id, *WAITING).order_by(Crate.id.desc()).limit(limit)))
