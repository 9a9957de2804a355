"""Wish-lists: what a recipient wants, how well the stock on hand and the shipments fill it, the
sealed crates that would fill it best, and stock earmarked for it before packing.

A title fills a wish when every criterion the wish gives matches it (subject in any case, reading
level, language, kind). The figures of a wish, in copies of matching titles:

- available: accepted, not packed, and not earmarked for another recipient;
- earmarked: of those, set aside for this recipient;
- planned: packed in crates for it (packed for it and waiting, or on its shipments not yet gone);
- sent: on its shipments that have left; received: of those, checked in as arrived fit for the shelf
  (a crate received whole, or the titles counted as received; a damaged crate not counted by title
  is not counted, as nobody said which titles arrived fit).
A title may fill two wishes (Arabic books; Arabic medicine): each counts it.

The figures are summed in SQL per kind of title (subject, level, language, kind), then matched to the
wishes here: a handful of statements, whatever the stock or the wish-list.
"""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa
from flask_babel import gettext as _

from books2iraq import audit
from books2iraq.auth.models import User
from books2iraq.catalogue.sources import language_code
from books2iraq.concurrency import lock_all
from books2iraq.crating.models import Crate
from books2iraq.crating.services import WAITING
from books2iraq.errors import DomainError, NotFound
from books2iraq.extensions import db
from books2iraq.intake import lots
from books2iraq.intake.models import Lot, LotStatus, ReadingLevel, Title, TitleKind
from books2iraq.receiving.models import CrateOutcome, CrateReceipt, ReceiptLine
from books2iraq.reports import tallies
from books2iraq.shipping.models import Recipient, Shipment, ShipmentStatus
from books2iraq.wishes.models import Priority, WishItem

S = ShipmentStatus
NOT_GONE = (S.PLANNED, S.PACKING, S.READY)
GONE = (S.DISPATCHED, S.IN_TRANSIT, S.AT_CUSTOMS, S.CLEARED, S.DELIVERED)
MAX_WANTED = 1_000_000
SUGGESTED = 20  # crates suggested at most

Kind = tuple[str | None, str, str | None, str]  # a title's subject (lower case), level, language, kind


# --- The wish-list ---------------------------------------------------------------------------------


def wishes_of(recipient: Recipient) -> list[WishItem]:
    order = sa.case({p.value: n for n, p in enumerate(Priority)}, value=WishItem.priority)
    return list(db.session.scalars(
        sa.select(WishItem).where(WishItem.recipient_id == recipient.id).order_by(order, WishItem.id)))


def get_wish(recipient: Recipient, wish_id: int) -> WishItem:
    item = db.session.scalar(sa.select(WishItem).where(WishItem.id == wish_id, WishItem.recipient_id == recipient.id))
    if item is None:
        raise NotFound(_("There is no such wish on the list of %(name)s.", name=recipient.name_en))
    return item


def _clean(values: dict[str, Any]) -> dict[str, Any]:
    clean: dict[str, Any] = {}
    subject = " ".join(str(values.get("subject") or "").split())
    if len(subject) > 120:
        raise DomainError(_("Keep the subject under 120 characters."), field="subject")
    clean["subject"] = subject or None
    for name, enum_cls in (("level", ReadingLevel), ("kind", TitleKind)):
        value = values.get(name) or None
        try:
            clean[name] = enum_cls(value) if value is not None else None
        except ValueError:
            raise DomainError(_("“%(value)s” is not one of the choices.", value=value), field=name) from None
    typed = str(values.get("language") or "").strip()
    clean["language"] = language_code(typed) if typed else None
    if typed and clean["language"] is None:
        raise DomainError(_("“%(value)s” is not a language code such as ar, en or ckb.", value=typed), field="language")
    wanted = values.get("wanted")
    if isinstance(wanted, bool) or not isinstance(wanted, int) or not 1 <= wanted <= MAX_WANTED:
        raise DomainError(_("Say how many copies are wanted: a whole number from 1 to %(max)s.", max=MAX_WANTED),
                          field="wanted")
    clean["wanted"] = wanted
    try:
        clean["priority"] = Priority(values.get("priority") or Priority.NORMAL)
    except ValueError:
        raise DomainError(_("“%(value)s” is not one of the choices.", value=values.get("priority")), field="priority") from None
    note = " ".join(str(values.get("note") or "").split())
    if len(note) > 500:
        raise DomainError(_("Keep the note under %(max)s characters.", max=500), field="note")
    clean["note"] = note or None
    return clean


def add_wish(recipient: Recipient, *, actor: User, **values: Any) -> WishItem:
    item = WishItem(recipient_id=recipient.id, **_clean(values))
    db.session.add(item)
    db.session.flush()
    audit.record(actor, "wish.added", item, recipient=recipient.name_en, **_described(item))
    return item


def update_wish(item: WishItem, *, actor: User, **values: Any) -> WishItem:
    clean = _clean(values)
    changes = {f: [getattr(item, f), v] for f, v in clean.items() if getattr(item, f) != v}
    for name, (_before, after) in changes.items():
        setattr(item, name, after)
    db.session.flush()
    if changes:  # "subject" is the audit's own word (what the event is about): the wish's is "about"
        audit.record(actor, "wish.changed", item,
                     changes={("about" if f == "subject" else f): v for f, v in changes.items()})
    return item


def remove_wish(item: WishItem, *, actor: User) -> None:
    audit.record(actor, "wish.removed", item, **_described(item))
    db.session.delete(item)
    db.session.flush()


def _described(item: WishItem) -> dict[str, Any]:
    return {"about": item.subject, "level": item.level, "language": item.language, "kind": item.kind,
            "wanted": item.wanted, "priority": item.priority}


# --- How well it is filled ------------------------------------------------------------------------

KIND_COLUMNS = (sa.func.lower(Title.subject), Title.level, Title.language, Title.kind)


def _kinds(rows: Iterable[Any]) -> dict[Kind, int]:
    found: dict[Kind, int] = defaultdict(int)
    for subject, level, language, kind, copies in rows:
        found[(subject, str(level), language, str(kind))] += int(copies or 0)
    return found


def _stock(*where: Any) -> dict[Kind, int]:
    """Copies of the lots `where` selects, per kind of title: summed per title first, from an index
    of the lots alone (ix_lots_status_earmarked_title_quantity, or the crates' ix_lots_crate_id_title_id_quantity),
    then per kind over those titles."""
    per_title = (sa.select(Lot.title_id, sa.func.sum(Lot.quantity).label("copies"))
                 .where(*where).group_by(Lot.title_id).subquery())
    return _kinds(db.session.execute(
        sa.select(*KIND_COLUMNS, sa.func.sum(per_title.c.copies)).join(per_title, per_title.c.title_id == Title.id)
        .group_by(*KIND_COLUMNS)))


def _in_crates(*where: Any) -> Any:
    """Lots packed in the crates `where` selects."""
    return Lot.crate_id.in_(sa.select(Crate.id).where(*where))


def _received(recipient: Recipient) -> dict[Kind, int]:
    """Copies of each kind of title checked in as arrived fit on the recipient's shipments."""
    ours = sa.select(Shipment.id).where(Shipment.recipient_id == recipient.id)
    whole = _stock(Lot.crate_id.in_(sa.select(CrateReceipt.crate_id).where(
        CrateReceipt.shipment_id.in_(ours), CrateReceipt.counted.is_(False), CrateReceipt.outcome == CrateOutcome.RECEIVED)))
    counted = _kinds(db.session.execute(
        sa.select(*KIND_COLUMNS, sa.func.sum(ReceiptLine.received))
        .join(Title, ReceiptLine.title_id == Title.id).join(CrateReceipt, ReceiptLine.receipt_id == CrateReceipt.id)
        .where(CrateReceipt.shipment_id.in_(ours)).group_by(*KIND_COLUMNS)))
    for key, copies in counted.items():
        whole[key] = whole.get(key, 0) + copies
    return whole


def _planned_crates(recipient: Recipient) -> sa.ColumnElement[bool]:
    """Crates planned for the recipient: packed for it and on no shipment, or on its shipments not gone yet."""
    not_gone = sa.select(Shipment.id).where(Shipment.recipient_id == recipient.id, Shipment.status.in_(NOT_GONE))
    return sa.or_(sa.and_(Crate.shipment_id.is_(None), Crate.for_recipient_id == recipient.id),
                  Crate.shipment_id.in_(not_gone))


@dataclass
class Fill:
    item: WishItem
    available: int = 0
    earmarked: int = 0
    planned: int = 0
    sent: int = 0
    received: int = 0

    @property
    def need(self) -> int:
        """Copies still wanted beyond those planned or sent."""
        return max(0, self.item.wanted - self.planned - self.sent)


def _sum(item: WishItem, kinds: dict[Kind, int]) -> int:
    return sum(copies for key, copies in kinds.items() if item.matches(*key))


def fill(recipient: Recipient, items: list[WishItem] | None = None) -> list[Fill]:
    """Each wish of the list with its figures (see the module's doc), in six statements."""
    items = wishes_of(recipient) if items is None else items
    if not items:
        return []
    accepted = Lot.status == LotStatus.ACCEPTED
    available = _stock(accepted, sa.or_(Lot.earmarked_for_id.is_(None), Lot.earmarked_for_id == recipient.id))
    earmarked = _stock(accepted, Lot.earmarked_for_id == recipient.id)
    planned = _stock(_in_crates(_planned_crates(recipient)))
    gone = sa.select(Shipment.id).where(Shipment.recipient_id == recipient.id, Shipment.status.in_(GONE))
    sent = _stock(_in_crates(Crate.shipment_id.in_(gone)))
    received = _received(recipient)
    return [Fill(item, _sum(item, available), _sum(item, earmarked), _sum(item, planned), _sum(item, sent),
                 _sum(item, received)) for item in items]


# --- Crates that would fill it --------------------------------------------------------------------


@dataclass
class Suggestion:
    crate: Crate
    copies: int  # in the crate
    filling: int  # of them, copies that fill a wish still open when it is its turn
    score: int  # filling copies weighed by their wish's priority
    wishes: list[int] = field(default_factory=list)  # the ids of the wishes it fills


def crate_kinds(crate_ids: list[int] | sa.Select[Any]) -> dict[int, dict[Kind, int]]:
    """The copies of each kind of title in each of these crates."""
    rows = db.session.execute(
        sa.select(Lot.crate_id, *KIND_COLUMNS, sa.func.sum(Lot.quantity)).join(Title, Lot.title_id == Title.id)
        .where(Lot.crate_id.in_(crate_ids)).group_by(Lot.crate_id, *KIND_COLUMNS))
    found: dict[int, dict[Kind, int]] = defaultdict(dict)
    for crate_id, subject, level, language, kind, copies in rows:
        key = (subject, str(level), language, str(kind))
        found[crate_id][key] = found[crate_id].get(key, 0) + int(copies)
    return found


def _allot(kinds: dict[Kind, int], items: list[WishItem], needs: dict[int, int], take: bool) -> tuple[int, int, list[int]]:
    """(copies filling, score, wishes filled) of a crate's kinds against the needs, the higher
    priority first; with `take`, the needs are reduced by what it fills."""
    filling = score = 0
    filled: list[int] = []
    left = dict(needs)
    for key, copies in sorted(kinds.items(), key=lambda pair: tuple(part or "" for part in pair[0])):
        for item in items:  # in priority order
            if copies and left[item.id] and item.matches(*key):
                used = min(copies, left[item.id])
                left[item.id] -= used
                copies -= used
                filling += used
                score += used * item.priority.weight
                if item.id not in filled:
                    filled.append(item.id)
    if take:
        needs.update(left)
    return filling, score, filled


def suggest(recipient: Recipient, *, fills: list[Fill] | None = None, limit: int = SUGGESTED) -> list[Suggestion]:
    """Sealed crates waiting for a shipment (not packed for another recipient) that fill the wishes
    still open best, one after another: each next one fills most of what the ones before left open,
    copies of a more pressing wish weighing more (high 3, normal 2, low 1); crates packed for this
    recipient first."""
    fills = fill(recipient) if fills is None else fills
    items = [f.item for f in fills]
    needs = {f.item.id: f.need for f in fills}
    waiting = (
        sa.select(Crate.id)
        .where(*WAITING, sa.or_(Crate.for_recipient_id.is_(None), Crate.for_recipient_id == recipient.id))
    )
    kinds = crate_kinds(waiting)
    crates = {c.id: c for c in db.session.scalars(sa.select(Crate).where(Crate.id.in_(list(kinds))))} if kinds else {}
    chosen: list[Suggestion] = []
    while kinds and len(chosen) < limit and any(needs.values()):
        best = max(kinds, key=lambda cid: (crates[cid].for_recipient_id == recipient.id,
                                            _allot(kinds[cid], items, needs, take=False)[1], -cid))
        filling, score, filled = _allot(kinds[best], items, needs, take=True)
        if score == 0 and crates[best].for_recipient_id != recipient.id:
            break
        chosen.append(Suggestion(crates[best], sum(kinds[best].values()), filling, score, filled))
        del kinds[best]
    return chosen


# --- Stock set aside before packing ---------------------------------------------------------------


def earmark(item: WishItem, *, actor: User) -> int:
    """Set aside accepted copies that fill `item` for its recipient, the oldest first, as many as it
    still needs beyond those planned, sent or earmarked already (a lot is split when only part of it
    is needed). Returns how many were earmarked."""
    recipient = item.recipient
    current = fill(recipient, [item])[0]
    wanted = max(0, current.need - current.earmarked)
    if wanted == 0:
        raise DomainError(_("This wish needs no more copies: they are planned, sent or earmarked already."))
    candidates = lock_all(
        sa.select(Lot).join(Title, Lot.title_id == Title.id)
        .where(Lot.status == LotStatus.ACCEPTED, Lot.earmarked_for_id.is_(None), *item.criteria())
        .order_by(Lot.id)
    )
    done = 0
    for lot in candidates:
        if done == wanted:
            break
        piece = lots.take(lot, min(lot.quantity, wanted - done), actor=actor)
        piece.earmarked_for_id = recipient.id
        done += piece.quantity
        audit.record(actor, "lot.earmarked", piece, recipient=recipient.name_en, quantity=piece.quantity)
    if done == 0:
        raise DomainError(_("No accepted copies that fill this wish are waiting to be packed."))
    db.session.flush()
    return done


def release(recipient: Recipient, *, actor: User) -> int:
    """Put back every accepted copy earmarked for the recipient (not those packed already)."""
    held = lock_all(sa.select(Lot).where(Lot.status == LotStatus.ACCEPTED, Lot.earmarked_for_id == recipient.id))
    for lot in held:
        lot.earmarked_for_id = None
        audit.record(actor, "lot.released", lot, recipient=recipient.name_en, quantity=lot.quantity)
    db.session.flush()
    return sum(lot.quantity for lot in held)


# --- Per recipient, for the dashboard -------------------------------------------------------------


@dataclass(frozen=True)
class RecipientFigures:
    recipient: Recipient
    wanted: int
    sent: int
    received: int


def per_recipient() -> list[RecipientFigures]:
    """Copies wanted (the wish-list), sent (on shipments that have left) and received (checked in as
    arrived fit) for every active recipient, in five statements: a shipment's copies come from the
    running totals (reports/tallies.py), so none reads every packed lot."""
    recipients = list(db.session.scalars(sa.select(Recipient).where(Recipient.active.is_(True)).order_by(Recipient.name_en)))
    wanted: dict[int, int] = {rid: int(n) for rid, n in db.session.execute(
        sa.select(WishItem.recipient_id, sa.func.sum(WishItem.wanted)).group_by(WishItem.recipient_id))}
    copies = tallies.of(tallies.SHIPMENT)
    sent: dict[int, int] = defaultdict(int)
    for shipment_id, recipient_id in db.session.execute(
            sa.select(Shipment.id, Shipment.recipient_id).where(Shipment.status.in_(GONE))):
        sent[recipient_id] += copies.get(str(shipment_id), 0)
    received: dict[int, int] = {rid: int(n or 0) for rid, n in db.session.execute(
        sa.select(Shipment.recipient_id, sa.func.sum(CrateReceipt.copies_received))
        .join(Shipment, Shipment.id == CrateReceipt.shipment_id).group_by(Shipment.recipient_id))}
    return [RecipientFigures(r, int(wanted.get(r.id) or 0), int(sent.get(r.id) or 0), int(received.get(r.id) or 0))
            for r in recipients]


def served_by(crate: Crate) -> tuple[Recipient | None, list[WishItem]]:
    """Whom a crate is for (the recipient it is packed for, or its shipment's) and the wishes of theirs
    its copies fill."""
    recipient = crate.for_recipient or (crate.shipment.recipient if crate.shipment else None)
    if recipient is None:
        return None, []
    kinds = crate_kinds([crate.id]).get(crate.id, {})
    return recipient, [item for item in wishes_of(recipient) if any(item.matches(*key) for key in kinds)]
